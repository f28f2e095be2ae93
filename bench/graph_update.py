"""Micro-benchmark of the incremental notebook graph: one-cell edits at 50, 200 and 1000 cells.

Each edit is measured as the front end experiences it: the graph update plus what the kernel then
reads (the execution order, and the parents and errors of every cell in the change set). Also timed:
a cold ``reset`` of 1000 cells including the analysis of every cell.

The notebook is shaped like a real analysis notebook: imports, a ``df`` rebound again and again,
helper functions, plotting cells that each rebind ``fig, ax``, in-place mutations, and a few
references to cells further down (a config read before it is defined, a helper defined at the end).

Run: ``python bench/graph_update.py [--quick]``. It uses ``reactive_kernel.analysis.analyze_cell``
when it exists; otherwise a crude stand-in analysis (``_stand_in_analyze``), and says so.
"""

from __future__ import annotations

import ast
import builtins
import statistics
import sys
import time
from collections.abc import Callable
from itertools import count

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.types import CellAnalysis, CellId, Diagnostic

SIZES = (50, 200, 1000)
BUILTINS = frozenset(dir(builtins)) | {"display", "get_ipython"}
MUTATORS = frozenset({"append", "extend", "update", "add", "pop", "sort", "fit", "insert"})


def realistic_cells(count_: int) -> list[str]:
    """Cells of a long analysis notebook (see the module docstring)."""
    cells = [
        "import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt",
        "params = load_params(CONFIG_PATH)",  # CONFIG_PATH is defined at the very end
        "df = pd.DataFrame({'a': np.arange(10)})\nlog = []",
    ]
    for i in range(len(cells), count_ - 2):
        kind = i % 8
        if kind == 0:
            cells.append(f"df = df.assign(c{i}=df.a * {i})")
        elif kind == 1:
            cells.append(f"def f{i}(v):\n    return v + offset_{i + 1} * params['k']")
        elif kind == 2:
            cells.append(f"offset_{i} = {i}\nseries_{i} = np.arange({i})")
        elif kind == 3:
            cells.append(f"fig, ax = plt.subplots()\nax.plot(series_{i - 1})\nax.set_title('{i}')")
        elif kind == 4:
            cells.append(f"summary_{i} = df.describe()\nprint(len(df))")
        elif kind == 5:
            cells.append(f"results_{i} = [f{i - 4}(v) for v in series_{i - 3}]\nlog.append({i})")
        elif kind == 6:
            cells.append(f"df = df[df.a > {i % 5}]")
        else:
            cells.append(f"model_{i} = fit_model(df, helper(results_{i - 2}))")
    cells.append("def helper(rows):\n    return list(rows)")
    cells.append("CONFIG_PATH = 'config.toml'")
    return cells[:count_]


def _stand_in_analyze(source: str) -> CellAnalysis:
    """A crude analysis for benchmarking before the real one exists: module-level loads before
    stores in statement order, free names of functions, ``x.append(...)``-style mutations."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return CellAnalysis(errors=(Diagnostic("syntax", str(error)),))
    defined: set[str] = set()
    refs: set[str] = set()
    mutates: set[str] = set()
    for stmt in tree.body:
        loads = {
            n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        stores = {
            n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
            stores = {stmt.name}
            loads -= {a.arg for a in ast.walk(stmt) if isinstance(a, ast.arg)}
        for alias in stmt.names if isinstance(stmt, ast.Import | ast.ImportFrom) else ():
            stores.add((alias.asname or alias.name).split(".")[0])
        refs |= loads - defined
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            base = call.func.value
            if isinstance(base, ast.Name) and call.func.attr in MUTATORS and base.id not in defined:
                mutates.add(base.id)
        defined |= stores
    return CellAnalysis(
        defines=frozenset(defined),
        references=frozenset(refs - BUILTINS) | frozenset(mutates),
        builtin_references=frozenset(refs & BUILTINS),
        mutates=frozenset(mutates),
    )


def analysis_function() -> tuple[Callable[[str], CellAnalysis], str]:
    try:
        from reactive_kernel.analysis import analyze_cell  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return _stand_in_analyze, "stand-in analysis (reactive_kernel.analysis not available)"
    return analyze_cell, "reactive_kernel.analysis.analyze_cell"


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def edit_costs(size: int, repeat: int, analyze: Callable[[str], CellAnalysis]) -> dict[str, float]:
    """Median milliseconds of each kind of edit, plus the reads the front end makes after it."""
    graph = NotebookGraph(analyze)
    ids = [CellId(f"c{i}") for i in range(size)]
    graph.reset(list(zip(ids, realistic_cells(size), strict=True)))
    middle = ids[size // 2]
    counter = count()

    def report(cells: frozenset[CellId]) -> None:
        graph.order()
        for cell in cells:
            if cell in graph:
                graph.parents(cell)
                graph.errors(cell)

    def edit() -> None:
        # A new constant each time: a real edit, never an analysis cache hit.
        report(graph.update(middle, f"offset_x = {next(counter)}\ndf = df.head({size})").cells)

    def insert() -> None:
        report(graph.insert(CellId(f"n{next(counter)}"), "df = df.tail(5)", size // 2).cells)

    def delete() -> None:
        report(graph.remove(graph.cell_ids()[size // 2]).cells)

    def move() -> None:
        report(
            graph.move(middle, size // 4 if graph.index(middle) > size // 3 else size // 2).cells
        )

    def near_below() -> None:
        # Adds or drops a reference to a cell a few rows below: a new emit point, a cycle check.
        below = graph.cell_ids()[size // 2 + 3]
        name = next(iter(sorted(graph.analysis(below).defines)), "offset_x")
        n = next(counter)
        tail = f"\nprint({name})" if n % 2 else ""
        report(graph.update(middle, f"df = df.head({n}){tail}").cells)

    def far_below() -> None:
        # Reads the last cell: every df reader below the middle now waits for it (their execution
        # position really changes, so this costs in proportion to them).
        n = next(counter)
        tail = "\nprint(CONFIG_PATH)" if n % 2 else ""
        report(graph.update(middle, f"df = df.head({n}){tail}").cells)

    costs = {"edit one cell": _median_ms(edit, repeat)}
    costs["insert a cell"] = _median_ms(insert, repeat)
    costs["delete a cell"] = _median_ms(delete, repeat)
    costs["move a cell"] = _median_ms(move, repeat)
    costs["edit: add/drop reference 3 cells below"] = _median_ms(near_below, repeat)
    costs["edit: add/drop reference to last cell"] = _median_ms(far_below, repeat)
    return costs


def cold_reset_seconds(size: int, analyze: Callable[[str], CellAnalysis]) -> float:
    """A cold build: fresh graph, every cell analysed (sources made unique: no cache hits)."""
    sources = [f"{s}\n# {time.time_ns()}" for s in realistic_cells(size)]
    started = time.perf_counter()
    graph = NotebookGraph(analyze)
    graph.reset([(CellId(f"c{i}"), s) for i, s in enumerate(sources)])
    graph.order()
    return time.perf_counter() - started


def main(argv: list[str]) -> None:
    analyze, label = analysis_function()
    repeat = 15 if "--quick" in argv else 101
    print(f"analysis: {label}")
    costs = {size: edit_costs(size, repeat, analyze) for size in SIZES}
    print("| operation | " + " | ".join(f"{s} cells" for s in SIZES) + " |")
    print("|---|" + "---|" * len(SIZES))
    for name in costs[SIZES[0]]:
        print(f"| {name} | " + " | ".join(f"{costs[s][name]:.3f} ms" for s in SIZES) + " |")
    print(f"| cold reset incl. analysis | | | {cold_reset_seconds(1000, analyze):.3f} s |")


if __name__ == "__main__":
    main(sys.argv[1:])
