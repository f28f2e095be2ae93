"""How many ``cell_states`` messages a cell run costs, and that none of their information is lost.

A cell that runs for less than ``RUNNING_STATE_DELAY`` sends one ``cell_states`` (its final state,
plus whatever changed as it started: the cells a new plan queued); a longer one also sends its
``running`` state while it runs (docs/protocol.md, "The user runs a cell").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from reactive_kernel.kernel.bridge import RUNNING_STATE_DELAY, DelayedSend
from tests.kernel.notebook import CheckedClient, reactive_kernel

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def client() -> Iterator[CheckedClient]:
    with reactive_kernel() as (_km, client):
        client.open()
        yield client


def _states_during(client: CheckedClient, run: Any) -> list[dict[str, str]]:
    """The ``cell_states`` messages the kernel sent while ``run()`` ran, as {cell: state}."""
    seen = len(client.messages)
    run()
    return [
        {record["id"]: record["state"] for record in message["states"]}
        for message in client.messages[seen:]
        if message["type"] == "cell_states"
    ]


def _final(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Without the messages sent while a cell ran (it showed as running): on a loaded machine
    even a trivial cell may take longer than RUNNING_STATE_DELAY now and then."""
    return [m for m in messages if "running" not in m.values()]


def _run_all(client: CheckedClient, cells: list[tuple[str, str]]) -> None:
    client.sync(cells)
    plan = client.request("request_plan", action="run_all", cell_ids=[])
    client.run_cells(plan["cells"])


def test_fast_cells_send_one_cell_states_per_run(client: CheckedClient) -> None:
    cells = [(f"f{i}", f"fast{i} = {i}") for i in range(20)]
    client.sync(cells)
    assert {client.states[c]["state"] for c, _ in cells} == {"stale"}
    messages = _states_during(client, lambda: client.run_cells([c for c, _ in cells]))
    assert _final(messages) == [{cell: "fresh"} for cell, _ in cells]
    assert len(messages) <= 25, messages  # two per run before: running, then fresh


def test_rerunning_fresh_cells_without_dependents_sends_no_states(client: CheckedClient) -> None:
    cells = [(f"r{i}", f"again{i} = {i}") for i in range(20)]
    _run_all(client, cells)
    messages = _states_during(client, lambda: client.run_cells([c for c, _ in cells]))
    # Fresh before, fresh after: the front end holds that already. Only a cell that was shown
    # running (a slow moment on a loaded machine) gets its fresh state back.
    shown_running = {cell for m in messages for cell, state in m.items() if state == "running"}
    assert [m for m in _final(messages) if not m.keys() <= shown_running] == []
    assert {client.states[c]["state"] for c, _ in cells} == {"fresh"}


def test_a_cascade_sends_one_cell_states_per_cell_and_still_shows_the_queue(
    client: CheckedClient,
) -> None:
    _run_all(client, [("a", "x = 1"), ("b", "y = x + 1"), ("c", "z = y + 1")])
    messages = _states_during(client, lambda: client.execute("x = 2", "a"))
    # a's run starts the plan a, b, c: the cells queued then arrive when a ends (a itself was
    # fresh before and is fresh again: nothing to send for it).
    assert _final(messages) == [
        {"b": "queued", "c": "queued"},
        {"b": "fresh"},
        {"c": "fresh"},
    ]
    assert [client.states[c]["state"] for c in "abc"] == ["fresh"] * 3


def test_a_slow_cell_is_shown_running_while_it_runs(client: CheckedClient) -> None:
    pause = max(0.5, 5 * RUNNING_STATE_DELAY)
    code = f"import time\ntime.sleep({pause})\nslow = 1"
    _run_all(client, [("s1", "slow = 0"), ("s2", "print(slow)")])
    messages = _states_during(client, lambda: client.execute(code, "s1"))
    assert messages == [{"s1": "running", "s2": "queued"}, {"s1": "fresh"}, {"s2": "fresh"}]


def test_a_failing_cell_ends_with_its_error_and_the_blocked_cells(client: CheckedClient) -> None:
    _run_all(client, [("e1", "boom = 1"), ("e2", "print(boom)")])
    messages = _states_during(client, lambda: client.execute("boom = 1 / 0", "e1"))
    # Formatting a traceback can take longer than the delay: then "running" went out first.
    assert _final(messages) == [{"e1": "error", "e2": "blocked"}]
    assert client.states["e1"]["state"] == "error"


# -- the delayed send on its own -------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[float, str]] = []
        self.event = threading.Event()

    def __call__(self, item: str) -> None:
        self.sent.append((time.monotonic(), item))
        self.event.set()


def test_delayed_send_sends_after_the_delay_unless_taken_back() -> None:
    recorder = Recorder()
    delayed = DelayedSend[str](0.05, recorder)
    delayed.put("taken")
    assert delayed.take_back() == "taken"
    assert delayed.take_back() is None
    started = time.monotonic()
    delayed.put("sent")
    assert recorder.event.wait(5)
    assert [item for _, item in recorder.sent] == ["sent"]
    assert recorder.sent[0][0] - started >= 0.05
    assert delayed.take_back() is None  # sent: nothing left to take back


def test_delayed_send_restarts_the_delay_on_each_put() -> None:
    recorder = Recorder()
    delayed = DelayedSend[str](0.2, recorder)
    for i in range(5):  # the worker is waiting for the first deadline while later puts arrive
        delayed.put(f"item {i}")
        time.sleep(0.05)
    assert not recorder.sent
    assert recorder.event.wait(5)
    time.sleep(0.3)
    assert [item for _, item in recorder.sent] == ["item 4"]
    recorder.event.clear()
    delayed.put("after a sleep")  # the worker sleeps with no deadline now: put wakes it
    assert recorder.event.wait(5)
    assert [item for _, item in recorder.sent] == ["item 4", "after a sleep"]
