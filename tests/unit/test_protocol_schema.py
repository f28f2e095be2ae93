"""schema.json is valid, self-contained, well titled, and agrees with the Python records.

The schema is the source of truth shared with the TypeScript extension; these tests keep the
dataclasses of ``reactive_kernel.protocol``, the Literals of ``reactive_kernel.types`` and
``docs/protocol.md`` from drifting away from it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from reactive_kernel import protocol, types
from reactive_kernel.planning import planner
from reactive_kernel.protocol import (
    KERNEL_MESSAGE_CLASSES,
    REQUEST_CLASSES,
    load_schema,
    to_wire,
    type_of,
)
from tests.unit.test_protocol import SAMPLE_IDS, SAMPLES

pytestmark = pytest.mark.unit

SCHEMA = load_schema()
DEFS: dict[str, Any] = SCHEMA["$defs"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
# Objects that are open on purpose: free-form error details, and bindings keyed by variable name.
OPEN_OBJECTS = {"ErrorDetails", "Bindings"}


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_ships_inside_the_package() -> None:
    shipped = resources.files("reactive_kernel.protocol").joinpath("schema.json")
    assert shipped.is_file()
    assert protocol.schema_text() == shipped.read_text(encoding="utf-8")


def _walk(node: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}[{index}]")


def test_the_schema_is_self_contained() -> None:
    refs = [n["$ref"] for _, n in _walk(SCHEMA) if "$ref" in n]
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        assert ref.removeprefix("#/$defs/") in DEFS, ref


def test_refs_stand_alone_so_generated_types_keep_their_names() -> None:
    """json2ts turns a $ref with sibling keywords into a copy of its type, named CellIdList1."""
    for where, node in _walk(SCHEMA):
        if "$ref" in node:
            assert set(node) == {"$ref"}, where


def test_every_definition_has_a_pascal_case_title_equal_to_its_name() -> None:
    for name, definition in DEFS.items():
        assert definition.get("title") == name
        assert re.fullmatch(r"(?:[A-Z][a-z0-9]*)+", name), name


def test_every_object_is_closed_so_typos_are_rejected() -> None:
    for where, node in _walk(SCHEMA):
        if node.get("type") == "object" and node.get("title") not in OPEN_OBJECTS:
            assert node.get("additionalProperties") is False, where


def _branches(union: str) -> list[str]:
    return [b["$ref"].removeprefix("#/$defs/") for b in DEFS[union]["oneOf"]]


def test_the_top_level_is_requests_or_kernel_messages() -> None:
    assert SCHEMA["oneOf"] == [{"$ref": "#/$defs/Request"}, {"$ref": "#/$defs/KernelMessage"}]
    assert _branches("Request") == [c.__name__ for c in REQUEST_CLASSES]
    assert _branches("KernelMessage") == [c.__name__ for c in KERNEL_MESSAGE_CLASSES]


RECORD_CLASSES = [
    *REQUEST_CLASSES,
    *KERNEL_MESSAGE_CLASSES,
    protocol.CellRecord,
    protocol.UpdateChange,
    protocol.InsertChange,
    protocol.DeleteChange,
    protocol.MoveChange,
    protocol.CellStateRecord,
    protocol.CellGraphRecord,
    protocol.WarningRecord,
    protocol.GraphError,
]


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
def test_each_record_class_matches_its_definition(cls: type[Any]) -> None:
    """Same name, same fields; required on the wire exactly when the dataclass has no default."""
    definition = DEFS[cls.__name__]
    properties = set(definition["properties"]) - {"protocol"}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert set(fields) == properties
    required = {
        name
        for name, spec in fields.items()
        if not spec.init or spec.default is dataclasses.MISSING
    }
    assert set(definition["required"]) - {"protocol"} == required
    if cls in REQUEST_CLASSES or cls in KERNEL_MESSAGE_CLASSES:
        assert definition["properties"]["type"] == {"const": type_of(cls)}
        assert "protocol" in definition["required"]


@pytest.mark.parametrize(
    ("definition", "literal"),
    [
        ("CellState", types.CellState),
        ("CellKind", types.CellKind),
        ("GraphErrorKind", types.GraphErrorKind),
        ("Mode", protocol.Mode),
        ("Mode", planner.Mode),
        ("Trigger", protocol.Trigger),
        ("Trigger", planner.Trigger),
        ("PlanAction", protocol.PlanAction),
        ("PlanStatus", protocol.PlanStatus),
        ("ErrorCode", protocol.ErrorCode),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_enums_match_the_python_literals(definition: str, literal: Any) -> None:
    assert DEFS[definition]["enum"] == list(get_args(literal))


@pytest.mark.parametrize("message", [m for _, m in SAMPLES], ids=SAMPLE_IDS)
def test_every_sample_matches_the_whole_schema(message: protocol.Message) -> None:
    """The top-level oneOf (what the TypeScript side validates against) accepts every message."""
    Draft202012Validator(SCHEMA).validate(to_wire(message))


def test_the_docs_describe_every_message_and_point_at_the_schema() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "reactive_kernel/protocol/schema.json" in text
    assert "`reactive_kernel`" in text
    for cls in (*REQUEST_CLASSES, *KERNEL_MESSAGE_CLASSES):
        assert f"`{type_of(cls)}`" in text, type_of(cls)
    for code in get_args(protocol.ErrorCode):
        assert f"`{code}`" in text, code
