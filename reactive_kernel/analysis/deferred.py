"""Names read by code that runs later: function and lambda bodies (REACTIVITY.md 2).

Python's own ``symtable`` resolves every scope exactly as the compiler will (locals, ``global``,
``nonlocal``, closures, class bodies), so a body's free global names come from it rather than from
a second hand-written scope walk.
"""

from __future__ import annotations

import symtable
from dataclasses import dataclass, field

_COMPREHENSIONS = frozenset({"listcomp", "setcomp", "dictcomp", "genexpr"})


@dataclass(slots=True)
class DeferredNames:
    free: set[str] = field(default_factory=set)  # global names read inside bodies
    global_assignments: set[str] = field(default_factory=set)  # `global x; x = ...` in a body


def deferred_names(python: str) -> DeferredNames:
    """Free global names of every function and lambda body in ``python`` (already compiled)."""
    found = DeferredNames()
    _walk(symtable.symtable(python, "<cell>", "exec"), False, found)
    return found


def _walk(table: symtable.SymbolTable, deferred: bool, found: DeferredNames) -> None:
    for child in table.get_children():
        # Comprehensions run where they appear; functions and lambdas run later.
        later = deferred or (
            child.get_type() == "function" and child.get_name() not in _COMPREHENSIONS
        )
        if later:
            for symbol in child.get_symbols():
                if symbol.is_global() and symbol.is_referenced():
                    found.free.add(symbol.get_name())
                if symbol.is_declared_global() and (symbol.is_assigned() or symbol.is_imported()):
                    found.global_assignments.add(symbol.get_name())
        _walk(child, later, found)
