"""Kernel round trip per ``edit_cells`` message, at 50, 200 and 1000 cells.

What the lab extension costs while the user types: each debounced batch of edits is one
``edit_cells`` request, and the kernel answers with a graph snapshot and an ``ack``. This measures,
on a real kernel over jupyter_client and the comm (``ReactiveClient``), the time from sending one
single-cell update to receiving its ``ack``, and the size of what the kernel sends back for it. The
notebook is a chain (cell i reads cell i-1's variable); the edited cell is in the middle and keeps
its dependencies, as a typing user mostly does.

``python bench/edit_roundtrip.py [--quick]`` prints a table; ``bench/run.py`` includes it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kernel_bench import kernel

SIZES = (50, 200, 1000)
TARGET = "flat: 1000 cells <= 3x 50 cells"


def measure(size: int, edits: int) -> tuple[float, float, int]:
    """Median and 90th percentile round trip (ms), and bytes the kernel sent per edit."""
    cells = [("c0", "x0 = 0")] + [(f"c{i}", f"x{i} = x{i - 1} + 1") for i in range(1, size)]
    middle = size // 2
    with kernel("reactive") as client:
        client.open()
        client.sync(cells)
        times: list[float] = []
        sent_bytes: list[int] = []
        for n in range(edits + 3):
            source = f"x{middle} = x{middle - 1} + {n % 7 + 1}"
            before = len(client.messages)
            started = time.perf_counter()
            reply = client.request(
                "edit_cells", changes=[{"op": "update", "id": f"c{middle}", "source": source}]
            )
            elapsed = time.perf_counter() - started
            if reply.get("type") != "ack":
                raise RuntimeError(f"edit_cells was refused: {reply}")
            if n >= 3:  # the first edits warm up caches and the schema validator
                times.append(elapsed * 1e3)
                sent_bytes.append(sum(len(json.dumps(m)) for m in client.messages[before:]))
    times.sort()
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    return statistics.median(times), p90, int(statistics.median(sent_bytes))


def measure_all(quick: bool = False) -> dict[int, tuple[float, float, int]]:
    """Median ms, p90 ms and bytes per edit at each size."""
    edits = 10 if quick else 40
    return {size: measure(size, edits) for size in SIZES}


def flat(results: dict[int, tuple[float, float, int]]) -> bool:
    return results[SIZES[-1]][0] <= 3 * results[SIZES[0]][0]


def rows(results: dict[int, tuple[float, float, int]]) -> list[str]:
    """Table rows for bench/run.py: median ms, p90 ms and kB per edit at each size."""
    median = " | ".join(f"{results[s][0]:.2f}" for s in SIZES)
    p90 = " | ".join(f"{results[s][1]:.2f}" for s in SIZES)
    size = " | ".join(f"{results[s][2] / 1024:.1f}" for s in SIZES)
    verdict = "met" if flat(results) else "NOT met"
    return [
        f"| edit_cells round trip, median (ms) | {median} | {TARGET} ({verdict}) |",
        f"| edit_cells round trip, 90th percentile (ms) | {p90} | |",
        f"| kernel messages per edit (kB) | {size} | |",
    ]


def run_all(quick: bool = False) -> list[str]:
    return rows(measure_all(quick))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 edits per size instead of 40")
    args = parser.parse_args()
    print("| benchmark | 50 cells | 200 cells | 1000 cells | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for row in run_all(args.quick):
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
