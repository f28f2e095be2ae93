"""Why the analysis parses with the standard library and not libcst: the same cells, timed.

Runs ``ast.parse``, ``libcst.parse_module``, libcst with its ``ScopeProvider`` (what a libcst
analysis of defines/references needs) and the project's whole ``analyze_cell`` (uncached) on the
example notebook's code cells, and prints milliseconds per notebook and the ratios. libcst is
optional here: without it the script says so and times the rest.

    python bench/parser_bench.py
"""

from __future__ import annotations

import ast
import json
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cells() -> list[str]:
    notebook = json.loads((ROOT / "examples" / "quickstart.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return [source for source in sources if not source.lstrip().startswith("%")]


def _per_call_ms(function: Callable[[], object], repeats: int) -> float:
    function()
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats * 1000


def main() -> None:
    from reactive_kernel.analysis.cell import analyze_cell

    cells = _cells()
    rows = [
        ("ast.parse", _per_call_ms(lambda: [ast.parse(c) for c in cells], 300)),
        (
            "reactive_kernel analyze_cell",
            _per_call_ms(lambda: [analyze_cell.__wrapped__(c) for c in cells], 100),
        ),
    ]
    try:
        import libcst
        from libcst.metadata import MetadataWrapper, ScopeProvider
    except ImportError:
        print("libcst is not installed: only the standard library rows are timed")
    else:
        rows.append(
            (
                "libcst.parse_module",
                _per_call_ms(lambda: [libcst.parse_module(c) for c in cells], 50),
            )
        )
        rows.append(
            (
                "libcst + ScopeProvider",
                _per_call_ms(
                    lambda: [
                        MetadataWrapper(libcst.parse_module(c)).resolve(ScopeProvider)
                        for c in cells
                    ],
                    20,
                ),
            )
        )
    base = rows[1][1]
    print(f"{len(cells)} code cells of examples/quickstart.ipynb")
    print(f"{'':32} {'ms':>8} {'x analyze_cell':>15}")
    for name, ms in rows:
        print(f"{name:32} {ms:8.3f} {ms / base:15.1f}")


if __name__ == "__main__":
    main()
