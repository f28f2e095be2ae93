"""The ``reactive-kernel`` console script: one subcommand per module of this package.

Each subcommand module has ``configure(parser)``, which adds its arguments, and
``main(args) -> int``, which runs it and returns the exit status. Modules import their heavy
dependencies (jupyter_client, the graph) inside ``main`` so that ``reactive-kernel --help`` stays
fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from types import ModuleType

from reactive_kernel import __version__
from reactive_kernel.cli import check, convert, export, install, run, uninstall

SUBCOMMANDS: dict[str, ModuleType] = {
    "install": install,
    "uninstall": uninstall,
    "check": check,
    "run": run,
    "convert": convert,
    "export": export,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reactive-kernel",
        description="Reactive Python notebooks inside Jupyter: kernel set-up and notebook tools.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        summary, description = _help_texts(module)
        sub = commands.add_parser(
            name,
            help=summary,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(sub)
        sub.set_defaults(handler=module.main)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else 2
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    return handler(args)


def _help_texts(module: ModuleType) -> tuple[str, str]:
    """A subcommand's one-line summary and description, from its module docstring.

    The docstring's first line names the command, a colon, then what it does; help shows "what it
    does" and the rest of the docstring, without reStructuredText quotes.
    """
    doc = (module.__doc__ or "").replace("``", "").strip()
    first, _, rest = doc.partition("\n")
    summary = first.split(": ", 1)[-1].rstrip(".")
    return summary, f"{summary[:1].upper()}{summary[1:]}.\n{rest}"
