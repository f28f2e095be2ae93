"""On/off and click widgets: ``checkbox``, ``switch``, ``button``."""

from __future__ import annotations

from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module


class Checkbox(ValueWidget):
    """``ui.checkbox(value=False, label="")``: a bool."""

    ui_name = "ui.checkbox"
    _esm = module("checkbox")

    value = traitlets.Bool(False).tag(sync=True)
    appearance = traitlets.Unicode("checkbox").tag(sync=True)

    def __init__(self, value: bool = False, *, label: str = "", **kwargs: Any) -> None:
        self._check_bool(value)
        super().__init__(value=value, label=label, **kwargs)

    def _check_bool(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.type_error("value", f"must be True or False, not {value!r}")
        return value

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> bool:
        return self._check_bool(proposal["value"])

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, bool):
            raise FrontendValueError(f"not a bool: {raw!r}")
        return raw


class Switch(Checkbox):
    """``ui.switch(value=False, label="")``: a bool, drawn as a toggle switch."""

    ui_name = "ui.switch"

    def __init__(self, value: bool = False, *, label: str = "", **kwargs: Any) -> None:
        super().__init__(value, label=label, appearance="switch", **kwargs)


BUTTON_KINDS = ("neutral", "primary", "danger")


class Button(ValueWidget):
    """``ui.button(label="Click", kind="neutral")``: ``value`` counts the clicks, from 0.

    A cell that reads the button re-runs on each click (``value`` changes); its label is shown on
    the button rather than above it.
    """

    ui_name = "ui.button"
    _esm = module("button")

    value = traitlets.Int(0).tag(sync=True)
    kind = traitlets.Unicode("neutral").tag(sync=True)

    def __init__(
        self, label: str = "Click", *, kind: str = "neutral", value: int = 0, **kwargs: Any
    ) -> None:
        if kind not in BUTTON_KINDS:
            raise self.error("kind", f"must be one of {', '.join(BUTTON_KINDS)}, not {kind!r}")
        if not isinstance(label, str):
            raise self.type_error("label", f"must be a str, not {type(label).__name__}")
        super().__init__(label=label, value=value, kind=kind, **kwargs)

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error("value", f"must be a click count (an int >= 0), not {value!r}")
        return value

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raise FrontendValueError(f"not a click count: {raw!r}")
        return raw
