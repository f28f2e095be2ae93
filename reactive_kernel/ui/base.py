"""The base of every ``reactive_kernel.ui`` widget: a synced ``value``, a ``label``, checked values.

``ValueWidget`` is an ``anywidget.AnyWidget`` whose front end is a small hand-written ES module
(``static/*.mjs``, plain DOM, no build step, no imports: the notebook may have no internet) after a
shared prelude (``static/prelude.mjs``), styled by ``static/theme.css`` with JupyterLab's CSS
variables so it follows the light and dark themes.

Values are checked twice, differently:

- from Python (the constructor, ``w.value = ...`` in a cell), a bad value raises
  ``WidgetValueError`` or ``WidgetTypeError`` (both also ``traitlets.TraitError``, so traitlets
  rolls a held change back) naming the widget and the argument;
- from the browser (``set_state``, inside the widget's ``comm_msg``), a bad value never raises:
  ``from_frontend`` clamps or repairs it, or rejects it with a logged warning, and the front end is
  sent the kernel's value back, so both sides agree again. Only the keys in ``frontend_keys`` may
  come from the browser at all.

The reactive kernel observes ``value`` (``reactive_kernel.kernel.widgets``); nothing here knows
about it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets

log = logging.getLogger("reactive_kernel.ui")

STATIC = Path(__file__).parent / "static"


class WidgetValueError(traitlets.TraitError, ValueError):
    """A widget argument or value that has the right type but is not allowed."""


class WidgetTypeError(traitlets.TraitError, TypeError):
    """A widget argument or value of the wrong type."""


class FrontendValueError(ValueError):
    """Raised by ``from_frontend``: the browser sent a value that cannot be repaired."""


@cache
def module(name: str) -> str:
    """The ES module of a widget: the shared prelude, then ``static/<name>.mjs``."""
    prelude = (STATIC / "prelude.mjs").read_text(encoding="utf-8")
    return prelude + "\n" + (STATIC / f"{name}.mjs").read_text(encoding="utf-8")


@cache
def stylesheet() -> str:
    return (STATIC / "theme.css").read_text(encoding="utf-8")


def is_number(value: object) -> bool:
    """An int or float, but not a bool (``True`` is an ``int`` to Python, not to a slider)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


class ValueWidget(anywidget.AnyWidget):
    """A widget with a ``value`` the browser changes and the kernel checks.

    Responsibilities: the ``label`` and ``disabled`` traits every widget has; the name used in
    error messages (``ui_name``); ``set_state`` that lets only ``frontend_keys`` in, repaired by
    ``from_frontend``, and re-syncs the browser when its value was changed or refused.
    Subclasses set ``_esm`` with ``module(...)`` and check ``value`` with ``@traitlets.validate``.
    """

    ui_name: ClassVar[str] = "ui.widget"
    frontend_keys: ClassVar[frozenset[str]] = frozenset({"value"})

    label = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    _css = stylesheet()

    def error(self, argument: str, message: str) -> WidgetValueError:
        return WidgetValueError(f"{self.ui_name}: {argument} {message}")

    def type_error(self, argument: str, message: str) -> WidgetTypeError:
        return WidgetTypeError(f"{self.ui_name}: {argument} {message}")

    def from_frontend(self, key: str, raw: Any) -> Any:
        """The JSON value the browser sent for ``key``, repaired (clamped); raise
        ``FrontendValueError`` to refuse it. The default accepts it as is."""
        return raw

    def set_state(self, sync_data: Mapping[str, Any]) -> None:
        """Called by ipywidgets with the state the browser sent (a ``comm_msg`` ``update``)."""
        accepted: dict[str, Any] = {}
        resync: set[str] = set()
        for key, raw in sync_data.items():
            if key not in self.frontend_keys:
                log.warning("%s: ignored %r from the browser (read-only)", self.ui_name, key)
                resync.add(key)
                continue
            try:
                value = self.from_frontend(key, raw)
            except (FrontendValueError, ValueError, TypeError) as error:
                log.warning("%s: ignored %s=%r from the browser: %s", self.ui_name, key, raw, error)
                resync.add(key)
                continue
            if value is not raw and value != raw:
                log.info("%s: %s=%r from the browser became %r", self.ui_name, key, raw, value)
                resync.add(key)
            accepted[key] = value
        try:
            super().set_state(accepted)
        except traitlets.TraitError as error:  # a check of ours that from_frontend missed
            log.warning("%s: ignored %r from the browser: %s", self.ui_name, accepted, error)
            resync |= set(accepted)
        if resync:
            self.send_state(sorted(k for k in resync if k in self.keys))
