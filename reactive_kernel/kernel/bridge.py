"""KernelBridge: the kernel's end of the ``reactive_kernel`` comm (docs/protocol.md).

It validates every incoming message against the protocol's schema, applies requests to the session,
answers each request exactly once (its reply or an ``error``), and sends the session's states, graph
and run plans to the front end. A malformed or unknown message gets an error reply and changes
nothing: edit batches are checked in full before any change is applied.

Messages are built as the protocol's typed records and turned into JSON by ``to_wire``, so the
kernel cannot send a field the schema does not know.

Graph snapshots: the reply to an ``edit_cells`` batch is partial (``complete: false``) and lists
only the cells whose record differs from the one last sent, when the batch left the code cells in
the same display order; every other snapshot (``sync_notebook``, ``get_graph``, a mode change, the
first one a front end gets, a batch that inserted, deleted or moved a code cell) is complete. The
bridge keeps the records it last sent to compare against.

Cell states: one ``cell_states`` per cell run, sent after it, for a cell that runs for less than
``RUNNING_STATE_DELAY``. What changed as the cell started (it is ``running``; a new plan's cells are
``queued``) waits that long and, if the cell is still running then, goes out on its own from a
worker thread (the main thread is busy running the user's code); otherwise it is folded into the
message sent when the cell ends. A fast cell's ``running`` state would only flicker for a few
milliseconds; the deferral saves a message per cell run in the kernel and in the front end.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reactive_kernel._version import __version__
from reactive_kernel.kernel.edits import EditError, apply_edits
from reactive_kernel.kernel.session import ReactiveSession
from reactive_kernel.planning.planner import RunPlan as PlannedRun
from reactive_kernel.planning.states import StateDetail
from reactive_kernel.protocol import (
    AbortPlanRequest,
    AckReply,
    CellGraphRecord,
    CellStateRecord,
    CellStates,
    DeleteChange,
    EditCellsRequest,
    ErrorReply,
    GetGraphRequest,
    GraphSnapshot,
    HelloRequest,
    InsertChange,
    KernelMessage,
    Mode,
    PlanFinished,
    ProtocolError,
    Request,
    RequestPlanRequest,
    RunPlan,
    SetModeRequest,
    SyncNotebookRequest,
    WarningRecord,
    WelcomeReply,
    parse_request,
    to_wire,
)
from reactive_kernel.types import CellId, CellSource

if TYPE_CHECKING:
    from comm.base_comm import BaseComm

    from reactive_kernel.kernel.reactive import ReactiveKernel

log = logging.getLogger(__name__)

RUNNING_STATE_DELAY = 0.1
"""Seconds a cell runs before the states that changed as it started (``running``, ``queued``) are
sent on their own; a cell that ends sooner sends them with its final states, in one message."""

StateChanges = list[tuple[CellId, StateDetail]]
T = TypeVar("T")


class KernelBridge:
    """Translates between comm messages and the ReactiveSession.

    Responsibilities: the comm's lifetime (one front end at a time; a new one replaces the old),
    request dispatch, error replies, and publishing states, graph snapshots and plans.
    """

    def __init__(self, kernel: ReactiveKernel, session: ReactiveSession) -> None:
        self._kernel = kernel
        self._session = session
        self._comm: BaseComm | None = None
        # What the front end holds of the graph: the records last sent, the code cells in display
        # order as of the last snapshot, whether it had a complete one, and, per cell, the cells
        # whose sent errors name it (their message text holds its label).
        self._sent: dict[CellId, CellGraphRecord] = {}
        self._sent_ids: list[CellId] = []
        self._sent_complete = False
        self._named_by: dict[CellId, set[CellId]] = {}
        # The state record the front end holds per cell: a record equal to it is not sent again
        # (re-running a fresh cell that has no dependents then costs no message at all).
        self._sent_states: dict[CellId, CellStateRecord] = {}
        self._deferred = DelayedSend[StateChanges](RUNNING_STATE_DELAY, self._send_states)
        self._handlers: dict[type[Request], Callable[[Any], KernelMessage]] = {
            HelloRequest: self._hello,
            SyncNotebookRequest: self._sync_notebook,
            EditCellsRequest: self._edit_cells,
            SetModeRequest: self._set_mode,
            RequestPlanRequest: self._request_plan,
            AbortPlanRequest: self._abort_plan,
            GetGraphRequest: self._get_graph,
        }

    @property
    def attached(self) -> bool:
        """A front end opened the comm and said hello: it will carry out plans."""
        return self._comm is not None and self._session.frontend

    # -- comm lifetime ---------------------------------------------------------------------------

    def on_comm_open(self, comm: BaseComm, open_msg: dict[str, Any]) -> None:
        if self._comm is not None:
            # A second front end (another browser tab) replaces the first; it must say hello.
            self._session.frontend = False
        self._deferred.take_back()  # states meant for the old front end
        self._comm = comm
        self._forget_sent_graph()  # the new front end knows nothing yet
        comm.on_msg(self._on_msg)
        comm.on_close(self._on_close)

    def _on_close(self, _msg: dict[str, Any]) -> None:
        self._deferred.take_back()
        self._comm = None
        self._session.frontend = False
        self._session.abort_plan("the front end went away")
        self._session.ended.clear()  # nobody is left to tell

    def _on_msg(self, msg: dict[str, Any]) -> None:
        data = msg.get("content", {}).get("data")
        reply_to = _request_id(data)
        reply: KernelMessage
        try:
            request = parse_request(data)
            reply = self._handlers[type(request)](request)
        except ProtocolError as error:
            reply = error.reply()
        except EditError as error:
            reply = ErrorReply(code=error.code, message=str(error), reply_to=reply_to)
        except Exception as error:  # a bug of ours: say so, keep the kernel alive
            log.exception("reactive comm handler failed")
            text = f"{type(error).__name__}: {error}"
            reply = ErrorReply(code="internal", message=text, reply_to=reply_to)
        # States first: when the reply arrives, the front end already knows what the request
        # changed.
        self.publish_states()
        self._send(reply)

    # -- requests --------------------------------------------------------------------------------

    def _hello(self, request: HelloRequest) -> WelcomeReply:
        if request.mode is not None:
            self._session.mode = request.mode
        self._session.frontend = True
        self._forget_sent_graph()
        return WelcomeReply(
            reply_to=request.request_id, kernel_version=__version__, mode=self._session.mode
        )

    def _sync_notebook(self, request: SyncNotebookRequest) -> AckReply:
        self._session.sync([CellSource(c.id, c.source, c.kind) for c in request.cells])
        self._send(self.graph_snapshot())
        states = self.states_message(self._session.all_states(), complete=True)
        self._sent_states = {record.id: record for record in states.states}
        self._send(states)
        return AckReply(reply_to=request.request_id)

    def _edit_cells(self, request: EditCellsRequest) -> AckReply:
        session = self._session
        apply_edits(session, request.changes)
        for change in request.changes:  # their next state goes out whatever it is
            self._sent_states.pop(
                change.cell.id if isinstance(change, InsertChange) else change.id, None
            )
        self._send(self.graph_snapshot(partial=True))
        orphans = session.take_orphans()
        if orphans and session.mode == "eager":
            # Deleted definitions are gone from memory; cells that used them re-run now, and
            # show the NameError, rather than keep outputs computed from code that is gone.
            plan_id, plan = session.plan(orphans, "delete")
            self._send_ended_plans()
            deleted = next(c.id for c in request.changes if isinstance(c, DeleteChange))
            self._send(
                RunPlan(plan_id=plan_id, cells=tuple(plan.cells), trigger="delete", origin=deleted)
            )
        return AckReply(reply_to=request.request_id)

    def _set_mode(self, request: SetModeRequest) -> AckReply:
        self._session.mode = request.mode
        return AckReply(reply_to=request.request_id)

    def _request_plan(self, request: RequestPlanRequest) -> RunPlan:
        session = self._session
        if request.action == "run":
            unknown = [c for c in request.cell_ids if c not in session.graph]
            if unknown:
                raise EditError(
                    "unknown_cell", f"no code cell with id {unknown[0]!r} in the notebook"
                )
            targets = list(request.cell_ids)
        elif request.action == "run_stale":
            targets = session.stale_cells()
        else:
            targets = session.graph.order()
        plan_id, plan = session.plan(targets, request.action)
        return RunPlan(
            plan_id=plan_id,
            cells=tuple(plan.cells),
            trigger=plan.trigger,
            reply_to=request.request_id,
        )

    def _abort_plan(self, request: AbortPlanRequest) -> AckReply:
        active = self._session.active
        if active is not None and active.id == request.plan_id:
            self._session.abort_plan("the front end stopped it")
        return AckReply(reply_to=request.request_id)

    def _get_graph(self, request: GetGraphRequest) -> GraphSnapshot:
        return self.graph_snapshot(reply_to=request.request_id)

    # -- notifications -------------------------------------------------------------------------

    def publish_states(self, defer: bool = False) -> None:
        """Send the states that changed since the last call (nothing without a front end).

        ``defer``: a cell is about to run. Send them only if it still runs ``RUNNING_STATE_DELAY``
        seconds from now; the next call (when it ends) takes them back and sends them along with
        its own, in one message, unless they went out already.
        """
        self._send_ended_plans()
        changes = self._session.take_state_changes()
        pending = self._deferred.take_back()
        if pending:
            changes = self._merge(pending, changes)
        if not changes or not self.attached:
            return
        if defer:
            self._deferred.put(changes)
        else:
            self._send_states(changes)

    def _merge(self, first: StateChanges, then: StateChanges) -> StateChanges:
        """Both lists of changes as one, in display order; ``then`` wins for a cell in both."""
        graph = self._session.graph
        merged = dict(first)
        merged.update(then)
        return [(c, merged[c]) for c in sorted((c for c in merged if c in graph), key=graph.index)]

    def _send_states(self, changes: StateChanges) -> None:
        """Send the records that differ from what the front end holds (called on the main thread,
        or on the DelayedSend worker while it holds its lock: never both at once)."""
        message = self.states_message(changes, complete=False)
        sent = self._sent_states
        records = tuple(r for r in message.states if sent.get(r.id) != r)
        if records:
            sent.update((r.id, r) for r in records)
            self._send(CellStates(states=records, complete=False))

    def _send_ended_plans(self) -> None:
        """Every plan the kernel stopped (another cell ran, a new plan, an edit touched it)
        ends with ``plan_finished: aborted``, so the front end stops carrying it out."""
        ended, self._session.ended = self._session.ended, []
        if self.attached:
            for plan_id in ended:
                self._send(PlanFinished(plan_id=plan_id, status="aborted"))

    def send_run_plan(
        self, plan_id: str, cells: Sequence[CellId], plan: PlannedRun, origin: CellId | None
    ) -> None:
        self._send_ended_plans()
        if self.attached:
            self._send(
                RunPlan(plan_id=plan_id, cells=tuple(cells), trigger=plan.trigger, origin=origin)
            )

    def send_plan_finished(self, plan_id: str, status: str, failed: CellId | None) -> None:
        if self.attached:
            self._send(PlanFinished(plan_id=plan_id, status=status, failed_cell=failed))  # type: ignore[arg-type]

    def send_mode(self) -> None:
        """The mode changed from inside the kernel (the magic): tell the front end."""
        if self.attached:
            self._send(self.graph_snapshot(mode=self._session.mode))

    def states_message(
        self, states: Sequence[tuple[CellId, StateDetail]], complete: bool
    ) -> CellStates:
        records = tuple(
            CellStateRecord(
                id=cell,
                state=detail.state,
                reason=detail.reason,
                cells=tuple(detail.cells),
                names=tuple(detail.names),
            )
            for cell, detail in states
        )
        return CellStates(states=records, complete=complete)

    def graph_snapshot(
        self, reply_to: str | None = None, mode: Mode | None = None, partial: bool = False
    ) -> GraphSnapshot:
        """The graph for the front end, remembered as sent.

        ``partial``: list only the cells whose record changed since the last snapshot
        (``complete: false``). It is complete all the same when the front end has no complete
        snapshot yet or the code cells' display order changed (a code cell was inserted, deleted or
        moved): the front end merges a partial snapshot by cell id and cannot drop or reorder
        cells. ``order`` always lists every code cell.
        """
        graph = self._session.graph
        changed = self._session.take_graph_changes()
        ids = graph.cell_ids()
        if partial and self._sent_complete and ids == self._sent_ids:
            reach = self._reach(changed)
            fresh = (self._record(cell) for cell in sorted(reach, key=graph.index))
            cells = tuple(r for r in fresh if r != self._sent.get(r.id))
            complete = False
        else:
            cells = tuple(self._record(cell) for cell in ids)
            complete = True
        self._remember(cells, ids, complete)
        return GraphSnapshot(
            cells=cells,
            order=tuple(graph.order()),
            complete=complete,
            reply_to=reply_to,
            mode=mode,
        )

    def _record(self, cell: CellId) -> CellGraphRecord:
        graph = self._session.graph
        analysis = graph.analysis(cell)
        bindings = tuple(graph.bindings(cell))
        return CellGraphRecord(
            id=cell,
            defines=tuple(sorted(analysis.defines)),
            references=tuple(sorted(b.name for b in bindings)),
            mutates=tuple(sorted(analysis.mutates)),
            deletes=tuple(sorted(analysis.deletes)),
            bindings=bindings,
            parents=tuple(sorted(graph.parents(cell), key=graph.index)),
            children=tuple(sorted(graph.children(cell), key=graph.index)),
            errors=tuple(graph.errors(cell)),
            warnings=tuple(
                WarningRecord(message=w.message, line=w.line, column=w.column)
                for w in analysis.warnings
            ),
        )

    def _reach(self, changed: set[CellId]) -> set[CellId]:
        """The cells whose record may differ from the one sent, given the cells whose source,
        bindings or errors changed: those, their parents before and after (whose ``children``
        changed), and the cells whose errors name them (the label in the message may have
        changed)."""
        graph = self._session.graph
        reach = set(changed)
        for cell in changed:
            if cell in graph:
                reach |= graph.parents(cell)
            sent = self._sent.get(cell)
            if sent is not None:
                reach.update(sent.parents)
            reach |= self._named_by.get(cell, set())
        return {cell for cell in reach if cell in graph}

    def _remember(
        self, records: Sequence[CellGraphRecord], ids: list[CellId], complete: bool
    ) -> None:
        """Keep ``records`` as what the front end has. Cells whose errors changed also get their
        states sent again: a graph error's state reason is its message."""
        relabelled = [
            r.id for r in records if r.id in self._sent and self._sent[r.id].errors != r.errors
        ]
        if complete:
            self._sent, self._named_by = {}, {}
        for record in records:
            old = self._sent.get(record.id)
            if old is not None:
                for named in _named(old):
                    self._named_by.get(named, set()).discard(record.id)
            self._sent[record.id] = record
            for named in _named(record):
                self._named_by.setdefault(named, set()).add(record.id)
        self._sent_ids = ids
        self._sent_complete = True
        self._session.note_state_changes(relabelled)

    def _forget_sent_graph(self) -> None:
        self._sent, self._named_by, self._sent_ids = {}, {}, []
        self._sent_complete = False
        self._sent_states = {}

    # -- internals -------------------------------------------------------------------------------

    def _send(self, message: KernelMessage) -> None:
        if self._comm is not None:
            self._comm.send(to_wire(message))


def _request_id(data: object) -> str | None:
    """The request id of a message, if it has a readable one (for replies to broken requests)."""
    if isinstance(data, dict) and isinstance(data.get("request_id"), str):
        return str(data["request_id"])
    return None


def _named(record: CellGraphRecord) -> set[CellId]:
    """The other cells a record's error messages name."""
    return {CellId(cell) for error in record.errors for cell in error.cells} - {record.id}


class DelayedSend(Generic[T]):
    """One item to send after a delay, from a worker thread, unless taken back first.

    ``put`` replaces the item waiting (callers take it back and merge first) and restarts the
    delay. The item is sent while the lock is held, so once ``take_back`` returns, an item it did
    not return was already handed on: nothing the caller sends next can overtake it. The worker
    starts on the first ``put`` and sleeps without a deadline while nothing waits.
    """

    def __init__(self, delay: float, send: Callable[[T], None]) -> None:
        self._delay = delay
        self._send = send
        self._lock = threading.Condition()
        self._item: tuple[float, T] | None = None  # (deadline, item)
        self._thread: threading.Thread | None = None
        self._sleeping = False  # the worker waits with no deadline: a put must wake it

    def put(self, item: T) -> None:
        with self._lock:
            self._item = (time.monotonic() + self._delay, item)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="reactive-delayed-states", daemon=True
                )
                self._thread.start()
            elif self._sleeping:
                self._lock.notify()
            # Otherwise the worker waits for an earlier deadline; it then finds this later one.

    def take_back(self) -> T | None:
        """The item still waiting, if any; it will not be sent."""
        with self._lock:
            waiting, self._item = self._item, None
        return None if waiting is None else waiting[1]

    def _work(self) -> None:
        with self._lock:
            while True:
                if self._item is None:
                    self._sleeping = True
                    self._lock.wait()
                    self._sleeping = False
                    continue
                deadline, item = self._item
                left = deadline - time.monotonic()
                if left > 0:
                    self._lock.wait(left)
                    continue
                self._item = None
                try:
                    self._send(item)
                except Exception:  # a bug of ours, or the comm went away: keep the worker alive
                    log.exception("sending delayed cell states failed")
