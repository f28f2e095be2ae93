"""The protocol's JSON Schema: loading ``schema.json``, checking messages, explaining failures.

Checking happens in a fixed order so that each failure gets the most useful error code:

1. the message is a JSON object (else ``malformed``);
2. its ``protocol`` is 1 (``unsupported_protocol``; checked before the type, since a newer protocol
   may have types this one does not know);
3. its ``type`` names a message of the expected direction (``unknown_type``);
4. it matches that message's ``$defs`` entry (``malformed``, with the JSON path of the problem);
5. checks the schema cannot express: ids unique within a message (``malformed``).

Validating against the one ``$defs`` entry of the message's type, rather than the top-level
``oneOf``, is what makes the errors precise: a ``oneOf`` failure only says "no branch matched".

``jsonschema`` is imported on first use, not with this package: importing it can take a second
(its optional ``rfc3987_syntax`` builds a grammar at import, and JupyterLab installs pull that in).
Call ``warm_up`` early, e.g. from a background thread at kernel start, to pay that before the first
message arrives.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from reactive_kernel.protocol.error import ProtocolError
from reactive_kernel.protocol.message import PROTOCOL_VERSION

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

Direction = Literal["request", "kernel", "any"]
"""Which messages a check accepts: front end -> kernel requests, kernel -> front end, or both."""

SCHEMA_FILE = "schema.json"

# Arrays of records whose ``id`` must be unique within one message: (message type, array field).
_UNIQUE_IDS: Mapping[str, str] = {
    "sync_notebook": "cells",
    "cell_states": "states",
    "graph_snapshot": "cells",
}
# Fields that tell the branches of a ``oneOf`` apart.
_TAGS = ("op", "type")


def schema_text() -> str:
    """The text of ``schema.json`` as shipped inside the package (for tools and the extension)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """A fresh copy of the schema, parsed: callers may change it without affecting validation."""
    result: dict[str, Any] = json.loads(schema_text())
    return result


@dataclass(frozen=True)
class _Compiled:
    """One validator per message type, built from one parse of the schema."""

    validators: Mapping[str, Validator]
    requests: tuple[str, ...]
    kernel_messages: tuple[str, ...]


@functools.cache
def _compiled() -> _Compiled:
    """Build the validators once per process (cached; safe to race: the result is the same)."""
    from jsonschema import Draft202012Validator  # slow import, see the module docstring

    schema = load_schema()
    defs = schema["$defs"]
    validators: dict[str, Validator] = {}
    groups: dict[str, list[str]] = {"Request": [], "KernelMessage": []}
    for group, members in groups.items():
        for branch in defs[group]["oneOf"]:
            title = branch["$ref"].rsplit("/", 1)[1]
            wire_type = defs[title]["properties"]["type"]["const"]
            members.append(wire_type)
            validators[wire_type] = Draft202012Validator(_inline(defs[title], defs, ()))
    return _Compiled(validators, tuple(groups["Request"]), tuple(groups["KernelMessage"]))


_ANNOTATIONS = frozenset({"title", "description"})


def _inline(node: Any, defs: Mapping[str, Any], via: tuple[str, ...]) -> Any:
    """``node`` with every local ``$ref`` replaced by a copy of its target.

    Why: jsonschema resolves a ``$ref`` on every visit, which more than doubles the time to check a
    1000-cell sync_notebook (56 ms with refs, 24 ms inlined). The file keeps its refs, which the
    TypeScript generator turns into named types. The schema is not recursive; ``via`` proves it.
    """
    if isinstance(node, list):
        return [_inline(item, defs, via) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {key: _inline(value, defs, via) for key, value in node.items() if key != "$ref"}
    if "$ref" not in node:
        return rest
    name = node["$ref"].removeprefix("#/$defs/")
    if name in via or name not in defs:
        raise ValueError(f"schema.json: cannot inline $ref {node['$ref']!r} (via {via})")
    target = _inline(defs[name], defs, (*via, name))
    if set(rest) <= _ANNOTATIONS:
        return {**target, **rest}
    return {"allOf": [target], **rest}  # a $ref with constraints beside it: keep both


def warm_up() -> None:
    """Import jsonschema and build the validators now, so the first message does not wait."""
    check_message({"protocol": PROTOCOL_VERSION, "type": "get_graph", "request_id": "warm-up"})


def check_message(data: object, direction: Direction = "any") -> str:
    """Check ``data`` against the protocol; return its ``type``, or raise ProtocolError."""
    if not isinstance(data, dict):
        raise ProtocolError(
            "malformed",
            f"a message must be a JSON object, got {_json_kind(data)}",
            {"path": "$", "keyword": "type"},
        )
    request_id = data.get("request_id")
    request_id = request_id if isinstance(request_id, str) and request_id else None
    wire_type = _check_envelope(data, direction, request_id)
    validator = _compiled().validators[wire_type]
    if not validator.is_valid(data):
        path, text, details = _explain(_best(validator.iter_errors(data)))
        raise ProtocolError(
            "malformed",
            f"{wire_type}: {path}: {text}",
            {"type": wire_type, "path": path, **details},
            request_id,
        )
    _check_unique_ids(wire_type, data, request_id)
    return wire_type


def _check_envelope(data: dict[str, Any], direction: Direction, request_id: str | None) -> str:
    if "protocol" not in data:
        raise ProtocolError(
            "malformed",
            f"$: missing required field 'protocol' (must be {PROTOCOL_VERSION})",
            {"path": "$", "keyword": "required", "field": "protocol"},
            request_id,
        )
    protocol = data["protocol"]
    if isinstance(protocol, bool) or protocol != PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_protocol",
            f"$.protocol: protocol {_show(protocol)} is not supported; "
            f"this kernel speaks protocol {PROTOCOL_VERSION}",
            {"path": "$.protocol", "supported": [PROTOCOL_VERSION]},
            request_id,
        )
    wire_type = data.get("type")
    if not isinstance(wire_type, str):
        if wire_type is None:
            path, keyword, problem = "$", "required", "missing required field 'type'"
        else:
            path, keyword, problem = (
                "$.type",
                "type",
                f"expected string, got {_json_kind(wire_type)}",
            )
        raise ProtocolError(
            "malformed", f"{path}: {problem}", {"path": path, "keyword": keyword}, request_id
        )
    compiled = _compiled()
    allowed = {
        "request": compiled.requests,
        "kernel": compiled.kernel_messages,
        "any": compiled.requests + compiled.kernel_messages,
    }[direction]
    if wire_type not in allowed:
        what = {"request": "requests", "kernel": "kernel messages", "any": "types"}[direction]
        if wire_type in compiled.validators:
            sender = "the front end" if wire_type in compiled.requests else "the kernel"
            text = f"$.type: {wire_type!r} is sent by {sender}, not to it"
        else:
            text = f"$.type: unknown message type {wire_type!r}"
        raise ProtocolError(
            "unknown_type",
            f"{text}; {what} are: {', '.join(allowed)}",
            {"path": "$.type", "allowed": list(allowed)},
            request_id,
        )
    return wire_type


def _check_unique_ids(wire_type: str, data: dict[str, Any], request_id: str | None) -> None:
    key = _UNIQUE_IDS.get(wire_type)
    if key is None:
        return
    first_at: dict[str, int] = {}
    for index, record in enumerate(data[key]):
        seen = first_at.setdefault(record["id"], index)
        if seen != index:
            path = f"$.{key}[{index}].id"
            raise ProtocolError(
                "malformed",
                f"{wire_type}: {path}: duplicate id {json.dumps(record['id'])} "
                f"(already at $.{key}[{seen}]); ids must be unique",
                {"type": wire_type, "path": path, "keyword": "unique", "first": f"$.{key}[{seen}]"},
                request_id,
            )


# -- explaining schema failures ------------------------------------------------------------------


def _best(errors: Iterable[ValidationError]) -> ValidationError:
    """The error to report, like ``jsonschema.exceptions.best_match`` but tag-aware.

    For a ``oneOf`` over records tagged by ``op``, the branch whose tag matches the instance is
    the one the sender meant, so its errors are reported, not "no branch matched".
    """
    from jsonschema.exceptions import relevance

    best: ValidationError = max(errors, key=relevance)
    while best.validator in ("oneOf", "anyOf") and best.context:
        branch = _tagged_branch(best)
        if not branch:
            return best
        best = max(branch, key=relevance)
    return best


def _tagged_branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the one branch whose tag the instance carries (empty if none or unclear)."""
    instance = error.instance
    tag = next((t for t in _TAGS if isinstance(instance, dict) and t in instance), None)
    if tag is None:
        return []
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    matching = [
        errors
        for errors in branches.values()
        if not any(e.validator == "const" and list(e.relative_path) == [tag] for e in errors)
    ]
    return matching[0] if len(matching) == 1 else []


def _explain(error: ValidationError) -> tuple[str, str, dict[str, Any]]:
    """(JSON path, a sentence, details) for one validation error."""
    keyword = str(error.validator)
    value, rule, path = error.instance, error.validator_value, error.json_path
    details: dict[str, Any] = {"keyword": keyword}
    if keyword in ("oneOf", "anyOf"):
        return (*_explain_union(error, details), details)
    if keyword == "required":
        missing = next(name for name in rule if name not in value)
        details["field"] = missing
        return path, f"missing required field {missing!r}", details
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = next(name for name in value if name not in allowed)
        details.update(field=extra, allowed=allowed)
        return path, f"unknown field {extra!r} (allowed: {', '.join(allowed)})", details
    if keyword == "enum":
        details["allowed"] = list(rule)
        return path, f"{_show(value)} is not one of {', '.join(_show(v) for v in rule)}", details
    if keyword == "const":
        details["allowed"] = [rule]
        return path, f"expected {_show(rule)}, got {_show(value)}", details
    if keyword == "type":
        expected = " or ".join(rule) if isinstance(rule, list) else str(rule)
        details["expected"] = rule
        return path, f"expected {expected}, got {_json_kind(value)}", details
    if keyword in ("minLength", "minItems"):
        text = "must not be empty"
        if "then" in error.absolute_schema_path:  # request_plan: cell_ids for action "run"
            text += ' when action is "run"'
        return path, text, details
    if keyword == "uniqueItems":
        repeated = next(item for i, item in enumerate(value) if item in value[:i])
        return path, f"{_show(repeated)} appears more than once; items must be unique", details
    if keyword == "minimum":
        details["minimum"] = rule
        return path, f"{_show(value)} is less than the minimum {rule}", details
    return path, error.message, details


def _explain_union(error: ValidationError, details: dict[str, Any]) -> tuple[str, str]:
    """A ``oneOf`` no tagged branch explains: a missing or unknown tag, or not an object."""
    value, path = error.instance, error.json_path
    if not isinstance(value, dict):
        return path, f"expected object, got {_json_kind(value)}"
    context = list(error.context or ())
    tags = [
        (e.relative_path[0], e.validator_value)
        for e in context
        if e.validator == "const" and len(e.relative_path) == 1
    ]
    if tags:
        tag = str(tags[0][0])
        allowed = [rule for name, rule in tags if name == tag]
        details.update(field=tag, allowed=allowed)
        shown = ", ".join(_show(a) for a in allowed)
        return f"{path}.{tag}", f"{_show(value[tag])} is not one of {shown}"
    missing = [
        name
        for e in context
        if e.validator == "required"
        for name in e.validator_value
        if name in _TAGS and name not in value
    ]
    if missing:
        details["field"] = missing[0]
        return path, f"missing required field {missing[0]!r}"
    return path, error.message


def _show(value: object) -> str:
    """A value as JSON, cut short: messages quote what was sent, not whole cell sources."""
    text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Sequence):
        return "array"
    return "object" if isinstance(value, Mapping) else type(value).__name__
