"""``ui.date``: a ``datetime.date``, sent to the browser as an ISO string (``"2024-05-31"``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module


def _iso(value: dt.date | None, _widget: object = None) -> str | None:
    return None if value is None else value.isoformat()


def _from_iso(value: str | None, _widget: object = None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


class Date(ValueWidget):
    """``ui.date(value=None, start=None, stop=None, label="")``: a date, by default today.

    ``value``, ``start`` and ``stop`` take a ``datetime.date`` or an ISO string (a ``datetime``
    keeps its date). Out of ``[start, stop]`` raises from Python and is clamped from the browser.
    """

    ui_name = "ui.date"
    _esm = module("date")

    # Any, not Instance(date): the validator also takes ISO strings and datetimes from Python.
    value = traitlets.Any(dt.date(2000, 1, 1)).tag(sync=True, to_json=_iso, from_json=_from_iso)
    start = traitlets.Any(None, allow_none=True).tag(sync=True, to_json=_iso, from_json=_from_iso)
    stop = traitlets.Any(None, allow_none=True).tag(sync=True, to_json=_iso, from_json=_from_iso)

    def __init__(
        self,
        value: dt.date | str | None = None,
        *,
        start: dt.date | str | None = None,
        stop: dt.date | str | None = None,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        low = None if start is None else self._date("start", start)
        high = None if stop is None else self._date("stop", stop)
        if low is not None and high is not None and low > high:
            raise self.error("start", f"must not be after stop (got {low} > {high})")
        if value is None:
            day = dt.date.today()
            day = max(day, low) if low is not None else day
            day = min(day, high) if high is not None else day
        else:
            day = self._date("value", value)
        super().__init__(value=day, start=low, stop=high, label=label, **kwargs)

    def _date(self, argument: str, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self.error(argument, f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
        raise self.type_error(
            argument, f"must be a datetime.date or an ISO string, not {type(value).__name__}"
        )

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> dt.date:
        day = self._date("value", proposal["value"])
        if (self.start is not None and day < self.start) or (
            self.stop is not None and day > self.stop
        ):
            raise self.error("value", f"{day} is outside [{self.start}, {self.stop}]")
        return day

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, str):
            raise FrontendValueError(f"not an ISO date string: {raw!r}")
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise FrontendValueError(f"not an ISO date: {raw!r}") from None
        if self.start is not None:
            day = max(day, self.start)
        if self.stop is not None:
            day = min(day, self.stop)
        return day.isoformat()
