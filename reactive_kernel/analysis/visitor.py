"""The walk over one cell's syntax tree in execution order (REACTIVITY.md 2).

Module-level code, and code that runs immediately inside nested scopes (class bodies,
comprehensions, decorators, defaults, bases, evaluated annotations), is visited in the order
Python evaluates it, so that a read before the cell's own binding is a reference and a read after
is not. Function and lambda bodies run later, if ever: their free global names are collected by
``deferred.py`` and count as references unless the cell binds the name anywhere at module scope.

Magics are ``get_ipython()`` calls after IPython's transformer (``magic.py``): the code they run
is walked where the call is, in execution order, so ``%time x = f(y)`` defines ``x`` and reads
``f`` and ``y`` like the plain statement would.

The module is longer than the house's 400 lines because it is one ``NodeVisitor`` over Python's
statement and expression forms; splitting it would scatter the execution-order rules that have to
be read together.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reactive_kernel.analysis.deferred import function_free_names
from reactive_kernel.analysis.effects import BodySyntaxError, Effects, StarImport
from reactive_kernel.analysis.magic import MagicBody, MagicCall, magic_call
from reactive_kernel.analysis.names import BUILTINS, MUTATING_METHODS
from reactive_kernel.analysis.source import (
    Frame,
    LineMap,
    Prepared,
    SyntaxProblem,
    char_column,
    prepare,
)
from reactive_kernel.types import Diagnostic

_Comprehension = ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp


@dataclass(slots=True)
class _Scope:
    """A nested scope that runs immediately: a class body or a comprehension."""

    kind: str  # "class" or "comprehension"
    names: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)


class ExecutionOrderVisitor(ast.NodeVisitor):
    """Visits a module in evaluation order, tracking which names the cell has bound so far."""

    def __init__(self, cell: Prepared, future_annotations: bool) -> None:
        self.effects = Effects()
        self.bound: set[str] = set()  # module names bound so far, in execution order
        self.scopes: list[_Scope] = []
        self.future_annotations = future_annotations
        self._cell_lines = cell.source.splitlines()
        self._piece = cell  # the piece being walked: the cell, or a magic's body
        self._frame = Frame(cell.lines)

    def visit_cell(self) -> None:
        """Walk the whole cell (once)."""
        for statement in self._piece.tree.body:
            self.visit(statement)

    # -- names -------------------------------------------------------------------------------

    def read(self, name: str) -> None:
        for depth, scope in enumerate(reversed(self.scopes)):
            if name in scope.globals:
                break
            # A class body's names are visible only directly in that body, not in its
            # comprehensions (Python's scoping rules).
            if name in scope.names and (scope.kind == "comprehension" or depth == 0):
                return
        self.read_global(name)

    def read_global(self, name: str) -> None:
        if name in self.bound:
            return
        if name in BUILTINS:
            self.effects.builtin_references.add(name)
        else:
            self.effects.references.add(name)

    def bind(self, name: str) -> None:
        for scope in reversed(self.scopes):
            if name in scope.globals:
                break
            if scope.kind == "class":
                scope.names.add(name)
                return
            if scope.kind == "comprehension":
                scope.names.add(name)
                return
        self.bind_global(name)

    def bind_global(self, name: str) -> None:
        self.bound.add(name)
        self.effects.defines.add(name)

    def mutate(self, name: str) -> None:
        """``name`` changes in place (an attribute or subscript target, a mutating method)."""
        if self.scopes:
            # Statements in class bodies (and comprehensions) are not the cell's mutations.
            self.read(name)
            return
        if name in self.bound:
            return
        self.read_global(name)
        if name not in BUILTINS:
            self.effects.mutates.add(name)

    # -- targets -----------------------------------------------------------------------------

    def bind_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind_target(element)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value)
        elif isinstance(target, ast.Attribute | ast.Subscript):
            self.change_in_place(target)
        else:
            self.visit(target)

    def change_in_place(self, target: ast.Attribute | ast.Subscript) -> None:
        """``x.a[k] = v``: evaluate the chain's subscripts, then mutate its base name."""
        node: ast.expr = target
        while isinstance(node, ast.Attribute | ast.Subscript):
            if isinstance(node, ast.Subscript):
                self.visit(node.slice)
            node = node.value
        if isinstance(node, ast.Name):
            self.mutate(node.id)
        else:
            self.visit(node)  # a call ends the chain: `f(x).a = 1` mutates nothing

    # -- statements --------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.bind_target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.read(node.target.id)
            self.visit(node.value)
            self.bind(node.target.id)
        else:
            self.visit(node.value)
            self.change_in_place(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        if not self.future_annotations:
            self.visit(node.annotation)
        if node.value is not None:
            self.bind_target(node.target)
        elif not isinstance(node.target, ast.Name):
            # `opts.depth: int` evaluates `opts` but assigns nothing.
            self.visit(_as_load(node.target))

    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            inplace = any(
                k.arg == "inplace" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in call.keywords
            )
            if call.func.attr in MUTATING_METHODS or inplace:
                receiver = call.func.value
                if _chain_base(receiver) is not None:
                    if isinstance(receiver, ast.Name):
                        self.mutate(receiver.id)
                    else:
                        self.change_in_place(receiver)  # type: ignore[arg-type]
                    for arg in call.args:
                        self.visit(arg)
                    for keyword in call.keywords:
                        self.visit(keyword.value)
                    return
        self.visit(call)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.delete_target(target)

    def delete_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            name = target.id
            if self.scopes and self.scopes[-1].kind == "class":
                self.scopes[-1].names.discard(name)
            elif name in self.bound:
                self.bound.discard(name)
            else:
                self.read_global(name)
                self.effects.deletes.add(name)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.delete_target(element)
        elif isinstance(target, ast.Attribute | ast.Subscript):
            self.change_in_place(target)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                module = "." * node.level + (node.module or "")
                line, column = self._position(node)
                self.effects.star_imports.append(StarImport(module, line, column))
            else:
                self.bind(alias.asname or alias.name)

    def _arguments(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)
        if not self.future_annotations:
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
            every += [a for a in (args.vararg, args.kwarg) if a is not None]
            for arg in every:
                if arg.annotation is not None:
                    self.visit(arg.annotation)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._arguments(node.args)
        if node.returns is not None and not self.future_annotations:
            self.visit(node.returns)
        self._note_deferred()
        self.bind(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._arguments(node.args)
        self._note_deferred()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        for base in node.bases:
            self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        scope = _Scope("class")
        self.scopes.append(scope)
        for statement in node.body:
            self.visit(statement)
        self.scopes.pop()
        self.bind(node.name)

    def visit_Global(self, node: ast.Global) -> None:
        if self.scopes:
            self.scopes[-1].globals.update(node.names)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.bind_target(node.target)
        for statement in [*node.body, *node.orelse]:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars)
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def visit_Try(self, node: ast.Try) -> None:
        for statement in node.body:
            self.visit(statement)
        for handler in node.handlers:
            if handler.type is not None:
                self.visit(handler.type)
            name = handler.name
            # `except E as e` binds e only inside the handler: Python deletes it afterwards.
            fresh = name is not None and name not in self.bound and not self.scopes
            if name is not None:
                if self.scopes:
                    self.scopes[-1].names.add(name)
                else:
                    self.bound.add(name)
            for statement in handler.body:
                self.visit(statement)
            if fresh and name is not None:
                self.bound.discard(name)
        for statement in [*node.orelse, *node.finalbody]:
            self.visit(statement)

    visit_TryStar = visit_Try  # type: ignore[assignment]

    def visit_Match(self, node: ast.Match) -> None:
        self.visit(node.subject)
        for case in node.cases:
            self.visit_pattern(case.pattern)
            if case.guard is not None:
                self.visit(case.guard)
            for statement in case.body:
                self.visit(statement)

    def visit_pattern(self, pattern: ast.pattern) -> None:
        if isinstance(pattern, ast.MatchValue):
            self.visit(pattern.value)
        elif isinstance(pattern, ast.MatchAs):
            if pattern.pattern is not None:
                self.visit_pattern(pattern.pattern)
            if pattern.name is not None:
                self.bind(pattern.name)
        elif isinstance(pattern, ast.MatchStar):
            if pattern.name is not None:
                self.bind(pattern.name)
        elif isinstance(pattern, ast.MatchSequence):
            for item in pattern.patterns:
                self.visit_pattern(item)
        elif isinstance(pattern, ast.MatchMapping):
            for key in pattern.keys:
                self.visit(key)
            for item in pattern.patterns:
                self.visit_pattern(item)
            if pattern.rest is not None:
                self.bind(pattern.rest)
        elif isinstance(pattern, ast.MatchClass):
            self.visit(pattern.cls)
            for item in [*pattern.patterns, *pattern.kwd_patterns]:
                self.visit_pattern(item)
        elif isinstance(pattern, ast.MatchOr):
            for item in pattern.patterns:
                self.visit_pattern(item)

    # -- expressions -------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.read(node.id)
        elif isinstance(node.ctx, ast.Store):
            self.bind(node.id)

    def visit_Dict(self, node: ast.Dict) -> None:
        # Keys and values alternate in evaluation order; `generic_visit` would do all keys first.
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None:  # None for `**mapping`
                self.visit(key)
            self.visit(value)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        magic = magic_call(node)
        if magic is not None:
            self._run_magic(node, magic)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        # A walrus inside a comprehension binds in the scope that contains the comprehension.
        name = node.target.id
        outer = [s for s in self.scopes if s.kind != "comprehension"]
        if outer:
            outer[-1].names.add(name)
        else:
            self.bind_global(name)

    def _comprehension(self, node: _Comprehension) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope, first
        self.scopes.append(_Scope("comprehension"))
        for number, generator in enumerate(generators):
            if number:
                self.visit(generator.iter)
            self.bind_target(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.scopes.pop()

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_DictComp = _comprehension
    visit_GeneratorExp = _comprehension

    # -- magics -----------------------------------------------------------------------------

    def _run_magic(self, node: ast.Call, magic: MagicCall) -> None:
        """What a magic runs happens during its call: after its arguments, before the call's
        value is assigned anywhere."""
        if magic.warning is not None:
            line, column = self._position(node)
            self.effects.warnings.append(Diagnostic("warning", magic.warning, line, column))
        for expression in magic.expansions:
            self.visit(expression)
        if magic.cell_code is not None:
            piece, frame = self._prepare_body(node, magic.cell_code)
            outer = (self._piece, self._frame)
            self._piece, self._frame = piece, frame
            try:
                for statement in piece.tree.body:
                    self.visit(statement)
            finally:
                self._piece, self._frame = outer
        if magic.function_code:
            trees = [self._prepare_body(node, body)[0].tree for body in magic.function_code]
            # `%timeit` runs now, in a function of its own: references only, in execution order.
            for name in sorted(function_free_names(trees)):
                self.read_global(name)
        if magic.binds is not None:
            self.bind(magic.binds)

    def _prepare_body(self, node: ast.Call, body: MagicBody) -> tuple[Prepared, Frame]:
        """The body's tree and its place in the cell; a body that does not compile is the
        cell's syntax error, at the body's line."""
        magic_line, _ = self._position(node)
        first_column: int | None
        if body.on_next_line:
            offset, first_column = magic_line, 0
        else:
            typed = self._cell_lines[magic_line - 1] if magic_line <= len(self._cell_lines) else ""
            found = typed.find(body.text.splitlines()[0]) if body.text.strip() else -1
            offset, first_column = magic_line - 1, (found if found >= 0 else None)
        prepared = prepare(body.text)
        if isinstance(prepared, SyntaxProblem):
            place = Frame(LineMap(body.text, body.text), offset, first_column)
            line, column = (
                place.to_cell(prepared.line, prepared.column) if prepared.line else (None, None)
            )
            raise BodySyntaxError(Diagnostic("syntax", prepared.message, line, column))
        return prepared, Frame(prepared.lines, offset, first_column)

    def _position(self, node: ast.stmt | ast.expr) -> tuple[int, int | None]:
        """Where ``node`` of the piece being walked is in the cell as typed (1-based). On a line
        IPython rewrote (a magic) the column is that of the line's first character."""
        column = char_column(self._piece.python, node.lineno, node.col_offset)
        line, found = self._frame.to_cell(node.lineno, column)
        if found is not None:
            return line, found
        if found is None and 0 < line <= len(self._cell_lines):
            typed = self._cell_lines[line - 1]
            return line, len(typed) - len(typed.lstrip()) + 1
        return line, None

    def _note_deferred(self) -> None:
        if not any(piece is self._piece for piece in self.effects.deferred):
            self.effects.deferred.append(self._piece)


def _chain_base(node: ast.expr) -> str | None:
    """The name at the base of an attribute/subscript chain, or None if a call breaks it."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _as_load(node: ast.expr) -> ast.expr:
    """The same chain read rather than assigned (for targets that are only evaluated)."""
    if isinstance(node, ast.Attribute):
        return ast.Attribute(value=node.value, attr=node.attr, ctx=ast.Load())
    if isinstance(node, ast.Subscript):
        return ast.Subscript(value=node.value, slice=node.slice, ctx=ast.Load())
    return node
