"""Values from the browser (``set_state``, as ipywidgets calls it for a ``comm_msg`` update).

A bad value never raises into the kernel: it is clamped or repaired, or refused with a logged
warning, and the browser is sent the kernel's value back. The ES modules parse (``node --check``),
and the reactive kernel's watcher sees a browser change of a ``ui`` widget and plans its readers.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reactive_kernel import ui
from reactive_kernel.ui.base import STATIC, module

pytestmark = pytest.mark.unit


def record_sends(widget: Any) -> list[dict[str, Any]]:
    """The ``update`` states the widget sends to the browser (its comm is a dummy here)."""
    sent: list[dict[str, Any]] = []

    def send(msg: dict[str, Any], buffers: object = None) -> None:
        if msg.get("method") == "update":
            sent.append(msg["state"])

    widget._send = send
    return sent


# (widget, what the browser sends, the value after, what the browser is sent back or None)
CASES: list[tuple[str, Callable[[], Any], object, object, object]] = [
    ("slider ok", lambda: ui.slider(0, 10), 4, 4, None),
    ("slider above", lambda: ui.slider(0, 10), 99, 10, 10),
    ("slider below", lambda: ui.slider(0, 10, value=5), -3, 0, 0),
    ("slider float to int", lambda: ui.slider(0, 10), 2.6, 3, 3),
    ("slider text", lambda: ui.slider(0, 10, value=5), "7", 5, 5),
    ("slider null", lambda: ui.slider(0, 10, value=5), None, 5, 5),
    ("slider bool", lambda: ui.slider(0, 10, value=5), True, 5, 5),
    ("range swapped", lambda: ui.range_slider(0, 10), [8, 2], (2, 8), [2, 8]),
    ("range out", lambda: ui.range_slider(0, 10), [-5, 50], (0, 10), [0, 10]),
    ("range shape", lambda: ui.range_slider(0, 10), [1], (0, 10), [0, 10]),
    ("number clamp", lambda: ui.number(0, 5), 9, 5, 5),
    ("number free", lambda: ui.number(), 1e9, 1e9, None),
    ("text cut", lambda: ui.text(max_length=3), "abcdef", "abc", "abc"),
    ("text type", lambda: ui.text("x"), 5, "x", "x"),
    ("checkbox", lambda: ui.checkbox(), True, True, None),
    ("checkbox int", lambda: ui.checkbox(), 1, False, False),
    ("button", lambda: ui.button(), 1, 1, None),
    ("button negative", lambda: ui.button(), -1, 0, 0),
    ("dropdown", lambda: ui.dropdown({"one": 1, "two": 2}), "two", 2, None),
    ("dropdown unknown", lambda: ui.dropdown(["a", "b"]), "z", "a", "a"),
    ("dropdown null", lambda: ui.dropdown(["a", "b"]), None, "a", "a"),
    ("dropdown null allowed", lambda: ui.dropdown(["a"], "a", allow_none=True), None, None, None),
    ("radio unknown", lambda: ui.radio(["a", "b"], "b"), "q", "b", "b"),
    ("multiselect", lambda: ui.multiselect(["a", "b", "c"]), ["c", "a"], ["a", "c"], ["a", "c"]),
    ("multiselect unknown", lambda: ui.multiselect(["a", "b"]), ["b", "x", 3], ["b"], ["b"]),
    ("date", lambda: ui.date("2024-01-01"), "2024-05-06", dt.date(2024, 5, 6), None),
    (
        "date clamp",
        lambda: ui.date("2024-01-01", stop="2024-03-01"),
        "2030-01-01",
        dt.date(2024, 3, 1),
        "2024-03-01",
    ),
    ("date junk", lambda: ui.date("2024-01-01"), "soon", dt.date(2024, 1, 1), "2024-01-01"),
]


@pytest.mark.parametrize(
    ("name", "make", "sent", "value", "back"), CASES, ids=[c[0] for c in CASES]
)
def test_values_from_the_browser_are_checked(
    name: str, make: Callable[[], Any], sent: object, value: object, back: object
) -> None:
    widget = make()
    updates = record_sends(widget)
    widget.set_state({"value": sent})  # never raises
    assert widget.value == value
    resent = [u["value"] for u in updates if "value" in u]
    if back is None:
        assert resent == []
    else:
        assert resent and resent[-1] == back


def test_a_refused_value_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    slider = ui.slider(0, 10, value=5)
    with caplog.at_level(logging.WARNING, logger="reactive_kernel.ui"):
        slider.set_state({"value": "lots"})
    assert "ui.slider: ignored value='lots' from the browser" in caplog.text


def test_only_frontend_keys_are_accepted_from_the_browser() -> None:
    slider = ui.slider(0, 10)
    updates = record_sends(slider)
    slider.set_state({"stop": 1000, "value": 50})
    assert slider.stop == 10
    assert slider.value == 10  # clamped to the kernel's bounds, not the browser's
    assert updates[-1] == {"stop": 10, "value": 10}


def test_observers_see_the_clamped_value_once() -> None:
    slider = ui.slider(0, 10)
    seen: list[object] = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    slider.set_state({"value": 11})
    slider.set_state({"value": 12})
    assert seen == [10]


def test_uploaded_files_arrive_as_buffers_and_become_bytes() -> None:
    upload = ui.file_upload(multiple=True, max_size=10)
    file = {"name": "a.csv", "type": "text/csv", "size": 3, "content": memoryview(b"x,y")}
    upload.set_state({"value": [file]})
    assert upload.value == [{"name": "a.csv", "type": "text/csv", "size": 3, "content": b"x,y"}]
    too_big = {"name": "b.bin", "type": "", "size": 11, "content": memoryview(b"0" * 11)}
    upload.set_state({"value": [too_big]})
    assert upload.value[0]["name"] == "a.csv"  # refused, the old files stay
    single = ui.file_upload()
    single.set_state({"value": [file, file]})
    assert single.value == []


def test_file_upload_does_not_echo_contents() -> None:
    trait = ui.FileUpload.class_traits()["value"]
    assert trait.metadata["echo_update"] is False


# -- the ES modules ---------------------------------------------------------------------------

MODULES = sorted(p.stem for p in STATIC.glob("*.mjs") if p.stem != "prelude")


@pytest.mark.parametrize("name", MODULES)
def test_es_module_parses(name: str, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = tmp_path / f"{name}.mjs"
    path.write_text(module(name), encoding="utf-8")
    result = subprocess.run(
        [node, "--check", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", MODULES)
def test_es_module_is_self_contained(name: str) -> None:
    source = module(name)
    assert "export default" in source
    # No imports: the notebook may have no internet, and anywidget resolves nothing relative.
    assert not re.search(r"^\s*import\b|\bimport\(", source, re.MULTILINE)
    assert "http" not in source


def test_every_widget_uses_an_existing_module() -> None:
    for widget in (ui.slider(0, 1), ui.radio(["a"]), ui.table([]), ui.callout("x")):
        assert widget._esm in {module(name) for name in MODULES}


def test_theme_uses_jupyterlab_variables() -> None:
    css = (STATIC / "theme.css").read_text(encoding="utf-8")
    for variable in ("--jp-brand-color1", "--jp-layout-color1", "--jp-ui-font-color1"):
        assert f"var({variable}" in css


def test_slider_module_throttles_input_and_sends_on_release() -> None:
    source = module("slider")
    assert 'addEventListener("input"' in source and 'addEventListener("change"' in source
    assert "rkThrottle(" in source and "send.cancel()" in source


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_throttle_sends_the_last_value(tmp_path: Path) -> None:
    """The prelude's throttle, run in node: a burst sends a few values and always the last."""
    script = tmp_path / "throttle.mjs"
    script.write_text(
        (STATIC / "prelude.mjs").read_text(encoding="utf-8")
        + """
const sent = [];
const send = rkThrottle((v) => sent.push(v), 20);
for (let i = 1; i <= 50; i++) { send(i); await new Promise((r) => setTimeout(r, 2)); }
await new Promise((r) => setTimeout(r, 60));
console.log(JSON.stringify(sent));
""",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    sent = [int(v) for v in result.stdout.strip()[1:-1].split(",")]
    assert sent[-1] == 50
    assert 2 <= len(sent) < 50
    assert sent == sorted(sent)


# -- the reactive kernel sees browser changes of ui widgets ----------------------------------


def test_a_browser_change_plans_the_readers() -> None:
    from reactive_kernel.kernel.session import Go, ReactiveSession
    from reactive_kernel.kernel.widgets import WidgetWatcher
    from reactive_kernel.types import CellId

    class Bridge:
        attached = True

        def __init__(self) -> None:
            self.plans: list[tuple[CellId, ...]] = []

        def send_run_plan(self, plan_id: str, cells: Any, plan: Any, origin: Any) -> None:
            self.plans.append(tuple(cells))

        def publish_states(self) -> None:
            pass

    timers: list[Callable[[], None]] = []
    now = [0.0]
    ns: dict[str, Any] = {}
    session = ReactiveSession(ns)
    bridge = Bridge()
    watcher = WidgetWatcher(
        session,
        bridge,  # type: ignore[arg-type]
        ns,
        schedule=lambda _delay, callback: timers.append(callback),
        from_frontend=lambda: True,
        busy=lambda: False,
        clock=lambda: now[0],
    )
    cells = {
        "a": "from reactive_kernel import ui\nn = ui.slider(0, 10)",
        "b": "double = n.value * 2",
    }
    for cell, code in cells.items():
        assert isinstance(session.prepare(cell, code), Go)
        before = session.before_run(CellId(cell))
        exec(code, ns)
        session.finish(CellId(cell), before, "ok")
        watcher.after_run(CellId(cell))
    assert watcher.watched() == [("n", "a")]
    ns["n"].set_state({"value": 50})  # clamped to 10: still a change
    assert ns["n"].value == 10
    while timers:
        now[0] += 1.0  # past the debounce
        timers.pop(0)()
    assert bridge.plans == [("b",)]
