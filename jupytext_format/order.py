"""The order cells are stored in, so that ``python notebook.py`` computes what a reactive run does.

A reactive notebook may show a cell above the cell that defines what it reads (REACTIVITY.md
section 3 binds such a reference downward). A script runs top to bottom, so the file stores code
cells in an order where every cell sees exactly the version of each name that the reactive graph
binds it to, and the header records the display order (``display_order``) when the two differ.
Markdown and raw cells travel with the code cell below them, which is what they usually describe.

The stored order is a topological order of the graph's edges plus *anti-dependencies*: a cell
that reads a version of ``x`` must run before any other cell that replaces that version. Ties are
broken by display order, so a notebook that reads top to bottom is stored as it is shown. The result
is checked by replaying the name versions; when no order works (or the notebook has graph errors)
the file keeps the display order and :func:`script_order` returns None.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from functools import lru_cache

from reactive_kernel.graph import NotebookGraph
from reactive_kernel.types import CellId, CellKind


def script_order(code_sources: Sequence[str]) -> list[int] | None:
    """The order (indexes into ``code_sources``, which are in display order) a script must run the
    code cells in, or None when the notebook has graph errors or no order gives the same values.

    Cached by the sources: saving a notebook whose code did not change costs a lookup.
    """
    order = _script_order(tuple(code_sources))
    return None if order is None else list(order)


@lru_cache(maxsize=16)
def _script_order(code_sources: tuple[str, ...]) -> tuple[int, ...] | None:
    graph = NotebookGraph()
    graph.reset([(CellId(str(index)), source) for index, source in enumerate(code_sources)])
    cells = range(len(code_sources))
    if any(graph.has_errors(CellId(str(cell))) for cell in cells):
        return None
    producers = _producers(graph, len(code_sources))
    reads = {
        cell: [
            (binding.name, int(binding.producer))
            for binding in graph.bindings(CellId(str(cell)))
            if binding.producer is not None
        ]
        for cell in cells
    }
    after: dict[int, set[int]] = {cell: set() for cell in cells}
    for cell in cells:
        for name, producer in reads[cell]:
            after[producer].add(cell)
            for other in producers.get(name, ()):
                if other in (producer, cell):
                    continue
                if other > cell:
                    after[cell].add(other)  # runs after the reader has seen its version
                elif other < producer:
                    after[other].add(producer)  # an older version, replaced before it is read
    order = _topological(after, len(code_sources))
    if order is None or not _replays(order, reads, producers):
        return None
    return tuple(order)


def _producers(graph: NotebookGraph, count: int) -> dict[str, list[int]]:
    names: dict[str, list[int]] = {}
    for cell in range(count):
        analysis = graph.analysis(CellId(str(cell)))
        for name in analysis.defines | analysis.mutates | analysis.deletes:
            names.setdefault(name, []).append(cell)
    return names


def _topological(after: dict[int, set[int]], count: int) -> list[int] | None:
    waiting = [0] * count
    for successors in after.values():
        for successor in successors:
            waiting[successor] += 1
    ready = [cell for cell in range(count) if waiting[cell] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        cell = heapq.heappop(ready)
        order.append(cell)
        for successor in after[cell]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heapq.heappush(ready, successor)
    return order if len(order) == count else None


def _replays(
    order: list[int], reads: dict[int, list[tuple[str, int]]], producers: dict[str, list[int]]
) -> bool:
    """Whether running ``order`` top to bottom gives every cell the versions it binds to."""
    produced_by = {cell: set() for cell in order}  # type: dict[int, set[str]]
    for name, cells in producers.items():
        for cell in cells:
            produced_by[cell].add(name)
    latest: dict[str, int] = {}
    for cell in order:
        if any(latest.get(name) != producer for name, producer in reads[cell]):
            return False
        for name in produced_by[cell]:
            latest[name] = cell
    return True


def stored_order(kinds: Sequence[CellKind], code_order: Sequence[int] | None) -> list[int]:
    """All cells' display indexes in the order the file stores them.

    ``kinds`` are the cell types in display order; ``code_order`` is :func:`script_order`'s answer.
    Each code cell carries the non-code cells directly above it, except that the non-code cells
    above the first code cell (a title, an introduction) stay first; those after the last code cell
    stay last.
    """
    leading = 0
    while leading < len(kinds) and kinds[leading] != "code":
        leading += 1
    groups: list[list[int]] = []
    pending: list[int] = []
    for index in range(leading, len(kinds)):
        pending.append(index)
        if kinds[index] == "code":
            groups.append(pending)
            pending = []
    if code_order is None:
        code_order = range(len(groups))
    stored = [index for group in code_order for index in groups[group]]
    return list(range(leading)) + stored + pending


def encode_permutation(display: Sequence[int]) -> str:
    """``[0, 1, 2, 4, 3]`` as ``"1-3 5 4"``: 1-based file positions of the cells in display order,
    consecutive runs as ranges, so that one moved cell changes one short line in a diff."""
    parts: list[str] = []
    start = 0
    while start < len(display):
        end = start
        while end + 1 < len(display) and display[end + 1] == display[end] + 1:
            end += 1
        first, last = display[start] + 1, display[end] + 1
        parts.append(str(first) if first == last else f"{first}-{last}")
        start = end + 1
    return " ".join(parts)


def decode_permutation(text: str, count: int) -> list[int] | None:
    """The inverse of :func:`encode_permutation`; None unless it is a permutation of ``count``."""
    positions: list[int] = []
    for part in str(text).split():
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            return None
        low, high = int(first), int(last or first)
        if high < low:
            return None
        positions.extend(range(low - 1, high))
    if sorted(positions) != list(range(count)):
        return None
    return positions
