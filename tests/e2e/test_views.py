"""The dependency view: highlighted parents and children, jump to definition, the side panel;
states rebuilt after a kernel restart."""

from __future__ import annotations

CELLS = [
    ("a", "x = 1"),
    ("b", "y = x + 1"),
    ("c", "z = y * 2"),
    ("d", "print(x, z)"),
]


def test_selecting_a_cell_highlights_parents_and_children(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(CELLS)
    nb.select("c")
    nb.wait(
        "cellById('b').node.classList.contains('rk-mod-parent') && "
        "cellById('d').node.classList.contains('rk-mod-child') && "
        "cellById('c').node.classList.contains('rk-mod-focus') && "
        "!cellById('a').node.classList.contains('rk-mod-parent')",
        what="b highlighted as parent and d as child of c",
    )
    nb.command("reactive:show-graph")
    nb.page.wait_for_selector("#reactive-graph-panel .rk-GraphPanel-cell")
    items = nb.page.locator("#reactive-graph-panel .rk-GraphPanel-cell")
    assert items.count() == 4
    assert "z \u2190 cell [3] (z = y * 2)" in items.nth(3).inner_text()
    nb.screenshot("dependency-view")
    items.nth(0).locator(".rk-GraphPanel-cellName").click()
    nb.wait("nb.activeCell.model.id === 'a'", what="the panel to go to cell a")


def test_jump_to_definition_of_the_variable_under_the_cursor(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(CELLS)
    nb.select("d")
    nb.js(
        "nb.mode = 'edit'; const editor = cellById('d').editor;"
        "editor.setCursorPosition(editor.getPositionAt(arg));",
        len("print(x, z"),
    )
    nb.command("reactive:jump-to-definition")
    nb.wait("nb.activeCell.model.id === 'c'", what="the jump to the cell defining z")


def test_states_are_rebuilt_after_a_kernel_restart(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(CELLS)
    nb.command("reactive:run-all")
    nb.wait_states({c: "fresh" for c in "abcd"})
    nb.wait_idle()
    nb.js("panel.sessionContext.restartKernel(); return null;")
    nb.wait_states({c: "stale" for c in "abcd"})
    nb.wait("app.commands.isEnabled('reactive:run-stale')", what="the extension to re-attach")
    nb.command("reactive:run-stale")
    nb.wait_states({c: "fresh" for c in "abcd"})
    nb.wait_output("d", "1 4")


def test_typing_reaches_the_kernel(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook([("a", "x = 1"), ("b", "y = 2")])
    nb.type_into("b", " + x")  # y = 2 + x: b now reads a's x
    nb.select("b")
    nb.wait("cellById('a').node.classList.contains('rk-mod-parent')", what="the new edge a -> b")


def test_states_survive_windowed_rendering(notebook) -> None:  # type: ignore[no-untyped-def]
    """The server runs with windowingMode "full": cells out of view are not rendered (JupyterLab
    may keep their nodes); a state that changes meanwhile shows when the cell scrolls into view."""
    cells = [("c0", "x = 1")] + [(f"c{i}", f"v{i} = {i}") for i in range(1, 59)]
    cells.append(("c59", "print('last sees', x)"))
    nb = notebook(cells, mode="lazy")
    nb.command("reactive:run-all")
    nb.wait("nb.widgets.every(c => stateOf(c.model.id) === 'fresh')", timeout=60, what="all fresh")
    nb.wait_idle()
    nb.js("await nb.scrollToItem(0); return null;")
    nb.wait("!cellById('c59').inViewport", what="the last cell to leave the viewport")
    nb.set_source("c0", "x = 2")
    nb.run("c0")  # lazy: c59, detached, becomes stale
    nb.wait_states({"c0": "fresh", "c59": "stale"})
    nb.js("await nb.scrollToItem(59); return null;")
    nb.wait(
        "cellById('c59').inViewport && "
        "cellById('c59').node.querySelector('.rk-CellBadge').textContent.includes('stale')",
        what="the last cell shown with its stale badge",
    )
    assert nb.locator("c59", ".rk-CellBadge").is_visible()


def test_states_in_the_dark_theme(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(
        [("a", "x = 0"), ("b", "y = 1 / x"), ("c", "print(y)"), ("d", "w = 1"), ("e", "print(w)")]
    )
    nb.command("apputils:change-theme", {"theme": "JupyterLab Dark"})
    try:
        nb.page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        nb.command("reactive:run-all")
        nb.wait_states({"a": "fresh", "b": "error", "c": "blocked", "d": "stale", "e": "stale"})
        nb.wait_idle()
        badge = nb.locator("c", ".rk-CellBadge")
        assert badge.is_visible()
        color = badge.evaluate("b => getComputedStyle(b).color")
        background = badge.evaluate("b => getComputedStyle(b).backgroundColor")
        assert color != background
        nb.select("c")
        nb.screenshot("dark-theme")
    finally:
        nb.command("apputils:change-theme", {"theme": "JupyterLab Light"})
        nb.page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")
