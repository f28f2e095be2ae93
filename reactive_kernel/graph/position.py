"""Display order of the notebook's cells, with an order key per cell so "is A above B" is O(1).

Each cell holds an integer key; keys increase down the page. Inserting between two cells takes the
midpoint of their keys, and only when two neighbours have no integer left between them are all keys
spread out again (``relabel``). Relabelling keeps the relative order, so every structure sorted by
key (the definition registry's lists) stays valid without being touched.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from reactive_kernel.types import CellId

GAP = 1 << 32
"""Distance between neighbouring keys after a relabel: 32 inserts at one spot before the next
one."""


class DisplayOrder:
    """The cells in display order, each with an order key.

    Responsibilities: positions (``index``), order keys (``key``), and insertion and removal that
    cost a C-level list shift, never a Python loop over the notebook (except the rare relabel).
    """

    def __init__(self) -> None:
        self._ids: list[CellId] = []
        self._keys: list[int] = []
        self._key: dict[CellId, int] = {}

    def reset(self, cells: Iterable[CellId]) -> None:
        """Replace every cell; the iteration order is the display order."""
        self._ids = list(cells)
        self._keys = [(i + 1) * GAP for i in range(len(self._ids))]
        self._key = dict(zip(self._ids, self._keys, strict=True))
        if len(self._key) != len(self._ids):
            raise ValueError("duplicate cell id")

    def __contains__(self, cell: object) -> bool:
        return cell in self._key

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> list[CellId]:
        """A copy of the display order."""
        return list(self._ids)

    def view(self) -> list[CellId]:
        """The display order itself, for callers that only read it (slices, never mutation)."""
        return self._ids

    def key(self, cell: CellId) -> int:
        """The cell's order key: larger means further down the page."""
        return self._key[cell]

    def index(self, cell: CellId) -> int:
        """The cell's display position (0-based), in O(log n)."""
        return bisect_left(self._keys, self._key[cell])

    def insert(self, cell: CellId, index: int) -> None:
        """Put a new cell at display position ``index`` (clamped to ``0..len``)."""
        if cell in self._key:
            raise ValueError(f"cell {cell} is already in the notebook")
        index = max(0, min(index, len(self._ids)))
        key = self._free_key(index)
        if key is None:
            self._relabel()
            key = self._free_key(index)
            assert key is not None
        self._ids.insert(index, cell)
        self._keys.insert(index, key)
        self._key[cell] = key

    def remove(self, cell: CellId) -> None:
        """Take a cell out of the display order."""
        index = self.index(cell)
        del self._ids[index]
        del self._keys[index]
        del self._key[cell]

    def _free_key(self, index: int) -> int | None:
        """A key strictly between the neighbours of position ``index``, or None when there is
        none."""
        if not self._keys:
            return GAP
        if index == 0:
            return self._keys[0] - GAP
        if index == len(self._keys):
            return self._keys[-1] + GAP
        low, high = self._keys[index - 1], self._keys[index]
        middle = (low + high) // 2
        return middle if low < middle < high else None

    def _relabel(self) -> None:
        """Spread all keys ``GAP`` apart again, keeping their order (O(n), rare)."""
        self._keys = [(i + 1) * GAP for i in range(len(self._ids))]
        self._key = dict(zip(self._ids, self._keys, strict=True))
