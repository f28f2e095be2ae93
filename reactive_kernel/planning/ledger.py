"""The version ledger: which cell's version of each global name is in the namespace, and the earlier
versions kept so that they can be put back without re-running the cells that made them.

Memory policy (documented for users in docs/reactivity.md):

- When running a cell or restoring a version pushes a tracked version out of the namespace, the
  ledger keeps a reference to that object if some cell still reads that version (``is_read``).
- A kept version is released as soon as it may have changed in place: when a cell mutates the name
  (``x.append(1)``), or rebinds the name to the very same object (``x += [1]`` on a list).
- ``prune`` releases kept versions that no cell reads any more (after edits, deletions, plans).
- A version that is needed but was released is rebuilt by re-running the cell that produced it
  (the planner's "upstream re-run").

The ledger operates on a plain mapping (IPython's ``user_ns``) and imports nothing from IPython.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from typing import Final

from reactive_kernel.types import CellAnalysis, CellId


class _Absent:
    """The value of a version that removed its name (``del x``), or never bound it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Final = _Absent()

ReadCheck = Callable[[str, CellId], bool]
"""``is_read(name, producer)``: does some cell other than ``producer`` read that version?"""

Snapshot = dict[str, tuple[CellId, object]]


class VersionLedger:
    """Tracks the producer of each tracked name in ``namespace`` and keeps earlier versions.

    Responsibilities: answer the planner's questions (``current``, ``is_kept``), record what a cell
    run did (``snapshot`` before, ``record_run`` after), put versions back (``restore``), and remove
    the versions of deleted or changed definitions (``forget``).
    """

    def __init__(self, namespace: MutableMapping[str, object]) -> None:
        self._ns = namespace
        self._current: dict[str, CellId] = {}
        self._kept: dict[tuple[str, CellId], object] = {}

    # -- questions -------------------------------------------------------------------------------

    def current(self, name: str) -> CellId | None:
        return self._current.get(name)

    def is_kept(self, name: str, producer: CellId) -> bool:
        return (name, producer) in self._kept

    def available(self, name: str, producer: CellId) -> bool:
        """The version is in the namespace now, or can be put back."""
        return self._current.get(name) == producer or (name, producer) in self._kept

    def kept_versions(self) -> list[tuple[str, CellId]]:
        return sorted(self._kept)

    def tracked_names(self) -> list[str]:
        return sorted(self._current)

    # -- a cell run ------------------------------------------------------------------------------

    def snapshot(self, analysis: CellAnalysis) -> Snapshot:
        """Before a cell runs: the tracked versions it may push out of the namespace."""
        names = analysis.defines | analysis.deletes | analysis.mutates
        return {
            name: (self._current[name], self._ns.get(name, ABSENT))
            for name in names
            if name in self._current
        }

    def record_run(
        self, cell: CellId, analysis: CellAnalysis, before: Snapshot, is_read: ReadCheck
    ) -> None:
        """After ``cell`` ran: its versions are in the namespace; keep what it pushed out."""
        for name, (producer, old) in before.items():
            new = self._ns.get(name, ABSENT)
            changed_in_place = name in analysis.mutates or (new is old and old is not ABSENT)
            if changed_in_place:
                self._release_object(name, new)
            elif producer != cell and is_read(name, producer):
                self._kept.setdefault((name, producer), old)
        for name in analysis.versions:
            self._current[name] = cell
            self._kept.pop((name, cell), None)  # the namespace holds it now

    def record_untracked(self, names: Iterable[str]) -> None:
        """Code outside any known cell (a console line) rebound or changed these names.

        The namespace no longer holds any cell's version of them, and kept versions sharing the
        objects may have been changed in place.
        """
        for name in names:
            self._current.pop(name, None)
            self._release_object(name, self._ns.get(name, ABSENT))

    # -- restoring and forgetting ----------------------------------------------------------------

    def restore(self, name: str, producer: CellId) -> None:
        """Put the kept version ``(name, producer)`` back; keep the one it replaces."""
        value = self._kept[(name, producer)]
        displaced = self._current.get(name)
        if displaced is not None and displaced != producer:
            self._kept.setdefault((name, displaced), self._ns.get(name, ABSENT))
        if value is ABSENT:
            self._ns.pop(name, None)
        else:
            self._ns[name] = value
        self._current[name] = producer

    def forget(self, cell: CellId, names: Iterable[str]) -> list[str]:
        """Remove ``cell``'s versions of ``names`` from memory; returns the names deleted from the
        namespace (those whose current version was ``cell``'s)."""
        removed: list[str] = []
        for name in names:
            self._kept.pop((name, cell), None)
            if self._current.get(name) == cell:
                del self._current[name]
                if self._ns.pop(name, ABSENT) is not ABSENT:
                    removed.append(name)
        return sorted(removed)

    def forget_cell(self, cell: CellId) -> list[str]:
        """Remove every version ``cell`` produced (the cell was deleted)."""
        names = {name for name, producer in self._current.items() if producer == cell}
        names |= {name for name, producer in self._kept if producer == cell}
        return self.forget(cell, names)

    def prune(self, is_read: ReadCheck) -> int:
        """Release kept versions no cell reads any more; returns how many were released."""
        stale = [key for key in self._kept if not is_read(*key)]
        for key in stale:
            del self._kept[key]
        return len(stale)

    def clear(self) -> None:
        """Forget everything (the namespace was reset)."""
        self._current.clear()
        self._kept.clear()

    def _release_object(self, name: str, obj: object) -> None:
        """Kept versions of ``name`` that are the object ``obj`` may have changed: release them."""
        if obj is ABSENT:
            return
        for key in [k for k, v in self._kept.items() if k[0] == name and v is obj]:
            del self._kept[key]
