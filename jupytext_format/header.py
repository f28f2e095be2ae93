"""The notebook header: a commented YAML block, as jupytext writes it, kept to what is needed.

    # ---
    # jupyter:
    #   kernelspec:
    #     display_name: Python 3 (reactive)
    #     language: python
    #     name: reactive
    #   reactive:
    #     format: 1
    # ---

Only ``kernelspec`` and ``reactive`` are stored: no outputs, no tool versions, nothing that changes
when nothing was edited. ``reactive.format`` marks the file as a reactive notebook and gives the
format version; ``reactive.display_order`` appears only when the cells are stored in another order
than they are shown (see :mod:`jupytext_format.order`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from jupytext_format.errors import FormatError

FENCE = "# ---"
FORMAT_VERSION = 1
DEFAULT_KERNELSPEC = {
    "display_name": "Python 3 (reactive)",
    "language": "python",
    "name": "reactive",
}


@dataclass(frozen=True)
class Header:
    metadata: dict[str, Any]
    """The notebook metadata the header holds (``kernelspec``, ``reactive``)."""
    lines: int
    """How many lines of the file it spans, including the blank line after it."""


def read_header(lines: list[str]) -> Header:
    """The header at the top of ``lines``; an empty one when the file does not start with one."""
    if not lines or lines[0].rstrip() != FENCE:
        return Header(metadata={}, lines=0)
    for end in range(1, len(lines)):
        if lines[end].rstrip() == FENCE:
            break
    else:
        raise FormatError("the header (`# ---`) is never closed by another `# ---` line", 1)
    yaml_text = "\n".join(_uncomment(line, number + 2) for number, line in enumerate(lines[1:end]))
    try:
        data = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise FormatError(f"the header is not valid YAML: {problem}", where) from None
    if not isinstance(data, dict):
        raise FormatError("the header must be a YAML mapping with a `jupyter:` key", 2)
    metadata = data.get("jupyter", {})
    if not isinstance(metadata, dict):
        raise FormatError("the header's `jupyter:` entry must be a mapping", 2)
    version = (
        metadata.get("reactive", {}).get("format")
        if isinstance(metadata.get("reactive"), dict)
        else None
    )
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise FormatError(
            f"this notebook is in format {version}, newer than this reactive-kernel reads "
            f"(format {FORMAT_VERSION}): upgrade reactive-kernel to open it",
            2,
        )
    consumed = end + 1
    if consumed < len(lines) and not lines[consumed].strip():
        consumed += 1
    return Header(metadata=metadata, lines=consumed)


def _uncomment(line: str, number: int) -> str:
    if line.startswith("# "):
        return line[2:]
    if line.rstrip() == "#":
        return ""
    raise FormatError("every header line must start with `# `", number)


def header_metadata(notebook_metadata: dict[str, Any]) -> dict[str, Any]:
    """The notebook metadata as the header stores it: ``kernelspec`` and ``reactive`` (with
    ``reactive.format`` set); every other key is volatile or tool state."""
    kernelspec = notebook_metadata.get("kernelspec") or DEFAULT_KERNELSPEC
    reactive = dict(notebook_metadata.get("reactive") or {})
    reactive["format"] = FORMAT_VERSION
    return {"kernelspec": dict(kernelspec), "reactive": reactive}


def write_header(metadata: dict[str, Any]) -> list[str]:
    """The header lines (with the blank line after them) for the given header metadata."""
    document = {"jupyter": metadata}
    body = _dump(document, allow_unicode=True)
    if any(breaker in body for breaker in _YAML_LINE_BREAKS):
        body = _dump(document, allow_unicode=False)  # escaped, or YAML would fold them

    lines = body.rstrip("\n").split("\n")  # not splitlines(): U+2028 may sit inside a value
    return [FENCE, *(f"# {line}" if line else "#" for line in lines), FENCE, ""]


_YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML reads as line breaks inside a plain or single-quoted value."""


def _dump(document: dict[str, Any], allow_unicode: bool) -> str:
    return str(
        yaml.safe_dump(
            document,
            sort_keys=True,
            default_flow_style=False,
            allow_unicode=allow_unicode,
            width=1 << 30,
        )
    )


def is_reactive_metadata(metadata: dict[str, Any]) -> bool:
    """Whether header metadata marks a reactive notebook (it has a ``reactive`` mapping)."""
    return isinstance(metadata.get("reactive"), dict)
