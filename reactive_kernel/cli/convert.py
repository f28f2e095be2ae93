"""``reactive-kernel convert NOTEBOOK...``: convert notebooks between .ipynb and reactive .py.

A ``.ipynb`` becomes a reactive ``.py`` notebook (docs/format.md) and a ``.py`` notebook becomes a
``.ipynb``; a folder converts every notebook in it (recursively, ``.ipynb_checkpoints`` skipped) in
the direction ``--to`` gives (default: ``py``). Cell sources, cell types, Markdown, raw cells and
tags are kept exactly; outputs are not written to ``.py`` files.

Each conversion prints a reactivity report: names defined in more than one cell, names read above
the cell that defines them, star imports and other graph errors, with cell numbers and a suggested
fix. ``--fix`` applies the fixes that are mechanical and safe and says exactly what changed.

An existing output file is never overwritten without ``--force``; outputs are written atomically.
Exit status: 0 when every notebook was converted (findings do not change it), 2 when a notebook
could not be read or written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reactive_kernel.cli.notebooks import EXIT_UNREADABLE, NotebookReadError, read_notebook
from reactive_kernel.types import CellKind

Cell = tuple[CellKind, str]

SUFFIXES = {"py": ".py", "ipynb": ".ipynb"}
SKIPPED_FOLDERS = {".ipynb_checkpoints", ".git", "__pycache__", "node_modules"}


class ConvertError(Exception):
    """One notebook could not be converted; ``str()`` says which and why."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="NOTEBOOK",
        help=".ipynb or .py notebooks, or folders",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the output file (one notebook) or folder (several, or a folder); default: beside "
        "each input, with the other suffix",
    )
    parser.add_argument(
        "--to",
        choices=sorted(SUFFIXES),
        help="the format to write (default: the other one; py for folders)",
    )
    parser.add_argument("--fix", action="store_true", help="apply the safe fixes the report offers")
    parser.add_argument("--force", action="store_true", help="overwrite existing output files")


def main(args: argparse.Namespace) -> int:
    try:
        jobs = _jobs(args.paths, args.output, args.to)
    except ConvertError as error:
        print(f"reactive-kernel convert: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    failed = 0
    for source, target in jobs:
        try:
            print(convert(source, target, fix=args.fix, force=args.force))
        except ConvertError as error:
            print(f"reactive-kernel convert: {error}", file=sys.stderr)
            failed += 1
    if len(jobs) > 1:
        print(f"{len(jobs) - failed} of {len(jobs)} notebooks converted.")
    return EXIT_UNREADABLE if failed else 0


def _jobs(paths: list[Path], output: Path | None, to: str | None) -> list[tuple[Path, Path]]:
    """(input, output) pairs for the command line's paths."""
    from jupytext_format.contents import is_reactive_file

    inputs: list[tuple[Path, Path]] = []  # (file, the folder its output path is relative to)
    for path in paths:
        if path.is_dir():
            wanted = ".ipynb" if (to or "py") == "py" else ".py"
            found = [
                file
                for file in sorted(path.rglob(f"*{wanted}"))
                if not SKIPPED_FOLDERS & set(file.relative_to(path).parts[:-1])
                and (wanted == ".ipynb" or is_reactive_file(str(file)))
            ]
            inputs.extend((file, path) for file in found)
        elif path.suffix in (".ipynb", ".py"):
            inputs.append((path, path.parent))
        elif not path.exists():
            raise ConvertError(f"{path}: no such file or folder")
        else:
            raise ConvertError(f"{path}: not a notebook (expected .ipynb, .py or a folder)")
    if not inputs:
        raise ConvertError("no notebooks to convert")
    several = len(inputs) > 1 or any(path.is_dir() for path in paths)
    if output is not None and several and output.suffix in (".py", ".ipynb"):
        raise ConvertError(f"{output}: several notebooks need an output folder, not a file")
    jobs = []
    for file, root in inputs:
        suffix = SUFFIXES[to] if to else (".py" if file.suffix == ".ipynb" else ".ipynb")
        if suffix == file.suffix:
            raise ConvertError(f"{file}: is already a {suffix} notebook")
        if output is None:
            target = file.with_suffix(suffix)
        elif several:
            target = (output / file.relative_to(root)).with_suffix(suffix)
        else:
            target = output
        jobs.append((file, target))
    return jobs


def convert(source: Path, target: Path, fix: bool = False, force: bool = False) -> str:
    """Convert one notebook; returns what to print (the report included)."""
    from jupytext_format import FormatError, writes
    from jupytext_format.atomic import replace_atomically
    from reactive_kernel.cli.reactivity_report import fix as apply_fixes
    from reactive_kernel.cli.reactivity_report import report

    if target.exists() and not force:
        raise ConvertError(f"{target}: already exists (use --force to overwrite it)")
    try:
        notebook = read_notebook(source)
    except NotebookReadError as error:
        raise ConvertError(str(error)) from None
    document = notebook.document
    cells = [(cell.kind, cell.source) for cell in notebook.cells]
    found = report(cells)
    if fix:
        fixed = apply_fixes(cells, found)
        if fixed != [(index, source) for index, (_, source) in enumerate(cells)]:
            document = _with_cells(document, fixed)
            changes, found = found.changes, report([(cells[i][0], text) for i, text in fixed])
            found.changes = changes
    try:
        text = writes(_reactive(document)) if target.suffix == ".py" else _ipynb_text(document)
    except FormatError as error:
        raise ConvertError(f"{source}: cannot convert: {error}") from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(str(target), text)
    except OSError as error:
        raise ConvertError(f"{target}: cannot write: {error.strerror or error}") from None
    return f"{source} -> {target} ({len(cells)} cells)\n{found.render()}"


def _reactive(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the reactive kernel: a reactive .py notebook runs on it."""
    metadata = dict(document.get("metadata") or {})
    kernelspec = metadata.get("kernelspec") or {}
    if not str(kernelspec.get("name", "")).startswith("reactive"):
        metadata.pop("kernelspec", None)  # the header writes the reactive kernel's
    return {**document, "metadata": metadata}


def _with_cells(document: dict[str, Any], fixed: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """``document`` with its cells in the fixed order and with the fixed sources."""
    cells = [{**document["cells"][index], "source": source} for index, source in fixed]
    return {**document, "cells": cells}


def _ipynb_text(document: dict[str, Any]) -> str:
    import nbformat

    notebook = nbformat.from_dict(document)  # type: ignore[no-untyped-call]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
    return str(nbformat.writes(notebook)) + "\n"  # type: ignore[no-untyped-call]
