"""ReactiveSession: the kernel's notebook model, free of ipykernel so that it can be tested alone.

It owns the dependency graph, the version ledger, the cell states, the run planner and the plan
being carried out. The ipykernel adapter (``reactive.py``) asks it what to do before a cell runs
(``prepare``), tells it what happened after (``finish``), and publishes what changed
(``take_state_changes``). Nothing here runs user code.

How a plan is carried out depends on whether a front end speaks our comm protocol:

- With a front end (the lab extension, ``reactive-kernel run``) every planned cell is executed by
  the front end through an ordinary ``execute_request``, so outputs land in their own cells. The
  kernel sends the plan and checks each request off against it.
- Without one (VS Code, ``jupyter console``, plain nbclient) nobody would execute a pushed plan: the
  kernel runs upstream re-runs itself inside the requested cell's execution, and only reports the
  cells that became stale; ``%reactive run-stale`` runs them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.planning.ledger import Snapshot, VersionLedger
from reactive_kernel.planning.planner import Mode, RunPlan, RunPlanner, Trigger
from reactive_kernel.planning.states import CellStates, StateDetail
from reactive_kernel.types import CellAnalysis, CellId, CellKind, CellSource


@dataclass(frozen=True, slots=True)
class Refuse:
    """The cell must not run: it has a graph error, or one upstream blocks it."""

    cell: CellId
    ename: str
    message: str


@dataclass(frozen=True, slots=True)
class Defer:
    """Cells upstream must run first; the front end runs ``plan`` (which includes the cell)."""

    cell: CellId
    plan: RunPlan


@dataclass(frozen=True, slots=True)
class Go:
    """Run the cell. ``inline_first``: cells the kernel itself must run before it (no front end)."""

    cell: CellId | None
    inline_first: tuple[CellId, ...] = ()


Decision = Refuse | Defer | Go
PlanStatus = Literal["ok", "error", "aborted"]


@dataclass(slots=True)
class ActivePlan:
    """A plan being carried out by the front end, and how far it got.

    Cells normally run in plan order, so progress is a position in the plan (``_next``: every
    cell before it ran) plus the set of cells that ran; the per-cell questions (``pending``,
    ``has_remaining``, ``mark_done``) cost O(1) amortised, not a walk over the plan.
    """

    id: str
    plan: RunPlan
    sent: bool = False  # the front end has the whole plan (a reply, or pushed with Defer)
    done: set[CellId] = field(default_factory=set)
    _members: frozenset[CellId] = field(init=False)
    _next: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._members = frozenset(self.plan.cells)

    def includes(self, cell: CellId) -> bool:
        """Is ``cell`` part of the plan (run or not)?"""
        return cell in self._members

    def pending(self, cell: CellId) -> bool:
        """Is ``cell`` part of the plan and still to run?"""
        return cell in self._members and cell not in self.done

    def mark_done(self, cell: CellId) -> None:
        self.done.add(cell)

    def has_remaining(self) -> bool:
        """Does any cell of the plan still have to run?"""
        cells = self.plan.cells
        while self._next < len(cells) and cells[self._next] in self.done:
            self._next += 1
        return self._next < len(cells)

    @property
    def remaining(self) -> list[CellId]:
        """The cells still to run, in plan order."""
        if not self.has_remaining():
            return []
        return [c for c in self.plan.cells[self._next :] if c not in self.done]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ``finish`` decided after a cell ran.

    ``push``: a plan the front end should now carry out (eager downstream cells).
    ``finished``: the id and status of a plan that ended with this cell.
    ``stale``: cells that became stale because of this run (reported when no front end runs them).
    ``removed``: names deleted from the namespace because the cell no longer defines them.
    """

    push: tuple[str, RunPlan] | None = None
    finished: tuple[str, PlanStatus, CellId | None] | None = None
    stale: tuple[CellId, ...] = ()
    removed: tuple[str, ...] = ()


class ReactiveSession:
    """The notebook as the kernel knows it, and the rules of what runs (REACTIVITY.md section 4)."""

    def __init__(
        self,
        namespace: MutableMapping[str, object],
        analyze: Callable[[str], CellAnalysis] | None = None,
    ) -> None:
        self.graph = NotebookGraph(analyze, label=self.label)  # messages name cells by label
        self.ledger = VersionLedger(namespace)
        self.states = CellStates()
        self.planner = RunPlanner(self.graph, self.ledger, self.states)
        self.mode: Mode = "eager"
        self.frontend = False
        self.active: ActivePlan | None = None
        self._plan_ids = itertools.count(1)
        self._produced: dict[CellId, frozenset[str]] = {}  # names each cell last produced
        self._changed: set[CellId] = set()  # cells whose reported state may have changed
        self._touched: set[str] = set()  # names restored during the current plan
        self.layout: list[CellId] = []  # every cell of the notebook, markdown too, display order
        self.kinds: dict[CellId, CellKind] = {}
        self.ended: list[str] = []  # plans aborted here, for the front end to hear of
        self._orphans: set[CellId] = set()  # cells that had read versions of a deleted cell
        self._graph_changed: set[CellId] = set()  # cells whose graph record may have changed

    # -- the notebook's cells ----------------------------------------------------------------

    def sync(self, cells: Sequence[CellSource]) -> None:
        """Replace the notebook. List order is display order; only code cells enter the graph."""
        code = [(c.id, c.source) for c in cells if c.kind == "code"]
        old = set(self.graph.cell_ids())
        for gone in old - {cid for cid, _ in code}:
            self._forget_cell(gone)
        previous = {cid: self.graph.source(cid) for cid in old}
        self.layout = [c.id for c in cells]
        self.kinds = {c.id: c.kind for c in cells}
        self._graph_changed |= self.graph.reset(code).cells
        for cid, source in code:
            if previous.get(cid) != source:
                self._mark_stale_with_descendants([cid], "its code changed since it last ran")
        self._changed |= set(self.graph.cell_ids()) | old
        self._abort_if_touched(set(self.graph.cell_ids()))

    def insert(self, cell: CellId, source: str, index: int, kind: CellKind = "code") -> None:
        """Insert a cell at ``index`` of the whole notebook (markdown and raw cells count)."""
        self.layout.insert(index, cell)
        self.kinds[cell] = kind
        if kind != "code":
            return
        change = self.graph.insert(cell, source, self._code_index(index))
        self._graph_changed |= change.cells
        self._after_structure_change(change.cells, "a cell was inserted above it")

    def update(self, cell: CellId, source: str) -> None:
        if cell not in self.graph or self.graph.source(cell) == source:
            return
        change = self.graph.update(cell, source)
        self._graph_changed |= change.cells
        self._mark_stale_with_descendants([cell], "its code changed since it last ran")
        label = self.label(cell)
        self._after_structure_change(change.cells - {cell}, f"{label} changed what it defines")

    def delete(self, cell: CellId) -> list[str]:
        """Remove a cell and its versions from memory; returns the names deleted."""
        self.layout.remove(cell)
        if self.kinds.pop(cell, "code") != "code" or cell not in self.graph:
            return []
        children, label = self.graph.children(cell), self.label(cell)
        # Readers that had run used the deleted versions: in eager mode the front end re-runs them
        # (see take_orphans) so that their outputs stop showing what no longer exists.
        self._orphans |= {c for c in children if self.states.get(c).state in ("fresh", "error")}
        removed = self._forget_cell(cell)
        change = self.graph.remove(cell)
        self._graph_changed |= change.cells
        self._mark_stale_with_descendants(
            children, f"{label}, which it read from, was deleted", names=removed
        )
        self._after_structure_change(change.cells - {cell}, f"{label} was deleted")
        return removed

    def take_orphans(self) -> list[CellId]:
        """Cells that had run with versions of cells deleted since the last call, that still
        exist and can run, in execution order."""
        orphans, self._orphans = self._orphans, set()
        blockers = self.planner.graph_blockers()
        return [c for c in self.graph.order() if c in orphans and c not in blockers]

    def move(self, cell: CellId, index: int) -> None:
        """Move a cell to ``index`` of the whole notebook (its position after the move)."""
        self.layout.remove(cell)
        self.layout.insert(index, cell)
        if cell not in self.graph:
            return
        change = self.graph.move(cell, self._code_index(index))
        self._graph_changed |= change.cells
        self._after_structure_change(change.cells, f"{self.label(cell)} moved")

    def _code_index(self, index: int) -> int:
        """The position among code cells of the cell at ``index`` of the layout."""
        return sum(1 for c in self.layout[:index] if self.kinds.get(c) == "code")

    # -- running cells -------------------------------------------------------------------------

    def prepare(self, cell_id: str | None, code: str) -> Decision:
        """An execute_request arrived for ``cell_id`` with ``code``: decide what to do."""
        if cell_id is None:
            return Go(None)
        cell = CellId(cell_id)
        if cell not in self.graph:
            if cell in self.kinds:  # the front end had it as markdown or raw: now it is code
                self.delete(cell)
            self.insert(cell, code, len(self.layout))
        else:
            self.update(cell, code)

        in_plan = self.active is not None and self.active.pending(cell)
        if self.active is not None and not in_plan:
            self.abort_plan("the user ran another cell")

        culprit = self.planner.blocker(cell)
        if culprit is not None:
            return self._refusal(cell, culprit)
        if in_plan:
            return Go(cell)

        plan = self.planner.plan([cell], self.mode, "run")
        first = plan.before(cell)
        if first and self.frontend:
            self._start(plan, sent=True)
            return Defer(cell, plan)
        if plan.after(cell) and self.frontend:
            self._start(plan)
        return Go(cell, first)

    def restore_inputs(self, cell: CellId) -> list[str]:
        """Put back every version ``cell`` reads that is not in memory; returns names that could
        not be put back (their producer must re-run)."""
        missing: list[str] = []
        for binding in self.graph.bindings(cell):
            producer = binding.producer
            if producer is None or self.ledger.current(binding.name) == producer:
                continue
            if self.ledger.is_kept(binding.name, producer):
                self.ledger.restore(binding.name, producer)
                self._touched.add(binding.name)
            else:
                missing.append(binding.name)
        return missing

    def before_run(self, cell: CellId) -> Snapshot:
        self.states.set(cell, "running")
        self._changed.add(cell)
        return self.ledger.snapshot(self.graph.analysis(cell))

    def finish(
        self,
        cell: CellId,
        before: Snapshot,
        status: Literal["ok", "error", "aborted"],
        error: str = "",
    ) -> Outcome:
        """``cell`` ran with ``status`` ("aborted": interrupted). Update memory, states, plans."""
        analysis = self.graph.analysis(cell)
        self.ledger.record_run(cell, analysis, before, self.is_read)
        removed = self._drop_lost_definitions(cell, analysis) if status == "ok" else []
        self._changed.add(cell)
        if status == "ok":
            self.states.set(cell, "fresh")
        elif status == "error":
            self.states.set(cell, "error", error or "it raised an exception")
        else:
            self.states.set(cell, "stale", "it was interrupted")

        active = self.active
        if active is not None and active.includes(cell):
            active.mark_done(cell)
            return self._continue_plan(active, cell, status, tuple(removed))

        downstream = self.graph.descendants([cell])
        if status == "error":
            self._block(downstream, cell)
            return Outcome(removed=tuple(removed))
        self._mark_stale_with_descendants(
            [cell], f"{self.label(cell)}, which it reads from, ran again", skip_first=True
        )
        self._settle()
        stale = [c for c in self.graph.sort(downstream) if self.states.needs_run(c)]
        return Outcome(stale=tuple(stale), removed=tuple(removed))

    def untracked_run(self, analysis: CellAnalysis) -> list[CellId]:
        """Code outside any known cell ran (a console line): cells reading what it changed are
        stale. Returns them."""
        names = analysis.versions
        self.ledger.record_untracked(names)
        readers = [
            cell
            for cell in self.graph.cell_ids()
            if any(b.name in names and b.producer is not None for b in self.graph.bindings(cell))
        ]
        return self._mark_stale_with_descendants(
            readers, "code outside the notebook's cells changed a name it reads", names=names
        )

    def plan(self, targets: Iterable[CellId], trigger: Trigger) -> tuple[str, RunPlan]:
        """Plan and start running ``targets`` (a front end asked, or a widget changed)."""
        if self.active is not None:
            self.abort_plan("a new plan started")
        plan = self.planner.plan(targets, "eager" if trigger != "run" else self.mode, trigger)
        return self._start(plan, sent=True), plan

    def stale_cells(self) -> list[CellId]:
        """Code cells that need a run and can run, in execution order."""
        graph = self.graph
        blockers = self.planner.graph_blockers()
        return [c for c in graph.order() if c not in blockers and self.states.needs_run(c)]

    def abort_plan(self, why: str) -> tuple[str, list[CellId]] | None:
        """Stop the active plan: cells that did not run are stale. Returns its id and those."""
        active, self.active = self.active, None
        if active is None:
            return None
        remaining = active.remaining
        self.ended.append(active.id)
        self.states.set(remaining, "stale", f"its run was stopped: {why}")
        self._changed |= set(remaining)
        self._settle()
        return active.id, remaining

    # -- reporting -------------------------------------------------------------------------------

    def state_of(self, cell: CellId) -> StateDetail:
        """The state to show: graph errors and what they block first, then the run-time state."""
        culprit = self.planner.blocker(cell)
        if culprit == cell:
            errors = self.graph.errors(cell)
            involved = tuple(c for e in errors for c in e.cells)
            names = tuple(n for e in errors for n in e.names)
            reason = "; ".join(e.message for e in errors)
            return StateDetail("graph-error", reason, involved, names)
        if culprit is not None:
            return StateDetail(
                "blocked", f"{self.label(culprit)} upstream has a graph error", (culprit,), ()
            )
        return self.states.get(cell)

    def take_state_changes(self) -> list[tuple[CellId, StateDetail]]:
        """States that may have changed since the last call, for cells that still exist."""
        changed, self._changed = self._changed, set()
        graph = self.graph
        # Display order, from the few changed cells (no walk over the notebook).
        cells = sorted((c for c in changed if c in graph), key=graph.index)
        return [(c, self.state_of(c)) for c in cells]

    def take_graph_changes(self) -> set[CellId]:
        """Cells whose graph record (source, bindings, parents, errors) may have changed since the
        last call, by an edit or by an ``execute_request`` with new code; removed cells included.
        Cells a change reaches only through them (their parents' children, errors that name them)
        are the caller's to add."""
        changed, self._graph_changed = self._graph_changed, set()
        return changed

    def note_state_changes(self, cells: Iterable[CellId]) -> None:
        """Report the states of ``cells`` again at the next ``take_state_changes`` (their reason
        text names other cells, and those cells' labels changed)."""
        self._changed |= {c for c in cells if c in self.graph}

    def all_states(self) -> list[tuple[CellId, StateDetail]]:
        self._changed.clear()
        return [(c, self.state_of(c)) for c in self.graph.cell_ids()]

    def label(self, cell: CellId) -> str:
        """How messages name a cell: its position among code cells and its first line."""
        if cell not in self.graph:
            return f"cell {cell}"
        first = next((ln.strip() for ln in self.graph.source(cell).splitlines() if ln.strip()), "")
        if len(first) > 40:
            first = first[:37] + "..."
        return (
            f"cell [{self.graph.index(cell) + 1}] ({first})"
            if first
            else f"cell [{self.graph.index(cell) + 1}]"
        )

    def is_read(self, name: str, producer: CellId) -> bool:
        """Does any cell read the version of ``name`` that ``producer`` made?"""
        if producer not in self.graph:
            return False
        return any(
            self.graph.producer(child, name) == producer for child in self.graph.children(producer)
        )

    def reset_namespace(self) -> None:
        """The user namespace was cleared (%reset, restart): everything is stale."""
        self.ledger.clear()
        self.states.clear()
        self._produced.clear()
        self.active = None
        self._changed |= set(self.graph.cell_ids())

    # -- internals -----------------------------------------------------------------------------

    def _start(self, plan: RunPlan, sent: bool = False) -> str:
        """Make ``plan`` the active plan. ``sent``: the front end gets all of it now (otherwise
        the cells after the first are pushed once the first has run)."""
        plan_id = f"p{next(self._plan_ids)}"
        self.active = ActivePlan(plan_id, plan, sent=sent)
        self._touched.clear()
        self.states.set(plan.cells, "queued", "waiting for its turn in the run")
        for blocked in plan.blocked:
            reason = f"{self.label(blocked.culprit)} cannot run"
            self.states.set(blocked.cell, "blocked", reason, [blocked.culprit])
        self.states.mark_stale(plan.stale, "a cell it reads from ran (lazy mode)")
        self._changed |= set(plan.cells) | {b.cell for b in plan.blocked} | plan.stale
        return plan_id

    def _continue_plan(
        self,
        active: ActivePlan,
        cell: CellId,
        status: PlanStatus,
        removed: tuple[str, ...],
    ) -> Outcome:
        if status == "ok" and active.has_remaining():
            if not active.sent:
                # The requested cell ran first: now hand the rest of the plan to the front end,
                # once (a plan it already has, from a reply or a Defer, is not sent again).
                active.sent = True
                return Outcome(push=(active.id, active.plan), removed=removed)
            return Outcome(removed=removed)
        self.active = None
        remaining = active.remaining
        if status == "error":
            downstream = self.graph.descendants([cell])
            self._block([c for c in remaining if c in downstream], cell)
            self.states.set(
                [c for c in remaining if c not in downstream],
                "stale",
                f"{self.label(cell)} failed first",
            )
        elif status == "aborted":
            self.states.set(remaining, "stale", "the run was interrupted")
        self._changed |= set(remaining)
        self._settle()
        return Outcome(
            finished=(active.id, status, cell if status != "ok" else None), removed=removed
        )

    def _refusal(self, cell: CellId, culprit: CellId) -> Refuse:
        detail = self.state_of(cell)
        self._changed.add(cell)
        if culprit == cell:
            return Refuse(cell, "GraphError", detail.reason)
        return Refuse(
            cell,
            "BlockedError",
            f"This cell depends on {self.label(culprit)}, which has a graph error: "
            + self.state_of(culprit).reason,
        )

    def _block(self, cells: Iterable[CellId], culprit: CellId) -> None:
        cells = list(cells)
        self.states.set(cells, "blocked", f"{self.label(culprit)}, upstream, failed", [culprit])
        self._changed |= set(cells)

    def _mark_stale_with_descendants(
        self,
        cells: Iterable[CellId],
        reason: str,
        names: Iterable[str] = (),
        skip_first: bool = False,
    ) -> list[CellId]:
        cells = [c for c in cells if c in self.graph]
        targets = set(self.graph.descendants(cells))
        if not skip_first:
            targets |= set(cells)
        changed = []
        for cell in self.graph.sort(targets):
            if self.states.get(cell).state in ("fresh", "blocked", "error") or cell in cells:
                self.states.set(cell, "stale", reason, [c for c in cells if c != cell], names)
                changed.append(cell)
        self._changed |= set(changed)
        return changed

    def _after_structure_change(self, cells: Iterable[CellId], reason: str) -> None:
        """Cells whose bindings or errors changed: what they read is another version now."""
        cells = [c for c in cells if c in self.graph]
        self._changed |= set(cells)
        self._mark_stale_with_descendants(cells, reason)
        self._abort_if_touched(set(cells))

    def _abort_if_touched(self, cells: set[CellId]) -> None:
        active = self.active
        if active is not None and any(active.pending(c) for c in cells):
            self.abort_plan("the notebook changed")

    def _forget_cell(self, cell: CellId) -> list[str]:
        self._produced.pop(cell, None)
        self.states.forget(cell)
        return self.ledger.forget_cell(cell)

    def _drop_lost_definitions(self, cell: CellId, analysis: CellAnalysis) -> list[str]:
        """A cell re-run with code that no longer defines a name: that version leaves memory."""
        before = self._produced.get(cell, frozenset())
        self._produced[cell] = analysis.versions
        return self.ledger.forget(cell, before - analysis.versions)

    def _settle(self) -> None:
        """After a plan: each name holds the version of its last producer in execution order, as
        a top-to-bottom run would leave it (versions restored during the plan are put back)."""
        touched, self._touched = self._touched, set()
        for name in touched:
            producers = [
                c for c in self.graph.definers(name) if self.states.get(c).state == "fresh"
            ]
            if not producers:
                continue
            final = self.graph.sort(producers)[-1]
            if self.ledger.current(name) != final and self.ledger.is_kept(name, final):
                self.ledger.restore(name, final)
        self.ledger.prune(self.is_read)
