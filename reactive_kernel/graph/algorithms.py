"""Free graph algorithms over cell ids: strongly connected components, reachability, tie-broken
sort.

They take the graph as plain callables (``successors``, ``priority``) so that the coordinator, the
incremental cycle tracker and the tests (as an independent oracle) can all use them on any subgraph.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import TypeVar

from reactive_kernel.types import CellId

T = TypeVar("T")

Successors = Callable[[CellId], Iterable[CellId]]


def strongly_connected(nodes: Iterable[CellId], successors: Successors) -> list[list[CellId]]:
    """Tarjan's algorithm, iterative (no recursion limit): the SCCs of the subgraph on ``nodes``.

    Successors outside ``nodes`` are ignored. Components come out in reverse topological order
    (a component is listed before every component that can reach it).
    """
    members = set(nodes)
    index: dict[CellId, int] = {}
    low: dict[CellId, int] = {}
    on_stack: set[CellId] = set()
    stack: list[CellId] = []
    result: list[list[CellId]] = []
    for root in members:
        if root in index:
            continue
        work: list[tuple[CellId, list[CellId]]] = []
        _visit(root, index, low, stack, on_stack, work, members, successors)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    _visit(nxt, index, low, stack, on_stack, work, members, successors)
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[CellId] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                result.append(component)
    return result


def _visit(
    node: CellId,
    index: dict[CellId, int],
    low: dict[CellId, int],
    stack: list[CellId],
    on_stack: set[CellId],
    work: list[tuple[CellId, list[CellId]]],
    members: set[CellId],
    successors: Successors,
) -> None:
    """Tarjan's step of entering ``node``: number it, push it, and queue its successors."""
    index[node] = low[node] = len(index)
    stack.append(node)
    on_stack.add(node)
    work.append((node, [s for s in successors(node) if s in members]))


def reachable(
    starts: Iterable[CellId],
    successors: Successors,
    allowed: Callable[[CellId], bool] | None = None,
) -> set[CellId]:
    """Every node reachable from ``starts`` in one or more steps, through ``allowed`` nodes only.

    A start is in the result only when it is reachable from some start (including itself via a
    path).
    """
    seen: set[CellId] = set()
    frontier = [s for start in starts for s in successors(start)]
    while frontier:
        node = frontier.pop()
        if node in seen or (allowed is not None and not allowed(node)):
            continue
        seen.add(node)
        frontier.extend(successors(node))
    return seen


def tie_broken_sort(
    nodes: Iterable[T], predecessors: Callable[[T], Iterable[T]], priority: Callable[[T], int]
) -> list[T]:
    """Kahn's topological sort that always takes the ready node of smallest ``priority``.

    Predecessors outside ``nodes`` are taken as already done. The graph on ``nodes`` must be
    acyclic; nodes left on a cycle are appended in priority order, so the result is complete.
    """
    pending = list(nodes)
    members = set(pending)
    waiting: dict[T, int] = {}
    followers: dict[T, list[T]] = {node: [] for node in pending}
    for node in pending:
        inside = {p for p in predecessors(node) if p in members and p != node}
        waiting[node] = len(inside)
        for pred in inside:
            followers[pred].append(node)
    ready = [(priority(n), i, n) for i, n in enumerate(pending) if waiting[n] == 0]
    heapq.heapify(ready)
    result: list[T] = []
    counter = len(pending)
    while ready:
        _, _, node = heapq.heappop(ready)
        result.append(node)
        for follower in followers[node]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                counter += 1
                heapq.heappush(ready, (priority(follower), counter, follower))
    if len(result) < len(pending):
        done = set(result)
        result.extend(sorted((n for n in pending if n not in done), key=priority))
    return result
