"""Small notebooks and the exact ``.py`` text ``writes`` gives for them (``tests/format/golden``).

A change of the format shows up here as a readable diff of the golden file. After an intended
change, regenerate with ``REACTIVE_UPDATE_GOLDEN=1 python -m pytest tests/format/test_golden.py``
and review the diff of ``tests/format/golden`` before committing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from jupytext_format import reads, writes
from tests.format.helpers import code, kept_metadata, markdown, notebook, raw, source

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("REACTIVE_UPDATE_GOLDEN") == "1"

CASES: dict[str, dict[str, Any]] = {
    "header_markdown_raw": notebook(
        raw("---\ntitle: Golden notebook\nauthor: QA\n---", raw_mimetype="text/markdown"),
        markdown(
            "# Title\n\nSome *text* with a list:\n\n- one\n- two\n\n"
            "```python\n# %% in a fence\nprint(1)\n```"
        ),
        code(
            "import math\n\nradius = 2.0",
            tags=["setup", "parameters"],
            slideshow={"slide_type": "skip"},
            ExecuteTime={"start_time": "2024-01-01T00:00:00Z"},  # volatile: not stored
        ),
        code("area = math.pi * radius**2\narea", title="Area of the circle"),
        markdown("Done. ✅ 日本語 — שלום", slideshow={"slide_type": "slide"}),
        kernelspec={"display_name": "Python 3", "language": "python", "name": "python3"},
        language_info={"name": "python", "version": "3.11.7"},
        reactive={"auto_run": False},
    ),
    "magics_and_escaping": notebook(
        code("%matplotlib inline\n!pip install -q requests\nimport requests"),
        code("files = !ls\nlen(files)"),
        code("requests.get?"),
        code(
            "# %time note: a comment that looks like a magic\n"
            "#%% a commented-out VS Code marker\n"
            "  # %% indented\n"
            "x = 1  # %% trailing\n"
            "# a plain comment"
        ),
        code('s = """\n# %% inside a string\n%% also\n"""'),
        markdown("%% a Markdown line starting with percent signs\n# %% [markdown]\n#\n# # x"),
        raw("# %% raw\n%%bash"),
    ),
    "cell_magics": notebook(
        code("%%time\ntotal = sum(range(10))"),
        code('%%bash\nset -e\necho "hello"\n# %% a shell comment\n\nls -1 | wc -l'),
        code('%%writefile config.py\nNAME = "demo"'),
        code("if True:\n    %time total"),
        code("%load_ext autoreload\n%autoreload 2"),
    ),
    "empty_cells": notebook(
        code(""),
        markdown(""),
        raw(""),
        code("x = 1\n"),
        code("y = 2\n\n\n"),
        code("   "),
        code("\n"),
        markdown("trailing spaces   \n\ttab\n"),
        code("z = 3   \n\ty = [1,\t2]"),
        code(""),
    ),
    "out_of_order": notebook(
        markdown("# Report first"),
        code("print(summary)"),
        markdown("## Summary"),
        code('summary = f"{len(rows)} rows, total {total}"'),
        code("total = sum(rows)"),
        markdown("## Data"),
        code("rows = [3, 1, 4, 1, 5]"),
        markdown("*the end*"),
    ),
}


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.py"


def test_every_golden_file_has_a_case() -> None:
    assert {path.stem for path in GOLDEN.glob("*.py")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_writes_matches_golden(name: str) -> None:
    text = writes(CASES[name])
    path = golden_path(name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    assert text == expected, f"{path} differs (REACTIVE_UPDATE_GOLDEN=1 regenerates it)"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_reads_back(name: str) -> None:
    text = golden_path(name).read_text(encoding="utf-8")
    nb = reads(text)
    cells = CASES[name]["cells"]
    assert [c["cell_type"] for c in nb["cells"]] == [c["cell_type"] for c in cells]
    assert [c["source"] for c in nb["cells"]] == [source(c) for c in cells]
    assert [kept_metadata(c) for c in nb["cells"]] == [kept_metadata(c) for c in cells]
    assert writes(nb) == text


def test_golden_files_show_the_format_features() -> None:
    """The golden files cover what they are meant to cover (guards against a regeneration that
    silently loses a feature)."""
    text = {name: golden_path(name).read_text(encoding="utf-8") for name in CASES}
    assert "#     display_order: " in text["out_of_order"]
    assert "# %% ipython=true\n# %%bash\n" in text["cell_magics"]
    assert "# %%\n# %%time\ntotal = sum(range(10))\n" in text["cell_magics"]
    assert "# # %time note" in text["magics_and_escaping"]
    assert "# #%% a commented-out" in text["magics_and_escaping"]
    assert "# %matplotlib inline\n# !pip install" in text["magics_and_escaping"]
    assert "# %% Area of the circle\n" in text["header_markdown_raw"]
    assert 'tags=["setup", "parameters"]' in text["header_markdown_raw"]
    assert "ExecuteTime" not in text["header_markdown_raw"]
    assert "language_info" not in text["header_markdown_raw"]
    assert "# %% [raw] raw_mimetype=" in text["header_markdown_raw"]
    assert "# %% [markdown]\n\n" in text["empty_cells"]
