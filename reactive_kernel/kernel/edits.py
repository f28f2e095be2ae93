"""Applying a batch of cell edits from the front end: all of it, or (when any part is wrong) none.

The schema has already checked each change's shape; here the batch is checked against the notebook
by replaying it over the list of cell ids (markdown and raw cells included, as the front end counts
indexes over the whole notebook): ids that must exist do, new ids are new, indexes are in range.
"""

from __future__ import annotations

from collections.abc import Sequence

from reactive_kernel.kernel.session import ReactiveSession
from reactive_kernel.protocol import (
    Change,
    DeleteChange,
    ErrorCode,
    InsertChange,
    MoveChange,
    UpdateChange,
)


class EditError(ValueError):
    """A batch that does not fit the notebook; ``code`` is the protocol's error code."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code


def check_edits(layout: Sequence[str], changes: Sequence[Change]) -> None:
    """Replay ``changes`` over a copy of ``layout``; raise EditError at the first misfit."""
    ids = list(layout)
    for number, change in enumerate(changes):
        where = f"changes[{number}] ({change.op})"
        if isinstance(change, InsertChange):
            new_id = change.cell.id
            if new_id in ids:
                raise EditError("invalid_change", f"{where}: a cell with id {new_id!r} exists")
            _check_index(where, change.index, len(ids) + 1)
            ids.insert(change.index, new_id)
            continue
        if change.id not in ids:
            raise EditError("unknown_cell", f"{where}: no cell with id {change.id!r}")
        if isinstance(change, DeleteChange):
            ids.remove(change.id)
        elif isinstance(change, MoveChange):
            _check_index(where, change.index, len(ids))
            ids.remove(change.id)
            ids.insert(change.index, change.id)


def apply_edits(session: ReactiveSession, changes: Sequence[Change]) -> None:
    """Check the whole batch, then apply it in order."""
    check_edits(session.layout, changes)
    for change in changes:
        if isinstance(change, InsertChange):
            session.insert(change.cell.id, change.cell.source, change.index, change.cell.kind)
        elif isinstance(change, UpdateChange):
            session.update(change.id, change.source)
        elif isinstance(change, DeleteChange):
            session.delete(change.id)
        elif isinstance(change, MoveChange):
            session.move(change.id, change.index)


def _check_index(where: str, index: int, size: int) -> None:
    if index >= size:
        raise EditError(
            "invalid_change", f"{where}: index {index} is out of range (0 to {size - 1})"
        )
