"""The spec's notebook cases (``graph_cases.json``, REACTIVITY.md section 3) through the real
analysis.

The cases are read where they live (``/work/shared/spec`` beside the checkout, or
``$REACTIVE_SPEC_DIR``), never copied. Each case also checks that building the notebook cell by
cell, by insertion, gives the same graph as ``reset``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.types import CellId

pytestmark = pytest.mark.unit


def _spec_dir() -> Path:
    override = os.environ.get("REACTIVE_SPEC_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "spec"


CASES_FILE = _spec_dir() / "graph_cases.json"


def _load() -> list[Any]:
    if not CASES_FILE.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {CASES_FILE}"), id="missing")]
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


def _analysis_ready() -> bool:
    try:
        from reactive_kernel.analysis import analyze_cell  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return False
    return callable(analyze_cell)


needs_analysis = pytest.mark.skipif(
    not _analysis_ready(), reason="reactive_kernel.analysis.analyze_cell does not exist yet"
)


def _result(graph: NotebookGraph, ids: list[CellId]) -> dict[str, Any]:
    position = {cell: i for i, cell in enumerate(ids)}
    return {
        "parents": {str(position[c]): sorted(position[p] for p in graph.parents(c)) for c in ids},
        "order": [position[c] for c in graph.order()],
        "errors": {
            str(position[c]): sorted({e.kind for e in graph.errors(c)})
            for c in ids
            if graph.errors(c)
        },
    }


@needs_analysis
@pytest.mark.parametrize("case", _load())
def test_graph_case(case: dict[str, Any]) -> None:
    ids = [CellId(f"cell-{i}") for i in range(len(case["cells"]))]
    graph = NotebookGraph()
    graph.reset(list(zip(ids, case["cells"], strict=True)))
    got = _result(graph, ids)
    assert got["parents"] == case["parents"], case["note"]
    if case["order"] is not None:
        assert got["order"] == case["order"], case["note"]
    assert got["errors"] == {k: sorted(set(v)) for k, v in case["errors"].items()}, case["note"]
    for cell in ids:
        assert graph.has_errors(cell) == bool(graph.errors(cell))

    # Built cell by cell, bottom cell first, the graph is the same.
    incremental = NotebookGraph()
    for i in reversed(range(len(ids))):
        incremental.insert(ids[i], case["cells"][i], 0)
    assert _result(incremental, ids) == got
