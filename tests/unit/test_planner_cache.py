"""Per-cell costs of the planner and the session stay independent of the notebook's size.

``RunPlanner.graph_blockers`` is cached by ``NotebookGraph.version`` (every edit moves it on), and
``ActivePlan`` tracks progress through a plan without rescanning it. These tests check that the
cached answers follow every kind of edit, and count the graph scans a run of cells costs.
"""

from __future__ import annotations

import pytest

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.kernel.session import ActivePlan, ReactiveSession
from reactive_kernel.planning.ledger import VersionLedger
from reactive_kernel.planning.planner import RunPlan, RunPlanner
from reactive_kernel.planning.states import CellStates
from reactive_kernel.types import CellId

pytestmark = pytest.mark.unit


def ids(*names: str) -> tuple[CellId, ...]:
    return tuple(CellId(n) for n in names)


class CountingGraph(NotebookGraph):
    """A NotebookGraph that counts ``has_errors`` calls (one per cell scanned for errors)."""

    checks = 0

    def has_errors(self, cell_id: CellId) -> bool:
        self.checks += 1
        return super().has_errors(cell_id)


def planner_over(cells: list[tuple[str, str]]) -> tuple[CountingGraph, RunPlanner]:
    graph = CountingGraph()
    graph.reset([(CellId(c), s) for c, s in cells])
    return graph, RunPlanner(graph, VersionLedger({}), CellStates())


def test_every_edit_moves_the_graph_version_on() -> None:
    graph = NotebookGraph()
    seen = [graph.version]
    graph.reset([(CellId("a"), "x = 1")])
    seen.append(graph.version)
    graph.insert(CellId("b"), "y = x", 1)
    seen.append(graph.version)
    graph.update(CellId("b"), "y = x + 1")
    seen.append(graph.version)
    graph.move(CellId("b"), 0)
    seen.append(graph.version)
    graph.remove(CellId("b"))
    seen.append(graph.version)
    assert seen == sorted(set(seen)), seen  # strictly increasing
    before = graph.version
    graph.cell_ids(), graph.order(), graph.errors(CellId("a")), graph.descendants([CellId("a")])
    assert graph.version == before  # queries leave it alone


def test_blockers_are_computed_once_per_graph_version() -> None:
    graph, planner = planner_over([(f"c{i}", f"v{i} = {i}") for i in range(50)])
    planner.graph_blockers()
    scanned = graph.checks
    assert scanned >= 50
    for i in range(50):
        assert planner.blocker(CellId(f"c{i}")) is None
    planner.plan([CellId("c0")])
    assert graph.checks == scanned  # no rescan without an edit
    graph.update(CellId("c3"), "v3 = 33")
    planner.blocker(CellId("c0"))
    assert graph.checks > scanned  # an edit invalidates the cache


STAR = "x = 1\nfrom os.path import *"  # a star import: a graph error of the cell's own


@pytest.mark.parametrize("edit", ["update", "insert", "remove", "move", "reset"])
def test_cached_blockers_follow_every_kind_of_edit(edit: str) -> None:
    graph, planner = planner_over([("a", "x = 1"), ("b", "y = x"), ("c", "z = y"), ("d", "w = 1")])
    assert dict(planner.graph_blockers()) == {}
    a, b, c, d = ids("a", "b", "c", "d")
    if edit == "update":
        graph.update(a, STAR)
    elif edit == "insert":
        graph.insert(CellId("e"), STAR, 0)
        graph.remove(a)  # now b reads x from e
    elif edit == "remove":
        graph.update(a, STAR)
        assert planner.blocker(c) == a
        graph.remove(a)
    elif edit == "move":
        graph.update(d, "x = y")
        assert planner.blocker(b) is None
        graph.move(d, 0)
        graph.remove(a)  # b reads x from d, which reads y from below it: a cycle
    else:
        graph.reset([(a, STAR), (b, "y = x")])
    expected = {
        "update": {a: a, b: a, c: a},
        "insert": {CellId("e"): CellId("e"), b: CellId("e"), c: CellId("e")},
        "remove": {},
        "move": {d: d, c: d, b: b},
        "reset": {a: a, b: a},
    }[edit]
    assert dict(planner.graph_blockers()) == expected
    fresh = RunPlanner(graph, VersionLedger({}), CellStates())
    assert dict(planner.graph_blockers()) == dict(fresh.graph_blockers())


def test_a_cascade_scans_the_graph_for_errors_once() -> None:
    """The profile that motivated the cache: about 850 ``has_errors`` calls per cell run."""
    length = 100
    session = ReactiveSession({})
    graph = CountingGraph(label=session.label)
    session.graph = graph
    session.planner = RunPlanner(graph, session.ledger, session.states)
    session.frontend = True
    cells = [("k0", "v0 = 0")] + [(f"k{i}", f"v{i} = v{i - 1} + 1") for i in range(1, length)]
    graph.reset([(CellId(c), s) for c, s in cells])
    graph.checks = 0
    for cell, code in cells:
        session.prepare(cell, code)
        snapshot = session.before_run(CellId(cell))
        session.take_state_changes()
        session.finish(CellId(cell), snapshot, "ok")
        session.take_state_changes()
    assert session.active is None  # the plan pushed after k0 ran to its end
    assert graph.checks <= 2 * length, graph.checks


def test_active_plan_tracks_progress_in_and_out_of_order() -> None:
    a, b, c, d = ids("a", "b", "c", "d")
    active = ActivePlan("p1", RunPlan(cells=(a, b, c, d)))
    assert active.remaining == [a, b, c, d] and active.has_remaining()
    assert active.includes(a) and active.pending(a) and not active.includes(CellId("x"))
    active.mark_done(a)
    assert not active.pending(a) and active.includes(a)
    assert active.remaining == [b, c, d]
    active.mark_done(c)  # out of order: the cell before it is still pending
    assert active.remaining == [b, d] and active.pending(b) and not active.pending(c)
    active.mark_done(b)
    assert active.remaining == [d] and active.has_remaining()
    active.mark_done(d)
    assert active.remaining == [] and not active.has_remaining()
