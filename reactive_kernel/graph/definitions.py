"""The definitions registry: per name, who produces versions of it, who defines it, who reads it.

REACTIVITY.md section 3 binds a reference to ``x`` in cell C to the nearest cell above C that
defines, mutates or deletes ``x``; with none above, to the single cell below that *defines* ``x``
(several: ``ambiguous``). Builtin names bind upward only. Three lists per name, each sorted by
display key, answer that with a bisection: ``versions`` (defines, mutates or deletes), ``definers``
(defines) and ``readers`` (references, builtin or not). The readers list also tells an edit which
other cells' bindings it can change, so that an edit costs the cells near it, not the notebook.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator

from reactive_kernel.types import CellAnalysis, CellId

Resolution = tuple[CellId | None, tuple[CellId, ...]]
"""Where one reference binds: ``(producer, ())``, ``(None, ())`` for nowhere, ``(None, candidates)``
when several cells below define the name and none above (ambiguous)."""

NOWHERE: Resolution = (None, ())


class DefinitionRegistry:
    """Per-name sorted lists of version producers, definers and readers.

    Responsibilities: registering and unregistering a cell's names, resolving one reference, and
    naming the (reader, name) pairs whose resolution a cell's arrival or departure can change.
    """

    def __init__(self, key: Callable[[CellId], int]) -> None:
        self._keyof = key
        self._versions: dict[str, list[CellId]] = {}
        self._definers: dict[str, list[CellId]] = {}
        self._readers: dict[str, list[CellId]] = {}

    def clear(self) -> None:
        self._versions.clear()
        self._definers.clear()
        self._readers.clear()

    def add(self, cell: CellId, analysis: CellAnalysis) -> None:
        """Register the cell's names (its display key must already be set)."""
        for name in analysis.versions:
            insort(self._versions.setdefault(name, []), cell, key=self._keyof)
        for name in analysis.defines:
            insort(self._definers.setdefault(name, []), cell, key=self._keyof)
        for name in analysis.references | analysis.builtin_references:
            insort(self._readers.setdefault(name, []), cell, key=self._keyof)

    def append(self, cell: CellId, analysis: CellAnalysis) -> None:
        """Register a cell known to be below every registered cell (cold build in display order)."""
        for name in analysis.versions:
            self._versions.setdefault(name, []).append(cell)
        for name in analysis.defines:
            self._definers.setdefault(name, []).append(cell)
        for name in analysis.references | analysis.builtin_references:
            self._readers.setdefault(name, []).append(cell)

    def remove(self, cell: CellId, analysis: CellAnalysis) -> None:
        """Unregister the cell's names (call while its display key is still set)."""
        for table, names in (
            (self._versions, analysis.versions),
            (self._definers, analysis.defines),
            (self._readers, analysis.references | analysis.builtin_references),
        ):
            for name in names:
                cells = table[name]
                del cells[bisect_left(cells, self._keyof(cell), key=self._keyof)]
                if not cells:
                    del table[name]

    def versions(self, name: str) -> list[CellId]:
        """Cells that define, mutate or delete ``name``, in display order."""
        return list(self._versions.get(name, ()))

    def resolve(self, cell: CellId, name: str, builtin: bool) -> Resolution:
        """Where ``cell``'s reference to ``name`` binds (never to ``cell`` itself)."""
        key = self._keyof(cell)
        versions = self._versions.get(name)
        if versions:
            above = bisect_left(versions, key, key=self._keyof)
            if above:
                return versions[above - 1], ()
        if builtin:
            return NOWHERE
        definers = self._definers.get(name)
        if not definers:
            return NOWHERE
        below = definers[bisect_right(definers, key, key=self._keyof) :]
        if len(below) == 1:
            return below[0], ()
        return (None, tuple(below)) if below else NOWHERE

    def affected_readers(
        self, cell: CellId, analysis: CellAnalysis
    ) -> Iterator[tuple[CellId, str]]:
        """The (reader, name) pairs whose resolution changes when ``cell`` gains or loses
        ``analysis``.

        Call it while the registry holds every other cell but not ``cell`` itself. For a name the
        cell produces a version of, the readers between it and the next version below can switch
        to or from it; and when it *defines* the name, so can the readers above every version (they
        bind below, where the cell is a candidate). Nothing else can change: edits stay local.
        """
        key = self._keyof(cell)
        for name in analysis.versions:
            readers = self._readers.get(name)
            if not readers:
                continue
            versions = self._versions.get(name, [])
            after = bisect_right(versions, key, key=self._keyof)
            end = self._keyof(versions[after]) if after < len(versions) else None
            start = bisect_right(readers, key, key=self._keyof)
            if name in analysis.defines:
                first = self._keyof(versions[0]) if versions else None
                start = 0
                if first is not None and first < key:
                    # Readers after the first version (its own cell excepted) and above this cell
                    # bind to a version above them: unaffected.
                    stop = bisect_right(readers, first, key=self._keyof)
                    yield from ((r, name) for r in readers[:stop] if r != cell)
                    start = bisect_right(readers, key, key=self._keyof)
            # The next version's own cell may read the name too: it binds above itself, so it is in.
            stop = len(readers) if end is None else bisect_right(readers, end, key=self._keyof)
            yield from ((r, name) for r in readers[start:stop] if r != cell)
