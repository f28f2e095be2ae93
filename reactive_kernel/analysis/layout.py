"""``laid_out_names``: the names a cell only lays out or shows, never reads anything from.

A widget changing value re-runs the cells that read the widget's global (docs/widgets.md). A cell
that only puts the widget on screen (``ui.hstack(n, m)``, ``display(n)``, or ``n`` as its last
line) does not depend on the value: the widget on screen is the live one and updates itself.
Re-running such a cell would make a new layout and re-render the widget under the user's mouse
(a drag loses its thumb). Here, statically, are the names whose every use in a cell is of that
kind; any other use (``n.value``, ``f(n)``, ``print(n)``, a use inside a function or lambda)
counts as a read, so the answer errs on the side of re-running.
"""

from __future__ import annotations

import ast
import functools

from reactive_kernel.analysis.source import SyntaxProblem, prepare

LAYOUT_CALLS = frozenset(
    {
        # reactive_kernel.ui
        "hstack",
        "vstack",
        "tabs",
        "accordion",
        # ipywidgets containers
        "Box",
        "HBox",
        "VBox",
        "GridBox",
        "Tab",
        "Accordion",
        "Stack",
        # IPython
        "display",
    }
)
"""Calls that only place their arguments on screen. ``ui.md`` is not one: its template can
format a widget's value (``{n.value:.2f}``)."""

_CONTAINERS = (ast.List, ast.Tuple, ast.Dict, ast.Starred)


@functools.lru_cache(maxsize=1 << 12)
def laid_out_names(source: str) -> frozenset[str]:
    """Names loaded in ``source`` at module scope only as layout arguments or shown bare.

    Unparsable cells have none (they do not run anyway).
    """
    prepared = prepare(source)
    if isinstance(prepared, SyntaxProblem):
        return frozenset()
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(prepared.tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    laid_out: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(prepared.tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            (laid_out if _is_layout_use(node, parents) else read).add(node.id)
    return frozenset(laid_out - read)


def _is_layout_use(name: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(name)
    if isinstance(parent, ast.Expr):  # shown: the cell's last line, or a bare statement
        return parents.get(parent) is not None and isinstance(parents[parent], ast.Module)
    node: ast.AST = name
    while isinstance(parent, _CONTAINERS):  # ui.hstack([a, b]), ui.tabs({"A": a}), *parts
        if isinstance(parent, ast.Dict) and node not in parent.values:
            return False  # a dict key is read
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if not isinstance(parent, ast.Call) or node is parent.func:
        return False
    if not _is_module_scope(parent, parents):
        return False
    func = parent.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return called in LAYOUT_CALLS


def _is_module_scope(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Not inside a function, lambda, class body or comprehension (there it may run later, or
    with other meanings)."""
    scopes = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.Lambda,
        ast.ClassDef,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
    )
    current = parents.get(node)
    while current is not None:
        if isinstance(current, scopes):
            return False
        current = parents.get(current)
    return True
