"""``reactive-kernel convert`` as a real subprocess: both directions, folders, the reactivity
report, ``--fix``, and refusing to lose data (existing outputs, unreadable inputs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from jupytext_format import reads
from tests.cli.helpers import new_notebook, run_cli

pytestmark = pytest.mark.cli

OUT_OF_ORDER = [
    ("markdown", "# Areas\n\nA *tiny* notebook."),
    ("code", "y = area(2)\nprint(round(y, 3))"),
    ("code", "from math import *\n\ndef area(r):\n    return pi * r ** 2"),
    ("raw", "raw: keep me"),
    ("code", "x = 1"),
    ("code", "x = 3\nprint(sqrt(x))"),
]


def _ipynb(
    path: Path, cells: list[tuple[str, str]], tags: dict[int, list[str]] | None = None
) -> Path:
    """A classic notebook (kernel ``python3``) with an output and an execution count."""
    notebook = new_notebook(cells, kernel="python3")
    for index, cell_tags in (tags or {}).items():
        notebook.cells[index].metadata["tags"] = cell_tags
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="12.566\n")]
    notebook.cells[1].execution_count = 7
    nbformat.write(notebook, str(path))
    return path


def _cells(path: Path) -> list[tuple[str, str, list[str]]]:
    if path.suffix == ".py":
        document = reads(path.read_text(encoding="utf-8"))
    else:
        document = json.loads(path.read_text(encoding="utf-8"))
    return [
        (
            cell["cell_type"],
            "".join(cell["source"]),
            list(cell.get("metadata", {}).get("tags", [])),
        )
        for cell in document["cells"]
    ]


def test_round_trip_keeps_sources_types_and_tags(tmp_path: Path) -> None:
    source = _ipynb(
        tmp_path / "areas.ipynb", OUT_OF_ORDER, tags={1: ["answer"], 3: ["front-matter"]}
    )
    result = run_cli("convert", source)
    assert result.returncode == 0, result.stderr
    py = tmp_path / "areas.py"
    text = py.read_text(encoding="utf-8")
    assert "12.566" not in text and "execution_count" not in text, "outputs must not be stored"
    assert "name: reactive" in text, "the header names the reactive kernel"
    back = run_cli("convert", py, "-o", tmp_path / "back.ipynb")
    assert back.returncode == 0, back.stderr
    assert _cells(tmp_path / "back.ipynb") == _cells(source)
    nbformat.validate(nbformat.read(str(tmp_path / "back.ipynb"), as_version=4))


def test_report_names_cells_and_fixes_and_still_writes(tmp_path: Path) -> None:
    source = _ipynb(tmp_path / "areas.ipynb", OUT_OF_ORDER)
    result = run_cli("convert", source)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "cell 2: reads `area`, which is defined below it, in cell 3" in out
    assert "move cell 3 above cell 2" in out
    assert "cell 3: `from math import *`" in out
    assert "`x` is defined in cells 5 and 6" in out
    assert (tmp_path / "areas.py").is_file()


def test_fix_lists_star_import_names_and_orders_cells(tmp_path: Path) -> None:
    source = _ipynb(tmp_path / "areas.ipynb", OUT_OF_ORDER, tags={1: ["answer"]})
    result = run_cli("convert", source, "--fix")
    assert result.returncode == 0, result.stderr
    assert "cell 3: `from math import *` -> `from math import pi, sqrt`" in result.stdout
    assert "moved cells into execution order" in result.stdout
    cells = _cells(tmp_path / "areas.py")
    assert [kind for kind, _, _ in cells] == ["markdown", "code", "code", "raw", "code", "code"]
    assert cells[1][1].startswith("from math import pi, sqrt\n")
    assert cells[2] == ("code", "y = area(2)\nprint(round(y, 3))", ["answer"]), "tags follow cells"
    text = (tmp_path / "areas.py").read_text(encoding="utf-8")
    assert "display_order" not in text, "fixed cells are displayed in execution order"
    run = subprocess.run(
        [sys.executable, str(tmp_path / "areas.py")], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["12.566", "1.7320508075688772"]


def test_existing_output_is_not_overwritten_without_force(tmp_path: Path) -> None:
    source = _ipynb(tmp_path / "areas.ipynb", OUT_OF_ORDER)
    target = tmp_path / "areas.py"
    target.write_text("precious = True\n", encoding="utf-8")
    result = run_cli("convert", source)
    assert result.returncode == 2
    assert "already exists (use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious = True\n"
    assert run_cli("convert", source, "--force").returncode == 0
    assert "# %%" in target.read_text(encoding="utf-8")


def test_folder_mode_converts_every_notebook_and_reports_failures(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "sub" / ".ipynb_checkpoints").mkdir(parents=True)
    _ipynb(root / "one.ipynb", OUT_OF_ORDER)
    _ipynb(root / "sub" / "two.ipynb", OUT_OF_ORDER)
    _ipynb(root / "sub" / ".ipynb_checkpoints" / "two-checkpoint.ipynb", OUT_OF_ORDER)
    (root / "broken.ipynb").write_text("{not json", encoding="utf-8")
    result = run_cli("convert", root, "-o", tmp_path / "out")
    assert result.returncode == 2, "one notebook could not be read"
    assert "broken.ipynb: malformed JSON" in result.stderr
    assert "2 of 3 notebooks converted." in result.stdout
    written = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")
    )
    assert written == ["one.py", "sub", "sub/two.py"]
    back = run_cli("convert", tmp_path / "out", "--to", "ipynb")
    assert back.returncode == 0, back.stderr
    assert _cells(tmp_path / "out" / "sub" / "two.ipynb") == _cells(root / "sub" / "two.ipynb")


def test_unreadable_inputs_exit_two_and_change_nothing(tmp_path: Path) -> None:
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"# %%\nx = '\xff\xfe'\n")
    result = run_cli("convert", binary)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr
    assert not (tmp_path / "blob.ipynb").exists()
    header = tmp_path / "header.py"
    header.write_text(
        "# ---\n# jupyter:\n#   reactive: [\n# ---\n\n# %%\nx = 1\n", encoding="utf-8"
    )
    before = header.read_bytes()
    result = run_cli("convert", header)
    assert result.returncode == 2
    assert "header" in result.stderr and "line" in result.stderr
    assert header.read_bytes() == before
    assert run_cli("convert", tmp_path / "missing.ipynb").returncode == 2
