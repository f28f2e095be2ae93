"""The ``.py`` notebook format on a large notebook: ``writes``, ``reads``, and the contents API.

A generated notebook of about 5 MB (code cells of realistic size with docstrings, loops, a few
magics and cells shown above the cells they read, between Markdown cells) is measured four ways:

- ``jupytext_format.writes`` and ``jupytext_format.reads`` in this process, against jupytext's own
  ``writes``/``reads`` of the same notebook in ``py:percent`` (the ratio is ours / jupytext's);
- opening (``GET /api/contents/<file>``) and saving (``PUT``) it through a real ``jupyter server``
  subprocess with the ``jupytext_format`` extension, over HTTP, as the lab front end does.

Each figure is the median of several runs. Targets: open <= 1 s and save <= 1 s.

``python bench/format_bench.py [--quick]`` prints a table and exits 1 when a target is missed.
``measure(quick)`` returns the figures and ``verdicts(figures)`` the targets checked, for
``bench/run.py``. Never a timed assertion in the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupytext_format import reads, writes

if TYPE_CHECKING:
    from tests.jupyter_servers import Launched

TARGET_SIZE = 5_000_000
"""Bytes of the generated ``.py`` notebook (about)."""
OPEN_LIMIT = 1.0
SAVE_LIMIT = 1.0


@dataclass(frozen=True)
class Figures:
    """Medians in seconds, and the notebook measured."""

    cells: int
    size_bytes: int
    reordered: bool
    writes_cold: float
    """The first ``writes`` in a process: every cell analysed (caches empty)."""
    writes: float
    """Later ``writes`` of the same notebook: cell analyses come from the caches."""
    reads: float
    jupytext_writes: float
    jupytext_reads: float
    open: float
    ipynb_open: float
    """The same notebook as ``.ipynb`` through the stock contents manager: the baseline."""
    ipynb_save: float
    save: float
    """Saves of the unchanged notebook (the file is left as it is)."""
    save_edited_cold: float
    """A save with one code cell edited, right after the server opened the file: the background
    preparation (every cell analysed once) has not finished, so the save does that work."""
    save_edited: float
    """Saves with one code cell edited, once the preparation after opening finished."""


@dataclass(frozen=True)
class Verdict:
    name: str
    measured: float
    limit: float

    @property
    def passed(self) -> bool:
        return self.measured <= self.limit


def code_cell(index: int) -> str:
    """A code cell of about 1.5 kB: a function with a docstring and a loop, and a use of it."""
    previous = f"value_{index - 1}" if index else "0"
    lines = [
        f"def transform_{index}(data, scale={index % 7 + 1}, offset={index % 11}):",
        f'    """Step {index} of the pipeline: scale each record, drop outliers and summarise.',
        "",
        "    The records are (key, value) pairs; values outside three standard deviations of the",
        "    mean are dropped before the summary is computed, as in the analysis notes above.",
        '    """',
        "    result = []",
        "    for key, value in enumerate(data if isinstance(data, list) else [data]):",
        "        scaled = value * scale + offset",
        "        if scaled % 3 == 0 and key > 2:",
        "            continue  # every third record is a duplicate in the raw export",
        "        result.append((key, scaled))",
        "    total = sum(value for _, value in result)",
        "    count = max(len(result), 1)",
        f"    return {{'total': total, 'count': count, 'mean': total / count, 'step': {index}}}",
        "",
        "",
        f"summary_{index} = transform_{index}([{previous} if isinstance({previous}, int) else 0,"
        f" 1, 2, 3, 4, 5])",
        f"value_{index} = summary_{index}['count'] + {index % 5}",
        f"labels_{index} = [f'item-{{n}}-{index}' for n in range(summary_{index}['count'])]",
        f"table_{index} = {{label: position for position, label in enumerate(labels_{index})}}",
        f"assert len(table_{index}) == len(labels_{index}), 'labels must be unique'",
    ]
    if index % 50 == 7:
        lines.insert(0, "%time _ = sum(range(1000))")
    return "\n".join(lines)


def markdown_cell(index: int) -> str:
    return (
        f"## Step {index}\n\n"
        "This step rescales the records and removes the outliers found by the previous step. "
        "The threshold is three standard deviations, which keeps about 99.7% of a normal "
        "sample; see the *methods* section for why a robust estimate is not used here.\n\n"
        f"- input: `value_{index - 1}`\n- output: `value_{index}`, `table_{index}`\n"
    )


def notebook(target_size: int = TARGET_SIZE) -> dict[str, Any]:
    """Markdown and code cells until the file is about ``target_size`` bytes. Every 40th code cell
    is shown above its predecessor (the file stores it below, with a display order)."""
    cells: list[dict[str, Any]] = []
    size = 0
    index = 0
    while size < target_size:
        if index % 3 == 0:
            source = markdown_cell(index)
            cells.append(
                {"cell_type": "markdown", "id": f"m{index}", "metadata": {}, "source": source}
            )
            size += len(source) + 30
        source = code_cell(index)
        cells.append(
            {
                "cell_type": "code",
                "id": f"c{index}",
                "metadata": {"tags": ["step"]} if index % 10 == 0 else {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            }
        )
        size += len(source) + 10
        if index % 40 == 39:
            cells[-1], cells[-2] = cells[-2], cells[-1]
        index += 1
    metadata = {
        "kernelspec": {
            "display_name": "Python 3 (reactive)",
            "language": "python",
            "name": "reactive",
        }
    }
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def clear_caches() -> None:
    """Forget the per-source caches ``writes`` relies on, as in a freshly started server."""
    from jupytext_format.ipython import ipython_lines
    from reactive_kernel.analysis.cell import analyze_cell

    analyze_cell.cache_clear()
    ipython_lines.cache_clear()


def one_time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def jupyter_server() -> Iterator[Launched]:
    """A ``jupyter server`` subprocess in a temporary root (the extensions as installed)."""
    from tests.jupyter_servers import launch

    with tempfile.TemporaryDirectory(prefix="format-bench-") as folder:
        root = Path(folder) / "root"
        root.mkdir()
        with launch("jupyter-server", root, Path(folder) / "server.log") as running:
            yield running


def measure(quick: bool = False) -> Figures:
    """Every figure, on one generated notebook (``quick``: fewer runs, same notebook)."""
    import jupytext
    import nbformat

    runs = 3 if quick else 7
    jupytext_runs = 1 if quick else 3  # jupytext takes seconds per call on this notebook
    nb = notebook()
    writes(notebook(10_000))  # imports (IPython's transformer, libcst) are not measured
    clear_caches()
    writes_cold = one_time(lambda: writes(nb))
    text = writes(nb)
    node = nbformat.from_dict(nb)  # type: ignore[no-untyped-call]
    jupytext_text = jupytext.writes(node, fmt="py:percent")
    figures: dict[str, float] = {
        "writes": median_time(lambda: writes(nb), runs),
        "reads": median_time(lambda: reads(text), runs),
        "jupytext_writes": median_time(
            lambda: jupytext.writes(node, fmt="py:percent"), jupytext_runs
        ),
        "jupytext_reads": median_time(
            lambda: jupytext.reads(jupytext_text, fmt="py:percent"), jupytext_runs
        ),
    }
    with jupyter_server() as server:
        path = server.root / "big.py"
        path.write_text(text)
        opened: list[bytes] = []
        figures["save_edited_cold"] = _edited_save(server, opened, 0)
        figures["open"] = median_time(
            lambda: opened.append(server.call("GET", "/api/contents/big.py", timeout=120)), runs
        )
        model = json.loads(opened[-1])
        assert model.get("reactive") is True, "the server did not open big.py as reactive"
        body = json.dumps({"type": "notebook", "format": "json", "content": model["content"]})
        before = path.read_text()
        figures["save"] = median_time(
            lambda: server.call("PUT", "/api/contents/big.py", body.encode(), timeout=120), runs
        )
        assert path.read_text() == before, "an unchanged save changed the file"
        time.sleep(writes_cold * 2 + 2)  # the preparation started by the opens has finished
        edits = iter(range(1, runs + 1))
        figures["save_edited"] = median_time(
            lambda: _edited_save(server, opened, next(edits), reopen=False), runs
        )
        nbformat.write(node, str(server.root / "big.ipynb"))  # type: ignore[no-untyped-call]
        figures["ipynb_open"] = median_time(
            lambda: opened.append(server.call("GET", "/api/contents/big.ipynb", timeout=120)), runs
        )
        ipynb_body = json.dumps(
            {"type": "notebook", "format": "json", "content": json.loads(opened[-1])["content"]}
        ).encode()
        figures["ipynb_save"] = median_time(
            lambda: server.call("PUT", "/api/contents/big.ipynb", ipynb_body, timeout=120), runs
        )
    return Figures(
        cells=len(nb["cells"]),
        size_bytes=len(text.encode()),
        reordered="display_order" in text[:2000],
        writes_cold=writes_cold,
        **figures,
    )


def _edited_save(server: Launched, opened: list[bytes], edit: int, reopen: bool = True) -> float:
    """Open (when ``reopen``) then time one save with a line added to one code cell."""
    if reopen or not opened:
        opened.append(server.call("GET", "/api/contents/big.py", timeout=120))
    content = json.loads(opened[-1])["content"]
    code = [cell for cell in content["cells"] if cell["cell_type"] == "code"]
    code[(edit * 97) % len(code)]["source"] += f"\nedit_{edit} = {edit}"
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    start = time.perf_counter()
    server.call("PUT", "/api/contents/big.py", body, timeout=120)
    return time.perf_counter() - start


def verdicts(figures: Figures) -> list[Verdict]:
    return [
        Verdict("contents API open (GET), 5 MB .py notebook", figures.open, OPEN_LIMIT),
        Verdict("save, no edits (PUT), 5 MB", figures.save, SAVE_LIMIT),
        Verdict(
            "save, one cell edited, after the preparation (PUT), 5 MB",
            figures.save_edited,
            SAVE_LIMIT,
        ),
        Verdict(
            "save, one cell edited, right after opening (PUT, cold), 5 MB",
            figures.save_edited_cold,
            SAVE_LIMIT,
        ),
    ]


def table(figures: Figures) -> str:
    def ratio(ours: float, theirs: float) -> str:
        return f"{ours / theirs:.2f}" if theirs else "n/a"

    rows = [
        f"notebook: {figures.cells} cells, {figures.size_bytes / 1e6:.2f} MB as .py, "
        f"stored in {'script' if figures.reordered else 'display'} order",
        "",
        "| in process | ours (s) | jupytext py:percent (s) | ratio | target |",
        "| --- | --- | --- | --- | --- |",
        f"| writes, first in a process | {figures.writes_cold:.3f} | | | |",
        f"| writes | {figures.writes:.3f} | {figures.jupytext_writes:.3f} "
        f"| {ratio(figures.writes, figures.jupytext_writes)} | |",
        f"| reads | {figures.reads:.3f} | {figures.jupytext_reads:.3f} "
        f"| {ratio(figures.reads, figures.jupytext_reads)} | |",
    ]
    baselines = {"open": figures.ipynb_open, "save": figures.ipynb_save}
    rows += [
        "",
        "| contents API | ours, .py (s) | stock, same notebook as .ipynb (s) | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for verdict in verdicts(figures):
        result = "pass" if verdict.passed else "**FAIL**"
        baseline = baselines["open" if "open" in verdict.name else "save"]
        rows.append(
            f"| {verdict.name} | {verdict.measured:.3f} | {baseline:.3f} "
            f"| {ratio(verdict.measured, baseline)} | <= {verdict.limit:.1f} s {result} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure")
    args = parser.parse_args(argv)
    figures = measure(quick=args.quick)
    print(table(figures))
    return 0 if all(verdict.passed for verdict in verdicts(figures)) else 1


if __name__ == "__main__":
    sys.exit(main())
