"""What a transformed IPython line does to the notebook's names (REACTIVITY.md section 2, "Magics
that run Python").

IPython's transformer turns ``%name args`` into ``get_ipython().run_line_magic('name', 'args')``,
``%%name line`` + body into ``get_ipython().run_cell_magic('name', 'line', 'body')``, ``!cmd`` into
``get_ipython().system('cmd')`` and ``x = !cmd`` into ``x = get_ipython().getoutput('cmd')``.
``magic_call`` recognises those calls (with literal arguments) and says what they run:

- ``%time``/``%%time`` and ``%%capture`` bodies run as cell code; ``%%capture out`` then binds
  ``out``;
- ``%timeit``/``%%timeit`` statements (and ``%%timeit``'s setup line) run inside a function;
- ``$name``, ``$name.attr`` and ``{expression}`` in shell commands and magic lines are read when
  IPython expands them (``var_expand``), except for the magics that opt out of expansion;
- ``%run``, ``%store -r`` and ``%pylab`` change names the analysis cannot see: a warning.

Other magics' bodies (``%%bash``, ``%%writefile``) are not Python of the notebook's.
"""

from __future__ import annotations

import ast
import re
import string
import warnings
from dataclasses import dataclass

_METHODS = {"system": 1, "getoutput": 1, "run_line_magic": 2, "run_cell_magic": 3}
"""The ``get_ipython()`` methods IPython's transformer emits, with their number of arguments."""

_NO_VAR_EXPAND = frozenset({"time", "timeit", "prun", "debug"})
"""Magics that IPython marks ``@no_var_expand``: their line is Python, not a template."""

_DOLLAR = re.compile(r"(.*?)\$(\$?[\w\.]+)(?=([^']*'[^']*')*[^']*$)")
"""IPython's ``DollarFormatter`` pattern (IPython/utils/text.py): ``$name`` and ``$a.b`` outside
single quotes; ``$$name`` is a literal dollar."""

_TIMEIT_OPTION = re.compile(r"[ \t]*-(?=[tcqonrp])[tcqo]*(?:[nrp][ \t]*\S+)?(?=\s|$)")
"""One of ``%timeit``'s options (``getopt`` spec ``n:r:tcp:qo``): ``-n 10``, ``-r3``, ``-qo``."""

_STORE_RESTORE = re.compile(r"(?:^|\s)-[dz]*r")

_HIDDEN_EFFECTS = {
    "run": (
        "`%run` runs another file: the names it defines or changes are invisible to the "
        "analysis, so no other cell can depend on them. Import from a module, or move the code "
        "into cells."
    ),
    "store": (
        "`%store -r` restores variables the analysis cannot see, so no other cell can depend on "
        "them. Assign them in a cell (`data = ...`) if other cells read them."
    ),
    "pylab": (
        "`%pylab` imports many unnamed names (`np`, `plt`, `sqrt`, ...) the analysis cannot see. "
        "Use `import numpy as np` and `import matplotlib.pyplot as plt` instead."
    ),
}


@dataclass(frozen=True, slots=True)
class MagicBody:
    """Python source a magic runs, and where it sits: on the magic's own line (a line magic's
    statement, ``%%timeit``'s setup) or from the line after it (a cell magic's body)."""

    text: str
    on_next_line: bool


@dataclass(frozen=True, slots=True)
class MagicCall:
    """What one recognised ``get_ipython()`` call runs and reads."""

    name: str  # the magic's name; "!" for shell commands
    expansions: tuple[ast.expr, ...] = ()
    cell_code: MagicBody | None = None
    function_code: tuple[MagicBody, ...] = ()
    binds: str | None = None
    warning: str | None = None


def magic_call(node: ast.Call) -> MagicCall | None:
    """The magic ``node`` runs, if it is a ``get_ipython().<method>(...)`` call with literal
    string arguments; None for any other call."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in _METHODS):
        return None
    owner = func.value
    if not (
        isinstance(owner, ast.Call)
        and isinstance(owner.func, ast.Name)
        and owner.func.id == "get_ipython"
        and not owner.args
        and not owner.keywords
    ):
        return None
    args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if node.keywords or len(args) != len(node.args) or len(args) != _METHODS[func.attr]:
        return None
    if func.attr in ("system", "getoutput"):
        return MagicCall("!", expansions=expansions(args[0]))
    if func.attr == "run_line_magic":
        return _line_magic(args[0], args[1])
    return _cell_magic(args[0], args[1], args[2])


def _line_magic(name: str, line: str) -> MagicCall:
    warning = _HIDDEN_EFFECTS.get(name)
    if name == "store" and not _STORE_RESTORE.search(line):
        warning = None
    if name == "time":
        return MagicCall(name, cell_code=MagicBody(line, False), warning=warning)
    if name == "timeit":
        return MagicCall(name, function_code=(MagicBody(timeit_statement(line), False),))
    found = () if name in _NO_VAR_EXPAND else expansions(line)
    return MagicCall(name, expansions=found, warning=warning)


def _cell_magic(name: str, line: str, body: str) -> MagicCall:
    if name == "time":
        return MagicCall(name, cell_code=MagicBody(body, True))
    if name == "capture":
        return MagicCall(name, cell_code=MagicBody(body, True), binds=capture_output(line))
    if name == "timeit":
        setup = MagicBody(timeit_statement(line), False)
        return MagicCall(name, function_code=(setup, MagicBody(body, True)))
    # Not Python (%%bash, %%writefile, %%html): only the magic's line is expanded.
    return MagicCall(name, expansions=() if name in _NO_VAR_EXPAND else expansions(line))


def expansions(command: str) -> tuple[ast.expr, ...]:
    """The expressions IPython's ``var_expand`` evaluates in ``command``: ``$name``, ``$a.b`` and
    ``{expression}`` (``{{`` is a literal brace). IPython gives up on the whole command when one
    of them fails, so when one is not a valid expression none is read."""
    fields: list[str] = []
    try:
        parsed = list(string.Formatter().parse(command))
    except ValueError:  # unbalanced braces: IPython leaves the command as it is
        return ()
    for literal, field, spec, _conversion in parsed:
        fields.extend(m.group(2) for m in _DOLLAR.finditer(literal) if m.group(2)[0] != "$")
        if field is not None:
            # IPython's FullEvalFormatter evaluates "field:spec" as one expression (for slices).
            fields.append(f"{field}:{spec}" if spec else field)
    trees: list[ast.expr] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a field's own warnings (escapes) are not ours
        for text in fields:
            try:
                trees.append(ast.parse(text.strip(), mode="eval").body)
            except (SyntaxError, ValueError):
                return ()
    return tuple(trees)


def timeit_statement(line: str) -> str:
    """``line`` without ``%timeit``'s leading options: the statement (or ``%%timeit`` setup)."""
    position = 0
    while match := _TIMEIT_OPTION.match(line, position):
        position = match.end()
    return line[position:].strip()


def capture_output(line: str) -> str | None:
    """The variable ``%%capture [--no-stdout] [--no-stderr] [--no-display] [output]`` binds."""
    for word in line.split():
        if not word.startswith("-"):
            return word if word.isidentifier() else None
    return None
