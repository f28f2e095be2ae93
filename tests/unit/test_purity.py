"""The pure core imports none of the Jupyter machinery (STYLE.md: a pure core, an imperative shell).

Each module of the core packages is imported alone in a fresh interpreter, so a failure names the
module that pulled a forbidden package in.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import jupytext_format
import reactive_kernel

pytestmark = pytest.mark.unit

CORE_PACKAGES = ("analysis", "graph", "planning", "protocol")
FORBIDDEN = ("ipykernel", "zmq", "jupyter_server", "jupyter_client", "tornado")
FORMAT_EDGE = ("jupytext_format.contents", "jupytext_format.server")


def core_modules() -> list[str]:
    """``reactive_kernel``, its ``types`` module, and every module of the core packages."""
    root = Path(reactive_kernel.__file__).parent
    modules = ["reactive_kernel", "reactive_kernel._version", "reactive_kernel.types"]
    for package in CORE_PACKAGES:
        modules.append(f"reactive_kernel.{package}")
        for info in pkgutil.walk_packages([str(root / package)], f"reactive_kernel.{package}."):
            modules.append(info.name)
    # The .py format is pure too, except its edge: the contents manager and server extension.
    format_root = Path(jupytext_format.__file__).parent
    modules.append("jupytext_format")
    for info in pkgutil.walk_packages([str(format_root)], "jupytext_format."):
        if info.name not in FORMAT_EDGE:
            modules.append(info.name)
    return modules


PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2:])))
"""


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_jupyter_machinery(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, module, *FORBIDDEN],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"importing {module} failed:\n{result.stderr}"
    assert result.stdout.strip() == "[]", f"{module} imports {result.stdout.strip()}"
