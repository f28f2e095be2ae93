"""``reactive-kernel export`` as a real subprocess: HTML (with outputs and a failing cell),
reveal.js slides and a plain script from saved outputs, default output paths, a refused overwrite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from reactive_kernel.cli.export import default_output
from tests.cli.helpers import new_notebook, run_cli, write_notebook

pytestmark = pytest.mark.cli


def _needs_kernelspec() -> None:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")


def test_html_report_has_outputs_parameters_and_the_error(tmp_path: Path) -> None:
    """A failing cell: the report is still written (with the traceback); the exit status is 1."""
    _needs_kernelspec()
    notebook = new_notebook(
        [
            ("markdown", "# Weekly report"),
            ("code", "n = 1"),
            ("code", "print('total', n * 1000 + 7)"),
            ("code", "missing_name"),
        ]
    )
    notebook.cells[1].metadata["tags"] = ["parameters"]
    source = tmp_path / "report.ipynb"
    nbformat.write(notebook, str(source))
    result = run_cli("export", source, "--to", "html", "-p", "n", "42")
    assert result.returncode == 1
    # Cells are numbered in the executed notebook, which holds the injected-parameters cell.
    assert "cell 5 (missing_name) failed: NameError" in result.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Weekly report" in html and "total 42007" in html and "NameError" in html
    assert "jp-Notebook" in html  # nbconvert's JupyterLab template
    assert not list(tmp_path.glob(".*.tmp"))


def test_ipynb_export_of_a_py_notebook_goes_beside_it(tmp_path: Path) -> None:
    _needs_kernelspec()
    source = write_notebook(tmp_path / "nb.py", [("code", "x = 6"), ("code", "x * 7")])
    result = run_cli("export", source, "--to", "ipynb")
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(tmp_path / "nb.ipynb", as_version=4)
    nbformat.validate(executed)
    assert executed.cells[1].outputs[0].data["text/plain"] == "42"


def test_slides_from_saved_outputs_without_a_kernel(tmp_path: Path) -> None:
    notebook = new_notebook([("markdown", "# Deck"), ("code", "print('saved')")])
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="saved output 123\n")]
    source = tmp_path / "deck.ipynb"
    nbformat.write(notebook, str(source))
    result = run_cli("export", source, "--to", "slides", "--no-execute", "--kernel", "nope")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "deck.slides.html").read_text(encoding="utf-8")
    assert "reveal" in html and "saved output 123" in html


def test_script_runs_in_execution_order_with_python(tmp_path: Path) -> None:
    """The first cell reads a name defined below it; the magic is commented out."""
    source = write_notebook(
        tmp_path / "nb.py",
        [
            ("markdown", "Totals"),
            ("code", "print('total', total)"),
            ("code", "%precision 3\ntotal = base * 2"),
            ("code", "base = 21\nprint('base', base)"),
        ],
    )
    script = tmp_path / "out" / "script.py"
    result = run_cli("export", source, "--to", "script", "--no-execute", "-o", script)
    assert result.returncode == 0, result.stderr
    text = script.read_text(encoding="utf-8")
    assert "# %precision 3" in text and "# Totals" in text
    ran = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "base 21\ntotal 42\n"


def test_refuses_to_overwrite_the_notebook(tmp_path: Path) -> None:
    source = write_notebook(tmp_path / "nb.ipynb", [("code", "x = 1")])
    before = source.read_bytes()
    result = run_cli("export", source, "--to", "ipynb", "--no-execute", "-o", source)
    assert result.returncode == 2
    assert "is the notebook itself" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "to", "expected"),
    [
        ("nb.ipynb", "html", "nb.html"),
        ("nb.ipynb", "slides", "nb.slides.html"),
        ("nb.ipynb", "script", "nb.py"),
        ("nb.ipynb", "ipynb", "nb.export.ipynb"),
        ("nb.py", "ipynb", "nb.ipynb"),
        ("nb.py", "script", "nb.export.py"),
    ],
)
def test_default_output_path(name: str, to: str, expected: str, tmp_path: Path) -> None:
    assert default_output(tmp_path / name, to) == tmp_path / expected
