"""Reactive widgets in a real JupyterLab: moving a widget in the browser re-runs the cells that
read its value (docs/widgets.md), and not the cell that made it."""

from __future__ import annotations

SLIDER = [
    ("a", 'from reactive_kernel import ui\nn = ui.slider(0, 100, value=10, label="n")\nn'),
    ("b", "doubled = n.value * 2"),
    ("c", 'print("doubled", doubled)'),
]


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

    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    nb.page.mouse.move(box["x"] + box["width"] * 0.1, y)
    nb.page.mouse.down()
    for step in range(1, 11):
        nb.page.mouse.move(box["x"] + box["width"] * (0.1 + 0.04 * step), y)
    nb.page.mouse.up()
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
