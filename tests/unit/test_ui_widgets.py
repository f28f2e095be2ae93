"""reactive_kernel.ui without a browser: construction, defaults, errors, Python round trips, state.

The browser's side of the protocol (values arriving through ``set_state``) is in
``test_ui_frontend.py``; the table, the form and the layout helpers in ``test_ui_table_form.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import traitlets

from reactive_kernel import ui
from reactive_kernel.kernel.widgets import is_value_widget

pytestmark = pytest.mark.unit

# (factory, expected default value) for every value widget.
DEFAULTS: list[tuple[str, Callable[[], Any], object]] = [
    ("slider", lambda: ui.slider(0, 10), 0),
    ("slider float", lambda: ui.slider(0.5, 1.5, 0.25), 0.5),
    ("range_slider", lambda: ui.range_slider(0, 10), (0, 10)),
    ("number", lambda: ui.number(), 0.0),
    ("number bounded", lambda: ui.number(3, 9), 3),
    ("number negative stop", lambda: ui.number(stop=-5), -5),
    ("text", lambda: ui.text(), ""),
    ("text_area", lambda: ui.text_area("hi"), "hi"),
    ("checkbox", lambda: ui.checkbox(), False),
    ("switch", lambda: ui.switch(True), True),
    ("button", lambda: ui.button("Go"), 0),
    ("dropdown", lambda: ui.dropdown(["a", "b"]), "a"),
    ("dropdown allow_none", lambda: ui.dropdown(["a", "b"], allow_none=True), None),
    ("radio", lambda: ui.radio(["x", "y"], "y"), "y"),
    ("multiselect", lambda: ui.multiselect(["a", "b"]), []),
    ("date", lambda: ui.date("2024-02-29"), dt.date(2024, 2, 29)),
    ("date clamped default", lambda: ui.date(start="2999-01-01"), dt.date(2999, 1, 1)),
    ("file_upload", lambda: ui.file_upload(".csv"), []),
    ("table", lambda: ui.table([{"a": 1}]), []),
    ("form", lambda: ui.form({"n": ui.slider(0, 3, value=2)}), {"n": 2}),
]


@pytest.mark.parametrize(("name", "make", "default"), DEFAULTS, ids=[d[0] for d in DEFAULTS])
def test_defaults(name: str, make: Callable[[], Any], default: object) -> None:
    widget = make()
    assert widget.value == default
    assert type(widget.value) is type(default)
    # The reactive kernel observes every one of them.
    assert is_value_widget(widget)


@pytest.mark.parametrize(("name", "make", "default"), DEFAULTS, ids=[d[0] for d in DEFAULTS])
def test_each_widget_has_a_label(name: str, make: Callable[[], Any], default: object) -> None:
    widget = make()
    if isinstance(widget, ui.ValueWidget):
        assert "label" in widget.get_state()
        assert "disabled" in widget.get_state()


def test_date_default_is_today() -> None:
    assert ui.date().value == dt.date.today()


# (call, exception type, words the message must contain)
ERRORS: list[tuple[str, Callable[[], object], type[Exception], tuple[str, ...]]] = [
    ("slider value above", lambda: ui.slider(0, 10, value=11), ValueError, ("ui.slider", "value")),
    ("slider value below", lambda: ui.slider(0, 10, value=-1), ValueError, ("value", "[0, 10]")),
    ("slider start>=stop", lambda: ui.slider(5, 5), ValueError, ("ui.slider", "start")),
    ("slider step", lambda: ui.slider(0, 1, 0), ValueError, ("step", "positive")),
    ("slider str", lambda: ui.slider("0", 10), TypeError, ("ui.slider", "start", "number")),
    ("slider bool", lambda: ui.slider(0, 10, value=True), TypeError, ("value",)),
    ("slider nan", lambda: ui.slider(0, float("nan")), ValueError, ("stop", "finite")),
    ("range order", lambda: ui.range_slider(0, 10, value=(5, 2)), ValueError, ("low",)),
    ("range out", lambda: ui.range_slider(0, 10, value=(0, 11)), ValueError, ("outside",)),
    ("range shape", lambda: ui.range_slider(0, 10, value=5), TypeError, ("pair",)),  # type: ignore[arg-type]
    ("number out", lambda: ui.number(0, 5, value=6), ValueError, ("ui.number", "value")),
    ("number bounds", lambda: ui.number(5, 0), ValueError, ("start",)),
    ("text type", lambda: ui.text(3), TypeError, ("ui.text", "value", "str")),  # type: ignore[arg-type]
    ("text too long", lambda: ui.text("abc", max_length=2), ValueError, ("max_length",)),
    ("text_area rows", lambda: ui.text_area(rows=0), ValueError, ("rows",)),
    ("checkbox type", lambda: ui.checkbox(1), TypeError, ("ui.checkbox", "True or False")),  # type: ignore[arg-type]
    ("button kind", lambda: ui.button(kind="huge"), ValueError, ("ui.button", "kind")),
    ("dropdown empty", lambda: ui.dropdown([]), ValueError, ("ui.dropdown", "options", "empty")),
    ("dropdown value", lambda: ui.dropdown(["a"], "z"), ValueError, ("'z'", "not one of")),
    ("dropdown str", lambda: ui.dropdown("abc"), TypeError, ("options",)),
    ("dropdown dup", lambda: ui.dropdown(["a", "a"]), ValueError, ("duplicate",)),
    ("dropdown keys", lambda: ui.dropdown({1: "x"}), TypeError, ("labels",)),  # type: ignore[dict-item]
    ("radio empty", lambda: ui.radio({}), ValueError, ("ui.radio", "empty")),
    ("radio value", lambda: ui.radio(["a", "b"], "c"), ValueError, ("ui.radio", "value")),
    ("multiselect value", lambda: ui.multiselect(["a"], ["b"]), ValueError, ("ui.multiselect",)),
    ("multiselect type", lambda: ui.multiselect(["a"], "a"), TypeError, ("list",)),
    ("date iso", lambda: ui.date("31/12/2024"), ValueError, ("ui.date", "ISO")),
    ("date type", lambda: ui.date(20240101), TypeError, ("ui.date", "value")),  # type: ignore[arg-type]
    ("date out", lambda: ui.date("2024-01-01", start="2024-06-01"), ValueError, ("outside",)),
    ("date bounds", lambda: ui.date(start="2024-06-01", stop="2024-01-01"), ValueError, ("start",)),
    ("upload size", lambda: ui.file_upload(max_size=0), ValueError, ("max_size",)),
    ("table scalar", lambda: ui.table(42), TypeError, ("ui.table", "data", "DataFrame", "int")),
    ("table str", lambda: ui.table("a,b"), TypeError, ("ui.table", "data")),
    ("table rows", lambda: ui.table([1, 2]), TypeError, ("rows must be dicts",)),
    ("table columns", lambda: ui.table({"a": [1], "b": [1, 2]}), ValueError, ("lengths",)),
    ("table mode", lambda: ui.table([], selection="many"), ValueError, ("selection",)),
    ("form empty", lambda: ui.form({}), ValueError, ("ui.form",)),
    ("form field", lambda: ui.form({"n": 3}), TypeError, ("ui.form", "fields['n']")),
    ("callout kind", lambda: ui.callout("x", kind="note"), ValueError, ("ui.callout", "kind")),
    ("tabs empty", lambda: ui.tabs({}), ValueError, ("ui.tabs",)),
    ("md missing", lambda: ui.md("{x}"), ValueError, ("ui.md", "{x}")),
]


@pytest.mark.parametrize(("name", "call", "error", "words"), ERRORS, ids=[e[0] for e in ERRORS])
def test_construction_errors_name_the_widget_and_argument(
    name: str, call: Callable[[], object], error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


# (widget, a good value set from Python, what .value then is, what the browser is sent)
ROUND_TRIPS: list[tuple[str, Callable[[], Any], object, object, object]] = [
    ("slider", lambda: ui.slider(0, 10), 7, 7, 7),
    ("slider float", lambda: ui.slider(0.0, 1.0, 0.1), 1, 1.0, 1.0),
    ("range_slider", lambda: ui.range_slider(0, 10), [2, 3], (2, 3), [2, 3]),
    ("number", lambda: ui.number(), 2.5, 2.5, 2.5),
    ("text", lambda: ui.text(), "hello", "hello", "hello"),
    ("checkbox", lambda: ui.checkbox(), True, True, True),
    ("button", lambda: ui.button(), 3, 3, 3),
    ("dropdown", lambda: ui.dropdown(["a", "b"]), "b", "b", "b"),
    ("dropdown dict", lambda: ui.dropdown({"one": 1, "two": 2}), 2, 2, "two"),
    ("radio", lambda: ui.radio(["a", "b"]), "b", "b", "b"),
    ("multiselect", lambda: ui.multiselect(["a", "b", "c"]), ["c", "a"], ["a", "c"], ["a", "c"]),
    ("date", lambda: ui.date("2024-01-01"), dt.date(2025, 3, 4), dt.date(2025, 3, 4), "2025-03-04"),
    ("date str", lambda: ui.date("2024-01-01"), "2025-03-04", dt.date(2025, 3, 4), "2025-03-04"),
    (
        "file_upload",
        lambda: ui.file_upload(),
        [{"name": "a.txt", "content": bytearray(b"hi")}],
        [{"name": "a.txt", "type": "", "size": 2, "content": b"hi"}],
        [{"name": "a.txt", "type": "", "size": 2, "content": b"hi"}],
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "given", "value", "wire"), ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS]
)
def test_setting_value_from_python_round_trips_through_the_trait(
    name: str, make: Callable[[], Any], given: object, value: object, wire: object
) -> None:
    widget = make()
    seen: list[object] = []
    widget.observe(lambda change: seen.append(change["new"]), names="value")
    widget.value = given
    assert widget.value == value
    assert seen == [value]
    assert widget.get_state("value") == {"value": wire}


SET_ERRORS: list[tuple[str, Callable[[], Any], object, type[Exception]]] = [
    ("slider", lambda: ui.slider(0, 10), 11, ValueError),
    ("slider int", lambda: ui.slider(0, 10), 2.5, ValueError),
    ("range_slider", lambda: ui.range_slider(0, 10), (3, 1), ValueError),
    ("number", lambda: ui.number(0, 1, value=0), "1", TypeError),
    ("text", lambda: ui.text(max_length=1), "ab", ValueError),
    ("dropdown", lambda: ui.dropdown(["a"]), "b", ValueError),
    ("dropdown none", lambda: ui.dropdown(["a"]), None, ValueError),
    ("button", lambda: ui.button(), -1, ValueError),
    ("date", lambda: ui.date("2024-01-01", stop="2024-12-31"), "2025-01-01", ValueError),
    ("file_upload", lambda: ui.file_upload(), [{"name": "a", "content": "text"}], TypeError),
]


@pytest.mark.parametrize(
    ("name", "make", "bad", "error"), SET_ERRORS, ids=[s[0] for s in SET_ERRORS]
)
def test_bad_values_from_python_raise_and_keep_the_old_value(
    name: str, make: Callable[[], Any], bad: object, error: type[Exception]
) -> None:
    widget = make()
    before = widget.value
    with pytest.raises(error) as raised:
        widget.value = bad
    assert isinstance(raised.value, traitlets.TraitError)  # traitlets rolls held changes back
    assert widget.value == before


def test_slider_state_carries_what_the_front_end_draws() -> None:
    slider = ui.slider(0, 1, 0.1, value=0.5, label="alpha")
    state = slider.get_state()
    assert {k: state[k] for k in ("start", "stop", "step", "value", "label", "integer")} == {
        "start": 0,
        "stop": 1,
        "step": 0.1,
        "value": 0.5,
        "label": "alpha",
        "integer": False,
    }
    assert state["_esm"].rstrip().endswith("};")
    assert "rk-Slider" in state["_css"]


def test_dropdown_options_are_labels_on_the_wire_and_can_be_replaced() -> None:
    choice = ui.dropdown({"mean": sum, "largest": max}, value=max)
    assert choice.get_state("options") == {"options": ["mean", "largest"]}
    assert choice.get_state("value") == {"value": "largest"}
    choice.set_options(["x", "y"])
    assert choice.value == "x"  # the old value is gone: back to the first option
    multi = ui.multiselect(["a", "b", "c"], ["a", "c"])
    multi.set_options(["c", "d"])
    assert multi.value == ["c"]


def test_integer_sliders_keep_ints_and_float_sliders_floats() -> None:
    assert type(ui.slider(0, 10, value=3).value) is int
    assert type(ui.slider(0, 10, 0.5, value=3).value) is float
    assert ui.range_slider(0, 1, 0.1).value == (0.0, 1.0)
    assert ui.number(0, 10).integer and not ui.number().integer


def test_file_upload_contents() -> None:
    upload = ui.file_upload(multiple=True)
    upload.value = [{"name": "a", "content": b"1"}, {"name": "b", "content": memoryview(b"22")}]
    assert upload.contents() == [b"1", b"22"]
    # Binary contents leave the JSON state as buffers (no base64).
    state = upload.get_state("value")["value"]
    assert isinstance(state[1]["content"], bytes)
