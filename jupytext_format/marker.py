"""Cell marker lines: ``# %%``, ``# %% [markdown]``, ``# %% [raw]``, with an optional title and
``key=value`` cell metadata (values in JSON), as jupytext reads them::

    # %% Load the data [markdown] tags=["setup"]

Writing is canonical (title, then cell type, then keys sorted, JSON with sorted keys); reading also
accepts jupytext's spellings (``#%%``, ``[md]``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from jupytext_format.errors import FormatError

MARKER = re.compile(r"#[ \t]*%%(?=[ \t]|$)")
"""A cell marker line starts with this (at column 0)."""
_KIND = re.compile(r"\[(markdown|md|raw)\]")
_KEY = re.compile(r"([A-Za-z_][\w.-]*)=")
IPYTHON_FLAG = "ipython"
"""Marker option of a code cell stored entirely as comments (IPython-only syntax)."""
METADATA_OPTION = "metadata"
"""Marker option holding, as one JSON object, the cell metadata whose keys cannot be written as
``key=value`` (``application/vnd.x+json``, ``my key``) or are the format's own option names."""
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w.-]*")
_RESERVED = frozenset({IPYTHON_FLAG, METADATA_OPTION})
_KINDS = {"markdown": "markdown", "md": "markdown", "raw": "raw"}


@dataclass
class Marker:
    kind: str = "code"
    title: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    commented: bool = False
    """A code cell whose every line is stored as a comment (``ipython=true``)."""


def is_marker(line: str) -> bool:
    return MARKER.match(line) is not None


def parse_marker(line: str, number: int) -> Marker:
    """The marker on ``line`` (1-based ``number`` for errors)."""
    match = MARKER.match(line)
    if match is None:
        raise FormatError("not a cell marker", number)
    rest = line[match.end() :].strip()
    marker = Marker()
    title: list[str] = []
    position = 0
    decoder = json.JSONDecoder()
    while position < len(rest):
        if rest[position].isspace():
            position += 1
            continue
        kind = _KIND.match(rest, position)
        if kind is not None:
            marker.kind = _KINDS[kind.group(1)]
            position = kind.end()
            continue
        key = _KEY.match(rest, position)
        if key is not None:
            try:
                value, position = decoder.raw_decode(rest, key.end())
            except json.JSONDecodeError as error:
                raise FormatError(
                    f"cell option `{key.group(1)}` needs a JSON value ({error.msg})", number
                ) from None
            if key.group(1) == IPYTHON_FLAG:
                marker.commented = value is True
            elif key.group(1) == METADATA_OPTION and isinstance(value, dict):
                marker.metadata.update(value)
            else:
                marker.metadata[key.group(1)] = value
            continue
        end = rest.find(" ", position)
        end = len(rest) if end < 0 else end
        title.append(rest[position:end])
        position = end
    marker.title = " ".join(title)
    return marker


def write_marker(marker: Marker) -> str:
    parts = ["# %%"]
    if marker.title:
        parts.append(marker.title)
    if marker.kind != "code":
        parts.append(f"[{marker.kind}]")
    if marker.commented:
        parts.append(f"{IPYTHON_FLAG}=true")
    other = {}
    for key in sorted(marker.metadata):
        if _PLAIN_KEY.fullmatch(key) and key not in _RESERVED:
            parts.append(f"{key}={_json(marker.metadata[key])}")
        else:
            other[key] = marker.metadata[key]
    if other:
        parts.append(f"{METADATA_OPTION}={_json(other)}")
    return " ".join(parts)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
