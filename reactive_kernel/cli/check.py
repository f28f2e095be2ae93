"""``reactive-kernel check NOTEBOOK``: what the graph makes of a notebook, without running it.

For each cell: the names it defines, references, mutates and deletes, its parents and children in
the dependency graph, and its graph errors; then the execution order. ``--json`` prints exactly one
JSON object (see :class:`Report`); cell indexes count every cell from 0, markdown and raw included,
while the human format numbers cells from 1 as a reader counts them.

Exit status: 0 when the notebook has no graph errors, 1 when it has some, 2 when the file cannot be
read as a notebook.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from reactive_kernel.cli.notebooks import EXIT_UNREADABLE, read_notebook_or_report
from reactive_kernel.types import CellId, CellKind

if TYPE_CHECKING:
    from reactive_kernel.graph import NotebookGraph

EXIT_OK, EXIT_GRAPH_ERRORS = 0, 1


class ErrorEntry(TypedDict):
    kind: str
    message: str


class CellEntry(TypedDict):
    index: int
    kind: CellKind
    defines: list[str]
    references: list[str]
    mutates: list[str]
    deletes: list[str]
    parents: list[int]
    children: list[int]
    errors: list[ErrorEntry]


class Report(TypedDict):
    """The ``--json`` output. Names are sorted; parents, children and order are cell indexes."""

    cells: list[CellEntry]
    order: list[int]
    ok: bool


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="a .ipynb or percent-format .py notebook")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def main(args: argparse.Namespace) -> int:
    notebook = read_notebook_or_report("check", args.notebook)
    if notebook is None:
        return EXIT_UNREADABLE
    cells: list[tuple[CellKind, str]] = [(c.kind, c.source) for c in notebook.cells]
    report, warnings = check_cells(cells)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report, [source for _, source in cells], warnings))
    return EXIT_OK if report["ok"] else EXIT_GRAPH_ERRORS


def check_cells(cells: Sequence[tuple[CellKind, str]]) -> tuple[Report, dict[int, list[str]]]:
    """The report for cells given as (kind, source) in display order, and the analysis warnings
    by cell index (effects it cannot see, such as ``%run``; shown in the text format only)."""
    from reactive_kernel.graph import NotebookGraph

    ids = {index: _cell_id(index) for index, (kind, _) in enumerate(cells) if kind == "code"}
    index_of = {cell_id: index for index, cell_id in ids.items()}
    graph = NotebookGraph(label=lambda cell_id: f"cell {index_of[cell_id] + 1}")
    graph.reset([(ids[index], source) for index, (_, source) in enumerate(cells) if index in ids])
    entries = [
        _code_entry(graph, index, ids[index], index_of)
        if index in ids
        else _empty_entry(index, kind)
        for index, (kind, _) in enumerate(cells)
    ]
    order = [index_of[cell_id] for cell_id in graph.order()]
    warnings = {
        index: [w.message for w in graph.analysis(cell_id).warnings]
        for index, cell_id in ids.items()
    }
    report: Report = {
        "cells": entries,
        "order": order,
        "ok": not any(e["errors"] for e in entries),
    }
    return report, {index: found for index, found in warnings.items() if found}


def _cell_id(index: int) -> CellId:
    return CellId(f"cell-{index}")


def _code_entry(
    graph: NotebookGraph, index: int, cell_id: CellId, index_of: dict[CellId, int]
) -> CellEntry:
    analysis = graph.analysis(cell_id)
    # Builtins a cell reads are references only when they bind to a cell above (spec section 3).
    bound_builtins = {
        b.name
        for b in graph.bindings(cell_id)
        if b.producer is not None and b.name in analysis.builtin_references
    }
    errors: list[ErrorEntry] = [
        {"kind": e.kind, "message": e.message} for e in graph.errors(cell_id)
    ]
    # The graph reports a cell's own errors (syntax, star-import) too; add any it leaves out.
    kinds = {e["kind"] for e in errors}
    errors += [
        {"kind": d.kind, "message": d.message} for d in analysis.errors if d.kind not in kinds
    ]
    return {
        "index": index,
        "kind": "code",
        "defines": sorted(analysis.defines),
        "references": sorted(analysis.references | bound_builtins),
        "mutates": sorted(analysis.mutates),
        "deletes": sorted(analysis.deletes),
        "parents": sorted(index_of[c] for c in graph.parents(cell_id)),
        "children": sorted(index_of[c] for c in graph.children(cell_id)),
        "errors": errors,
    }


def _empty_entry(index: int, kind: CellKind) -> CellEntry:
    return {
        "index": index,
        "kind": kind,
        "defines": [],
        "references": [],
        "mutates": [],
        "deletes": [],
        "parents": [],
        "children": [],
        "errors": [],
    }


def format_report(
    report: Report, sources: Sequence[str], warnings: dict[int, list[str]] | None = None
) -> str:
    """The human format: one block per cell (numbered from 1), then the execution order."""
    lines: list[str] = []
    for entry, source in zip(report["cells"], sources, strict=True):
        lines.append(f"cell {entry['index'] + 1} ({entry['kind']}): {_first_line(source)}")
        if entry["kind"] != "code":
            continue
        sets = {
            "defines": entry["defines"],
            "references": entry["references"],
            "mutates": entry["mutates"],
            "deletes": entry["deletes"],
        }
        lines.extend(f"  {name + ':':12}{', '.join(names) or '-'}" for name, names in sets.items())
        lines.append(f"  {'parents:':12}{_numbers(entry['parents'])}")
        lines.append(f"  {'children:':12}{_numbers(entry['children'])}")
        lines.extend(f"  ERROR {e['kind']}: {e['message']}" for e in entry["errors"])
        lines.extend(f"  warning: {text}" for text in (warnings or {}).get(entry["index"], []))
    order = " -> ".join(str(index + 1) for index in report["order"]) or "(no code cells)"
    lines.append("")
    lines.append(f"execution order: {order}")
    failing = [str(e["index"] + 1) for e in report["cells"] if e["errors"]]
    if failing:
        lines.append(f"cells with graph errors: {', '.join(failing)}")
    else:
        lines.append("ok: no graph errors")
    return "\n".join(lines)


def _numbers(indexes: list[int]) -> str:
    return ", ".join(f"cell {index + 1}" for index in indexes) or "-"


def _first_line(source: str, width: int = 60) -> str:
    line = next((text.strip() for text in source.splitlines() if text.strip()), "")
    if not line:
        return "(empty)"
    return line if len(line) <= width else line[: width - 3] + "..."
