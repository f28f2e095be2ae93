"""Round trips of the realistic notebooks in ``tests/format/corpus`` through the ``.py`` format.

For every corpus notebook: ``.ipynb -> .py -> .ipynb`` keeps sources, cell types, tags and the
other kept metadata; ``writes(reads(py)) == py`` (twice); ``writes`` is deterministic, also across
processes with other hash seeds; the file stores no outputs or tool state; it is valid Python
apart from cells that are not valid (I)Python themselves; jupytext reads the same cells; and an
edit to one cell changes only that cell's lines.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupytext_format import reads, writes
from jupytext_format.header import read_header
from jupytext_format.ipython import ipython_lines
from jupytext_format.lines import magic_like
from jupytext_format.marker import is_marker
from tests.format.helpers import (
    CORPUS,
    STDLIB_RUNNABLE,
    cell,
    cell_blocks,
    code,
    display_positions,
    is_valid_ipython,
    kept_metadata,
    load,
    markdown,
    notebook,
    raw,
    source,
    tags,
    written,
)

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
IDS = [path.stem for path in CORPUS]


def test_corpus_is_what_the_brief_promises() -> None:
    """8-10 notebooks, one with 150+ cells, nbformat 4.5, with outputs and execution counts to
    strip, and the stdlib-runnable ones present."""
    assert 8 <= len(CORPUS) <= 10
    notebooks = {path.stem: load(path) for path in CORPUS}
    assert max(len(nb["cells"]) for nb in notebooks.values()) >= 150
    for name, nb in notebooks.items():
        assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5), name
        assert all("id" in c for c in nb["cells"]), name
    assert set(STDLIB_RUNNABLE) <= set(notebooks)
    cells = [c for nb in notebooks.values() for c in nb["cells"]]
    assert {c["cell_type"] for c in cells} == {"code", "markdown", "raw"}
    assert any(c.get("outputs") for c in cells)
    assert any(c.get("execution_count") for c in cells)


# --- .ipynb -> .py -> .ipynb ---------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_ipynb_to_py_to_ipynb_keeps_cells(path: Path) -> None:
    original = load(path)
    back = reads(written(path))
    assert len(back["cells"]) == len(original["cells"])
    for index, (before, after) in enumerate(zip(original["cells"], back["cells"], strict=True)):
        where = f"{path.stem} cell {index}"
        assert after["cell_type"] == before["cell_type"], where
        assert after["source"] == source(before), where
        assert tags(after) == tags(before), where
        assert kept_metadata(after) == kept_metadata(before), where
        if after["cell_type"] == "code":
            assert after["outputs"] == [] and after["execution_count"] is None, where
    assert back["metadata"]["kernelspec"] == original["metadata"]["kernelspec"]
    assert back["nbformat"] == 4


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_zero_churn(path: Path) -> None:
    text = written(path)
    once = writes(reads(text))
    assert once == text
    twice = writes(reads(once))
    assert twice == text


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_nbformat_node_gives_the_same_text(path: Path) -> None:
    """``writes`` takes nbformat's ``NotebookNode`` (what Jupyter hands over) as well as dicts."""
    import nbformat

    node = nbformat.from_dict(load(path))  # no schema validation: that alone takes seconds
    assert writes(node) == written(path)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_writes_is_deterministic_in_process(path: Path) -> None:
    assert writes(load(path)) == writes(load(path)) == written(path)


_DUMP_ALL = """
import json, sys
from pathlib import Path
from jupytext_format import writes
texts = {p: writes(json.loads(Path(p).read_text(encoding="utf-8"))) for p in sys.argv[1:]}
print(json.dumps(texts))
"""


def test_writes_is_deterministic_across_hash_seeds() -> None:
    """A subprocess with a fixed hash seed writes what this process (random seed) writes."""
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-c", _DUMP_ALL, *map(str, CORPUS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    texts = json.loads(result.stdout)
    for path in CORPUS:
        assert texts[str(path)] == written(path), path.stem


# --- what the file holds -------------------------------------------------------------------------

_STATE_WORDS = (
    "execution_count",
    "outputs",
    "jupytext_version",
    "jupytext:",
    "language_info",
    "ExecuteTime",
    "source_hidden",
    "scrolled",
    "collapsed",
    "iVBORw0KGgo",  # the PNG outputs
    "CPU times",  # %%time output
    "Traceback",
)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_py_holds_no_outputs_or_tool_state(path: Path) -> None:
    text = written(path)
    for word in _STATE_WORDS:
        assert word not in text, f"{path.stem}: {word!r} in the .py"
    header = read_header(text.split("\n")).metadata
    assert set(header) == {"kernelspec", "reactive"}
    assert header["reactive"]["format"] == 1
    # no execution counts in markers either (`# In[3]:` comments are user text, not counts)
    for line in text.split("\n"):
        if is_marker(line):
            assert "execution_count" not in line and "outputs" not in line


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_output_text_does_not_leak(path: Path) -> None:
    """Stream outputs that do not repeat the source (most of them) do not appear in the file."""
    text = written(path)
    for c in load(path)["cells"]:
        for output in c.get("outputs", []):
            for line in output.get("text", []):
                line = line.strip()
                if len(line) > 12 and line not in source(c):
                    assert line not in text, (path.stem, line)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_py_is_valid_python_apart_from_invalid_cells(path: Path) -> None:
    """The file parses as Python once the blocks of cells that are not valid IPython (a typo, top
    level ``await``) are blanked out; every cell on its own parses too."""
    nb = load(path)
    text = written(path)
    cells = nb["cells"]
    invalid = {
        index
        for index, c in enumerate(cells)
        if c["cell_type"] == "code" and not is_valid_ipython(source(c))
    }
    lines = text.split("\n")
    blocks = cell_blocks(text)
    positions = display_positions(text, len(cells))
    for index in invalid:
        start, end = blocks[positions[index]]
        lines[start:end] = [""] * (end - start)
    ast.parse("\n".join(lines), filename=f"{path.stem}.py")
    if not invalid:
        ast.parse(text)


def test_invalid_cells_are_the_expected_ones() -> None:
    """Only the scratch notebook has cells that are not valid IPython (so the test above is not
    vacuous for the others)."""
    invalid = {
        path.stem: [
            index
            for index, c in enumerate(load(path)["cells"])
            if c["cell_type"] == "code" and not is_valid_ipython(source(c))
        ]
        for path in CORPUS
    }
    assert {name for name, cells in invalid.items() if cells} == {"scratch_debugging"}


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_each_cell_is_stored_in_its_own_block(path: Path) -> None:
    """The file has exactly one marker per cell, and the display order maps onto it."""
    text = written(path)
    nb = load(path)
    assert len(cell_blocks(text)) == len(nb["cells"])
    assert sorted(display_positions(text, len(nb["cells"]))) == list(range(len(nb["cells"])))


def test_out_of_order_notebook_records_the_display_order() -> None:
    path = next(p for p in CORPUS if p.stem == "reactive_dashboard")
    text = written(path)
    header = read_header(text.split("\n")).metadata
    assert "display_order" in header["reactive"]
    assert header["reactive"]["auto_run"] is True  # other reactive settings are kept
    assert "display_order" not in reads(text)["metadata"]["reactive"]
    # the file runs as a script: `raw` is stored before `clean`, which is before `print(dashboard)`
    order = [line for line in text.split("\n") if line.startswith(("raw =", "clean =", "print("))]
    assert order == [
        "raw = {",
        order[1],
        "print(dashboard)",
    ]
    assert order[1].startswith("clean =")


@pytest.mark.parametrize("name", (*STDLIB_RUNNABLE, "reactive_dashboard"))
def test_stdlib_notebooks_run_as_scripts(name: str, tmp_path: Path) -> None:
    """The stdlib notebooks' ``.py`` files run with plain ``python`` (magics are comments)."""
    path = next(p for p in CORPUS if p.stem == name)
    script = tmp_path / f"{name}.py"
    script.write_text(written(path), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr


# --- jupytext reads the file ---------------------------------------------------------------------


def _jupytext_cells(text: str, count: int) -> list[dict[str, Any]]:
    """jupytext's reading of ``text``, its cells put back in display order."""
    import jupytext

    nb = jupytext.reads(text, fmt="py:percent")
    cells = [dict(c) for c in nb.cells]
    order = nb.metadata.get("reactive", {}).get("display_order")
    if order is not None and len(cells) == count:
        cells = [cells[p] for p in display_positions(text, count)]
    return cells


def _has_ipython_syntax(c: dict[str, Any]) -> bool:
    return c["cell_type"] == "code" and ipython_lines(source(c)) != frozenset()


def _documented_difference(kind: str, ours: str, theirs: str) -> bool:
    """Whether jupytext's source differs from ours only in the ways documented by the xfail tests
    below: trailing blank lines dropped (jupytext keeps them as ``lines_to_next_cell``), carriage
    returns lost (jupytext splits lines with ``splitlines``), escaped lines left escaped (jupytext
    has no escape for marker-like lines)."""

    def lines(text: str) -> list[str]:
        out = text.replace("\r", "").split("\n")
        while out and not out[-1].strip():
            out.pop()
        return out

    a, b = lines(ours), lines(theirs)
    if len(a) != len(b):
        return False
    for mine, jupytexts in zip(a, b, strict=True):
        if mine == jupytexts:
            continue
        body = mine.lstrip(" \t")
        escaped = magic_like(mine) if kind != "code" else body.startswith("#") and magic_like(body)
        indent = mine[: len(mine) - len(body)]
        if not (escaped and jupytexts == f"{indent}# {body}"):
            return False
    return True


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_jupytext_reads_the_same_cells(path: Path) -> None:
    nb = load(path)
    theirs = _jupytext_cells(written(path), len(nb["cells"]))
    assert len(theirs) == len(nb["cells"])
    for index, (mine, jupytexts) in enumerate(zip(nb["cells"], theirs, strict=True)):
        where = f"{path.stem} cell {index}"
        assert jupytexts["cell_type"] == mine["cell_type"], where
        assert tags(jupytexts) == tags(mine), where
        if _has_ipython_syntax(mine):
            continue
        assert _documented_difference(mine["cell_type"], source(mine), jupytexts["source"]), (
            f"{where}: {source(mine)!r} != {jupytexts['source']!r}"
        )


def _jupytext_source(nb: dict[str, Any]) -> str:
    cells = _jupytext_cells(writes(nb), len(nb["cells"]))
    assert len(cells) == len(nb["cells"])
    return str(cells[0]["source"])


@pytest.mark.parametrize(
    "text", ["![pipeline](img/pipeline.svg)", "% a LaTeX-style comment", "!important", "Why?"]
)
def test_jupytext_reads_magic_like_markdown_lines_as_written(text: str) -> None:
    """Markdown lines are escaped only when they would read as a marker: jupytext shows images
    (``![..](..)``) and ``%`` lines as written."""
    assert _jupytext_source(notebook(markdown(text), code("x = 1"))) == text


@pytest.mark.xfail(
    strict=True,
    reason="difference: jupytext has no escape for marker-like lines; it reads `# # %%` as is",
)
@pytest.mark.parametrize(
    "nb",
    [
        notebook(code("x = 1\n# %% a commented-out marker")),
        notebook(code("x = 1\n#%%")),
        notebook(markdown("%% a LaTeX comment"), code("x = 1")),
        notebook(raw("# %% raw"), code("x = 1")),
        notebook(code("# In[3]:\nx = 1"), code("y = 2")),
    ],
    ids=["code-spaced", "code-vscode", "markdown", "raw", "in-prompt"],
)
def test_jupytext_marker_like_lines(nb: dict[str, Any]) -> None:
    assert _jupytext_source(nb) == nb["cells"][0]["source"]


@pytest.mark.xfail(
    strict=True,
    reason="difference: jupytext reads the blank lines before the next marker its own way (they "
    "are `lines_to_next_cell` to it): a cell ending in one newline loses it, and a "
    "whitespace-only line at the end of a cell becomes empty",
)
@pytest.mark.parametrize("text", ["x = 1\n", "   ", "x = 1\n    "])
def test_jupytext_trailing_blank_lines(text: str) -> None:
    assert _jupytext_source(notebook(code(text), code("y = 2"))) == text


@pytest.mark.xfail(
    strict=True,
    reason="difference: jupytext splits lines with str.splitlines, so a CR before LF (CRLF "
    "pasted into a string literal) or a form feed is lost",
)
@pytest.mark.parametrize("text", ['s = """a\r\nb"""', "x = 1\n\x0cy = 2"], ids=["crlf", "ff"])
def test_jupytext_other_line_breaks(text: str) -> None:
    assert _jupytext_source(notebook(code(text), code("y = 2"))) == text


def test_jupytext_in_prompt_comment() -> None:
    """``# In[3]:`` (left by nbconvert's script export) is a cell marker to jupytext: it is escaped
    so that jupytext reads one cell, not two (and keeps the escape, see above)."""
    text = "# In[3]:\nx = 1"
    assert _documented_difference("code", text, _jupytext_source(notebook(code(text), code("y"))))


# --- editing one cell ----------------------------------------------------------------------------


def _edit(c: dict[str, Any]) -> str:
    text = source(c)
    if c["cell_type"] == "code":
        return text + "\n# edited" if text else "# edited"
    return text + " (edited)" if text else "edited"


def _changed_old_lines(old: str, new: str) -> list[int]:
    """Line numbers of ``old`` that a diff to ``new`` replaces, deletes, or inserts before."""
    a, b = old.split("\n"), new.split("\n")
    touched: list[int] = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        touched.extend(range(i1, i2) if i2 > i1 else [i1])
    return touched


def _edit_positions(count: int, rng: random.Random) -> list[int]:
    picks = {0, count - 1, count // 2}
    picks.update(rng.sample(range(count), min(3, count)))
    return sorted(picks)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_editing_one_cell_changes_only_its_lines(path: Path) -> None:
    rng = random.Random(path.stem)
    old = written(path)
    blocks = cell_blocks(old)
    nb = load(path)
    positions = display_positions(old, len(nb["cells"]))
    for index in _edit_positions(len(nb["cells"]), rng):
        edited = load(path)
        edited["cells"][index]["source"] = _edit(edited["cells"][index])
        new = writes(edited)
        assert reads(new)["cells"][index]["source"] == _edit(nb["cells"][index])
        start, end = blocks[positions[index]]
        touched = _changed_old_lines(old, new)
        assert touched, f"{path.stem} cell {index}: nothing changed"
        outside = [n for n in touched if not start < n <= end]
        assert not outside, (
            f"{path.stem} cell {index} (lines {start + 1}-{end}): "
            f"diff touches lines {[n + 1 for n in outside]}"
        )


def _with_cell_replaced(
    path: Path, index: int, change: Callable[[dict[str, Any]], None]
) -> tuple[str, str]:
    nb = load(path)
    change(nb["cells"][index])
    return written(path), writes(nb)


def test_adding_a_tag_changes_only_the_marker_line() -> None:
    path = next(p for p in CORPUS if p.stem == "stdlib_queue_simulation")
    old, new = _with_cell_replaced(
        path, 40, lambda c: c["metadata"].setdefault("tags", []).append("slow")
    )
    diff = [
        line
        for line in difflib.unified_diff(old.split("\n"), new.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert len(diff) == 2 and all(is_marker(line[1:]) for line in diff), diff
    assert diff[1].endswith('tags=["slow"]')


# --- targeted round trips ------------------------------------------------------------------------

ROUND_TRIPS = {
    "magics": ["%matplotlib inline\nimport os", "files = !ls\nfiles", "len?", "os.path??"],
    "cell-magics": ["%%time\nx = 1", "%%bash\necho hi\n# %% x", "%%capture out\nprint(1)"],
    "whole-cell": ["if True:\n    %time f()", "for i in range(2):\n    !echo {i}"],
    "escapes": ["# %time note\nx = 1", "x = 1\n#%%\n# %% [markdown]\n  # %% indented"],
    "strings": ['s = """\n# %% in a string\n%% also\n# %time\n"""', "s = '# %%'"],
    "whitespace": ["", " ", "\n", "x\n\n", "\tx = 1\t", "x = 1   \n   ", "\r\n"],
    "unicode": ["名前 = '🙂'\nprint(名前)", "s = 'e\u0301\u200f'", "# שלום\nx = 1"],
    "invalid": ["def f(:\n", "x = (", "await thing()", "%%bash\nfi )(\n"],
}


@pytest.mark.parametrize("kind", sorted(ROUND_TRIPS))
def test_targeted_code_round_trips(kind: str) -> None:
    sources = ROUND_TRIPS[kind]
    for text in sources:
        for neighbours in ([], [code("y = 2")]):
            nb = notebook(markdown("# Title"), code(text), *neighbours)
            written_text = writes(nb)
            back = reads(written_text)
            assert [c["source"] for c in back["cells"]][1] == text, (text, written_text)
            assert writes(back) == written_text


@pytest.mark.parametrize(
    "text",
    [
        "# %% a heading-like line\n%% LaTeX\n#%%\n# # %% already escaped-looking",
        "#\n# #\n# # #\n#x",
        "```python\n# %%\n%time\n!ls\n```",
        " %% leading space\n\t%%",
    ],
)
@pytest.mark.parametrize("kind", ["markdown", "raw"])
def test_targeted_text_round_trips(kind: str, text: str) -> None:
    nb = notebook(cell(kind, text), code("x = 1"))
    written_text = writes(nb)
    assert reads(written_text)["cells"][0]["source"] == text
    assert writes(reads(written_text)) == written_text


@pytest.mark.parametrize(
    "text",
    [
        "%%writefile analysis.m\n%% Load data\ndata = load('x.mat');",
        "%%bash\n%%",
    ],
    ids=["matlab", "minimal"],
)
def test_cell_magic_with_percent_percent_body_line(text: str) -> None:
    nb = notebook(code(text), code("y = 2"))
    back = reads(writes(nb))
    assert [c["source"] for c in back["cells"]] == [text, "y = 2"]


@pytest.mark.parametrize(
    "text",
    [
        "%%writefile paper.tex\n%% preamble\n\\documentclass{article}",
        "%%bash\n  %% indented\nfi )(",
    ],
    ids=["latex", "bash"],
)
def test_cell_magic_that_cannot_be_commented_keeps_the_file_python(text: str) -> None:
    nb = notebook(code(text), code("y = 2"))
    written_text = writes(nb)
    assert [c["source"] for c in reads(written_text)["cells"]] == [text, "y = 2"]
    ast.parse(written_text)


def test_cell_metadata_named_ipython() -> None:
    nb = notebook(code("x = 1", ipython=True))
    text = writes(nb)
    assert reads(text)["cells"][0]["metadata"] == {"ipython": True}
    assert writes(reads(text)) == text


@pytest.mark.parametrize("char", ["\u2028", "\x85"], ids=["ls", "nel"])
def test_header_values_with_unicode_line_separators(char: str) -> None:
    nb = notebook(code("x = 1"), reactive={"note": f"a{char}b"})
    text = writes(nb)
    assert reads(text)["metadata"]["reactive"]["note"] == f"a{char}b"
    assert writes(reads(text)) == text


def test_volatile_metadata_is_dropped_and_the_rest_kept() -> None:
    nb = notebook(
        code(
            "x = 1",
            tags=["a", "ü"],
            slideshow={"slide_type": "fragment"},
            editable=False,
            nbgrader={"grade": True, "points": 2},
            collapsed=True,
            scrolled="auto",
            ExecuteTime={"end_time": "x"},
            jupyter={"outputs_hidden": True},
            trusted=True,
            papermill={"duration": 1.2},
            vscode={"languageId": "python"},
            execution={"iopub.status.idle": "x"},
        )
    )
    back = reads(writes(nb))["cells"][0]["metadata"]
    assert back == {
        "tags": ["a", "ü"],
        "slideshow": {"slide_type": "fragment"},
        "editable": False,
        "nbgrader": {"grade": True, "points": 2},
    }


@pytest.mark.parametrize(
    "title",
    ["Load data", "日本語 🚀", "x=1 in a title", "[markdown] first", " padded ", "two  spaces"],
)
def test_titles_round_trip(title: str) -> None:
    nb = notebook(code("x = 1", title=title), markdown("text", title=title))
    text = writes(nb)
    assert [c["metadata"]["title"] for c in reads(text)["cells"]] == [title, title]
    assert writes(reads(text)) == text
