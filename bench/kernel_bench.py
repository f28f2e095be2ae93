"""Kernel benchmarks: the reactive kernel against plain ipykernel, measured in the same run.

Both kernels run the same cells through the same client code (an execute_request per cell, with the
cell id in the metadata as JupyterLab sends it, waiting for the reply and iopub idle). The reactive
kernel also has its comm open and the notebook synced, as it has under the lab extension.

Both kernels are alive at once and the measurements alternate between them, one run each in turn:
on a shared or throttled machine, speed drifts by tens of percent over seconds, and alternating
short runs makes the drift hit both sides alike. Figures are medians over all the alternations.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from jupyter_client.manager import start_new_kernel

from reactive_kernel.client import ReactiveClient


@dataclass
class Figure:
    name: str
    reactive: float
    baseline: float
    unit: str
    target: str

    @property
    def ratio(self) -> float:
        return self.reactive / self.baseline if self.baseline else float("nan")


def kernel_cpus() -> set[int] | None:
    """The CPU every benchmark kernel is pinned to (the last one), or None where pinning is not
    possible. Pinned, both kernels share one core and the scheduler cannot favour either."""
    if os.environ.get("BENCH_PIN_KERNELS", "1") == "0":
        return None
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        return None
    return {max(os.sched_getaffinity(0))}


@contextmanager
def kernel(name: str) -> Iterator[ReactiveClient]:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    cpus = kernel_cpus()
    pid = getattr(km.provisioner, "pid", None)
    if cpus is not None and pid is not None:
        for task in os.listdir(f"/proc/{pid}/task"):  # every thread the kernel has started
            os.sched_setaffinity(int(task), cpus)
    try:
        yield ReactiveClient(kc, timeout=600)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@contextmanager
def kernel_pair(cells: list[tuple[str, str]]) -> Iterator[tuple[ReactiveClient, ReactiveClient]]:
    """A reactive kernel (comm open, ``cells`` synced) and a plain ipykernel, both running."""
    with kernel("reactive") as reactive, kernel("python3") as baseline:
        reactive.open()
        reactive.sync(cells)
        yield reactive, baseline


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _per_cell(client: ReactiveClient, cells: list[tuple[str, str]]) -> float:
    """Seconds per cell to run ``cells`` one after another."""
    return _timed(lambda: _run_cells(client, cells)) / len(cells)


def _run_cells(client: ReactiveClient, cells: list[tuple[str, str]]) -> None:
    for cell_id, code in cells:
        execution = client.execute(code, cell_id, run_plans=False)
        if execution.status != "ok":
            raise RuntimeError(f"benchmark cell {cell_id} failed: {execution.reply}")


def trivial_cells(rounds: int, alternations: int = 3) -> list[Figure]:
    """200 trivial cells one after another: mean latency per cell, two ways.

    First runs: every cell is new to the kernel (synced before the timed run, never run), so each
    run changes its state and costs one ``cell_states`` message, as a run after an edit does.
    Re-runs: the same cells again; they were fresh and stay fresh, and the kernel sends nothing
    the front end already holds.
    """
    code = [f"a{i} = {i}" for i in range(200)]
    first: list[float] = []
    again: list[float] = []
    base: list[float] = []
    for round_ in range(rounds):
        with kernel_pair([(f"w{i}", c) for i, c in enumerate(code)]) as (reactive, baseline):
            for client in (reactive, baseline):
                _run_cells(client, [(f"w{i}", c) for i, c in enumerate(code[:20])])  # warm up
            for alternation in range(alternations):
                cells = [(f"r{round_}-{alternation}-{i}", c) for i, c in enumerate(code)]
                reactive.sync(cells)
                first.append(_per_cell(reactive, cells))
                base.append(_per_cell(baseline, cells))
                again.append(_per_cell(reactive, cells))
                base.append(_per_cell(baseline, cells))
    baseline_ms = statistics.median(base) * 1e3
    return [
        Figure(
            "200 trivial cells, first run of each (a state change each)",
            statistics.median(first) * 1e3,
            baseline_ms,
            "ms",
            "ratio <= 1.2",
        ),
        Figure(
            "200 trivial cells, re-run unchanged",
            statistics.median(again) * 1e3,
            baseline_ms,
            "ms",
            "ratio <= 1.2",
        ),
    ]


def compute_bound(rounds: int, repeat: int = 7) -> list[Figure]:
    """A 2-million-iteration loop, and 200k calls of a function defined in the notebook.

    Each round starts both kernels and runs each timed cell ``repeat`` times in each, alternating.
    """
    loop = "total = 0\nfor i in range(2_000_000):\n    total += i"
    define = "def step(v):\n    return v + 1"
    calls = "acc = 0\nfor i in range(200_000):\n    acc = step(acc)"
    cells = [("loop", loop), ("define", define), ("calls", calls)]
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        with kernel_pair(cells) as (reactive, baseline):
            for client in (reactive, baseline):
                _run_cells(client, cells)
            for _ in range(repeat):
                for cell in ("loop", "calls"):
                    code = loop if cell == "loop" else calls
                    for side, client in (("reactive", reactive), ("baseline", baseline)):
                        elapsed = _timed(lambda c=client, x=code, i=cell: _run_cells(c, [(i, x)]))
                        times.setdefault((cell, side), []).append(elapsed * 1e3)

    def median(cell: str, side: str) -> float:
        return statistics.median(times[(cell, side)])

    return [
        Figure(
            "2M-iteration loop cell",
            median("loop", "reactive"),
            median("loop", "baseline"),
            "ms",
            "ratio <= 1.05",
        ),
        Figure(
            "200k calls of a notebook function",
            median("calls", "reactive"),
            median("calls", "baseline"),
            "ms",
            "ratio <= 1.05",
        ),
    ]


def chain_cascade(rounds: int, length: int = 200, alternations: int = 3) -> Figure:
    """Run the root of a 200-cell chain: all cells re-run. Kernel overhead per cascaded cell.

    The reactive side is what a front end does: execute the root, receive the kernel's run plan,
    execute each planned cell as its own request. The baseline runs the same 200 cells one after
    another on plain ipykernel. Overhead = (reactive - baseline) / cells.
    """
    cells = [("k0", "v0 = 0")] + [(f"k{i}", f"v{i} = v{i - 1} + 1") for i in range(1, length)]
    r_times: list[float] = []
    b_times: list[float] = []
    for _ in range(rounds):
        with kernel_pair(cells) as (reactive, baseline):
            plan = reactive.request("request_plan", action="run_all", cell_ids=[])
            reactive.run_cells(plan["cells"])
            _run_cells(baseline, cells)
            for _ in range(alternations):
                r_times.append(_timed(lambda: _cascade(reactive, cells)))
                b_times.append(_timed(lambda: _run_cells(baseline, cells)))
    reactive_s, baseline_s = statistics.median(r_times), statistics.median(b_times)
    overhead_ms = (reactive_s - baseline_s) / length * 1e3
    return Figure(
        f"{length}-cell chain cascade, kernel overhead per cascaded cell",
        overhead_ms,
        baseline_s / length * 1e3,
        "ms (reactive column: overhead; baseline: ipykernel time per cell)",
        "overhead <= 1 ms",
    )


def _cascade(client: ReactiveClient, cells: list[tuple[str, str]]) -> None:
    before = len(client.executions)
    execution = client.execute(cells[0][1], cells[0][0], run_plans=True)
    if execution.status != "ok" or len(client.executions) - before != len(cells):
        raise RuntimeError("the cascade did not re-run every cell")
