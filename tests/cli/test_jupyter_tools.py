"""The reactive kernel under Jupyter's own headless runners: nbclient, papermill (with parameters)
and ``jupyter execute --kernel_name=reactive``.

They do not speak the reactive comm, so the kernel runs cells in the order they are sent: the page
order (docs/reactivity.md, "Without the lab extension"). The notebook here reads top to bottom, as
a notebook for these tools must; ``reactive-kernel run`` also runs cells that read from below.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests.cli.helpers import new_notebook

pytestmark = pytest.mark.cli


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")
    document = new_notebook(
        [
            ("markdown", "# Sum"),
            ("code", "n = 3"),
            ("code", "total = sum(range(n + 1))\nprint('total', total)"),
            ("code", "total * 2"),
        ]
    )
    document.cells[1].metadata["tags"] = ["parameters"]
    path = tmp_path / "sum.ipynb"
    nbformat.write(document, str(path))
    return path


def _results(path: Path) -> list[str]:
    """Each code cell's outputs as text: stream text, or a result's text/plain."""
    executed = nbformat.read(path, as_version=4)
    return [
        "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        for cell in executed.cells
        if cell.cell_type == "code"
    ]


def test_nbclient(notebook: Path) -> None:
    from nbclient import NotebookClient

    document = nbformat.read(notebook, as_version=4)
    NotebookClient(document, kernel_name="reactive", timeout=60).execute()
    nbformat.write(document, str(notebook))
    assert _results(notebook) == ["", "total 6\n", "12"]


def test_jupyter_execute(notebook: Path) -> None:
    if shutil.which("jupyter") is None:
        pytest.skip("the jupyter command is not on PATH")
    result = subprocess.run(
        ["jupyter", "execute", "--kernel_name=reactive", str(notebook), "--output=done"],
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stderr
    assert _results(notebook.with_name("done.ipynb")) == ["", "total 6\n", "12"]


def test_papermill_with_parameters(notebook: Path) -> None:
    pytest.importorskip("papermill")
    out = notebook.with_name("out.ipynb")
    papermill = [sys.executable, "-m", "papermill", "--no-progress-bar", "-k", "reactive"]
    result = subprocess.run(
        [*papermill, str(notebook), str(out), "-p", "n", "10"],
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[2].metadata.tags == ["injected-parameters"]
    assert _results(out) == ["", "", "total 55\n", "110"]
