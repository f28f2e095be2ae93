"""Notebook parameters for ``run`` and ``export``, injected the way papermill injects them.

``-p NAME VALUE`` values are read like papermill reads them: a Python literal when
:func:`ast.literal_eval` accepts the text (``5``, ``0.5``, ``[1, 2]``, ``None``), otherwise the
string itself. A ``--parameters-file`` (YAML or JSON, one mapping) gives values that ``-p``
overrides.

The values become one code cell, tagged ``injected-parameters``, placed right after the first code
cell tagged ``parameters``. In a reactive notebook two cells that assign a name are two *versions*
of it, and a cell reads the version just above it (docs/reactivity.md), so every cell below the
injected cell reads the injected values, as papermill's top-to-bottom run does. A cell injected by
an earlier run is replaced.

Without a ``parameters`` cell, papermill puts the values first, and a later assignment of the same
name in the notebook overrides them. In a reactive notebook a cell above that assignment would read
the injected version and a cell below it the notebook's own: one run, two values. So a name the
notebook assigns in exactly one cell, by one plain ``name = ...`` statement, gets its new value in
that statement (the cell is rewritten, and the run says so); a name assigned in several cells, or
in another way, is refused with a message asking for a ``parameters`` cell; only names the notebook
never assigns go into an injected cell, first.
"""

from __future__ import annotations

import ast
import json
import keyword
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reactive_kernel.analysis import analyze_cell
from reactive_kernel.cli.notebooks import Notebook, NotebookCell

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


class ParameterError(ValueError):
    """A parameter name or file that cannot be used; ``str()`` is a message for the user."""


@dataclass(frozen=True)
class Injection:
    """Where the parameters went: the cell that now assigns each name (the injected cell, or a
    rewritten one), and the rewritten assignments as (name, 1-based cell number)."""

    providers: dict[str, str]
    rewritten: tuple[tuple[str, int], ...] = ()


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
    """``notebook`` with the parameters in place (see the module docstring), and where they went.
    Raises ParameterError for a name that cannot be set without a ``parameters`` cell."""
    document = dict(notebook.document)
    pairs = [
        (cell, raw)
        for cell, raw in zip(notebook.cells, document["cells"], strict=True)
        if INJECTED_TAG not in _tags(raw)
    ]
    tagged = next(
        (
            index
            for index, (cell, raw) in enumerate(pairs)
            if cell.kind == "code" and PARAMETERS_TAG in _tags(raw)
        ),
        None,
    )
    remaining = dict(parameters)
    rewritten: list[tuple[str, int]] = []
    if tagged is None:
        for name, value in parameters.items():
            position = _assign_in_place(pairs, name, value)
            if position is not None:
                del remaining[name]
                rewritten.append((name, position))
    injected_at = None
    if remaining:
        injected_at = 0 if tagged is None else tagged + 1
        taken = {cell.id for cell, _ in pairs}
        cell_id, n = INJECTED_TAG, 1
        while cell_id in taken:
            cell_id, n = f"{INJECTED_TAG}-{n}", n + 1
        code = source(remaining)
        raw_cell: dict[str, Any] = {
            "cell_type": "code",
            "id": cell_id,
            "metadata": {"tags": [INJECTED_TAG]},
            "source": code,
            "outputs": [],
            "execution_count": None,
        }
        pairs.insert(injected_at, (NotebookCell(kind="code", source=code, id=cell_id), raw_cell))
    document["cells"] = [raw for _, raw in pairs]
    result = replace(notebook, cells=tuple(cell for cell, _ in pairs), document=document)
    ids = result.run_ids()
    shift = 1 if injected_at == 0 else 0  # the rewritten cells' positions were taken before it
    providers = {name: ids[position + shift] for name, position in rewritten}
    if injected_at is not None:
        providers |= {name: ids[injected_at] for name in remaining}
    numbered = tuple((name, position + shift + 1) for name, position in rewritten)
    return result, Injection(providers, numbered)


def _assign_in_place(
    pairs: list[tuple[NotebookCell, dict[str, Any]]], name: str, value: Any
) -> int | None:
    """Give ``name`` its new value in the one statement that assigns it; the cell's position, or
    None when no cell assigns it. Raises ParameterError when that cannot be done safely."""
    definers = [
        index
        for index, (cell, _) in enumerate(pairs)
        if cell.kind == "code" and name in analyze_cell(cell.source).defines
    ]
    if not definers:
        return None
    numbers = ", ".join(str(index + 1) for index in definers)
    ask = "tag the cell that sets the notebook's parameters 'parameters'"
    if len(definers) > 1:
        raise ParameterError(f"parameter {name!r} is assigned in cells {numbers}: {ask}")
    index = definers[0]
    cell, raw = pairs[index]
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        tree = None
    assigns = [
        node
        for node in (tree.body if tree is not None else [])
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == name
    ]
    if len(assigns) != 1 or _binds_elsewhere(tree, name, assigns[0]):
        raise ParameterError(
            f"parameter {name!r} is not set by one plain '{name} = ...' line in cell {numbers}: "
            f"{ask}"
        )
    new_source = _replace_statement(cell.source, assigns[0], f"{name} = {value!r}")
    pairs[index] = (replace(cell, source=new_source), {**raw, "source": new_source})
    return index


def _binds_elsewhere(tree: ast.Module | None, name: str, assign: ast.Assign) -> bool:
    """Whether ``name`` is bound in the cell by anything but ``assign`` (a loop, a second
    assignment, an import...): then replacing one statement would not set the value."""
    if tree is None:
        return True
    for node in ast.walk(tree):
        if node is assign.targets[0]:
            continue
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
        definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        if isinstance(node, definition) and node.name == name:
            return True
    return False


def _replace_statement(text: str, node: ast.stmt, code: str) -> str:
    lines = text.split("\n")
    assert node.end_lineno is not None and node.end_col_offset is not None
    first, last = node.lineno - 1, node.end_lineno - 1
    # Offsets are in UTF-8 bytes.
    head = lines[first].encode()[: node.col_offset].decode()
    tail = lines[last].encode()[node.end_col_offset :].decode()
    return "\n".join([*lines[:first], head + code + tail, *lines[last + 1 :]])


def unused(graph: dict[str, Any], injection: Injection) -> list[str]:
    """The parameters no cell reads from the cell that sets them, according to a
    ``graph_snapshot``."""
    read = {
        (name, producer)
        for record in graph["cells"]
        for name, producer in record["bindings"].items()
    }
    return [name for name, cell in injection.providers.items() if (name, cell) not in read]


def _tags(raw: dict[str, Any]) -> list[str]:
    tags = raw.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []
