"""``reactive-kernel run`` as a real subprocess: unreadable files, and a notebook executed on a real
reactive kernel and written back as ``.ipynb``."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests.cli.helpers import run_cli, write_notebook

pytestmark = pytest.mark.cli


def _needs_kernelspec() -> None:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")


@pytest.mark.parametrize("name", ["missing.ipynb", "broken.ipynb", "notes.txt"])
def test_unreadable_exits_two_without_a_kernel(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if name == "broken.ipynb":
        path.write_text('{"cells": [', encoding="utf-8")
    elif name == "notes.txt":
        path.write_text("x = 1\n", encoding="utf-8")
    result = run_cli("run", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"reactive-kernel run: {path}: ")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_run_writes_the_executed_notebook(tmp_path: Path) -> None:
    _needs_kernelspec()
    source = write_notebook(
        tmp_path / "nb.ipynb",
        [("markdown", "# Sum"), ("code", "total = 20"), ("code", "print(total + 1)\ntotal * 2")],
    )
    out = tmp_path / "out" / "done.ipynb"
    result = run_cli("run", source, "-o", out)
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(out, as_version=4)
    nbformat.validate(executed)
    original = nbformat.read(source, as_version=4)
    assert [c.id for c in executed.cells] == [c.id for c in original.cells]
    assert [c.source for c in executed.cells] == [c.source for c in original.cells]
    [stream, result_output] = executed.cells[2].outputs
    assert (stream.output_type, stream.text) == ("stream", "21\n")
    assert result_output.output_type == "execute_result"
    assert result_output.data["text/plain"] == "40"
    assert executed.cells[1].execution_count is not None
    assert not list(out.parent.glob(".*.tmp"))  # written atomically, nothing left behind


def test_run_py_notebook_prints_outputs(tmp_path: Path) -> None:
    _needs_kernelspec()
    path = write_notebook(tmp_path / "nb.py", [("code", "x = 2"), ("code", "print(x * 21)")])
    result = run_cli("run", path)
    assert result.returncode == 0, result.stderr
    assert "42" in result.stdout.splitlines()
