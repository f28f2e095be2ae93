"""reactive-kernel behind a real JupyterHub: installing the package into the environment the
spawner uses is all it takes for every user to get the kernel, the lab extension and reactive
``.py`` notebooks. Two users run at once and see neither each other's kernels nor files; a server
stopped by the hub mid-run ends its websocket client with an error, not a hang. ``reactive-kernel
run --server`` runs a notebook on a user's server, and exits 1 naming the running cell when the hub
stops that server mid-run.

Everything goes through the hub's proxy with each user's own token, as a browser's requests do.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
import requests

from reactive_kernel.client import ClientError, Execution, ReactiveClient
from reactive_kernel.remote import KernelSocket
from tests.cli.helpers import stop_when_started
from tests.hub.conftest import HubUser
from tests.hub.hub_server import Hub

pytestmark = [pytest.mark.hub, pytest.mark.timeout(180)]

EXTENSION = "reactive-kernel-labextension"

NOTEBOOK = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (reactive)
#     language: python
#     name: reactive
#   reactive:
#     format: 1
# ---

# %% [markdown]
# A cascade: change `x` and run it, `y` and `z` follow.

# %%
x = 1

# %%
y = x + 1
print("y is", y)

# %%
z = y * 10
print("z is", z)
"""


def _start_kernel(user: HubUser) -> str:
    response = user.call("POST", "/api/kernels", json={"name": "reactive"})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "reactive"
    return str(response.json()["id"])


def _connect(
    user: HubUser, kernel_id: str, timeout: float = 30.0
) -> tuple[KernelSocket, ReactiveClient]:
    """Our Python front end on ``kernel_id``, over the websocket through the hub's proxy."""
    socket = KernelSocket(user.server, kernel_id, user.token)
    assert socket.kernel_info()["status"] == "ok"
    return socket, ReactiveClient(socket, timeout=timeout)


@pytest.fixture
def alice_kernel(hub_users: dict[str, HubUser]) -> Iterator[tuple[HubUser, str]]:
    user = hub_users["alice"]
    kernel_id = _start_kernel(user)
    yield user, kernel_id
    with contextlib.suppress(requests.RequestException):  # the server may be gone by then
        user.call("DELETE", f"/api/kernels/{kernel_id}")


@pytest.mark.parametrize("name", ["alice", "bob"])
def test_every_user_gets_the_kernelspec_and_the_extension(
    hub_users: dict[str, HubUser], name: str
) -> None:
    user = hub_users[name]
    specs = user.get("/api/kernelspecs")
    assert specs.status_code == 200, specs.text
    reactive = specs.json()["kernelspecs"]["reactive"]["spec"]
    assert reactive["display_name"] == "Python 3 (reactive)"
    # The default through Spawner.args (hub_server.py), as docs/deploying.md says.
    assert specs.json()["default"] == "reactive"

    # JupyterLab's page embeds its configuration, whose federated_extensions are the prebuilt
    # extensions it found in the environment's share/jupyter/labextensions (jupyterlab_server
    # config.get_page_config): what the browser will load.
    page = user.get("/lab")
    assert page.status_code == 200, page.text[:500]
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
        page.text,
        re.S,
    )
    assert match, page.text[:2000]
    config = json.loads(html.unescape(match.group(1)))
    loaded = {ext["name"]: ext for ext in config["federated_extensions"]}
    assert EXTENSION in loaded, sorted(loaded)
    # ...and its entry point is served through the proxy.
    entry = user.get(f"/lab/extensions/{EXTENSION}/{loaded[EXTENSION]['load']}")
    assert entry.status_code == 200
    assert EXTENSION in entry.text


def test_a_user_logs_in_and_reaches_their_lab(hub: Hub, hub_users: dict[str, HubUser]) -> None:
    """The browser's way in: the hub's login form, then OAuth into the user's own server."""
    browser = requests.Session()
    form = browser.get(f"{hub.url}/hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    assert xsrf, form.text[:1000]
    login = browser.post(
        f"{hub.url}/hub/login",
        data={"username": "bob", "password": "anything", "_xsrf": html.unescape(xsrf.group(1))},
        timeout=30,
    )
    assert login.status_code == 200, login.text[:1000]
    specs = browser.get(f"{hub_users['bob'].server}/api/kernelspecs", timeout=30)
    assert specs.status_code == 200, specs.text[:1000]
    assert "reactive" in specs.json()["kernelspecs"]


def test_a_reactive_py_file_opens_as_a_notebook(hub_users: dict[str, HubUser]) -> None:
    user = hub_users["alice"]
    (user.home / "cascade.py").write_text(NOTEBOOK)
    model = user.get("/api/contents/cascade.py")
    assert model.status_code == 200, model.text
    body = model.json()
    assert body["type"] == "notebook"
    assert body["reactive"] is True
    cells = body["content"]["cells"]
    assert [c["cell_type"] for c in cells] == ["markdown", "code", "code", "code"]
    assert body["content"]["metadata"]["kernelspec"]["name"] == "reactive"
    listing = user.get("/api/contents")
    entry = next(e for e in listing.json()["content"] if e["name"] == "cascade.py")
    assert entry["reactive"] is True


def test_a_cascade_runs_over_the_kernel_websocket(
    hub_users: dict[str, HubUser], alice_kernel: tuple[HubUser, str]
) -> None:
    user, kernel_id = alice_kernel
    (user.home / "cascade.py").write_text(NOTEBOOK)
    cells = user.get("/api/contents/cascade.py").json()["content"]["cells"]
    code = [(c["id"], "".join(c["source"])) for c in cells if c["cell_type"] == "code"]
    socket, client = _connect(user, kernel_id)
    try:
        assert client.open()["type"] == "welcome"
        assert client.sync(code)["type"] == "ack"
        root, middle, leaf = (cell_id for cell_id, _ in code)

        first = client.execute(code[0][1], root)
        assert first.status == "ok"
        assert _printed(client, middle) == "y is 2\n"
        assert _printed(client, leaf) == "z is 20\n"

        reply = client.request(
            "edit_cells", changes=[{"op": "update", "id": root, "source": "x = 5"}]
        )
        assert reply["type"] == "ack", reply
        client.execute("x = 5", root)
        assert _printed(client, middle) == "y is 6\n"
        assert _printed(client, leaf) == "z is 60\n"
        assert {client.states[c]["state"] for c in (root, middle, leaf)} == {"fresh"}
    finally:
        socket.close()


def _printed(client: ReactiveClient, cell_id: str) -> str:
    """The stdout of the latest execution of ``cell_id``."""
    runs: list[Execution] = [e for e in client.executions if e.cell_id == cell_id]
    assert runs, f"cell {cell_id} never ran; comm messages: {client.messages}"
    return runs[-1].stdout


def test_users_see_neither_each_others_kernels_nor_files(
    hub_users: dict[str, HubUser], alice_kernel: tuple[HubUser, str]
) -> None:
    alice, kernel_id = alice_kernel
    bob = hub_users["bob"]
    assert kernel_id in [k["id"] for k in alice.get("/api/kernels").json()]

    bobs = bob.get("/api/kernels")
    assert bobs.status_code == 200
    assert kernel_id not in [k["id"] for k in bobs.json()]
    assert bob.get(f"/api/kernels/{kernel_id}").status_code == 404

    # Alice's token does not open Bob's server, and Bob's does not open Alice's.
    for path in ("/api/kernels", "/api/contents", "/api/kernelspecs"):
        refused = bob.get(path, token=alice.token)
        assert refused.status_code == 403, (path, refused.status_code, refused.text[:300])
    refused = alice.get(f"/api/kernels/{kernel_id}", token=bob.token)
    assert refused.status_code == 403, refused.text[:300]

    name = f"alice-only-{uuid.uuid4().hex[:8]}.txt"
    saved = alice.call(
        "PUT",
        f"/api/contents/{name}",
        json={"type": "file", "format": "text", "content": "alice's data"},
    )
    assert saved.status_code == 201, saved.text
    assert (alice.home / name).read_text() == "alice's data"
    assert name in [e["name"] for e in alice.get("/api/contents").json()["content"]]
    assert name not in [e["name"] for e in bob.get("/api/contents").json()["content"]]
    assert bob.get(f"/api/contents/{name}").status_code == 404
    assert not (bob.home / name).exists()


def _run_cli(*args: str | Path) -> subprocess.Popen[str]:
    """``reactive-kernel ARGS`` as a subprocess of this interpreter, without ambient tokens."""
    return subprocess.Popen(
        [sys.executable, "-m", "reactive_kernel.cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env={
            k: v
            for k, v in os.environ.items()
            if k not in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN")
        },
    )


def test_run_server_runs_a_notebook_on_a_users_server(
    hub_users: dict[str, HubUser], tmp_path: Path
) -> None:
    """A scheduled job's way: the notebook is local, the kernel runs on Bob's server."""
    user = hub_users["bob"]
    notebook = tmp_path / "cascade.py"
    notebook.write_text(NOTEBOOK)
    run = _run_cli("run", notebook, "--server", f"{user.server}/", "--token", user.token)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert stdout.splitlines() == ["y is 2", "z is 20"]
    assert user.token not in stdout + stderr
    assert user.get("/api/kernels").json() == []  # the run deleted its kernel


# After every other test that uses Bob: it stops his server.
def test_run_server_exits_naming_the_cell_when_the_hub_stops_the_server(
    hub: Hub, hub_users: dict[str, HubUser], tmp_path: Path
) -> None:
    user = hub_users["bob"]
    marker = user.home / f"sleeping-{uuid.uuid4().hex[:8]}"  # the kernel runs in Bob's home
    notebook = tmp_path / "long.py"
    notebook.write_text(
        NOTEBOOK + f"\n# %%\nimport time\nopen({marker.name!r}, 'w').close()\ntime.sleep(120)\n"
    )
    out = tmp_path / "out" / "long.ipynb"
    run = _run_cli("run", notebook, "-o", out, "--server", user.server, "--token", user.token)

    def stop() -> None:
        response = hub.stop_server("bob")
        assert response.status_code in (202, 204), response.text

    stderr, waited = stop_when_started(run, marker, stop)
    assert run.returncode == 1, stderr
    assert waited < 20, f"the run ended {waited:.1f} s after the stop"
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("reactive-kernel run: cell 5 (import time) did not finish: "), stderr
    assert f"the connection to the server at {user.server} was lost" in last
    assert last.endswith("the server may have been stopped")
    # -o holds the partial notebook, as after a failed cell: whole, never half-written.
    executed = nbformat.read(out, as_version=4)
    nbformat.validate(executed)
    assert executed.cells[3].outputs[0].text == "z is 20\n"
    assert executed.cells[4].outputs[0].ename == "DeadKernelError"
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def _processes_in(home: Path) -> list[int]:
    """Processes whose working directory is ``home`` (a user's server and its kernels)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(proc / "cwd").resolve() == home.resolve():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


# Last in the module: it stops Alice's server.
def test_a_server_stopped_mid_run_ends_the_client_with_an_error(
    hub: Hub, alice_kernel: tuple[HubUser, str]
) -> None:
    user, kernel_id = alice_kernel
    socket, client = _connect(user, kernel_id, timeout=90.0)
    client.open()
    client.sync([("long", "import time\ntime.sleep(120)")])
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["execution"] = client.execute("import time\ntime.sleep(120)", "long")
        except Exception as error:  # the point of the test: which error, and when
            outcome["error"] = error
        outcome["ended"] = time.monotonic()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 30
    while client.states.get("long", {}).get("state") != "running":
        assert time.monotonic() < deadline, f"the cell never ran: {client.messages}"
        time.sleep(0.1)
    assert _processes_in(user.home), "no process runs in alice's home"

    stopped_at = time.monotonic()
    response = hub.stop_server("alice")
    assert response.status_code in (202, 204), response.text
    worker.join(timeout=30)
    assert not worker.is_alive(), "the client still waits 30 s after its server was stopped"
    waited = outcome["ended"] - stopped_at

    assert "execution" not in outcome, outcome
    assert isinstance(outcome["error"], ClientError), repr(outcome["error"])
    assert socket.close_reason, "the socket did not report why it closed"
    assert str(outcome["error"]) == f"lost the kernel: {socket.close_reason}"
    assert f"the connection to the server at {user.server} was lost" in socket.close_reason
    assert waited < 20, f"the client ended {waited:.1f} s after the stop"

    # The hub no longer lists the server, and its processes (server, kernel) are gone.
    deadline = time.monotonic() + 20
    while hub.api("GET", "/users/alice").json()["servers"]:
        assert time.monotonic() < deadline, "the hub still lists alice's server"
        time.sleep(0.2)
    while _processes_in(user.home):
        assert time.monotonic() < deadline, f"left running: {_processes_in(user.home)}"
        time.sleep(0.2)
    assert user.get("/api/kernels").status_code != 200
