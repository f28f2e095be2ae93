"""The README's commands are the ones CI runs; the quick-start notebook exists and is reactive."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.cli

ROOT = Path(__file__).resolve().parents[2]


def marked_command(marker: str) -> str:
    """The single line of the code block after ``<!-- marker -->`` in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker} -->\s*```(?:bash|sh)?\n(.+?)\n\s*```", readme, re.DOTALL)
    assert found, f"README.md has no code block after <!-- {marker} -->"
    command = found.group(1).strip()
    assert "\n" not in command, "the command must be one line"
    return command


def ci_command() -> str:
    """The last command of ``.ci/run``: the test command CI runs."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    ]
    return commands[-1]


def test_ci_runs_the_readme_test_command() -> None:
    assert ci_command() == marked_command("test-command")


def test_ci_script_is_strict_bash() -> None:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text


def test_quickstart_notebook_opens_on_the_reactive_kernel() -> None:
    command = marked_command("quickstart-command")
    match = re.search(r"jupyter lab (\S+\.ipynb)", command)
    assert match, command
    notebook = nbformat.read(ROOT / match.group(1), as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "reactive"
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)
    assert sum(cell.cell_type == "code" for cell in notebook.cells) >= 3


def test_quickstart_notebook_has_no_graph_errors() -> None:
    """The example passes ``check``: load -> clean -> summarise -> report, in display order."""
    import json
    import subprocess
    import sys

    notebook = ROOT / "examples" / "quickstart.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "reactive_kernel.cli", "check", str(notebook), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    code = [c["index"] for c in report["cells"] if c["kind"] == "code"]
    assert report["order"] == code
    assert [report["cells"][i]["parents"] for i in code[1:4]] == [[i] for i in code[:3]]
