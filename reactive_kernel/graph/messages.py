"""Graph error records with messages that name the cells and variables involved.

Cells are named in the text by a ``Labeller``, a callable from a cell id to what a user calls the
cell. The graph does not know how the front end numbers cells, so the kernel passes its own (the
session's ``label``: "cell [3] (y = x + 1)"); without one, cells are named ``cell <id>``. The
structured ``cells`` and ``names`` fields let a UI render its own labels, such as "cell [3]".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reactive_kernel.types import CellAnalysis, CellId, GraphError

Labeller = Callable[[CellId], str]
"""Names a cell for users, lower case, as in "cell [3] (y = x + 1)"."""


def default_label(cell: CellId) -> str:
    """The label when nobody gives a better one: the cell's id."""
    return f"cell {cell}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _cells(cells: Sequence[CellId], label: Labeller) -> str:
    """``a``, ``a and b``, ``a, b and c``, each cell by its label."""
    labels = [label(cell) for cell in cells]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def own_errors(analysis: CellAnalysis) -> list[GraphError]:
    """The cell's errors on its own (``syntax``, ``star-import``), as the analysis found them."""
    return [
        GraphError(kind=d.kind, message=d.message, line=d.line, column=d.column)
        for d in analysis.errors
        if d.kind != "warning"
    ]


def ambiguous_error(
    cell: CellId,
    candidates: Mapping[str, tuple[CellId, ...]],
    label: Labeller = default_label,
) -> GraphError:
    """One ``ambiguous`` error for all of a cell's names that several cells below define.

    ``candidates`` maps each such name to its definers below, in display order. The ``cells`` field
    lists them name by name (sorted names), each cell once, so it depends on nothing else.
    ``label`` names cells in the message.
    """
    names = sorted(candidates)
    involved = tuple(dict.fromkeys(c for name in names for c in candidates[name]))
    parts = [f"`{name}` is defined by {_cells(candidates[name], label)}" for name in names]
    own = label(cell)
    message = (
        f"{_capitalised(own)} reads {_names(names)}, which no cell above it defines, and several "
        f"cells below define: {'; '.join(parts)}. It is unclear which version to read. Define "
        f"{'it' if len(names) == 1 else 'each'} in a cell above {own}, or in only one cell "
        "below it."
    )
    return GraphError(kind="ambiguous", message=message, cells=involved, names=tuple(names))


def cycle_error(
    cell: CellId,
    members: Sequence[CellId],
    inner: Mapping[CellId, Mapping[str, CellId]],
    label: Labeller = default_label,
) -> GraphError:
    """The ``cycle`` error of ``cell``, one of ``members`` (a cycle, in display order).

    ``inner`` gives, per member, the names it reads from other members and where they bind.
    ``label`` names cells in the message.
    """
    links: list[str] = []
    names: set[str] = set()
    for member in members:
        reads: dict[CellId, list[str]] = {}
        for name, producer in sorted(inner[member].items()):
            reads.setdefault(producer, []).append(name)
            names.add(name)
        links.extend(
            f"{label(member)} reads {_names(reads[producer])} from {label(producer)}"
            for producer in members
            if producer in reads
        )
    others = [m for m in members if m != cell]
    message = (
        f"{_capitalised(label(cell))} is on a dependency cycle with {_cells(others, label)}: "
        f"{'; '.join(links)}. Cells on a cycle cannot run. A cycle closes through a reference to "
        "a cell below; define the name above the cells that read it, or rename one of the "
        "variables."
    )
    return GraphError(
        kind="cycle",
        message=message,
        cells=tuple(others),
        names=tuple(sorted(names)),
    )
