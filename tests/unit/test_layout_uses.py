"""``laid_out_names``: which names a cell only puts on screen (a widget change does not re-run
the cell for them) and which it reads (it does)."""

from __future__ import annotations

import pytest

from reactive_kernel.analysis.layout import laid_out_names

pytestmark = pytest.mark.unit

CASES = [
    # (source, names only laid out or shown)
    ("n", {"n"}),
    ("ui.hstack(n, m)", {"n", "m"}),
    ("panel = ui.vstack(n, ui.hstack(a, b))\npanel", {"n", "a", "b", "panel"}),
    ('ui.tabs({"One": n, "Two": m})', {"n", "m"}),
    ("ipywidgets.HBox([n, m])", {"n", "m"}),
    ("ipywidgets.VBox(children=[n])", {"n"}),
    ("ui.hstack(*parts)", {"parts"}),
    ("display(n)", {"n"}),
    ("display(n)\nprint(n.value)", set()),  # one read is enough
    ("n.value", set()),
    ("print(n)", set()),
    ("f(n)", set()),
    ("ui.md('{n}', n=n)", set()),  # md formats its template: it may read the value
    ("ui.hstack(n.value)", set()),
    ("ui.tabs({n: 1})", set()),  # a dict key is read
    ("def show():\n    return ui.hstack(n)", set()),  # later, maybe elsewhere
    ("[ui.hstack(w) for w in ws]", set()),
    ("if flag:\n    n", set()),  # not the cell's output
    ("ui.hstack(n", set()),  # a syntax error lays out nothing
    ("%time ui.hstack(n)", set()),  # the magic's own call reads its argument string
    ("x = 1\nui.hstack(n)\n!echo hi", {"n"}),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_laid_out_names(source: str, expected: set[str]) -> None:
    assert laid_out_names(source) == frozenset(expected)
