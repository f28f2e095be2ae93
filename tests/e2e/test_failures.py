"""Failures: an error blocks descendants, graph errors show, interrupt stops a cascade."""

from __future__ import annotations


def test_an_error_blocks_descendants(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(
        [
            ("a", "x = 1"),
            ("b", "y = 10 / (x - 1)"),
            ("c", "print('z =', y)"),
            ("d", "print('independent')"),
        ]
    )
    nb.command("reactive:run-all")
    # The rest of the plan does not run: c is blocked by b, d (independent) stays stale.
    nb.wait_states({"a": "fresh", "b": "error", "c": "blocked", "d": "stale"})
    nb.wait_idle()
    assert "ZeroDivisionError" in nb.output("b")
    assert nb.output("c") == ""  # never ran
    badge = nb.badge("c")
    assert "blocked" in badge["text"]
    assert "upstream, failed" in badge["title"]
    assert "y \u2190 cell [2] (y = 10 / (x - 1))" in badge["title"]
    nb.select("c")
    nb.screenshot("error-blocked")

    nb.set_source("a", "x = 2")  # fix it: the cascade runs b and c again
    nb.run("a")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_output("c", "z = 10.0")


def test_duplicate_definition_and_cycle_are_graph_errors(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(
        [
            ("r", "print(x)"),
            ("d1", "x = 1"),
            ("d2", "x = 2"),
            ("p", "p = q + 1"),
            ("q", "q = p + 1"),
        ]
    )
    # r reads x, which two cells below define: r's reference is ambiguous (docs/reactivity.md).
    nb.wait_states(
        {"r": "graph-error", "d1": "stale", "d2": "stale", "p": "graph-error", "q": "graph-error"}
    )
    title = nb.badge("r")["title"]
    assert "Graph error (ambiguous)" in title
    assert "cell [2] (x = 1)" in title and "cell [3] (x = 2)" in title  # names both definers
    assert "Graph error (cycle)" in nb.badge("p")["title"]
    nb.run("r")  # refused without running: the reply says why
    nb.wait_output("r", "GraphError")
    nb.screenshot("graph-error")


def test_deleting_a_cell_updates_its_dependents(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook([("a", "x = 1"), ("b", "print('x is', x)"), ("c", "w = 3")])
    nb.command("reactive:run-all")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_output("b", "x is 1")
    nb.wait_idle()
    nb.select("a")
    nb.command("notebook:delete-cell")
    nb.wait("!cellById('a')", what="cell a to be deleted")
    # eager mode: the kernel removes x and re-runs b (plan trigger "delete"), which now fails.
    nb.wait_output("b", "NameError")
    nb.wait_states({"b": "error", "c": "fresh"})


def test_interrupt_stops_a_cascade(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(
        [
            ("a", "x = 1"),
            ("b", "import time\nif x > 1:\n    time.sleep(60)\ny = x"),
            ("c", "print('c saw', y)"),
        ]
    )
    nb.command("reactive:run-all")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_idle()
    count_c = nb.execution_count("c")

    nb.set_source("a", "x = 2")
    nb.run("a")
    nb.wait_states({"b": "running", "c": "queued"})
    nb.screenshot("running-queued")
    nb.command("notebook:interrupt-kernel")
    nb.wait_output("b", "KeyboardInterrupt")
    nb.wait_states({"a": "fresh", "b": "stale", "c": "stale"}, timeout=20)
    nb.wait_idle()
    nb.page.wait_for_timeout(500)  # c must not start late
    assert nb.execution_count("c") == count_c
    assert nb.output("c") == "c saw 1\n"
