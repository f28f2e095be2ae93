"""ruff and mypy (strict, configured in pyproject.toml) over the code base, as part of the suite.

They run as subprocesses so that the one test command of the README checks style and types too.
Deselect them with ``-m "not lint"`` while iterating.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.lint

ROOT = Path(__file__).resolve().parents[2]


def _run(tool: str, *args: str) -> None:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [sys.executable, "-m", tool, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    output = f"{result.stdout}\n{result.stderr}".strip()
    assert result.returncode == 0, f"{tool} {' '.join(args)} failed:\n{output}"


def test_ruff_check() -> None:
    _run("ruff", "check", "reactive_kernel", "jupytext_format", "tests", "bench")


@pytest.mark.timeout(600)
def test_mypy_strict() -> None:
    _run("mypy")
