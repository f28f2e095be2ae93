"""A real Jupyter server (jupyter-server, JupyterLab or Notebook 7) as a subprocess, for the tests
and the benchmarks: a free port on 127.0.0.1, a token, a root folder, and a wait until
``/api/status`` answers. Every caller used to carry its own copy of this."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Launched:
    root: Path
    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    def call(self, method: str, path: str, body: bytes | None = None, timeout: float = 60) -> bytes:
        """One REST call with the server's token; an HTTP error raises ``HTTPError``."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())


def _command(script: str) -> list[str]:
    """``jupyter-server`` (run as a module of this interpreter), a script beside it, or the
    script at an absolute path (another environment's)."""
    if Path(script).is_absolute():
        return [script]
    if script == "jupyter-server":
        return [sys.executable, "-m", "jupyter_server"]
    local = Path(sys.executable).parent / script
    return [str(local) if local.exists() else shutil.which(script) or script]


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(
        f"{url}/api/status", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def launch(
    script: str,
    root: Path,
    log: Path,
    extra_args: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Launched]:
    """Run ``script`` serving ``root``, its output in ``log``, in the environment ``env`` (this
    process's by default); stopped when the block ends, and killed with the kernels it started
    if it does not stop."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        *_command(script),
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *(extra_args or []),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=root,
            env=env,
            start_new_session=True,  # its own process group: the kernels go with it on a kill
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(url, token):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{script} did not start:\n{log.read_text(errors='replace')[-3000:]}"
                    )
                time.sleep(0.1)
            yield Launched(root, url, token, process, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
