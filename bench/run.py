"""Run every benchmark and write bench/RESULTS.md: ``python bench/run.py [--quick]``.

Kernel figures are ratios against plain ipykernel measured in the same run (bench/kernel_bench.py).
Graph figures have absolute targets (no ipykernel equivalent exists): bench/graph_bench.py.
The .py format (bench/format_bench.py) and widgets (bench/widget_bench.py) are measured too. The
first table of RESULTS.md checks each target (pass or FAIL); the others give the detail. Text below
the notes marker in an existing RESULTS.md (analysis written by hand) is kept when it is rewritten.

Benchmarks are never timed assertions in the test suite: run this by hand, on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    edit_roundtrip,
    format_bench,
    graph_bench,
    kernel_bench,
    widget_bench,
)

NOTES_MARKER = "<!-- Notes below this line are written by hand; bench/run.py keeps them. -->"
QUICKSTART = ROOT / "examples" / "quickstart.ipynb"


@dataclass(frozen=True)
class Verdict:
    """One target of the project, checked against a measurement."""

    name: str
    measured: str
    baseline: str
    ratio: str
    target: str
    passed: bool

    def row(self) -> str:
        result = "pass" if self.passed else "**FAIL**"
        return (
            f"| {self.name} | {self.measured} | {self.baseline} | {self.ratio} | {self.target} "
            f"| {result} |"
        )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import ipykernel

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}, ipykernel {ipykernel.__version__}"
    )


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def revision() -> str:
    """The commit, and whether the package had uncommitted changes when measured."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "reactive_kernel")
    if dirty:
        count = len(dirty.splitlines())
        return f"`{commit}` plus uncommitted changes to {count} file(s) under reactive_kernel/"
    return f"`{commit}`"


def _ratio_verdict(figure: kernel_bench.Figure, limit: float) -> Verdict:
    return Verdict(
        figure.name,
        f"{figure.reactive:.3f} {figure.unit}",
        f"{figure.baseline:.3f} {figure.unit}",
        f"{figure.ratio:.3f}",
        f"ratio <= {limit}",
        figure.ratio <= limit,
    )


def verdicts(
    trivial: list[kernel_bench.Figure],
    compute: list[kernel_bench.Figure],
    cascade: kernel_bench.Figure,
    edits: dict[int, dict[str, float]],
    checks: dict[str, float],
    roundtrip: dict[int, tuple[float, float, int]],
    formats: format_bench.Figures,
) -> list[Verdict]:
    """Every target of the project, from the measurements."""
    found = [_ratio_verdict(figure, 1.2) for figure in trivial]
    found += [_ratio_verdict(figure, 1.05) for figure in compute]
    found.append(
        Verdict(
            "200-cell chain cascade: kernel overhead per cascaded cell",
            f"{cascade.reactive:.3f} ms",
            f"{cascade.baseline:.3f} ms per cell",
            "",
            "overhead <= 1 ms",
            cascade.reactive <= 1.0,
        )
    )
    largest = max(edits)
    for name, value in edits[largest].items():
        found.append(
            Verdict(
                f"graph: {name}, {largest} cells",
                f"{value:.3f} ms",
                "",
                "",
                "<= 5 ms",
                value <= 5.0,
            )
        )
    for name, seconds in checks.items():
        found.append(
            Verdict(
                f"cold `check --json`, {name}", f"{seconds:.2f} s", "", "", "<= 2 s", seconds <= 2
            )
        )
    sizes = sorted(roundtrip)
    found.append(
        Verdict(
            f"edit_cells round trip, {sizes[-1]} cells against {sizes[0]}",
            f"{roundtrip[sizes[-1]][0]:.2f} ms",
            f"{roundtrip[sizes[0]][0]:.2f} ms at {sizes[0]}",
            f"{roundtrip[sizes[-1]][0] / roundtrip[sizes[0]][0]:.2f}",
            "ratio <= 3 (flat)",
            edit_roundtrip.flat(roundtrip),
        )
    )
    found += [
        Verdict(v.name, f"{v.measured:.3f} s", "", "", f"<= {v.limit:.1f} s", v.passed)
        for v in format_bench.verdicts(formats)
    ]
    return found


def kept_notes(path: Path) -> list[str]:
    if not path.is_file():
        return [NOTES_MARKER, ""]
    text = path.read_text(encoding="utf-8")
    if NOTES_MARKER not in text:
        return [NOTES_MARKER, ""]
    return [NOTES_MARKER, "", *text.split(NOTES_MARKER, 1)[1].strip("\n").splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one round each (a smoke run)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    rounds = 1 if args.quick else 3
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])
    load_before = load_average()
    started = datetime.datetime.now()

    print("kernel: trivial cells ...", flush=True)
    trivial = kernel_bench.trivial_cells(rounds)
    print("kernel: compute-bound cells ...", flush=True)
    compute = kernel_bench.compute_bound(rounds)
    print("kernel: 200-cell cascade ...", flush=True)
    cascade = kernel_bench.chain_cascade(rounds)
    print("graph: incremental updates ...", flush=True)
    edits = graph_bench.edit_costs_all(quick=args.quick)
    print("cold check ...", flush=True)
    runs = 1 if args.quick else 5
    checks = {
        "1000 realistic cells (new process)": graph_bench.cold_check_realistic(1000, runs),
        "examples/quickstart.ipynb (has a magic: imports IPython)": (
            graph_bench.cold_check_seconds(QUICKSTART, runs)
        ),
    }
    print("kernel: edit_cells round trip at 50, 200, 1000 cells ...", flush=True)
    roundtrip = edit_roundtrip.measure_all(quick=args.quick)
    print(".py format: 5 MB notebook, in process and through a jupyter server ...", flush=True)
    formats = format_bench.measure(quick=args.quick)
    print("widgets: changes from the front end, against ipykernel + observe ...", flush=True)
    widgets = widget_bench.run(singles=5 if args.quick else 20, events=50 if args.quick else 200)
    found = verdicts(trivial, compute, cascade, edits, checks, roundtrip, formats)
    minutes = (datetime.datetime.now() - started).total_seconds() / 60
    cpus = kernel_bench.kernel_cpus()
    pinned = f"CPU {', '.join(map(str, sorted(cpus)))}" if cpus else "no CPU (not pinned)"

    lines = [
        "# Benchmark results",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} at commit {revision()}, with",
        "",
        "```bash",
        command,
        "```",
        "",
        f"({rounds} round(s) per kernel figure, medians; {minutes:.1f} minutes.)",
        "",
        f"Machine: {machine()}. Load average before: {load_before}; after: {load_average()}. "
        f"Kernels pinned to: {pinned}.",
        "",
        "## Targets",
        "",
        f"{sum(v.passed for v in found)} of {len(found)} targets met.",
        "",
        "| target | reactive-kernel | plain ipykernel | ratio | limit | result |",
        "| --- | ---: | ---: | ---: | --- | --- |",
        *[v.row() for v in found],
        "",
        "## Kernel: reactive-kernel against plain ipykernel, same run",
        "",
        "| benchmark | reactive | ipykernel | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for f in [*trivial, *compute, cascade]:
        ratio = f"{f.ratio:.3f}" if "overhead" not in f.target else "n/a"
        lines.append(
            f"| {f.name} | {f.reactive:.3f} | {f.baseline:.3f} | {ratio} | {f.target} ({f.unit}) |"
        )
    lines += [
        "",
        "## Graph: incremental updates and cold check (absolute, no ipykernel equivalent)",
        "",
        "| benchmark | 50 cells | 200 cells | 1000 cells | target |",
        "| --- | ---: | ---: | ---: | --- |",
        *graph_bench.rows(edits, checks["1000 realistic cells (new process)"]),
        "",
        "## Lab extension: kernel round trip per edit_cells message (bench/edit_roundtrip.py)",
        "",
        "| benchmark | 50 cells | 200 cells | 1000 cells | target |",
        "| --- | ---: | ---: | ---: | --- |",
        *edit_roundtrip.rows(roundtrip),
        "",
        "## .py notebook format: a 5 MB notebook (bench/format_bench.py)",
        "",
        format_bench.table(formats),
        "",
        "## Widgets: a change from the front end to the reader's output (bench/widget_bench.py)",
        "",
        "No target: the kernel waits for a burst to pause (40 ms debounce, docs/widgets.md) by",
        "design; the table shows what that costs against an `observe` callback on ipykernel.",
        "",
        widget_bench.table(widgets),
        "",
        *kept_notes(args.output),
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if all(v.passed for v in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
