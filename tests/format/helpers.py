"""Shared helpers of the ``jupytext_format`` tests: the corpus, notebook builders and a way to find
the lines of the ``.py`` file that belong to a cell."""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path
from typing import Any

from jupytext_format import writes
from jupytext_format.header import read_header
from jupytext_format.marker import is_marker
from jupytext_format.notebook import VOLATILE_CELL_METADATA
from jupytext_format.order import decode_permutation

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.ipynb"))
STDLIB_RUNNABLE = ("stdlib_csv_report", "stdlib_queue_simulation", "stdlib_text_stats")
"""Corpus notebooks that run top to bottom with the standard library only (no magics that matter,
no network, seeded randomness)."""

Notebook = dict[str, Any]


@cache
def _load_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load(path: Path) -> Notebook:
    """A fresh copy of a corpus notebook, as plain dicts (sources as lists of lines, as on disk)."""
    notebook: Notebook = json.loads(_load_text(path))
    return notebook


@cache
def _written(path: Path) -> str:
    return writes(load(path))


def written(path: Path) -> str:
    """``writes`` of a corpus notebook (cached: the notebooks are read-only data)."""
    return _written(path)


def source(cell: dict[str, Any]) -> str:
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def kept_metadata(cell: dict[str, Any]) -> dict[str, Any]:
    """The cell metadata the format promises to keep (everything that is not view or run state)."""
    return {
        key: value
        for key, value in cell.get("metadata", {}).items()
        if key not in VOLATILE_CELL_METADATA
    }


def cell(kind: str, text: str, **metadata: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"cell_type": kind, "metadata": metadata, "source": text}
    if kind == "code":
        out.update(outputs=[], execution_count=None)
    return out


def code(text: str, **metadata: Any) -> dict[str, Any]:
    return cell("code", text, **metadata)


def markdown(text: str, **metadata: Any) -> dict[str, Any]:
    return cell("markdown", text, **metadata)


def raw(text: str, **metadata: Any) -> dict[str, Any]:
    return cell("raw", text, **metadata)


def notebook(*cells: dict[str, Any], **metadata: Any) -> Notebook:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": list(cells)}


def display_positions(text: str, count: int) -> list[int]:
    """For each cell in display order, its position among the cells stored in ``text``."""
    header = read_header(text.split("\n")).metadata
    order = header.get("reactive", {}).get("display_order")
    if order is None:
        return list(range(count))
    positions = decode_permutation(order, count)
    assert positions is not None, f"bad display_order {order!r}"
    return positions


def cell_blocks(text: str) -> list[tuple[int, int]]:
    """The 0-based line ranges ``[start, end)`` of the cells stored in ``text`` (file order), marker
    line included, the blank separator line after a cell included in its block."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts = [number for number, line in enumerate(lines) if is_marker(line)]
    return [
        (start, starts[index + 1] if index + 1 < len(starts) else len(lines))
        for index, start in enumerate(starts)
    ]


def is_valid_ipython(text: str) -> bool:
    """Whether a code cell is valid Python once IPython's input transformer has run over it (top
    level ``await`` does not count: a script cannot run it)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        ast.parse(TransformerManager().transform_cell(text))
    except (SyntaxError, ValueError):
        return False
    return True


Cells = list[str | tuple[str, str]]
"""A notebook in short: code sources, or ``(cell_type, source)`` for Markdown and raw cells."""


def notebook_of(cells: Cells) -> Notebook:
    """An nbformat 4 notebook of the given cells (code cells with no outputs yet)."""
    out = []
    for cell in cells:
        kind, source = ("code", cell) if isinstance(cell, str) else cell
        record: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            record.update(outputs=[], execution_count=None)
        out.append(record)
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": out}
