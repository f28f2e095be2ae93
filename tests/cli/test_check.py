"""``reactive-kernel check`` run as a real subprocess on notebooks built from the shared spec suite.

The spec's cases are read where they live (never copied into the repository). A sample of them is
enough here: the analysis and graph tiers check every case in-process; this tier checks that the
command line reports the same answers for ``.ipynb`` and ``.py`` files, counts markdown cells in its
indexes, and exits 0, 1 or 2 as documented.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run_cli, write_notebook

pytestmark = pytest.mark.cli

Case = dict[str, Any]


def _spec_dir() -> Path:
    override = os.environ.get("REACTIVE_SPEC_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[3] / "shared" / "spec"


def _load(name: str) -> list[Case]:
    path = _spec_dir() / name
    if not path.is_file():
        return []
    cases: list[Case] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def _sample(cases: list[Case], every: int, keep: Any) -> list[Any]:
    """Every ``every``-th case plus those ``keep`` selects, as params with the case name as id."""
    chosen = [c for i, c in enumerate(cases) if i % every == 0 or keep(c)]
    if not cases:
        reason = f"spec suite not found at {_spec_dir()} (set REACTIVE_SPEC_DIR)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-spec")]
    return [pytest.param(c, id=c["name"]) for c in chosen]


CELL_CASES = _sample(_load("cases.json"), 10, lambda c: bool(c["errors"]))
GRAPH_CASES = _sample(
    _load("graph_cases.json"), 4, lambda c: bool(c["errors"]) or c["order"] is None
)


# -- helpers -------------------------------------------------------------------------------------


def check_json(path: Path, expected_status: int | None = None) -> dict[str, Any]:
    result = run_cli("check", path, "--json")
    if expected_status is not None:
        assert result.returncode == expected_status, result.stderr
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)  # exactly one JSON object
    return report


def error_kinds(cell: dict[str, Any]) -> list[str]:
    return sorted({e["kind"] for e in cell["errors"]})


# -- one cell: spec section 2 --------------------------------------------------------------------


# Each run is a fresh interpreter (about a second): the .py format gets a third of the sample.
SINGLE_CELL = [
    pytest.param(*p.values, ".ipynb", id=f"{p.id}-ipynb", marks=p.marks) for p in CELL_CASES
]
SINGLE_CELL += [
    pytest.param(*p.values, ".py", id=f"{p.id}-py", marks=p.marks) for p in CELL_CASES[::3]
]


@pytest.mark.parametrize(("case", "suffix"), SINGLE_CELL)
def test_single_cell_matches_spec(case: Case, suffix: str, tmp_path: Path) -> None:
    path = write_notebook(tmp_path / f"cell{suffix}", [("code", case["code"])])
    report = check_json(path, expected_status=1 if case["errors"] else 0)
    [cell] = report["cells"]
    got = {key: cell[key] for key in ("defines", "references", "mutates", "deletes")}
    want = {key: case[key] for key in ("defines", "references", "mutates", "deletes")}
    assert (got, error_kinds(cell)) == (want, sorted(set(case["errors"]))), case["note"]
    assert cell["index"] == 0 and cell["kind"] == "code"
    assert report["ok"] is not bool(case["errors"])


# -- notebooks: spec section 3 -------------------------------------------------------------------


def _expected_children(parents: dict[str, list[int]]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {int(i): [] for i in parents}
    for child, cells in parents.items():
        for parent in cells:
            children[parent].append(int(child))
    return {i: sorted(c) for i, c in children.items()}


def _assert_graph(report: dict[str, Any], case: Case, position: list[int]) -> None:
    """Compare a report with a graph case; ``position[i]`` is code cell i's index in the file."""
    cells = report["cells"]
    where = {index: i for i, index in enumerate(position)}  # file index -> code cell number
    got_parents = {
        str(i): [where[p] for p in cells[position[i]]["parents"]] for i in where.values()
    }
    assert got_parents == case["parents"], case["note"]
    got_children = {i: [where[c] for c in cells[position[i]]["children"]] for i in where.values()}
    assert got_children == _expected_children(case["parents"])
    got_errors = {str(i): error_kinds(cells[position[i]]) for i in where.values()}
    assert {i: kinds for i, kinds in got_errors.items() if kinds} == case["errors"], case["note"]
    if case["order"] is not None:
        assert [where[i] for i in report["order"]] == case["order"], case["note"]
    assert report["ok"] is not bool(case["errors"])


@pytest.mark.parametrize("case", GRAPH_CASES)
def test_notebook_matches_spec_with_markdown_between(case: Case, tmp_path: Path) -> None:
    """Markdown and raw cells sit between the code cells and still count in every index."""
    cells: list[tuple[str, str]] = []
    position = []
    for i, source in enumerate(case["cells"]):
        cells.append(("markdown" if i % 2 == 0 else "raw", f"Note before code cell {i}"))
        position.append(len(cells))
        cells.append(("code", source))
    path = write_notebook(tmp_path / "notebook.ipynb", cells)
    report = check_json(path, expected_status=1 if case["errors"] else 0)
    assert [c["index"] for c in report["cells"]] == list(range(len(cells)))
    for index, (kind, _) in enumerate(cells):
        if kind != "code":
            assert report["cells"][index] == {
                "index": index,
                "kind": kind,
                **{k: [] for k in ("defines", "references", "mutates", "deletes")},
                **{k: [] for k in ("parents", "children", "errors")},
            }
    _assert_graph(report, case, position)


@pytest.mark.parametrize("case", GRAPH_CASES[::2])
def test_py_notebook_matches_spec(case: Case, tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "notebook.py", [("code", s) for s in case["cells"]])
    report = check_json(path, expected_status=1 if case["errors"] else 0)
    assert len(report["cells"]) == len(case["cells"])
    _assert_graph(report, case, list(range(len(case["cells"]))))


# -- exit status, output formats -----------------------------------------------------------------


def test_builtin_reference_binds_to_cell_above(tmp_path: Path) -> None:
    """A builtin name is a reference when a cell above rebinds it (graph.bindings says so)."""
    path = write_notebook(
        tmp_path / "nb.ipynb", [("code", "len = 3"), ("markdown", "text"), ("code", "y = len")]
    )
    report = check_json(path, expected_status=0)
    assert report["cells"][2]["references"] == ["len"]
    assert report["cells"][2]["parents"] == [0]
    assert report["cells"][0]["children"] == [2]
    assert report["order"] == [0, 2]


def test_exit_status_zero_and_readable_text(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "nb.ipynb",
        [("markdown", "# Load"), ("code", "data = [3, 1, 2]"), ("code", "total = sum(data)")],
    )
    result = run_cli("check", path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "cell 2 (code): data = [3, 1, 2]" in text
    assert "cell 1 (markdown): # Load" in text
    assert "execution order: 2 -> 3" in text
    assert "ok: no graph errors" in text


def test_exit_status_one_on_graph_errors(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.py", [("code", "a = b + 1"), ("code", "b = a + 1")])
    report = check_json(path, expected_status=1)
    assert report["ok"] is False
    assert [error_kinds(c) for c in report["cells"]] == [["cycle"], ["cycle"]]
    text = run_cli("check", path)
    assert text.returncode == 1
    assert "ERROR cycle:" in text.stdout
    assert "cells with graph errors: 1, 2" in text.stdout


def test_json_is_exactly_one_object(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.ipynb", [("code", "x = 1"), ("code", "x.append(2)")])
    result = run_cli("check", path, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"cells", "order", "ok"}
    assert set(report["cells"][1]) == {
        "index", "kind", "defines", "references", "mutates", "deletes",
        "parents", "children", "errors",
    }  # fmt: skip
    assert report["cells"][1]["mutates"] == ["x"]


def test_empty_notebook(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "empty.ipynb", [])
    assert check_json(path, expected_status=0) == {"cells": [], "order": [], "ok": True}


UNREADABLE = {
    "missing": None,
    "not-utf8": b"\xff\xfe\x00not text",
    "malformed-json": b'{"cells": [',
    "json-not-notebook": b"[1, 2, 3]",
    "bad-cell-type": json.dumps(
        {
            "cells": [{"cell_type": "widget", "source": "", "metadata": {}}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode(),
}


@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_unreadable_file_exits_two(content: bytes | None, as_json: bool, tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("check", path, *(["--json"] if as_json else []))
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("name", ["notes.txt", "folder"])
def test_not_a_notebook_exits_two(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    else:
        path.write_text("x = 1\n", encoding="utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_py_not_utf8_exits_two(tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    path.write_bytes("# %%\nname = 'café'\n".encode("latin-1"))
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr


def test_graph_error_messages_number_cells_as_readers_do(tmp_path: Path) -> None:
    """Cycle and ambiguity messages name cells by the 1-based numbers the text format uses."""
    path = write_notebook(
        tmp_path / "cycle.ipynb",
        [("markdown", "# Loop"), ("code", "a = b + 1"), ("code", "b = a + 1")],
    )
    report = check_json(path, expected_status=1)
    messages = [error["message"] for cell in report["cells"] for error in cell["errors"]]
    assert messages and all("cell 2" in m and "cell 3" in m for m in messages), messages
    assert not any("cell-" in m for m in messages), messages
