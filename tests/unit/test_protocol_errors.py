"""Bad input gets the right error code and a message that says what is wrong and where.

``MALFORMED`` is the table of refused requests: each names the error code and words the message
must contain (the JSON path, the offending value, what was allowed). A refused message changes
nothing, so the kernel can answer it with ``error.reply()`` and carry on.
"""

from __future__ import annotations

from typing import Any

import pytest

from reactive_kernel.protocol import ProtocolError, parse_request, to_wire, validate_outgoing
from tests.unit.test_protocol import cell_json, request_json

pytestmark = pytest.mark.unit


def test_an_error_answers_the_request_it_refuses() -> None:
    data = {"protocol": 1, "type": "set_mode", "request_id": "r9", "mode": "sideways"}
    with pytest.raises(ProtocolError) as caught:
        parse_request(data)
    reply = caught.value.reply()
    assert reply.reply_to == "r9"
    assert reply.code == "malformed"
    assert validate_outgoing(to_wire(reply)) == reply


# (case id, data, expected code, words the message must contain)
MALFORMED: list[tuple[str, object, str, list[str]]] = [
    ("not-an-object", ["a", "list"], "malformed", ["JSON object", "array"]),
    ("a-string", "hello", "malformed", ["JSON object", "string"]),
    ("no-protocol", {"type": "get_graph", "request_id": "m1"}, "malformed", ["'protocol'"]),
    ("wrong-protocol", request_json("get_graph", protocol=2), "unsupported_protocol", ["2", "1"]),
    (
        "protocol-as-bool",
        request_json("get_graph", protocol=True),
        "unsupported_protocol",
        ["true"],
    ),
    ("protocol-as-text", request_json("get_graph", protocol="1"), "unsupported_protocol", ['"1"']),
    ("missing-type", {"protocol": 1, "request_id": "m1"}, "malformed", ["'type'"]),
    ("type-not-text", request_json("get_graph", type=3), "malformed", ["$.type", "string"]),
    ("unknown-type", request_json("explode"), "unknown_type", ["'explode'", "hello", "get_graph"]),
    ("kernel-type-sent-in", request_json("ack"), "unknown_type", ["'ack'", "sent by the kernel"]),
    (
        "missing-request-id",
        {"protocol": 1, "type": "get_graph"},
        "malformed",
        ["get_graph", "'request_id'"],
    ),
    (
        "empty-request-id",
        request_json("get_graph", request_id=""),
        "malformed",
        ["$.request_id", "empty"],
    ),
    ("missing-field", request_json("hello"), "malformed", ["hello", "'client'"]),
    (
        "client-not-text",
        request_json("hello", client=7),
        "malformed",
        ["$.client", "string", "integer"],
    ),
    (
        "bad-enum",
        request_json("set_mode", mode="sideways"),
        "malformed",
        ["$.mode", '"sideways"', '"eager"', '"lazy"'],
    ),
    (
        "extra-field",
        request_json("set_mode", mode="lazy", mdoe="lazy"),
        "malformed",
        ["unknown field 'mdoe'", "mode"],
    ),
    ("cells-not-list", request_json("sync_notebook", cells={}), "malformed", ["$.cells", "array"]),
    (
        "duplicate-cell-ids",
        request_json("sync_notebook", cells=[cell_json("same"), cell_json("b"), cell_json("same")]),
        "malformed",
        ["$.cells[2].id", "duplicate", '"same"', "$.cells[0]"],
    ),
    (
        "empty-cell-id",
        request_json("sync_notebook", cells=[cell_json("")]),
        "malformed",
        ["$.cells[0].id"],
    ),
    (
        "bad-cell-kind",
        request_json("sync_notebook", cells=[cell_json(kind="python")]),
        "malformed",
        ["$.cells[0].kind", '"python"', '"markdown"'],
    ),
    (
        "extra-cell-field",
        request_json("sync_notebook", cells=[{**cell_json(), "sorce": ""}]),
        "malformed",
        ["$.cells[0]", "'sorce'"],
    ),
    (
        "negative-index",
        request_json("edit_cells", changes=[{"op": "move", "id": "a", "index": -1}]),
        "malformed",
        ["$.changes[0].index", "-1", "minimum 0"],
    ),
    (
        "index-not-integer",
        request_json("edit_cells", changes=[{"op": "insert", "index": 1.5, "cell": cell_json()}]),
        "malformed",
        ["$.changes[0].index", "integer"],
    ),
    (
        "unknown-op",
        request_json("edit_cells", changes=[{"op": "rename", "id": "a"}]),
        "malformed",
        ["$.changes[0].op", '"rename"', '"update"', '"move"'],
    ),
    (
        "missing-op",
        request_json("edit_cells", changes=[{"id": "a", "source": ""}]),
        "malformed",
        ["$.changes[0]", "'op'"],
    ),
    (
        "change-not-object",
        request_json("edit_cells", changes=["delete a"]),
        "malformed",
        ["$.changes[0]", "object"],
    ),
    (
        "change-missing-field",
        request_json("edit_cells", changes=[{"op": "update", "id": "a"}]),
        "malformed",
        ["$.changes[0]", "'source'"],
    ),
    (
        "inserted-cell-bad",
        request_json("edit_cells", changes=[{"op": "insert", "index": 0, "cell": cell_json("")}]),
        "malformed",
        ["$.changes[0].cell.id"],
    ),
    (
        "run-without-cells",
        request_json("request_plan", action="run", cell_ids=[]),
        "malformed",
        ["$.cell_ids", "empty", "run"],
    ),
    (
        "bad-action",
        request_json("request_plan", action="run_everything", cell_ids=[]),
        "malformed",
        ["$.action", '"run_stale"'],
    ),
    ("empty-plan-id", request_json("abort_plan", plan_id=""), "malformed", ["$.plan_id"]),
]


@pytest.mark.parametrize(
    ("data", "code", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_input_gets_the_right_code_and_says_what_is_wrong(
    data: object, code: str, words: list[str]
) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_request(data)
    error = caught.value
    assert error.code == code, error.message
    for word in words:
        assert word in error.message, f"{word!r} not in {error.message!r}"
    assert error.details.get("path", "").startswith("$"), error.details
    if isinstance(data, dict) and isinstance(data.get("request_id"), str) and data["request_id"]:
        assert error.request_id == data["request_id"]
    assert validate_outgoing(to_wire(error.reply())) == error.reply()  # the reply is sendable


def test_known_values_are_listed_in_details() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_request(request_json("set_mode", mode="sideways"))
    assert caught.value.details == {
        "type": "set_mode",
        "path": "$.mode",
        "keyword": "enum",
        "allowed": ["eager", "lazy"],
    }


@pytest.mark.parametrize(
    "message",
    [
        {"protocol": 1, "type": "ack", "reply_to": ""},
        {"protocol": 1, "type": "run_plan", "plan_id": "p", "cells": ["a", "a"], "trigger": "run"},
        {
            "protocol": 1,
            "type": "cell_states",
            "states": [{"id": "a", "state": "ok"}],
            "complete": 1,
        },
        {
            "protocol": 1,
            "type": "cell_states",
            "states": [{"id": "a", "state": "fresh"}, {"id": "a", "state": "stale"}],
            "complete": True,
        },
        {
            "protocol": 1,
            "type": "graph_snapshot",
            "cells": [],
            "order": [],
            "complete": True,
            "x": 1,
        },
        {"protocol": 1, "type": "welcome", "kernel_version": "1", "mode": "eager"},
    ],
    ids=[
        "empty-reply-to",
        "plan-runs-a-cell-twice",
        "bad-state",
        "duplicate-state",
        "extra-field",
        "reply-without-reply-to",
    ],
)
def test_validate_outgoing_catches_kernel_mistakes(message: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError) as caught:
        validate_outgoing(message)
    assert caught.value.code == "malformed"
