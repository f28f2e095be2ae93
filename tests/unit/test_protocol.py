"""The comm protocol's records: every message round-trips through JSON, in both directions.

``SAMPLES`` holds at least one message of every type (checked), with optional fields both left out
and filled in; the schema tests reuse it. Refused input is in ``test_protocol_errors.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from reactive_kernel.protocol import (
    KERNEL_MESSAGE_TYPES,
    PROTOCOL_VERSION,
    REQUEST_TYPES,
    AbortPlanRequest,
    AckReply,
    Binding,
    CellGraphRecord,
    CellRecord,
    CellStateRecord,
    CellStates,
    DeleteChange,
    EditCellsRequest,
    ErrorReply,
    GetGraphRequest,
    GraphError,
    GraphSnapshot,
    HelloRequest,
    InsertChange,
    Message,
    MoveChange,
    PlanFinished,
    ProtocolError,
    RequestPlanRequest,
    RunPlan,
    SetModeRequest,
    SyncNotebookRequest,
    UpdateChange,
    WarningRecord,
    WelcomeReply,
    parse_message,
    parse_request,
    to_wire,
    validate_outgoing,
)
from reactive_kernel.types import CellId

pytestmark = pytest.mark.unit

A, B, C = CellId("a"), CellId("b"), CellId("c")

GRAPH_CELL = CellGraphRecord(
    id=B,
    defines=("total",),
    references=("rows", "print"),
    mutates=(),
    deletes=(),
    bindings=(Binding("rows", A), Binding("print", None)),
    parents=(A,),
    children=(C,),
    errors=(
        GraphError(
            "ambiguous", "total is defined in 2 cells", cells=(A, C), names=("total",), line=3
        ),
    ),
    warnings=(WarningRecord(message="%run hides what it defines", line=1, column=1),),
)

SAMPLES: list[tuple[str, Message]] = [
    ("hello", HelloRequest(request_id="r1", client="jupyterlab-reactive 0.1.0")),
    ("hello-mode", HelloRequest(request_id="r1", client="lab", mode="lazy")),
    ("sync-empty", SyncNotebookRequest(request_id="r2", cells=())),
    (
        "sync",
        SyncNotebookRequest(
            request_id="r2",
            cells=(
                CellRecord(id=A, kind="markdown", source="# Title"),
                CellRecord(id=B, kind="code", source="x = 1\n"),
                CellRecord(id=C, kind="raw", source=""),
            ),
        ),
    ),
    (
        "edit",
        EditCellsRequest(
            request_id="r3",
            changes=(
                UpdateChange(id=A, source="x = 2"),
                InsertChange(index=0, cell=CellRecord(id=C, kind="code", source="")),
                MoveChange(id=C, index=2),
                DeleteChange(id=B),
            ),
        ),
    ),
    ("set-mode", SetModeRequest(request_id="r4", mode="eager")),
    ("plan-run", RequestPlanRequest(request_id="r5", action="run", cell_ids=(A, B))),
    ("plan-all", RequestPlanRequest(request_id="r5", action="run_all", cell_ids=())),
    ("abort", AbortPlanRequest(request_id="r6", plan_id="p1")),
    ("get-graph", GetGraphRequest(request_id="r7")),
    ("welcome", WelcomeReply(reply_to="r1", kernel_version="0.1.0", mode="eager")),
    ("ack", AckReply(reply_to="r2")),
    ("error-bare", ErrorReply(code="internal", message="KeyError: 'x'")),
    (
        "error",
        ErrorReply(
            code="unknown_cell",
            message="no cell 'z'",
            reply_to="r3",
            details={"path": "$.changes[0].id", "allowed": ["a", "b"]},
        ),
    ),
    (
        "states",
        CellStates(
            states=(
                CellStateRecord(id=A, state="fresh"),
                CellStateRecord(
                    id=B,
                    state="blocked",
                    reason="cell [1] (x = 1/0) failed",
                    cells=(A,),
                    names=("x",),
                ),
                CellStateRecord(id=C, state="graph-error", reason="cycle"),
            ),
            complete=True,
        ),
    ),
    ("states-delta", CellStates(states=(), complete=False)),
    ("graph", GraphSnapshot(cells=(GRAPH_CELL,), order=(A, B, C), complete=True, reply_to="r7")),
    ("graph-mode", GraphSnapshot(cells=(), order=(), complete=False, mode="lazy")),
    ("plan", RunPlan(plan_id="p1", cells=(B, C), trigger="upstream", origin="a")),
    ("plan-reply", RunPlan(plan_id="p2", cells=(), trigger="run_stale", reply_to="r5")),
    ("finished", PlanFinished(plan_id="p1", status="ok")),
    ("finished-error", PlanFinished(plan_id="p1", status="error", failed_cell=B)),
]
SAMPLE_IDS = [name for name, _ in SAMPLES]


def test_every_message_type_has_a_sample() -> None:
    sampled = {message.type for _, message in SAMPLES}
    assert sampled == set(REQUEST_TYPES) | set(KERNEL_MESSAGE_TYPES)


@pytest.mark.parametrize("message", [m for _, m in SAMPLES], ids=SAMPLE_IDS)
def test_every_message_round_trips_through_json(message: Message) -> None:
    wire = to_wire(message)
    assert wire["protocol"] == PROTOCOL_VERSION
    assert wire["type"] == message.type
    assert json.loads(json.dumps(wire)) == wire  # plain JSON, nothing Python-only
    assert parse_message(wire) == message


@pytest.mark.parametrize("message", [m for _, m in SAMPLES], ids=SAMPLE_IDS)
def test_each_direction_has_its_own_parser(message: Message) -> None:
    wire = to_wire(message)
    if message.type in REQUEST_TYPES:
        assert parse_request(wire) == message
        with pytest.raises(ProtocolError) as caught:
            validate_outgoing(wire)
        assert "sent by the front end" in caught.value.message
    else:
        assert validate_outgoing(wire) == message
        with pytest.raises(ProtocolError) as caught:
            parse_request(wire)
        assert "sent by the kernel" in caught.value.message
    assert caught.value.code == "unknown_type"


def test_optional_fields_are_left_out_at_their_default() -> None:
    assert to_wire(HelloRequest(request_id="r", client="c")) == {
        "protocol": 1,
        "type": "hello",
        "request_id": "r",
        "client": "c",
    }
    assert to_wire(CellStates(states=(CellStateRecord(id=A, state="stale"),), complete=False)) == {
        "protocol": 1,
        "type": "cell_states",
        "states": [{"id": "a", "state": "stale"}],
        "complete": False,
    }


def test_bindings_go_on_the_wire_as_an_object_in_order() -> None:
    wire = to_wire(GraphSnapshot(cells=(GRAPH_CELL,), order=(B,), complete=True))
    assert wire["cells"][0]["bindings"] == {"rows": "a", "print": None}
    assert list(wire["cells"][0]["bindings"]) == ["rows", "print"]
    assert wire["cells"][0]["errors"] == [
        {
            "kind": "ambiguous",
            "message": "total is defined in 2 cells",
            "cells": ["a", "c"],
            "names": ["total"],
            "line": 3,
        }
    ]


def request_json(type_: str, **fields: Any) -> dict[str, Any]:
    """A request as the front end would send it, with ``fields`` added or overridden."""
    return {"protocol": 1, "type": type_, "request_id": "m1", **fields}


def cell_json(id_: str = "a", kind: str = "code", source: str = "x = 1") -> dict[str, Any]:
    return {"id": id_, "kind": kind, "source": source}


def test_a_1000_cell_sync_is_validated_quickly() -> None:
    """Budget: well under 50 ms (about 23 ms measured); the bound leaves room for slow CI."""
    source = "import numpy as np\nx = np.arange(100)\nprint(x.sum())\n" * 5
    cells = [
        cell_json(f"cell-{i:04d}", "code" if i % 4 else "markdown", source) for i in range(1000)
    ]
    data = request_json("sync_notebook", cells=cells)
    parse_request(data)  # the first call builds the validators
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        parsed = parse_request(data)
        timings.append(time.perf_counter() - start)
    assert isinstance(parsed, SyncNotebookRequest)
    assert len(parsed.cells) == 1000
    assert min(timings) < 0.2, f"parsing a 1000-cell sync_notebook took {min(timings):.3f} s"


PROBE = """
import sys
import reactive_kernel.protocol as protocol
loaded = sorted(m for m in sys.argv[1:] if m in sys.modules)
print(",".join(loaded))
"""


def test_the_protocol_imports_no_jupyter_machinery_and_jsonschema_only_on_use() -> None:
    forbidden = ["ipykernel", "zmq", "jupyter_server", "jupyter_client", "IPython", "jsonschema"]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *forbidden],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == ""
