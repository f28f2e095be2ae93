"""The messages of the ``reactive_kernel`` comm as typed, immutable records (protocol version 1).

``schema.json`` next to this module is the source of truth; these dataclasses mirror it one to one
(each class is named after its schema ``title``, and ``tests/unit/test_protocol.py`` checks that
the two agree), so that the kernel builds and reads messages as typed values, never as loose dicts.

Conventions that ``codec.to_wire`` relies on:

- every message has a ``type`` field (and every edit an ``op`` field) fixed by its class;
- a field *without* a default is required on the wire; a field *with* a default is optional on the
  wire and left out when it holds its default (``None``, ``()`` or ``""``);
- lists are tuples, so messages are hashable where their contents are (``ErrorReply.details`` is a
  dict and is not).

Two records are shared with the rest of the project instead of copied: ``GraphError`` and
``Binding`` from ``reactive_kernel.types``, so the graph's values go on the wire without conversion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal

from reactive_kernel.types import Binding, CellId, CellKind, CellState, GraphError

PROTOCOL_VERSION: Final = 1
"""The version every message carries in its ``protocol`` field."""

COMM_TARGET: Final = "reactive_kernel"
"""The target name of the one comm between the lab extension and the kernel."""

Mode = Literal["eager", "lazy"]
PlanAction = Literal["run", "run_stale", "run_all"]
Trigger = Literal["run", "run_stale", "run_all", "upstream", "widget", "file", "delete"]
PlanStatus = Literal["ok", "error", "aborted"]
ErrorCode = Literal[
    "malformed",
    "unknown_type",
    "unsupported_protocol",
    "unknown_cell",
    "invalid_change",
    "internal",
]


def _tag(value: str) -> Any:
    """The ``type`` (or ``op``) field: fixed by the class, not an argument, always on the wire."""
    return field(default=value, init=False)


# -- records inside messages ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CellRecord:
    """A cell as the front end has it. ``id`` must be non-empty."""

    id: CellId
    kind: CellKind
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateChange:
    """Edit: the cell's source is now ``source``."""

    op: Literal["update"] = _tag("update")
    id: CellId
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InsertChange:
    """Edit: a new cell now sits at ``index`` (0-based over all cells, markdown and raw too)."""

    op: Literal["insert"] = _tag("insert")
    index: int
    cell: CellRecord


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteChange:
    """Edit: the cell is gone."""

    op: Literal["delete"] = _tag("delete")
    id: CellId


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveChange:
    """Edit: the cell now sits at ``index`` (counted after removing it from its old place)."""

    op: Literal["move"] = _tag("move")
    id: CellId
    index: int


Change = UpdateChange | InsertChange | DeleteChange | MoveChange


@dataclass(frozen=True, slots=True, kw_only=True)
class CellStateRecord:
    """One code cell's state; ``reason`` (tooltip text), ``cells`` and ``names`` say why."""

    id: CellId
    state: CellState
    reason: str = ""
    cells: tuple[CellId, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningRecord:
    """Something the analysis cannot see through (``%run``); it does not stop the cell."""

    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CellGraphRecord:
    """One code cell in the graph: what it does to names, where its references bind, its errors.

    ``bindings`` goes on the wire as an object ``{name: producer cell id or null}``, in tuple order.
    """

    id: CellId
    defines: tuple[str, ...]
    references: tuple[str, ...]
    mutates: tuple[str, ...]
    deletes: tuple[str, ...]
    bindings: tuple[Binding, ...] = field(metadata={"wire": "mapping"})
    parents: tuple[CellId, ...]
    children: tuple[CellId, ...]
    errors: tuple[GraphError, ...]
    warnings: tuple[WarningRecord, ...] = ()


# -- requests: front end -> kernel ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HelloRequest:
    """Opens the conversation; the front end carries out run plans from now on. Reply: welcome."""

    type: Literal["hello"] = _tag("hello")
    request_id: str
    client: str
    mode: Mode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncNotebookRequest:
    """The whole notebook in display order; replaces the kernel's view. Reply: ack."""

    type: Literal["sync_notebook"] = _tag("sync_notebook")
    request_id: str
    cells: tuple[CellRecord, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EditCellsRequest:
    """Edits applied in order, all or nothing (the kernel checks them first). Reply: ack."""

    type: Literal["edit_cells"] = _tag("edit_cells")
    request_id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SetModeRequest:
    """Switch between eager and lazy. Reply: ack."""

    type: Literal["set_mode"] = _tag("set_mode")
    request_id: str
    mode: Mode


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestPlanRequest:
    """Which cells to run for ``action``; ``cell_ids`` is non-empty for ``run``. Reply: run_plan."""

    type: Literal["request_plan"] = _tag("request_plan")
    request_id: str
    action: PlanAction
    cell_ids: tuple[CellId, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AbortPlanRequest:
    """Stop plan ``plan_id`` (interrupt, or the user gave up). Reply: ack."""

    type: Literal["abort_plan"] = _tag("abort_plan")
    request_id: str
    plan_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GetGraphRequest:
    """Ask for the dependency graph. Reply: graph_snapshot."""

    type: Literal["get_graph"] = _tag("get_graph")
    request_id: str


# -- kernel -> front end -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WelcomeReply:
    """The reply to hello: the kernel's version and current mode."""

    type: Literal["welcome"] = _tag("welcome")
    reply_to: str
    kernel_version: str
    mode: Mode


@dataclass(frozen=True, slots=True, kw_only=True)
class AckReply:
    """The request was applied."""

    type: Literal["ack"] = _tag("ack")
    reply_to: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorReply:
    """The request was refused, changing nothing; ``reply_to`` is None if its id was unreadable."""

    type: Literal["error"] = _tag("error")
    code: ErrorCode
    message: str
    reply_to: str | None = None
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CellStates:
    """Code cells' states; ``complete`` says whether every code cell is listed or only changes."""

    type: Literal["cell_states"] = _tag("cell_states")
    states: tuple[CellStateRecord, ...]
    complete: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphSnapshot:
    """The dependency graph, as a reply to get_graph (``reply_to`` set) or unprompted.

    ``mode`` is set when the mode changed from inside the kernel (the ``%reactive`` magic), so
    the front end learns of it.
    """

    type: Literal["graph_snapshot"] = _tag("graph_snapshot")
    cells: tuple[CellGraphRecord, ...]
    order: tuple[CellId, ...]
    complete: bool
    reply_to: str | None = None
    mode: Mode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPlan:
    """Cells for the front end to execute in order, each by an ordinary execute_request.

    A reply to request_plan (``reply_to`` set), or unprompted when a cell ran and its downstream
    must cascade, or a widget changed. ``origin`` is the cell or widget that caused it.
    """

    type: Literal["run_plan"] = _tag("run_plan")
    plan_id: str
    cells: tuple[CellId, ...]
    trigger: Trigger
    origin: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanFinished:
    """A plan is over: ok, error (``failed_cell`` says which cell raised) or aborted."""

    type: Literal["plan_finished"] = _tag("plan_finished")
    plan_id: str
    status: PlanStatus
    failed_cell: CellId | None = None


Request = (
    HelloRequest
    | SyncNotebookRequest
    | EditCellsRequest
    | SetModeRequest
    | RequestPlanRequest
    | AbortPlanRequest
    | GetGraphRequest
)
KernelMessage = (
    WelcomeReply | AckReply | ErrorReply | CellStates | GraphSnapshot | RunPlan | PlanFinished
)
Message = Request | KernelMessage

REQUEST_CLASSES: Final[tuple[type[Request], ...]] = (
    HelloRequest,
    SyncNotebookRequest,
    EditCellsRequest,
    SetModeRequest,
    RequestPlanRequest,
    AbortPlanRequest,
    GetGraphRequest,
)
KERNEL_MESSAGE_CLASSES: Final[tuple[type[KernelMessage], ...]] = (
    WelcomeReply,
    AckReply,
    ErrorReply,
    CellStates,
    GraphSnapshot,
    RunPlan,
    PlanFinished,
)


def type_of(cls: type[Message]) -> str:
    """The wire ``type`` of a message class (``HelloRequest`` -> ``"hello"``)."""
    tag = cls.__dataclass_fields__["type"].default
    assert isinstance(tag, str)
    return tag


REQUEST_TYPES: Final[Mapping[str, type[Request]]] = MappingProxyType(
    {type_of(c): c for c in REQUEST_CLASSES}
)
KERNEL_MESSAGE_TYPES: Final[Mapping[str, type[KernelMessage]]] = MappingProxyType(
    {type_of(c): c for c in KERNEL_MESSAGE_CLASSES}
)
