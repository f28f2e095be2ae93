"""Fixtures of the hub tests: one JupyterHub per module, with two users whose JupyterLab servers
run at once (``hub_users``). See ``hub_server.py`` for how the hub is set up and torn down."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.hub.hub_server import Hub, chp_installed, running_hub

USERS = ("alice", "bob")


@dataclass(frozen=True)
class HubUser:
    """A hub user with a token of their own and their server's URL through the hub's proxy."""

    name: str
    token: str
    server: str  # e.g. http://127.0.0.1:PORT/user/alice
    home: Path

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, token, **kwargs)

    def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """A request to this user's server (``path`` below its URL) with ``token`` or theirs."""
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(method, f"{self.server}{path}", headers=headers, **kwargs)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A JupyterHub for the module. Without npm (needed once, for the proxy) the tests are
    skipped with that reason, except under CI (``CI`` set), which must run them."""
    if not (chp_installed() or shutil.which("npm") or os.environ.get("CI")):
        pytest.skip("npm is missing: it installs configurable-http-proxy for the hub tests")
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture(scope="module")
def hub_users(hub: Hub) -> dict[str, HubUser]:
    """Both users created, and both servers spawned at once (the spawns overlap)."""
    tokens = {name: hub.create_user(name) for name in USERS}
    for name in USERS:
        hub.start_server(name)
    return {
        name: HubUser(name, tokens[name], hub.wait_ready(name), hub.home(name)) for name in USERS
    }
