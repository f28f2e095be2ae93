"""``reactive-kernel install``: register this environment's reactive kernel with Jupyter.

The wheel already ships a kernelspec named ``reactive`` (``share/jupyter/kernels/reactive``) whose
``argv[0]`` is ``"python"``: Jupyter replaces that with the server's own interpreter, so it only
works when the server runs in this environment. This command writes the same spec with ``argv[0]``
set to the absolute path of this interpreter, so a Jupyter server in any other environment can start
this environment's kernel. Give each environment its own ``--name``.

Location: ``--user`` (the default) writes to the user's Jupyter data folder, seen by every
environment of that user and writable without root; ``--sys-prefix`` and ``--prefix`` write under
an environment prefix. (ipykernel's ``python -m ipykernel install`` defaults to the system-wide
folder, which needs root; its documentation then recommends ``--user``, which we make the default.)
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_NAME = "reactive"
DEFAULT_DISPLAY_NAME = "Python 3 (reactive)"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def kernel_spec(executable: str, display_name: str = DEFAULT_DISPLAY_NAME) -> dict[str, Any]:
    """The ``kernel.json`` content: the spec the wheel ships, started by ``executable``.

    Keep it equal to ``share/jupyter/kernels/reactive/kernel.json`` apart from ``argv[0]`` and the
    display name (a test compares them).
    """
    return {
        "argv": [executable, "-m", "reactive_kernel", "-f", "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False, "reactive_kernel": {"protocol": 1}},
    }


def default_display_name(name: str) -> str:
    if name == DEFAULT_NAME:
        return DEFAULT_DISPLAY_NAME
    return f"Python 3 (reactive, {name})"


def add_location_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """``--user | --sys-prefix | --prefix PREFIX``, shared with ``uninstall``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--user",
        action="store_true",
        help=f"{verb} the user's Jupyter data folder (the default)",
    )
    where.add_argument(
        "--sys-prefix",
        action="store_const",
        const=sys.prefix,
        dest="prefix",
        help=f"{verb} this environment's prefix ({sys.prefix})",
    )
    where.add_argument("--prefix", metavar="PREFIX", help=f"{verb} PREFIX/share/jupyter/kernels")


def configure(parser: argparse.ArgumentParser) -> None:
    add_location_arguments(parser, "install into")
    parser.add_argument(
        "--name",
        default=DEFAULT_NAME,
        help=f"kernelspec name; give each environment its own (default: {DEFAULT_NAME})",
    )
    parser.add_argument(
        "--display-name",
        metavar="TEXT",
        help=f'name shown in the launcher (default: "{DEFAULT_DISPLAY_NAME}", '
        'or "Python 3 (reactive, NAME)" with --name)',
    )


def main(args: argparse.Namespace) -> int:
    from jupyter_client.kernelspec import KernelSpecManager

    name: str = args.name
    display_name = args.display_name or default_display_name(name)
    spec = kernel_spec(sys.executable, display_name)
    manager = KernelSpecManager()
    with tempfile.TemporaryDirectory(prefix="reactive-kernelspec-") as tmp:
        source = Path(tmp) / "reactive"
        source.mkdir()
        (source / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        try:
            destination = manager.install_kernel_spec(
                str(source), kernel_name=name, user=args.prefix is None, prefix=args.prefix
            )
        except ValueError as error:  # an invalid kernel name
            print(f"reactive-kernel install: {error}", file=sys.stderr)
            return EXIT_USAGE
        except OSError as error:
            print(f"reactive-kernel install: {error}", file=sys.stderr)
            if error.errno == errno.EACCES and args.prefix is not None:
                print("Perhaps you want --user?", file=sys.stderr)
            return EXIT_FAILED
    print(f"Installed kernelspec {name.lower()} ({display_name}) in {destination}")
    print(f"It starts {sys.executable}")
    return EXIT_OK
