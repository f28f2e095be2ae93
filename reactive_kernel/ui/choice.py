"""Choice widgets: ``dropdown``, ``radio`` (one option) and ``multiselect`` (several).

``options`` is a sequence of strings, or a mapping from labels (strings) to any Python values.
``value`` holds the option's value (for a sequence, the string itself); on the wire it is the
label, so options need not be JSON (``ui.dropdown({"mean": np.mean, "median": np.median})``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module

_MISSING = object()


def _label_of(value: object, widget: _Choice) -> str | None:
    """``to_json`` of a single value: the label of the option equal to it."""
    return None if value is None else widget.label_of(value)


def _labels_of(values: list[object], widget: _Choice) -> list[str]:
    return [widget.label_of(v) for v in values]


def _value_of(label: str | None, widget: _Choice) -> object:
    """``from_json``: ``from_frontend`` already checked the label."""
    return None if label is None else widget.choices[label]


def _values_of(labels: list[str], widget: _Choice) -> list[object]:
    return [widget.choices[label] for label in labels]


def _no_none_shortcut(trait: traitlets.Any) -> traitlets.Any:
    """``trait`` with ``allow_none`` False, so None reaches the validator (which knows whether this
    dropdown allows it): traitlets accepts None unasked when it is True, as it is for ``Any``,
    whose constructor can only set it to True."""
    trait.allow_none = False
    return trait


class _Choice(ValueWidget):
    """Options as ``label -> value`` (``choices``), and conversions between labels and values."""

    options = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def _read_options(self, options: object) -> dict[str, object]:
        if isinstance(options, Mapping):
            choices = dict(options)
            bad = [k for k in choices if not isinstance(k, str)]
            if bad:
                raise self.type_error("options", f"labels must be strings, not {bad[0]!r}")
        elif isinstance(options, Sequence) and not isinstance(options, str | bytes):
            bad = [o for o in options if not isinstance(o, str)]
            if bad:
                raise self.type_error(
                    "options",
                    f"must be strings (or a dict of label: value), not {bad[0]!r}",
                )
            choices = {o: o for o in options}
            if len(choices) != len(options):
                raise self.error("options", "has duplicate labels")
        else:
            raise self.type_error(
                "options", f"must be a list of strings or a dict, not {type(options).__name__}"
            )
        if not choices:
            raise self.error("options", "must not be empty")
        return choices

    @property
    def choices(self) -> dict[str, object]:
        """Each option's label and value, in order."""
        return self._choices

    def set_options(self, options: Sequence[str] | Mapping[str, object]) -> None:
        """Replace the options; the value must still be one of them, else it is reset."""
        self._choices = self._read_options(options)
        with self.hold_trait_notifications():
            self.options = list(self._choices)
            self.reset_value()

    def reset_value(self) -> None:
        raise NotImplementedError

    def label_of(self, value: object, argument: str = "value") -> str:
        for label, option in self._choices.items():
            if option is value:
                return label
        for label, option in self._choices.items():
            try:
                if bool(option == value):
                    return label
            except Exception:  # an array compared with ==: not this option
                continue
        shown = ", ".join(list(self._choices)[:5])
        more = ", ..." if len(self._choices) > 5 else ""
        raise self.error(argument, f"{value!r} is not one of the options ({shown}{more})")

    def _frontend_label(self, raw: object) -> str:
        if not isinstance(raw, str) or raw not in self._choices:
            raise FrontendValueError(f"not one of the options: {raw!r}")
        return raw


class Dropdown(_Choice):
    """``ui.dropdown(options, value=None, label="")``: one of the options; defaults to the first.

    With ``allow_none=True`` the default is None (nothing chosen yet).
    """

    ui_name = "ui.dropdown"
    _esm = module("dropdown")

    value = _no_none_shortcut(
        traitlets.Any(None).tag(sync=True, to_json=_label_of, from_json=_value_of)
    )

    def __init__(
        self,
        options: Sequence[str] | Mapping[str, object],
        value: object = None,
        *,
        label: str = "",
        allow_none: bool = False,
        **kwargs: Any,
    ) -> None:
        self._allow_none = allow_none
        self._choices = self._read_options(options)
        if value is None and not allow_none:
            value = next(iter(self._choices.values()))
        if value is not None:
            self.label_of(value)
        super().__init__(options=list(self._choices), value=value, label=label, **kwargs)

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> object:
        value = proposal["value"]
        if value is None and self._allow_none:
            return None
        self.label_of(value)
        return value

    def reset_value(self) -> None:
        try:
            self.label_of(self.value)
        except ValueError:
            self.value = None if self._allow_none else next(iter(self._choices.values()))

    def from_frontend(self, key: str, raw: Any) -> Any:
        if raw is None and self._allow_none:
            return None
        return self._frontend_label(raw)


class Radio(Dropdown):
    """``ui.radio(options, value=None, label="")``: one of the options as radio buttons."""

    ui_name = "ui.radio"
    _esm = module("choices")
    multiple = traitlets.Bool(False).tag(sync=True)


class Multiselect(_Choice):
    """``ui.multiselect(options, value=None, label="")``: a list of options (default ``[]``),
    in the order of the options, as a list of checkboxes."""

    ui_name = "ui.multiselect"
    _esm = module("choices")

    value = traitlets.List(traitlets.Any()).tag(sync=True, to_json=_labels_of, from_json=_values_of)
    multiple = traitlets.Bool(True).tag(sync=True)

    def __init__(
        self,
        options: Sequence[str] | Mapping[str, object],
        value: Sequence[object] | None = None,
        *,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        self._choices = self._read_options(options)
        super().__init__(
            options=list(self._choices),
            value=self._ordered([] if value is None else value),
            label=label,
            **kwargs,
        )

    def _ordered(self, values: object) -> list[object]:
        if not isinstance(values, list | tuple | set | frozenset):
            raise self.type_error("value", f"must be a list of options, not {values!r}")
        labels = {self.label_of(v) for v in values}
        return [self._choices[label] for label in self._choices if label in labels]

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> list[object]:
        return self._ordered(proposal["value"])

    def reset_value(self) -> None:
        kept = []
        for v in self.value:
            try:
                kept.append(self._choices[self.label_of(v)])
            except ValueError:
                continue
        self.value = kept

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, list):
            raise FrontendValueError(f"not a list of options: {raw!r}")
        chosen = {label for label in raw if isinstance(label, str) and label in self._choices}
        # Unknown labels are dropped (logged by the base when the value changed).
        return [label for label in self._choices if label in chosen]
