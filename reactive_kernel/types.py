"""Value records shared by every layer: cell ids, what cells do to names, graph errors, states.

This module sits at the bottom of the dependency stack (types -> analysis -> graph -> planning ->
kernel/comm -> CLI). It imports nothing from the project and nothing outside the standard library,
so that the pure core can be imported without IPython, ipykernel, zmq or jupyter-server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NewType

CellId = NewType("CellId", str)
"""A cell's identity for the lifetime of a kernel session (JupyterLab's cell id, or our own)."""

GraphErrorKind = Literal["syntax", "star-import", "ambiguous", "cycle"]
"""The graph error kinds of REACTIVITY.md sections 2 and 3. A cell with any of them never runs."""

CellKind = Literal["code", "markdown", "raw"]

CellState = Literal["fresh", "stale", "queued", "running", "error", "blocked", "graph-error"]
"""What the front end shows for a code cell.

- fresh: ran, and nothing it depends on changed since.
- stale: its code, or a version it reads, changed since it last ran (or it never ran).
- queued / running: part of the plan being carried out.
- error: it raised when it last ran.
- blocked: an ancestor failed, or an ancestor has a graph error.
- graph-error: the cell itself has a graph error (syntax, star-import, ambiguous, cycle).
"""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a cell's source.

    ``kind`` is a graph error kind for errors (the cell never runs) or ``"warning"`` for something
    the analysis cannot see through (``%run``, ``%store -r``) that does not stop the cell.
    ``line`` and ``column`` are 1-based positions in the source as the user typed it, when known.
    """

    kind: GraphErrorKind | Literal["warning"]
    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class CellAnalysis:
    """What one cell's source does to the notebook's global names (REACTIVITY.md section 2).

    All sets hold public names only: cell-private names (``_tmp``) never appear.

    - ``defines``: names the cell binds at module scope.
    - ``references``: non-builtin names read from other cells' versions (includes every mutated and
      deleted name, as the spec says).
    - ``builtin_references``: builtin names (``print``, ``len``, ``display``) read before the cell
      binds them itself. They are not references unless some cell above defines that name; the
      graph decides.
    - ``mutates``: names changed in place at module scope without being bound first.
    - ``deletes``: names removed with ``del x`` at module scope without being bound first.
    - ``errors``: graph errors found in this cell alone (``syntax``, ``star-import``). A cell with a
      syntax error has all sets empty.
    - ``warnings``: effects the analysis cannot see (``%run``); they never stop the cell.
    """

    defines: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    builtin_references: frozenset[str] = frozenset()
    mutates: frozenset[str] = frozenset()
    deletes: frozenset[str] = frozenset()
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def versions(self) -> frozenset[str]:
        """Names for which this cell produces a new version: defined, mutated or deleted."""
        return self.defines | self.mutates | self.deletes

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class GraphError:
    """A graph error of one cell, with a message that names the cells and variables involved.

    ``cells`` are the other cells involved (the definers of an ambiguous name, the cells of a
    cycle); ``names`` are the variables involved.
    """

    kind: GraphErrorKind
    message: str
    cells: tuple[CellId, ...] = ()
    names: tuple[str, ...] = ()
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Binding:
    """Where one name a cell reads comes from: ``producer`` is the cell whose version it reads.

    ``producer`` is None when the name binds to no cell (undefined, or a builtin nobody rebinds).
    """

    name: str
    producer: CellId | None


@dataclass(slots=True)
class CellSource:
    """A cell as the front end knows it: id, kind and source. Display order is the list order."""

    id: CellId
    source: str
    kind: CellKind = "code"
    metadata: dict[str, object] = field(default_factory=dict)
