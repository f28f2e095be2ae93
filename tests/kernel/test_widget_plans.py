"""Reactive widgets over the real Jupyter protocol: a widget's value changes in the browser, the
cells that read it re-run (docs/reactivity.md, "Widgets").

The browser's side is played by hand: the widget's model id comes from the kernel's iopub
``comm_open`` for it, and a change is the ``comm_msg`` the widget manager sends
(``{"method": "update", "state": {"value": ...}}``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from reactive_kernel.client import Execution
from tests.kernel.notebook import CheckedClient, LiveNotebook, reactive_kernel

pytestmark = pytest.mark.kernel

pytest.importorskip("ipywidgets")

SLIDER = "import ipywidgets\nn = ipywidgets.IntSlider(value=1)\nn"
DOUBLE = "m = n.value * 2\nprint('m =', m)"
SHOW = "print('n =', n.value)"
QUIET = 0.6  # seconds in which no plan may arrive (the kernel plans 0.04 s after a change)


@pytest.fixture
def client() -> Iterator[CheckedClient]:
    with reactive_kernel() as (_km, client):
        yield client


def _slider_ids(client: CheckedClient) -> list[str]:
    """Model ids of the IntSliders the kernel created so far, oldest first."""
    return [
        str(c["comm_id"])
        for c in client.comm_opens
        if c.get("target_name") == "jupyter.widget"
        and c["data"]["state"].get("_model_name") == "IntSliderModel"
    ]


def _move(client: CheckedClient, model_id: str, value: int) -> None:
    """What the widget manager sends when the user moves the slider."""
    state = {"method": "update", "state": {"value": value}, "buffer_paths": []}
    client.send_comm(model_id, state)


def _plans(client: CheckedClient, trigger: str = "widget") -> list[dict[str, Any]]:
    return [m for m in client.messages if m["type"] == "run_plan" and m["trigger"] == trigger]


def _wait_plan(client: CheckedClient, after: int) -> dict[str, Any]:
    """The next widget plan, after the ``after`` ones seen already."""
    if len(_plans(client)) <= after:
        client.wait_for(lambda _m: len(_plans(client)) > after, "a widget run_plan")
    return _plans(client)[after]


def _finished(client: CheckedClient, plan_id: str) -> str:
    """The status of the ``plan_finished`` the kernel sent for ``plan_id`` (waiting for it)."""

    def ended() -> list[dict[str, Any]]:
        return [
            m for m in client.messages if m["type"] == "plan_finished" and m["plan_id"] == plan_id
        ]

    if not ended():
        client.wait_for(lambda _m: bool(ended()), f"plan_finished for {plan_id}")
    return str(ended()[0]["status"])


def _out(runs: list[Execution]) -> dict[str, str]:
    return {str(e.cell_id): e.stdout for e in runs}


@pytest.fixture
def nb(client: CheckedClient) -> LiveNotebook:
    client.open()
    nb = LiveNotebook(client, [SLIDER, DOUBLE, SHOW])
    nb.run(0)
    assert nb.last(1).stdout == "m = 2\n"
    return nb


def test_a_change_runs_the_readers_in_order_and_not_the_defining_cell(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    (slider,) = _slider_ids(client)
    runs_of_a = len(nb.runs_of(0))
    _move(client, slider, 5)
    plan = _wait_plan(client, 0)
    assert plan["cells"] == [nb.ids[1], nb.ids[2]]
    assert plan["origin"] == slider
    assert "reply_to" not in plan
    runs = client.run_pending_plans()
    assert _out(runs) == {nb.ids[1]: "m = 10\n", nb.ids[2]: "n = 5\n"}
    assert len(nb.runs_of(0)) == runs_of_a  # the widget kept its state
    assert _finished(client, plan["plan_id"]) == "ok"
    assert nb.state(1) == nb.state(2) == "fresh"
    assert nb.evaluate("m") == "10"


def test_a_cell_that_only_lays_the_widget_out_does_not_rerun(client: CheckedClient) -> None:
    """A layout cell reads the widget's global but not its value: re-running it would re-render
    the widget under the user's mouse (docs/widgets.md, "Layout")."""
    client.open()
    layout = "import ipywidgets\nipywidgets.HBox([n])"
    nb = LiveNotebook(client, [SLIDER, layout, DOUBLE, "display(n)\nn"])
    nb.run(0)
    (slider,) = _slider_ids(client)
    _move(client, slider, 4)
    plan = _wait_plan(client, 0)
    assert plan["cells"] == [nb.ids[2]]  # the reader; neither the HBox cell nor the display one
    runs = client.run_pending_plans()
    assert _out(runs) == {nb.ids[2]: "m = 8\n"}
    assert nb.state(1) == nb.state(3) == "fresh"


def test_a_burst_of_changes_makes_one_plan_with_the_last_value(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    (slider,) = _slider_ids(client)
    for value in range(10, 30):
        _move(client, slider, value)
    _wait_plan(client, 0)
    client.pump_for(QUIET)
    plans = _plans(client)
    assert 1 <= len(plans) <= 2, plans
    runs = client.run_pending_plans()  # plans the kernel replaced are skipped (plan_finished)
    assert _out(runs) == {nb.ids[1]: "m = 58\n", nb.ids[2]: "n = 29\n"}
    client.pump_for(QUIET)
    assert len(_plans(client)) == len(plans)  # nothing queued behind it


def test_a_change_while_its_plan_runs_replaces_the_plan(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    (slider,) = _slider_ids(client)
    _move(client, slider, 3)
    first = _wait_plan(client, 0)
    _move(client, slider, 4)  # before the front end ran any of the first plan
    second = _wait_plan(client, 1)
    assert _finished(client, first["plan_id"]) == "aborted"
    assert second["cells"] == [nb.ids[1], nb.ids[2]]
    runs = client.run_pending_plans()
    assert _out(runs) == {nb.ids[1]: "m = 8\n", nb.ids[2]: "n = 4\n"}


def test_rerunning_the_defining_cell_makes_a_fresh_widget_that_still_works(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    (old,) = _slider_ids(client)
    nb.run(0)  # eager: the readers re-run through the ordinary downstream plan
    assert nb.last(1).stdout == "m = 2\n"
    assert _slider_ids(client)[0] == old
    new = _slider_ids(client)[-1]
    assert new != old
    assert _plans(client) == []
    _move(client, new, 7)
    plan = _wait_plan(client, 0)
    assert plan["origin"] == new
    assert _out(client.run_pending_plans()) == {nb.ids[1]: "m = 14\n", nb.ids[2]: "n = 7\n"}
    _move(client, old, 9)  # the replaced widget is no longer observed
    client.pump_for(QUIET)
    assert len(_plans(client)) == 1


def test_deleting_the_defining_cell_stops_observing(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    (slider,) = _slider_ids(client)
    nb.delete(0)
    client.run_pending_plans()  # eager: the readers re-run and meet the NameError
    assert "NameError" in nb.last(0).reply.get("ename", "")
    _move(client, slider, 6)
    client.pump_for(QUIET)
    assert _plans(client) == []


def test_cell_code_setting_the_value_starts_no_widget_plan(
    client: CheckedClient, nb: LiveNotebook
) -> None:
    nb.insert(3, "n.value = 3")
    nb.run(3)
    client.pump_for(QUIET)
    assert _plans(client) == []
    # That cell changed n in place: its version is the one later readers read, and it is watched.
    nb.insert(4, "print('later', n.value)")
    nb.run(4)
    (slider,) = _slider_ids(client)
    _move(client, slider, 8)
    plan = _wait_plan(client, 0)
    assert plan["cells"] == [nb.ids[4]]
    assert _out(client.run_pending_plans()) == {nb.ids[4]: "later 8\n"}


def test_lazy_mode_marks_the_readers_stale(client: CheckedClient, nb: LiveNotebook) -> None:
    assert client.request("set_mode", mode="lazy")["type"] == "ack"
    (slider,) = _slider_ids(client)
    _move(client, slider, 2)
    client.wait_for(
        lambda m: (
            m["type"] == "cell_states"
            and any(s["id"] == nb.ids[2] and s["state"] == "stale" for s in m["states"])
        ),
        "the readers going stale",
    )
    assert nb.state(1) == nb.state(2) == "stale"
    assert "widget n" in nb.state_record(1)["reason"]
    assert nb.state(0) == "fresh"
    assert _plans(client) == []
    runs = nb.run_stale()
    assert _out(runs) == {nb.ids[1]: "m = 4\n", nb.ids[2]: "n = 2\n"}


def test_without_the_extension_the_readers_go_stale_silently(client: CheckedClient) -> None:
    client.execute(SLIDER, "a")
    client.execute(DOUBLE, "b")
    client.execute(SHOW, "c")
    (slider,) = _slider_ids(client)
    _move(client, slider, 5)
    # Read iopub ourselves: nothing may be printed anywhere (no cell asked for output).
    deadline = time.monotonic() + QUIET
    printed = []
    while time.monotonic() < deadline:
        try:
            msg = client.kc.get_iopub_msg(timeout=0.1)
        except Exception:  # queue.Empty
            continue
        if msg["header"]["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            printed.append(msg)
    assert printed == []
    assert client.messages == []  # no comm, no protocol traffic
    status = client.execute("%reactive status", "m").stdout
    assert "cell [2] (m = n.value * 2)  stale: the widget n" in status
    assert "cell [3] (print('n =', n.value))  stale" in status
    assert "cell [1] (import ipywidgets)  fresh" in status
    ran = client.execute("%reactive run-stale", "m")
    assert ran.stdout == "m = 10\nn = 5\n"
    assert "Nothing is stale." in client.execute("%reactive run-stale", "m").stdout


# -- bad input (issue 5): a clear error in the right cell, and the kernel keeps working -----------


def test_bad_widget_arguments_fail_in_their_own_cell(client: CheckedClient) -> None:
    client.open()
    nb = LiveNotebook(
        client,
        [
            "from reactive_kernel import ui",
            "n = ui.slider(0, 10, value=50)",
            "print('n is', n.value)",
            "t = ui.table(42)",
            "print('still working', 6 * 7)",
        ],
    )
    nb.run(0)
    slider = nb.run(1).reply
    assert slider["status"] == "error"
    assert slider["ename"] == "WidgetValueError"
    assert "ui.slider" in slider["evalue"] and "50" in slider["evalue"]
    assert nb.state(2) == "blocked"
    table = nb.run(3).reply
    assert table["ename"] == "WidgetTypeError"
    assert "ui.table" in table["evalue"] and "int" in table["evalue"]
    assert nb.run(4).stdout == "still working 42\n"


def test_a_widget_made_in_a_cell_that_then_fails_starts_nothing(client: CheckedClient) -> None:
    client.open()
    nb = LiveNotebook(client, [SLIDER + "\n1 / 0", DOUBLE])
    nb.run(0)
    assert nb.last(0).reply["ename"] == "ZeroDivisionError"
    assert nb.state(0) == "error"
    assert nb.state(1) == "blocked"
    (slider,) = _slider_ids(client)  # the widget exists (its comm opened) but is not watched
    _move(client, slider, 5)
    client.pump_for(QUIET)
    assert _plans(client) == []
    assert nb.state(1) == "blocked"
    nb.edit(0, SLIDER)  # fixed: runs, and its reader with it; a new widget is watched
    nb.run(0)
    assert nb.last(1).stdout == "m = 2\n"
    _move(client, _slider_ids(client)[-1], 6)
    _wait_plan(client, 0)
    assert _out(client.run_pending_plans()) == {nb.ids[1]: "m = 12\n"}


def test_selecting_rows_of_a_pandas_table_reruns_its_reader(client: CheckedClient) -> None:
    """``ui.table`` over a real DataFrame: the browser sends ``selected``, the reader gets a
    DataFrame of those rows."""
    pytest.importorskip("pandas")
    client.open()
    table = (
        "import pandas as pd\nfrom reactive_kernel import ui\n"
        "t = ui.table(pd.DataFrame({'name': ['a', 'b', 'c'], 'x': [1, 2, 3]}))\nt"
    )
    nb = LiveNotebook(client, [table, "print(type(t.value).__name__, list(t.value['name']))"])
    nb.run(0)
    assert nb.last(1).stdout == "DataFrame []\n"
    (model,) = [
        str(c["comm_id"])
        for c in client.comm_opens
        if c.get("target_name") == "jupyter.widget" and "selected" in c["data"]["state"]
    ]
    client.send_comm(model, {"method": "update", "state": {"selected": [0, 2]}, "buffer_paths": []})
    _wait_plan(client, 0)
    assert _out(client.run_pending_plans()) == {nb.ids[1]: "DataFrame ['a', 'c']\n"}
    assert len(nb.runs_of(0)) == 1
