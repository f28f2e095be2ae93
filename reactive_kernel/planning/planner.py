"""Run planning (REACTIVITY.md section 4): which cells run, in what order, and why.

A plan is computed in full before anything runs. For the cells the user asked to run it adds:

- stale ancestors (lazy mode left them stale, or an earlier run failed), which run first;
- upstream re-runs: a cell reads a version that is no longer in memory and cannot be put back (its
  object was mutated since, or was released), so the cell that produced it runs again;
- in eager mode, every descendant of the cells that run; in lazy mode those are only marked stale.

Cells with a graph error, and cells downstream of one, never run: the plan lists them as blocked.

Which versions can be put back is decided by simulating the plan over the version ledger:
walking the cells in execution order, every version a cell reads must be the one in memory at
that point, or one the ledger keeps. When neither holds, the producer joins the plan and the walk
starts again. The plan only grows, so this ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from reactive_kernel.planning.views import GraphView, StateView, VersionView
from reactive_kernel.types import CellId

Mode = Literal["eager", "lazy"]
Trigger = Literal["run", "run_stale", "run_all", "upstream", "widget", "file", "delete"]
StepReason = Literal["requested", "stale-ancestor", "upstream", "downstream"]


@dataclass(frozen=True, slots=True)
class Blocked:
    """Why a cell in a plan's reach cannot run: ``culprit`` has a graph error (maybe itself)."""

    cell: CellId
    culprit: CellId


@dataclass(frozen=True, slots=True)
class RunPlan:
    """An ordered list of cells to run and what the plan decided about the cells around them."""

    cells: tuple[CellId, ...]
    reasons: dict[CellId, StepReason] = field(default_factory=dict)
    blocked: tuple[Blocked, ...] = ()
    stale: frozenset[CellId] = frozenset()
    trigger: Trigger = "run"

    def before(self, cell: CellId) -> tuple[CellId, ...]:
        """The cells that run before ``cell`` in this plan (all of them if it is not in it)."""
        if cell not in self.cells:
            return self.cells
        return self.cells[: self.cells.index(cell)]

    def after(self, cell: CellId) -> tuple[CellId, ...]:
        """The cells that run after ``cell`` in this plan."""
        if cell not in self.cells:
            return ()
        return self.cells[self.cells.index(cell) + 1 :]


class RunPlanner:
    """Computes run plans from the graph, the versions in memory and the cells' states.

    Every call reads the three views as they are now. The one thing kept between calls is which
    cells graph errors block, a function of the graph alone: it is cached by the graph's
    ``version`` and worked out again after any edit.
    """

    def __init__(self, graph: GraphView, versions: VersionView, states: StateView) -> None:
        self._graph = graph
        self._versions = versions
        self._states = states
        self._blockers: Mapping[CellId, CellId] = {}
        self._blockers_version: int | None = None  # the graph version _blockers is for

    def plan(
        self, targets: Iterable[CellId], mode: Mode = "eager", trigger: Trigger = "run"
    ) -> RunPlan:
        """Plan running ``targets`` (and what they imply) in ``mode``."""
        graph = self._graph
        requested = [t for t in dict.fromkeys(targets) if t in graph]
        reasons: dict[CellId, StepReason] = {}
        blocked: dict[CellId, Blocked] = {}
        required: set[CellId] = set()
        for target in requested:
            culprit = self.blocker(target)
            if culprit is not None:
                blocked[target] = Blocked(target, culprit)
                continue
            required.add(target)
            reasons[target] = "requested"
        self._add_stale_ancestors(required, reasons)

        while True:
            scope = set(required)
            if mode == "eager":
                scope |= graph.descendants(required)
            order = graph.sort(self._drop_blocked(scope, blocked))
            # A producer already in the plan that still cannot supply its version lost it to a
            # mutation the plan itself makes first: nothing better exists, so it is accepted.
            missing = self._missing_versions(order) - required - blocked.keys()
            if not missing:
                break
            # Each pass moves at least one cell into `required` or `blocked`, so this ends.
            for producer in missing:
                culprit = self.blocker(producer)
                if culprit is not None:
                    # The version cannot be rebuilt: its readers are blocked on the next pass.
                    blocked[producer] = Blocked(producer, culprit)
                    continue
                required.add(producer)
                reasons.setdefault(producer, "upstream")
            self._add_stale_ancestors(required, reasons)

        for cell in order:
            reasons.setdefault(cell, "downstream")
        stale: frozenset[CellId] = frozenset()
        if mode == "lazy":
            stale = frozenset(graph.descendants(required) - set(order) - set(blocked))
        return RunPlan(
            cells=tuple(order),
            reasons={cell: reasons[cell] for cell in order},
            blocked=tuple(blocked.values()),
            stale=stale,
            trigger=trigger,
        )

    def blocker(self, cell: CellId) -> CellId | None:
        """The cell with a graph error that stops ``cell`` from running (itself first), if any."""
        return self.graph_blockers().get(cell)

    def graph_blockers(self) -> Mapping[CellId, CellId]:
        """Every cell that cannot run because of a graph error, mapped to the culprit cell.

        A cell with its own graph error is its own culprit; a descendant gets the culprit nearest
        the top of the notebook. Computed once per graph version (a scan of the cells for errors,
        then a walk down from the rare error cells) and shared: callers must not change it.
        """
        version = self._graph.version
        if version != self._blockers_version:
            self._blockers = self._compute_blockers()
            self._blockers_version = version
        return self._blockers

    def _compute_blockers(self) -> dict[CellId, CellId]:
        graph = self._graph
        blockers: dict[CellId, CellId] = {}
        for culprit in graph.cell_ids():  # display order: the topmost culprit wins
            if not graph.has_errors(culprit):
                continue
            blockers.setdefault(culprit, culprit)
            for cell in graph.descendants([culprit]):
                if not graph.has_errors(cell):
                    blockers.setdefault(cell, culprit)
        return blockers

    def _add_stale_ancestors(
        self, required: set[CellId], reasons: dict[CellId, StepReason]
    ) -> None:
        """Stale ancestors run first (REACTIVITY.md 4, "Stale ancestors")."""
        for ancestor in self._graph.ancestors(required):
            needed = ancestor not in required and self._states.needs_run(ancestor)
            if needed and self.blocker(ancestor) is None:
                required.add(ancestor)
                reasons.setdefault(ancestor, "stale-ancestor")

    def _drop_blocked(self, cells: Iterable[CellId], blocked: dict[CellId, Blocked]) -> set[CellId]:
        """The cells that can run: no graph error upstream, no version that cannot be rebuilt."""
        graph = self._graph
        kept: set[CellId] = set()
        # Producers whose versions cannot be rebuilt block their readers too.
        in_error = self.graph_blockers()
        unbuildable = {b.cell: b.culprit for b in blocked.values() if b.cell not in in_error}
        below_unbuildable: dict[CellId, CellId] = {}
        for producer in sorted(unbuildable, key=graph.index):
            for cell in graph.descendants([producer]):
                below_unbuildable.setdefault(cell, unbuildable[producer])
        for cell in cells:
            culprit = self.blocker(cell) or below_unbuildable.get(cell)
            if culprit is None:
                kept.add(cell)
            elif cell not in blocked:
                blocked[cell] = Blocked(cell, culprit)
        return kept

    def _missing_versions(self, order: list[CellId]) -> set[CellId]:
        """Producers whose versions some cell of ``order`` reads but that cannot be in memory then.

        Simulates the plan: ``current`` follows the producer of each name in memory, ``lost``
        the kept versions that a planned mutation will change, ``saved`` the versions that running
        a cell pushes out of the namespace (the ledger keeps those, see VersionLedger).
        """
        graph = self._graph
        versions = self._versions
        current: dict[str, CellId | None] = {}
        lost: set[tuple[str, CellId]] = set()
        saved: set[tuple[str, CellId]] = set()
        missing: set[CellId] = set()

        def in_memory(name: str) -> CellId | None:
            return current[name] if name in current else versions.current(name)

        for cell in order:
            for binding in graph.bindings(cell):
                producer = binding.producer
                if producer is None or in_memory(binding.name) == producer:
                    continue
                key = (binding.name, producer)
                restorable = key in saved or versions.is_kept(binding.name, producer)
                if restorable and key not in lost:
                    current[binding.name] = producer
                else:
                    missing.add(producer)
            analysis = graph.analysis(cell)
            for name in analysis.mutates:
                producer_now = in_memory(name)
                if producer_now is not None:
                    lost.add((name, producer_now))
            for name in analysis.defines | analysis.deletes:
                previous = in_memory(name)
                if previous is not None and (name, previous) not in lost:
                    saved.add((name, previous))
            for name in analysis.versions:
                current[name] = cell
        return missing
