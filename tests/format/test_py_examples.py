"""The ``.py`` notebooks in ``examples/``: stored canonically, free of graph errors, and runnable
as plain scripts (the README sends users to them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jupytext_format import reads, writes
from reactive_kernel.cli.check import check_cells

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))


def test_there_is_a_py_example() -> None:
    assert EXAMPLES, "examples/ should hold at least one .py notebook"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_canonical_and_has_no_graph_errors(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    notebook = reads(text)
    assert writes(notebook) == text, "opening and saving the example would change it"
    cells = [(cell["cell_type"], cell["source"]) for cell in notebook["cells"]]
    report, _ = check_cells(cells)
    assert report["ok"], report


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs_as_a_script(path: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the example prints its results"
