"""``from reactive_kernel import ui``: widgets for reactive notebooks.

Assign a widget to a global in one cell and read ``.value`` in others: when the value changes in
the browser, the reactive kernel re-runs the reading cells (not the defining one, which would make
a new widget). See docs/widgets.md.

Each name below is a class (lower case, so ``ui.slider(0, 10)`` reads like a function call and
``isinstance(x, ui.slider)`` works). Importing this package imports anywidget and ipywidgets; the
rest of ``reactive_kernel`` does not import it.
"""

from reactive_kernel.ui.base import (
    FrontendValueError,
    ValueWidget,
    WidgetTypeError,
    WidgetValueError,
)
from reactive_kernel.ui.choice import Dropdown, Multiselect, Radio
from reactive_kernel.ui.date import Date
from reactive_kernel.ui.form import Form
from reactive_kernel.ui.layout import Callout, accordion, callout, hstack, md, tabs, vstack
from reactive_kernel.ui.numeric import Number, RangeSlider, Slider
from reactive_kernel.ui.table import Table
from reactive_kernel.ui.text import Text, TextArea
from reactive_kernel.ui.toggle import Button, Checkbox, Switch
from reactive_kernel.ui.upload import FileUpload, UploadedFile

slider = Slider
range_slider = RangeSlider
number = Number
text = Text
text_area = TextArea
checkbox = Checkbox
switch = Switch
button = Button
dropdown = Dropdown
radio = Radio
multiselect = Multiselect
date = Date
file_upload = FileUpload
table = Table
form = Form

__all__ = [
    "Button",
    "Callout",
    "Checkbox",
    "Date",
    "Dropdown",
    "FileUpload",
    "Form",
    "FrontendValueError",
    "Multiselect",
    "Number",
    "Radio",
    "RangeSlider",
    "Slider",
    "Switch",
    "Table",
    "Text",
    "TextArea",
    "UploadedFile",
    "ValueWidget",
    "WidgetTypeError",
    "WidgetValueError",
    "accordion",
    "button",
    "callout",
    "checkbox",
    "date",
    "dropdown",
    "file_upload",
    "form",
    "hstack",
    "md",
    "multiselect",
    "number",
    "radio",
    "range_slider",
    "slider",
    "switch",
    "table",
    "tabs",
    "text",
    "text_area",
    "vstack",
]
