"""Which lines of a code cell are IPython-only syntax, so that they can be stored as comments.

IPython's own input transformer decides (it knows strings, continuation lines and every escape):
a line is IPython syntax when the transformer rewrites it. Commenting those lines must leave valid
Python (``if x:`` followed only by ``%time f()`` would not); when it cannot, the caller stores the
whole cell as a comment block instead (docs/format.md, "IPython syntax").
"""

from __future__ import annotations

import ast
from functools import lru_cache

from jupytext_format.lines import can_comment_verbatim, encode_code, magic_like


class WholeCell:
    """Marker result: the cell must be stored entirely commented."""


WHOLE_CELL = WholeCell()


def is_python(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


@lru_cache(maxsize=1 << 16)
def ipython_lines(source: str) -> frozenset[int] | WholeCell:
    """The 0-based numbers of the lines to comment, or :data:`WHOLE_CELL`.

    Plain Python, and code that does not parse for reasons unrelated to IPython (a typo), give the
    empty set: the cell is stored as it is. A whole cell is stored as comments when its IPython
    lines cannot be commented one by one and leave valid Python.
    """
    if is_python(source):
        return frozenset()
    lines = source.split("\n")
    if lines[0].lstrip().startswith("%%"):
        return _cell_magic(lines)
    transformed = _transform(source).split("\n")
    changed = frozenset(
        number
        for number, line in enumerate(lines)
        if number >= len(transformed) or transformed[number] != line
    )
    if not changed:
        return frozenset()
    if not all(_commentable(lines[number]) for number in changed):
        return WHOLE_CELL
    commented = "\n".join(encode_code(lines, changed))
    return changed if is_python(commented) else WHOLE_CELL


def _commentable(line: str) -> bool:
    """An IPython line can be stored as ``# line`` when it reads back as itself and not as a
    cell marker (a ``%%`` line inside a ``%%bash`` body cannot)."""
    body = line.lstrip(" \t")
    return magic_like(body) and can_comment_verbatim(body)


def _cell_magic(lines: list[str]) -> frozenset[int] | WholeCell:
    """``%%time`` and friends: the first line is the magic; the body is stored as code when it is
    (or can be made) Python, like ``%%time``'s, otherwise (``%%bash``) the cell is commented."""
    body = "\n".join(lines[1:])
    if not _commentable(lines[0]):
        return WHOLE_CELL
    if not is_python(body):
        inner = ipython_lines(body)
        if isinstance(inner, WholeCell) or not inner:
            return WHOLE_CELL
        return frozenset({0} | {number + 1 for number in inner})
    return frozenset({0})


def _transform(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return str(TransformerManager().transform_cell(source))  # type: ignore[no-untyped-call]
    except Exception:
        return source
