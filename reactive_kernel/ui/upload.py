"""``ui.file_upload``: files chosen or dropped in the browser, with their bytes.

The contents travel as binary buffers of the widget's comm messages (ipywidgets takes ``bytes``
and ``memoryview`` values out of the JSON state and sends them as message buffers; the browser
sends ``ArrayBuffer``s the same way): no base64, no size blow-up. The browser's own copy of the
value is not echoed back (``echo_update=False``), so a file crosses the wire once.
"""

from __future__ import annotations

from typing import Any, TypedDict, cast

import traitlets

from reactive_kernel.ui.base import FrontendValueError, ValueWidget, module


class UploadedFile(TypedDict):
    name: str
    type: str
    size: int
    content: bytes


class FileUpload(ValueWidget):
    """``ui.file_upload(accept="", multiple=False, max_size=None, label="")``.

    ``value`` is a list of ``{"name", "type", "size", "content"}`` dicts, ``content`` being
    ``bytes``; empty until the user chooses files. ``accept`` is the HTML attribute
    (``".csv,image/*"``). Files over ``max_size`` bytes are refused from the browser (logged).
    Set ``value = []`` from Python to clear it.
    """

    ui_name = "ui.file_upload"
    _esm = module("file_upload")

    value = traitlets.List(traitlets.Any()).tag(sync=True, echo_update=False)
    accept = traitlets.Unicode("").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    max_size = traitlets.Int(None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        accept: str = "",
        *,
        multiple: bool = False,
        max_size: int | None = None,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        if not isinstance(accept, str):
            raise self.type_error("accept", f"must be a str such as '.csv', not {accept!r}")
        if max_size is not None and (not isinstance(max_size, int) or max_size <= 0):
            raise self.error("max_size", f"must be a positive number of bytes, not {max_size!r}")
        super().__init__(accept=accept, multiple=multiple, max_size=max_size, label=label, **kwargs)

    def _file(self, item: object) -> UploadedFile:
        if not isinstance(item, dict):
            raise self.type_error("value", f"items must be dicts, not {type(item).__name__}")
        name, content = item.get("name"), item.get("content")
        if not isinstance(name, str):
            raise self.type_error("value", f"a file's name must be a str, not {name!r}")
        if not isinstance(content, bytes | bytearray | memoryview):
            raise self.type_error(
                "value", f"the content of {name!r} must be bytes, not {type(content).__name__}"
            )
        data = bytes(content)
        kind = item.get("type") or ""
        return {"name": name, "type": str(kind), "size": len(data), "content": data}

    @traitlets.validate("value")
    def _check_value(self, proposal: dict[str, Any]) -> list[UploadedFile]:
        value = proposal["value"]
        if not isinstance(value, list | tuple):
            raise self.type_error("value", f"must be a list of files, not {type(value).__name__}")
        return [self._file(item) for item in value]

    def from_frontend(self, key: str, raw: Any) -> Any:
        if not isinstance(raw, list):
            raise FrontendValueError(f"not a list of files: {type(raw).__name__}")
        if not self.multiple and len(raw) > 1:
            raise FrontendValueError(f"{len(raw)} files for a single-file upload")
        for item in raw:
            try:
                file = self._file(item)
            except (TypeError, ValueError) as error:
                raise FrontendValueError(str(error)) from None
            if self.max_size is not None and file["size"] > self.max_size:
                raise FrontendValueError(
                    f"{file['name']} is {file['size']} bytes, over max_size={self.max_size}"
                )
        return raw  # accepted as sent; the validator turns memoryviews into bytes

    def contents(self) -> list[bytes]:
        """The bytes of each file, in order."""
        files = cast("list[UploadedFile]", self.value)
        return [file["content"] for file in files]
