"""The extension in Notebook 7 (the `notebook` package, built on JupyterLab components): cell states
and cascades in a reactive .ipynb at /notebooks/<name>, and reactive ``.py`` notebooks opened from
the tree (/tree), which opens documents in a new browser tab: a double-click on a reactive ``.py``
opens a notebook on the reactive kernel that saves back to the same file, a plain ``.py`` opens in
the editor (/edit/<name>)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from jupytext_format import is_reactive_text
from tests.e2e.conftest import LabServer, start_server
from tests.e2e.notebook_page import NotebookPage, write_notebook
from tests.e2e.test_py_notebooks import (
    kinds,
    reactive_text,
    run_edit_and_save,
    wait_kinds,
    wait_reactive_notebook,
)


def _notebook7_installed() -> bool:
    """Asked of the installed distribution, not by ``import notebook``: while the suite runs,
    that name can resolve to the test helper ``tests/kernel/notebook.py``."""
    try:
        return int(importlib.metadata.version("notebook").split(".")[0]) >= 7
    except importlib.metadata.PackageNotFoundError:
        return False


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A Notebook 7 server (``jupyter-notebook``), started like the JupyterLab one. Notebook 7 is
    in the test extra: under CI its absence is a failure, elsewhere a skip."""
    if not _notebook7_installed():
        missing = "Notebook 7 is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    yield from start_server(
        tmp_path_factory.mktemp("notebook7"), "jupyter-notebook", "JupyterNotebookApp"
    )


def goto(page: Any, server: LabServer, url: str) -> None:
    """Load a Notebook 7 page and wait for its app (``window.jupyterapp``)."""
    separator = "&" if "?" in url else "?"
    page.goto(f"{server.url}{url}{separator}token={server.token}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)


def record_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def tree_item(page: Any, name: str) -> Any:
    """The tree's row for ``name`` (root folder), once listed."""
    item = page.locator(".jp-DirListing-item", has=page.get_by_text(name, exact=True))
    item.wait_for(timeout=30_000)
    return item


def open_from_tree(page: Any, server: LabServer, name: str) -> Any:
    """Double-click ``name`` in the tree; Notebook 7 opens it in a new tab, which is returned once
    its app has started."""
    goto(page, server, "/tree")
    item = tree_item(page, name)
    with page.context.expect_page(timeout=30_000) as popup:
        item.dblclick()
    tab = popup.value
    tab.wait_for_load_state()
    tab.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    return tab


def open_new_py(page: Any, server: LabServer, item: Any) -> None:
    """Click ``item`` (a "Reactive Notebook (.py)" menu entry): a new tab opens an untitled
    ``.py`` notebook on the reactive kernel, a new reactive file in the root folder."""
    before = set(server.root.glob("untitled*.py"))
    with page.context.expect_page(timeout=30_000) as popup:
        item.click()
    tab = popup.value
    tab.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    match = re.search(r"/notebooks/(untitled\d*\.py)", tab.url)
    assert match, tab.url
    path = match.group(1)
    nb = NotebookPage(tab, server, path)
    try:
        wait_reactive_notebook(nb)
        assert server.root / path not in before
        text = (server.root / path).read_text()
        assert is_reactive_text(text)
        assert "#     name: reactive\n" in text
    finally:
        nb.shutdown()


def test_a_reactive_ipynb_shows_states_and_cascades(notebook7: LabServer, page: Any) -> None:
    name = "nb7_cascade.ipynb"
    write_notebook(notebook7.root / name, [("a", "x = 1"), ("b", "y = x + 1\nprint('y is', y)")])
    goto(page, notebook7, f"/notebooks/{name}")
    nb = NotebookPage(page, notebook7, name)
    try:
        wait_reactive_notebook(nb)
        assert nb.js("return panel.sessionContext.session.kernel.name;") == "reactive"
        nb.wait_states({"a": "stale", "b": "stale"})
        toolbar = page.locator(".jp-NotebookPanel-toolbar")
        toolbar.get_by_text("eager").wait_for()
        toolbar.get_by_text("stale (2)").wait_for()
        nb.command("reactive:show-graph")  # in Notebook 7's right panel
        page.locator("#reactive-graph-panel").get_by_text("y = x + 1").first.wait_for()

        nb.run("a")  # eager: the kernel's plan runs b too
        nb.wait_output("b", "y is 2")
        nb.wait_idle()
        nb.wait_states({"a": "fresh", "b": "fresh"})
        assert nb.execution_count("b") is not None
        assert nb.badge("b")["text"].endswith("fresh")

        nb.set_source("a", "x = 10")  # b reads x: both go stale until a runs again
        nb.wait_states({"a": "stale", "b": "stale"})
        assert nb.badge("b")["text"].endswith("stale")
        nb.run("a")
        nb.wait_output("b", "y is 11")
        nb.wait_idle()
        nb.wait_states({"a": "fresh", "b": "fresh"})
    finally:
        nb.shutdown()


def test_double_click_in_the_tree_opens_a_reactive_py_as_a_notebook_and_saves_it_back(
    notebook7: LabServer, page: Any
) -> None:
    name = "nb7_reactive.py"
    original = reactive_text()
    (notebook7.root / name).write_text(original)
    tab = open_from_tree(page, notebook7, name)
    errors = record_errors(tab)
    nb = NotebookPage(tab, notebook7, name)
    try:
        assert "/notebooks/nb7_reactive.py" in tab.url
        run_edit_and_save(nb, tab, notebook7.root / name, original)
    finally:
        nb.shutdown()
    assert not [e for e in errors if "reactive" in e.lower()], errors


def test_a_plain_py_opens_in_the_editor_from_the_tree(notebook7: LabServer, page: Any) -> None:
    name = "nb7_plain.py"
    (notebook7.root / name).write_text("print('just a script')\n")
    tab = open_from_tree(page, notebook7, name)
    assert "/edit/nb7_plain.py" in tab.url
    wait_kinds(tab, name, ["editor"])
    tab.wait_for_timeout(1500)  # the server check for unknown .py files has long answered
    assert kinds(tab, name) == ["editor"]
    assert "just a script" in tab.locator(".jp-FileEditor .cm-content").inner_text()
    with contextlib.suppress(Exception):
        tab.close()


def test_a_url_to_a_reactive_py_opens_a_notebook(notebook7: LabServer, page: Any) -> None:
    """/tree/<name>.py redirects to /notebooks/<name>.py (the server serves it as a notebook),
    whose router asks for the editor, the default factory of .py: the notebook replaces it."""
    name = "nb7_by_url.py"
    (notebook7.root / name).write_text(reactive_text())
    goto(page, notebook7, f"/tree/{name}")
    nb = NotebookPage(page, notebook7, name)
    try:
        wait_reactive_notebook(nb)
        assert f"/notebooks/{name}" in page.url
        wait_kinds(page, name, ["notebook"])
    finally:
        nb.shutdown()


def test_file_new_in_the_tree_creates_a_reactive_py_notebook(
    notebook7: LabServer, page: Any
) -> None:
    goto(page, notebook7, "/tree")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^New$")).first.hover()
    item = page.locator(".lm-Menu-item:visible", has_text="Reactive Notebook (.py)")
    open_new_py(page, notebook7, item)


def test_the_tree_new_dropdown_creates_a_reactive_py_notebook(
    notebook7: LabServer, page: Any
) -> None:
    """Notebook 7's own "New" dropdown (not the File menu) lists the command after the
    notebooks, one per kernel."""
    goto(page, notebook7, "/tree")
    page.locator(".jp-DropdownMenu .lm-MenuBar-itemLabel", has_text="New").click()
    items = page.locator(".lm-Menu:visible .lm-Menu-item")
    item = items.filter(has_text="Reactive Notebook (.py)")
    item.wait_for(timeout=30_000)
    labels = [label.strip() for label in items.all_inner_texts()]
    position = next(i for i, label in enumerate(labels) if "Reactive Notebook (.py)" in label)
    assert any("reactive" in label.lower() for label in labels[:position]), labels
    assert labels.count(labels[position]) == 1, labels  # once, however often it was shown
    open_new_py(page, notebook7, item)


def test_ui_widgets_render_and_react_in_notebook7(notebook7: LabServer, page: Any) -> None:
    """anywidget-based ``ui`` widgets render in Notebook 7 (its widget manager) and a change
    re-runs the reader, as in JupyterLab."""
    name = "nb7_widgets.ipynb"
    cells = [
        ("a", 'from reactive_kernel import ui\nn = ui.slider(0, 20, value=4, label="n")\nn'),
        ("b", "print('n squared', n.value ** 2)"),
        ("c", 'pick = ui.dropdown(["red", "blue"], value="red")\nui.hstack(pick, n)'),
        ("d", "print('picked', pick.value)"),
    ]
    write_notebook(notebook7.root / name, cells)
    goto(page, notebook7, f"/notebooks/{name}")
    nb = NotebookPage(page, notebook7, name)
    try:
        wait_reactive_notebook(nb)
        nb.command("reactive:run-all")
        nb.wait_states({c: "fresh" for c, _ in cells})
        nb.wait_output("b", "n squared 16")
        slider = nb.locator("a", ".rk-Slider-input")
        slider.wait_for(timeout=30_000)
        count_a = nb.execution_count("a")
        count_c = nb.execution_count("c")
        nb.drag(slider, [0.2 + 0.05 * step for step in range(9)])
        value = int(slider.input_value())
        assert value > 6, value
        slider.focus()  # and by keyboard: Notebook 7 must not take the arrows
        page.keyboard.press("ArrowRight")
        value += 1
        assert slider.input_value() == str(value)
        nb.wait_output("b", f"n squared {value**2}")
        nb.locator("c", ".rk-Dropdown-select").select_option("blue")
        nb.wait_output("d", "picked blue")
        nb.wait_idle()
        assert nb.execution_count("a") == count_a
        assert nb.execution_count("c") == count_c  # it only lays the slider out again
        # The same slider model shows in c too, and follows.
        assert nb.locator("c", ".rk-Slider-value").inner_text() == str(value)
    finally:
        nb.shutdown()
