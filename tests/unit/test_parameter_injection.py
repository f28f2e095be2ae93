"""Where ``run -p``/``export -p`` put parameters (reactive_kernel/cli/parameters.py): after a
``parameters`` cell; without one, in the one plain statement that assigns the name, so that every
cell reads the same value; never above an assignment some cells would still read."""

from __future__ import annotations

from typing import Any

import pytest

from reactive_kernel.cli import parameters as params
from reactive_kernel.cli.notebooks import Notebook, NotebookCell

pytestmark = pytest.mark.unit


def _notebook(cells: list[tuple[str, str]], tagged: int | None = None) -> Notebook:
    raw = [
        {
            "cell_type": kind,
            "id": f"c{i}",
            "metadata": {"tags": ["parameters"]} if i == tagged else {},
            "source": source,
            **({"outputs": [], "execution_count": None} if kind == "code" else {}),
        }
        for i, (kind, source) in enumerate(cells)
    ]
    document: dict[str, Any] = {"cells": raw, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return Notebook(
        cells=tuple(NotebookCell(kind, source, f"c{i}") for i, (kind, source) in enumerate(cells)),
        document=document,
    )


def _sources(notebook: Notebook) -> list[str]:
    return [cell.source for cell in notebook.cells]


def test_after_the_parameters_cell() -> None:
    nb = _notebook([("code", "n = 1"), ("code", "print(n)")], tagged=0)
    injected, where = params.inject(nb, {"n": 5})
    assert _sources(injected) == ["n = 1", "# Parameters\nn = 5", "print(n)"]
    assert where.providers == {"n": "injected-parameters"} and where.rewritten == ()


def test_without_a_parameters_cell_the_assignment_itself_changes() -> None:
    """The reader above the assignment (bound downward to it) and the one below read 20."""
    cells = ["print(threshold)", "threshold = 15  # degrees", "t2 = threshold"]
    nb = _notebook([("code", source) for source in cells])
    injected, where = params.inject(nb, {"threshold": 20, "fresh": "x"})
    assert _sources(injected) == [
        "# Parameters\nfresh = 'x'",
        "print(threshold)",
        "threshold = 20  # degrees",
        "t2 = threshold",
    ]
    assert injected.document["cells"][2]["source"] == "threshold = 20  # degrees"
    assert where.providers == {"threshold": "c1", "fresh": "injected-parameters"}
    assert where.rewritten == (("threshold", 3),)


def test_a_statement_among_others_and_over_several_lines() -> None:
    nb = _notebook([("code", "import math\nrate = (\n    0.5\n)\nlimit = rate * 2")])
    injected, _ = params.inject(nb, {"rate": 0.25})
    assert _sources(injected) == ["import math\nrate = 0.25\nlimit = rate * 2"]


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ([("code", "k = 1"), ("code", "k = 2")], "assigned in cells 1, 2"),
        ([("code", "k = 1\nk = k + 1")], "not set by one plain 'k = ...' line in cell 1"),
        ([("code", "for k in range(3):\n    pass")], "not set by one plain"),
        ([("code", "k, j = 1, 2")], "not set by one plain"),
        ([("code", "from os import sep as k")], "not set by one plain"),
    ],
    ids=["two-cells", "reassigned", "loop", "tuple", "import"],
)
def test_refused_without_a_parameters_cell(cells: list[tuple[str, str]], words: str) -> None:
    with pytest.raises(params.ParameterError, match="tag the cell") as error:
        params.inject(_notebook(cells), {"k": 9})
    assert words in str(error.value)


def test_unused_names_the_parameters_no_cell_reads_from_their_cell() -> None:
    where = params.Injection({"a": "c0", "b": "injected-parameters"})
    graph = {"cells": [{"bindings": {"a": "c0"}}, {"bindings": {"b": "c3"}}]}
    assert params.unused(graph, where) == ["b"]
