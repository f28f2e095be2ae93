"""Widget benchmark: a widget's value changes from the front end, the cell reading it re-runs.

Over the real Jupyter protocol, with a front end played in Python the way the lab extension plays
it (``reactive_kernel.client``: the comm open, the cells synced, every ``run_plan`` the kernel
pushes carried out as one execute request per cell). A change is the ``comm_msg`` the widget
manager sends (``{"method": "update", "state": {"value": v}}``, as tests/kernel/test_widget_plans.py
sends it). The notebook:

    n = <slider>                  # the widget (ipywidgets.IntSlider, or reactive_kernel.ui.slider)
    doubled = n.value * 2         # the reader: re-run by the kernel's widget plan
    print("doubled", doubled)     # its child: its output is the one timed

Measured:

- **single changes**: one change, then the time until ``doubled 2v`` arrives on iopub (median and
  90th percentile over ``--singles`` changes, each after the last one settled);
- **bursts**: ``--events`` changes sent at ``--rate`` Hz (0: as fast as possible) from a second
  client on the same kernel (the browser sends widget messages while cells run), while the main
  client carries out the plans as they come: the time from the last change sent to the final
  value's output, events handled per second (events / time from the first change to the final
  output), and the coalescing (plans sent, plans the kernel replaced, reader runs, for N events).

Baseline: plain ipykernel with ipywidgets, the same work in an ``observe`` callback
(``doubled = change["new"] * 2; print(...)``), which runs once per event inside the comm message,
with no plan, no debounce and no separate execute requests. The reactive kernel waits
``DEBOUNCE`` (40 ms) after the last change of a burst before it plans, by design: single-change
latency is dominated by that wait.

    python bench/widget_bench.py [--events 200] [--rate 100] [--singles 30]

No timing is asserted anywhere (tests/cli/test_bench_smoke.py runs this at a tiny size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `reactive_kernel` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

from bench.kernel_bench import kernel_cpus
from reactive_kernel.client import ReactiveClient
from reactive_kernel.kernel.widgets import DEBOUNCE

WIDGETS = {
    "ipywidgets.IntSlider": "import ipywidgets\nn = ipywidgets.IntSlider(0, min=0, max=10**6)",
    "ui.slider": "from reactive_kernel import ui\nn = ui.slider(0, 10**6, value=0)",
}
READER = "doubled = n.value * 2"
SHOW = 'print("doubled", doubled)'
BASELINE = """import ipywidgets
n = ipywidgets.IntSlider(value=0, min=0, max=10**6)

def _on_change(change):
    global doubled
    doubled = change["new"] * 2
    print("doubled", doubled)

n.observe(_on_change, names="value")"""


@dataclass
class Burst:
    """One burst of ``events`` changes and what it cost."""

    events: int
    rate: float
    first_sent: float = 0.0
    last_sent: float = 0.0
    final_output: float = 0.0
    plans: int = 0  # widget plans the kernel sent
    replaced: int = 0  # of which it aborted (a newer change replaced them)
    runs: int = 0  # reader (print cell, or observe callback) runs
    values_seen: list[int] = field(default_factory=list)

    @property
    def final_latency(self) -> float:
        """Seconds from the last change sent to the final value's output."""
        return self.final_output - self.last_sent

    @property
    def per_second(self) -> float:
        """Events handled per second: from the first change sent to the final output."""
        span = self.final_output - self.first_sent
        return self.events / span if span > 0 else float("inf")


@dataclass
class Result:
    name: str
    singles: list[float]
    bursts: list[Burst]

    @property
    def median(self) -> float:
        return statistics.median(self.singles)

    @property
    def p90(self) -> float:
        ordered = sorted(self.singles)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


# -- kernels ------------------------------------------------------------------------------------


@contextmanager
def kernel(name: str) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    """A kernel (pinned to one CPU like bench/kernel_bench.py's) and a client of it."""
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    cpus = kernel_cpus()
    pid = getattr(km.provisioner, "pid", None)
    if cpus is not None and pid is not None:
        for task in os.listdir(f"/proc/{pid}/task"):
            os.sched_setaffinity(int(task), cpus)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def widget_model(opens: list[dict[str, Any]]) -> str:
    """The comm id of the last widget model the kernel opened that has a ``value``."""
    for content in reversed(opens):
        state = content.get("data", {}).get("state", {})
        if content.get("target_name") == "jupyter.widget" and "value" in state:
            return str(content["comm_id"])
    raise RuntimeError("the kernel opened no widget with a value")


def update(value: int) -> dict[str, Any]:
    return {"method": "update", "state": {"value": value}, "buffer_paths": []}


class Sender(threading.Thread):
    """Sends ``values`` as changes of ``model`` at ``rate`` Hz from a client of its own (the main
    client is busy carrying out plans meanwhile, as the browser's notebook is)."""

    def __init__(self, km: KernelManager, model: str, values: list[int], rate: float) -> None:
        super().__init__(name="widget-bench-sender", daemon=True)
        # A session of its own: km.client() would share the manager's, and with it the shell
        # socket's identity, so the kernel's replies could go to this client instead.
        self.client = BlockingKernelClient(connection_file=km.connection_file)
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self.model = model
        self.values = values
        self.rate = rate
        self.first = 0.0
        self.last = 0.0

    def run(self) -> None:
        start = time.perf_counter()
        for i, value in enumerate(self.values):
            if self.rate > 0:
                delay = start + i / self.rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            msg = self.client.session.msg(
                "comm_msg", {"comm_id": self.model, "data": update(value)}
            )
            self.client.shell_channel.send(msg)
            now = time.perf_counter()
            if i == 0:
                self.first = now
            self.last = now

    def close(self) -> None:
        self.client.stop_channels()


# -- the reactive kernel --------------------------------------------------------------------------


class ReactiveBench:
    def __init__(self, km: KernelManager, kc: BlockingKernelClient, widget: str) -> None:
        self.km = km
        self.outputs: list[tuple[float, str]] = []  # (time, text) of the print cell's stdout
        self.client = ReactiveClient(kc, timeout=120, on_output=self._on_output)
        self.client.open()
        cells = [("w", WIDGETS[widget]), ("r", READER), ("s", SHOW)]
        self.client.sync(cells)
        for cell_id, code in cells:
            execution = self.client.execute(code, cell_id)
            if execution.status != "ok":
                raise RuntimeError(f"cell {cell_id} failed: {execution.reply}")
        self.model = widget_model(self.client.comm_opens)

    def _on_output(self, cell_id: str | None, output: dict[str, Any]) -> None:
        if cell_id == "s" and output.get("output_type") == "stream":
            self.outputs.append((time.perf_counter(), output["text"]))

    def _plans(self) -> list[dict[str, Any]]:
        return [
            m
            for m in self.client.messages
            if m.get("type") == "run_plan" and m.get("trigger") == "widget"
        ]

    def _wait_output(self, text: str, since: int, timeout: float = 60) -> float:
        """Carry out plans until the print cell outputs ``text``; the time it arrived."""
        deadline = time.monotonic() + timeout
        while True:
            for at, out in self.outputs[since:]:
                if out.strip() == text:
                    return at
            if time.monotonic() > deadline:
                raise RuntimeError(f"no output {text!r}; last: {self.outputs[-3:]}")
            self.client.pump_for(0.001)
            self.client.run_pending_plans()

    def single(self, value: int) -> float:
        since = len(self.outputs)
        sent = time.perf_counter()
        self.client.send_comm(self.model, update(value))
        return self._wait_output(f"doubled {value * 2}", since) - sent

    def burst(self, values: list[int], rate: float) -> Burst:
        plans_before = {m["plan_id"] for m in self._plans()}
        since = len(self.outputs)
        last = f"doubled {values[-1] * 2}"
        result = send_burst(
            self.km, self.model, values, rate, lambda: self._wait_output(last, since)
        )
        self.client.pump_for(0.3)  # nothing may follow the final value
        self.client.run_pending_plans()
        plans = [m["plan_id"] for m in self._plans() if m["plan_id"] not in plans_before]
        aborted = {
            m["plan_id"]
            for m in self.client.messages
            if m.get("type") == "plan_finished" and m.get("status") == "aborted"
        }
        shown = [int(text.split()[1]) // 2 for _at, text in self.outputs[since:]]
        result.plans = len(plans)
        result.replaced = len(aborted & set(plans))
        result.runs = len(shown)
        result.values_seen = shown
        if shown[-1] != values[-1]:
            raise RuntimeError(f"the last output shows {shown[-1]}, not {values[-1]}")
        return result


# -- plain ipykernel + observe --------------------------------------------------------------------


class BaselineBench:
    def __init__(self, km: KernelManager, kc: BlockingKernelClient) -> None:
        self.km = km
        self.kc = kc
        self.outputs: list[tuple[float, str]] = []  # (time, line) of the callback's prints
        self._partial = ""
        self.opens: list[dict[str, Any]] = []
        kc.execute(BASELINE)
        reply = kc.get_shell_msg(timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"baseline set-up failed: {reply['content']}")
        self._pump_until(lambda: bool(self.opens) and self._has_value_widget(), 30)
        self.model = widget_model(self.opens)

    def _has_value_widget(self) -> bool:
        try:
            widget_model(self.opens)
        except RuntimeError:
            return False
        return True

    def _pump_until(self, done: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError(f"baseline: timed out; last outputs {self.outputs[-3:]}")
            try:
                msg = self.kc.get_iopub_msg(timeout=0.01)
            except Exception:  # queue.Empty
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                # Prints of several callbacks arrive batched in one stream message, and one
                # print may be split over two: keep whole lines.
                self._partial += msg["content"]["text"]
                *lines, self._partial = self._partial.split("\n")
                now = time.perf_counter()
                self.outputs += [(now, line) for line in lines if line.startswith("doubled")]
            elif kind == "comm_open":
                self.opens.append(msg["content"])

    def _wait_output(self, text: str, since: int) -> float:
        def seen() -> bool:
            return any(out.strip() == text for _at, out in self.outputs[since:])

        self._pump_until(seen, 60)
        return next(at for at, out in self.outputs[since:] if out.strip() == text)

    def single(self, value: int) -> float:
        since = len(self.outputs)
        sent = time.perf_counter()
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.model, "data": update(value)})
        self.kc.shell_channel.send(msg)
        return self._wait_output(f"doubled {value * 2}", since) - sent

    def burst(self, values: list[int], rate: float) -> Burst:
        since = len(self.outputs)
        last = f"doubled {values[-1] * 2}"
        result = send_burst(
            self.km, self.model, values, rate, lambda: self._wait_output(last, since)
        )
        deadline = time.monotonic() + 0.3
        self._pump_until(lambda: time.monotonic() > deadline, 5)
        shown = [int(text.split()[1]) // 2 for _at, text in self.outputs[since:]]
        result.runs = len(shown)
        result.values_seen = shown
        return result


# -- running --------------------------------------------------------------------------------------


def send_burst(
    km: KernelManager, model: str, values: list[int], rate: float, wait: Callable[[], float]
) -> Burst:
    """Send ``values`` from a second client while ``wait()`` (the time the final value's output
    arrived) runs here."""
    sender = Sender(km, model, values, rate)
    try:
        sender.start()
        final = wait()
        sender.join()
    finally:
        sender.close()
    return Burst(len(values), rate, sender.first, sender.last, final)


def measure(
    bench: ReactiveBench | BaselineBench, name: str, singles: int, events: int, rates: list[float]
) -> Result:
    base = 1000 if isinstance(bench, ReactiveBench) else 500_000
    bench.single(base)  # warm up: first plan, first callback
    latencies = []
    for i in range(singles):
        latencies.append(bench.single(base + 1 + i))
        time.sleep(0.05)  # let the kernel settle between changes
    bursts = []
    start = base + singles + 10
    for rate in rates:
        values = list(range(start, start + events))
        bursts.append(bench.burst(values, rate))
        start += events + 10
    return Result(name, latencies, bursts)


def run(
    singles: int = 30,
    events: int = 200,
    rates: list[float] | None = None,
    widgets: list[str] | None = None,
) -> list[Result]:
    rates = rates if rates is not None else [100.0, 0.0]
    results = []
    for widget in widgets if widgets is not None else list(WIDGETS):
        with kernel("reactive") as (km, kc):
            results.append(
                measure(
                    ReactiveBench(km, kc, widget), f"reactive, {widget}", singles, events, rates
                )
            )
    with kernel("python3") as (km, kc):
        results.append(
            measure(BaselineBench(km, kc), "ipykernel + observe", singles, events, rates)
        )
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(results: list[Result]) -> str:
    lines = [
        "| kernel, widget | single change: median (p90) ms | burst | events/s handled "
        "| last change to final output ms | plans (replaced) | reader runs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        for i, burst in enumerate(result.bursts):
            rate = (
                f"{burst.events} at {burst.rate:g} Hz" if burst.rate else f"{burst.events}, unpaced"
            )
            single = f"{ms(result.median)} ({ms(result.p90)})" if i == 0 else ""
            plans = (
                f"{burst.plans} ({burst.replaced})" if result.name.startswith("reactive") else "-"
            )
            lines.append(
                f"| {result.name if i == 0 else ''} | {single} | {rate} | {burst.per_second:.0f} "
                f"| {ms(burst.final_latency)} | {plans} | {burst.runs} |"
            )
    baseline = next((r for r in results if not r.name.startswith("reactive")), None)
    if baseline is not None:
        lines.append("")
        for result in results:
            if result is baseline:
                continue
            lines.append(
                f"- {result.name}: single-change latency {result.median / baseline.median:.1f}x "
                f"the baseline's ({ms(result.median - DEBOUNCE)} ms without the "
                f"{ms(DEBOUNCE)} ms debounce)"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=30, help="single changes timed")
    parser.add_argument("--events", type=int, default=200, help="changes per burst")
    parser.add_argument(
        "--rate", type=float, action="append", help="burst rate in Hz, 0 = unpaced (repeatable)"
    )
    args = parser.parse_args(argv)
    results = run(args.singles, args.events, args.rate)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
