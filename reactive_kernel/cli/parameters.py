"""Notebook parameters for ``run`` and ``export``, injected the way papermill injects them.

``-p NAME VALUE`` values are read like papermill reads them: a Python literal when
:func:`ast.literal_eval` accepts the text (``5``, ``0.5``, ``[1, 2]``, ``None``), otherwise the
string itself. A ``--parameters-file`` (YAML or JSON, one mapping) gives values that ``-p``
overrides.

The values become one code cell, tagged ``injected-parameters``, placed right after the first code
cell tagged ``parameters`` (or first in the notebook when there is none). In a reactive notebook
two cells that assign a name are two *versions* of it, and a cell reads the version just above it
(docs/reactivity.md), so every cell below the injected cell reads the injected values, as
papermill's top-to-bottom run does. A cell injected by an earlier run is replaced.
"""

from __future__ import annotations

import ast
import json
import keyword
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reactive_kernel.cli.notebooks import Notebook, NotebookCell

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


class ParameterError(ValueError):
    """A parameter name or file that cannot be used; ``str()`` is a message for the user."""


@dataclass(frozen=True)
class Injection:
    """The injected-parameters cell: its id and the names it assigns."""

    cell_id: str
    names: tuple[str, ...]


def parse_value(text: str) -> Any:
    """``text`` as a Python literal when it is one, else the string (papermill's ``-p`` rule)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def collect(pairs: list[list[str]] | None, file: Path | None) -> dict[str, Any]:
    """The parameters of ``--parameters-file`` then ``-p`` pairs (later ones win), names checked."""
    values: dict[str, Any] = _read_file(file) if file is not None else {}
    for name, text in pairs or []:
        values[name] = parse_value(text)
    for name in values:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ParameterError(f"parameter {name!r} is not a Python variable name")
    return values


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ParameterError(f"{path}: cannot read the parameters file: {error}") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as error:  # json.JSONDecodeError, yaml.YAMLError
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise ParameterError(f"{path}: not valid {kind}: {error}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: the parameters file must hold one mapping of names")
    return data


def source(parameters: dict[str, Any]) -> str:
    """The injected cell's code: one assignment per parameter, as papermill writes them."""
    return "\n".join(
        ["# Parameters", *(f"{name} = {value!r}" for name, value in parameters.items())]
    )


def inject(notebook: Notebook, parameters: dict[str, Any]) -> tuple[Notebook, Injection]:
    """``notebook`` with the injected-parameters cell in place, and that cell."""
    document = dict(notebook.document)
    pairs = [
        (cell, raw)
        for cell, raw in zip(notebook.cells, document["cells"], strict=True)
        if INJECTED_TAG not in _tags(raw)
    ]
    at = next(
        (
            index + 1
            for index, (cell, raw) in enumerate(pairs)
            if cell.kind == "code" and PARAMETERS_TAG in _tags(raw)
        ),
        0,
    )
    taken = {cell.id for cell, _ in pairs}
    cell_id, n = INJECTED_TAG, 1
    while cell_id in taken:
        cell_id, n = f"{INJECTED_TAG}-{n}", n + 1
    code = source(parameters)
    raw_cell: dict[str, Any] = {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"tags": [INJECTED_TAG]},
        "source": code,
        "outputs": [],
        "execution_count": None,
    }
    pairs.insert(at, (NotebookCell(kind="code", source=code, id=cell_id), raw_cell))
    document["cells"] = [raw for _, raw in pairs]
    cells = tuple(cell for cell, _ in pairs)
    return replace(notebook, cells=cells, document=document), Injection(cell_id, tuple(parameters))


def unused(graph: dict[str, Any], injection: Injection) -> list[str]:
    """The parameters no cell reads from the injected cell, according to a ``graph_snapshot``."""
    read = {
        name
        for record in graph["cells"]
        for name, producer in record["bindings"].items()
        if producer == injection.cell_id
    }
    return [name for name in injection.names if name not in read]


def _tags(raw: dict[str, Any]) -> list[str]:
    tags = raw.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []
