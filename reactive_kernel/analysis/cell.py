"""``analyze_cell``: what one cell's source does to the notebook's global names."""

from __future__ import annotations

import ast
import functools

from reactive_kernel.analysis.deferred import deferred_names
from reactive_kernel.analysis.names import BUILTINS, is_private
from reactive_kernel.analysis.source import prepare
from reactive_kernel.analysis.visitor import ExecutionOrderVisitor
from reactive_kernel.types import CellAnalysis, Diagnostic

# IPython runs cells with top-level `await` allowed (autoawait): so does our syntax check.
_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


@functools.lru_cache(maxsize=8192)
def analyze_cell(source: str) -> CellAnalysis:
    """Analyse ``source`` (cached by text, so an unchanged cell costs a dictionary lookup)."""
    prepared = prepare(source)
    python = prepared.python
    try:
        tree = compile(
            python, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | _FLAGS, dont_inherit=True
        )
        # Compiling the tree finds what the parser lets through (`return` outside a function).
        compile(tree, "<cell>", "exec", flags=_FLAGS, dont_inherit=True)
    except SyntaxError as error:
        message = f"syntax error: {error.msg}"
        if error.lineno:
            message += f" (line {error.lineno})"
        return CellAnalysis(
            errors=(Diagnostic("syntax", message, error.lineno, error.offset),),
            warnings=tuple(prepared.warnings),
        )
    except ValueError as error:  # source with a NUL byte
        return CellAnalysis(errors=(Diagnostic("syntax", f"syntax error: {error}"),))
    assert isinstance(tree, ast.Module)

    future_annotations = any(
        isinstance(s, ast.ImportFrom)
        and s.module == "__future__"
        and any(a.name == "annotations" for a in s.names)
        for s in tree.body
    )
    visitor = ExecutionOrderVisitor(future_annotations)
    for statement in tree.body:
        visitor.visit(statement)
    effects = visitor.effects

    defines = set(effects.defines) | set(prepared.extra_defines)
    references = set(effects.references)
    builtin_references = set(effects.builtin_references)
    if effects.deferred or prepared.timeit_bodies:
        bodies = deferred_names(python) if effects.deferred else None
        module_bindings = defines | visitor.bound
        free: set[str] = set()
        if bodies is not None:
            free |= bodies.free
            defines |= bodies.global_assignments
            module_bindings |= bodies.global_assignments
        for body in prepared.timeit_bodies:
            free |= _timeit_names(body)
        for name in free - module_bindings:
            (builtin_references if name in BUILTINS else references).add(name)
    for name in prepared.expansions:
        if name not in visitor.bound:
            (builtin_references if name in BUILTINS else references).add(name)

    errors = tuple(
        Diagnostic(
            "star-import",
            f"`from {node.module or '.'} import *` hides which names this cell defines: "
            f"import the names you use, e.g. `from {node.module or '.'} import name1, name2`",
            node.lineno,
            node.col_offset + 1,
        )
        for node in effects.star_imports
    )

    def public(names: set[str]) -> frozenset[str]:
        return frozenset(n for n in names if not is_private(n))

    return CellAnalysis(
        defines=public(defines),
        references=public(references | effects.mutates | effects.deletes),
        builtin_references=public(builtin_references - references),
        mutates=public(effects.mutates),
        deletes=public(effects.deletes),
        errors=errors,
        warnings=tuple(prepared.warnings),
    )


def _timeit_names(body: str) -> set[str]:
    """``%timeit`` runs its statement inside a function: its free names are references."""
    wrapped = "def _timeit_body():\n" + "".join(f"    {line}\n" for line in body.splitlines())
    try:
        return deferred_names(wrapped).free
    except SyntaxError:
        return set()
