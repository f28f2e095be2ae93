"""Drives one open notebook in the browser: JupyterLab's public API through ``window.jupyterapp``
for actions (the same commands a user's keys and clicks run), the DOM for what the user sees."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

if TYPE_CHECKING:
    from tests.e2e.conftest import LabServer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STATES = ("fresh", "stale", "queued", "running", "error", "blocked", "graph-error")

# Runs before every snippet: finds this notebook's panel and a few helpers.
PRELUDE = """
const app = window.jupyterapp;
const panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === PATH);
const nb = panel ? panel.content : null;
const cellById = id => nb && nb.widgets.find(c => c.model.id === id);
const indexOf = id => nb.widgets.findIndex(c => c.model.id === id);
const STATES = __STATES__;
const stateOf = id => {
  const cell = cellById(id);
  if (!cell) return 'missing';
  return STATES.find(s => cell.node.classList.contains('rk-mod-' + s)) || null;
};
const outputOf = id => {
  const cell = cellById(id);
  if (!cell || !cell.model.outputs) return null;
  return cell.model.outputs.toJSON().map(o => {
    if (o.output_type === 'stream') return Array.isArray(o.text) ? o.text.join('') : o.text;
    if (o.output_type === 'error') return o.ename + ': ' + o.evalue + '\\n';
    const data = o.data || {};
    const plain = data['text/plain'];
    return (Array.isArray(plain) ? plain.join('') : plain || '') + '\\n';
  }).join('');
};
""".replace("__STATES__", json.dumps(STATES))


def write_notebook(path: Path, cells: list[tuple[str, str]], mode: str | None = None) -> None:
    """An .ipynb on the reactive kernel whose code cells have the given (id, source)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "reactive",
        "display_name": "Python 3 (reactive)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    if mode is not None:
        nb.metadata["reactive"] = {"mode": mode}
    nb.cells = [nbformat.v4.new_code_cell(source, id=cell_id) for cell_id, source in cells]
    nbformat.write(nb, str(path))


class NotebookPage:
    def __init__(self, page: Any, lab: LabServer, name: str) -> None:
        self.page = page
        self.lab = lab
        self.name = name

    # -- plumbing ------------------------------------------------------------------------------

    def js(self, body: str, arg: Any = None) -> Any:
        """Evaluate ``body`` (a function body; ``arg`` is its argument) with the prelude."""
        script = f"async ([PATH, arg]) => {{ {PRELUDE}\n{body} }}"
        return self.page.evaluate(script, [self.name, arg])

    def wait(self, condition: str, arg: Any = None, timeout: float = 30, what: str = "") -> None:
        """Wait until the JS expression ``condition`` (with the prelude) is true."""
        script = f"([PATH, arg]) => {{ {PRELUDE}\nreturn Boolean({condition}); }}"
        try:
            self.page.wait_for_function(
                script, arg=[self.name, arg], timeout=timeout * 1000, polling=100
            )
        except Exception as error:
            snapshot = self.describe()
            raise AssertionError(
                f"timed out waiting for {what or condition}\n{snapshot}"
            ) from error

    def describe(self) -> str:
        """Every cell's id, state, execution count and output, for failure messages."""
        try:
            rows = self.js(
                "return nb.widgets.map(c => [c.model.id, stateOf(c.model.id), "
                "c.model.executionCount, outputOf(c.model.id)]);"
            )
        except Exception as error:  # the page is gone
            return f"(no notebook: {error})"
        return "\n".join(f"  {r[0]}: {r[1]} [{r[2]}] {r[3]!r}" for r in rows)

    # -- actions -------------------------------------------------------------------------------

    def open(self) -> None:
        self.page.goto(f"{self.lab.url}/lab/tree/{self.name}?reset&token={self.lab.token}")
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        self.wait(
            "nb && nb.node.classList.contains('rk-mod-reactive') && "
            "nb.widgets.every(c => stateOf(c.model.id) !== null)",
            timeout=60,
            what="the notebook to connect to the reactive kernel",
        )

    def command(self, command: str, args: dict[str, Any] | None = None) -> None:
        """Start a command and return at once (a command that opens a dialog never resolves)."""
        self.js("app.commands.execute(arg[0], arg[1]); return null;", [command, args or {}])

    def select(self, cell_id: str) -> None:
        self.js(
            "nb.activeCellIndex = indexOf(arg); nb.deselectAll(); nb.mode = 'command';", cell_id
        )

    def run(self, cell_id: str) -> None:
        """Run one cell as the user does (notebook:run-cell on the active cell)."""
        self.select(cell_id)
        self.command("notebook:run-cell")

    def set_source(self, cell_id: str, source: str) -> None:
        """Replace a cell's text, as typing does (a change of the shared model)."""
        self.js("cellById(arg[0]).model.sharedModel.setSource(arg[1]);", [cell_id, source])

    def locator(self, cell_id: str, inner: str = "") -> Any:
        """A Playwright locator for a cell (by id), or for ``inner`` inside it."""
        self.js("cellById(arg).node.dataset.rkId = arg;", cell_id)
        return self.page.locator(f".jp-Cell[data-rk-id='{cell_id}'] {inner}".strip())

    def drag(self, control: Any, fractions: Iterable[float]) -> None:
        """Press the mouse on ``control`` (a slider) at the first fraction of its width, move
        through the others without pauses, and release at the last."""
        box = control.bounding_box()
        assert box is not None, "the control is not shown"
        y = box["y"] + box["height"] / 2
        points = [box["x"] + box["width"] * f for f in fractions]
        self.page.mouse.move(points[0], y)
        self.page.mouse.down()
        for x in points[1:]:
            self.page.mouse.move(x, y)
        self.page.mouse.up()

    def type_into(self, cell_id: str, text: str) -> None:
        """Click into a cell's editor and type at its end with the keyboard."""
        self.locator(cell_id, ".cm-content").click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Escape")

    def screenshot(self, name: str) -> None:
        """Save docs/screenshots/<name>.png, only when REACTIVE_SCREENSHOTS=1."""
        if os.environ.get("REACTIVE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.wait_for_timeout(300)  # let the last animation frame paint
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):  # the page or kernel is gone already
            self.js("if (panel) { await panel.sessionContext.shutdown(); } return null;")

    # -- what the user sees --------------------------------------------------------------------

    def state(self, cell_id: str) -> str | None:
        return self.js("return stateOf(arg);", cell_id)  # type: ignore[no-any-return]

    def states(self) -> dict[str, str | None]:
        return dict(self.js("return nb.widgets.map(c => [c.model.id, stateOf(c.model.id)]);"))

    def output(self, cell_id: str) -> str:
        return self.js("return outputOf(arg);", cell_id)  # type: ignore[no-any-return]

    def execution_count(self, cell_id: str) -> int | None:
        return self.js("return cellById(arg).model.executionCount;", cell_id)  # type: ignore[no-any-return]

    def badge(self, cell_id: str) -> dict[str, str]:
        """The state badge's text, and its tooltip as built on hover."""
        locator = self.locator(cell_id, ".rk-CellBadge")
        locator.hover()
        return {"text": locator.inner_text(), "title": locator.get_attribute("title") or ""}

    def wait_states(self, expected: dict[str, str], timeout: float = 30) -> None:
        self.wait(
            "Object.entries(arg).every(([id, s]) => stateOf(id) === s)",
            expected,
            timeout,
            what=f"states {expected}",
        )

    def wait_output(self, cell_id: str, text: str, timeout: float = 30) -> None:
        self.wait(
            "(outputOf(arg[0]) || '').includes(arg[1])",
            [cell_id, text],
            timeout,
            what=f"output of {cell_id} to contain {text!r}",
        )

    def wait_idle(self, timeout: float = 30) -> None:
        """No cell running or queued, and the kernel idle."""
        self.wait(
            "panel.sessionContext.kernelDisplayStatus === 'idle' && "
            "nb.widgets.every(c => !['running', 'queued'].includes(stateOf(c.model.id)))",
            timeout=timeout,
            what="the notebook to settle",
        )
