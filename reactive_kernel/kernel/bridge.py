"""KernelBridge: the kernel's end of the ``reactive_kernel`` comm (docs/protocol.md).

It validates every incoming message against the protocol's schema, applies requests to the session,
answers each request exactly once (its reply or an ``error``), and sends the session's states, graph
and run plans to the front end. A malformed or unknown message gets an error reply and changes
nothing: edit batches are checked in full before any change is applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reactive_kernel._version import __version__
from reactive_kernel.kernel.edits import EditError, apply_edits
from reactive_kernel.kernel.session import ReactiveSession
from reactive_kernel.planning.planner import RunPlan
from reactive_kernel.planning.states import StateDetail
from reactive_kernel.protocol import PROTOCOL_VERSION, ProtocolError, parse_message
from reactive_kernel.types import CellId, CellSource

if TYPE_CHECKING:
    from comm.base_comm import BaseComm

    from reactive_kernel.kernel.reactive import ReactiveKernel

Wire = dict[str, Any]
log = logging.getLogger(__name__)


class KernelBridge:
    """Translates between comm messages and the ReactiveSession.

    Responsibilities: the comm's lifetime (one front end at a time; a new one replaces the old),
    request dispatch, error replies, and publishing states, graph snapshots and plans.
    """

    def __init__(self, kernel: ReactiveKernel, session: ReactiveSession) -> None:
        self._kernel = kernel
        self._session = session
        self._comm: BaseComm | None = None
        self._handlers: dict[str, Callable[[Wire], Wire]] = {
            "hello": self._hello,
            "sync_notebook": self._sync_notebook,
            "edit_cells": self._edit_cells,
            "set_mode": self._set_mode,
            "request_plan": self._request_plan,
            "abort_plan": self._abort_plan,
            "get_graph": self._get_graph,
        }

    @property
    def attached(self) -> bool:
        """A front end opened the comm and said hello: it will carry out plans."""
        return self._comm is not None and self._session.frontend

    # -- comm lifetime ---------------------------------------------------------------------------

    def on_comm_open(self, comm: BaseComm, open_msg: Wire) -> None:
        if self._comm is not None:
            self._session.frontend = False
        self._comm = comm
        comm.on_msg(self._on_msg)
        comm.on_close(self._on_close)

    def _on_close(self, _msg: Wire) -> None:
        self._comm = None
        self._session.frontend = False
        self._session.abort_plan("the front end went away")

    def _on_msg(self, msg: Wire) -> None:
        data = msg.get("content", {}).get("data")
        request_id = data.get("request_id") if isinstance(data, dict) else None
        reply_to = request_id if isinstance(request_id, str) else None
        try:
            message = parse_message(data)
            reply = self._handlers[message.type](data)
        except ProtocolError as error:
            reply = self._error(reply_to, error.code, error.message, error.details)
        except EditError as error:
            reply = self._error(reply_to, error.code, str(error), {})
        except Exception as error:  # a bug of ours: say so, keep the kernel alive
            log.exception("reactive comm handler failed")
            reply = self._error(reply_to, "internal", f"{type(error).__name__}: {error}", {})
        else:
            reply["reply_to"] = reply_to
        self._send(reply)
        self.publish_states()

    # -- requests --------------------------------------------------------------------------------

    def _hello(self, data: Wire) -> Wire:
        if "mode" in data:
            self._session.mode = data["mode"]
        self._session.frontend = True
        return {"type": "welcome", "kernel_version": __version__, "mode": self._session.mode}

    def _sync_notebook(self, data: Wire) -> Wire:
        cells = [CellSource(CellId(c["id"]), c["source"], c["kind"]) for c in data["cells"]]
        self._session.sync(cells)
        self._send(self.graph_snapshot())
        self._send(self.states_message(self._session.all_states(), complete=True))
        return {"type": "ack"}

    def _edit_cells(self, data: Wire) -> Wire:
        apply_edits(self._session, data["changes"])
        self._send(self.graph_snapshot())
        return {"type": "ack"}

    def _set_mode(self, data: Wire) -> Wire:
        self._session.mode = data["mode"]
        return {"type": "ack"}

    def _request_plan(self, data: Wire) -> Wire:
        session = self._session
        action = data["action"]
        if action == "run":
            unknown = [c for c in data["cell_ids"] if c not in session.graph]
            if unknown:
                raise EditError("unknown_cell", f"no code cell with id {unknown[0]!r} in the notebook")
            targets = [CellId(c) for c in data["cell_ids"]]
        elif action == "run_stale":
            targets = session.stale_cells()
        else:
            targets = session.graph.order()
        plan_id, plan = session.plan(targets, action)
        return self._plan_message(plan_id, plan.cells, plan, origin=None)

    def _abort_plan(self, data: Wire) -> Wire:
        active = self._session.active
        if active is not None and active.id == data["plan_id"]:
            self._session.abort_plan("the front end stopped it")
            self._send({"type": "plan_finished", "plan_id": data["plan_id"], "status": "aborted"})
        return {"type": "ack"}

    def _get_graph(self, _data: Wire) -> Wire:
        return self.graph_snapshot()

    # -- notifications -------------------------------------------------------------------------

    def publish_states(self) -> None:
        """Send the states that changed since the last call (nothing without a front end)."""
        changes = self._session.take_state_changes()
        if changes and self.attached:
            self._send(self.states_message(changes, complete=False))

    def send_run_plan(
        self, plan_id: str, cells: Sequence[CellId], plan: RunPlan, origin: CellId | None
    ) -> None:
        if self.attached:
            self._send(self._plan_message(plan_id, cells, plan, origin))

    def send_plan_finished(self, plan_id: str, status: str, failed: CellId | None) -> None:
        if self.attached:
            message: Wire = {"type": "plan_finished", "plan_id": plan_id, "status": status}
            if failed is not None:
                message["failed_cell"] = failed
            self._send(message)

    def send_mode(self) -> None:
        """The mode changed from inside the kernel (the magic): tell the front end."""
        if self.attached:
            self._send(self.graph_snapshot())

    def states_message(
        self, states: Sequence[tuple[CellId, StateDetail]], complete: bool
    ) -> Wire:
        records = []
        for cell, detail in states:
            record: Wire = {"id": cell, "state": detail.state}
            if detail.reason:
                record["reason"] = detail.reason
            if detail.cells:
                record["cells"] = list(detail.cells)
            if detail.names:
                record["names"] = list(detail.names)
            records.append(record)
        return {"type": "cell_states", "states": records, "complete": complete}

    def graph_snapshot(self) -> Wire:
        graph = self._session.graph
        cells = []
        for cell in graph.cell_ids():
            analysis = graph.analysis(cell)
            bindings = graph.bindings(cell)
            cells.append(
                {
                    "id": cell,
                    "defines": sorted(analysis.defines),
                    "references": sorted(b.name for b in bindings),
                    "mutates": sorted(analysis.mutates),
                    "deletes": sorted(analysis.deletes),
                    "bindings": {b.name: b.producer for b in bindings},
                    "parents": sorted(graph.parents(cell), key=graph.index),
                    "children": sorted(graph.children(cell), key=graph.index),
                    "errors": [_error_record(e) for e in graph.errors(cell)],
                }
            )
        return {"type": "graph_snapshot", "cells": cells, "order": graph.order(), "complete": True}

    # -- internals -------------------------------------------------------------------------------

    def _plan_message(
        self, plan_id: str, cells: Sequence[CellId], plan: RunPlan, origin: CellId | None
    ) -> Wire:
        message: Wire = {
            "type": "run_plan",
            "plan_id": plan_id,
            "cells": list(cells),
            "trigger": plan.trigger,
        }
        if origin is not None:
            message["origin"] = origin
        return message

    def _error(self, reply_to: str | None, code: str, text: str, details: Wire) -> Wire:
        message: Wire = {"type": "error", "code": code, "message": text}
        if reply_to is not None:
            message["reply_to"] = reply_to
        if details:
            message["details"] = details
        return message

    def _send(self, message: Wire) -> None:
        if self._comm is None:
            return
        if message.get("reply_to", "") is None:
            del message["reply_to"]
        self._comm.send({"protocol": PROTOCOL_VERSION, **message})


def _error_record(error: Any) -> Wire:
    record: Wire = {"kind": error.kind, "message": error.message}
    if error.cells:
        record["cells"] = list(error.cells)
    if error.names:
        record["names"] = list(error.names)
    if error.line is not None:
        record["line"] = error.line
    return record
