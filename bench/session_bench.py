"""The kernel's own bookkeeping per cascaded cell, in process: ``python bench/session_bench.py``.

Drives ``ReactiveSession`` and ``KernelBridge`` the way ``ReactiveKernel.do_execute`` does for each
cell of a chain cascade (prepare, restore, before_run and the deferred states, finish, the final
states), with a stub comm and no user code, so the figure is the kernel's work alone: no zmq, no
client, far less sensitive to machine load than the end-to-end cascade in kernel_bench.py. It
should stay flat as the chain grows. Prints microseconds and ``cell_states`` messages per cell run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reactive_kernel.kernel.bridge import KernelBridge
from reactive_kernel.kernel.session import ReactiveSession
from reactive_kernel.types import CellId, CellSource

LENGTHS = (25, 200, 400, 1000)


class StubComm:
    def __init__(self) -> None:
        self.sent = 0

    def send(self, _data: Any) -> None:
        self.sent += 1

    def on_msg(self, _callback: Any) -> None:
        pass

    def on_close(self, _callback: Any) -> None:
        pass


def per_cell(length: int, rounds: int = 3) -> tuple[float, float]:
    """Microseconds of bookkeeping and ``cell_states`` messages per cascaded cell."""
    namespace: dict[str, object] = {}
    session = ReactiveSession(namespace)
    bridge = KernelBridge(None, session)  # type: ignore[arg-type]  # no kernel needed
    comm = StubComm()
    bridge.on_comm_open(comm, {})  # type: ignore[arg-type]
    session.frontend = True
    cells = [("k0", "v0 = 0")] + [(f"k{i}", f"v{i} = v{i - 1} + 1") for i in range(1, length)]
    session.sync([CellSource(CellId(c), source, "code") for c, source in cells])

    def run(cell_id: str, source: str) -> None:
        cell = CellId(cell_id)
        session.prepare(cell_id, source)
        session.restore_inputs(cell)
        snapshot = session.before_run(cell)
        bridge.publish_states(defer=True)
        namespace[f"v{cell_id[1:]}"] = 1  # what the cell's code would do
        session.finish(cell, snapshot, "ok")
        bridge.publish_states()

    for cell_id, source in cells:  # every cell fresh; each round below is one cascade from k0
        run(cell_id, source)
    comm.sent = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for cell_id, source in cells:
            run(cell_id, source)
    runs = rounds * length
    return (time.perf_counter() - started) / runs * 1e6, comm.sent / runs


def main() -> int:
    print("| chain length | µs per cascaded cell | cell_states per cell run |")
    print("| ---: | ---: | ---: |")
    for length in LENGTHS:
        micros, messages = per_cell(length)
        print(f"| {length} | {micros:.0f} | {messages:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
