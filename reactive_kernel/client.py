"""A front end of the reactive protocol in Python, over jupyter_client.

It does what the lab extension does, without a browser: opens the ``reactive_kernel`` comm, sends
the notebook's cells, executes cells with their id in the request metadata, and carries out the run
plans the kernel sends. ``reactive-kernel run`` and the kernel tests use it.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from reactive_kernel.protocol import COMM_TARGET, PROTOCOL_VERSION

Wire = dict[str, Any]


class KernelConnection(Protocol):
    """The part of jupyter_client's ``BlockingKernelClient`` this client uses; also offered by
    ``reactive_kernel.remote.KernelSocket`` (a kernel on a remote server). A connection with a
    ``close_reason`` attribute (the socket) says why it is no longer alive."""

    @property
    def session(self) -> Any: ...
    @property
    def shell_channel(self) -> Any: ...
    def get_shell_msg(self, timeout: float | None = None) -> Any: ...
    def get_iopub_msg(self, timeout: float | None = None) -> Any: ...
    def is_alive(self) -> bool: ...


class ClientError(RuntimeError):
    """The kernel did not answer as the protocol says (timeout, error reply, dead kernel)."""


class CellTimeout(ClientError):
    """A cell did not finish executing within the client's ``timeout``."""


@dataclass
class Execution:
    """One execute_request and everything the kernel published for it."""

    cell_id: str | None
    reply: Wire
    outputs: list[Wire] = field(default_factory=list)

    @property
    def status(self) -> str:
        return str(self.reply.get("status"))

    @property
    def stdout(self) -> str:
        return "".join(
            o["text"]
            for o in self.outputs
            if o.get("output_type") == "stream" and o["name"] == "stdout"
        )

    @property
    def stderr(self) -> str:
        return "".join(
            o["text"]
            for o in self.outputs
            if o.get("output_type") == "stream" and o["name"] == "stderr"
        )

    @property
    def text(self) -> str:
        """stdout plus the text/plain of results and displays: what a person would read."""
        parts = []
        for out in self.outputs:
            kind = out.get("output_type")
            if kind == "stream" and out["name"] == "stdout":
                parts.append(out["text"])
            elif kind in ("execute_result", "display_data"):
                parts.append(str(out["data"].get("text/plain", "")) + "\n")
        return "".join(parts)


class ReactiveClient:
    """Drives a kernel through the reactive protocol, as the lab extension would.

    ``messages`` holds every comm message from the kernel, in arrival order; ``states`` the last
    reported state of each cell. ``on_output`` is called with (cell id, output) as outputs arrive.
    """

    def __init__(
        self,
        kc: KernelConnection,
        timeout: float = 60.0,
        on_output: Callable[[str | None, Wire], None] | None = None,
    ) -> None:
        self.kc = kc
        self.timeout = timeout
        self.on_output = on_output
        self.comm_id = uuid.uuid4().hex
        self.messages: list[Wire] = []
        self.states: dict[str, Wire] = {}
        self.executions: list[Execution] = []
        self.running: str | None = None  # the cell whose execute request awaits its end
        self._pending_plans: list[Wire] = []
        self._ids = itertools.count(1)
        self._outputs: dict[str, list[Wire]] = {}
        self._idle: set[str] = set()
        self._cell_of: dict[str, str | None] = {}
        self.sources: dict[str, str] = {}  # each cell's source as last sent or executed
        self.comm_opens: list[Wire] = []  # comms the kernel opened (widget models), content

    # -- the comm ------------------------------------------------------------------------------

    def open(self, client: str = "reactive-kernel-python-client", mode: str | None = None) -> Wire:
        """Open the comm and say hello; returns the kernel's welcome."""
        msg = self.kc.session.msg(
            "comm_open", {"comm_id": self.comm_id, "target_name": COMM_TARGET, "data": {}}
        )
        self.kc.shell_channel.send(msg)
        fields: Wire = {"client": client}
        if mode is not None:
            fields["mode"] = mode
        return self.request("hello", **fields)

    def send_comm(self, comm_id: str, data: Wire) -> None:
        """Send a ``comm_msg`` on another comm (a widget model's, as the widget manager does)."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)

    def send(self, data: Wire) -> None:
        """Send any comm payload as is (tests use this for malformed messages)."""
        self.send_comm(self.comm_id, data)

    def request(self, type_: str, **fields: Any) -> Wire:
        """Send a request and wait for its reply (the specific reply or an ``error``)."""
        request_id = f"r{next(self._ids)}"
        self.send({"protocol": PROTOCOL_VERSION, "type": type_, "request_id": request_id, **fields})
        return self.wait_for(lambda m: m.get("reply_to") == request_id, f"a reply to {type_}")

    def sync(self, cells: Iterable[tuple[str, str] | tuple[str, str, str]]) -> Wire:
        """Send the whole notebook: (id, source) for code cells or (id, source, kind)."""
        records = [
            {"id": c[0], "source": c[1], "kind": c[2] if len(c) > 2 else "code"} for c in cells
        ]
        self.sources.update({r["id"]: r["source"] for r in records})
        return self.request("sync_notebook", cells=records)

    def wait_for(self, predicate: Callable[[Wire], bool], what: str) -> Wire:
        """Read iopub until a comm message matching ``predicate`` arrives."""
        deadline = time.monotonic() + self.timeout
        seen = len(self.messages)
        while True:
            for message in self.messages[seen:]:
                if predicate(message):
                    return message
            seen = len(self.messages)
            if time.monotonic() > deadline:
                raise ClientError(f"timed out after {self.timeout:.0f} s waiting for {what}")
            self._pump(deadline)

    def pump_for(self, seconds: float) -> None:
        """Read iopub for ``seconds``, filing what arrives (what the kernel sends unprompted)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._pump(deadline)

    # -- execution -----------------------------------------------------------------------------

    def execute(self, code: str, cell_id: str | None = None, run_plans: bool = True) -> Execution:
        """Execute ``code`` as cell ``cell_id``; then carry out any plan the kernel pushed.

        Returns the execution of this cell; the planned cells' executions are in ``executions``.
        """
        execution = self._execute_one(code, cell_id)
        if run_plans:
            self.run_pending_plans()
        return execution

    def run_pending_plans(self, sources: dict[str, str] | None = None) -> list[Execution]:
        """Execute the cells of every plan the kernel pushed, in order, each as its own request.

        ``sources`` gives each cell's code; by default the source last sent for it is used.
        A failing cell stops its plan, as in JupyterLab.
        """
        done: list[Execution] = []
        while self._pending_plans:
            plan = self._pending_plans.pop(0)
            done += self.run_cells(plan["cells"], sources)
        return done

    def run_cells(
        self, cell_ids: Iterable[str], sources: dict[str, str] | None = None
    ) -> list[Execution]:
        """Execute cells in the given order, each as its own request; stop at the first failure."""
        done: list[Execution] = []
        for cell_id in cell_ids:
            code = (sources or self.sources).get(cell_id)
            if code is None:
                raise ClientError(
                    f"the kernel planned cell {cell_id!r}, which this client does not know"
                )
            execution = self._execute_one(code, cell_id)
            done.append(execution)
            if execution.status != "ok":
                break
        return done

    def _execute_one(self, code: str, cell_id: str | None) -> Execution:
        if cell_id is not None:
            self.sources[cell_id] = code
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        metadata = {"cellId": cell_id} if cell_id is not None else {}
        msg = self.kc.session.msg("execute_request", content, metadata=metadata)
        msg_id = msg["header"]["msg_id"]
        self._outputs[msg_id] = []
        self._cell_of[msg_id] = cell_id
        self.kc.shell_channel.send(msg)
        deadline = time.monotonic() + self.timeout
        self.running = cell_id
        reply = self._wait_shell_reply(msg_id, deadline)
        while msg_id not in self._idle:  # outputs may trail the reply: wait for iopub idle
            if time.monotonic() > deadline:
                raise CellTimeout(f"timed out waiting for cell {cell_id!r} to finish")
            self._pump(deadline)
        self.running = None
        execution = Execution(cell_id, reply, self._outputs.pop(msg_id))
        self.executions.append(execution)
        return execution

    def _wait_shell_reply(self, msg_id: str, deadline: float) -> Wire:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CellTimeout(
                    f"timed out after {self.timeout:.0f} s waiting for an execute reply"
                )
            try:
                reply = self.kc.get_shell_msg(timeout=min(remaining, 0.2))
            except Exception:  # queue.Empty: keep iopub flowing while we wait
                self._pump(time.monotonic() + 0.05)
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return dict(reply["content"])

    def _pump(self, deadline: float) -> None:
        """Read one iopub message (waiting at most until ``deadline``) and file it."""
        try:
            msg = self.kc.get_iopub_msg(timeout=max(0.01, min(0.2, deadline - time.monotonic())))
        except Exception:  # queue.Empty
            if not self.kc.is_alive():
                reason = getattr(self.kc, "close_reason", None)
                message = f"lost the kernel: {reason}" if reason else "the kernel died"
                raise ClientError(message) from None
            return
        kind = msg["header"]["msg_type"]
        parent = msg["parent_header"].get("msg_id")
        content = msg["content"]
        if kind == "comm_msg" and content.get("comm_id") == self.comm_id:
            self._receive(content["data"])
        elif kind == "comm_open":
            self.comm_opens.append(content)
        elif kind == "status" and content.get("execution_state") == "idle" and parent:
            self._idle.add(parent)
        elif parent in self._outputs and kind in (
            "stream",
            "display_data",
            "execute_result",
            "error",
        ):
            output = {"output_type": kind, **content}
            self._outputs[parent].append(output)
            if self.on_output is not None:
                self.on_output(self._cell_of.get(parent), output)
        elif parent in self._outputs and kind == "clear_output":
            self._outputs[parent].clear()

    def _receive(self, data: Wire) -> None:
        self.messages.append(data)
        if data.get("type") == "cell_states":
            for record in data["states"]:
                self.states[record["id"]] = record
        elif data.get("type") == "run_plan" and "reply_to" not in data:
            self._pending_plans.append(data)
        elif data.get("type") == "plan_finished" and data["status"] != "ok":
            # A plan the kernel stopped before we began it (a newer plan replaced it): skip it.
            self._pending_plans = [
                p for p in self._pending_plans if p["plan_id"] != data["plan_id"]
            ]
