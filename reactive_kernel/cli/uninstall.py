"""``reactive-kernel uninstall``: remove a kernelspec that ``reactive-kernel install`` wrote.

Without a location it removes the spec Jupyter would use under that name (the first one on its
search path), as ``jupyter kernelspec remove`` does. It refuses to remove a spec that does not start
the reactive kernel, so a mistyped ``--name python3`` cannot delete another kernel.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from reactive_kernel.cli.install import DEFAULT_NAME, add_location_arguments

EXIT_OK, EXIT_FAILED = 0, 1


def configure(parser: argparse.ArgumentParser) -> None:
    add_location_arguments(parser, "remove from")
    parser.add_argument(
        "--name", default=DEFAULT_NAME, help=f"kernelspec name (default: {DEFAULT_NAME})"
    )


def main(args: argparse.Namespace) -> int:
    name = str(args.name).lower()
    spec_dir = _find(name, user=args.user, prefix=args.prefix)
    if spec_dir is None:
        print(f"reactive-kernel uninstall: no kernelspec named {name!r} found", file=sys.stderr)
        return EXIT_FAILED
    if not _is_reactive(spec_dir):
        print(
            f"reactive-kernel uninstall: {spec_dir} is not a reactive-kernel kernelspec; "
            "left in place",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        shutil.rmtree(spec_dir)
    except OSError as error:
        print(f"reactive-kernel uninstall: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Removed kernelspec {name} from {spec_dir}")
    return EXIT_OK


def _find(name: str, *, user: bool, prefix: str | None) -> Path | None:
    from jupyter_client.kernelspec import KernelSpecManager

    manager = KernelSpecManager()
    if user:
        folders = [Path(manager.user_kernel_dir)]
    elif prefix is not None:
        folders = [Path(os.path.abspath(prefix)) / "share" / "jupyter" / "kernels"]
    else:
        folders = [Path(folder) for folder in manager.kernel_dirs]
    for folder in folders:
        if (folder / name / "kernel.json").is_file():
            return folder / name
    return None


def _is_reactive(spec_dir: Path) -> bool:
    try:
        spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    argv = spec.get("argv") if isinstance(spec, dict) else None
    return isinstance(argv, list) and "reactive_kernel" in argv
