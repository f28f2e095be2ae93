"""Nodes and edges of the notebook graph, and nothing else: no names, no positions, no cycles.

An edge ``producer -> reader`` exists when at least one of the reader's references binds to the
producer (several names make one edge). The coordinator changes edges one at a time so that the
cycle and schedule trackers can follow each change.
"""

from __future__ import annotations

from collections.abc import Iterable

from reactive_kernel.graph.algorithms import reachable
from reactive_kernel.types import CellId

EMPTY: frozenset[CellId] = frozenset()


class Topology:
    """Parent and child sets per cell.

    Responsibilities: adding and removing nodes and single edges, and transitive closure queries.
    """

    def __init__(self) -> None:
        self._parents: dict[CellId, frozenset[CellId]] = {}
        self._children: dict[CellId, set[CellId]] = {}

    def clear(self) -> None:
        self._parents.clear()
        self._children.clear()

    def add_node(self, cell: CellId) -> None:
        self._parents[cell] = EMPTY
        self._children[cell] = set()

    def remove_node(self, cell: CellId) -> None:
        """Drop a cell that has no edges left."""
        if self._parents[cell] or self._children[cell]:
            raise ValueError(f"cell {cell} still has edges")
        del self._parents[cell]
        del self._children[cell]

    def add_edge(self, producer: CellId, reader: CellId) -> None:
        self._parents[reader] = self._parents[reader] | {producer}
        self._children[producer].add(reader)

    def remove_edge(self, producer: CellId, reader: CellId) -> None:
        self._parents[reader] = self._parents[reader] - {producer}
        self._children[producer].discard(reader)

    def parents(self, cell: CellId) -> frozenset[CellId]:
        return self._parents[cell]

    def children(self, cell: CellId) -> set[CellId]:
        """The live set of children: read it, never change it."""
        return self._children[cell]

    def descendants(self, cells: Iterable[CellId]) -> set[CellId]:
        """Cells reachable from ``cells`` (a given cell only if reachable from one of them)."""
        return reachable(cells, self._children.__getitem__)

    def ancestors(self, cells: Iterable[CellId]) -> set[CellId]:
        """Cells from which ``cells`` are reachable (a given cell only if on such a path)."""
        return reachable(cells, self._parents.__getitem__)
