"""The execution order, kept up to date incrementally through one number per cell: its emit point.

REACTIVITY.md section 3 orders cells by a topological sort that always takes the ready cell first in
display order, with the cells of a cycle standing together at the place of their first cell. Picture
that sort as a pointer walking down the page: it runs each cell whose parents have all run, and
after each cell it runs every waiting cell that has just become ready. So every node (a cell, or a
whole cycle placed at its first cell) runs right after some *pointer cell*, its **emit point**:

    emit(node) = the lowest of {first cell of node} and {emit(p) for every parent p outside node}

("lowest" meaning furthest down the page). A node whose emit point is itself runs in display
position; any other node is *displaced* and runs in the cascade after its emit point, the cascade
ordered by the same tie-broken sort. Only displaced cells are stored, so a notebook whose references
all bind upward stores nothing and its order is its display order.

Emit points never decrease along an edge, which also bounds the cycle search in ``cycles.py``. After
an edge changes, only the emit points downstream of it that actually change are recomputed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from reactive_kernel.graph.algorithms import strongly_connected, tie_broken_sort
from reactive_kernel.graph.cycles import CycleRegistry, closing_path, split
from reactive_kernel.graph.position import DisplayOrder
from reactive_kernel.graph.topology import Topology
from reactive_kernel.types import CellId

Rank = tuple[int, int]
"""Sort key of a cell in the execution order: (key of its emit point, place in that cascade)."""


class Schedule:
    """Cycles and emit points of the notebook graph.

    Responsibilities: following single edge changes (``edge_added``, ``edge_removed``), a cold
    ``rebuild``, and turning emit points into the execution order. It reads the topology and the
    display keys, and changes neither.
    """

    def __init__(self, topology: Topology, key: Callable[[CellId], int]) -> None:
        self._topology = topology
        self._key = key
        self.cycles = CycleRegistry()
        self._emit: dict[CellId, CellId] = {}
        self._groups: dict[CellId, set[CellId]] = {}
        """Inverse of ``_emit``: the displaced cells of each emit point."""
        self._cascade: dict[CellId, list[CellId]] = {}
        self._dirty: set[CellId] = set()

    def rebuild(self, cells: Iterable[CellId]) -> None:
        """Compute cycles and emit points of the whole graph from scratch."""
        components = strongly_connected(cells, self._topology.children)
        self.cycles.clear()
        self.cycles.set_components((), components, self._key)
        self._emit.clear()
        self._groups.clear()
        self._cascade.clear()
        self._dirty.clear()
        for component in reversed(components):  # Tarjan lists sinks first; parents go first here
            self._settle(component[0])

    def emit(self, cell: CellId) -> CellId:
        """The pointer cell after which ``cell`` runs (itself when it runs in display position)."""
        return self._emit.get(cell, cell)

    def forget(self, cell: CellId) -> None:
        """Drop an isolated cell (all its edges already removed, so nothing is displaced by it)."""
        assert cell not in self._emit and not self._groups.get(cell)
        self._groups.pop(cell, None)
        self._dirty.add(cell)

    def edge_added(self, producer: CellId, reader: CellId) -> set[CellId]:
        """Follow a new edge (already in the topology). Returns the cells whose cycle changed."""
        self._touch((producer, reader))
        members = self.cycles.members(producer)
        if reader in members:
            return set()
        bound = self._key(self.emit(producer))
        if self._key(self.emit(reader)) <= bound:
            path = closing_path(
                producer,
                reader,
                self._topology.children,
                self._topology.parents,
                lambda cell: self._key(self.emit(cell)) <= bound,
            )
            if path:
                self._touch(path)
                self.cycles.set_components(path, [path], self._key)
                self._propagate(path)
                self._touch(path)
                return path
        self._propagate([reader])
        return set()

    def edge_removed(self, producer: CellId, reader: CellId) -> set[CellId]:
        """Follow a removed edge (already gone from the topology). Returns cells whose cycle
        changed."""
        self._touch((producer, reader))
        component = self.cycles.component(reader)
        if component is None or producer not in component:
            self._propagate([reader])
            return set()
        self.cycles.set_components(component, split(component, self._topology.children), self._key)
        self._propagate(component)
        self._touch(component)
        return set(component)

    def order(self, display: DisplayOrder) -> list[CellId]:
        """The execution order: display order, with each cascade after its emit point."""
        if not self._emit:
            return display.ids()
        cascades = self._cascades()
        ids = display.view()
        if len(self._emit) > len(ids) // 16:
            # Many displaced cells: one pass over the page beats a bisection per displaced cell.
            result: list[CellId] = []
            for cell in ids:
                if cell not in self._emit:
                    result.append(cell)
                    if cell in cascades:
                        result.extend(cascades[cell])
            return result
        events = sorted(
            [(display.index(cell), False, cell) for cell in self._emit]
            + [(display.index(trigger), True, trigger) for trigger in cascades]
        )
        result, start = [], 0
        for position, is_trigger, cell in events:
            if is_trigger:
                result.extend(ids[start : position + 1])
                result.extend(cascades[cell])
            else:
                result.extend(ids[start:position])
            start = position + 1
        result.extend(ids[start:])
        return result

    def ranks(self) -> dict[CellId, Rank]:
        """The rank of every displaced cell in the execution order (others rank ``(key, 0)``)."""
        ranks: dict[CellId, Rank] = {}
        for trigger, cells in self._cascades().items():
            trigger_key = self._key(trigger)
            for place, cell in enumerate(cells, start=1):
                ranks[cell] = (trigger_key, place)
        return ranks

    def _cascades(self) -> dict[CellId, list[CellId]]:
        """Per emit point, the cells displaced after it in the order they run.

        Cached per emit point; an edit recomputes only the cascades it marked dirty.
        """
        for trigger in self._dirty:
            cells = self._groups.get(trigger)
            if cells:
                self._cascade[trigger] = self._cascade_of(trigger, cells)
            else:
                self._cascade.pop(trigger, None)
        self._dirty.clear()
        return self._cascade

    def _cascade_of(self, trigger: CellId, cells: set[CellId]) -> list[CellId]:
        """The cells emitted right after ``trigger``: the rest of its own cycle, if it starts one,
        then the waiting nodes in tie-broken topological order."""
        tail = sorted((c for c in cells if self.cycles.members(c)[0] == trigger), key=self._key)
        nodes = {self.cycles.members(c)[0] for c in cells} - {trigger}
        for node in tie_broken_sort(nodes, self._node_parents, self._key):
            tail.extend(self.cycles.members(node))
        return tail

    def _touch(self, cells: Iterable[CellId]) -> None:
        """Mark the cascades holding ``cells`` for recomputation (their structure changed)."""
        for cell in cells:
            trigger = self._emit.get(cell)
            if trigger is not None:
                self._dirty.add(trigger)

    def _node_parents(self, node: CellId) -> set[CellId]:
        """Parents of a node (a cell or a cycle named by its first cell), as nodes."""
        members = self.cycles.members(node)
        return {
            self.cycles.members(parent)[0]
            for member in members
            for parent in self._topology.parents(member)
            if parent not in members
        }

    def _settle(self, cell: CellId) -> bool:
        """Recompute the emit point of ``cell``'s node from its parents; True if any member's
        changed."""
        members = self.cycles.members(cell)
        best = members[0]
        best_key = self._key(best)
        for member in members:
            for parent in self._topology.parents(member):
                if parent in members:
                    continue
                candidate = self._emit.get(parent, parent)
                candidate_key = self._key(candidate)
                if candidate_key > best_key:
                    best, best_key = candidate, candidate_key
        changed = False
        for member in members:
            old = self._emit.get(member, member)
            if old != best:
                changed = True
                if old != member:
                    self._groups[old].discard(member)
                    self._dirty.add(old)
                if member == best:
                    del self._emit[member]
                else:
                    self._emit[member] = best
                    self._groups.setdefault(best, set()).add(member)
                    self._dirty.add(best)
        return changed

    def _propagate(self, starts: Iterable[CellId]) -> None:
        """Settle ``starts`` and, while emit points change, their children (a worklist to fixpoint).

        Emit points are a max over parents on an acyclic graph of nodes, so the fixpoint is unique
        and the worklist reaches it whatever order it visits cells in.
        """
        queue = deque(starts)
        queued = set(queue)
        while queue:
            cell = queue.popleft()
            queued.discard(cell)
            if not self._settle(cell):
                continue
            members = self.cycles.members(cell)
            for member in members:
                for child in self._topology.children(member):
                    if child not in queued and child not in members:
                        queued.add(child)
                        queue.append(child)
