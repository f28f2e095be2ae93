"""What ``reactive-kernel convert`` tells a user about a notebook's reactivity, and the fixes
``--fix`` can make safely.

Findings (cells numbered from 1 over all cells, as a reader counts them):

- a name defined in more than one cell (legal: each reader takes the nearest definition above it,
  but often an accident in a notebook written for top-to-bottom runs);
- a cell that reads a name defined only below it (legal: the graph runs the definition first, but a
  reader of the notebook scrolls the wrong way);
- a star import (a graph error: the cell cannot be analysed, so it never runs reactively);
- every other graph error (ambiguous reads, cycles, syntax errors).

Fixes (``--fix``), each reported exactly:

- ``from m import *`` becomes ``from m import a, b`` with the names the notebook reads that ``m``
  provides and no cell defines (``m`` is imported to list its names; when it cannot be, the
  import is left as it is and the change list says why);
- cells move into execution order when some cell reads a name defined below it and the notebook has
  no graph errors (Markdown and raw cells move with the code cell below them). Values do not change:
  the order cells run in is the same.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reactive_kernel.types import CellId, CellKind

if TYPE_CHECKING:
    from reactive_kernel.graph import NotebookGraph

Cell = tuple[CellKind, str]


@dataclass
class Finding:
    cell: int
    """1-based number of the cell the finding is about."""
    message: str
    fix: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    """What ``--fix`` changed, one line each."""

    def render(self) -> str:
        if not self.findings and not self.changes:
            return "Reactivity report: no findings."
        lines = [f"Reactivity report: {len(self.findings)} finding(s)."]
        for finding in self.findings:
            lines.append(f"  cell {finding.cell}: {finding.message}")
            lines.append(f"    fix: {finding.fix}")
        if self.changes:
            lines.append(f"Fixed ({len(self.changes)} change(s)):")
            lines.extend(f"  {change}" for change in self.changes)
        return "\n".join(lines)


def _graph(cells: Sequence[Cell]) -> NotebookGraph:
    from reactive_kernel.graph import NotebookGraph

    graph = NotebookGraph(label=lambda cell_id: f"cell {int(cell_id) + 1}")
    graph.reset(
        [(CellId(str(i)), source) for i, (kind, source) in enumerate(cells) if kind == "code"]
    )
    return graph


def report(cells: Sequence[Cell]) -> Report:
    """The findings for cells given as (kind, source) in display order."""
    graph = _graph(cells)
    found = Report()
    code = [i for i, (kind, _) in enumerate(cells) if kind == "code"]
    definers: dict[str, list[int]] = {}
    for index in code:
        for name in graph.analysis(CellId(str(index))).defines:
            definers.setdefault(name, []).append(index)
    for name, where in sorted(definers.items(), key=lambda item: (item[1][1:2], item[0])):
        if len(where) > 1:
            numbers = _numbers(where)
            found.findings.append(
                Finding(
                    where[1] + 1,
                    f"`{name}` is defined in cells {numbers}; each cell reads the nearest "
                    "definition above it",
                    f"if these are different things, give each its own name (e.g. "
                    f"`{name}_2` in cell {where[1] + 1}); redefining on purpose is fine",
                )
            )
    for index in code:
        cell_id = CellId(str(index))
        below = sorted(
            (int(binding.producer), binding.name)
            for binding in graph.bindings(cell_id)
            if binding.producer is not None and int(binding.producer) > index
        )
        for producer, name in below:
            found.findings.append(
                Finding(
                    index + 1,
                    f"reads `{name}`, which is defined below it, in cell {producer + 1}",
                    f"move cell {producer + 1} above cell {index + 1} (`--fix` puts the cells "
                    "in execution order)",
                )
            )
        for error in graph.errors(cell_id):
            fix = {
                "star-import": "import the names you use (`--fix` lists them for you)",
                "ambiguous": "keep one definition, or define the name above this cell",
                "cycle": "break the cycle: one of these cells must not read the other's names",
                "syntax": "correct the code",
            }.get(error.kind, "see the message")
            found.findings.append(Finding(index + 1, error.message, fix))
    found.findings.sort(key=lambda finding: finding.cell)
    return found


def fix(cells: list[Cell], found: Report) -> list[tuple[int, str]]:
    """The safe fixes: for each cell of the fixed notebook, in its new order, the index of the cell
    it was and its (possibly new) source. Each change is added to ``found.changes``."""
    fixed = _fix_star_imports(cells, found)
    return [(index, fixed[index][1]) for index in _fix_order(fixed, found)]


def _fix_star_imports(cells: list[Cell], found: Report) -> list[Cell]:
    graph = _graph(cells)
    defined: set[str] = set()
    read: set[str] = set()
    for index, (kind, _) in enumerate(cells):
        if kind == "code":
            analysis = graph.analysis(CellId(str(index)))
            defined |= analysis.defines
            read |= analysis.references | analysis.builtin_references
    fixed = list(cells)
    for index, (kind, source) in enumerate(cells):
        if kind != "code" or "import *" not in source:
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        lines = source.split("\n")
        for node in reversed(tree.body):
            if not (isinstance(node, ast.ImportFrom) and node.names[0].name == "*"):
                continue
            module = "." * node.level + (node.module or "")
            provided = _public_names(module)
            if provided is None:
                found.changes.append(
                    f"cell {index + 1}: left `from {module} import *` as it is: `{module}` cannot "
                    "be imported here to list its names"
                )
                continue
            names = sorted((read - defined) & provided)
            if not names:
                found.changes.append(
                    f"cell {index + 1}: left `from {module} import *`: the notebook uses none "
                    "of its names (delete it if it is not needed)"
                )
                continue
            statement = f"from {module} import {', '.join(names)}"
            first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
            start, end = node.col_offset, node.end_col_offset or len(lines[last])
            lines[first : last + 1] = [lines[first][:start] + statement + lines[last][end:]]
            found.changes.append(f"cell {index + 1}: `from {module} import *` -> `{statement}`")
        fixed[index] = (kind, "\n".join(lines))
    return fixed


def _public_names(module: str) -> set[str] | None:
    try:
        imported = importlib.import_module(module)
    except Exception:  # any failure to import means: cannot list, leave the import alone
        return None
    names = getattr(imported, "__all__", None)
    if names is None:
        names = [name for name in vars(imported) if not name.startswith("_")]
    return {str(name) for name in names}


def _fix_order(cells: list[Cell], found: Report) -> list[int]:
    """The cells' indexes in execution order (unchanged when it is the display order already)."""
    from jupytext_format.order import script_order, stored_order

    code = [source for kind, source in cells if kind == "code"]
    order = script_order(code)
    if order is None or order == list(range(len(order))):  # a permutation, already in order
        return list(range(len(cells)))
    stored = stored_order([kind for kind, _ in cells], order)
    code_numbers = [i for i, (kind, _) in enumerate(cells) if kind == "code"]
    moved = [code_numbers[cell] for position, cell in enumerate(order) if cell != position]
    found.changes.append(
        "moved cells into execution order (no value changes): cells "
        f"{_numbers(sorted(moved))} changed place; the new order of the old cell numbers is "
        f"{' '.join(str(index + 1) for index in stored)}"
    )
    return stored


def _numbers(indexes: Sequence[int]) -> str:
    numbers = [str(index + 1) for index in indexes]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
