"""Names the analysis treats specially: builtins, private names, mutating methods."""

from __future__ import annotations

import builtins
from typing import Final

IPYTHON_BUILTINS: Final = frozenset({"get_ipython", "display", "In", "Out", "exit", "quit"})
"""Names IPython puts in every kernel's namespace; they count as builtins (REACTIVITY.md 2)."""

BUILTINS: Final = frozenset(dir(builtins)) - {"_", "__doc__", "__name__"} | IPYTHON_BUILTINS

MUTATING_METHODS: Final = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "popitem",
        "clear",
        "sort",
        "reverse",
        "update",
        "add",
        "discard",
        "setdefault",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
        "fit",
        "partial_fit",
    }
)
"""Methods that, called as a whole expression statement on ``x`` or ``x.a[k]``, mutate ``x``.

This is the one list (REACTIVITY.md 2). Any method called with ``inplace=True`` mutates too. A call
we cannot see through (``f(x)``, ``x.frobnicate()``) is not a mutation: reassign instead
(``x = f(x)``) when later cells must see the change.
"""


def is_private(name: str) -> bool:
    """Cell-private: starts with ``_`` and is not a dunder (``__x__`` with a real middle)."""
    if not name.startswith("_"):
        return False
    is_dunder = len(name) > 4 and name.startswith("__") and name.endswith("__")
    return not (is_dunder and name.strip("_") != "")
