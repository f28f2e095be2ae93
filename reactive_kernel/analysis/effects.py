"""What the execution-order walk finds in one cell, before private names are dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from reactive_kernel.analysis.source import Prepared
from reactive_kernel.types import Diagnostic


class BodySyntaxError(Exception):
    """The Python inside a magic (``%time x = (``) does not compile: the cell's syntax error."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True, slots=True)
class StarImport:
    """A ``from m import *`` at module scope, where the user typed it."""

    module: str
    line: int | None
    column: int | None


@dataclass(slots=True)
class Effects:
    """What the walk found, before private names are dropped."""

    defines: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    builtin_references: set[str] = field(default_factory=set)
    mutates: set[str] = field(default_factory=set)
    deletes: set[str] = field(default_factory=set)
    star_imports: list[StarImport] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    # The pieces of the cell (the cell, magic bodies) that hold function or lambda bodies.
    deferred: list[Prepared] = field(default_factory=list)
