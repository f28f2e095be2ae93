"""The state of every code cell as the user sees it, with the reason shown in a tooltip.

Graph errors and what they block are not stored here: they follow from the graph and are worked out
when states are reported (see ``ReactiveSession.state_of``). This book holds what running cells
decided: fresh, stale, error, blocked by a failed ancestor, and the transient queued and running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reactive_kernel.types import CellId, CellState


@dataclass(frozen=True, slots=True)
class StateDetail:
    """A cell's state and why: ``cells`` and ``names`` are the cells and variables involved."""

    state: CellState
    reason: str = ""
    cells: tuple[CellId, ...] = ()
    names: tuple[str, ...] = ()


NEVER_RAN = StateDetail("stale", "has not run in this kernel yet")


class CellStates:
    """Run-time states of cells, by id. A cell the book does not know has never run: stale."""

    def __init__(self) -> None:
        self._details: dict[CellId, StateDetail] = {}

    def get(self, cell: CellId) -> StateDetail:
        return self._details.get(cell, NEVER_RAN)

    def needs_run(self, cell_id: CellId) -> bool:
        """A cell whose results do not match its code and that is not about to run already."""
        return self.get(cell_id).state in ("stale", "error", "blocked")

    def set(
        self,
        cells: CellId | Iterable[CellId],
        state: CellState,
        reason: str = "",
        involved: Iterable[CellId] = (),
        names: Iterable[str] = (),
    ) -> None:
        detail = StateDetail(state, reason, tuple(involved), tuple(sorted(names)))
        for cell in [cells] if isinstance(cells, str) else cells:
            self._details[CellId(cell)] = detail

    def mark_stale(
        self, cells: Iterable[CellId], reason: str, involved: Iterable[CellId] = ()
    ) -> list[CellId]:
        """Mark cells stale unless they already need a run; returns those that changed."""
        changed = [c for c in cells if self.get(c).state == "fresh"]
        self.set(changed, "stale", reason, involved)
        return changed

    def forget(self, cell: CellId) -> None:
        self._details.pop(cell, None)

    def clear(self) -> None:
        """Every cell is stale again (the kernel restarted, or the namespace was reset)."""
        self._details.clear()
