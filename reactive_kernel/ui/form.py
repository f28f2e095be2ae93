"""``ui.form``: several widgets whose values reach the notebook together, on submit.

A form is an ipywidgets ``VBox`` (JupyterLab lays its children out natively) with a ``value``
trait: the dict of its fields' values, replaced only when the user presses the submit button. So
the cells that read the form re-run once per submit, not once per field change; the fields
themselves are usually not globals, so nobody reads them directly.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets
import traitlets

from reactive_kernel.ui.base import WidgetTypeError, WidgetValueError
from reactive_kernel.ui.toggle import Button


def has_value(obj: object) -> bool:
    """A widget with a ``value`` trait (ours, ipywidgets' or any anywidget's)."""
    return isinstance(obj, ipywidgets.Widget) and bool(obj.has_trait("value"))


class Form(ipywidgets.VBox):  # type: ignore[misc]  # ipywidgets has no type hints
    """``ui.form({"name": widget, ...}, label="", submit_label="Submit")``.

    Responsibilities: lay the fields out under an optional title with a submit button; give
    fields without a label their key as label; on submit (a click in the browser, or ``submit()``
    from Python), set ``value`` to ``{key: field.value}``. ``value`` starts as the fields' initial
    values, so readers have something to work with before the first submit; submitting unchanged
    values changes nothing and re-runs nothing.
    """

    value = traitlets.Dict()

    def __init__(
        self,
        fields: Mapping[str, Any],
        *,
        label: str = "",
        submit_label: str = "Submit",
        **kwargs: Any,
    ) -> None:
        if not isinstance(fields, Mapping):
            raise WidgetTypeError(
                f"ui.form: fields must be a dict of name: widget, not {type(fields).__name__}"
            )
        if not fields:
            raise WidgetValueError("ui.form: fields must not be empty")
        for key, field in fields.items():
            if not isinstance(key, str):
                raise WidgetTypeError(f"ui.form: field names must be strings, not {key!r}")
            if not has_value(field):
                raise WidgetTypeError(
                    f"ui.form: fields[{key!r}] must be a widget with a value, "
                    f"not {type(field).__name__}"
                )
        self.fields: dict[str, Any] = dict(fields)
        for key, field in self.fields.items():
            if field.has_trait("label") and not field.label:
                field.label = key
        self.submit_button = Button(submit_label, kind="primary")
        self.submit_button.observe(self._on_click, names="value")
        children: list[Any] = []
        if label:
            children.append(ipywidgets.HTML(f"<strong>{html.escape(label)}</strong>"))
        children.extend(self.fields.values())
        children.append(self.submit_button)
        super().__init__(children=children, value=self.current(), **kwargs)
        self.add_class("rk-Form")

    def current(self) -> dict[str, Any]:
        """The fields' values now (what a submit would make ``value``)."""
        return {key: field.value for key, field in self.fields.items()}

    def submit(self) -> None:
        """Do what the submit button does."""
        self.value = self.current()

    def _on_click(self, _change: dict[str, Any]) -> None:
        self.submit()
