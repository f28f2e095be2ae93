"""A real JupyterHub on 127.0.0.1 for the hub tests: configurable-http-proxy from npm, the dummy
authenticator, the simple local-process spawner (one temporary home per user) and a service token
that creates users, their tokens and their servers.

The single-user servers run this interpreter's ``jupyterhub.singleuser``, so they see exactly what
``pip install`` put into this environment: the ``reactive`` kernelspec, the lab extension and the
``.py`` notebook server extension. Nothing per user is installed or configured: that is the point.
Every process (hub, proxy, single-user servers, their kernels) is stopped when ``running_hub``
exits, also after a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.jupyter_servers import free_port

CHP_VERSION = "5"
START_TIMEOUT = 60.0
SPAWN_TIMEOUT = 60.0


def chp_cache() -> Path:
    """Where the proxy is installed once and reused (``$REACTIVE_TEST_CACHE`` overrides)."""
    base = os.environ.get("REACTIVE_TEST_CACHE") or Path.home() / ".cache" / "reactive-kernel-tests"
    return Path(base) / "chp"


def _chp_binary() -> Path:
    return chp_cache() / "node_modules" / ".bin" / "configurable-http-proxy"


def chp_installed() -> bool:
    return _chp_binary().exists()


def configurable_http_proxy() -> Path:
    """The proxy's executable, installed from npm on first use.

    CI runs only ``pip install -e ".[test]"`` on a fresh machine: the proxy is a node program and
    no pip package brings it, so the test installs it itself into a cache folder.
    """
    prefix, binary = chp_cache(), _chp_binary()
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install configurable-http-proxy for the hub tests")
    prefix.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--prefix", str(prefix), f"configurable-http-proxy@{CHP_VERSION}"],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0 or not binary.exists():
        raise RuntimeError(f"npm install configurable-http-proxy failed:\n{result.stderr[-3000:]}")
    return binary


def _config(root: Path, ports: dict[str, int], service_token: str, chp: Path) -> str:
    """``jupyterhub_config.py``: the keys TOOLCHAIN.md lists as working on this machine."""
    settings: dict[str, Any] = {
        "bind_url": f"http://127.0.0.1:{ports['public']}",
        "hub_bind_url": f"http://127.0.0.1:{ports['hub']}",
        "api_url": f"http://127.0.0.1:{ports['proxy_api']}",
        "chp": str(chp),
        "db_url": f"sqlite:///{root / 'jupyterhub.sqlite'}",
        "cookie_secret_file": str(root / "jupyterhub_cookie_secret"),
        "pid_file": str(root / "jupyterhub.pid"),
        "home": str(root / "home" / "{username}"),
        "python": sys.executable,
        "service_token": service_token,
    }
    return f"""\
s = {json.dumps(settings)}
c.JupyterHub.bind_url = s["bind_url"]
c.JupyterHub.hub_bind_url = s["hub_bind_url"]
c.JupyterHub.db_url = s["db_url"]
c.JupyterHub.cookie_secret_file = s["cookie_secret_file"]
c.JupyterHub.pid_file = s["pid_file"]
c.ConfigurableHTTPProxy.api_url = s["api_url"]
c.ConfigurableHTTPProxy.command = [s["chp"]]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = s["home"]
# This interpreter's single-user server, whatever PATH holds; root needs --allow-root. The
# reactive kernel as every user's default, the way docs/deploying.md tells administrators.
c.Spawner.cmd = [s["python"], "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root", "--MappingKernelManager.default_kernel_name=reactive"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
# Stopping a server: SIGINT, then SIGTERM, then SIGKILL; short waits keep the test bounded.
c.Spawner.interrupt_timeout = 5
c.Spawner.term_timeout = 5
c.Spawner.kill_timeout = 5
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.load_roles = [
    {{
        "name": "reactive-tests",
        "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
        "services": ["reactive-tests"],
    }}
]
c.JupyterHub.services = [{{"name": "reactive-tests", "api_token": s["service_token"]}}]
"""


@dataclass
class Hub:
    """A running hub: its public URL (through the proxy) and a service token for its REST API."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes]

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A hub REST API call as the test service (``path`` below ``/hub/api``)."""
        kwargs.setdefault("timeout", 30)
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, **kwargs)

    def home(self, user: str) -> Path:
        return self.root / "home" / user

    def create_user(self, name: str) -> str:
        """Create ``name`` and return a token of theirs (scopes: what the user may do)."""
        response = self.api("POST", f"/users/{name}")
        assert response.status_code in (201, 409), response.text
        response = self.api(
            "POST", f"/users/{name}/tokens", json={"note": "reactive-kernel hub test"}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def start_server(self, name: str) -> None:
        response = self.api("POST", f"/users/{name}/server")
        assert response.status_code in (201, 202), response.text

    def wait_ready(self, name: str, timeout: float = SPAWN_TIMEOUT) -> str:
        """Wait until ``name``'s server is ready; returns its URL through the proxy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return f"{self.url}{server['url'].rstrip('/')}"
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{name}'s server did not start:\n{self.log_tail()}")

    def stop_server(self, name: str) -> requests.Response:
        return self.api("DELETE", f"/users/{name}/server")

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/hub/api/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from ``ps``), children before grandchildren."""
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, check=True
    ).stdout
    children: dict[int, list[int]] = {}
    for line in listing.splitlines():
        child, parent = (int(field) for field in line.split())
        children.setdefault(parent, []).append(child)
    found, frontier = [], [pid]
    while frontier:
        below = [c for p in frontier for c in children.get(p, [])]
        found += below
        frontier = below
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the hub and everything it started; SIGKILL whatever outlives a graceful stop.

    The spawner starts each single-user server in a session of its own (and the servers start
    their kernels so too), so a process group signal would miss them: the process tree is
    listed before the hub is asked to stop (it then stops the servers itself), and survivors
    are killed one by one.
    """
    tree = descendants(process.pid)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in tree:
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextmanager
def running_hub(root: Path) -> Iterator[Hub]:
    """A JupyterHub in ``root`` (database, config, log, users' homes), stopped on exit."""
    chp = configurable_http_proxy()
    ports = {name: free_port() for name in ("public", "hub", "proxy_api")}
    token = secrets.token_hex(32)
    config = root / "jupyterhub_config.py"
    config.write_text(_config(root, ports, token, chp))
    log = root / "jupyterhub.log"
    url = f"http://127.0.0.1:{ports['public']}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=root,
        )
        hub = Hub(url, token, root, log, process)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterHub did not start:\n{hub.log_tail()}")
                time.sleep(0.2)
            yield hub
        finally:
            _stop(process)
