"""The comm protocol against a real kernel: replies, snapshots, and bad input changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.kernel.notebook import CheckedClient, LiveNotebook, reactive_kernel

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def client() -> Iterator[CheckedClient]:
    """One kernel for the module: these tests check that bad input changes nothing."""
    with reactive_kernel() as (_km, client):
        client.open()
        yield client


def _raw(client: CheckedClient, data: Any, request_id: str | None) -> dict[str, Any]:
    client.send(data)
    if request_id is None:
        return client.wait_for(lambda m: m["type"] == "error" and "reply_to" not in m, "an error")
    return client.wait_for(lambda m: m.get("reply_to") == request_id, "the error reply")


MALFORMED = [
    ("not-an-object", ["a", "list"], None, "malformed"),
    ("no-type", {"protocol": 1, "request_id": "m1"}, "m1", "malformed"),
    ("unknown-type", {"protocol": 1, "type": "explode", "request_id": "m2"}, "m2", "unknown_type"),
    (
        "wrong-protocol",
        {"protocol": 99, "type": "get_graph", "request_id": "m3"},
        "m3",
        "unsupported_protocol",
    ),
    (
        "bad-field-type",
        {"protocol": 1, "type": "set_mode", "request_id": "m4", "mode": "sideways"},
        "m4",
        "malformed",
    ),
    (
        "duplicate-ids",
        {
            "protocol": 1,
            "type": "sync_notebook",
            "request_id": "m5",
            "cells": [
                {"id": "same", "kind": "code", "source": "a = 1"},
                {"id": "same", "kind": "code", "source": "b = 2"},
            ],
        },
        "m5",
        "malformed",
    ),
    (
        "edit-unknown-cell",
        {
            "protocol": 1,
            "type": "edit_cells",
            "request_id": "m6",
            "changes": [{"op": "update", "id": "nope", "source": "x = 1"}],
        },
        "m6",
        "unknown_cell",
    ),
]


@pytest.mark.parametrize(
    ("data", "request_id", "code"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_messages_get_an_error_and_change_nothing(
    client: CheckedClient, data: Any, request_id: str | None, code: str
) -> None:
    nb = LiveNotebook(client, ["kept = 1", "print(kept)"])
    before = client.request("get_graph")
    reply = _raw(client, data, request_id)
    assert reply["type"] == "error"
    assert reply["code"] == code
    assert reply["message"]
    after = client.request("get_graph")
    assert {k: v for k, v in after.items() if k != "reply_to"} == {
        k: v for k, v in before.items() if k != "reply_to"
    }
    assert nb.run(1).status == "ok"  # the kernel keeps working


def test_a_bad_edit_batch_is_rejected_whole(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["a = 1", "b = a"])
    before = client.request("get_graph")
    changes = [
        {"op": "update", "id": nb.ids[0], "source": "a = 2"},  # fine on its own
        {"op": "move", "id": nb.ids[1], "index": 7},  # out of range: the whole batch is refused
    ]
    reply = client.request("edit_cells", changes=changes)
    assert reply["type"] == "error"
    assert reply["code"] == "invalid_change"
    assert "index 7" in reply["message"]
    after = client.request("get_graph")
    assert after["cells"] == before["cells"]


def test_graph_snapshot_reports_defines_references_and_bindings(client: CheckedClient) -> None:
    nb = LiveNotebook(client, ["# notes", "rows = load()", "rows.append(1)", "print(len(rows))"])
    snapshot = client.request("get_graph")
    cells = {c["id"]: c for c in snapshot["cells"]}
    assert cells[nb.ids[1]]["defines"] == ["rows"]
    assert cells[nb.ids[2]]["mutates"] == ["rows"]
    assert cells[nb.ids[3]]["bindings"] == {"rows": nb.ids[2]}
    assert cells[nb.ids[3]]["parents"] == [nb.ids[2]]
    assert snapshot["order"] == nb.ids


def test_markdown_cells_count_in_indexes_but_not_in_the_graph(client: CheckedClient) -> None:
    client.sync(
        [
            ("m0", "# Title", "markdown"),
            ("k1", "x = 1"),
            ("m2", "text", "markdown"),
            ("k3", "y = x"),
        ]
    )
    reply = client.request(
        "edit_cells",
        changes=[
            {"op": "insert", "index": 1, "cell": {"id": "k9", "kind": "code", "source": "x = 2"}}
        ],
    )
    assert reply["type"] == "ack"
    snapshot = client.request("get_graph")
    assert snapshot["order"] == ["k9", "k1", "k3"]
    bindings = {c["id"]: c["bindings"] for c in snapshot["cells"]}
    assert bindings["k3"] == {"x": "k1"}
