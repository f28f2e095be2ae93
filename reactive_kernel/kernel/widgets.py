"""Reactive UI widgets: a widget's value changes in the browser, the cells that read it re-run.

A cell binds a global to a widget with a ``value`` trait (``n = ipywidgets.IntSlider()``, any
anywidget ``AnyWidget`` with a synced ``value``). After each cell run, ``WidgetWatcher.after_run``
observes the ``value`` of the widgets among the cell's new versions (names it defines, or changes
in place: ``n.max = 10`` makes that cell's version the one its readers read), and stops observing
versions that were replaced, deleted or forgotten. Each watch is a version:
``(name, producer cell)``.

When the front end changes a watched value (a ``comm_msg`` on the widget's comm, or a widget
callback running inside one), the traitlets observer only records the version as changed and
schedules a flush: no cell runs inside the callback. The flush comes ``DEBOUNCE`` seconds after
the last change (``MAX_WAIT`` after the first at most), so a burst of changes (dragging a slider)
makes one plan, and it waits while a cell is executing. Then, for the readers of every changed
version (cells that read that version; the defining cell is not one of them, so the widget keeps
its state):

- with a front end that carries out plans (the lab extension) and in eager mode, the session
  starts a plan with trigger ``widget`` (which aborts the plan in progress, so a newer change
  replaces an older one's plan) and the kernel sends it unprompted; ``origin`` is the widget's
  model id (its comm id);
- otherwise (no front end, or lazy mode, or the plan would have to re-run the defining cell
  itself), the readers and their descendants are marked stale, silently: ``%reactive status``
  lists them and ``%reactive run-stale`` (or "Run stale cells") runs them.

Changes made by code in the kernel (a cell setting ``n.value = 3``) are the cell's own effect,
which the dependency graph tracks; they start nothing. ipywidgets is never imported here: if the
user's code has not imported it, no widget can exist.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reactive_kernel.analysis.layout import laid_out_names
from reactive_kernel.types import CellId

if TYPE_CHECKING:
    from reactive_kernel.kernel.bridge import KernelBridge
    from reactive_kernel.kernel.session import ReactiveSession

log = logging.getLogger(__name__)

DEBOUNCE = 0.04
"""Seconds without a new change before a burst's plan is made."""
MAX_WAIT = 0.25
"""Seconds after the first change of a burst by which its plan is made, however long it lasts."""

Version = tuple[str, CellId]
Schedule = Callable[[float, Callable[[], None]], object]
"""``schedule(delay, callback)``: call ``callback`` on the kernel's event loop after ``delay`` s."""


@dataclass(slots=True)
class _Watch:
    widget: Any
    handler: Callable[[dict[str, Any]], None]


def widget_class() -> type | None:
    """``ipywidgets.Widget`` if the user's code imported ipywidgets (anywidget does), else None."""
    module = sys.modules.get("ipywidgets")
    widget = getattr(module, "Widget", None) if module is not None else None
    return widget if isinstance(widget, type) else None


def is_value_widget(obj: object, widget: type | None = None) -> bool:
    """A widget whose ``value`` trait the front end can change."""
    widget = widget if widget is not None else widget_class()
    if widget is None or not isinstance(obj, widget):
        return False
    has_trait = getattr(obj, "has_trait", None)
    return bool(has_trait is not None and has_trait("value"))


def model_id(obj: object) -> str | None:
    """The widget's model id (its comm id), as in its ``widget-view+json`` outputs."""
    try:
        value = getattr(obj, "model_id", None)
    except Exception:  # a closed widget: no comm any more
        return None
    return value if isinstance(value, str) and value else None


class WidgetWatcher:
    """Observes widget versions and turns front-end changes into plans or stale readers.

    ``namespace`` is the user namespace; ``schedule`` runs a callback later on the kernel's event
    loop; ``from_frontend()`` says whether the code running now handles a message from the front
    end (a ``comm_msg``); ``busy()`` whether a cell is executing (the flush then waits for it).
    """

    def __init__(
        self,
        session: ReactiveSession,
        bridge: KernelBridge,
        namespace: Mapping[str, object],
        schedule: Schedule,
        from_frontend: Callable[[], bool],
        busy: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._bridge = bridge
        self._ns = namespace
        self._schedule = schedule
        self._from_frontend = from_frontend
        self._busy = busy
        self._clock = clock
        self._watches: dict[Version, _Watch] = {}
        self._changed: dict[Version, None] = {}  # changed versions, in order of first change
        self._first_change = 0.0
        self._last_change = 0.0
        self._scheduled = False

    # -- what is observed ------------------------------------------------------------------------

    def watched(self) -> list[Version]:
        return sorted(self._watches)

    def after_run(self, cell: CellId) -> None:
        """``cell`` ran: observe the widgets it bound, drop watches that are no longer valid."""
        if not self._watches and "ipywidgets" not in sys.modules:
            return  # no widget can exist: nothing to do (the common case costs one lookup)
        self.prune()
        widget = widget_class()
        if widget is None or cell not in self._session.graph:
            return
        analysis = self._session.graph.analysis(cell)
        for name in sorted(analysis.defines | analysis.mutates):
            if self._session.ledger.current(name) != cell:
                continue
            obj = self._ns.get(name)
            key = (name, cell)
            old = self._watches.get(key)
            if old is not None and old.widget is obj:
                continue
            if old is not None:
                self._unobserve(key)
            if is_value_widget(obj, widget):
                self._observe(key, obj)

    def prune(self) -> None:
        """Stop observing versions that left memory (replaced, deleted cell, %reset)."""
        for key in [k for k, w in self._watches.items() if not self._valid(k, w.widget)]:
            self._unobserve(key)

    def clear(self) -> None:
        for key in list(self._watches):
            self._unobserve(key)
        self._changed.clear()

    def _valid(self, key: Version, obj: object) -> bool:
        name, producer = key
        session = self._session
        if producer not in session.graph:
            return False
        analysis = session.graph.analysis(producer)
        if name not in analysis.defines | analysis.mutates:
            return False
        if session.ledger.current(name) == producer:
            return self._ns.get(name) is obj
        return session.ledger.is_kept(name, producer)

    def _observe(self, key: Version, obj: Any) -> None:
        def handler(_change: dict[str, Any]) -> None:
            self._on_change(key)

        obj.observe(handler, names="value")
        self._watches[key] = _Watch(obj, handler)

    def _unobserve(self, key: Version) -> None:
        watch = self._watches.pop(key)
        self._changed.pop(key, None)
        try:
            watch.widget.unobserve(watch.handler, names="value")
        except Exception:  # traitlets raises if it is gone already: nothing left to undo
            log.debug("unobserve failed for %s", key, exc_info=True)

    # -- a value changed ---------------------------------------------------------------------------

    def _on_change(self, key: Version) -> None:
        """The traitlets observer: record, schedule, never run anything here."""
        if not self._from_frontend():
            return  # kernel code changed it: the cell's own effect, tracked by the graph
        now = self._clock()
        if not self._changed:
            self._first_change = now
        self._changed[key] = None
        self._last_change = now
        self._arm(DEBOUNCE)

    def _arm(self, delay: float) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._schedule(delay, self._tick)

    def _tick(self) -> None:
        self._scheduled = False
        if not self._changed:
            return
        now = self._clock()
        due = min(self._last_change + DEBOUNCE, self._first_change + MAX_WAIT)
        if now < due:
            self._arm(due - now)
        elif self._busy():
            self._arm(DEBOUNCE)  # a cell is executing: plan when it is done
        else:
            try:
                self.flush()
            except Exception:  # a bug of ours must not take the kernel down
                log.exception("reactive widget flush failed")

    def flush(self) -> None:
        """Plan (or mark stale) the readers of every version changed since the last flush."""
        changed, self._changed = list(self._changed), {}
        self.prune()
        versions = [k for k in changed if k in self._watches]
        readers = self.readers(versions)
        if not readers:
            return
        origin = model_id(self._watches[versions[0]].widget) or versions[0][0]
        if not self._send_plan(readers, versions, origin):
            self._mark_stale(readers, versions)
        self._bridge.publish_states()

    def readers(self, versions: Iterable[Version]) -> list[CellId]:
        """The cells that read these versions' values, in execution order: not the cells that
        only lay the widget out or show it (``analysis.layout``), which would re-render it."""
        graph = self._session.graph
        cells: set[CellId] = set()
        for name, producer in versions:
            if producer in graph:
                cells |= {
                    c
                    for c in graph.children(producer)
                    if graph.producer(c, name) == producer
                    and name not in laid_out_names(graph.source(c))
                }
        return graph.sort(cells)

    def _send_plan(self, readers: list[CellId], versions: list[Version], origin: str) -> bool:
        """Start and send a ``widget`` plan; False when a plan is not the way (see the module)."""
        session = self._session
        if not self._bridge.attached or session.mode != "eager":
            return False
        runnable = [c for c in readers if session.planner.blocker(c) is None]
        if not runnable:
            return False
        producers = {producer for _name, producer in versions}
        trial = session.planner.plan(runnable, "eager", "widget")
        if producers & set(trial.cells):
            # The defining cell would run again (it is stale, or its version must be rebuilt):
            # that makes a fresh widget and loses the change. Leave it to the user.
            return False
        plan_id, plan = session.plan(runnable, "widget")
        # The protocol's origin is "the cell or widget that caused it": here the widget's id.
        self._bridge.send_run_plan(plan_id, plan.cells, plan, origin=CellId(origin))
        return True

    def _mark_stale(self, readers: list[CellId], versions: list[Version]) -> None:
        session = self._session
        names = sorted({name for name, _producer in versions})
        producers = sorted({p for _n, p in versions}, key=session.graph.index)
        which = ", ".join(names)
        reason = f"the widget {which} ({session.label(producers[0])}) changed value"
        cells = session.graph.sort(set(readers) | session.graph.descendants(readers))
        changed = session.states.mark_stale(cells, reason, producers)
        session.note_state_changes(changed)
