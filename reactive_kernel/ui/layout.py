"""Layout helpers: ``hstack``, ``vstack``, ``tabs``, ``accordion``, ``callout``, ``md``.

All return widgets, so they nest and can be the last expression of a cell. They are ipywidgets
containers (rendered natively by JupyterLab) except ``callout``, a small anywidget. Items that are
not widgets are shown through their rich display: a string as Markdown, anything else as its
``_repr_html_`` or ``repr``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import anywidget
import ipywidgets
import traitlets

from reactive_kernel.ui.base import WidgetTypeError, WidgetValueError, module, stylesheet

CALLOUT_KINDS = ("info", "success", "warn", "danger")


def _markdown(text: str) -> ipywidgets.Output:
    """An Output widget holding one Markdown display (JupyterLab renders it)."""
    out = ipywidgets.Output()
    out.outputs = (
        {
            "output_type": "display_data",
            "data": {"text/markdown": text, "text/plain": text},
            "metadata": {},
        },
    )
    return out


def _display(obj: object) -> ipywidgets.Output:
    data: dict[str, str] = {"text/plain": repr(obj)}
    repr_html = getattr(obj, "_repr_html_", None)
    if callable(repr_html):
        rendered = repr_html()
        if isinstance(rendered, str):
            data["text/html"] = rendered
    out = ipywidgets.Output()
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
    return out


def as_widget(item: object) -> ipywidgets.Widget:
    """A widget as is, a string as Markdown, anything else through its HTML or plain repr."""
    if isinstance(item, ipywidgets.Widget):
        return item
    if isinstance(item, str):
        return _markdown(item)
    return _display(item)


def hstack(*items: object, align: str = "center", wrap: bool = True) -> Any:
    """Items side by side (``align``: a CSS ``align-items``), wrapping when the row is full.

    The gap between items comes from the ``rk-Stack`` class in the ui stylesheet (ipywidgets'
    ``Layout`` has no ``gap``), which any ``ui`` widget on the page loads.
    """
    layout = ipywidgets.Layout(align_items=align, flex_flow="row wrap" if wrap else "row nowrap")
    box = ipywidgets.HBox([as_widget(i) for i in items], layout=layout)
    box.add_class("rk-Stack")
    return box


def vstack(*items: object) -> Any:
    """Items one under the other (gap: see ``hstack``)."""
    box = ipywidgets.VBox([as_widget(i) for i in items])
    box.add_class("rk-Stack")
    return box


def _titled(kind: str, items: Mapping[str, object]) -> tuple[list[str], list[ipywidgets.Widget]]:
    if not isinstance(items, Mapping):
        raise WidgetTypeError(f"ui.{kind}: items must be a dict of title: content, not {items!r}")
    if not items:
        raise WidgetValueError(f"ui.{kind}: items must not be empty")
    return [str(t) for t in items], [as_widget(v) for v in items.values()]


def tabs(items: Mapping[str, object], *, selected: int = 0) -> Any:
    """``ui.tabs({"Plot": fig, "Data": table})``: one tab per item."""
    titles, children = _titled("tabs", items)
    return ipywidgets.Tab(children=children, titles=titles, selected_index=selected)


def accordion(items: Mapping[str, object], *, open_index: int | None = None) -> Any:
    """``ui.accordion({"Details": text})``: collapsible sections, closed unless ``open_index``."""
    titles, children = _titled("accordion", items)
    return ipywidgets.Accordion(children=children, titles=titles, selected_index=open_index)


class Callout(anywidget.AnyWidget):
    """A coloured note: ``kind`` is info, success, warn or danger; ``text``, or trusted ``html``."""

    _esm = module("callout")
    _css = stylesheet()
    kind = traitlets.Unicode("info").tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    html = traitlets.Unicode("").tag(sync=True)


def callout(text: str = "", kind: str = "info", *, html: str = "") -> Callout:
    """``ui.callout("Sampling is slow", kind="warn")``. ``html`` (trusted: your own markup)
    replaces ``text`` when given."""
    if kind not in CALLOUT_KINDS:
        kinds = ", ".join(CALLOUT_KINDS)
        raise WidgetValueError(f"ui.callout: kind must be one of {kinds}, not {kind!r}")
    if not isinstance(text, str) or not isinstance(html, str):
        raise WidgetTypeError("ui.callout: text and html must be strings")
    return Callout(kind=kind, text=text, html=html)


def md(template: str, /, *args: object, **values: object) -> Any:
    """Markdown with ``{placeholders}`` filled like ``str.format``.

    A placeholder that names a widget (``{n}`` with ``n=slider``) puts the widget itself there,
    between the Markdown before and after it; any other placeholder is formatted as text
    (``{n.value:.2f}``, ``{count}``). Returns one Output widget, or a ``VBox`` of parts.
    """
    if not isinstance(template, str):
        raise WidgetTypeError(f"ui.md: the template must be a str, not {type(template).__name__}")
    formatter = string.Formatter()
    parts: list[ipywidgets.Widget] = []
    text: list[str] = []
    for literal, field, spec, conversion in formatter.parse(template):
        text.append(literal)
        if field is None:
            continue
        try:
            obj, _key = formatter.get_field(field, args, values)
        except (KeyError, IndexError, AttributeError) as error:
            raise WidgetValueError(f"ui.md: no value for the placeholder {{{field}}}") from error
        if isinstance(obj, ipywidgets.Widget) and not spec and not conversion:
            if "".join(text).strip():
                parts.append(_markdown("".join(text)))
            text = []
            parts.append(obj)
        else:
            shown = formatter.convert_field(obj, conversion)
            text.append(formatter.format_field(shown, spec or ""))
    if "".join(text).strip() or not parts:
        parts.append(_markdown("".join(text)))
    return parts[0] if len(parts) == 1 else ipywidgets.VBox(parts)
