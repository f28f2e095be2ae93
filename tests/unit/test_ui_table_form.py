"""ui.table (data shapes, row cap, selection to value), ui.form (submit), layout helpers."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets
import pytest

from reactive_kernel import ui

pytestmark = pytest.mark.unit

ROWS = [{"name": "ada", "age": 36}, {"name": "alan", "age": 41}, {"name": "grace", "score": 1.5}]


def test_table_from_records_shows_columns_rows_and_count() -> None:
    table = ui.table(ROWS)
    state = table.get_state(["columns", "rows", "row_count", "selected", "selection"])
    assert state == {
        "columns": ["name", "age", "score"],
        "rows": [["ada", 36, None], ["alan", 41, None], ["grace", None, 1.5]],
        "row_count": 3,
        "selected": [],
        "selection": "multi",
    }
    assert "value" not in table.get_state()  # computed in the kernel, never synced


def test_table_rows_are_capped_but_counted() -> None:
    table = ui.table([{"i": i} for i in range(1000)], max_rows=50)
    assert len(table.rows) == 50
    assert table.row_count == 1000


def test_table_from_a_dict_of_columns() -> None:
    table = ui.table({"x": [1, 2], "y": ["a", "b"]})
    assert table.columns == ["x", "y"]
    table.selected = [1]
    assert table.value == [{"x": 2, "y": "b"}]


def test_table_cells_are_json_safe() -> None:
    table = ui.table([{"f": math.nan, "o": object, "t": (1, 2)}])
    assert table.rows[0][0] is None
    assert table.rows[0][1] == str(object)
    assert table.rows[0][2] == "(1, 2)"


def test_table_value_is_the_selected_rows() -> None:
    table = ui.table(ROWS)
    seen: list[Any] = []
    table.observe(lambda change: seen.append(change["new"]), names="value")
    table.selected = [2, 0]
    assert table.selected == [0, 2]
    assert table.value == [ROWS[0], ROWS[2]]
    assert seen == [[ROWS[0], ROWS[2]]]
    table.value[0]["name"] = "changed"  # copies: the data is not touched through the value
    assert ROWS[0]["name"] == "ada"


def test_table_selection_from_the_browser() -> None:
    table = ui.table([{"i": i} for i in range(10)], max_rows=5)
    table.set_state({"selected": [4, 1, 99, -1, "x", 1]})  # only rows the browser shows
    assert table.value == [{"i": 1}, {"i": 4}]
    single = ui.table(ROWS, selection="single")
    single.set_state({"selected": [0, 2]})
    assert single.value == [ROWS[2]]
    none = ui.table(ROWS, selection="none")
    none.set_state({"selected": [0]})
    assert none.value == []
    table.set_state({"value": [{"i": 3}]})  # value is not the browser's to set
    assert table.value == [{"i": 1}, {"i": 4}]


@pytest.mark.parametrize(
    ("mode", "selected", "words"),
    [
        ("multi", [3], "outside"),
        ("single", [0, 1], "single"),
        ("none", [0], "none"),
    ],
)
def test_table_selection_errors_from_python(mode: str, selected: list[int], words: str) -> None:
    table = ui.table(ROWS, selection=mode)
    with pytest.raises(ValueError, match=words):
        table.selected = selected


class FakeILoc:
    def __init__(self, frame: FakePandasFrame) -> None:
        self.frame = frame

    def __getitem__(self, key: Any) -> FakePandasFrame:
        rows = self.frame.data[key] if isinstance(key, slice) else [self.frame.data[i] for i in key]
        return FakePandasFrame(rows)


class FakePandasFrame:
    """What ui.table uses of a pandas DataFrame: ``columns``, ``iloc``, ``itertuples``, ``len``."""

    __module__ = "pandas.core.frame"

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.data = rows
        self.columns = list(rows[0]) if rows else []
        self.iloc = FakeILoc(self)

    def __len__(self) -> int:
        return len(self.data)

    def itertuples(self, index: bool = True, name: str | None = "Pandas") -> Any:
        return (tuple(row.values()) for row in self.data)


def test_table_from_a_dataframe_gives_a_dataframe_of_the_selection() -> None:
    frame = FakePandasFrame([{"a": i, "b": -i} for i in range(300)])
    table = ui.table(frame)
    assert table.columns == ["a", "b"]
    assert (len(table.rows), table.row_count) == (200, 300)
    assert isinstance(table.value, FakePandasFrame) and len(table.value) == 0
    table.selected = [5, 250]
    assert isinstance(table.value, FakePandasFrame)
    assert table.value.data == [{"a": 5, "b": -5}, {"a": 250, "b": -250}]


def test_table_with_real_pandas() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, None, 2.0]})
    table = ui.table(frame)
    assert table.rows == [[1, 0.5], [2, None], [3, 2.0]]
    table.selected = [0, 2]
    assert table.value["a"].tolist() == [1, 3]


def test_table_with_real_polars() -> None:
    pl = pytest.importorskip("polars")
    table = ui.table(pl.DataFrame({"a": [1, 2, 3]}))
    table.selected = [1]
    assert table.value["a"].to_list() == [2]


# -- form -------------------------------------------------------------------------------------


def make_form() -> tuple[ui.Form, ui.Slider, ui.Text]:
    n = ui.slider(0, 10, value=1)
    name = ui.text("ada", label="Your name")
    return ui.form({"n": n, "name": name}, label="Settings"), n, name


def test_form_value_changes_only_on_submit() -> None:
    form, n, name = make_form()
    seen: list[dict[str, Any]] = []
    form.observe(lambda change: seen.append(change["new"]), names="value")
    assert form.value == {"n": 1, "name": "ada"}
    n.set_state({"value": 7})
    name.set_state({"value": "alan"})
    assert form.value == {"n": 1, "name": "ada"}
    assert seen == []
    form.submit_button.set_state({"value": 1})  # a click in the browser
    assert form.value == {"n": 7, "name": "alan"}
    assert seen == [{"n": 7, "name": "alan"}]
    form.submit_button.set_state({"value": 2})  # submitting the same values changes nothing
    assert len(seen) == 1


def test_form_layout_and_labels() -> None:
    form, n, name = make_form()
    assert n.label == "n"  # an unlabelled field gets its key
    assert name.label == "Your name"
    title, *fields, button = form.children
    assert isinstance(title, ipywidgets.HTML) and "Settings" in title.value
    assert fields == [n, name]
    assert button is form.submit_button and button.label == "Submit"
    assert "rk-Form" in form._dom_classes


def test_form_takes_any_widget_with_a_value() -> None:
    form = ui.form({"x": ipywidgets.IntSlider(value=3)})
    assert form.value == {"x": 3}


# -- layout -----------------------------------------------------------------------------------


def test_stacks_wrap_non_widgets() -> None:
    s = ui.slider(0, 1)
    row = ui.hstack(s, "**bold**", 42)
    assert isinstance(row, ipywidgets.HBox) and "rk-Stack" in row._dom_classes
    assert row.children[0] is s
    assert row.children[1].outputs[0]["data"]["text/markdown"] == "**bold**"
    assert row.children[2].outputs[0]["data"]["text/plain"] == "42"
    column = ui.vstack(s)
    assert isinstance(column, ipywidgets.VBox) and column.children == (s,)


def test_tabs_and_accordion() -> None:
    tabs = ui.tabs({"One": "a", "Two": ui.text()})
    assert tabs.titles == ("One", "Two")
    assert tabs.selected_index == 0
    accordion = ui.accordion({"More": "details"})
    assert accordion.titles == ("More",)
    assert accordion.selected_index is None


def test_callout() -> None:
    note = ui.callout("Careful", kind="danger")
    assert note.get_state(["kind", "text", "html"]) == {
        "kind": "danger",
        "text": "Careful",
        "html": "",
    }


def test_md_places_widgets_and_formats_values() -> None:
    n = ui.slider(0, 10, value=4)
    out = ui.md("Pick {n}, now {n.value} ({ratio:.0%})", n=n, ratio=0.25)
    assert isinstance(out, ipywidgets.VBox)
    before, widget, after = out.children
    assert before.outputs[0]["data"]["text/markdown"] == "Pick "
    assert widget is n
    assert after.outputs[0]["data"]["text/markdown"] == ", now 4 (25%)"
    plain = ui.md("# Title {0}", "x")
    assert plain.outputs[0]["data"]["text/markdown"] == "# Title x"
