"""Line-level encoding of cell sources in the percent format (docs/format.md, "Cell bodies").

Three rules make every cell source survive a write and a read byte for byte:

- Markdown and raw lines are commented: ``# `` + line, or ``#`` for an empty line.
- In code cells, IPython-only lines (``%magic``, ``!cmd``, ``x = !cmd``, ``name?``) are commented
  the way jupytext does it, ``# %magic``, so the file is valid Python.
- A line that a reader could mistake for one of those commented lines, or for a cell marker, is
  *escaped*: one more ``# `` goes in front of it (again jupytext's convention: a genuine comment
  ``# %time is slow`` is stored as ``# # %time is slow``).

Reading undoes exactly one ``# `` from every line that carries it and whose rest is "magic-like"
(:func:`magic_like`), so escaping and commenting share one inverse.
"""

from __future__ import annotations

import re

_MAGIC = re.compile(
    r"""
    (?: [%!?]                                   # %magic, %%cell magic, !shell, ?help
      | [A-Za-z_][\w.]*\?{1,2}\s*$              # name? and name??
      | [A-Za-z_][\w.,\s()\[\]*]*?=\s*[%!]      # x = !ls, a, b = %magic
    )
    """,
    re.VERBOSE,
)
_COMMENT_RUNS = re.compile(r"[ \t]*(?:#+[ \t]*)*")
"""Leading blanks and runs of ``#`` (with the blanks after them), skipped before looking for
magic."""


def magic_like(text: str) -> bool:
    """Whether ``text`` (a line without its indentation) looks like IPython syntax once any leading
    ``#`` runs are removed: such lines are the ones that carry an extra ``# `` in the file."""
    skipped = _COMMENT_RUNS.match(text)
    rest = text[skipped.end() if skipped else 0 :]
    return bool(_MAGIC.match(rest))


def _split_indent(line: str) -> tuple[str, str]:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)], body


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


def encode_text_line(line: str) -> str:
    """One Markdown or raw line as stored: commented, and escaped when it is magic-like (so that a
    Markdown line ``%% note`` never becomes a cell marker)."""
    if not line:
        return "#"
    if magic_like(line):
        return f"# # {line}"
    return f"# {line}"


def decode_text_line(line: str) -> str:
    """The inverse of :func:`encode_text_line`; hand-written lines are read leniently: ``#text``
    loses its ``#``, and an uncommented line is kept as it is."""
    if line.startswith("# "):
        rest = line[2:]
        if rest.startswith("# ") and magic_like(rest[2:]):
            return rest[2:]
        return rest
    if line.startswith("#"):
        return line[1:]
    return line


_MARKER_AFTER_COMMENT = re.compile(r"[ \t]*%%(?=[ \t]|$)")


def can_comment_verbatim(line: str) -> bool:
    """Whether ``# `` + line is safe in a fully commented cell (it must not read as a marker)."""
    return _MARKER_AFTER_COMMENT.match(line) is None


def comment_line(line: str) -> str:
    """A line of a fully commented code cell (``ipython=true``): ``# `` + line, ``#`` if empty."""
    return f"# {line}" if line else "#"


def uncomment_line(line: str) -> str:
    """The inverse of :func:`comment_line`."""
    if line.startswith("# "):
        return line[2:]
    return line[1:] if line.startswith("#") else line
