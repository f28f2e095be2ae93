"""A test notebook driven through a real reactive kernel process, as the lab extension drives it.

``LiveNotebook`` keeps a list of cells with ids, sends them to the kernel over the comm, runs cells
(carrying out the plans the kernel pushes) and reads back outputs and states. Every comm message
the kernel sends is checked against the protocol's schema as it arrives.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jupyter_client.manager import KernelManager, start_new_kernel

from reactive_kernel.client import Execution, ReactiveClient
from reactive_kernel.protocol import validate_outgoing


class CheckedClient(ReactiveClient):
    """A ReactiveClient that fails the test when the kernel breaks the protocol: a message the
    schema rejects, or a plan sent twice (the front end would run its cells twice)."""

    def _receive(self, data: dict[str, Any]) -> None:
        validate_outgoing(data)
        if data.get("type") == "run_plan":
            sent = [m["plan_id"] for m in self.messages if m.get("type") == "run_plan"]
            assert data["plan_id"] not in sent, f"plan {data['plan_id']} was sent twice"
        super()._receive(data)


@contextmanager
def reactive_kernel(timeout: float = 30.0) -> Iterator[tuple[KernelManager, CheckedClient]]:
    """A fresh reactive kernel process and a client of its comm (not opened yet)."""
    km, kc = start_new_kernel(kernel_name="reactive", startup_timeout=60)
    try:
        yield km, CheckedClient(kc, timeout=timeout)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


class LiveNotebook:
    """Cells with ids (``c0``, ``c1``, ...) kept in sync with the kernel through the comm."""

    def __init__(self, client: CheckedClient, sources: list[str]) -> None:
        self.client = client
        self._ids = itertools.count(len(sources))
        self.ids = [f"c{i}" for i in range(len(sources))]
        self.sources = dict(zip(self.ids, sources, strict=True))
        client.sync([(cid, self.sources[cid]) for cid in self.ids])

    # -- edits (sent the way the extension sends them) -----------------------------------------

    def edit(self, index: int, source: str) -> None:
        cid = self.ids[index]
        self.sources[cid] = source
        self._send_changes([{"op": "update", "id": cid, "source": source}])

    def insert(self, index: int, source: str) -> str:
        cid = f"c{next(self._ids)}"
        self.ids.insert(index, cid)
        self.sources[cid] = source
        cell = {"id": cid, "kind": "code", "source": source}
        self._send_changes([{"op": "insert", "index": index, "cell": cell}])
        return cid

    def delete(self, index: int) -> None:
        cid = self.ids.pop(index)
        del self.sources[cid]
        self._send_changes([{"op": "delete", "id": cid}])

    def move(self, index: int, to: int) -> None:
        cid = self.ids.pop(index)
        self.ids.insert(to, cid)
        self._send_changes([{"op": "move", "id": cid, "index": to}])

    def _send_changes(self, changes: list[dict[str, Any]]) -> None:
        reply = self.client.request("edit_cells", changes=changes)
        assert reply["type"] == "ack", reply
        self.client.sources.update(self.sources)

    # -- running -------------------------------------------------------------------------------

    def run(self, index: int) -> Execution:
        """Run one cell as the user would (Shift+Enter), then carry out any pushed plan."""
        cid = self.ids[index]
        return self.client.execute(self.sources[cid], cid)

    def run_all(self) -> list[Execution]:
        plan = self.client.request("request_plan", action="run_all", cell_ids=[])
        return self.client.run_cells(plan["cells"])

    def run_stale(self) -> list[Execution]:
        plan = self.client.request("request_plan", action="run_stale", cell_ids=[])
        return self.client.run_cells(plan["cells"])

    # -- reading back --------------------------------------------------------------------------

    def runs_of(self, index: int) -> list[Execution]:
        """Every execution of cell ``index`` so far, oldest first."""
        cid = self.ids[index]
        return [e for e in self.client.executions if e.cell_id == cid]

    def last(self, index: int) -> Execution:
        runs = self.runs_of(index)
        assert runs, f"cell {index} never ran"
        return runs[-1]

    def state(self, index: int) -> str:
        return str(self.client.states[self.ids[index]]["state"])

    def state_record(self, index: int) -> dict[str, Any]:
        return dict(self.client.states[self.ids[index]])

    def evaluate(self, expression: str) -> str:
        """The repr of an expression in the kernel, run outside any cell (like a console)."""
        execution = self.client.execute(f"print(repr({expression}))", None, run_plans=False)
        assert execution.status == "ok", execution.reply
        return execution.stdout.strip()
