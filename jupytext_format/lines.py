"""Line-level encoding of cell sources in the percent format (docs/format.md, "Cell bodies").

Three rules make every cell source survive a write and a read byte for byte:

- Markdown and raw lines are commented: ``# `` + line, or ``#`` for an empty line. Only a line that
  would then read as a cell marker (``%% note``) is escaped with one more ``# ``.
- In code cells, IPython-only lines (``%magic``, ``!cmd``, ``x = !cmd``, ``name?``) are commented
  the way jupytext does it, ``# %magic``, so the file is valid Python.
- A code comment that a reader could mistake for one of those commented lines (or for a marker or
  a ``# In[3]:`` prompt, which jupytext reads as a marker) is *escaped*: one more ``# `` goes in
  front of it (jupytext's convention: ``# %time is slow`` is stored as ``# # %time is slow``).

Reading undoes exactly one ``# `` from every line that carries it in front of something
"magic-like" (:func:`magic_like`), so escaping and commenting share one inverse. Lines inside a
multi-line string are text, not code: they are never commented or escaped for magic (their value
under ``python`` must not change), only for markers, which no line may look like.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Sequence

_MAGIC = re.compile(
    r"""
    (?: [%!?]                                   # %magic, %%cell magic, !shell, ?help
      | [A-Za-z_][\w.]*\?{1,2}\s*$              # name? and name??
      | [A-Za-z_][\w.,\s()\[\]*]*?=\s*[%!]      # x = !ls, a, b = %magic
      | In\[[\d\s]*\]:                          # a prompt left by nbconvert's script export
    )
    """,
    re.VERBOSE,
)
_COMMENT_RUNS = re.compile(r"[ \t]*(?:#+[ \t]*)*")
"""Leading blanks and runs of ``#`` (with the blanks after them), skipped before looking for
magic."""
_MARKER_TEXT = re.compile(r"[ \t]*%%(?=[ \t]|$)")
"""Text that, behind ``# ``, would read as a cell marker."""
_MARKER_FAMILY = re.compile(r"(?:# )*#[ \t]*%%(?=[ \t]|$)")
"""A marker, or a marker behind escapes: lines inside strings are escaped only for these."""


def magic_like(text: str) -> bool:
    """Whether ``text`` (a line without its indentation) looks like IPython syntax once any leading
    ``#`` runs are removed: such comments carry an extra ``# `` in the file."""
    skipped = _COMMENT_RUNS.match(text)
    rest = text[skipped.end() if skipped else 0 :]
    return bool(_MAGIC.match(rest))


def _split_indent(line: str) -> tuple[str, str]:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)], body


# --- code cells ----------------------------------------------------------------------------------


def encode_code_line(line: str, ipython: bool) -> str:
    """One code-cell line as stored: commented when it is IPython syntax (``ipython``), escaped when
    it is a comment that would read back as such, otherwise unchanged."""
    indent, body = _split_indent(line)
    if ipython or (body.startswith("#") and magic_like(body)):
        return f"{indent}# {body}"
    return line


def decode_code_line(line: str) -> str:
    """The inverse of :func:`encode_code_line`."""
    indent, body = _split_indent(line)
    if body.startswith("# ") and magic_like(body[2:]):
        return indent + body[2:]
    return line


def encode_string_line(line: str) -> str:
    """A line inside a multi-line string: kept, unless it would read as a cell marker."""
    return f"# {line}" if _MARKER_FAMILY.match(line) else line


def decode_string_line(line: str) -> str:
    """The inverse of :func:`encode_string_line`."""
    if line.startswith("# ") and _MARKER_FAMILY.match(line, 2):
        return line[2:]
    return line


def string_lines(lines: Sequence[str]) -> frozenset[int]:
    """The 0-based numbers of lines that start inside a multi-line string literal.

    Encoding never moves a string's quotes, so the stored text and the source give the same
    answer; code that does not tokenize (a syntax error) has none.
    """
    text = "\n".join(lines)
    if '"""' not in text and "'''" not in text and "\\\n" not in text:
        return frozenset()
    inside: set[int] = set()
    starts: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text + "\n").readline):
            kind = tokenize.tok_name[token.type]
            if kind in ("STRING", "FSTRING_START"):
                starts.append(token.start[0])
            if kind in ("STRING", "FSTRING_END"):
                first = starts.pop() if starts else token.start[0]
                inside.update(range(first, token.end[0]))  # 1-based lines after the first
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return frozenset()
    return frozenset(inside)


def encode_code(lines: Sequence[str], ipython: frozenset[int]) -> list[str]:
    """A code cell's lines as stored; ``ipython`` holds the lines to comment (0-based)."""
    naive = [encode_code_line(line, number in ipython) for number, line in enumerate(lines)]
    if naive == list(lines):
        return naive  # nothing encoded (strings only ever make encoding do less): no tokenizing
    inside = string_lines(naive)
    if not inside:
        return naive
    return [
        encode_string_line(lines[number]) if number in inside else stored
        for number, stored in enumerate(naive)
    ]


def decode_code(lines: Sequence[str]) -> list[str]:
    """The inverse of :func:`encode_code`."""
    naive = [decode_code_line(line) for line in lines]
    if naive == list(lines):
        return naive  # nothing to decode (strings only ever make decoding do less)
    inside = string_lines(lines)
    return [
        decode_string_line(line) if number in inside else decoded
        for number, (line, decoded) in enumerate(zip(lines, naive, strict=True))
    ]


# --- Markdown and raw cells ----------------------------------------------------------------------


def _needs_text_escape(line: str) -> bool:
    """Lines whose ``# `` + line would be a marker, or that look like an escaped such line."""
    while line.startswith("# "):
        line = line[2:]
    return _MARKER_TEXT.match(line) is not None


def encode_text_line(line: str) -> str:
    """One Markdown or raw line as stored: commented; escaped only when it would otherwise read as
    a cell marker (``%% note``), so images (``![x](y)``) and ``% comments`` stay as written."""
    if not line:
        return "#"
    if _needs_text_escape(line):
        return f"# # {line}"
    return f"# {line}"


def decode_text_line(line: str) -> str:
    """The inverse of :func:`encode_text_line`; hand-written lines are read leniently: ``#text``
    loses its ``#``, and an uncommented line is kept as it is."""
    if line.startswith("# "):
        rest = line[2:]
        if rest.startswith("# ") and _needs_text_escape(rest[2:]):
            return rest[2:]
        return rest
    if line.startswith("#"):
        return line[1:]
    return line


def can_comment_verbatim(line: str) -> bool:
    """Whether ``# `` + line is not a cell marker, so that a line can be commented as it is."""
    return _MARKER_TEXT.match(line) is None
