"""``reactive-kernel run`` as a real subprocess: unreadable files, a notebook executed on a real
reactive kernel and written back as ``.ipynb``, parameters, failures, timeouts and a missing
kernel."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from jupytext_format import writes
from tests.cli.helpers import new_notebook, run_cli, stop_when_started, write_notebook

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


def _tagged(path: Path, cells: list[tuple[str, str]], tagged: int) -> Path:
    """A notebook whose cell ``tagged`` (0-based) carries the papermill ``parameters`` tag."""
    notebook = new_notebook(cells)
    notebook.cells[tagged].metadata["tags"] = ["parameters"]
    if path.suffix == ".py":
        path.write_text(writes(notebook), encoding="utf-8")
    else:
        nbformat.write(notebook, str(path))
    return path


def test_parameters_are_injected_after_the_parameters_cell(tmp_path: Path) -> None:
    _needs_kernelspec()
    source = _tagged(
        tmp_path / "nb.ipynb",
        [
            ("markdown", "# Report"),
            ("code", "n = 1\nlabel = 'a'"),
            ("code", "print(n * 10, label)"),
        ],
        tagged=1,
    )
    out = tmp_path / "out.ipynb"
    result = run_cli(
        "run", source, "-o", out, "-p", "n", "7", "-p", "label", "hello world", "-p", "extra", "[1]"
    )
    assert result.returncode == 0, result.stderr
    assert "warning: no cell reads parameter 'extra'" in result.stderr
    executed = nbformat.read(out, as_version=4)
    tags = [cell.metadata.get("tags") for cell in executed.cells]
    assert tags == [None, ["parameters"], ["injected-parameters"], None]
    assert executed.cells[2].source == "# Parameters\nn = 7\nlabel = 'hello world'\nextra = [1]"
    assert executed.cells[3].outputs[0].text == "70 hello world\n"


def test_parameters_file_and_py_notebook_without_a_tag(tmp_path: Path) -> None:
    """No tagged cell: the values go first; cells that assign a name later still win below them."""
    _needs_kernelspec()
    path = write_notebook(
        tmp_path / "nb.py", [("code", "print(greeting, count)"), ("code", "count = 0")]
    )
    values = tmp_path / "params.yaml"
    values.write_text("greeting: hi\ncount: 5\n", encoding="utf-8")
    result = run_cli("run", path, "--parameters-file", values, "-p", "count", "6")
    assert result.returncode == 0, result.stderr
    assert "hi 6" in result.stdout.splitlines()


def test_bad_parameter_name_exits_two(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.py", [("code", "x = 1")])
    result = run_cli("run", path, "-p", "not-a-name", "1")
    assert result.returncode == 2
    assert "'not-a-name' is not a Python variable name" in result.stderr


def test_failing_cell_writes_the_partial_notebook_and_the_traceback(tmp_path: Path) -> None:
    _needs_kernelspec()
    source = write_notebook(
        tmp_path / "nb.ipynb",
        [("code", "print('before')"), ("code", "\nratio = 1 / 0"), ("code", "print('after')")],
    )
    out = tmp_path / "out.ipynb"
    result = run_cli("run", source, "-o", out)
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr and "----> 1 ratio = 1 / 0" in result.stderr
    assert "\x1b[" not in result.stderr  # stderr is a pipe: no colours
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "reactive-kernel run: cell 2 (ratio = 1 / 0) failed: ZeroDivisionError: division by zero"
    )
    executed = nbformat.read(out, as_version=4)
    nbformat.validate(executed)
    assert executed.cells[0].outputs[0].text == "before\n"
    assert executed.cells[1].outputs[0].ename == "ZeroDivisionError"
    assert executed.cells[2].outputs == [] and executed.cells[2].execution_count is None


def test_timeout_interrupts_and_names_the_cell(tmp_path: Path) -> None:
    _needs_kernelspec()
    source = write_notebook(
        tmp_path / "nb.py",
        [("code", "print('start')"), ("code", "import time\ntime.sleep(30)"), ("code", "2")],
    )
    out = tmp_path / "out.ipynb"
    started = time.monotonic()
    result = run_cli("run", source, "-o", out, "--timeout", "2")
    assert time.monotonic() - started < 25
    assert result.returncode == 3, result.stderr
    assert "cell 2 (import time) did not finish within 2 s" in result.stderr
    executed = nbformat.read(out, as_version=4)  # complete, valid JSON
    nbformat.validate(executed)
    assert executed.cells[1].outputs[0].ename == "CellTimeoutError"
    assert not list(tmp_path.glob(".*.tmp"))


def test_missing_kernel_exits_two(tmp_path: Path) -> None:
    source = write_notebook(tmp_path / "nb.py", [("code", "x = 1")])
    out = tmp_path / "out.ipynb"
    result = run_cli("run", source, "-o", out, "--kernel", "nope")
    assert result.returncode == 2
    assert "reactive-kernel run: cannot start kernel 'nope'" in result.stderr
    assert not out.exists()


def test_a_parameter_read_above_the_parameters_cell_is_ambiguous(tmp_path: Path) -> None:
    """Documented (docs/deploying.md): the injected cell is a second definer below the reader."""
    _needs_kernelspec()
    source = _tagged(tmp_path / "nb.ipynb", [("code", "print(n)"), ("code", "n = 1")], tagged=1)
    result = run_cli("run", source, "-p", "n", "5")
    assert result.returncode == 1
    assert "ambiguous" in result.stderr and "nothing ran" in result.stderr


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_sigterm_shuts_the_kernel_down_and_writes_nothing(tmp_path: Path) -> None:
    """A cancelled CI job sends SIGTERM: the run exits 130 at once, leaves no output file (not
    even half of one) and no kernel process behind."""
    _needs_kernelspec()
    started_file = tmp_path / "started"
    source = write_notebook(
        tmp_path / "nb.py",
        [
            (
                "code",
                f"import pathlib, time\npathlib.Path({str(started_file)!r}).touch()\n"
                "time.sleep(60)",
            )
        ],
    )
    out = tmp_path / "out.ipynb"
    process = subprocess.Popen(
        [sys.executable, "-m", "reactive_kernel.cli", "run", str(source), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    kernels: list[int] = []

    def terminate() -> None:
        kernels.extend(_children(process.pid))
        assert kernels, "no kernel process under the run"
        process.send_signal(signal.SIGTERM)

    stderr, waited = stop_when_started(process, started_file, terminate)
    assert process.returncode == 130, stderr
    assert waited < 20
    assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp"))
    assert [pid for pid in kernels if _alive(pid)] == []
