"""Running a cell re-runs its dependents, each in its own cell; lazy mode marks them stale."""

from __future__ import annotations

CELLS = [
    ("a", "x = 1"),
    ("b", "y = x + 1\nprint('y =', y)"),
    ("c", "print('z =', y * 10)"),
]


def test_edit_and_run_cascades_into_dependents(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(CELLS)
    assert set(nb.states().values()) == {"stale"}  # nothing ran yet
    nb.command("reactive:run-all")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_output("c", "z = 20")
    counts = {cell: nb.execution_count(cell) for cell in "abc"}

    nb.set_source("a", "x = 5")
    nb.run("a")
    nb.wait_output("b", "y = 6")
    nb.wait_output("c", "z = 60")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_idle()
    # Each dependent ran as its own execution: its own output, a new execution count.
    assert nb.output("b") == "y = 6\n"
    assert nb.output("c") == "z = 60\n"
    for cell in "abc":
        assert nb.execution_count(cell) > counts[cell]
    assert nb.execution_count("a") < nb.execution_count("b") < nb.execution_count("c")
    nb.select("b")
    nb.screenshot("cascade")


def test_lazy_mode_marks_stale_and_run_stale_clears(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(CELLS)
    nb.command("reactive:run-all")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_idle()

    nb.page.click(".rk-Toolbar-mode")  # the toolbar toggle: eager -> lazy
    nb.wait("nb.model.getMetadata('reactive')?.mode === 'lazy'", what="lazy mode in the metadata")
    assert nb.page.inner_text(".rk-Toolbar-mode").endswith("lazy")
    count_c = nb.execution_count("c")

    nb.set_source("a", "x = 3")
    nb.run("a")
    nb.wait_states({"a": "fresh", "b": "stale", "c": "stale"})
    nb.wait_idle()
    assert nb.output("c") == "z = 20\n"  # not re-run
    assert nb.execution_count("c") == count_c
    assert "stale (2)" in nb.page.inner_text(".rk-Toolbar-stale")
    badge = nb.badge("c")
    assert "stale" in badge["text"]
    assert "Out of date" in badge["title"]
    nb.select("a")
    nb.screenshot("lazy-stale")

    nb.locator("a").click()  # focus the notebook, then the shortcut for Run Stale Cells
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("Control+Alt+Enter")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_output("c", "z = 40")
    assert nb.output("b") == "y = 4\n"


def test_jupyterlab_run_all_runs_each_cell_once(notebook) -> None:  # type: ignore[no-untyped-def]
    """Run All queues every cell at once; the cascade plans that follow must not run them again."""
    nb = notebook(CELLS)
    nb.command("notebook:run-all-cells")
    nb.wait_states({"a": "fresh", "b": "fresh", "c": "fresh"})
    nb.wait_idle()
    nb.page.wait_for_timeout(500)
    assert [nb.execution_count(cell) for cell in "abc"] == [1, 2, 3]
    assert nb.output("c") == "z = 20\n"
