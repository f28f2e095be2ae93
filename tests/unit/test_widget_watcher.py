"""WidgetWatcher without a kernel: which widgets it observes, and how changes are coalesced.

A real ReactiveSession over a plain dict runs the cells (``exec``); the bridge, the event loop's
timer and the clock are fakes, so the timing rules are checked exactly
(tests/kernel/test_widget_plans.py covers the same behaviour over the real protocol).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from reactive_kernel.kernel.session import Go, ReactiveSession
from reactive_kernel.kernel.widgets import DEBOUNCE, MAX_WAIT, WidgetWatcher
from reactive_kernel.planning.planner import RunPlan
from reactive_kernel.types import CellId

pytestmark = pytest.mark.unit

ipywidgets = pytest.importorskip("ipywidgets")


class FakeBridge:
    def __init__(self) -> None:
        self.attached = True
        self.plans: list[tuple[str, tuple[CellId, ...], str | None]] = []
        self.published = 0

    def send_run_plan(
        self, plan_id: str, cells: Sequence[CellId], plan: RunPlan, origin: CellId | None
    ) -> None:
        assert plan.trigger == "widget"
        self.plans.append((plan_id, tuple(cells), origin))

    def publish_states(self) -> None:
        self.published += 1


class Loop:
    """A fake clock and timer: ``advance`` runs the callbacks that fall due."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, Callable[[], None]]] = []

    def schedule(self, delay: float, callback: Callable[[], None]) -> None:
        self.timers.append((self.now + delay, callback))

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while True:
            due = sorted((t for t in self.timers if t[0] <= end), key=lambda t: t[0])
            if not due:
                break
            when, callback = due[0]
            self.timers.remove(due[0])
            self.now = max(self.now, when)
            callback()
        self.now = end


class Notebook:
    def __init__(self) -> None:
        self.ns: dict[str, Any] = {}
        self.session = ReactiveSession(self.ns)
        self.bridge = FakeBridge()
        self.loop = Loop()
        self.from_frontend = True
        self.busy = False
        self.watcher = WidgetWatcher(
            self.session,
            self.bridge,  # type: ignore[arg-type]
            self.ns,
            schedule=self.loop.schedule,
            from_frontend=lambda: self.from_frontend,
            busy=lambda: self.busy,
            clock=lambda: self.loop.now,
        )

    def run(self, cell: str, code: str) -> None:
        decision = self.session.prepare(cell, code)
        assert isinstance(decision, Go), decision
        cid = CellId(cell)
        before = self.session.before_run(cid)
        exec(code, self.ns)
        self.session.finish(cid, before, "ok")
        self.watcher.after_run(cid)

    def change(self, name: str, value: int) -> None:
        self.ns[name].value = value


@pytest.fixture
def nb() -> Notebook:
    nb = Notebook()
    nb.run("a", "import ipywidgets\nn = ipywidgets.IntSlider(value=1)")
    nb.run("b", "m = n.value * 2")
    nb.run("c", "print(m, n.value)")
    return nb


def test_only_widgets_with_a_value_trait_are_observed(nb: Notebook) -> None:
    nb.run("d", "import ipywidgets\nbutton = ipywidgets.Button()\nbox = ipywidgets.IntText()")
    nb.run(
        "e", "import traitlets\nclass T(traitlets.HasTraits):\n    value = traitlets.Int()\nt = T()"
    )
    assert nb.watcher.watched() == [("box", "d"), ("n", "a")]


def test_a_burst_makes_one_plan_over_the_readers_after_the_last_change(nb: Notebook) -> None:
    for value in range(20):
        nb.change("n", value)
        nb.loop.advance(DEBOUNCE / 4)
    assert nb.bridge.plans == []
    nb.loop.advance(DEBOUNCE)
    ((_plan_id, cells, origin),) = nb.bridge.plans
    assert cells == ("b", "c")  # the readers, then their downstream; never a
    assert origin == nb.ns["n"].model_id


def test_a_long_drag_plans_at_least_every_max_wait(nb: Notebook) -> None:
    for value in range(100):  # 2 s of changes, each sooner than DEBOUNCE after the last
        nb.change("n", value)
        nb.loop.advance(DEBOUNCE / 2)
    nb.loop.advance(1)
    count = len(nb.bridge.plans)
    assert 2 * (1 / MAX_WAIT) - 1 <= count <= 2 * (1 / MAX_WAIT) + 2
    # Each new plan replaced the previous one: one plan is active, the rest were aborted.
    assert nb.session.active is not None
    assert nb.session.active.id == nb.bridge.plans[-1][0]
    assert len(nb.session.ended) == count - 1


def test_no_plan_while_a_cell_executes(nb: Notebook) -> None:
    nb.busy = True
    nb.change("n", 3)
    nb.loop.advance(1)
    assert nb.bridge.plans == []
    nb.busy = False
    nb.loop.advance(DEBOUNCE)
    assert len(nb.bridge.plans) == 1


def test_kernel_code_changing_the_value_starts_nothing(nb: Notebook) -> None:
    nb.from_frontend = False
    nb.change("n", 3)
    nb.loop.advance(1)
    assert nb.bridge.plans == [] and nb.loop.timers == []


def test_without_a_front_end_the_readers_go_stale(nb: Notebook) -> None:
    nb.bridge.attached = False
    nb.change("n", 3)
    nb.loop.advance(1)
    assert nb.bridge.plans == []
    states = nb.session.states
    assert [states.get(CellId(c)).state for c in "abc"] == ["fresh", "stale", "stale"]
    assert "the widget n" in states.get(CellId("b")).reason


def test_a_stale_defining_cell_is_not_rerun_the_readers_go_stale(nb: Notebook) -> None:
    nb.session.update(CellId("a"), "import ipywidgets\nn = ipywidgets.IntSlider(value=2)")
    nb.change("n", 3)
    nb.loop.advance(1)
    assert nb.bridge.plans == []
    assert nb.session.states.get(CellId("b")).state == "stale"


def test_rerunning_or_deleting_the_defining_cell_replaces_or_drops_the_watch(
    nb: Notebook,
) -> None:
    old = nb.ns["n"]
    nb.run("a", "import ipywidgets\nn = ipywidgets.IntSlider(value=1)")
    assert nb.ns["n"] is not old and nb.watcher.watched() == [("n", "a")]
    old.value = 9  # the replaced widget: nobody listens
    nb.loop.advance(1)
    assert nb.bridge.plans == []
    nb.session.delete(CellId("a"))
    nb.watcher.prune()
    assert nb.watcher.watched() == []
