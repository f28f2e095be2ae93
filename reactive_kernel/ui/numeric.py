"""Numeric widgets: ``slider``, ``range_slider``, ``number``.

Values are ints when ``start``, ``stop``, ``step`` (and the given value) are all ints, floats
otherwise. From Python an out-of-range value raises; from the browser it is clamped.
"""

from __future__ import annotations

import math
from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, is_number, module


class _Numeric(ValueWidget):
    """Shared number checks: the type of each argument, bounds, ints versus floats."""

    integer = traitlets.Bool(True).tag(sync=True)

    def _number(self, argument: str, value: object) -> int | float:
        if not is_number(value):
            raise self.type_error(argument, f"must be a number, not {type(value).__name__}")
        assert isinstance(value, int | float)
        if not math.isfinite(value):
            raise self.error(argument, f"must be finite, not {value!r}")
        return value

    def _cast(self, value: int | float) -> int | float:
        return round(value) if self.integer else float(value)

    def _frontend_number(self, raw: object) -> int | float:
        if not is_number(raw) or not math.isfinite(raw):  # type: ignore[arg-type]
            raise FrontendValueError(f"not a finite number: {raw!r}")
        assert isinstance(raw, int | float)
        return self._cast(raw)


def _all_ints(*values: object) -> bool:
    return all(isinstance(v, int) for v in values if v is not None)


class Slider(_Numeric):
    """``ui.slider(start, stop, step=1, value=None, label="")``: a number in ``[start, stop]``.

    ``value`` defaults to ``start``. The browser sends values while dragging (at most every 60 ms)
    and always the final one on release.
    """

    ui_name = "ui.slider"
    _esm = module("slider")

    start = traitlets.Any(0).tag(sync=True)
    stop = traitlets.Any(100).tag(sync=True)
    step = traitlets.Any(1).tag(sync=True)
    value = traitlets.Any(0).tag(sync=True)
    show_value = traitlets.Bool(True).tag(sync=True)

    def __init__(
        self,
        start: float = 0,
        stop: float = 100,
        step: float = 1,
        value: float | None = None,
        *,
        label: str = "",
        show_value: bool = True,
        **kwargs: Any,
    ) -> None:
        for name, number in (("start", start), ("stop", stop), ("step", step)):
            self._number(name, number)
        if value is not None:
            self._number("value", value)
        if not start < stop:
            raise self.error("start", f"must be less than stop (got start={start}, stop={stop})")
        if not step > 0:
            raise self.error("step", f"must be positive (got {step})")
        integer = _all_ints(start, stop, step, value)
        super().__init__(
            integer=integer,
            start=start,
            stop=stop,
            step=step,
            value=start if value is None else value,
            label=label,
            show_value=show_value,
            **kwargs,
        )

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> int | float:
        value = self._number("value", proposal["value"])
        if not self.start <= value <= self.stop:
            raise self.error("value", f"{value!r} is outside [{self.start}, {self.stop}]")
        if self.integer and not float(value).is_integer():
            raise self.error("value", f"must be an integer for an integer slider, not {value!r}")
        return self._cast(value)

    def from_frontend(self, key: str, raw: Any) -> Any:
        value = self._frontend_number(raw)
        return min(max(value, self.start), self.stop)


class RangeSlider(_Numeric):
    """``ui.range_slider(start, stop, step=1, value=None)``: a ``(low, high)`` tuple within
    ``[start, stop]``, ``low <= high``; ``value`` defaults to ``(start, stop)``; JSON: a list.
    """

    ui_name = "ui.range_slider"
    _esm = module("range_slider")

    start = traitlets.Any(0).tag(sync=True)
    stop = traitlets.Any(100).tag(sync=True)
    step = traitlets.Any(1).tag(sync=True)
    value = traitlets.Any((0, 100)).tag(sync=True, to_json=lambda v, _widget: list(v))

    def __init__(
        self,
        start: float = 0,
        stop: float = 100,
        step: float = 1,
        value: tuple[float, float] | None = None,
        *,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        for name, number in (("start", start), ("stop", stop), ("step", step)):
            self._number(name, number)
        if not start < stop:
            raise self.error("start", f"must be less than stop (got start={start}, stop={stop})")
        if not step > 0:
            raise self.error("step", f"must be positive (got {step})")
        pair = (start, stop) if value is None else self._pair(value)
        super().__init__(
            integer=_all_ints(start, stop, step, *pair),
            start=start,
            stop=stop,
            step=step,
            value=pair,
            label=label,
            **kwargs,
        )

    def _pair(self, value: object) -> tuple[int | float, int | float]:
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise self.type_error("value", f"must be a (low, high) pair, not {value!r}")
        return self._number("value[0]", value[0]), self._number("value[1]", value[1])

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> tuple[int | float, int | float]:
        low, high = self._pair(proposal["value"])
        if low > high:
            raise self.error("value", f"low must not exceed high, got ({low}, {high})")
        if low < self.start or high > self.stop:
            raise self.error("value", f"({low}, {high}) is outside [{self.start}, {self.stop}]")
        return self._cast(low), self._cast(high)

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, list) or len(raw) != 2:
            raise FrontendValueError(f"not a [low, high] pair: {raw!r}")
        low, high = sorted(self._frontend_number(v) for v in raw)
        return [max(low, self.start), min(high, self.stop)]


class Number(_Numeric):
    """``ui.number(start=None, stop=None, step=None, value=None)``: a number input, bounds optional.

    ``value`` defaults to ``start``, else 0 (clamped into the bounds). Ints when every number
    given is an int (``ui.number(0, 10)``), floats otherwise (``ui.number()``, ``step=0.5``).
    """

    ui_name = "ui.number"
    _esm = module("number")

    start = traitlets.Any(None, allow_none=True).tag(sync=True)
    stop = traitlets.Any(None, allow_none=True).tag(sync=True)
    step = traitlets.Any(None, allow_none=True).tag(sync=True)
    value = traitlets.Any(0).tag(sync=True)

    def __init__(
        self,
        start: float | None = None,
        stop: float | None = None,
        step: float | None = None,
        value: float | None = None,
        *,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        for name, number in (("start", start), ("stop", stop), ("step", step), ("value", value)):
            if number is not None:
                self._number(name, number)
        if start is not None and stop is not None and not start <= stop:
            raise self.error("start", f"must not exceed stop (got start={start}, stop={stop})")
        if step is not None and not step > 0:
            raise self.error("step", f"must be positive (got {step})")
        # Ints when every number given is an int; ui.number() alone takes any number.
        given = [v for v in (start, stop, step, value) if v is not None]
        integer = bool(given) and _all_ints(*given)
        if value is None:
            value = start if start is not None else max(0, stop) if stop is not None else 0
            value = min(value, stop) if stop is not None else value
        super().__init__(
            integer=integer,
            start=start,
            stop=stop,
            step=step,
            value=value,
            label=label,
            **kwargs,
        )

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> int | float:
        value = self._number("value", proposal["value"])
        if (self.start is not None and value < self.start) or (
            self.stop is not None and value > self.stop
        ):
            raise self.error("value", f"{value!r} is outside [{self.start}, {self.stop}]")
        if self.integer and not float(value).is_integer():
            raise self.error("value", f"must be an integer (start, stop, step are), not {value!r}")
        return self._cast(value)

    def from_frontend(self, key: str, raw: Any) -> Any:
        value = self._frontend_number(raw)
        if self.start is not None:
            value = max(value, self.start)
        if self.stop is not None:
            value = min(value, self.stop)
        return value
