"""What an edit changed: the ``ChangeSet`` it returns, and the tracker that works it out.

An edit may rebind a cell twice (a moved cell leaves, then arrives) or make and break the same
cycle, so the tracker keeps each touched cell's state from before its first change and, at the end,
reports only the cells whose state really differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reactive_kernel.types import CellId

State = tuple[object, ...]


@dataclass(frozen=True)
class ChangeSet:
    """The cells an edit changed.

    ``cells``: cells whose source, bindings (hence parents) or graph errors changed, including the
    edited, inserted or removed cell. ``removed``: cells no longer in the notebook.
    """

    cells: frozenset[CellId]
    removed: frozenset[CellId] = frozenset()


class ChangeTracker:
    """Collects the before-state of each cell an edit touches; ``finish`` compares with the
    after-state."""

    def __init__(self, state: Callable[[CellId], State]) -> None:
        self._state = state
        self._before: dict[CellId, State] = {}
        self.edited: set[CellId] = set()
        self.removed: set[CellId] = set()

    def touch(self, cell: CellId) -> None:
        """Remember ``cell``'s state unless it was already remembered in this edit."""
        if cell not in self._before:
            self._before[cell] = self._state(cell)

    def finish(
        self,
        cycles: dict[CellId, tuple[CellId, ...] | None],
        component: Callable[[CellId], tuple[CellId, ...] | None],
        exists: Callable[[CellId], bool],
    ) -> ChangeSet:
        """The change set. ``cycles`` maps each cell whose cycle changed to its cycle before the
        edit (the cycle journal); ``component`` gives a cell's cycle now."""
        changed = set(self.edited) | self.removed
        for cell, before in self._before.items():
            if cell not in changed and exists(cell) and self._state(cell) != before:
                changed.add(cell)
        for cell, before_cycle in cycles.items():
            if cell not in changed and exists(cell) and component(cell) != before_cycle:
                changed.add(cell)
        for cell in [c for c in changed if c in self._before and exists(c)]:
            self._spread_cycle_links(cell, cycles, component, changed)
        removed = frozenset(cell for cell in self.removed if not exists(cell))
        return ChangeSet(cells=frozenset(changed), removed=removed)

    def _spread_cycle_links(
        self,
        cell: CellId,
        cycles: dict[CellId, tuple[CellId, ...] | None],
        component: Callable[[CellId], tuple[CellId, ...] | None],
        changed: set[CellId],
    ) -> None:
        """A cycle's error names the links between all its members: when ``cell`` changed which
        names it reads from its cycle, every member's error changed."""
        members = component(cell)
        if not members:
            return
        before_members = cycles.get(cell, members)
        before, after = self._before[cell][0], self._state(cell)[0]
        if _links(before, before_members) != _links(after, members):
            changed.update(members)


def _links(bound: object, members: tuple[CellId, ...] | None) -> dict[str, object]:
    """The names a cell reads from the other members of its cycle (``bound``: name -> producer)."""
    if not isinstance(bound, dict) or not members:
        return {}
    return {name: producer for name, producer in bound.items() if producer in members}
