"""Names the analysis treats specially: builtins, private names, mutating methods."""

from __future__ import annotations

import builtins
from typing import Final

IPYTHON_BUILTINS: Final = frozenset(
    {"get_ipython", "display", "In", "Out", "exit", "quit", "__IPYTHON__", "__builtins__"}
)
"""Names IPython puts in every kernel's namespace; they count as builtins (REACTIVITY.md 2).
``__IPYTHON__`` is listed because IPython adds it to the builtins module while it runs: without
it, the kernel (which imports this module inside IPython) and ``reactive-kernel check`` (which does
not) would disagree about it."""

BUILTINS: Final = (frozenset(dir(builtins)) - {"_"}) | IPYTHON_BUILTINS
"""Names a cell reads without any cell defining them. ``dir(builtins)`` includes the module
globals every kernel namespace has (``__name__``, ``__doc__``), so ``if __name__ == "__main__"``
references nothing; ``_`` is left out because the interactive display hook puts it there (and it is
cell-private anyway)."""

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
