"""Helpers shared by the command-line tests: the console script as a subprocess, notebook files."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from jupytext_format import writes


def run_cli(
    *args: str | Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console script, as a subprocess of this interpreter (``env``: its environment)."""
    return subprocess.run(
        [sys.executable, "-m", "reactive_kernel.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def new_notebook(cells: list[tuple[str, str]], kernel: str = "reactive") -> nbformat.NotebookNode:
    """An nbformat 4 notebook of (kind, source) cells on the named kernel."""
    makers = {
        "code": nbformat.v4.new_code_cell,
        "markdown": nbformat.v4.new_markdown_cell,
        "raw": nbformat.v4.new_raw_cell,
    }
    notebook = nbformat.v4.new_notebook(cells=[makers[kind](source) for kind, source in cells])
    display = "Python 3 (reactive)" if kernel == "reactive" else "Python 3"
    notebook.metadata["kernelspec"] = {
        "name": kernel,
        "display_name": display,
        "language": "python",
    }
    return notebook


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    """A notebook of (kind, source) cells, as ``.ipynb`` or reactive ``.py`` by suffix."""
    notebook = new_notebook(cells)
    if path.suffix == ".py":
        path.write_text(writes(notebook), encoding="utf-8")
    else:
        nbformat.write(notebook, str(path))
    return path


def stop_when_started(
    run: subprocess.Popen[str], marker: Path, stop: Callable[[], object], timeout: float = 30
) -> tuple[str, float]:
    """Wait until the running notebook's cell created ``marker``, then ``stop()`` something
    under it (a signal, its server); returns the run's stderr and how many seconds it took to
    end after the stop. The run is killed if it is still going at the end."""
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, "the cell never started"
            assert run.poll() is None, run.communicate()
            time.sleep(0.1)
        stop()
        stopped = time.monotonic()
        _, stderr = run.communicate(timeout=timeout)
        return stderr, time.monotonic() - stopped
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
