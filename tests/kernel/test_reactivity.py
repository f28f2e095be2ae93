"""The reactive kernel over the real Jupyter protocol, with a front end on the comm (spec 4).

Each test starts its own kernel process: the kernel's memory is what is under test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.kernel.notebook import CheckedClient, LiveNotebook, reactive_kernel

pytestmark = pytest.mark.kernel


@pytest.fixture
def client() -> Iterator[CheckedClient]:
    with reactive_kernel() as (_km, client):
        welcome = client.open()
        assert welcome["type"] == "welcome"
        assert welcome["mode"] == "eager"
        yield client


def test_running_a_cell_reruns_its_descendants_in_their_own_cells(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["x = 1", "y = x + 1", "print('y is', y)", "print('unrelated')"])
    nb.run_all()
    assert nb.last(2).stdout == "y is 2\n"

    nb.edit(0, "x = 10")
    first = nb.run(0)
    assert first.status == "ok"
    assert nb.last(2).stdout == "y is 11\n"  # the output landed in cell 2's own execution
    assert len(nb.runs_of(1)) == 2 and len(nb.runs_of(2)) == 2
    assert len(nb.runs_of(3)) == 1  # not downstream: not re-run
    assert all(nb.state(i) == "fresh" for i in range(4))
    plans = [m for m in client.messages if m["type"] == "run_plan" and "reply_to" not in m]
    assert plans[-1]["cells"] == [nb.ids[1], nb.ids[2]]
    assert plans[-1]["origin"] == nb.ids[0]


def test_cascade_follows_execution_order_not_display_order(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["print('total', total)", "total = base * 2", "base = 3"])
    runs = nb.run_all()
    assert [r.cell_id for r in runs] == [nb.ids[2], nb.ids[1], nb.ids[0]]
    assert nb.last(0).stdout == "total 6\n"


def test_each_reader_sees_the_version_above_it(client: CheckedClient) -> None:
    nb = LiveNotebook(
        client,
        ["df = [3, 1, 2]", "df = sorted(df)", "print('A', df)", "df = df[:1]", "print('B', df)"],
    )
    nb.run_all()
    assert nb.last(2).stdout == "A [1, 2, 3]\n"
    assert nb.last(4).stdout == "B [1]\n"
    nb.run(2)  # reads cell 1's version, which cell 3 has since replaced: it is put back
    assert nb.last(2).stdout == "A [1, 2, 3]\n"
    assert nb.evaluate("df") == "[1]"  # afterwards the last definer's version, as top-to-bottom


def test_mutated_version_is_rebuilt_by_rerunning_its_producer(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["xs = []", "print('len', len(xs))", "xs.append(1)"])
    nb.run_all()
    assert nb.last(1).stdout == "len 0\n"
    assert nb.evaluate("xs") == "[1]"
    nb.run(1)  # cell 2 mutated the object cell 1 reads: cell 0 runs again first
    assert nb.last(1).stdout == "len 0\n"
    assert len(nb.runs_of(0)) == 2
    assert nb.evaluate("xs") == "[1]"  # and cell 2 re-ran after, as top-to-bottom would


def test_a_definition_that_is_gone_leaves_memory(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["a = 1\nb = 2", "print(a + b)"])
    nb.run_all()
    assert nb.last(1).stdout == "3\n"
    nb.edit(0, "b = 2")
    nb.run(0)
    assert nb.last(1).status == "error"
    assert nb.last(1).reply["ename"] == "NameError"
    assert nb.state(1) == "error"
    assert nb.evaluate("'a' in globals()") == "False"


def test_deleting_a_cell_removes_its_variables_and_updates_readers(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["token = 'abc'", "print(token)"])
    nb.run_all()
    nb.delete(0)
    assert nb.evaluate("'token' in globals()") == "False"
    # Eager: the kernel pushes a plan that re-runs the reader, which now fails loudly.
    plans = [m for m in client.messages if m["type"] == "run_plan" and m["trigger"] == "delete"]
    assert [p["cells"] for p in plans] == [[nb.ids[0]]]
    client.run_pending_plans()
    assert nb.state(0) == "error"
    assert nb.last(0).reply["ename"] == "NameError"


def test_in_lazy_mode_deleting_a_cell_leaves_its_readers_stale(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["token = 'abc'", "print(token)"])
    nb.run_all()
    assert client.request("set_mode", mode="lazy")["type"] == "ack"
    nb.delete(0)
    assert not [m for m in client.messages if m["type"] == "run_plan" and m["trigger"] == "delete"]
    assert nb.state(0) == "stale"
    assert "deleted" in nb.state_record(0)["reason"]


def test_a_failing_cell_blocks_its_descendants(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["n = 0", "ratio = 1 / n", "print(ratio)", "print('other', n)"])
    runs = nb.run_all()
    assert nb.last(1).reply["ename"] == "ZeroDivisionError"
    assert nb.ids[2] not in [r.cell_id for r in runs]
    record = nb.state_record(2)
    assert record["state"] == "blocked"
    assert record["cells"] == [nb.ids[1]]
    finished = [m for m in client.messages if m["type"] == "plan_finished"]
    assert finished[-1]["status"] == "error"
    assert finished[-1]["failed_cell"] == nb.ids[1]

    nb.edit(0, "n = 4")
    nb.run(0)
    assert nb.last(2).stdout == "0.25\n"
    assert nb.state(2) == "fresh"


def test_graph_errors_refuse_to_run_and_block_downstream(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["left = right + 1", "right = left * 2", "print(left)"])
    execution = nb.run(0)
    assert execution.status == "error"
    assert execution.reply["ename"] == "GraphError"
    assert "cycle" in execution.reply["evalue"]
    assert nb.state(0) == "graph-error"
    assert nb.state(2) == "blocked"
    blocked = nb.run(2)
    assert blocked.reply["ename"] == "BlockedError"

    nb.edit(1, "right = 5")
    assert nb.run(1).status == "ok"
    assert nb.last(2).stdout == "6\n"


def test_ambiguous_name_is_a_graph_error_of_the_reader(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["print(threshold)", "threshold = 0.5", "threshold = 0.7"])
    execution = nb.run(0)
    assert execution.reply["ename"] == "GraphError"
    assert "threshold" in execution.reply["evalue"]
    assert nb.run(1).status == "ok"


def test_lazy_mode_marks_descendants_stale_and_run_stale_runs_them(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["x = 1", "y = x * 3", "print(y)"])
    nb.run_all()
    assert client.request("set_mode", mode="lazy")["type"] == "ack"
    nb.edit(0, "x = 2")
    nb.run(0)
    assert len(nb.runs_of(1)) == 1  # nothing cascaded
    assert nb.state(1) == "stale" and nb.state(2) == "stale"
    runs = nb.run_stale()
    assert [r.cell_id for r in runs] == [nb.ids[1], nb.ids[2]]
    assert nb.last(2).stdout == "6\n"
    assert all(nb.state(i) == "fresh" for i in range(3))


def test_running_a_cell_with_stale_ancestors_runs_them_first(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["x = 1", "y = x + 1", "print(y)"])
    nb.run_all()
    client.request("set_mode", mode="lazy")
    nb.edit(0, "x = 5")
    nb.run(0)
    execution = nb.run(2)  # its parent (cell 1) is stale: the kernel defers behind it
    assert "running cell [2]" in execution.stderr
    assert nb.last(2).stdout == "6\n"
    assert nb.state(1) == "fresh"


def test_interrupt_stops_the_cascade_and_leaves_the_rest_stale() -> None:
    with reactive_kernel() as (km, client):
        client.open()
        slow = "import time\nfor _ in range(300):\n    time.sleep(0.1)\ny = x"
        nb = LiveNotebook(client, ["x = 1", slow, "z = y"])
        timer = threading.Timer(2.0, km.interrupt_kernel)
        timer.start()
        started = time.monotonic()
        runs = nb.run_all()
        timer.join()
        assert time.monotonic() - started < 20
        assert [r.cell_id for r in runs] == [nb.ids[0], nb.ids[1]]
        assert runs[-1].reply["ename"] == "KeyboardInterrupt"
        assert nb.state(1) == "stale" and nb.state(2) == "stale"
        assert "interrupted" in nb.state_record(2)["reason"]
        finished = [m for m in client.messages if m["type"] == "plan_finished"]
        assert finished[-1]["status"] == "aborted"
        assert nb.evaluate("x") == "1"  # the kernel is alive and kept what ran


def test_cell_private_names_are_not_visible_to_other_cells(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["_scratch = 41\nanswer = _scratch + 1", "print(answer)", "_scratch"])
    nb.run_all()
    assert nb.last(1).stdout == "42\n"
    assert nb.last(2).reply["ename"] == "NameError"


def test_private_names_go_even_when_the_cell_deletes_the_newest_name(
    client: CheckedClient,
) -> None:
    """The kernel finds a run's new names after the namespace's last key; a cell that deletes
    that very key must still lose its private names."""
    client.execute("first = 1", "a")
    client.execute("newest = 2", "b")
    client.execute("del newest\n_scratch = 3\nkept = _scratch + 1", "c")
    check = client.execute("print('_scratch' in globals(), kept)", None)
    assert check.stdout == "False 4\n"
    client.execute("_again = 5\nalso = _again", "d")
    check = client.execute("print('_again' in globals(), also)", None)
    assert check.stdout == "False 5\n"


def test_magics_and_shell_cells_take_part_in_the_graph(client: CheckedClient) -> None:
    nb = LiveNotebook(
        client,
        ["%time base = 2", "listing = !echo one two", "print(base * 10, listing)"],
    )
    nb.run_all()
    assert nb.last(2).stdout == "20 ['one two']\n"
    nb.edit(0, "%time base = 3")
    nb.run(0)
    assert nb.last(2).stdout == "30 ['one two']\n"


def test_moving_a_cell_rebinds_its_readers(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["v = 'first'", "print(v)", "v = 'second'"])
    nb.run_all()
    assert nb.last(1).stdout == "first\n"
    nb.move(2, 0)  # now: v = 'second', v = 'first', print(v)
    client.run_pending_plans()
    assert nb.state(2) in ("stale", "fresh")
    nb.run(2)
    assert nb.last(2).stdout == "first\n"
    nb.move(1, 0)  # now: v = 'first', v = 'second', print(v)
    nb.run(2)
    assert nb.last(2).stdout == "second\n"


def test_a_plan_the_kernel_drops_ends_with_plan_finished_aborted(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["a = 1", "b = a + 1", "c = b + 1", "d = 'other'"])
    nb.run_all()
    client.execute(nb.sources[nb.ids[0]], nb.ids[0], run_plans=False)  # pushes the plan [b, c]
    (pushed,) = [m for m in client.messages if m["type"] == "run_plan" and "reply_to" not in m]
    client.execute(nb.sources[nb.ids[3]], nb.ids[3], run_plans=False)  # the user runs another cell
    finished = [m for m in client.messages if m["type"] == "plan_finished"]
    assert {"plan_id": pushed["plan_id"], "status": "aborted"}.items() <= finished[-1].items()
    assert nb.state(1) == "stale"
