"""Names read by code that runs later: function and lambda bodies (REACTIVITY.md 2).

Python's own ``symtable`` resolves every scope exactly as the compiler will (locals, ``global``,
``nonlocal``, closures, class bodies), so a body's free global names come from it rather than from
a second hand-written scope walk.

``symtable`` reads source text and sees two things differently from the spec, so when a cell has
them, the symbol table is built from a rewritten copy of the tree (``_DeferredView``):

- annotations Python does not evaluate (local variable annotations in function bodies, and every
  annotation under ``from __future__ import annotations``) are dropped;
- magics inside function bodies (``!echo $x``, ``%time y = f(x)``) are ``get_ipython()`` calls
  with string arguments: what they run and expand is spelled out as a nested function, so that
  its names resolve through the enclosing function like the magic's own ``local_ns`` does.
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Sequence
from dataclasses import dataclass, field

from reactive_kernel.analysis.magic import MagicCall, magic_call
from reactive_kernel.analysis.source import SyntaxProblem, prepare

_COMPREHENSIONS = frozenset({"listcomp", "setcomp", "dictcomp", "genexpr"})
_MAGIC_BODY = "__magic_body__"  # a nested function's name: local to the function, never global


@dataclass(slots=True)
class DeferredNames:
    free: set[str] = field(default_factory=set)  # global names read inside bodies
    global_assignments: set[str] = field(default_factory=set)  # `global x; x = ...` in a body


def deferred_names(tree: ast.Module, python: str, future_annotations: bool) -> DeferredNames:
    """Free global names of every function and lambda body in ``tree`` (compiled from
    ``python``)."""
    found = DeferredNames()
    _walk(_symtable(tree, python, future_annotations), False, found)
    return found


def function_free_names(trees: Sequence[ast.Module]) -> set[str]:
    """Global names read by the statements of ``trees`` run together as one function body (how
    ``%timeit`` runs its setup and statement)."""
    body: list[ast.stmt] = [s for tree in trees for s in tree.body] or [ast.Pass()]
    wrapper = ast.FunctionDef(
        name=_MAGIC_BODY,
        args=_no_arguments(),
        body=body,
        decorator_list=[],
        returns=None,
        type_comment=None,
    )
    module = ast.Module(body=[wrapper], type_ignores=[])
    found = DeferredNames()
    _walk(_symtable(module, None, False), False, found)
    return found.free


def _symtable(tree: ast.Module, python: str | None, future: bool) -> symtable.SymbolTable:
    if python is not None and not future and "get_ipython" not in python:
        # Most cells have nothing the view would rewrite: no magics, no future annotations, no
        # annotated locals. The compiler's table (built in C) says so far faster than a walk.
        table = symtable.symtable(python, "<cell>", "exec")
        if not _annotates_locals(table):
            return table
    view = _DeferredView(future)
    rewritten = view.visit(tree)
    if not view.changed and python is not None:
        return symtable.symtable(python, "<cell>", "exec")
    try:
        return symtable.symtable(
            ast.unparse(ast.fix_missing_locations(rewritten)), "<cell>", "exec"
        )
    except SyntaxError:
        # A rewritten view the symbol table rejects (it should not happen: every piece is valid
        # Python) falls back to the code as it runs, which at worst reads a few names too many.
        return symtable.symtable(python or "", "<cell>", "exec")


def _annotates_locals(table: symtable.SymbolTable) -> bool:
    """Whether some function body in ``table`` annotates a name (``x: int = 0``)."""
    for child in table.get_children():
        if child.get_type() == "function" and any(s.is_annotated() for s in child.get_symbols()):
            return True
        if _annotates_locals(child):
            return True
    return False


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


def _no_arguments() -> ast.arguments:
    return ast.arguments(
        posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
    )


class _DeferredView(ast.NodeTransformer):
    """The tree as ``symtable`` should see it (see the module docstring). Rewrites only inside
    function bodies, except for ``from __future__ import annotations``, which affects annotations
    everywhere; ``changed`` says whether anything was rewritten. The tree is changed in place: it
    belongs to one analysis, and the execution-order walk is done with it by then."""

    def __init__(self, future_annotations: bool) -> None:
        self.future = future_annotations
        self.changed = False
        self._scopes: list[str] = []  # "function" or "class", innermost last
        self._magics: list[list[ast.stmt]] = []  # per function: what its magics run

    def _in_function_scope(self) -> bool:
        return bool(self._scopes) and self._scopes[-1] == "function"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        if self.future:
            self._drop_signature_annotations(node.args)
            if node.returns is not None:
                node.returns, self.changed = None, True
        self._scopes.append("function")
        self._magics.append([])
        self.generic_visit(node)
        self._scopes.pop()
        extra = self._magics.pop()
        if extra:
            node.body.append(
                ast.FunctionDef(
                    name=_MAGIC_BODY,
                    args=_no_arguments(),
                    body=extra,
                    decorator_list=[],
                    returns=None,
                    type_comment=None,
                )
            )
            self.changed = True
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self._scopes.append("function")
        self.generic_visit(node)
        self._scopes.pop()
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self._scopes.append("class")
        self.generic_visit(node)
        self._scopes.pop()
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if self.future or self._in_function_scope():
            # Not evaluated: keep the statement (it still makes the name local), not the names.
            node.annotation, self.changed = ast.Constant(value=None), True
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if self._magics and self._in_function_scope():
            call = magic_call(node)
            if call is not None:
                self._magics[-1].extend(_what_runs(call))
        return node

    def _drop_signature_annotations(self, args: ast.arguments) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            if arg.annotation is not None:
                arg.annotation, self.changed = None, True


def _what_runs(call: MagicCall) -> list[ast.stmt]:
    """The statements a magic inside a function runs or evaluates, as plain Python."""
    statements: list[ast.stmt] = [ast.Expr(value=e) for e in call.expansions]
    bodies = ([call.cell_code] if call.cell_code else []) + list(call.function_code)
    for body in bodies:
        prepared = prepare(body.text)
        # A magic body that does not compile fails when the function runs, not now.
        if not isinstance(prepared, SyntaxProblem):
            statements.extend(prepared.tree.body)
    return statements
