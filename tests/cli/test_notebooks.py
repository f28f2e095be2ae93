"""Reading notebooks for the command line (``reactive_kernel.cli.notebooks``), and the cost of it.

``.ipynb`` files are read with the stdlib ``json``: ``check`` must never import nbformat (it imports
jsonschema, which alone took a second of ``check``'s start).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from reactive_kernel.cli.notebooks import (
    NotebookCell,
    NotebookReadError,
    read_notebook,
    read_notebook_or_report,
)
from tests.cli.helpers import write_notebook

pytestmark = pytest.mark.cli

SLOW_IMPORTS = ("nbformat", "jsonschema", "jupytext", "nbclient", "jupyter_client", "zmq")


def _write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _document(*cells: dict[str, Any], nbformat_version: Any = 4) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": nbformat_version, "nbformat_minor": 5}


def test_reads_nbformat4_fields(tmp_path: Path) -> None:
    path = _write_json(
        tmp_path / "nb.ipynb",
        _document(
            {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Title\n", "x"]},
            {"cell_type": "code", "id": "c-1", "metadata": {}, "source": "x = 1\ny = 2",
             "outputs": [], "execution_count": None},
            {"cell_type": "raw", "metadata": {}, "source": []},
        ),
    )  # fmt: skip
    notebook = read_notebook(path)
    assert notebook.cells == (
        NotebookCell(kind="markdown", source="# Title\nx", id="intro"),
        NotebookCell(kind="code", source="x = 1\ny = 2", id="c-1"),
        NotebookCell(kind="raw", source="", id=None),
    )
    # The document keeps every other field, with the sources joined.
    assert notebook.document["cells"][0]["source"] == "# Title\nx"
    assert notebook.document["cells"][1]["outputs"] == []
    assert notebook.document["nbformat_minor"] == 5


def test_repeated_ids_are_dropped(tmp_path: Path) -> None:
    """nbformat repairs repeated ids with a warning; here the later cell simply has none."""
    path = _write_json(
        tmp_path / "nb.ipynb",
        _document(
            {"cell_type": "code", "source": "a = 1", "id": "a"},
            {"cell_type": "code", "source": "b = 1", "id": "b"},
            {"cell_type": "code", "source": "c = 1", "id": "a"},
        ),
    )
    assert [c.id for c in read_notebook(path).cells] == ["a", "b", None]


def test_reads_what_nbformat_writes(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "nb.ipynb", [("markdown", "# A\n\ntext"), ("code", "a = 1\n\nb = a + 1\n")]
    )
    written = nbformat.read(path, as_version=4)
    notebook = read_notebook(path)
    assert [(c.kind, c.source, c.id) for c in notebook.cells] == [
        (c.cell_type, c.source, c.id) for c in written.cells
    ]


def test_upgrades_nbformat3(tmp_path: Path) -> None:
    """Files older than nbformat 4 still read, upgraded by nbformat (the only slow path)."""
    code = {"cell_type": "code", "input": "x = 1", "language": "python", "outputs": []}
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [{"cells": [code, {"cell_type": "markdown", "source": "# Old"}]}],
    }
    path = _write_json(tmp_path / "old.ipynb", v3)
    notebook = read_notebook(path)
    assert [(c.kind, c.source) for c in notebook.cells] == [
        ("code", "x = 1"),
        ("markdown", "# Old"),
    ]
    assert notebook.document["nbformat"] == 4


INVALID = {
    "malformed-json": ('{"cells": [', "malformed JSON, not a notebook"),
    "list": ("[1, 2, 3]", "not a valid notebook: a JSON list, not an object"),
    "no-version": ('{"cells": []}', "not a valid notebook: no nbformat version number"),
    "bool-version": ('{"cells": [], "nbformat": true}', "no nbformat version number"),
    "newer": (json.dumps(_document(nbformat_version=5)), "nbformat 5 is newer than this reader"),
    "no-cells": ('{"nbformat": 4, "metadata": {}}', "not a valid notebook: no list of cells"),
    "cell-not-object": (json.dumps(_document("x = 1")), "cell 1 has no valid cell_type"),
    "no-cell-type": (json.dumps(_document({"source": "x"})), "cell 1 has no valid cell_type"),
    "source-number": (
        json.dumps(_document({"cell_type": "code", "source": 3})),
        "cell 1 has no text source",
    ),
    "source-list-of-numbers": (
        json.dumps(_document({"cell_type": "code", "source": ["a", 1]})),
        "cell 1 has no text source",
    ),
    "id-number": (
        json.dumps(_document({"cell_type": "code", "source": "", "id": 7})),
        "cell 1 has an id that is not a string",
    ),
}


@pytest.mark.parametrize(("text", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_ipynb_is_one_clear_error(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotebookReadError) as raised:
        read_notebook(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_read_or_report_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "missing.ipynb"
    assert read_notebook_or_report("check", path) is None
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"reactive-kernel check: {path}: no such file\n"


def _modules_after_check(path: Path) -> dict[str, Any]:
    """Run ``reactive-kernel check --json PATH`` in a fresh interpreter; report its exit status and
    which slow modules it imported."""
    script = f"""
import json, runpy, sys
sys.argv = ["reactive-kernel", "check", "--json", {str(path)!r}]
try:
    runpy.run_module("reactive_kernel.cli", run_name="__main__", alter_sys=True)
    status = 0
except SystemExit as exit_:
    status = exit_.code
loaded = [name for name in {SLOW_IMPORTS!r} if name in sys.modules]
sys.stderr.write(json.dumps({{"status": status, "loaded": loaded}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stderr.strip().splitlines()[-1])
    json.loads(result.stdout)  # the check report itself, untouched by the probe
    return report


def test_check_ipynb_imports_no_nbformat(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "nb.ipynb", [("markdown", "# A"), ("code", "x = 1"), ("code", "y = x + 1")]
    )
    report = _modules_after_check(path)
    assert report == {"status": 0, "loaded": []}


def test_check_py_imports_no_nbformat(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.py", [("code", "x = 1"), ("code", "y = x + 1")])
    report = _modules_after_check(path)
    assert report == {"status": 0, "loaded": []}


def test_probe_sees_imports(tmp_path: Path) -> None:
    """The probe above would see nbformat if it were imported: an nbformat 3 file is upgraded by
    nbformat."""
    code = {"cell_type": "code", "input": "x = 1", "language": "python", "outputs": []}
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [code]}]}
    report = _modules_after_check(_write_json(tmp_path / "old.ipynb", v3))
    assert report["status"] == 0
    assert "nbformat" in report["loaded"]
