"""Reactive widgets in a real JupyterLab: moving a widget in the browser re-runs the cells that
read its value (docs/widgets.md), and not the cell that made it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.notebook_page import NotebookPage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SLIDER = [
    ("a", 'from reactive_kernel import ui\nn = ui.slider(0, 100, value=10, label="n")\nn'),
    ("b", "doubled = n.value * 2"),
    ("c", 'print("doubled", doubled)'),
]


def _show(nb, cell: str) -> None:  # type: ignore[no-untyped-def]
    """Scroll a cell into view until it is rendered (windowing hides cells out of view, and may
    still hide one the first scroll reached while it measures the cells above)."""
    nb.wait(
        "(c => c && c.node.isConnected && getComputedStyle(c.node).display !== 'none')"
        "(cellById(arg)) || (nb.scrollToCell(cellById(arg), 'start'), false)",
        cell,
        what=f"cell {cell} to be shown",
    )


def _ran(nb, cells) -> None:  # type: ignore[no-untyped-def]
    nb.command("reactive:run-all")
    nb.wait_states({c: "fresh" for c in cells})
    nb.wait_idle()


def test_dragging_a_slider_reruns_its_readers(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(SLIDER)
    _ran(nb, "abc")
    nb.wait_output("c", "doubled 20")
    slider = nb.locator("a", ".rk-Slider-input")
    slider.wait_for(timeout=30_000)
    count_a = nb.execution_count("a")
    count_c = nb.execution_count("c")

    nb.drag(slider, [0.1 + 0.04 * step for step in range(11)])
    value = int(slider.input_value())
    assert value > 30, value
    nb.wait_output("c", f"doubled {value * 2}")
    nb.wait_idle()
    assert nb.output("c") == f"doubled {value * 2}\n"
    assert nb.execution_count("c") > count_c
    assert nb.execution_count("a") == count_a  # the widget's cell did not re-run
    assert nb.page.inner_text(".rk-Slider-value") == str(value)


TABLE = [
    (
        "a",
        "from reactive_kernel import ui\n"
        't = ui.table([{"name": "a", "x": 1}, {"name": "b", "x": 2}, {"name": "c", "x": 3}],'
        ' selection="multi")\nt',
    ),
    ("b", 'print(sorted(r["name"] for r in t.value))'),
]


def test_selecting_table_rows_reruns_the_reader(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(TABLE)
    _ran(nb, "ab")
    nb.wait_output("b", "[]")
    rows = nb.locator("a", ".rk-Table-table tbody tr")
    rows.first.wait_for(timeout=30_000)
    assert rows.count() == 3
    count_a = nb.execution_count("a")

    rows.nth(2).locator("input").click()  # the row's checkbox
    nb.wait_output("b", "['c']")
    rows.nth(0).locator("td").nth(1).click()  # the row itself, outside the checkbox
    nb.wait_output("b", "['a', 'c']")
    nb.wait_idle()
    assert nb.output("b") == "['a', 'c']\n"
    assert "rk-mod-selected" in (rows.nth(0).get_attribute("class") or "")
    rows.nth(2).locator("input").click()  # unselect
    nb.wait_output("b", "['a']")
    nb.wait_idle()
    assert nb.output("b") == "['a']\n"
    assert nb.execution_count("a") == count_a


IPYWIDGETS = [
    ("a", "import ipywidgets\nk = ipywidgets.IntSlider(value=3, min=0, max=20)\nk"),
    ("b", "print('k squared', k.value ** 2)"),
]


def test_an_ipywidgets_slider_reruns_its_readers(notebook) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(IPYWIDGETS)
    _ran(nb, "ab")
    nb.wait_output("b", "k squared 9")
    handle = nb.locator("a", ".widget-slider .noUi-handle")
    handle.wait_for(timeout=30_000)
    count_a = nb.execution_count("a")
    handle.focus()
    for _ in range(4):
        nb.page.keyboard.press("ArrowRight")
    nb.wait_output("b", "k squared 49")
    nb.wait_idle()
    assert nb.output("b") == "k squared 49\n"
    assert nb.execution_count("a") == count_a


def test_a_burst_of_changes_ends_with_the_last_value(notebook) -> None:  # type: ignore[no-untyped-def]
    """Key presses as fast as Playwright sends them (each one a change event the slider sends at
    once), then a long drag of many mouse moves: the reader ends with the last value, the
    defining cell never re-runs, and the burst is coalesced into a few runs."""
    nb = notebook(SLIDER)
    _ran(nb, "abc")
    slider = nb.locator("a", ".rk-Slider-input")
    slider.wait_for(timeout=30_000)
    count_a = nb.execution_count("a")
    count_c = nb.execution_count("c")
    slider.focus()
    for _ in range(60):
        nb.page.keyboard.press("ArrowRight")
    assert slider.input_value() == "70"
    nb.wait_output("c", "doubled 140")
    nb.wait_idle()
    nb.page.wait_for_timeout(500)  # nothing older may arrive after the last value
    nb.wait_idle()
    assert nb.output("c") == "doubled 140\n"
    runs = nb.execution_count("c") - count_c
    assert 1 <= runs < 60, runs  # coalesced, not one run per key press

    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    nb.page.mouse.move(box["x"] + box["width"] * 0.7, y)
    nb.page.mouse.down()
    for step in range(200):  # back and forth over the whole track, no pauses
        fraction = abs((step % 100) - 50) / 50  # 1 -> 0 -> 1 ...
        nb.page.mouse.move(box["x"] + 4 + (box["width"] - 8) * fraction, y)
    nb.page.mouse.move(box["x"] + box["width"] * 0.25, y)
    nb.page.mouse.up()
    value = int(slider.input_value())
    assert 10 < value < 40, value
    nb.wait_output("c", f"doubled {value * 2}")
    nb.wait_idle()
    nb.page.wait_for_timeout(500)
    nb.wait_idle()
    assert nb.output("c") == f"doubled {value * 2}\n"
    assert nb.execution_count("a") == count_a


DASHBOARD_CODE = ["data", "controls", "filter", "summary", "products", "detail"]


def test_the_dashboard_example_reacts_to_its_controls(lab, page) -> None:  # type: ignore[no-untyped-def]
    """examples/dashboard.ipynb in the browser: a dropdown re-runs the filter and what follows,
    selecting table rows re-runs the detail. Also the README's widgets screenshot."""
    shutil.copy(EXAMPLES / "dashboard.ipynb", lab.root / "dashboard.ipynb")
    nb = NotebookPage(page, lab, "dashboard.ipynb")
    # NotebookPage.open waits for a state on every cell; markdown cells have none.
    page.goto(f"{lab.url}/lab/tree/dashboard.ipynb?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    nb.wait(
        "nb && nb.node.classList.contains('rk-mod-reactive') && nb.widgets.every("
        "c => c.model.type !== 'code' || stateOf(c.model.id) !== null)",
        timeout=60,
        what="the dashboard to connect to the reactive kernel",
    )
    try:
        cells = [f"dashboard-{c}" for c in DASHBOARD_CODE]
        _ran(nb, cells)
        nb.wait_output("dashboard-filter", "of 600 orders: All regions")
        nb.wait_output("dashboard-detail", "Select products")
        count_controls = nb.execution_count("dashboard-controls")

        _show(nb, "dashboard-controls")
        region = nb.locator("dashboard-controls", ".rk-Dropdown-select")
        region.wait_for(timeout=30_000)
        region.select_option("North")
        nb.wait_output("dashboard-filter", "orders: North")
        nb.wait_idle()

        _show(nb, "dashboard-products")
        rows = nb.locator("dashboard-products", ".rk-Table-table tbody tr")
        rows.first.wait_for(timeout=30_000)
        first = rows.nth(0).locator("td").nth(1).inner_text()
        second = rows.nth(1).locator("td").nth(1).inner_text()
        rows.nth(0).click()
        rows.nth(1).click()
        nb.wait_output("dashboard-detail", f"{first}, {second}: ")
        nb.wait_idle()
        nb.wait("outputOf(arg).includes('North')", "dashboard-filter", what="the filter kept")
        assert nb.execution_count("dashboard-controls") == count_controls
        _show(nb, "dashboard-detail")
        detail = nb.locator("dashboard-detail", ".rk-Table-table tbody tr")
        detail.first.wait_for(timeout=30_000)
        assert detail.count() == 8

        # The screenshot: outputs only, like a dashboard, from the controls down.
        nb.command("application:toggle-left-area")
        nb.command("notebook:hide-all-cell-code")
        page.set_viewport_size({"width": 1280, "height": 1180})
        nb.select("dashboard-controls")
        _show(nb, "dashboard-controls")  # the viewport changed: windowing may have hidden it
        nb.locator("dashboard-controls", ".rk-Dropdown-select").wait_for(timeout=30_000)
        nb.js("cellById(arg).node.scrollIntoView({block: 'start'});", "dashboard-controls-md")
        nb.locator("dashboard-products", ".rk-Table-table").wait_for(timeout=30_000)
        nb.screenshot("widgets")
    finally:
        nb.shutdown()
