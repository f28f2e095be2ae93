"""The spec's single-cell cases (``cases.json``, REACTIVITY.md section 2) through analyze_cell.

The cases are read where they live (``shared/spec`` beside the checkout, or
``$REACTIVE_SPEC_DIR``); nothing of them is copied here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from reactive_kernel.analysis import MUTATING_METHODS, analyze_cell
from tests.conftest import find_spec_dir

CASES_FILE = find_spec_dir() / "cases.json"


def _cases() -> list[Any]:
    if not CASES_FILE.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {CASES_FILE}"), id="missing")]
    return [pytest.param(c, id=c["name"]) for c in json.loads(CASES_FILE.read_text())]


@pytest.mark.parametrize("case", _cases())
def test_cell_matches_spec(case: dict[str, Any]) -> None:
    analysis = analyze_cell(case["code"])
    got = {
        "defines": sorted(analysis.defines),
        "references": sorted(analysis.references),
        "mutates": sorted(analysis.mutates),
        "deletes": sorted(analysis.deletes),
        "errors": sorted(e.kind for e in analysis.errors),
    }
    expected = {key: sorted(case[key]) for key in got}
    assert got == expected, case["note"]


def test_unchanged_source_is_not_analysed_again() -> None:
    source = "alpha = beta + 1\n"
    assert analyze_cell(source) is analyze_cell(source)


def test_syntax_error_names_its_line_even_after_a_magic_line() -> None:
    analysis = analyze_cell("%matplotlib inline\nx = 1\ny = (x +\n")
    (error,) = analysis.errors
    assert error.kind == "syntax"
    assert error.line == 3
    assert not analysis.defines


def test_builtins_are_kept_apart_from_references() -> None:
    analysis = analyze_cell("print(len(rows))\n")
    assert analysis.references == {"rows"}
    assert analysis.builtin_references == {"print", "len"}


def test_hidden_effects_warn_and_never_error() -> None:
    analysis = analyze_cell("%run other.py\nprint(result)\n")
    assert not analysis.errors
    assert [w.kind for w in analysis.warnings] == ["warning"]
    assert "%run" in analysis.warnings[0].message


def test_magic_bodies_are_analysed() -> None:
    assert analyze_cell("%%capture out\nmodel = fit(data)\n").defines == {"out", "model"}
    timed = analyze_cell("%timeit score(sample)\n")
    assert timed.references == {"score", "sample"} and not timed.defines
    assert analyze_cell("!ls $folder\n").references == {"folder"}


def test_star_import_message_suggests_naming_imports() -> None:
    (error,) = analyze_cell("from math import *\n").errors
    assert "import the names you use" in error.message


def test_mutating_methods_include_the_spec_list() -> None:
    assert {"append", "fit", "partial_fit", "setdefault"} <= MUTATING_METHODS
