"""The kernelspecs: the one the wheel registers, and one written by ``reactive-kernel install``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

pytestmark = pytest.mark.kernel


def test_wheel_registers_reactive_kernelspec() -> None:
    """``pip install`` (shared data) put ``reactive`` on Jupyter's path."""
    spec = KernelSpecManager().get_kernel_spec("reactive")
    assert spec.display_name == "Python 3 (reactive)"
    assert spec.language == "python"
    assert spec.argv[1:3] == ["-m", "reactive_kernel"]


def test_installed_spec_starts_a_kernel(tmp_path: Path) -> None:
    """A spec written with an absolute interpreter starts a working kernel from its own folder."""
    result = subprocess.run(
        [sys.executable, "-m", "reactive_kernel.cli", "install", "--prefix", str(tmp_path),
         "--name", "other"],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kernels = tmp_path / "share" / "jupyter" / "kernels"
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    spec = specs.get_kernel_spec("other")
    assert spec.argv[0] == sys.executable
    assert spec.display_name == "Python 3 (reactive, other)"

    km = KernelManager(kernel_name="other", kernel_spec_manager=specs)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        results: list[str] = []

        def keep(msg: dict[str, object]) -> None:
            content = msg["content"]
            if msg["msg_type"] == "execute_result" and isinstance(content, dict):
                results.append(content["data"]["text/plain"])

        reply = kc.execute_interactive("1+1", timeout=60, output_hook=keep)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert results == ["2"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
