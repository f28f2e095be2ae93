"""Graph error records with messages that name the cells and variables involved.

Cells are named by id in the text (the graph does not know how the front end numbers them); the
structured ``cells`` and ``names`` fields let a UI render its own labels, such as "cell [3]".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reactive_kernel.types import CellAnalysis, CellId, GraphError


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _cells(cells: Sequence[CellId]) -> str:
    return ", ".join(str(cell) for cell in cells)


def own_errors(analysis: CellAnalysis) -> list[GraphError]:
    """The cell's errors on its own (``syntax``, ``star-import``), as the analysis found them."""
    return [
        GraphError(kind=d.kind, message=d.message, line=d.line, column=d.column)
        for d in analysis.errors
        if d.kind != "warning"
    ]


def ambiguous_error(cell: CellId, candidates: Mapping[str, tuple[CellId, ...]]) -> GraphError:
    """One ``ambiguous`` error for all of a cell's names that several cells below define.

    ``candidates`` maps each such name to its definers below, in display order. The ``cells`` field
    lists them name by name (sorted names), each cell once, so it depends on nothing else.
    """
    names = sorted(candidates)
    involved = tuple(dict.fromkeys(c for name in names for c in candidates[name]))
    parts = [f"`{name}` is defined by cells {_cells(candidates[name])}" for name in names]
    message = (
        f"Cell {cell} reads {_names(names)}, which no cell above it defines, and several cells "
        f"below define: {'; '.join(parts)}. It is unclear which version to read. Define "
        f"{'it' if len(names) == 1 else 'each'} in a cell above {cell}, or in only one cell "
        "below it."
    )
    return GraphError(kind="ambiguous", message=message, cells=involved, names=tuple(names))


def cycle_error(
    cell: CellId, members: Sequence[CellId], inner: Mapping[CellId, Mapping[str, CellId]]
) -> GraphError:
    """The ``cycle`` error of ``cell``, one of ``members`` (a cycle, in display order).

    ``inner`` gives, per member, the names it reads from other members and where they bind.
    """
    links: list[str] = []
    names: set[str] = set()
    for member in members:
        reads: dict[CellId, list[str]] = {}
        for name, producer in sorted(inner[member].items()):
            reads.setdefault(producer, []).append(name)
            names.add(name)
        links.extend(
            f"{member} reads {_names(reads[producer])} from {producer}"
            for producer in sorted(reads)
        )
    message = (
        f"Cell {cell} is on a dependency cycle with cells "
        f"{_cells([m for m in members if m != cell])}: {'; '.join(links)}. Cells on a cycle cannot "
        "run. A cycle closes through a reference to a cell below; define the name above the cells "
        "that read it, or rename one of the variables."
    )
    return GraphError(
        kind="cycle",
        message=message,
        cells=tuple(m for m in members if m != cell),
        names=tuple(sorted(names)),
    )
