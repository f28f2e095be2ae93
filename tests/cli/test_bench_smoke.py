"""The benchmark scripts still import and run, at tiny sizes and with no timing asserted.

Benchmarks are run by hand (``python bench/run.py``, results in bench/RESULTS.md), never as timed
assertions here: this only keeps them from rotting between runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import format_bench, graph_bench, kernel_bench
from bench import run as bench_run

pytestmark = pytest.mark.cli


def test_graph_edits_run_at_a_tiny_size() -> None:
    costs = graph_bench.edit_costs(12, repeat=1)
    assert set(costs) == {"edit one cell", "insert + delete a cell", "move a cell (each way)"}
    assert all(value >= 0 for value in costs.values())


def test_cold_check_runs_on_a_tiny_notebook(tmp_path: Path) -> None:
    path = graph_bench.write_realistic_notebook(tmp_path / "small.ipynb", 8)
    assert graph_bench.cold_check_seconds(path, runs=1) > 0


def test_results_page_has_every_target_and_keeps_notes(tmp_path: Path) -> None:
    figure = kernel_bench.Figure("trivial", 1.1, 1.0, "ms", "ratio <= 1.2")
    cascade = kernel_bench.Figure("cascade", 1.5, 4.0, "ms", "overhead <= 1 ms")
    edits = {50: {"edit one cell": 0.1}, 1000: {"edit one cell": 6.0}}
    formats = format_bench.Figures(
        cells=3, size_bytes=100, reordered=False, writes_cold=0.5, writes=0.1, reads=0.1,
        jupytext_writes=0.2, jupytext_reads=0.2, open=0.4, ipynb_open=0.3, ipynb_save=0.3,
        save=0.2, save_edited_cold=3.0, save_edited=0.5,
    )  # fmt: skip
    slow = kernel_bench.Figure("trivial again", 1.3, 1.0, "ms", "ratio <= 1.2")
    found = bench_run.verdicts(
        [figure, slow],
        [figure],
        cascade,
        edits,
        {"tiny": 0.4},
        {50: (2.0, 3.0, 10), 1000: (4.0, 5.0, 20)},
        formats,
    )
    kernel_and_graph = [True, False, False, False, False, True, True]
    py_format = [True, True, True, False]  # open, unchanged save, edited save, cold edited save
    assert [v.passed for v in found] == kernel_and_graph + py_format
    assert "5 MB" in format_bench.table(formats)
    assert "**FAIL**" in found[1].row()
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# old\n\n{bench_run.NOTES_MARKER}\n\nWhy it is slow.\n", encoding="utf-8")
    assert bench_run.kept_notes(results) == [bench_run.NOTES_MARKER, "", "Why it is slow."]
    assert bench_run.kept_notes(tmp_path / "missing.md")[0] == bench_run.NOTES_MARKER


def test_widget_bench_runs_at_a_tiny_size() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    from bench import widget_bench

    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")
    pytest.importorskip("ipywidgets")
    results = widget_bench.run(singles=2, events=5, rates=[0.0], widgets=["ui.slider"])
    reactive, baseline = results
    assert len(reactive.singles) == len(baseline.singles) == 2
    (burst,) = reactive.bursts  # burst() itself checks that the last output shows the last value
    assert burst.plans >= 1
    assert 1 <= burst.runs <= burst.events
    assert baseline.bursts[0].runs == 5  # observe runs once per event
    assert "ipykernel + observe" in widget_bench.table(results)
