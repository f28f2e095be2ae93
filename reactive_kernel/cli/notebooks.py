"""Read a notebook for the command line: ``.ipynb`` through nbformat, ``.py`` through jupytext.

Every way a file can fail to be a notebook (missing, a folder, not UTF-8, malformed JSON, cells
without a type or source) becomes one :class:`NotebookReadError` with a message fit for a user, so
that commands print one line and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import nbformat

CELL_KINDS = ("code", "markdown", "raw")
PY_FORMAT = "py:percent"
"""``.py`` notebooks are jupytext's percent format: cells start at ``# %%`` lines."""


class NotebookReadError(Exception):
    """The file cannot be read as a notebook; ``str()`` says which file and why."""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` (nbformat 4), with every cell's ``source`` a string."""
    text = _read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        notebook = _parse_ipynb(path, text)
    elif suffix == ".py":
        notebook = _parse_py(path, text)
    else:
        raise NotebookReadError(f"{path}: not a notebook (expected a .ipynb or .py file)")
    _check_cells(path, notebook)
    return notebook


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


def _parse_ipynb(path: Path, text: str) -> nbformat.NotebookNode:
    try:
        with warnings.catch_warnings():
            # nbformat warns about cells without ids (nbformat < 4.5 files): harmless to us.
            warnings.simplefilter("ignore")
            notebook: nbformat.NotebookNode = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except nbformat.reader.NotJSONError:
        raise NotebookReadError(f"{path}: malformed JSON, not a notebook") from None
    except Exception as error:  # nbformat raises many kinds for JSON that is not a notebook
        raise NotebookReadError(f"{path}: not a valid notebook: {_first_line(error)}") from None
    return notebook


def _parse_py(path: Path, text: str) -> nbformat.NotebookNode:
    import jupytext

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook: nbformat.NotebookNode = jupytext.reads(text, fmt=PY_FORMAT)
    except Exception as error:
        raise NotebookReadError(
            f"{path}: cannot read as a percent-format notebook: {error}"
        ) from None
    return notebook


def _check_cells(path: Path, notebook: Any) -> None:
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookReadError(f"{path}: not a valid notebook: no list of cells")
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in CELL_KINDS:
            raise NotebookReadError(f"{path}: cell {number} has no valid cell_type")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            cell["source"] = "".join(source)
        elif not isinstance(source, str):
            raise NotebookReadError(f"{path}: cell {number} has no text source")


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
