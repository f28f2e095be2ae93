"""The reactive kernel: ipykernel's IPythonKernel plus a notebook model that decides what runs.

Only the ``do_execute`` hook is overridden (ipykernel's wire handler ``execute_request`` is left as
it is): before the cell's code runs, the session restores the versions it reads (or refuses it, or
defers it behind upstream cells); after, it records the versions the cell made and reports states
and plans on the comm. User code runs through IPython's ordinary ``run_cell``: no tracing, no
per-line hooks, so it runs at full speed.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from ipykernel.ipkernel import IPythonKernel

from reactive_kernel._version import __version__
from reactive_kernel.analysis import analyze_cell, is_private
from reactive_kernel.kernel.bridge import KernelBridge
from reactive_kernel.kernel.magics import ReactiveMagics
from reactive_kernel.kernel.session import Defer, Go, Outcome, ReactiveSession, Refuse
from reactive_kernel.kernel.widgets import WidgetWatcher
from reactive_kernel.planning.ledger import Snapshot
from reactive_kernel.protocol import COMM_TARGET, warm_up
from reactive_kernel.types import CellId

# Underscore names IPython itself keeps in the namespace (output and input history, `!cmd` status):
# they are not cell-private names of the user's and must survive a cell.
_IPYTHON_NAMES = re.compile(r"_(|_|__|i|ii|iii|i\d+|\d+|ih|oh|dh|sh|exit_code)")


def _is_cell_private(name: str) -> bool:
    return is_private(name) and not _IPYTHON_NAMES.fullmatch(name)


_EMPTY = object()


def _namespace_mark(namespace: dict[str, Any]) -> object:
    """Where the namespace ends before a run: its last key. A dict keeps insertion order, so the
    names a run adds come after it, and finding them costs the names added, not a copy of the
    whole namespace (which grows with IPython's history names). Another mapping gets a copy."""
    if type(namespace) is not dict:
        return set(namespace)
    return next(reversed(namespace), _EMPTY)


def _names_since(namespace: dict[str, Any], mark: object) -> list[str]:
    """The names added to ``namespace`` since ``mark`` (or re-added after a ``del``)."""
    if isinstance(mark, set):
        return list(namespace.keys() - mark)
    added: list[str] = []
    for name in reversed(namespace):
        if name == mark:
            return added
        added.append(name)
    # The mark itself was deleted (or the namespace was empty): every name is a candidate. By the
    # time a cell starts no cell-private name is left, so only this run's can be found.
    return added


class ReactiveKernel(IPythonKernel):
    """IPythonKernel whose cell runs follow the notebook's dependency graph.

    Responsibilities: translate execute requests into session decisions, run user code through
    IPython, clean cell-private names, and hand states and plans to the comm bridge.
    """

    implementation = "reactive_kernel"
    implementation_version = __version__
    banner = f"Python 3 (reactive) - reactive-kernel {__version__}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        assert self.shell is not None
        self.reactive = ReactiveSession(self.shell.user_ns)
        self.bridge = KernelBridge(self, self.reactive)
        self.comm_manager.register_target(COMM_TARGET, self.bridge.on_comm_open)
        self.shell.register_magics(ReactiveMagics(self.shell, kernel=self))
        self.pending_inline: list[CellId] = []  # cells %reactive run-stale asked for
        self._executing = 0  # execute requests in progress (an async cell lets comm msgs in)
        self.widgets = WidgetWatcher(
            self.reactive,
            self.bridge,
            self.shell.user_ns,
            # add_callback is thread-safe: a widget may change in a subshell's thread.
            schedule=lambda delay, callback: self.io_loop.add_callback(
                self.io_loop.call_later, delay, callback
            ),
            from_frontend=self._handling_comm_msg,
            busy=lambda: self._executing > 0,
        )
        self._hook_namespace_reset()
        # Importing jsonschema and compiling the protocol schema takes about a second: do it in
        # the background so that neither kernel start nor the front end's first message waits.
        threading.Thread(target=warm_up, name="reactive-schema-warm-up", daemon=True).start()

    def _hook_namespace_reset(self) -> None:
        """``%reset`` (and anything else calling ``shell.reset``) empties the user namespace behind
        the session's back: afterwards no version is in memory, so every cell is stale and a run
        rebuilds what it reads. IPython has no event for this, hence the wrapper."""
        assert self.shell is not None
        shell_reset = self.shell.reset

        def reset(new_session: bool = True, aggressive: bool = False) -> None:
            shell_reset(new_session, aggressive)
            self.reactive.reset_namespace()
            self.widgets.clear()

        self.shell.reset = reset

    async def do_execute(
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool = False,
        *,
        cell_meta: dict[str, Any] | None = None,
        cell_id: str | None = None,
    ) -> dict[str, Any]:
        self._executing += 1
        try:
            return await self._do_execute(
                code,
                silent,
                store_history,
                user_expressions,
                allow_stdin,
                cell_meta=cell_meta,
                cell_id=cell_id,
            )
        finally:
            self._executing -= 1

    async def _do_execute(
        self,
        code: str,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, Any] | None,
        allow_stdin: bool,
        *,
        cell_meta: dict[str, Any] | None,
        cell_id: str | None,
    ) -> dict[str, Any]:
        args = (code, silent, store_history, user_expressions, allow_stdin)
        if silent:
            # Silent requests come from tools (completers, variable inspectors), not the notebook.
            return await super().do_execute(*args, cell_meta=cell_meta, cell_id=cell_id)

        decision = self.reactive.prepare(cell_id, code)
        if isinstance(decision, Refuse):
            reply = self._refuse(decision.ename, decision.message, store_history)
        elif isinstance(decision, Defer):
            reply = self._defer(decision, store_history)
        else:
            reply = await self._go(decision, args, cell_meta)
        if self.pending_inline:
            await self._run_pending_inline()
        self.bridge.publish_states()
        return reply

    # -- the three decisions -------------------------------------------------------------------

    async def _go(
        self, decision: Go, args: tuple[Any, ...], cell_meta: dict[str, Any] | None
    ) -> dict[str, Any]:
        for upstream in decision.inline_first:
            self._note(f"re-running {self.reactive.label(upstream)} first to rebuild what it reads")
            if not await self._run_inline(upstream):
                label = self.reactive.label(upstream)
                return self._refuse("BlockedError", f"{label}, upstream, failed", args[2])
        cell = decision.cell
        if cell is None:
            reply = await super().do_execute(*args, cell_meta=cell_meta)
            stale = self.reactive.untracked_run(analyze_cell(args[0]))
            self._report_stale(stale)
            return reply
        self.reactive.restore_inputs(cell)
        before = self._before(cell)
        reply = await super().do_execute(*args, cell_meta=cell_meta, cell_id=cell)
        self._after(cell, before, reply)
        return reply

    def _refuse(self, ename: str, message: str, store_history: bool) -> dict[str, Any]:
        """Answer without running: publish an error the notebook shows in the cell's output."""
        assert self.shell is not None
        traceback = [f"\x1b[0;31m{ename}\x1b[0m: {message}"]
        content = {"ename": ename, "evalue": message, "traceback": traceback}
        self.send_response(self.iopub_socket, "error", content)
        if store_history:
            self.shell.execution_count += 1
        return {
            "status": "error",
            **content,
            "execution_count": self.shell.execution_count - 1,
            "user_expressions": {},
            "payload": [],
        }

    def _defer(self, decision: Defer, store_history: bool) -> dict[str, Any]:
        """Upstream cells must run first: the front end runs the plan, this cell included."""
        assert self.shell is not None
        labels = ", ".join(self.reactive.label(c) for c in decision.plan.before(decision.cell))
        self._note(f"queued: running {labels} first, then this cell")
        assert self.reactive.active is not None
        plan = decision.plan
        self.bridge.send_run_plan(self.reactive.active.id, plan.cells, plan, origin=decision.cell)
        if store_history:
            self.shell.execution_count += 1
        return {
            "status": "ok",
            "execution_count": self.shell.execution_count - 1,
            "user_expressions": {},
            "payload": [],
        }

    # -- bookkeeping around a cell run ---------------------------------------------------------

    def _before(self, cell: CellId) -> tuple[Snapshot, object]:
        assert self.shell is not None
        snapshot = self.reactive.before_run(cell)
        # "running" goes out only if the cell is still running a moment later; otherwise it
        # travels with the states sent when the cell ends (one cell_states per fast cell run).
        self.bridge.publish_states(defer=True)
        return snapshot, _namespace_mark(self.shell.user_ns)

    def _after(
        self, cell: CellId, before: tuple[Snapshot, object], reply: dict[str, Any]
    ) -> Outcome:
        assert self.shell is not None
        snapshot, mark = before
        namespace = self.shell.user_ns
        for name in [n for n in _names_since(namespace, mark) if _is_cell_private(n)]:
            del namespace[name]  # cell-private: no other cell may see it (REACTIVITY.md 2)
        if reply.get("status") == "ok":
            status = "ok"
        elif reply.get("ename") == "KeyboardInterrupt":
            status = "aborted"
        else:
            status = "error"
        error = f"it raised {reply.get('ename', 'an error')}: {reply.get('evalue', '')}"
        outcome = self.reactive.finish(cell, snapshot, status, error)  # type: ignore[arg-type]
        self.widgets.after_run(cell)
        if outcome.push is not None:
            plan_id, plan = outcome.push
            self.bridge.send_run_plan(plan_id, plan.after(cell), plan, origin=cell)
        if outcome.finished is not None:
            self.bridge.send_plan_finished(*outcome.finished)
        self._report_stale(outcome.stale)
        return outcome

    async def _run_inline(self, cell: CellId) -> bool:
        """Run a known cell's code inside the current request (no front end to run it)."""
        assert self.shell is not None
        source = self.reactive.graph.source(cell)
        self.reactive.restore_inputs(cell)
        before = self._before(cell)
        result = await self.shell.run_cell_async(
            source, store_history=False, transformed_cell=self.shell.transform_cell(source)
        )
        error = result.error_before_exec or result.error_in_exec
        reply: dict[str, Any] = {"status": "ok" if result.success else "error"}
        if error is not None:
            reply |= {"ename": type(error).__name__, "evalue": str(error)}
        self._after(cell, before, reply)
        return bool(result.success)

    async def _run_pending_inline(self) -> None:
        """Carry out ``%reactive run-stale`` after the magic's own cell finished."""
        cells, self.pending_inline = self.pending_inline, []
        for cell in cells:
            if cell not in self.reactive.graph or not self.reactive.states.needs_run(cell):
                continue
            if self.reactive.planner.blocker(cell) is not None:
                continue
            self._note(f"running {self.reactive.label(cell)}")
            if not await self._run_inline(cell):
                break

    def _handling_comm_msg(self) -> bool:
        """Is the code running now handling a comm message from the front end (a widget's state
        update), rather than a cell?"""
        parent = self.get_parent("shell") or {}
        return bool(parent.get("header", {}).get("msg_type") == "comm_msg")

    # -- messages to the user without a front end ----------------------------------------------

    def _note(self, text: str) -> None:
        """A one-line note in the cell's output (stderr, so that it stands apart from results)."""
        sys.stdout.flush()  # our iopub message must not overtake the cell's buffered output
        sys.stderr.flush()
        self.send_response(
            self.iopub_socket, "stream", {"name": "stderr", "text": f"[reactive] {text}\n"}
        )

    def _report_stale(self, stale: tuple[CellId, ...] | list[CellId]) -> None:
        """Without a front end, say which known cells are now stale and how to update them."""
        if not stale or self.bridge.attached:
            return
        labels = ", ".join(self.reactive.label(c) for c in stale[:8])
        more = f" and {len(stale) - 8} more" if len(stale) > 8 else ""
        self._note(
            f"{len(stale)} cell(s) now stale: {labels}{more}. "
            "Run %reactive run-stale to update them."
        )
