"""Every kind of ``ui`` input in a real JupyterLab: the user changes it the way a person would
(typing, clicking, choosing a file) and the cell reading its value re-runs with the new value,
while the cell that made the widget does not (docs/widgets.md). The slider and the table have
their own tests in test_widgets.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.notebook_page import NotebookPage


def _pairs(widgets: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """A defining cell and a reading cell per widget: (name, constructor, reader expression)."""
    cells = [("imports", "from reactive_kernel import ui")]
    for name, make, read in widgets:
        cells.append((f"{name}-w", f"{name} = {make}\n{name}"))
        cells.append((f"{name}-r", f"print({name!r}, repr({read}))"))
    return cells


def _run_all(nb: NotebookPage, cells: list[tuple[str, str]]) -> None:
    nb.command("reactive:run-all")
    nb.wait_states({cell: "fresh" for cell, _ in cells})
    nb.wait_idle()


def _changed(nb: NotebookPage, name: str, expected: str, change: Any) -> None:
    """``change()`` moves widget ``name``; then its reader prints ``expected`` and the widget's
    cell did not run again."""
    made = nb.execution_count(f"{name}-w")
    read = nb.execution_count(f"{name}-r")
    change()
    nb.wait_output(f"{name}-r", f"{name} {expected}")
    nb.wait_idle()
    assert nb.output(f"{name}-r") == f"{name} {expected}\n"
    assert nb.execution_count(f"{name}-w") == made, f"{name}'s own cell re-ran"
    count = nb.execution_count(f"{name}-r")
    assert count is not None and read is not None and count > read


TYPED = [
    ("num", "ui.number(0, 10, value=3, step=0.5)", "num.value"),
    ("txt", 'ui.text(value="hello", placeholder="name")', "txt.value"),
    ("area", 'ui.text_area(value="one")', "area.value"),
    ("day", "ui.date(__import__('datetime').date(2026, 1, 2))", "day.value"),
]


def test_typed_inputs_rerun_their_readers(notebook) -> None:  # type: ignore[no-untyped-def]
    cells = _pairs(TYPED)
    nb = notebook(cells)
    _run_all(nb, cells)
    nb.wait_output("num-r", "num 3.0")
    nb.wait_output("day-r", "datetime.date(2026, 1, 2)")

    number = nb.locator("num-w", ".rk-Number-input")
    number.wait_for(timeout=30_000)
    _changed(nb, "num", "7.5", lambda: (number.fill("7.5"), number.press("Enter")))

    text = nb.locator("txt-w", ".rk-Text-input")
    _changed(nb, "txt", "'hello world'", lambda: (text.fill("hello world"), text.press("Enter")))

    area = nb.locator("area-w", ".rk-Text-input")  # a textarea: sent when it loses focus
    _changed(nb, "area", "'one\\ntwo'", lambda: (area.fill("one\ntwo"), area.blur()))

    date = nb.locator("day-w", ".rk-Date-input")
    _changed(nb, "day", "datetime.date(2026, 3, 4)", lambda: date.fill("2026-03-04"))

    # Out of range in the browser: clamped into the bounds (docs/widgets.md), and shown so.
    _changed(nb, "num", "10.0", lambda: (number.fill("99"), number.press("Enter")))
    for _ in range(50):
        if number.input_value() == "10":
            break
        nb.page.wait_for_timeout(100)
    assert number.input_value() == "10"


CLICKED = [
    ("check", 'ui.checkbox(label="show")', "check.value"),
    ("flip", 'ui.switch(True, label="on")', "flip.value"),
    ("pick", 'ui.radio(["red", "green", "blue"], value="red")', "pick.value"),
    ("many", 'ui.multiselect(["a", "b", "c"], value=["a"])', "many.value"),
    ("go", 'ui.button("Go")', "go.value"),
    ("span", "ui.range_slider(0, 10, value=(2, 5))", "span.value"),
]


def test_clicked_inputs_rerun_their_readers(notebook) -> None:  # type: ignore[no-untyped-def]
    cells = _pairs(CLICKED)
    nb = notebook(cells)
    _run_all(nb, cells)
    nb.wait_output("go-r", "go 0")

    check = nb.locator("check-w", ".rk-Checkbox-input")
    check.wait_for(timeout=30_000)
    _changed(nb, "check", "True", check.click)
    switch = nb.locator("flip-w", ".rk-Checkbox-input")
    _changed(nb, "flip", "False", switch.click)

    green = nb.locator("pick-w", ".rk-Choices-option").filter(has_text="green")
    _changed(nb, "pick", "'green'", green.click)
    options = nb.locator("many-w", ".rk-Choices-option")
    _changed(nb, "many", "['a', 'c']", options.filter(has_text="c").click)
    _changed(nb, "many", "['c']", options.filter(has_text="a").click)

    button = nb.locator("go-w", ".rk-Button-button")
    _changed(nb, "go", "1", button.click)
    _changed(nb, "go", "2", button.click)

    low = nb.locator("span-w", "input[type=range]").first
    low.focus()
    _changed(nb, "span", "(3, 5)", lambda: nb.page.keyboard.press("ArrowRight"))


FORM = [
    ("imports", "from reactive_kernel import ui"),
    (
        "f",
        'f = ui.form({"who": ui.text(value="Ada"), "n": ui.number(1, 9, value=2)},'
        ' label="Order", submit_label="Send")\nf',
    ),
    ("g", "print('order', f.value['who'], f.value['n'])"),
    ("up", 'up = ui.file_upload(accept=".csv")\nup'),
    ("rows", "print('rows', [(x['name'], x['content'].decode()) for x in up.value])"),
]


def test_a_form_reruns_its_reader_once_per_submit_and_uploads_arrive(  # type: ignore[no-untyped-def]
    notebook, tmp_path: Path
) -> None:
    nb = notebook(FORM)
    _run_all(nb, FORM)
    nb.wait_output("g", "order Ada 2")
    nb.wait_output("rows", "rows []")
    count_f = nb.execution_count("f")
    count_g = nb.execution_count("g")

    name = nb.locator("f", ".rk-Text-input")
    name.wait_for(timeout=30_000)
    name.fill("Grace")
    name.press("Enter")
    number = nb.locator("f", ".rk-Number-input")
    number.fill("5")
    number.press("Enter")
    nb.page.wait_for_timeout(500)
    nb.wait_idle()
    assert nb.execution_count("g") == count_g, "a field change alone re-ran the form's reader"
    last = max(nb.execution_count(cell) or 0 for cell, _ in FORM)
    nb.locator("f", ".rk-Button-button").click()
    nb.wait_output("g", "order Grace 5")
    nb.wait_idle()
    # One execution since (execution counts are the kernel's counter): g, once per submit.
    assert nb.execution_count("g") == last + 1
    assert max(nb.execution_count(cell) or 0 for cell, _ in FORM) == last + 1
    assert nb.execution_count("f") == count_f

    data = tmp_path / "sales.csv"
    data.write_text("region,total\nNorth,3\n", encoding="utf-8")
    count_up = nb.execution_count("up")
    nb.locator("up", ".rk-FileUpload-input").set_input_files(str(data))
    nb.wait_output("rows", "rows [('sales.csv', 'region,total\\nNorth,3\\n')]")
    nb.wait_idle()
    assert nb.execution_count("up") == count_up
