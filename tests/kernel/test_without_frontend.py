"""The kernel without the extension (VS Code, Notebook 7 alone, nbclient, jupyter console).

Nobody opens the comm: the kernel learns cells from the cell ids in execute requests (display
order is the order it first sees them), keeps memory honest, reports stale cells after a run,
and runs them on ``%reactive run-stale``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kernel.notebook import CheckedClient, reactive_kernel

pytestmark = pytest.mark.kernel


@pytest.fixture
def client() -> Iterator[CheckedClient]:
    with reactive_kernel() as (_km, client):
        yield client


def test_running_a_cell_reports_the_cells_that_became_stale(client: CheckedClient) -> None:
    client.execute("x = 1", "a")
    client.execute("y = x + 1\nprint(y)", "b")
    rerun = client.execute("x = 5", "a")
    assert "1 cell(s) now stale: cell [2] (y = x + 1)" in rerun.stderr
    assert "%reactive run-stale" in rerun.stderr
    assert client.messages == []  # no comm traffic without a front end


def test_run_stale_magic_runs_them_in_order(client: CheckedClient) -> None:
    client.execute("x = 1", "a")
    client.execute("y = x + 1", "b")
    client.execute("print('y =', y)", "c")
    client.execute("x = 10", "a")
    status = client.execute("%reactive status", "m")
    assert "cell [2] (y = x + 1)  stale" in status.stdout
    result = client.execute("%reactive run-stale", "m")
    assert "y = 11" in result.stdout
    assert result.stderr.index("cell [2]") < result.stderr.index("cell [3]")
    again = client.execute("%reactive run-stale", "m")
    assert "Nothing is stale." in again.stdout


def test_deleted_definition_is_removed_without_a_front_end(client: CheckedClient) -> None:
    client.execute("a = 1\nb = 2", "one")
    client.execute("a = 1", "one")
    check = client.execute("print('b' in globals())", None)
    assert check.stdout == "False\n"


def test_upstream_rerun_happens_inside_the_request(client: CheckedClient) -> None:
    client.execute("xs = []", "a")
    client.execute("print(len(xs))", "b")
    client.execute("xs.append(1)", "c")
    again = client.execute("print(len(xs))", "b")
    assert "re-running cell [1]" in again.stderr
    assert again.stdout == "0\n"


def test_console_code_without_cell_id_marks_readers_stale(client: CheckedClient) -> None:
    client.execute("x = 1", "a")
    client.execute("print(x)", "b")
    console = client.execute("x = 99", None)
    assert "cell [2] (print(x))" in console.stderr


def test_reset_magic_makes_every_cell_stale_and_runs_rebuild(client: CheckedClient) -> None:
    client.execute("x = 1", "a")
    client.execute("y = x + 1", "b")
    client.execute("%reset -f", "r")
    status = client.execute("%reactive status", "m")
    assert "cell [1] (x = 1)  stale" in status.stdout
    assert "cell [2] (y = x + 1)  stale" in status.stdout
    again = client.execute("print(y)", "c")
    assert "re-running cell [1]" in again.stderr and "cell [2]" in again.stderr
    assert again.stdout == "2\n"
