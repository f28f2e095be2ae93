"""From a cell as the user typed it to plain Python the visitor can read.

IPython syntax (``%magic``, ``!cmd``, ``x?``) is turned into Python by IPython's own input
transformer, imported only for cells that need it. Before that, the magics whose bodies run as
Python are unwrapped (REACTIVITY.md 2, "Magics that run Python"): ``%time``/``%%time`` and
``%%capture`` bodies become cell code, ``%timeit``/``%%timeit`` bodies are set aside to be read
as a function body (references only). ``$x`` and ``{x}`` in shell commands and line magics are
references. ``%run``, ``%store -r`` and ``%pylab`` get a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reactive_kernel.types import Diagnostic

_MAGIC_START = re.compile(r"^\s*[%!]|\?\s*$|^\s*\w+\s*=\s*[%!]", re.MULTILINE)
_EXPANSION = re.compile(r"\$\{?([A-Za-z_]\w*)|\{([A-Za-z_]\w*)[^{}]*\}")
_HIDDEN_EFFECTS = {
    "run": "`%run` runs another file whose names the analysis cannot see",
    "store": "`%store -r` restores names the analysis cannot see",
    "pylab": "`%pylab` imports names the analysis cannot see",
}


@dataclass(slots=True)
class PreparedSource:
    """Python text for the visitor, plus what the magics contributed."""

    python: str
    timeit_bodies: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    extra_defines: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def needs_ipython(source: str) -> bool:
    """Cheap test: could the cell contain IPython-only syntax?"""
    return _MAGIC_START.search(source) is not None


def prepare(source: str) -> PreparedSource:
    """Unwrap Python-running magics, note expansions and warnings, transform the rest."""
    if not needs_ipython(source):
        return PreparedSource(source)
    prepared = PreparedSource("")
    lines = source.splitlines(keepends=True)
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic, _, args = first[2:].partition(" ")
        body = "".join(lines[1:])
        blank = "\n"  # keep line numbers: the magic line becomes an empty line
        if magic == "time":
            return _finish(prepared, blank + body)
        if magic == "capture":
            names = [a for a in args.split() if not a.startswith("-")]
            prepared.extra_defines.extend(names[:1])
            return _finish(prepared, blank + body)
        if magic == "timeit":
            prepared.timeit_bodies.append(body)
            return _finish(prepared, "")
        # Any other cell magic (%%bash, %%writefile, %%html) runs no Python of the notebook's.
        return _finish(prepared, "")
    out: list[str] = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("%time ") or stripped.startswith("%time\t"):
            out.append(indent + stripped[6:])
            continue
        if stripped.startswith("%timeit"):
            prepared.timeit_bodies.append(_after_options(stripped[7:]))
            out.append(indent + "pass\n")
            continue
        if stripped.startswith(("%", "!")) or re.match(r"\w+\s*=\s*[%!]", stripped):
            command = stripped.split("%", 1)[-1] if "%" in stripped[:3] else ""
            word = command.split(" ", 1)[0].strip()
            if word in _HIDDEN_EFFECTS and (word != "store" or " -r" in command):
                prepared.warnings.append(
                    Diagnostic("warning", _HIDDEN_EFFECTS[word], line=len(out) + 1, column=1)
                )
            for match in _EXPANSION.finditer(stripped):
                prepared.expansions.append(match.group(1) or match.group(2))
        out.append(line)
    return _finish(prepared, "".join(out))


def _after_options(text: str) -> str:
    """The statement of a ``%timeit -n 10 -r 3 stmt`` line."""
    words = text.split()
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in ("-n", "-r", "-p") and words:
            words.pop(0)
    return " ".join(words) + "\n"


def _finish(prepared: PreparedSource, text: str) -> PreparedSource:
    if needs_ipython(text):
        from IPython.core.inputtransformer2 import TransformerManager

        text = TransformerManager().transform_cell(text)  # type: ignore[no-untyped-call]
    prepared.python = text
    return prepared
