"""The ``%reactive`` line magic: the reactive kernel's controls for front ends without the
extension.

``%reactive status`` lists every known cell's state, ``%reactive run-stale`` runs the stale cells in
execution order, ``%reactive mode [eager|lazy]`` shows or sets the mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from IPython.core.magic import Magics, line_magic, magics_class

from reactive_kernel.planning.planner import Mode

if TYPE_CHECKING:
    from reactive_kernel.kernel.reactive import ReactiveKernel

USAGE = """Usage:
  %reactive status           show every known cell's state
  %reactive run-stale        run the stale cells, in execution order
  %reactive mode [eager|lazy] show or set the mode"""


@magics_class
class ReactiveMagics(Magics):
    """Registers ``%reactive``; the work is done by the kernel's session."""

    def __init__(self, shell: Any, kernel: ReactiveKernel) -> None:
        super().__init__(shell)
        self._kernel = kernel

    @line_magic
    def reactive(self, line: str) -> None:
        words = line.split()
        command, rest = (words[0], words[1:]) if words else ("status", [])
        session = self._kernel.reactive
        if command == "status":
            for cell, detail in session.all_states():
                reason = f": {detail.reason}" if detail.reason and detail.state != "fresh" else ""
                print(f"{session.label(cell)}  {detail.state}{reason}")
            if not session.graph.cell_ids():
                print("No cells known yet: run some cells first.")
        elif command == "run-stale":
            stale = session.stale_cells()
            if not stale:
                print("Nothing is stale.")
            # The cells run after this one finishes, from the kernel's execute handler: IPython
            # cannot run a cell from inside another cell's run.
            self._kernel.pending_inline = stale
        elif command == "mode":
            if rest:
                modes: dict[str, Mode] = {"eager": "eager", "lazy": "lazy"}
                if rest[0] not in modes:
                    raise ValueError(f"unknown mode {rest[0]!r}: use eager or lazy")
                session.mode = modes[rest[0]]
                self._kernel.bridge.send_mode()
            print(f"mode: {session.mode}")
        else:
            print(USAGE)
