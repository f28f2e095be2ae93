"""``ui.table``: a table of rows the user can select; ``value`` is the selected rows.

``data`` is a pandas or polars DataFrame (neither is a dependency: they are recognised by their
module, never imported here), a list of dicts (one per row), or a dict of columns (lists of equal
length). The browser gets the column names, the first ``max_rows`` rows as JSON and the total row
count; it sends back ``selected``, the positions of the chosen rows. ``value`` is computed in the
kernel and not synced: for a DataFrame, a DataFrame of the selected rows (``df.iloc[...]``,
``df[...]``), otherwise a list of dicts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module

SELECTION_MODES = ("single", "multi", "none")


def _frame_library(data: object) -> str | None:
    """``"pandas"`` or ``"polars"`` for their DataFrames (duck-typed by module), else None."""
    root = type(data).__module__.split(".")[0]
    if root == "pandas" and hasattr(data, "iloc") and hasattr(data, "columns"):
        return "pandas"
    if root == "polars" and hasattr(data, "rows") and hasattr(data, "columns"):
        return "polars"
    return None


def _cell(value: object) -> object:
    """A JSON-safe cell: numbers, strings, bools and None as is; NaN as None; others as text."""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        value = item()  # numpy scalars
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


class Table(ValueWidget):
    """``ui.table(data, selection="multi", max_rows=200, label="")``.

    ``selection`` is ``"single"``, ``"multi"`` or ``"none"``. Only the first ``max_rows`` rows are
    shown (with the total count) and can be selected from the browser; ``selected`` may be set from
    Python to any rows.
    """

    ui_name = "ui.table"
    _esm = module("table")
    frontend_keys = frozenset({"selected"})

    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List(traitlets.List()).tag(sync=True)
    row_count = traitlets.Int(0).tag(sync=True)
    max_rows = traitlets.Int(200).tag(sync=True)
    selection = traitlets.Unicode("multi").tag(sync=True)
    selected = traitlets.List(traitlets.Int()).tag(sync=True)
    value = traitlets.Any()  # the selected rows; computed here, never synced

    def __init__(
        self,
        data: object,
        *,
        selection: str = "multi",
        max_rows: int = 200,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        if selection not in SELECTION_MODES:
            raise self.error(
                "selection", f"must be one of {', '.join(SELECTION_MODES)}, not {selection!r}"
            )
        if not isinstance(max_rows, int) or isinstance(max_rows, bool) or max_rows < 1:
            raise self.error("max_rows", f"must be a positive int, not {max_rows!r}")
        self._data, columns, rows, count = self._read(data, max_rows)
        super().__init__(
            columns=columns,
            rows=rows,
            row_count=count,
            max_rows=max_rows,
            selection=selection,
            label=label,
            **kwargs,
        )
        self.value = self._rows_at([])

    @property
    def data(self) -> object:
        """The table's data (a list of dicts when it was given as a dict of columns)."""
        return self._data

    def _read(self, data: object, limit: int) -> tuple[object, list[str], list[list[object]], int]:
        """``(data, columns, first rows as JSON cells, row count)``; raise for non-tabular data."""
        library = _frame_library(data)
        if library == "pandas":
            frame: Any = data
            head = frame.iloc[:limit]
            cells = [[_cell(v) for v in row] for row in head.itertuples(index=False, name=None)]
            return data, [str(c) for c in frame.columns], cells, len(frame)
        if library == "polars":
            frame = data
            cells = [[_cell(v) for v in row] for row in frame.head(limit).rows()]
            return data, [str(c) for c in frame.columns], cells, int(frame.height)
        if isinstance(data, Mapping):
            data = self._columns_to_records(data)
        if not isinstance(data, Sequence) or isinstance(data, str | bytes):
            raise self.type_error("data", self._tabular_hint(data))
        records = list(data)
        bad = next((r for r in records if not isinstance(r, Mapping)), None)
        if bad is not None:
            raise self.type_error("data", f"rows must be dicts, not {type(bad).__name__}")
        columns: dict[str, None] = {}
        for record in records:
            columns.update((str(k), None) for k in record)
        keys = list(columns)
        rows = [[_cell(_get(record, k)) for k in keys] for record in records[:limit]]
        return records, keys, rows, len(records)

    def _columns_to_records(self, data: Mapping[Any, Any]) -> list[dict[str, object]]:
        columns = {str(k): v for k, v in data.items()}
        lengths = set()
        for name, column in columns.items():
            if not isinstance(column, Sequence) or isinstance(column, str | bytes):
                raise self.type_error("data", f"column {name!r} must be a list, not {column!r}")
            lengths.add(len(column))
        if len(lengths) > 1:
            raise self.error("data", f"columns have different lengths ({sorted(lengths)})")
        count = lengths.pop() if lengths else 0
        return [{name: column[i] for name, column in columns.items()} for i in range(count)]

    @staticmethod
    def _tabular_hint(data: object) -> str:
        return (
            "must be a pandas or polars DataFrame, a list of dicts or a dict of columns, "
            f"not {type(data).__name__}"
        )

    def _rows_at(self, indices: list[int]) -> object:
        library = _frame_library(self._data)
        frame: Any = self._data
        if library == "pandas":
            return frame.iloc[indices]
        if library == "polars":
            return frame[indices]
        assert isinstance(self._data, list)
        return [dict(self._data[i]) for i in indices]

    @traitlets.validate("selected")
    def _check_selected(self, proposal: dict[str, Any]) -> list[int]:
        indices = proposal["value"]
        bad = [i for i in indices if not 0 <= i < self.row_count]
        if bad:
            count = self.row_count
            raise self.error("selected", f"row {bad[0]} is outside the table's {count} rows")
        if self.selection == "none" and indices:
            raise self.error("selected", "must be empty when selection='none'")
        if self.selection == "single" and len(indices) > 1:
            raise self.error("selected", f"holds {len(indices)} rows with selection='single'")
        return sorted(set(indices))

    @traitlets.observe("selected")
    def _selected_changed(self, change: dict[str, Any]) -> None:
        self.value = self._rows_at(change["new"])

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, list):
            raise FrontendValueError(f"not a list of rows: {raw!r}")
        if self.selection == "none":
            return []
        shown = len(self.rows)
        indices = sorted(
            {i for i in raw if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < shown}
        )
        return indices[-1:] if self.selection == "single" else indices


def _get(record: Mapping[Any, Any], key: str) -> object:
    if key in record:
        return record[key]
    for k, v in record.items():  # a non-string key shown as its str()
        if str(k) == key:
            return v
    return None
