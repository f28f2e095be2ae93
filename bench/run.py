"""Run every benchmark and write bench/RESULTS.md: ``python bench/run.py [--quick]``.

Kernel figures are ratios against plain ipykernel measured in the same run (bench/kernel_bench.py).
Graph figures have absolute targets (no ipykernel equivalent exists): bench/graph_bench.py.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import edit_roundtrip, graph_bench, kernel_bench  # noqa: E402


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one round each (a smoke run)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    rounds = 1 if args.quick else 3

    print("kernel: trivial cells ...", flush=True)
    figures = [kernel_bench.trivial_cells(rounds)]
    print("kernel: compute-bound cells ...", flush=True)
    figures += kernel_bench.compute_bound(rounds)
    print("kernel: 200-cell cascade ...", flush=True)
    figures.append(kernel_bench.chain_cascade(rounds))
    print("graph: incremental updates and cold check ...", flush=True)
    graph_rows = graph_bench.run_all(quick=args.quick)
    print("kernel: edit_cells round trip at 50, 200, 1000 cells ...", flush=True)
    edit_rows = edit_roundtrip.run_all(quick=args.quick)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.date.today().isoformat()} at commit `{commit or 'unknown'}` with "
        f"`python bench/run.py{' --quick' if args.quick else ''}` ({rounds} round(s), medians).",
        "",
        f"Machine: {machine()}.",
        "",
        "## Kernel: reactive-kernel against plain ipykernel, same run",
        "",
        "| benchmark | reactive | ipykernel | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for f in figures:
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
    ]
    lines += graph_rows
    lines += [
        "",
        "## Lab extension: kernel round trip per edit_cells message (bench/edit_roundtrip.py)",
        "",
        "| benchmark | 50 cells | 200 cells | 1000 cells | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += edit_rows
    lines.append("")
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
