"""``NotebookGraph``: the notebook's dependency graph, updated incrementally as cells are edited.

A thin coordinator over the specialists: ``DisplayOrder`` (positions), ``DefinitionRegistry`` (which
cell each reference binds to), ``Topology`` (edges), and ``Schedule`` (cycles and execution order).
Every edit is "detach the cell" and/or "attach the cell": the registry names the few other cells
whose bindings that can change, only those are re-resolved, and only the edges that really change
are passed on to the schedule one at a time. So an edit costs the edited cell's names and
neighbours, not the notebook's size. ``reset`` builds everything from scratch with separate,
whole-graph algorithms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from reactive_kernel.graph.change import ChangeSet, ChangeTracker, State
from reactive_kernel.graph.definitions import DefinitionRegistry
from reactive_kernel.graph.messages import (
    Labeller,
    ambiguous_error,
    cycle_error,
    default_label,
    own_errors,
)
from reactive_kernel.graph.position import DisplayOrder
from reactive_kernel.graph.schedule import Rank, Schedule
from reactive_kernel.graph.topology import Topology
from reactive_kernel.types import Binding, CellAnalysis, CellId, GraphError

Analyze = Callable[[str], CellAnalysis]
Bound = dict[str, CellId | None]
Ambiguous = dict[str, tuple[CellId, ...]]

_NO_AMBIGUITY: Ambiguous = {}


def _default_analyze(source: str) -> CellAnalysis:
    """The project's cell analysis, imported on first use (the analysis layer is built
    separately)."""
    from reactive_kernel.analysis import analyze_cell  # type: ignore[attr-defined,unused-ignore]

    result: CellAnalysis = analyze_cell(source)
    return result


class NotebookGraph:
    """The notebook's code cells, what each binds to, its graph errors, and the execution order.

    Responsibilities: applying edits (``reset``, ``insert``, ``update``, ``remove``, ``move``), each
    returning the ``ChangeSet`` of cells it changed, and answering queries. The execution order is
    computed on demand from the schedule's emit points and cached until the next edit.
    """

    def __init__(self, analyze: Analyze | None = None, label: Labeller | None = None) -> None:
        self._analyze = analyze or _default_analyze
        self._label = label or default_label  # names cells in error messages
        self._display = DisplayOrder()
        self._registry = DefinitionRegistry(self._display.key)
        self._topology = Topology()
        self._schedule = Schedule(self._topology, self._display.key)
        self._sources: dict[CellId, str] = {}
        self._analyses: dict[CellId, CellAnalysis] = {}
        self._bound: dict[CellId, Bound] = {}
        self._ambiguous: dict[CellId, Ambiguous] = {}
        self._order: list[CellId] | None = None
        self._ranks: dict[CellId, Rank] | None = None
        self._tracker: ChangeTracker | None = None
        self._version = 0

    # --- edits ---------------------------------------------------------------------------------

    def reset(self, cells: Sequence[tuple[CellId, str]]) -> ChangeSet:
        """Replace the whole notebook; the list order is the display order."""
        previous = set(self._sources)
        analyses = {cell: self._analyze(source) for cell, source in cells}
        ids = [cell for cell, _ in cells]
        self._display.reset(ids)
        self._sources = dict(cells)
        self._analyses = analyses
        self._registry.clear()
        self._topology.clear()
        for cell in ids:
            self._registry.append(cell, analyses[cell])
            self._topology.add_node(cell)
        self._bound, self._ambiguous = {}, {}
        for cell in ids:
            self._bound[cell] = {}
            self._resolve(cell, self._reference_names(cell))
            for producer in self._parent_set(cell):
                self._topology.add_edge(producer, cell)
        self._schedule.rebuild(ids)
        self._order = self._ranks = None
        self._version += 1
        return ChangeSet(cells=frozenset(ids) | previous, removed=frozenset(previous - set(ids)))

    def insert(self, cell_id: CellId, source: str, index: int) -> ChangeSet:
        """Add a new cell at display position ``index`` (0..len)."""
        if cell_id in self._sources:
            raise ValueError(f"cell {cell_id} is already in the notebook")
        with_tracker = self._begin(cell_id)
        self._attach(cell_id, source, self._analyze(source), index)
        return self._finish(with_tracker)

    def update(self, cell_id: CellId, source: str) -> ChangeSet:
        """Give an existing cell new source."""
        analysis = self._analyze(source)
        tracker = self._begin(cell_id)
        index = self._display.index(cell_id)
        self._detach(cell_id)
        self._attach(cell_id, source, analysis, index)
        return self._finish(tracker)

    def remove(self, cell_id: CellId) -> ChangeSet:
        """Delete a cell."""
        tracker = self._begin(cell_id)
        tracker.removed.add(cell_id)
        self._detach(cell_id)
        return self._finish(tracker)

    def move(self, cell_id: CellId, index: int) -> ChangeSet:
        """Move a cell so that it ends at display position ``index``."""
        source, analysis = self._sources[cell_id], self._analyses[cell_id]
        tracker = self._begin(cell_id)
        self._detach(cell_id)
        self._attach(cell_id, source, analysis, index)
        return self._finish(tracker)

    # --- queries -------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """A counter that grows with every edit: anything computed from the graph stays valid
        while it is unchanged (the planner caches which cells graph errors block by it)."""
        return self._version

    def __contains__(self, cell_id: object) -> bool:
        return cell_id in self._sources

    def __len__(self) -> int:
        return len(self._sources)

    def cell_ids(self) -> list[CellId]:
        """The cells in display order."""
        return self._display.ids()

    def index(self, cell_id: CellId) -> int:
        """The cell's display position."""
        return self._display.index(cell_id)

    def source(self, cell_id: CellId) -> str:
        return self._sources[cell_id]

    def analysis(self, cell_id: CellId) -> CellAnalysis:
        return self._analyses[cell_id]

    def bindings(self, cell_id: CellId) -> tuple[Binding, ...]:
        """One binding per referenced name, sorted by name; builtins only when they bind to a
        cell."""
        references = self._analyses[cell_id].references
        bound = self._bound[cell_id]
        return tuple(
            Binding(name, bound[name])
            for name in sorted(bound)
            if name in references or bound[name] is not None
        )

    def producer(self, cell_id: CellId, name: str) -> CellId | None:
        """The cell whose version of ``name`` this cell reads (None: nowhere, builtin or
        ambiguous)."""
        return self._bound[cell_id].get(name)

    def parents(self, cell_id: CellId) -> frozenset[CellId]:
        return self._topology.parents(cell_id)

    def children(self, cell_id: CellId) -> frozenset[CellId]:
        return frozenset(self._topology.children(cell_id))

    def errors(self, cell_id: CellId) -> tuple[GraphError, ...]:
        """The cell's own errors (syntax, star-import), then ``ambiguous``, then ``cycle``."""
        errors = own_errors(self._analyses[cell_id])
        ambiguous = self._ambiguous.get(cell_id)
        if ambiguous:
            errors.append(ambiguous_error(cell_id, ambiguous, self._label))
        members = self._schedule.cycles.component(cell_id)
        if members is not None:
            inner = {
                member: {
                    name: producer
                    for name, producer in self._bound[member].items()
                    if producer is not None and producer in members
                }
                for member in members
            }
            errors.append(cycle_error(cell_id, members, inner, self._label))
        return tuple(errors)

    def has_errors(self, cell_id: CellId) -> bool:
        return (
            bool(own_errors(self._analyses[cell_id]))
            or bool(self._ambiguous.get(cell_id))
            or cell_id in self._schedule.cycles
        )

    def order(self) -> list[CellId]:
        """The execution order: topological, ties by display order, cycles at their first cell."""
        if self._order is None:
            self._order = self._schedule.order(self._display)
        return list(self._order)

    def descendants(self, cell_ids: Iterable[CellId]) -> set[CellId]:
        """Cells downstream of ``cell_ids`` (a given cell only if downstream of another)."""
        return self._topology.descendants(cell_ids)

    def ancestors(self, cell_ids: Iterable[CellId]) -> set[CellId]:
        """Cells upstream of ``cell_ids`` (a given cell only if upstream of another)."""
        return self._topology.ancestors(cell_ids)

    def sort(self, cell_ids: Iterable[CellId]) -> list[CellId]:
        """The given cells in execution order (O(k log k), no walk over the notebook)."""
        if self._ranks is None:
            self._ranks = self._schedule.ranks()
        ranks = self._ranks
        key = self._display.key
        return sorted(set(cell_ids), key=lambda cell: ranks.get(cell) or (key(cell), 0))

    def definers(self, name: str) -> list[CellId]:
        """Cells that define, mutate or delete ``name``, in display order."""
        return self._registry.versions(name)

    # --- internals -----------------------------------------------------------------------------

    def _state(self, cell: CellId) -> State:
        """What a change set compares: the cell's bindings and ambiguities."""
        return (self._bound.get(cell), self._ambiguous.get(cell, _NO_AMBIGUITY))

    def _begin(self, cell: CellId) -> ChangeTracker:
        tracker = ChangeTracker(self._state)
        tracker.edited.add(cell)
        if cell in self._sources:
            tracker.touch(cell)
        self._tracker = tracker
        self._schedule.cycles.journal = {}
        self._order = self._ranks = None
        self._version += 1
        return tracker

    def _finish(self, tracker: ChangeTracker) -> ChangeSet:
        journal = self._schedule.cycles.journal or {}
        self._schedule.cycles.journal = None
        self._tracker = None
        self._version += 1  # again: nothing read mid-edit stays cached
        return tracker.finish(journal, self._schedule.cycles.component, self._sources.__contains__)

    def _reference_names(self, cell: CellId) -> set[str]:
        analysis = self._analyses[cell]
        return set(analysis.references | analysis.builtin_references)

    def _parent_set(self, cell: CellId) -> set[CellId]:
        return {producer for producer in self._bound[cell].values() if producer is not None}

    def _resolve(self, cell: CellId, names: Iterable[str]) -> None:
        """Re-resolve some of ``cell``'s references into fresh binding records (edges untouched)."""
        references = self._analyses[cell].references
        bound = dict(self._bound[cell])
        ambiguous = dict(self._ambiguous.get(cell, _NO_AMBIGUITY))
        for name in names:
            producer, candidates = self._registry.resolve(cell, name, name not in references)
            bound[name] = producer
            if candidates:
                ambiguous[name] = candidates
            else:
                ambiguous.pop(name, None)
        self._bound[cell] = bound
        if ambiguous:
            self._ambiguous[cell] = ambiguous
        else:
            self._ambiguous.pop(cell, None)

    def _affected(self, cell: CellId, analysis: CellAnalysis) -> dict[CellId, set[str]]:
        """Other cells' references that ``cell`` arriving or leaving can rebind, by reader."""
        pending: dict[CellId, set[str]] = {}
        for reader, name in self._registry.affected_readers(cell, analysis):
            pending.setdefault(reader, set()).add(name)
        return pending

    def _rebind(self, pending: dict[CellId, set[str]]) -> None:
        """Re-resolve ``pending`` references, then apply the edge changes: removals, then additions.

        Edges go to the schedule one at a time, removals first, so that its cycle search always sees
        a graph whose emit points are settled.
        """
        assert self._tracker is not None
        removed: list[tuple[CellId, CellId]] = []
        added: list[tuple[CellId, CellId]] = []
        for reader, names in pending.items():
            self._tracker.touch(reader)
            self._resolve(reader, names)
            old, new = self._topology.parents(reader), self._parent_set(reader)
            removed.extend((producer, reader) for producer in old - new)
            added.extend((producer, reader) for producer in new - old)
        for producer, reader in removed:
            self._topology.remove_edge(producer, reader)
            self._schedule.edge_removed(producer, reader)
        for producer, reader in added:
            self._topology.add_edge(producer, reader)
            self._schedule.edge_added(producer, reader)

    def _detach(self, cell: CellId) -> None:
        """Take a cell out of the graph: its readers rebind elsewhere and it loses every edge."""
        analysis = self._analyses[cell]
        self._registry.remove(cell, analysis)
        pending = self._affected(cell, analysis)
        self._bound[cell] = {}
        self._ambiguous.pop(cell, None)
        pending[cell] = set()  # no references any more: drops the cell's parent edges
        self._rebind(pending)
        self._schedule.forget(cell)
        self._topology.remove_node(cell)
        self._display.remove(cell)
        del self._sources[cell], self._analyses[cell], self._bound[cell]

    def _attach(self, cell: CellId, source: str, analysis: CellAnalysis, index: int) -> None:
        """Put a cell into the graph at ``index``: resolve it and rebind the readers it captures."""
        self._display.insert(cell, index)
        self._topology.add_node(cell)
        self._sources[cell] = source
        self._analyses[cell] = analysis
        self._bound[cell] = {}
        pending = self._affected(cell, analysis)
        self._registry.add(cell, analysis)
        pending[cell] = self._reference_names(cell)
        self._rebind(pending)
