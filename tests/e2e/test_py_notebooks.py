"""Reactive ``.py`` notebooks in JupyterLab: a double-click opens a reactive ``.py`` as a notebook
on the reactive kernel and saves it back byte for byte; a plain script still opens in the editor;
"Open With > Editor" still shows the text; the launcher creates a new reactive ``.py``; a URL to
a reactive ``.py`` ends on a notebook too."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import Any

from jupytext_format import is_reactive_text, reads, writes
from tests.e2e.conftest import LabServer
from tests.e2e.notebook_page import NotebookPage

# A main-area widget by path, and what kind of document widget it is.
FIND = (
    "[...window.jupyterapp.shell.widgets('main')].filter(w => w.context && w.context.path === arg)"
)
KIND = (
    "(() => { const ws = " + FIND + "; return ws.map(w => "
    "w.hasClass('jp-NotebookPanel') ? 'notebook' : "
    "w.node.querySelector('.jp-FileEditor') ? 'editor' : 'other'); })()"
)


def reactive_text() -> str:
    """A reactive .py with a code cell, a markdown cell and a code cell that reads the first."""

    def cell(kind: str, source: str) -> dict[str, Any]:
        extra: dict[str, Any] = {"outputs": [], "execution_count": None} if kind == "code" else {}
        return {"cell_type": kind, "metadata": {}, "source": source, **extra}

    return writes(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {
                    "name": "reactive",
                    "display_name": "Python 3 (reactive)",
                    "language": "python",
                },
                "reactive": {},
            },
            "cells": [
                cell("code", "x = 1"),
                cell("markdown", "# The title"),
                cell("code", "y = x + 1\nprint('y is', y)"),
            ],
        }
    )


def open_lab(page: Any, lab: LabServer, url: str = "/lab") -> None:
    page.goto(f"{lab.url}{url}?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)


def browser_item(page: Any, name: str) -> Any:
    """The file browser's row for ``name`` (root folder), once listed."""
    item = page.locator(".jp-DirListing-item", has=page.get_by_text(name, exact=True))
    item.wait_for(timeout=30_000)
    return item


def kinds(page: Any, path: str) -> list[str]:
    """The kinds ('notebook', 'editor') of the main-area widgets open on ``path``."""
    return page.evaluate(f"arg => {KIND}", path)  # type: ignore[no-any-return]


def wait_kinds(page: Any, path: str, expected: list[str], timeout: float = 30) -> None:
    page.wait_for_function(
        f"([arg, expected]) => JSON.stringify({KIND}) === JSON.stringify(expected)",
        arg=[path, expected],
        timeout=timeout * 1000,
        polling=100,
    )


def wait_reactive_notebook(nb: NotebookPage) -> None:
    """The panel is a notebook, on the `reactive` kernel, and the extension has connected."""
    nb.wait(
        "panel && panel.hasClass('jp-NotebookPanel') && "
        "panel.sessionContext.session?.kernel?.name === 'reactive' && "
        "nb.node.classList.contains('rk-mod-reactive') && "
        "nb.widgets.filter(c => c.model.type === 'code').every(c => stateOf(c.model.id) !== null)",
        timeout=60,
        what="a notebook panel connected to the reactive kernel",
    )


def wait_file(path: Path, predicate: Any, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = path.read_text() if path.exists() else ""
        if predicate(text):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never matched; it holds:\n{text}")
        time.sleep(0.1)


def test_double_click_opens_a_reactive_py_as_a_notebook_and_saves_it_back(
    lab: LabServer, page: Any
) -> None:
    name = "reactive_double_click.py"
    original = reactive_text()
    (lab.root / name).write_text(original)
    open_lab(page, lab)
    browser_item(page, name).dblclick()

    nb = NotebookPage(page, lab, name)
    try:
        run_edit_and_save(nb, page, lab.root / name, original)
    finally:
        nb.shutdown()


def run_edit_and_save(nb: NotebookPage, page: Any, path: Path, original: str) -> None:
    """On the notebook opened from ``reactive_text()``: check its cells, run the first (the
    cascade runs the last), type an edit, save with Ctrl+S, and check the file on disk changed
    in that one line only and is still a reactive ``.py``."""
    wait_reactive_notebook(nb)
    assert kinds(page, path.name) == ["notebook"]
    cells = nb.js("return nb.widgets.map(c => [c.model.type, c.model.sharedModel.getSource()]);")
    assert cells == [
        ["code", "x = 1"],
        ["markdown", "# The title"],
        ["code", "y = x + 1\nprint('y is', y)"],
    ]
    first, _, last = nb.js("return nb.widgets.map(c => c.model.id);")
    nb.run(first)  # eager: the cascade runs the last cell too
    nb.wait_output(last, "y is 2")
    nb.wait_idle()
    assert nb.state(last) == "fresh"

    nb.type_into(first, "0")  # x = 10, typed with the keyboard
    nb.wait("cellById(arg).model.sharedModel.getSource() === 'x = 10'", first)
    page.keyboard.press("Control+s")
    saved = wait_file(path, lambda text: text != original)
    nb.wait("!panel.context.model.dirty", what="the save to finish")
    assert saved == original.replace("x = 1\n", "x = 10\n", 1)
    assert is_reactive_text(saved)
    assert [c["source"] for c in reads(saved)["cells"]] == [
        "x = 10",
        "# The title",
        "y = x + 1\nprint('y is', y)",
    ]


def test_a_plain_py_still_opens_in_the_editor(lab: LabServer, page: Any) -> None:
    name = "plain_script.py"
    (lab.root / name).write_text("print('just a script')\n")
    open_lab(page, lab)
    browser_item(page, name).dblclick()
    wait_kinds(page, name, ["editor"])
    page.wait_for_timeout(1500)  # the server check for unknown .py files has long answered
    assert kinds(page, name) == ["editor"]
    assert "just a script" in page.locator(".jp-FileEditor .cm-content").inner_text()


def test_open_with_editor_still_shows_the_text_of_a_reactive_py(lab: LabServer, page: Any) -> None:
    name = "reactive_open_with.py"
    (lab.root / name).write_text(reactive_text())
    open_lab(page, lab)
    browser_item(page, name).click(button="right")
    page.locator(".lm-Menu-item", has_text="Open With").hover()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Editor$")).click()
    wait_kinds(page, name, ["editor"])
    page.wait_for_timeout(1000)
    assert kinds(page, name) == ["editor"]
    assert "# %%" in page.locator(".jp-FileEditor .cm-content").inner_text()


def test_the_launcher_creates_a_reactive_py_notebook(lab: LabServer, page: Any) -> None:
    before = set(lab.root.glob("untitled*.py"))
    open_lab(page, lab)
    # File > New lists the command too.
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^New")).first.hover()
    page.locator(".lm-Menu-item:visible", has_text="Reactive Notebook (.py)").wait_for()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    page.locator(".jp-LauncherCard", has_text="Reactive Notebook (.py)").click()
    page.wait_for_function(
        "() => [...window.jupyterapp.shell.widgets('main')].some(w => w.context && "
        "/^untitled\\d*\\.py$/.test(w.context.path) && w.hasClass('jp-NotebookPanel'))",
        timeout=30_000,
    )
    path = page.evaluate(
        "() => [...window.jupyterapp.shell.widgets('main')].find(w => w.context && "
        "/^untitled\\d*\\.py$/.test(w.context.path)).context.path"
    )
    nb = NotebookPage(page, lab, path)
    try:
        wait_reactive_notebook(nb)
        assert lab.root / path not in before
        text = (lab.root / path).read_text()
        assert is_reactive_text(text)
        assert "#     name: reactive\n" in text
        assert len(reads(text)["cells"]) == 1
    finally:
        nb.shutdown()


def test_a_url_to_a_reactive_py_opens_a_notebook(lab: LabServer, page: Any) -> None:
    name = "reactive_by_url.py"
    (lab.root / name).write_text(reactive_text())
    open_lab(page, lab, f"/lab/tree/{name}")
    nb = NotebookPage(page, lab, name)
    try:
        wait_reactive_notebook(nb)
        wait_kinds(page, name, ["notebook"])  # the editor opened first is gone
    finally:
        with contextlib.suppress(Exception):
            nb.shutdown()
