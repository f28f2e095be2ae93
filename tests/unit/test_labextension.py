"""The lab extension's jest tests (labextension/src/__tests__), run inside the Python suite so
that the README's one test command covers the TypeScript side too.

They need node (CI has node 20) and the extension's node_modules, which ``pip install .`` leaves
behind after building the extension; a checkout without them gets ``jlpm install`` first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "labextension"


def _jlpm() -> list[str]:
    jlpm = shutil.which("jlpm")
    if jlpm is None:
        pytest.skip("jlpm is not installed (it comes with jupyterlab / jupyter-builder)")
    return [jlpm]


@pytest.mark.timeout(600)
def test_jest_unit_tests_pass() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the extension's jest tests cannot run")
    jlpm = _jlpm()
    env = {**os.environ, "FORCE_COLOR": "0"}
    if not (EXTENSION / "node_modules" / ".bin" / "jest").exists():
        subprocess.run(
            [*jlpm, "install"],
            cwd=EXTENSION,
            env=env,
            check=True,
            timeout=500,
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
    result = subprocess.run(
        [*jlpm, "test", "--ci"],
        cwd=EXTENSION,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    output = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, f"jest failed:\n{output[-6000:]}"
    assert "Tests:" in output and "failed" not in output.split("Tests:")[1].splitlines()[0], output


@pytest.mark.timeout(300)
def test_typescript_compiles_and_is_formatted() -> None:
    """tsc (strict, tests included) and prettier over the extension's sources."""
    if shutil.which("node") is None or not (EXTENSION / "node_modules" / ".bin" / "tsc").exists():
        pytest.skip("node or the extension's node_modules are missing")
    result = subprocess.run(
        [*_jlpm(), "lint:check"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"[-6000:]
