"""The examples stay valid and run headless on a real reactive kernel: examples/dashboard.ipynb
(no graph errors, only the stdlib and reactive_kernel.ui; tests/e2e/test_widgets.py drives it in a
browser), examples/tour.py (run with a parameter, exported as HTML and as a script) and
examples/quickstart.ipynb.
"""

from __future__ import annotations

import ast
import json
import subprocess
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


EXAMPLES = DASHBOARD.parent


def _needs_kernelspec() -> None:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")


def test_the_tour_runs_with_a_parameter_and_exports_like_its_script(tmp_path: Path) -> None:
    """examples/tour.py headless, as a CI job would: `run -p` changes the answer, the HTML report
    shows the outputs, and the exported script prints what the reactive run printed."""
    _needs_kernelspec()
    tour = EXAMPLES / "tour.py"
    ran = run_cli("run", tour, "-p", "threshold", "20")
    assert ran.returncode == 0, ran.stderr
    assert "2 of 4 cities are warmer than 20 °C: Cairo, Lisbon" in ran.stdout

    html = tmp_path / "tour.html"
    exported = run_cli("export", tour, "--to", "html", "-o", html)
    assert exported.returncode == 0, exported.stderr
    report = html.read_text(encoding="utf-8")
    assert "3 of 4 cities are warmer than 15 °C: Cairo, Lima, Lisbon" in report
    assert "jp-OutputArea" in report  # nbconvert's lab template, as Jupyter's own exports

    slides = tmp_path / "tour.slides.html"
    assert run_cli("export", tour, "--to", "slides", "-o", slides).returncode == 0
    deck = slides.read_text(encoding="utf-8")
    assert "reveal" in deck and "3 of 4 cities are warmer than 15 °C" in deck

    script = tmp_path / "tour_script.py"
    assert run_cli("export", tour, "--to", "script", "-o", script).returncode == 0
    plain = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    reactive = run_cli("run", tour)
    assert plain.stdout.splitlines()[0] == reactive.stdout.splitlines()[0]
    assert plain.stdout.splitlines()[0].startswith("3 of 4 cities")


def test_the_quickstart_runs_headless(tmp_path: Path) -> None:
    _needs_kernelspec()
    out = tmp_path / "quickstart.ipynb"
    result = run_cli("run", EXAMPLES / "quickstart.ipynb", "-o", out)
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(out, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
