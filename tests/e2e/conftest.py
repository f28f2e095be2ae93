"""End-to-end fixtures: a real JupyterLab server and headless Chromium (Debian's /usr/bin/chromium)
driven by Python Playwright.

- ``lab``: one JupyterLab server per session, in a temporary root, with the extension installed
  (``pip install .`` built it), news and update checks off.
- ``page``: a fresh browser context per test; ``notebook`` writes an .ipynb into the server's root
  and opens it, returning a ``NotebookPage`` that drives it through JupyterLab's public API
  (``window.jupyterapp``, exposed by ``--LabApp.expose_app_in_browser``) and reads the DOM.

Without /usr/bin/chromium the tests are skipped with that reason, except under CI (``CI`` set),
where ``.ci/run`` installs it and its absence is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.notebook_page import NotebookPage, write_notebook
from tests.jupyter_servers import launch

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Settings for the test server: no news or update toasts over the notebook, and the strictest
# windowing mode (only cells in the viewport are attached), so that every test checks that states
# survive windowed rendering.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "full"},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        return  # the browser fixture fails loudly instead: CI must run these
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


class LabServer:
    """A running JupyterLab: its root folder, base URL and token."""

    def __init__(self, root: Path, url: str, token: str, process: subprocess.Popen[bytes]) -> None:
        self.root = root
        self.url = url
        self.token = token
        self.process = process

    def api(self, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


def start_server(
    base: Path, script: str, app_class: str, extra_args: list[str] | None = None
) -> Iterator[LabServer]:
    """Run ``script`` (``jupyter-lab`` or ``jupyter-notebook``, both JupyterLab-based front ends)
    in ``base/root`` with the test settings, the app exposed as ``window.jupyterapp``, and yield it
    once ``/api/status`` answers. ``app_class`` is the server extension app that takes the front
    end's options (``LabApp``, ``JupyterNotebookApp``)."""
    root = base / "root"
    root.mkdir()
    settings = base / "settings"
    for name, values in USER_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    options = [
        f"--{app_class}.workspaces_dir={base / 'workspaces'}",
        f"--{app_class}.user_settings_dir={settings}",
        f"--{app_class}.expose_app_in_browser=True",
        *(extra_args or []),
    ]
    with launch(script, root, base / "server.log", options) as running:
        yield LabServer(running.root, running.url, running.token, running.process)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    yield from start_server(tmp_path_factory.mktemp("lab"), "jupyter-lab", "LabApp")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing, and CI must run the end-to-end tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not [e for e in errors if "reactive" in e.lower()], errors


@pytest.fixture
def notebook(lab: LabServer, page: object, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Open a notebook made of the given cells: ``notebook([("a", "x = 1"), ...])``."""
    opened: list[NotebookPage] = []

    def open_notebook(cells: list[tuple[str, str]], mode: str | None = None) -> NotebookPage:
        name = f"{request.node.name}.ipynb".replace("[", "_").replace("]", "_")
        write_notebook(lab.root / name, cells, mode)
        nb = NotebookPage(page, lab, name)
        nb.open()
        opened.append(nb)
        return nb

    yield open_notebook
    for nb in opened:
        nb.shutdown()
