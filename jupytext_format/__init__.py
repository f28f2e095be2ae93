"""Reactive notebooks as pure-Python files: jupytext's percent format with a minimal header, cells
stored in an order that runs as a script (docs/format.md).

Pure: no Jupyter server or kernel imports; the contents manager lives in
:mod:`jupytext_format.contents`.
"""

from jupytext_format.errors import FormatError
from jupytext_format.header import FORMAT_VERSION
from jupytext_format.notebook import is_reactive_text, reads, split_script, writes

__all__ = ["FORMAT_VERSION", "FormatError", "is_reactive_text", "reads", "split_script", "writes"]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupytext_format.server"}]
