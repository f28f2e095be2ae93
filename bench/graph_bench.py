"""Graph benchmarks: one-cell edits at 50, 200 and 1000 cells, and a cold ``check`` of 1000 cells.

An edit is measured as the front end experiences it: the graph update plus everything the kernel
then reports (the execution order and the changed cells' parents and errors).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.types import CellId

SIZES = (50, 200, 1000)


def realistic_cells(count: int) -> list[str]:
    """Cells shaped like a real analysis notebook: imports, loads, a df rebound again and again,
    helper functions, plotting cells that each rebind fig and ax, and mutations."""
    cells = ["import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt"]
    for i in range(1, count):
        kind = i % 6
        if kind == 0:
            cells.append(f"df = df.assign(c{i}=df.a * {i})")
        elif kind == 1:
            cells.append(f"def f{i}(v):\n    return v + offset_{i - 1 if i > 1 else 1}")
        elif kind == 2:
            cells.append(f"offset_{i} = {i}\nseries_{i} = np.arange({i})")
        elif kind == 3:
            cells.append(f"fig, ax = plt.subplots()\nax.plot(series_{i - 1})\nax.set_title('{i}')")
        elif kind == 4:
            cells.append(
                f"df = pd.DataFrame({{'a': series_{i - 2}}})"
                if i < 6
                else f"summary_{i} = df.describe()"
            )
        else:
            cells.append(f"results_{i} = [f{i - 4}(v) for v in series_{i - 3}]\nlog.append({i})")
    return cells


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def edit_costs(size: int, repeat: int) -> dict[str, float]:
    sources = realistic_cells(size)
    graph = NotebookGraph()
    ids = [CellId(f"c{i}") for i in range(size)]
    graph.reset(list(zip(ids, sources, strict=True)))
    graph.order()
    middle = ids[size // 2]
    counter = iter(range(10**9))

    def report(changed: frozenset[CellId]) -> None:
        graph.order()
        for cell in changed:
            if cell in graph:
                graph.parents(cell)
                graph.errors(cell)

    def edit() -> None:
        # A new constant each time: a real edit, never a cache hit in the analysis.
        change = graph.update(middle, f"offset_x = {next(counter)}\ndf = df.head({size})")
        report(change.cells)

    def insert_and_delete() -> None:
        new = CellId(f"n{next(counter)}")
        report(graph.insert(new, f"df = df.tail({next(counter)})", size // 2).cells)
        report(graph.remove(new).cells)

    def move_and_back() -> None:
        report(graph.move(middle, size // 4).cells)
        report(graph.move(middle, size // 2).cells)

    return {
        "edit one cell": _median_ms(edit, repeat),
        "insert + delete a cell": _median_ms(insert_and_delete, repeat) / 2,
        "move a cell (each way)": _median_ms(move_and_back, repeat) / 2,
    }


def cold_check_seconds(path: Path, runs: int = 5) -> float:
    """Median wall time of ``reactive-kernel check --json PATH`` in a fresh process (imports
    included), checking that it printed a full report."""
    cells = len(nbformat.read(path, as_version=4).cells)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "reactive_kernel.cli", "check", "--json", str(path)],
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"check failed: {done.stderr.decode()}")
        if len(json.loads(done.stdout)["cells"]) != cells:
            raise RuntimeError("check did not report every cell")
    return statistics.median(times)


def write_realistic_notebook(path: Path, size: int) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in realistic_cells(size)]
    nbformat.write(notebook, path)
    return path


def cold_check_realistic(size: int = 1000, runs: int = 5) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return cold_check_seconds(write_realistic_notebook(Path(tmp) / "big.ipynb", size), runs)


def edit_costs_all(quick: bool = False) -> dict[int, dict[str, float]]:
    repeat = 5 if quick else 25
    return {size: edit_costs(size, repeat) for size in SIZES}


def rows(costs: dict[int, dict[str, float]], check: float) -> list[str]:
    lines = []
    for name in costs[SIZES[0]]:
        cells = " | ".join(f"{costs[size][name]:.3f} ms" for size in SIZES)
        lines.append(f"| {name} | {cells} | flat; <= 5 ms at 1000 |")
    lines.append(f"| cold `check --json` (new process) | | | {check:.2f} s | <= 2 s at 1000 |")
    return lines


def run_all(quick: bool = False) -> list[str]:
    return rows(edit_costs_all(quick), cold_check_realistic(runs=1 if quick else 5))


if __name__ == "__main__":
    print("\n".join(run_all(quick="--quick" in sys.argv)))
