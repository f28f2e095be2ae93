"""From a cell as the user typed it to a Python syntax tree, and back to the user's lines.

IPython syntax (``%magic``, ``%%cell magic``, ``!cmd``, ``x = !cmd``, ``x?``, pasted ``>>>``
prompts, an indented cell) is turned into Python by IPython's own input transformer, exactly as
the kernel will run it: a ``%magic`` line becomes a ``get_ipython().run_line_magic(...)`` call,
which the visitor then reads (``magic.py``). The transformer is imported lazily and only for
cells that need it: importing IPython costs about 250 ms, and plain Python cells never pay it.

What ``compile()`` rejects is a syntax error (so ``return`` at top level is one), with the position
mapped back to the line the user typed (the transformer can drop leading blank lines and join
continued magic lines, so its line numbers are not the cell's).
"""

from __future__ import annotations

import ast
import difflib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

# IPython runs cells with top-level `await`, `async for` and `async with` allowed (autoawait).
_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

_IPYTHON_LINE = re.compile(r"^[ \t]*[%!?]|\?[ \t]*$", re.MULTILINE)
"""A line IPython may rewrite even when the cell would compile: it starts with an escape (``%``,
``!``, ``?``) or ends with ``?``. Without one, a cell that compiles is plain Python."""

_IPYTHON_HINT = re.compile(r"[%!?]|^[ \t]*(?:>>>|In \[|[/,;])", re.MULTILINE)
"""Anything IPython's transformer could turn into valid Python in a cell that does not compile:
escapes anywhere (``x = !ls``), classic and IPython prompts, autocall escapes (``/f x``)."""


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Why a piece of source cannot be analysed: ``compile()`` rejects it. Positions are 1-based,
    in the source as typed."""

    message: str
    line: int | None = None
    column: int | None = None


class LineMap:
    """Maps positions in the transformed code back to the source as typed.

    When IPython changed nothing the map is the identity. Otherwise lines are matched with
    ``difflib`` (computed only when a position is asked for, that is only for diagnostics): an
    unchanged line keeps its column; a rewritten line (a magic) maps to the first non-blank
    source line of the block it replaced, without a column.
    """

    def __init__(self, source: str, code: str) -> None:
        self._source = source
        self._code = code
        self._opcodes: Sequence[tuple[str, int, int, int, int]] = ()

    def to_source(self, line: int, column: int | None) -> tuple[int, int | None]:
        if self._source == self._code:
            return line, column
        source_lines = self._source.splitlines()
        if not self._opcodes:
            matcher = difflib.SequenceMatcher(
                None, source_lines, self._code.splitlines(), autojunk=False
            )
            self._opcodes = matcher.get_opcodes()
        index = line - 1
        for tag, i1, i2, j1, j2 in self._opcodes:
            if j1 <= index < j2:
                if tag == "equal":
                    return i1 + index - j1 + 1, column
                found = min(i1 + index - j1, max(i2 - 1, i1))
                while found < i2 - 1 and not source_lines[found].strip():
                    found += 1
                return min(found + 1, max(len(source_lines), 1)), None
        # Past the transformed code's last line: an error at the end of the input.
        return max(len(source_lines), 1), None


@dataclass(frozen=True, slots=True)
class Frame:
    """Where one piece of analysed Python sits in the cell: the cell itself, or the body of a
    magic inside it (``%time x = 1``, a ``%%capture`` cell). ``to_cell`` turns a position in the
    piece's transformed code into a 1-based position in the cell as typed."""

    lines: LineMap
    line_offset: int = 0
    first_line_column: int | None = 0  # added to columns on the piece's first line; None: unknown

    def to_cell(self, line: int, column: int | None) -> tuple[int, int | None]:
        line, column = self.lines.to_source(line, column)
        if line == 1 and column is not None:
            column = None if self.first_line_column is None else column + self.first_line_column
        return line + self.line_offset, column


@dataclass(slots=True)
class Prepared:
    """A piece of source ready for the visitor: the Python it runs as, its tree, and its map back
    to the lines as typed."""

    source: str
    python: str
    tree: ast.Module
    lines: LineMap = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineMap(self.source, self.python)


def prepare(source: str) -> Prepared | SyntaxProblem:
    """Transform (when needed) and compile ``source``; a syntax error comes back as a problem."""
    if not _IPYTHON_LINE.search(source):
        compiled = _compile(source)
        if isinstance(compiled, ast.Module):
            return Prepared(source, source, compiled)
        if not _could_be_ipython(source):
            return _problem(compiled, LineMap(source, source))
    python = _ipython_transform(source)
    compiled = _compile(python)
    if isinstance(compiled, ast.Module):
        return Prepared(source, python, compiled)
    return _problem(compiled, LineMap(source, python))


def _could_be_ipython(source: str) -> bool:
    if _IPYTHON_HINT.search(source):
        return True
    # IPython removes the indentation of the first non-blank line from the whole cell.
    first = next((line for line in source.splitlines() if line.strip()), "")
    return first[:1] in (" ", "\t")


def _ipython_transform(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # IPython is a dependency; without it, IPython syntax is a syntax error
        return source
    try:
        return str(TransformerManager().transform_cell(source))  # type: ignore[no-untyped-call]
    except Exception:
        # The transformer is best effort on broken input (it tokenizes); compile() then reports
        # the user's own error on the untransformed source.
        return source


def _compile(python: str) -> ast.Module | SyntaxError | ValueError:
    """The tree of ``python`` after a full compile (which also finds what the parser lets
    through, such as ``return`` outside a function), or the compiler's error."""
    # Compiling can warn (an invalid escape such as "\d", `x is 1`); IPython shows those when the
    # cell runs. Here they would only repeat on every analysis, or, under -W error, turn a valid
    # cell into a syntax error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = compile(python, "<cell>", "exec", ast.PyCF_ONLY_AST | _FLAGS, dont_inherit=True)
            compile(tree, "<cell>", "exec", _FLAGS, dont_inherit=True)
        except (SyntaxError, ValueError) as error:  # ValueError: a NUL byte in the source
            return error
        except (RecursionError, MemoryError):
            return SyntaxError("too deeply nested to compile")
    assert isinstance(tree, ast.Module)
    return tree


def _problem(error: SyntaxError | ValueError, lines: LineMap) -> SyntaxProblem:
    if isinstance(error, ValueError):
        return SyntaxProblem(f"SyntaxError: {error}")
    kind = type(error).__name__  # SyntaxError, IndentationError, TabError
    if not error.lineno:
        return SyntaxProblem(f"{kind}: {error.msg}")
    line, column = lines.to_source(error.lineno, error.offset or None)
    return SyntaxProblem(f"{kind}: {error.msg}", line, column)


def char_column(python: str, line: int, byte_offset: int) -> int:
    """The 1-based character column of ``ast``'s UTF-8 byte ``col_offset`` on ``line``."""
    lines = python.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode()[:byte_offset].decode(errors="replace")) + 1
