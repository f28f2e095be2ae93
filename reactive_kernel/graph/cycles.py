"""Cycles: which cells lie on a dependency cycle, kept up to date one edge at a time.

A cycle is a strongly connected component of more than one cell (a cell never binds to itself).
Removing an edge can only split the component holding both ends, so only that component is
re-examined. Adding an edge ``u -> v`` closes a cycle only if ``v`` already reaches ``u``; the
search is pruned by the schedule's emit keys, which never decrease along an edge (see
``schedule.py``), so in the usual notebook, where references bind upward, no search happens at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reactive_kernel.graph.algorithms import Successors, reachable, strongly_connected
from reactive_kernel.types import CellId


class CycleRegistry:
    """The notebook's cycles: for each cell on one, the cells of its component in display order.

    Responsibilities: membership queries and replacing components; no graph search of its own.
    """

    def __init__(self) -> None:
        self._component: dict[CellId, tuple[CellId, ...]] = {}
        self.journal: dict[CellId, tuple[CellId, ...] | None] | None = None
        """When set, the component each changed cell had before its first change (edit tracking)."""

    def clear(self) -> None:
        self._component.clear()

    def members(self, cell: CellId) -> tuple[CellId, ...]:
        """The cells of ``cell``'s component in display order (just ``(cell,)`` off any cycle)."""
        return self._component.get(cell, (cell,))

    def component(self, cell: CellId) -> tuple[CellId, ...] | None:
        """The cycle ``cell`` is on, or None."""
        return self._component.get(cell)

    def __contains__(self, cell: object) -> bool:
        return cell in self._component

    def set_components(
        self,
        old: Iterable[CellId],
        components: Iterable[Iterable[CellId]],
        key: Callable[[CellId], int],
    ) -> None:
        """Forget the components of the ``old`` cells and record ``components`` (size > 1 only)."""
        journal = self.journal
        for cell in old:
            previous = self._component.pop(cell, None)
            if journal is not None and cell not in journal:
                journal[cell] = previous
        for component in components:
            cells = tuple(sorted(component, key=key))
            if len(cells) > 1:
                for cell in cells:
                    if journal is not None and cell not in journal:
                        journal[cell] = self._component.get(cell)
                    self._component[cell] = cells


def closing_path(
    producer: CellId,
    reader: CellId,
    children: Successors,
    parents: Successors,
    allowed: Callable[[CellId], bool],
) -> set[CellId]:
    """The cells on paths ``reader ->* producer``: with the edge ``producer -> reader`` they form a
    cycle. Empty when there is no such path. ``allowed`` prunes cells that cannot be on one."""
    forward = reachable([reader], children, allowed)
    forward.add(reader)
    if producer not in forward:
        return set()
    backward = reachable([producer], parents, forward.__contains__)
    backward.add(producer)
    return backward


def split(cells: Iterable[CellId], children: Successors) -> list[list[CellId]]:
    """The components the subgraph on ``cells`` falls into (after an edge inside it was removed)."""
    return strongly_connected(cells, children)
