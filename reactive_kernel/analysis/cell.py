"""``analyze_cell``: what one cell's source does to the notebook's global names."""

from __future__ import annotations

import ast
import functools

from reactive_kernel.analysis.deferred import deferred_names
from reactive_kernel.analysis.effects import BodySyntaxError, Effects
from reactive_kernel.analysis.names import BUILTINS, is_private
from reactive_kernel.analysis.source import SyntaxProblem, prepare
from reactive_kernel.analysis.visitor import ExecutionOrderVisitor
from reactive_kernel.types import CellAnalysis, Diagnostic

_SUGGESTED_NAMES = 6  # how many of the cell's unresolved names a star-import message lists


@functools.lru_cache(maxsize=1 << 16)
def analyze_cell(source: str) -> CellAnalysis:
    """Analyse ``source`` (cached by text, so an unchanged cell costs a dictionary lookup; the
    result is immutable and shared)."""
    prepared = prepare(source)
    if isinstance(prepared, SyntaxProblem):
        return _syntax_error(prepared.message, prepared.line, prepared.column)
    future_annotations = _imports_future_annotations(prepared.tree)
    visitor = ExecutionOrderVisitor(prepared, future_annotations)
    try:
        visitor.visit_cell()
    except BodySyntaxError as error:
        d = error.diagnostic
        return _syntax_error(d.message, d.line, d.column)
    return _result(visitor, future_annotations)


def _result(visitor: ExecutionOrderVisitor, future_annotations: bool) -> CellAnalysis:
    effects = visitor.effects
    defines = set(effects.defines)
    references = set(effects.references)
    builtin_references = set(effects.builtin_references)
    if effects.deferred:
        free: set[str] = set()
        for piece in effects.deferred:
            bodies = deferred_names(piece.tree, piece.python, future_annotations)
            free |= bodies.free
            defines |= bodies.global_assignments
        # A body sees the cell's own version of any name the cell binds at module scope.
        for name in free - defines - visitor.bound:
            (builtin_references if name in BUILTINS else references).add(name)
    references |= effects.mutates | effects.deletes

    def public(names: set[str]) -> frozenset[str]:
        return frozenset(n for n in names if not is_private(n))

    return CellAnalysis(
        defines=public(defines),
        references=public(references - BUILTINS),
        builtin_references=public(builtin_references | (references & BUILTINS)),
        mutates=public(effects.mutates),
        deletes=public(effects.deletes),
        errors=_star_import_errors(effects, public(references - BUILTINS)),
        warnings=tuple(effects.warnings),
    )


def _star_import_errors(effects: Effects, references: frozenset[str]) -> tuple[Diagnostic, ...]:
    """One ``star-import`` error per ``from m import *``, suggesting the names to import: the
    cell's references, which a star import would be expected to provide."""
    names = sorted(references)
    if len(names) > _SUGGESTED_NAMES:
        names = names[:_SUGGESTED_NAMES]
    errors = []
    for star in effects.star_imports:
        listed = ", ".join(names) if names else "name1, name2"
        message = (
            f"`from {star.module} import *` cannot be analysed (it hides which names the cell "
            f"defines); import the names you use: `from {star.module} import {listed}`"
        )
        errors.append(Diagnostic("star-import", message, star.line, star.column))
    return tuple(errors)


def _syntax_error(message: str, line: int | None, column: int | None) -> CellAnalysis:
    return CellAnalysis(errors=(Diagnostic("syntax", message, line, column),))


def _imports_future_annotations(tree: ast.Module) -> bool:
    # `from __future__` imports must come first, so looking at top-level statements is enough.
    return any(
        isinstance(s, ast.ImportFrom)
        and s.module == "__future__"
        and any(a.name == "annotations" for a in s.names)
        for s in tree.body
    )
