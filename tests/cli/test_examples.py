"""examples/dashboard.ipynb stays valid: no graph errors, only the stdlib and reactive_kernel.ui,
and it runs headless on a real reactive kernel (tests/e2e/test_widgets.py drives it in a browser).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests.cli.helpers import run_cli

pytestmark = pytest.mark.cli

DASHBOARD = Path(__file__).resolve().parents[2] / "examples" / "dashboard.ipynb"


def test_dashboard_has_no_graph_errors_and_uses_only_the_stdlib_and_ui() -> None:
    result = run_cli("check", DASHBOARD, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    code = [c["index"] for c in report["cells"] if c["kind"] == "code"]
    assert report["order"] == code  # display order is execution order
    notebook = nbformat.read(DASHBOARD, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "reactive"
    assert all(not c.get("outputs") for c in notebook.cells)  # stored without outputs
    imported: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    imported.add(node.module.split(".")[0])
    assert imported - {"reactive_kernel"} <= set(sys.stdlib_module_names), imported


def test_dashboard_runs_headless(tmp_path: Path) -> None:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")
    out = tmp_path / "dashboard.ipynb"
    result = run_cli("run", DASHBOARD, "-o", out)
    assert result.returncode == 0, result.stderr
    cells = {c.id: c for c in nbformat.read(out, as_version=4).cells}
    assert cells["dashboard-filter"].outputs[0].text.startswith("578 of 600 orders")
    assert "Select products" in cells["dashboard-detail"].outputs[0].text
