"""Between wire JSON and message records: ``parse_message`` in, ``to_wire`` out.

Parsing always validates first (``schema.check_message``), so the decoders below can index the
data without checking it again. Encoding is generic over the dataclasses of ``message.py``,
following its conventions (fields with defaults are optional and left out at their default).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from reactive_kernel.protocol.message import (
    PROTOCOL_VERSION,
    AbortPlanRequest,
    AckReply,
    CellGraphRecord,
    CellRecord,
    CellStateRecord,
    CellStates,
    Change,
    DeleteChange,
    EditCellsRequest,
    ErrorReply,
    GetGraphRequest,
    GraphSnapshot,
    HelloRequest,
    InsertChange,
    KernelMessage,
    Message,
    MoveChange,
    PlanFinished,
    Request,
    RequestPlanRequest,
    RunPlan,
    SetModeRequest,
    SyncNotebookRequest,
    UpdateChange,
    WarningRecord,
    WelcomeReply,
)
from reactive_kernel.protocol.schema import Direction, check_message
from reactive_kernel.types import Binding, CellId, GraphError

Wire = dict[str, Any]
"""A message as JSON: what ``comm.send`` takes and what arrives in ``msg["content"]["data"]``."""


def parse_message(data: object) -> Message:
    """Validate ``data`` as any protocol message (either direction) and return its record.

    Raises ProtocolError with code ``malformed``, ``unknown_type`` or ``unsupported_protocol``.
    """
    return _parse(data, "any")


def parse_request(data: object) -> Request:
    """Validate ``data`` as a front end -> kernel request: what the kernel's comm handler wants.

    A kernel -> front end type (``welcome``...) is refused with ``unknown_type``, so a handler
    table keyed by request type never meets a type it lacks.
    """
    message = _parse(data, "request")
    assert isinstance(message, Request)  # guaranteed by the direction check
    return message


def validate_outgoing(data: object) -> KernelMessage:
    """Check a kernel -> front end message as sent; return its record or raise ProtocolError.

    Tests run it on every message the kernel sends, so the kernel cannot drift from the schema.
    """
    message = _parse(data, "kernel")
    assert isinstance(message, KernelMessage)  # guaranteed by the direction check
    return message


def to_wire(message: Message) -> Wire:
    """The JSON object for ``message``: ``protocol`` and ``type`` first, optional fields omitted
    when at their default. The result is schema-valid when the record's values are (a record built
    with, say, an empty cell id is not checked here: ``validate_outgoing`` does that)."""
    wire: Wire = {"protocol": PROTOCOL_VERSION}
    wire.update(_encode_record(message))
    return wire


def _parse(data: object, direction: Direction) -> Message:
    wire_type = check_message(data, direction)
    assert isinstance(data, dict)  # check_message refused anything else
    return _DECODERS[wire_type](data)


# -- encoding ------------------------------------------------------------------------------------


def _encode_record(record: Any) -> Wire:
    wire: Wire = {}
    for name, optional, default, mapping in _fields(type(record)):
        value = getattr(record, name)
        if optional and value == default:
            continue
        if mapping:
            wire[name] = {b.name: b.producer for b in value}
        else:
            wire[name] = _encode(value)
    return wire


_FieldPlan = tuple[tuple[str, bool, Any, bool], ...]
_FIELDS: dict[type, _FieldPlan] = {}


def _fields(record_type: type) -> _FieldPlan:
    """Per record class, once: each field's name, whether it is optional on the wire (it has a
    default; message.py), that default, and whether it is sent as a mapping. Asking
    ``dataclasses.fields`` on every message was most of the cost of encoding a small one."""
    plan = _FIELDS.get(record_type)
    if plan is None:
        plan = _FIELDS[record_type] = tuple(
            (
                spec.name,
                # A field with a default is optional on the wire; tags (init=False) are not.
                spec.init and spec.default is not dataclasses.MISSING,
                spec.default,
                spec.metadata.get("wire") == "mapping",
            )
            for spec in dataclasses.fields(record_type)
        )
    return plan


_SCALARS = (str, int, float, bool, type(None))


def _encode(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value):
        return _encode_record(value)
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    return value


# -- decoding (data already validated) -----------------------------------------------------------


def _ids(values: list[str]) -> tuple[CellId, ...]:
    return tuple(CellId(v) for v in values)


def _cell(d: Wire) -> CellRecord:
    return CellRecord(id=CellId(d["id"]), kind=d["kind"], source=d["source"])


def _change(d: Wire) -> Change:
    op = d["op"]
    if op == "update":
        return UpdateChange(id=CellId(d["id"]), source=d["source"])
    if op == "insert":
        return InsertChange(index=d["index"], cell=_cell(d["cell"]))
    if op == "delete":
        return DeleteChange(id=CellId(d["id"]))
    return MoveChange(id=CellId(d["id"]), index=d["index"])


def _state(d: Wire) -> CellStateRecord:
    return CellStateRecord(
        id=CellId(d["id"]),
        state=d["state"],
        reason=d.get("reason", ""),
        cells=_ids(d.get("cells", [])),
        names=tuple(d.get("names", [])),
    )


def _graph_error(d: Wire) -> GraphError:
    return GraphError(
        kind=d["kind"],
        message=d["message"],
        cells=_ids(d.get("cells", [])),
        names=tuple(d.get("names", [])),
        line=d.get("line"),
        column=d.get("column"),
    )


def _warning(d: Wire) -> WarningRecord:
    return WarningRecord(message=d["message"], line=d.get("line"), column=d.get("column"))


def _graph_cell(d: Wire) -> CellGraphRecord:
    return CellGraphRecord(
        id=CellId(d["id"]),
        defines=tuple(d["defines"]),
        references=tuple(d["references"]),
        mutates=tuple(d["mutates"]),
        deletes=tuple(d["deletes"]),
        bindings=tuple(
            Binding(name, None if producer is None else CellId(producer))
            for name, producer in d["bindings"].items()
        ),
        parents=_ids(d["parents"]),
        children=_ids(d["children"]),
        errors=tuple(_graph_error(e) for e in d["errors"]),
        warnings=tuple(_warning(w) for w in d.get("warnings", [])),
    )


_DECODERS: Mapping[str, Callable[[Wire], Message]] = {
    "hello": lambda d: HelloRequest(
        request_id=d["request_id"], client=d["client"], mode=d.get("mode")
    ),
    "sync_notebook": lambda d: SyncNotebookRequest(
        request_id=d["request_id"], cells=tuple(_cell(c) for c in d["cells"])
    ),
    "edit_cells": lambda d: EditCellsRequest(
        request_id=d["request_id"], changes=tuple(_change(c) for c in d["changes"])
    ),
    "set_mode": lambda d: SetModeRequest(request_id=d["request_id"], mode=d["mode"]),
    "request_plan": lambda d: RequestPlanRequest(
        request_id=d["request_id"], action=d["action"], cell_ids=_ids(d["cell_ids"])
    ),
    "abort_plan": lambda d: AbortPlanRequest(request_id=d["request_id"], plan_id=d["plan_id"]),
    "get_graph": lambda d: GetGraphRequest(request_id=d["request_id"]),
    "welcome": lambda d: WelcomeReply(
        reply_to=d["reply_to"], kernel_version=d["kernel_version"], mode=d["mode"]
    ),
    "ack": lambda d: AckReply(reply_to=d["reply_to"]),
    "error": lambda d: ErrorReply(
        code=d["code"],
        message=d["message"],
        reply_to=d.get("reply_to"),
        details=d.get("details"),
    ),
    "cell_states": lambda d: CellStates(
        states=tuple(_state(s) for s in d["states"]), complete=d["complete"]
    ),
    "graph_snapshot": lambda d: GraphSnapshot(
        cells=tuple(_graph_cell(c) for c in d["cells"]),
        order=_ids(d["order"]),
        complete=d["complete"],
        reply_to=d.get("reply_to"),
        mode=d.get("mode"),
    ),
    "run_plan": lambda d: RunPlan(
        plan_id=d["plan_id"],
        cells=_ids(d["cells"]),
        trigger=d["trigger"],
        origin=d.get("origin"),
        reply_to=d.get("reply_to"),
    ),
    "plan_finished": lambda d: PlanFinished(
        plan_id=d["plan_id"], status=d["status"], failed_cell=d.get("failed_cell")
    ),
}
