"""Cell analysis (REACTIVITY.md section 2): the spec's single-cell cases, then our own tables.

The spec's cases (``cases.json``) are read where they live (``shared/spec`` beside the checkout, or
``$REACTIVE_SPEC_DIR``, the folder behind the ``spec_dir`` fixture); nothing of them is copied here.

How the spec's ``references`` map onto ``CellAnalysis``: a case's answer is what ``check --json``
prints for a notebook with only that cell, and in such a notebook a builtin name (``print``,
``float``, ``get_ipython``) binds to nothing, so it is never among the spec's references. Our
analysis keeps builtin reads apart (``builtin_references``; the graph binds them only to a cell
above that redefines them), so the spec's ``references`` are exactly ``analysis.references``.
``cases.json`` has no case that reads a builtin name before rebinding it, which is the only case
where the two could differ (README of the spec suite).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from reactive_kernel.analysis import MUTATING_METHODS, analyze_cell, is_private
from tests.conftest import find_spec_dir

pytestmark = pytest.mark.unit

CASES_FILE = find_spec_dir() / "cases.json"


def _cases() -> list[Any]:
    if not CASES_FILE.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {CASES_FILE}"), id="missing")]
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["name"]) for c in cases]


def _sets(source: str) -> dict[str, list[str]]:
    analysis = analyze_cell(source)
    return {
        "defines": sorted(analysis.defines),
        "references": sorted(analysis.references),
        "mutates": sorted(analysis.mutates),
        "deletes": sorted(analysis.deletes),
        "errors": sorted(e.kind for e in analysis.errors),
    }


@pytest.mark.parametrize("case", _cases())
def test_cell_matches_spec(case: dict[str, Any]) -> None:
    expected = {key: sorted(case[key]) for key in ("defines", "references", "mutates", "deletes")}
    expected["errors"] = sorted(case["errors"])
    assert _sets(case["code"]) == expected, case["note"]


# IPython syntax beyond the spec's cases: (id, cell, defines, references, mutates). Each runs the
# way IPython runs it (REACTIVITY.md 2, "Magics that run Python").
MAGIC_CASES = [
    ("time-line", "%time x = y\nprint(x)\n", "x", "y", ""),
    ("time-assigned", "t = %time f(a)\n", "t", "a f", ""),
    ("time-mutates", "%time rows.append(1)\n", "", "rows", "rows"),
    ("time-indented", "if a:\n    %time b = c\n", "b", "a c", ""),
    ("time-cell-after-blank-line", "\n%%time\nx = y\n", "x", "y", ""),
    ("capture-body-magic", "%%capture out\n%time z = w\n", "out z", "w", ""),
    ("capture-options", "%%capture --no-stderr cap\nprint(v)\n", "cap", "v", ""),
    ("timeit-setup-is-local", "%%timeit -n1 s = base\ny = s + x\n", "", "base x", ""),
    ("timeit-options", "%timeit -n 10 -r3 f(x)\n", "", "f x", ""),
    ("timeit-reads-in-order", "%timeit f(v)\nv = 1\n", "v", "f v", ""),
    ("shell-expansions", "!echo {a+b} $c.d\n", "", "a b c", ""),
    ("shell-expansion-order", "!echo $x\nx = 1\n", "x", "x", ""),
    ("shell-expansion-after-bind", "x = 1\n!echo $x\n", "x", "", ""),
    ("shell-single-quotes-and-escapes", "!echo '$a' $$b {{c}}\n", "", "", ""),
    ("shell-bad-field-expands-nothing", "!echo $a {x:y}\n", "", "", ""),
    ("shell-capture-tuple", "a, b = !ls {folder}\n", "a b", "folder", ""),
    ("shell-capture-attribute", "cfg.files = !ls\n", "", "cfg", "cfg"),
    ("cell-magic-line-expands", "%%writefile {fname}\nbody = 1\n", "", "fname", ""),
    ("line-magic-expands", "%env HOME={home}\n", "", "home", ""),
    ("magics-in-function", "def f(y):\n    %time x = y + w\n    !echo $y $v\n", "f", "v w", ""),
    ("timeit-in-function", "def f():\n    %timeit g(q)\n", "f", "g q", ""),
    ("def-in-time-body", "%%time\ndef f():\n    return z\n", "f", "z", ""),
    ("pasted-prompts", ">>> x = 1\n>>> y = x\n", "x y", "", ""),
    ("indented-cell", "  x = 1\n  y = x\n", "x y", "", ""),
    ("help", "df?\n", "", "", ""),
]


@pytest.mark.parametrize(
    ("source", "defines", "references", "mutates"),
    [pytest.param(*case[1:], id=case[0]) for case in MAGIC_CASES],
)
def test_magic(source: str, defines: str, references: str, mutates: str) -> None:
    got = _sets(source)
    assert (got["defines"], got["references"], got["mutates"], got["errors"]) == (
        defines.split(),
        references.split(),
        mutates.split(),
        [],
    )


# Syntax errors: (id, cell, line, column) in the cell as typed, after IPython's transformer has
# dropped blank lines, rewritten magic lines and joined continued ones.
SYNTAX_ERROR_CASES = [
    ("after-magic-line", "%matplotlib inline\nx = 1\ny = (x +\n", 3, 5),
    ("after-blank-line-and-magic", "\n%matplotlib inline\ny = (x +\n", 3, 5),
    ("after-joined-magic", "%time x = 1 + \\\n  2\nz = (\n", 3, 5),
    ("in-cell-magic-body", "%%time\n\nx = 1\ny = (\n", 4, 5),
    ("in-line-magic-body", "a = 1\n%time b = (\n", 2, 11),
    ("in-nested-magic", "%%capture\nx = 1\n%time y = (\n", 3, 11),
    ("in-timeit-setup", "%%timeit -n1 s = (\nf(s)\n", 1, 18),
    ("return-at-top-level", "x = 1\nreturn x\n", 2, 1),
    ("non-ascii-line", "é = (1 +\n", 1, 5),
]


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [pytest.param(*case[1:], id=case[0]) for case in SYNTAX_ERROR_CASES],
)
def test_syntax_error_position(source: str, line: int, column: int) -> None:
    analysis = analyze_cell(source)
    (error,) = analysis.errors
    assert (error.kind, error.line, error.column) == ("syntax", line, column), error.message
    assert not (analysis.defines or analysis.references or analysis.builtin_references)


def test_unchanged_source_is_not_analysed_again() -> None:
    source = "alpha = beta + 1\n"
    assert analyze_cell(source) is analyze_cell(source)


def test_builtins_are_kept_apart_from_references() -> None:
    analysis = analyze_cell("print(len(rows))\nif __name__ == '__main__':\n    display(In)\n")
    assert analysis.references == {"rows"}
    assert analysis.builtin_references == {"print", "len", "__name__", "display", "In"}


def test_a_builtin_read_before_the_cells_own_binding_is_kept() -> None:
    # The graph binds it to a cell above that redefines `list`, if any (REACTIVITY.md 3).
    analysis = analyze_cell("list = list(items)\n")
    assert analysis.builtin_references == {"list"}
    assert analysis.references == {"items"}


def test_identifiers_are_normalised_everywhere() -> None:
    analysis = analyze_cell("print(ﬁle_count)\n!echo $ﬁle_name\n")
    assert analysis.references == {"file_count", "file_name"}


def test_compiler_warnings_do_not_make_syntax_errors() -> None:
    # pytest turns warnings into errors here; an invalid escape must still analyse (IPython shows
    # the warning when the cell runs).
    assert analyze_cell('pattern = "\\d+"\nsame = 1 is 1\n').defines == {"pattern", "same"}


def test_local_annotations_in_functions_are_not_read() -> None:
    source = "def f():\n    x: Local = 1\n    return x\nclass K:\n    size: Size\n"
    assert analyze_cell(source).references == {"Size"}


@pytest.mark.parametrize(
    ("source", "line", "start"),
    [
        ("print(1)\n%run other.py\n", 2, "`%run`"),
        ("%store -r data\n", 1, "`%store -r`"),
        ("%%capture\n%pylab inline\n", 2, "`%pylab`"),
    ],
)
def test_hidden_effects_warn_and_never_error(source: str, line: int, start: str) -> None:
    analysis = analyze_cell(source)
    assert not analysis.errors
    (warning,) = analysis.warnings
    assert (warning.kind, warning.line, warning.column) == ("warning", line, 1)
    assert warning.message.startswith(start)


def test_store_without_restore_does_not_warn() -> None:
    assert analyze_cell("%store data\n").warnings == ()


def test_star_import_suggests_the_names_the_cell_reads() -> None:
    analysis = analyze_cell("x = 1\nfrom math import *\nprint(sqrt(x), pi)\n")
    (error,) = analysis.errors
    assert (error.kind, error.line, error.column) == ("star-import", 2, 1)
    assert error.message.endswith("import the names you use: `from math import pi, sqrt`")
    assert analysis.defines == {"x"}  # the rest of the cell is analysed


def test_star_import_in_a_magic_body_has_its_cell_line() -> None:
    (error,) = analyze_cell("%%time\nfrom os.path import *\n").errors
    assert (error.kind, error.line) == ("star-import", 2)
    assert "`from os.path import *`" in error.message


def test_private_names() -> None:
    assert [is_private(n) for n in ("_", "_tmp", "__x", "__", "____", "__name__", "x_")] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_mutating_methods_include_the_spec_list() -> None:
    assert {"append", "fit", "partial_fit", "setdefault", "symmetric_difference_update"} <= (
        MUTATING_METHODS
    )


PROBE = """
import sys
from reactive_kernel.analysis import analyze_cell
analyze_cell(sys.argv[1])
print("IPython" in sys.modules)
"""


@pytest.mark.parametrize(
    ("source", "imports_ipython"),
    [
        ("import numpy as np\nx = np.arange(3)\nprint(x)\n", False),
        ("total = (a +\n", False),  # a syntax error without IPython syntax needs no transformer
        ("%matplotlib inline\n", True),
    ],
)
def test_ipython_is_imported_only_for_ipython_syntax(source: str, imports_ipython: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, source], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(imports_ipython)
