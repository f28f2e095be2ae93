"""Text widgets: ``text`` (one line) and ``text_area`` (several lines)."""

from __future__ import annotations

from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module


class Text(ValueWidget):
    """``ui.text(value="", placeholder="", max_length=None, continuous=False)``: a string.

    The browser sends the value on change (Enter or leaving the field), or with
    ``continuous=True`` also while typing (at most every 300 ms). A longer value than
    ``max_length`` raises from Python and is cut from the browser.
    """

    ui_name = "ui.text"
    _esm = module("text")

    value = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    max_length = traitlets.Int(None, allow_none=True).tag(sync=True)
    continuous = traitlets.Bool(False).tag(sync=True)
    multiline = traitlets.Bool(False).tag(sync=True)
    rows = traitlets.Int(4).tag(sync=True)

    def __init__(
        self,
        value: str = "",
        *,
        label: str = "",
        placeholder: str = "",
        max_length: int | None = None,
        continuous: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(value, str):
            raise self.type_error("value", f"must be a str, not {type(value).__name__}")
        if max_length is not None and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 0
        ):
            raise self.error("max_length", f"must be an int >= 0 or None, not {max_length!r}")
        super().__init__(
            value=value,
            label=label,
            placeholder=placeholder,
            max_length=max_length,
            continuous=continuous,
            **kwargs,
        )

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if not isinstance(value, str):
            raise self.type_error("value", f"must be a str, not {type(value).__name__}")
        if self.max_length is not None and len(value) > self.max_length:
            limit = self.max_length
            raise self.error("value", f"is {len(value)} characters, over max_length={limit}")
        return value

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, str):
            raise FrontendValueError(f"not a string: {raw!r}")
        return raw if self.max_length is None else raw[: self.max_length]


class TextArea(Text):
    """``ui.text_area(value="", rows=4, ...)``: like ``ui.text``, over several lines."""

    ui_name = "ui.text_area"

    def __init__(self, value: str = "", *, rows: int = 4, **kwargs: Any) -> None:
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 1:
            raise self.error("rows", f"must be a positive int, not {rows!r}")
        super().__init__(value, multiline=True, rows=rows, **kwargs)
