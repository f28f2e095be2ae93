"""Read a notebook for the command line: ``.ipynb`` with the stdlib ``json``, ``.py`` with
:mod:`jupytext_format` (the reactive percent format; it reads jupytext's percent files too).

An nbformat 4 ``.ipynb`` file is plain JSON; reading it with ``json`` rather than nbformat keeps
``reactive-kernel check`` fast to start (nbformat imports jsonschema, which alone took a second).
Only files in an older nbformat (3 and before) go through nbformat, to be upgraded.

Every way a file can fail to be a notebook (missing, a folder, not UTF-8, malformed JSON, cells
without a type or source) becomes one :class:`NotebookReadError` with a message fit for a user, so
that commands print one line and exit 2 instead of showing a traceback:
:func:`read_notebook_or_report` does exactly that for every subcommand.
"""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from reactive_kernel.types import CellKind

CELL_KINDS: tuple[CellKind, ...] = ("code", "markdown", "raw")
NBFORMAT = 4
"""The nbformat major version read directly; older files are upgraded through nbformat."""
EXIT_UNREADABLE = 2
"""The exit status of every subcommand when its notebook cannot be read."""


class NotebookReadError(Exception):
    """The file cannot be read as a notebook; ``str()`` says which file and why."""


@dataclass(frozen=True)
class NotebookCell:
    kind: CellKind
    source: str
    id: str | None
    """The nbformat 4.5 cell id; None in files written before ids existed, and for a cell whose id
    an earlier cell already has."""


@dataclass(frozen=True)
class Notebook:
    """A notebook as read: its cells, and the whole nbformat 4 document they came from."""

    cells: tuple[NotebookCell, ...]
    document: dict[str, Any]
    """The nbformat 4 JSON object (plain dicts and lists), every cell's ``source`` a string; what
    ``run`` adds outputs to and writes back."""

    def run_ids(self) -> list[str]:
        """Each cell's id as ``run`` gives it to the kernel: its nbformat id, or ``cell-<index>``
        for a cell without one."""
        return [cell.id or f"cell-{index}" for index, cell in enumerate(self.cells)]


def read_notebook_or_report(command: str, path: Path) -> Notebook | None:
    """The notebook at ``path``, or None after printing ``reactive-kernel COMMAND: <why>`` as one
    line on stderr; the caller then exits with :data:`EXIT_UNREADABLE`."""
    try:
        return read_notebook(path)
    except NotebookReadError as error:
        print(f"reactive-kernel {command}: {error}", file=sys.stderr)
        return None


def read_notebook(path: Path) -> Notebook:
    """The notebook at ``path`` (``.ipynb`` in nbformat 4 or older, or percent-format ``.py``)."""
    text = _read_text(path)
    suffix = path.suffix.lower()
    if suffix not in (".ipynb", ".py"):
        raise NotebookReadError(f"{path}: not a notebook (expected a .ipynb or .py file)")
    document = _parse_ipynb(path, text) if suffix == ".ipynb" else _parse_py(path, text)
    return Notebook(cells=_check_cells(path, document), document=document)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotebookReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NotebookReadError(f"{path}: is a directory, not a notebook") from None
    except OSError as error:
        raise NotebookReadError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotebookReadError(
            f"{path}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None


def _parse_ipynb(path: Path, text: str) -> dict[str, Any]:
    try:
        document: object = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise NotebookReadError(f"{path}: malformed JSON, not a notebook") from None
    if not isinstance(document, dict):
        found = type(document).__name__
        raise NotebookReadError(f"{path}: not a valid notebook: a JSON {found}, not an object")
    version = document.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise NotebookReadError(f"{path}: not a valid notebook: no nbformat version number")
    if version > NBFORMAT:
        raise NotebookReadError(
            f"{path}: not a valid notebook: nbformat {version} is newer than this reader "
            f"(nbformat {NBFORMAT})"
        )
    if version < NBFORMAT:
        return _upgrade(path, text)
    return document


def _upgrade(path: Path, text: str) -> dict[str, Any]:
    """An nbformat 3 (or older) file, upgraded to nbformat 4 by nbformat itself (slow to import,
    so only here)."""
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=NBFORMAT)  # type: ignore[no-untyped-call]
    except Exception as error:  # nbformat raises many kinds for JSON that is not a notebook
        raise NotebookReadError(f"{path}: not a valid notebook: {_first_line(error)}") from None
    return cast(dict[str, Any], notebook)


def _parse_py(path: Path, text: str) -> dict[str, Any]:
    from jupytext_format import FormatError, reads

    try:
        return reads(text)
    except FormatError as error:
        raise NotebookReadError(f"{path}: cannot read as a .py notebook: {error}") from None


def _check_cells(path: Path, document: dict[str, Any]) -> tuple[NotebookCell, ...]:
    """The cells of ``document``; joins list sources into strings in ``document`` too."""
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise NotebookReadError(f"{path}: not a valid notebook: no list of cells")
    found: list[NotebookCell] = []
    seen: set[str] = set()
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in CELL_KINDS:
            raise NotebookReadError(f"{path}: cell {number} has no valid cell_type")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = cell["source"] = "".join(source)
        elif not isinstance(source, str):
            raise NotebookReadError(f"{path}: cell {number} has no text source")
        cell_id = cell.get("id")
        if cell_id is not None and (not isinstance(cell_id, str) or not cell_id):
            raise NotebookReadError(f"{path}: cell {number} has an id that is not a string")
        if cell_id in seen:
            cell_id = None  # a repeated id (nbformat repairs these too): the first cell keeps it
        elif cell_id is not None:
            seen.add(cell_id)
        found.append(NotebookCell(kind=cell["cell_type"], source=source, id=cell_id))
    return tuple(found)


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
