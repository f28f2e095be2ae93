"""Kernel benchmarks: the reactive kernel against plain ipykernel, measured in the same run.

Both kernels run the same cells through the same client code (an execute_request per cell, with the
cell id in the metadata as JupyterLab sends it, waiting for the reply and iopub idle). The reactive
kernel also has its comm open and the notebook synced, as it has under the lab extension.
"""

from __future__ import annotations

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


@contextmanager
def kernel(name: str) -> Iterator[ReactiveClient]:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    try:
        yield ReactiveClient(kc, timeout=600)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _run_cells(client: ReactiveClient, cells: list[tuple[str, str]]) -> None:
    for cell_id, code in cells:
        execution = client.execute(code, cell_id, run_plans=False)
        if execution.status != "ok":
            raise RuntimeError(f"benchmark cell {cell_id} failed: {execution.reply}")


def trivial_cells(rounds: int) -> Figure:
    """200 trivial cells one after another: mean latency per cell."""
    cells = [(f"t{i}", f"a{i} = {i}") for i in range(200)]

    def measure(name: str, reactive: bool) -> float:
        with kernel(name) as client:
            if reactive:
                client.open()
                client.sync(cells)
            _run_cells(client, cells[:20])  # warm up
            return _timed(lambda: _run_cells(client, cells)) / len(cells)

    reactive, baseline = _alternate(
        rounds, lambda: measure("reactive", True), lambda: measure("python3", False)
    )
    return Figure(
        "200 trivial cells, latency per cell", reactive * 1e3, baseline * 1e3, "ms", "ratio <= 1.2"
    )


def compute_bound(rounds: int) -> list[Figure]:
    """A 2-million-iteration loop, and 200k calls of a function defined in the notebook."""
    loop = "total = 0\nfor i in range(2_000_000):\n    total += i"
    define = "def step(v):\n    return v + 1"
    calls = "acc = 0\nfor i in range(200_000):\n    acc = step(acc)"
    cells = [("loop", loop), ("define", define), ("calls", calls)]

    def measure(name: str, reactive: bool) -> tuple[float, float]:
        with kernel(name) as client:
            if reactive:
                client.open()
                client.sync(cells)
            _run_cells(client, cells)
            loop_time = _timed(lambda: _run_cells(client, cells[:1]))
            calls_time = _timed(lambda: _run_cells(client, cells[2:]))
            return loop_time, calls_time

    pairs = [(measure("reactive", True), measure("python3", False)) for _ in range(rounds)]
    loop_r = statistics.median(p[0][0] for p in pairs)
    loop_b = statistics.median(p[1][0] for p in pairs)
    call_r = statistics.median(p[0][1] for p in pairs)
    call_b = statistics.median(p[1][1] for p in pairs)
    return [
        Figure("2M-iteration loop cell", loop_r * 1e3, loop_b * 1e3, "ms", "ratio <= 1.05"),
        Figure(
            "200k calls of a notebook function", call_r * 1e3, call_b * 1e3, "ms", "ratio <= 1.05"
        ),
    ]


def chain_cascade(rounds: int, length: int = 200) -> Figure:
    """Run the root of a 200-cell chain: all cells re-run. Kernel overhead per cascaded cell."""
    cells = [("k0", "v0 = 0")] + [(f"k{i}", f"v{i} = v{i - 1} + 1") for i in range(1, length)]

    def reactive_cascade() -> float:
        with kernel("reactive") as client:
            client.open()
            client.sync(cells)
            plan = client.request("request_plan", action="run_all", cell_ids=[])
            client.run_cells(plan["cells"])

            def cascade() -> None:
                client.execute(cells[0][1], "k0", run_plans=True)
                if len(client.executions) < 2 * length:
                    raise RuntimeError("the cascade did not re-run every cell")

            return _timed(cascade)

    def baseline_sequence() -> float:
        with kernel("python3") as client:
            _run_cells(client, cells)
            return _timed(lambda: _run_cells(client, cells))

    reactive, baseline = _alternate(rounds, reactive_cascade, baseline_sequence)
    overhead_ms = (reactive - baseline) / length * 1e3
    return Figure(
        f"{length}-cell chain cascade, kernel overhead per cascaded cell",
        overhead_ms,
        baseline / length * 1e3,
        "ms (reactive column: overhead; baseline: ipykernel time per cell)",
        "overhead <= 1 ms",
    )


def _alternate(
    rounds: int, reactive: Callable[[], float], baseline: Callable[[], float]
) -> tuple[float, float]:
    """Median of alternating measurements, so that drift on the machine hits both sides alike."""
    r_times, b_times = [], []
    for _ in range(rounds):
        r_times.append(reactive())
        b_times.append(baseline())
    return statistics.median(r_times), statistics.median(b_times)
