"""``reactive-kernel run --server`` and ``export --server`` against a plain ``jupyter server``
subprocess: the kernel starts there through the REST API, runs over the websocket and is deleted
afterwards; a bad token, an unknown kernel name and a port nobody listens on exit 2 with a clear
message, a timeout interrupts the remote kernel (3), and a server that dies mid-run ends the run
with 1 naming the cell. The same against a real JupyterHub: tests/hub/test_jupyterhub.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import requests
from jupyter_client.kernelspec import KernelSpecManager

from tests.cli.helpers import run_cli, stop_when_started, write_notebook
from tests.jupyter_servers import Launched, free_port, launch

pytestmark = pytest.mark.cli

CASCADE = [("code", "y = x + 1\nprint('y is', y)"), ("markdown", "# x"), ("code", "x = 41")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    if "reactive" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the reactive kernelspec is not installed (pip install -e .)")
    root = tmp_path_factory.mktemp("server")
    with launch("jupyter-server", root, root.parent / "server.log") as running:
        yield running


def _kernels(server: Launched) -> list[str]:
    headers = {"Authorization": f"token {server.token}"}
    response = requests.get(f"{server.url}/api/kernels", headers=headers, timeout=10)
    return [kernel["id"] for kernel in response.json()]


def _env(**values: str) -> dict[str, str]:
    """This environment without the ambient tokens, plus ``values``."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN")
    }
    return {**env, **values}


def test_run_on_the_server_prints_the_cascade_and_deletes_the_kernel(
    server: Launched, tmp_path: Path
) -> None:
    notebook = write_notebook(tmp_path / "nb.py", CASCADE)
    # The token from the environment, as a scheduled job on a hub gets it.
    result = run_cli(
        "run", notebook, "--server", f"{server.url}/", env=_env(JUPYTER_TOKEN=server.token)
    )
    assert result.returncode == 0, result.stderr
    assert "y is 42" in result.stdout.splitlines()
    assert server.token not in result.stdout + result.stderr
    assert _kernels(server) == []


def test_export_on_the_server_writes_the_report(server: Launched, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "nb.ipynb", CASCADE)
    out = tmp_path / "report.ipynb"
    result = run_cli(
        "export",
        notebook,
        "--to",
        "ipynb",
        "-o",
        out,
        "--server",
        server.url,
        "--token",
        server.token,
        env=_env(),
    )
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[0].outputs[0].text == "y is 42\n"
    assert _kernels(server) == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("bad token", "refused the token (HTTP 403)"),
        ("no token", "refused the token (HTTP 403)"),
        ("unknown kernel", "has no kernel 'nope' (it has: "),
        ("no server", "cannot reach the Jupyter server at http://127.0.0.1:"),
        ("not a server's URL", "(HTTP 404): check the URL"),
    ],
)
def test_cannot_start_exits_two_with_a_clear_message(
    server: Launched, tmp_path: Path, case: str, expected: str
) -> None:
    notebook = write_notebook(tmp_path / "nb.py", CASCADE)
    out = tmp_path / "out.ipynb"
    url, token, extra = server.url, server.token, []
    if case == "bad token":
        token = "not-the-token"
    elif case == "unknown kernel":
        extra = ["--kernel", "nope"]
    elif case == "no server":
        url = f"http://127.0.0.1:{free_port()}"
    elif case == "not a server's URL":
        url = f"{server.url}/user/nobody/"
    args = ["run", notebook, "-o", out, "--server", url, *extra]
    if case != "no token":
        args += ["--token", token]
    result = run_cli(*args, timeout=60, env=_env())
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("reactive-kernel run: cannot start kernel ")
    assert server.token not in result.stderr
    assert not out.exists()


def test_a_timeout_interrupts_the_remote_kernel(server: Launched, tmp_path: Path) -> None:
    notebook = write_notebook(
        tmp_path / "nb.py", [("code", "print('start')"), ("code", "import time\ntime.sleep(60)")]
    )
    out = tmp_path / "out.ipynb"
    started = time.monotonic()
    result = run_cli(
        "run",
        notebook,
        "-o",
        out,
        "--timeout",
        "2",
        "--server",
        server.url,
        "--token",
        server.token,
        env=_env(),
    )
    assert result.returncode == 3, result.stderr
    assert time.monotonic() - started < 30
    assert "cell 2 (import time) did not finish within 2 s" in result.stderr
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[1].outputs[0].ename == "CellTimeoutError"
    assert _kernels(server) == []


def _sleeping_run(
    server: Launched, tmp_path: Path, out: Path
) -> tuple[subprocess.Popen[str], Path]:
    """``run --server`` of a notebook whose second cell touches a marker file, then sleeps a
    minute (the server's kernels run on this machine: they can touch it); the run and the
    marker."""
    marker = tmp_path / "sleeping"
    notebook = write_notebook(
        tmp_path / "nb.py",
        [
            ("code", "print('start')"),
            ("code", f"import time\nopen({str(marker)!r}, 'w').close()\ntime.sleep(60)"),
        ],
    )
    run = subprocess.Popen(
        [
            *(sys.executable, "-m", "reactive_kernel.cli", "run", str(notebook)),
            *("-o", str(out), "--server", server.url, "--token", server.token),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env=_env(),
    )
    return run, marker


def test_sigterm_deletes_the_remote_kernel_and_writes_nothing(
    server: Launched, tmp_path: Path
) -> None:
    """A cancelled job must not leave a kernel running on a shared server."""
    out = tmp_path / "out.ipynb"
    run, marker = _sleeping_run(server, tmp_path, out)
    running: list[str] = []

    def terminate() -> None:
        running.extend(_kernels(server))
        run.send_signal(signal.SIGTERM)

    stderr, waited = stop_when_started(run, marker, terminate)
    assert run.returncode == 130, stderr
    assert waited < 20
    assert len(running) == 1  # the run's kernel was there while the cell ran
    assert _kernels(server) == []
    assert not out.exists()


def test_a_server_that_dies_mid_run_ends_the_run_naming_the_cell(tmp_path: Path) -> None:
    """A server of its own, stopped while a cell sleeps: exit 1 within seconds, no hang."""
    out = tmp_path / "out" / "run.ipynb"
    root = tmp_path / "root"
    root.mkdir()
    with launch("jupyter-server", root, tmp_path / "server.log") as own:
        run, marker = _sleeping_run(own, tmp_path, out)
        stderr, waited = stop_when_started(run, marker, own.process.terminate)
    assert run.returncode == 1, stderr
    assert waited < 20
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("reactive-kernel run: cell 2 (import time) did not finish: "), last
    assert f"the connection to the server at {own.url} was lost" in last
    assert last.endswith("the server may have been stopped")
    executed = nbformat.read(out, as_version=4)  # the partial notebook, as for a failed cell
    assert executed.cells[0].outputs[0].text == "start\n"
    [error] = executed.cells[1].outputs
    assert (error.ename, error.evalue) == ("DeadKernelError", last.split(": ", 1)[1])
    assert not list(out.parent.glob(".*.tmp"))
