"""The message protocol of the ``reactive_kernel`` comm, version 1 (docs/protocol.md).

A pure package: it imports only the standard library, ``reactive_kernel.types`` and (on first use,
not at import) ``jsonschema``. The kernel's comm handler and the Python client build on it; the lab
extension uses the same ``schema.json``, which is the source of truth.

Typical use in the kernel::

    try:
        request = parse_request(data)
    except ProtocolError as error:
        comm.send(to_wire(error.reply()))
    ...
    comm.send(to_wire(AckReply(reply_to=request.request_id)))
"""

from reactive_kernel.protocol.codec import (
    Wire,
    parse_message,
    parse_request,
    to_wire,
    validate_outgoing,
)
from reactive_kernel.protocol.error import ProtocolError
from reactive_kernel.protocol.message import (
    COMM_TARGET,
    KERNEL_MESSAGE_CLASSES,
    KERNEL_MESSAGE_TYPES,
    PROTOCOL_VERSION,
    REQUEST_CLASSES,
    REQUEST_TYPES,
    AbortPlanRequest,
    AckReply,
    CellGraphRecord,
    CellRecord,
    CellStateRecord,
    CellStates,
    Change,
    DeleteChange,
    EditCellsRequest,
    ErrorCode,
    ErrorReply,
    GetGraphRequest,
    GraphSnapshot,
    HelloRequest,
    InsertChange,
    KernelMessage,
    Message,
    Mode,
    MoveChange,
    PlanAction,
    PlanFinished,
    PlanStatus,
    Request,
    RequestPlanRequest,
    RunPlan,
    SetModeRequest,
    SyncNotebookRequest,
    Trigger,
    UpdateChange,
    WarningRecord,
    WelcomeReply,
    type_of,
)
from reactive_kernel.protocol.schema import load_schema, schema_text, warm_up
from reactive_kernel.types import Binding, GraphError

__all__ = [
    "COMM_TARGET",
    "KERNEL_MESSAGE_CLASSES",
    "KERNEL_MESSAGE_TYPES",
    "PROTOCOL_VERSION",
    "REQUEST_CLASSES",
    "REQUEST_TYPES",
    "AbortPlanRequest",
    "AckReply",
    "Binding",
    "CellGraphRecord",
    "CellRecord",
    "CellStateRecord",
    "CellStates",
    "Change",
    "DeleteChange",
    "EditCellsRequest",
    "ErrorCode",
    "ErrorReply",
    "GetGraphRequest",
    "GraphError",
    "GraphSnapshot",
    "HelloRequest",
    "InsertChange",
    "KernelMessage",
    "Message",
    "Mode",
    "MoveChange",
    "PlanAction",
    "PlanFinished",
    "PlanStatus",
    "ProtocolError",
    "Request",
    "RequestPlanRequest",
    "RunPlan",
    "SetModeRequest",
    "SyncNotebookRequest",
    "Trigger",
    "UpdateChange",
    "WarningRecord",
    "WelcomeReply",
    "Wire",
    "load_schema",
    "parse_message",
    "parse_request",
    "schema_text",
    "to_wire",
    "type_of",
    "validate_outgoing",
    "warm_up",
]
