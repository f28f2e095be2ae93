"""The Binder recipe (``binder/``), tested as far as a machine without Docker allows.

- The files themselves: Python 3.11, a JupyterLab new enough for the extension, a strict
  ``postBuild``, and a README badge whose ``urlpath`` opens a reactive notebook that exists.
- repo2docker itself (``--no-build``) writes the Dockerfile it would build: the Python 3.11
  environment, ``binder/requirements.txt`` installed, the repository copied in writable by the
  notebook user, then ``binder/postBuild`` run from the repository root as that user.
- The same install steps in a fresh virtual environment (``pip install -r
  binder/requirements.txt``, then ``bash binder/postBuild`` with the environment first on PATH),
  then JupyterLab from that environment, checked over REST and the kernel websocket: the
  ``reactive`` kernelspec, the lab extension, the badge's notebook through the contents API, and a
  reactive kernel from the new environment running a cell.

The copy holds the files git would commit (tracked, and untracked ones not ignored), as a Binder
clone does: no ``labextension/node_modules``, ``lib`` or ``prebuilt``, so ``postBuild`` builds the
extension from its sources (``jlpm install`` fills ``node_modules`` from this machine's yarn cache,
where Binder downloads; pip runs with ``--no-cache-dir`` as in the Dockerfile). The copy and the
environment are deleted afterwards, whatever the outcome. About 1 min 45 s on a 2-core machine.
Not covered here: the Docker build itself, repo2docker's conda base image (its JupyterLab 4.4 is
upgraded by ``requirements.txt``, its node 20.19 builds the extension), a non-root user.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session
from packaging.requirements import Requirement
from packaging.version import Version

from jupytext_format.notebook import is_reactive_text
from tests.jupyter_servers import Launched, launch

pytestmark = pytest.mark.binder

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
EXTENSION = "reactive-kernel-labextension"
# repo2docker 2026.4's Python 3.11 image; the pin in binder/requirements.txt must upgrade it.
IMAGE_JUPYTERLAB = Version("4.4.9")
# Prints the Dockerfile without Docker, for mybinder.org's user (uid 1000, jovyan).
REPO2DOCKER = [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--no-run"]
MYBINDER_USER = ["--user-id", "1000", "--user-name", "jovyan"]
# The recipe's install steps build the extension from scratch: about 1.5 minutes here.
SLOW_TIMEOUT = 900


def badge_urlpath() -> str:
    """The ``urlpath`` of the README's mybinder.org badge (``lab/tree/<file>``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert found, "README.md has no mybinder.org badge"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(found.group(1)).query)
    assert list(query) == ["urlpath"], found.group(1)
    return query["urlpath"][0]


def example_path() -> str:
    """The file the badge opens, relative to the repository root."""
    urlpath = badge_urlpath()
    assert urlpath.startswith("lab/tree/"), urlpath
    return urlpath.removeprefix("lab/tree/")


def copy_committed_files(dest: Path) -> Path:
    """The files a commit of the working tree would hold, copied to ``dest``: what Binder clones."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout: the files Binder would clone are unknown")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


# -- the files -------------------------------------------------------------------------------


def test_runtime_is_python_3_11() -> None:
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_requirements_upgrade_jupyterlab_to_the_one_the_extension_is_built_for() -> None:
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    requirements = [Requirement(line) for line in lines if line.strip() and line[0] != "#"]
    pins = {req.name: req.specifier for req in requirements}
    package = json.loads((ROOT / "labextension" / "package.json").read_text(encoding="utf-8"))
    built_for = Version(package["dependencies"]["@jupyterlab/application"].lstrip("^~"))
    assert f"{built_for.major}.{built_for.minor}" in pins["jupyterlab"]
    assert IMAGE_JUPYTERLAB not in pins["jupyterlab"]


def test_post_build_is_strict_bash_installing_the_checkout() -> None:
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert re.search(r"^python -m pip install --no-cache-dir \.$", text, re.MULTILINE)
    assert os.access(BINDER / "postBuild", os.X_OK)


def test_the_badge_opens_a_reactive_notebook_on_the_reactive_kernel() -> None:
    path = ROOT / example_path()
    text = path.read_text(encoding="utf-8")
    assert path.suffix == ".py" and is_reactive_text(text)
    assert "#     name: reactive\n" in text


# -- repo2docker -----------------------------------------------------------------------------


def test_repo2docker_builds_python_3_11_then_requirements_then_post_build(
    tmp_path: Path,
) -> None:
    pytest.importorskip("repo2docker", reason="jupyter-repo2docker (in the test extra)")
    repo = copy_committed_files(tmp_path / "repo")
    result = subprocess.run(
        [*REPO2DOCKER, *MYBINDER_USER, str(repo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    log, dockerfile = result.stderr, result.stdout
    assert "Building conda environment for python=3.11\n" in log
    steps = [line for line in dockerfile.splitlines() if line.startswith(("RUN", "COPY", "USER"))]

    def index(step: str) -> int:
        assert step in steps, f"{step!r} not in the Dockerfile:\n{dockerfile}"
        return steps.index(step)

    requirements = index(
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
    )
    copy = index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    post_build = index("RUN ./binder/postBuild")
    assert requirements < copy < post_build
    # postBuild runs as the notebook user, from the repository root (the image's WORKDIR).
    assert "USER ${NB_USER}" in steps[copy:post_build]
    assert re.search(r"^WORKDIR \$\{REPO_DIR\}$", dockerfile, re.MULTILINE)
    # Only binder/ is read: the root pyproject.toml would add a `pip install .` of its own.
    assert not any(step.endswith("pip install --no-cache-dir .") for step in steps)


# -- the same steps in a fresh virtual environment, then JupyterLab from it ------------------


@dataclass(frozen=True)
class Environment:
    repo: Path
    venv: Path
    env: dict[str, str]


@dataclass(frozen=True)
class Lab:
    server: Launched
    environment: Environment

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.server.token

    def get(self, path: str) -> Any:
        return json.loads(self.request("GET", path))

    def request(self, method: str, path: str, body: Any = None) -> bytes:
        data = None if body is None else json.dumps(body).encode()
        return self.server.call(method, path, data, timeout=30)


def run_logged(command: list[str], environment: Environment, log: Path, timeout: float) -> None:
    """``command`` in the repository copy, output appended to ``log``. Its own process group, so
    that a timeout or a failing test also ends what it started (pip's build runs jlpm and node)."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=environment.repo,
            env=environment.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            returncode = process.wait(timeout=timeout)
        finally:
            if process.poll() is None or process.returncode != 0:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert returncode == 0, log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Environment]:
    """A repository copy and a fresh virtual environment after Binder's install steps; both are
    removed afterwards (a few hundred MB), also when the install fails."""
    tmp = tmp_path_factory.mktemp("binder")
    try:
        yield install(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def install(tmp: Path) -> Environment:
    repo = copy_committed_files(tmp / "repo")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"}
    }
    # The new environment first on PATH (as the image's conda environment is); Jupyter's user
    # folders moved aside, so that nothing registered on this machine can stand in for it.
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        PYTHONNOUSERSITE="1",
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    environment = Environment(repo, venv, env)
    log = tmp / "install.log"
    # What the Dockerfile runs (see the repo2docker test), in order.
    run_logged(
        ["pip", "install", "--no-cache-dir", "-r", "binder/requirements.txt"], environment, log, 600
    )
    run_logged(["bash", "binder/postBuild"], environment, log, 600)
    return environment


@contextmanager
def jupyter_lab(environment: Environment, log: Path) -> Iterator[Lab]:
    """The environment's own ``jupyter-lab`` serving the repository copy."""
    script = str(environment.venv / "bin" / "jupyter-lab")
    with launch(script, environment.repo, log, env=environment.env) as running:
        yield Lab(running, environment)


@pytest.fixture(scope="module")
def lab(installed: Environment, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with jupyter_lab(installed, tmp_path_factory.mktemp("lab") / "lab.log") as server:
        yield server


def slow(test: Any) -> Any:
    """Marked ``slow``, with room for the install the first such test sets up."""
    return pytest.mark.slow(pytest.mark.timeout(SLOW_TIMEOUT)(test))


@slow
def test_the_kernelspec_is_the_new_environments(lab: Lab) -> None:
    specs = lab.get("/api/kernelspecs")["kernelspecs"]
    assert specs["reactive"]["spec"]["display_name"] == "Python 3 (reactive)"
    listed = subprocess.run(
        ["jupyter", "kernelspec", "list", "--json"],
        env=lab.environment.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    resource_dir = Path(json.loads(listed.stdout)["kernelspecs"]["reactive"]["resource_dir"])
    assert resource_dir.is_relative_to(lab.environment.venv)


@slow
def test_jupyterlab_serves_the_extension_built_by_post_build(lab: Lab) -> None:
    page = lab.request("GET", "/lab").decode()
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.DOTALL
    )
    assert found, page[:2000]
    extensions = {e["name"]: e for e in json.loads(found.group(1))["federated_extensions"]}
    load = extensions[EXTENSION]["load"]
    built = lab.environment.venv / "share" / "jupyter" / "labextensions" / EXTENSION / load
    assert built.is_file()
    assert lab.request("GET", f"/lab/extensions/{EXTENSION}/{load}") == built.read_bytes()


@slow
def test_the_badge_notebook_opens_through_the_contents_api(lab: Lab) -> None:
    assert lab.request("GET", f"/{badge_urlpath()}")  # the page the badge opens
    model = lab.get(f"/api/contents/{example_path()}?type=notebook&content=1")
    assert model["type"] == "notebook"
    assert model["content"]["metadata"]["kernelspec"]["name"] == "reactive"
    assert sum(cell["cell_type"] == "code" for cell in model["content"]["cells"]) >= 3


@slow
def test_a_reactive_kernel_from_the_new_environment_runs_a_cell(lab: Lab) -> None:
    # A session for the badge's notebook, as opening it in JupyterLab creates.
    session = json.loads(
        lab.request(
            "POST",
            "/api/sessions",
            {"path": example_path(), "type": "notebook", "kernel": {"name": "reactive"}},
        )
    )
    kernel = session["kernel"]
    try:
        assert kernel["name"] == "reactive"
        code = "import sys, reactive_kernel\nprint(sys.prefix)\nprint(reactive_kernel.__file__)"
        prefix, module = run_over_websocket(lab, kernel["id"], code).splitlines()
        assert Path(prefix) == lab.environment.venv
        assert Path(module).is_relative_to(lab.environment.venv)
        assert lab.get(f"/api/kernels/{kernel['id']}")["execution_state"] == "idle"
    finally:
        lab.request("DELETE", f"/api/sessions/{session['id']}")


def run_over_websocket(lab: Lab, kernel_id: str, code: str, timeout: float = 60) -> str:
    """Run ``code`` through the server's kernel websocket; its stdout, once the kernel is idle."""
    import websocket  # websocket-client, a jupyter_server dependency

    session = Session(username="binder-test")
    url = lab.url.replace("http://", "ws://", 1)
    socket = websocket.create_connection(
        f"{url}/api/kernels/{kernel_id}/channels?session_id={session.session}",
        header=[f"Authorization: token {lab.token}"],
        timeout=timeout,
    )
    try:
        request = session.msg("execute_request", {"code": code, "silent": False})
        request["channel"] = "shell"
        socket.send(json.dumps(request, default=json_default))
        stdout, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(socket.recv())
            if message["parent_header"].get("msg_id") != request["msg_id"]:
                continue
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                stdout.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                raise AssertionError("\n".join(message["content"]["traceback"]))
            elif (
                message["msg_type"] == "status" and message["content"]["execution_state"] == "idle"
            ):
                return "".join(stdout)
        raise AssertionError(f"no idle status within {timeout} s; stdout so far: {stdout}")
    finally:
        socket.close()
