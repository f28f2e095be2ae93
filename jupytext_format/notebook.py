"""Reading and writing reactive ``.py`` notebooks (docs/format.md).

``reads`` turns the text into an nbformat 4 notebook (plain dicts, display order restored);
``writes`` does the reverse. For every file ``writes`` produced, ``writes(reads(text)) == text``:
opening and saving a notebook without edits changes no byte.
"""

from __future__ import annotations

import ast
from typing import Any

from jupytext_format.errors import FormatError
from jupytext_format.header import (
    header_metadata,
    is_reactive_metadata,
    read_header,
    write_header,
)
from jupytext_format.ipython import WholeCell, ipython_lines
from jupytext_format.lines import (
    decode_code,
    decode_text_line,
    encode_code,
    encode_text_line,
)
from jupytext_format.marker import Marker, is_marker, parse_marker, write_marker
from jupytext_format.order import (
    decode_permutation,
    encode_permutation,
    script_order,
    stored_order,
)

Notebook = dict[str, Any]
Cell = dict[str, Any]

DISPLAY_ORDER = "display_order"
VOLATILE_CELL_METADATA = frozenset(
    {
        "collapsed",
        "scrolled",
        "execution",
        "ExecuteTime",
        "jupyter",
        "trusted",
        "id",
        "papermill",
        "pycharm",
        "vscode",
        "lines_to_next_cell",
        "colab",
        "outputId",
        "executionInfo",
    }
)
"""Cell metadata that is view or run state, never stored (tags, ``slideshow``, ``editable`` and
other keys are)."""


# --- reading -------------------------------------------------------------------------------


def reads(text: str) -> Notebook:
    """The notebook in ``text``; :class:`FormatError` when it cannot be read.

    A file without cell markers is a plain script: it is read as code cells split at blank lines
    between top-level statements (docs/format.md, "Plain scripts").
    """
    if "\x00" in text:
        raise FormatError("the file is binary (it contains NUL bytes), not a Python notebook")
    if text.split("\n", 1)[0].endswith("\r"):
        text = text.replace("\r\n", "\n")  # a file checked out with Windows line endings
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it is not an empty line
    header = read_header(lines)
    metadata = dict(header.metadata)
    body = lines[header.lines :]
    first = next((number for number, line in enumerate(body) if is_marker(line)), None)
    if first is None:
        cells = [_code_cell(source) for source in split_script("\n".join(body))]
    else:
        cells = []
        if any(line.strip() for line in body[:first]):
            cells.append(_code_cell(_block_source(body[:first], last=False)))
        cells.extend(_read_cells(body[first:], header.lines + first + 1))
    order = (
        metadata.get("reactive", {}).get(DISPLAY_ORDER) if is_reactive_metadata(metadata) else None
    )
    if order is not None:
        positions = decode_permutation(order, len(cells))
        if positions is None:
            raise FormatError(
                f"`reactive.display_order` ({order!r}) is not an order of the file's "
                f"{len(cells)} cells",
                2,
            )
        cells = [cells[position] for position in positions]
        metadata["reactive"] = {k: v for k, v in metadata["reactive"].items() if k != DISPLAY_ORDER}
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def _read_cells(lines: list[str], first_number: int) -> list[Cell]:
    starts = [number for number, line in enumerate(lines) if is_marker(line)]
    cells = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        marker = parse_marker(lines[start], first_number + start)
        block = lines[start + 1 : end]
        cells.append(_cell(marker, block, last=end == len(lines)))
    return cells


def _block_source(block: list[str], last: bool) -> str:
    """The source a block of lines holds: one blank separator line before the next marker is
    dropped (hand-written files may lack it)."""
    if not last and block and block[-1] == "":
        block = block[:-1]
    return "\n".join(block)


def _cell(marker: Marker, block: list[str], last: bool) -> Cell:
    lines = _block_source(block, last).split("\n") if block else []
    metadata = dict(marker.metadata)
    if marker.title:
        metadata["title"] = marker.title
    if marker.kind != "code":
        source = "\n".join(decode_text_line(line) for line in lines)
        return {"cell_type": marker.kind, "metadata": metadata, "source": source}
    if marker.commented:
        source = "\n".join(decode_text_line(line) for line in lines)
    else:
        source = "\n".join(decode_code(lines))
    cell = _code_cell(source)
    cell["metadata"] = metadata
    return cell


def _code_cell(source: str) -> Cell:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }


def split_script(text: str) -> list[str]:
    """A plain script as cells: a new cell starts at each top-level statement that follows a blank
    line (comments right above a statement stay with it). Unparsable text is one cell."""
    text = text.rstrip("\n")
    if not text.strip():
        return [] if not text else [text]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [text]
    lines = text.split("\n")
    starts = [0]
    for statement in tree.body[1:]:
        first = (
            min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", [])])
            - 1
        )
        while first > 0 and lines[first - 1].lstrip().startswith("#"):
            first -= 1
        if first > 0 and not lines[first - 1].strip():
            starts.append(first)
    cells = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        chunk = lines[start:end]
        while chunk and not chunk[-1].strip():
            chunk.pop()
        cells.append("\n".join(chunk))
    return cells


# --- writing -------------------------------------------------------------------------------


def stored_content(notebook: Notebook) -> tuple[dict[str, Any], list[Cell]]:
    """What a ``.py`` file keeps of a notebook: the header metadata (without the stored order) and
    the cells in display order, reduced to type, source and kept metadata."""
    cells = notebook.get("cells", [])
    if not isinstance(cells, list):
        raise FormatError("the notebook has no list of cells")
    plain = [_plain_cell(cell, number) for number, cell in enumerate(cells, start=1)]
    metadata = header_metadata(dict(notebook.get("metadata", {})))
    metadata["reactive"].pop(DISPLAY_ORDER, None)
    return metadata, plain


def writes(notebook: Notebook) -> str:
    """The ``.py`` text of an nbformat 4 notebook (dicts or ``NotebookNode``)."""
    return write_stored(stored_content(notebook))


def write_stored(content: tuple[dict[str, Any], list[Cell]]) -> str:
    """The ``.py`` text of what :func:`stored_content` kept of a notebook (left unchanged)."""
    header, cells = content
    metadata = {**header, "reactive": dict(header["reactive"])}
    stored = _stored_positions(cells)
    if stored != list(range(len(cells))):
        display = sorted(range(len(stored)), key=lambda position: stored[position])
        metadata["reactive"][DISPLAY_ORDER] = encode_permutation(display)
    return _join(write_header(metadata), [_write_cell(cells[index]) for index in stored])


def write_script(notebook: Notebook) -> str:
    """The notebook as a plain script (``reactive-kernel export --to script``): the cells in the
    order a ``.py`` notebook stores them, which runs like the reactive notebook, IPython syntax
    commented, Markdown as comments, and no header, so it is not read back as a reactive notebook.
    """
    _, cells = stored_content(notebook)
    return _join([], [_write_cell(cells[index]) for index in _stored_positions(cells)])


def _stored_positions(cells: list[Cell]) -> list[int]:
    kinds = [cell["cell_type"] for cell in cells]
    code = [cell["source"] for cell in cells if cell["cell_type"] == "code"]
    return stored_order(kinds, script_order(code))


def _join(out: list[str], blocks: list[list[str]]) -> str:
    for position, block in enumerate(blocks):
        out.extend(block)
        if position + 1 < len(blocks):
            out.append("")
    return "\n".join(out) + "\n" if out else ""


def _plain_cell(cell: Any, number: int) -> Cell:
    """A cell reduced to what is stored; :class:`FormatError` for anything that is not an
    nbformat 4 cell (a save must refuse it rather than write a guess)."""
    if not isinstance(cell, dict):
        raise FormatError(f"cell {number} is not a JSON object")
    kind, source, metadata = cell.get("cell_type"), cell.get("source"), cell.get("metadata", {})
    if kind not in ("code", "markdown", "raw"):
        raise FormatError(f"cell {number} has no valid cell_type (got {kind!r})")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise FormatError(f"cell {number} has no text source")
    if not isinstance(metadata, dict):
        raise FormatError(f"cell {number} has metadata that is not a JSON object")
    kept = {key: value for key, value in metadata.items() if key not in VOLATILE_CELL_METADATA}
    return {"cell_type": kind, "source": source, "metadata": kept}


def _write_cell(cell: Cell) -> list[str]:
    metadata = dict(cell["metadata"])
    title = metadata.get("title")
    marker = Marker(kind=cell["cell_type"], metadata=metadata)
    if isinstance(title, str) and _plain_title(title):
        marker.title = title
        del metadata["title"]
    source: str = cell["source"]
    lines = source.split("\n") if source else []
    if marker.kind != "code":
        body = [encode_text_line(line) for line in lines]
    else:
        commented = ipython_lines(source)
        if isinstance(commented, WholeCell):
            marker.commented = True
            body = [encode_text_line(line) for line in lines]
        elif not commented and "#" not in source:
            body = lines  # nothing to comment or escape: the common case, kept fast
        else:
            body = encode_code(lines, commented)
    return [write_marker(marker), *body]


def _plain_title(title: str) -> bool:
    """Titles that read back as titles: one line, no cell-type brackets, no ``key=`` words."""
    words = title.split(" ")
    return (
        bool(title)
        and title == title.strip()
        and "\n" not in title
        and all(word and "=" not in word and not word.startswith("[") for word in words)
    )


def is_reactive_text(text: str) -> bool:
    """Whether ``text`` starts with a reactive notebook header (cheap: reads only the header), or
    with a broken header that has a ``reactive:`` entry."""
    head = text[:20000].split("\n")
    try:
        return is_reactive_metadata(read_header(head).metadata)
    except FormatError:
        # A broken header that says it is reactive is still ours: opening it must say what is
        # wrong, not hand the file to another reader.
        return any(line.startswith("#   reactive:") for line in head[:50])
