"""Property-style tests of the line codecs (``lines.py``), the cell markers (``marker.py``) and the
display-order encoding (``order.py``): random lines built from tricky fragments, fixed seeds.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from jupytext_format.errors import FormatError
from jupytext_format.lines import (
    can_comment_verbatim,
    decode_code_line,
    decode_text_line,
    encode_code_line,
    encode_text_line,
    magic_like,
)
from jupytext_format.marker import Marker, is_marker, parse_marker, write_marker
from jupytext_format.notebook import _plain_title
from jupytext_format.order import decode_permutation, encode_permutation

pytestmark = pytest.mark.unit

SEEDS = range(8)
ROUNDS = 400

FRAGMENTS = [
    "",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "#",
    "# ",
    "##",
    "#!",
    "%",
    "%%",
    "%%bash",
    "%time",
    "%matplotlib inline",
    "!",
    "!ls -la",
    "?",
    "??",
    "obj?",
    "os.path.join??",
    "x = !ls",
    "a, b = %sx ls",
    "x =",
    "= %",
    "# %%",
    "#%%",
    "# %% [markdown]",
    "#  %%",
    "#\t%%",
    "[markdown]",
    "[raw]",
    "[md]",
    'tags=["a"]',
    "ipython=true",
    "title",
    "# In[3]:",
    "# ---",
    "---",
    "-*- coding: utf-8 -*-",
    "print(1)",
    "def f():",
    "return x",
    "'''",
    '"',
    "\\",
    "{",
    "}",
    ":",
    "=",
    "x",
    "Why?",
    "![img](a.png)",
    "日本語",
    "👩\u200d💻",
    "e\u0301",
    "\u200f",
    "שלום",
    "\r",
    "\x0c",
    "%%%",
    "#%",
    "# #",
]


def random_line(rng: random.Random) -> str:
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 5)))


def lines_for(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [random_line(rng) for _ in range(ROUNDS)] + FRAGMENTS


# --- code lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_code_lines_round_trip(seed: int) -> None:
    for line in lines_for(seed):
        encoded = encode_code_line(line, False)
        assert decode_code_line(encoded) == line, (line, encoded)


@pytest.mark.parametrize("seed", SEEDS)
def test_commented_ipython_lines_round_trip(seed: int) -> None:
    """An IPython line (magic-like once its indentation is skipped) comes back from its comment."""
    for line in lines_for(seed):
        if not magic_like(line.lstrip(" \t")):
            continue
        encoded = encode_code_line(line, True)
        assert encoded.lstrip(" \t").startswith("# "), line
        assert decode_code_line(encoded) == line, (line, encoded)


@pytest.mark.parametrize("seed", SEEDS)
def test_encoded_code_lines_are_never_markers(seed: int) -> None:
    for line in lines_for(seed):
        assert not is_marker(encode_code_line(line, False)), line


@pytest.mark.parametrize("seed", SEEDS)
def test_plain_code_lines_are_stored_as_they_are(seed: int) -> None:
    """Only comment lines are ever escaped: code itself is never changed."""
    for line in lines_for(seed):
        if not line.lstrip(" \t").startswith("#"):
            assert encode_code_line(line, False) == line


@pytest.mark.parametrize("seed", SEEDS)
def test_decoding_unencoded_lines_is_the_identity_when_not_escape_like(seed: int) -> None:
    """Lines the decoder changes are exactly the escaped ones: ``# `` + magic-like rest."""
    for line in lines_for(seed):
        body = line.lstrip(" \t")
        if decode_code_line(line) != line:
            assert body.startswith("# ") and magic_like(body[2:]), line


# --- Markdown and raw lines ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_text_lines_round_trip(seed: int) -> None:
    for line in lines_for(seed):
        encoded = encode_text_line(line)
        assert encoded.startswith("#"), line
        assert decode_text_line(encoded) == line, (line, encoded)
        assert not is_marker(encoded), (line, encoded)


def test_text_line_encoding_examples() -> None:
    assert encode_text_line("") == "#"
    assert encode_text_line("text") == "# text"
    assert encode_text_line("# heading") == "# # heading"
    assert encode_text_line("%% note") == "# # %% note"
    assert encode_text_line("# %% [markdown]") == "# # # %% [markdown]"


def test_hand_written_text_lines_are_read_leniently() -> None:
    assert decode_text_line("#text") == "text"
    assert decode_text_line("#") == ""
    assert decode_text_line("not a comment") == "not a comment"


# --- fully commented cells -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_commenting_as_is_is_safe_exactly_when_no_marker_results(seed: int) -> None:
    """Fully commented cells use the text codec (escaping marker-like lines); an IPython line is
    commented as it is only when ``# `` + line is not a marker."""
    for line in lines_for(seed):
        assert is_marker(f"# {line}") != can_comment_verbatim(line), line


# --- markers -------------------------------------------------------------------------------------

TITLE_WORDS = ["Load", "data", "日本語", "🚀", "étape", "x<y", "(draft)", "#1", "a[b]", "%%x", "-"]
KEYS = ["tags", "slideshow", "editable", "nbgrader", "jupyter.foo", "my-key", "_private", "a1"]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(8 if depth < 3 else 5)
    if choice == 0:
        return rng.choice([True, False, None])
    if choice == 1:
        return rng.randint(-(10**6), 10**6)
    if choice == 2:
        return rng.choice([0.5, -1.25, 1e-9])
    if choice in (3, 4):
        return "".join(
            rng.choice(["a", " ", '"', "\\", "=", "[raw]", "é", "🙂", "\n", "\t", "# %%", "}"])
            for _ in range(rng.randint(0, 6))
        )
    if choice in (5, 6):
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice(["k", "slide_type", "ключ", "a b", "x=y"]): random_json(rng, depth + 1)
        for _ in range(rng.randint(0, 3))
    }


def random_marker(rng: random.Random) -> Marker:
    title = " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(0, 3)))
    metadata = {key: random_json(rng) for key in rng.sample(KEYS, rng.randint(0, 3))}
    kind = rng.choice(["code", "markdown", "raw"])
    return Marker(
        kind=kind, title=title, metadata=metadata, commented=kind == "code" and rng.random() < 0.3
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_markers_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        marker = random_marker(rng)
        assert _plain_title(marker.title) or not marker.title
        line = write_marker(marker)
        assert is_marker(line)
        assert "\n" not in line
        assert parse_marker(line, 1) == marker, line
        assert write_marker(parse_marker(line, 1)) == line


def test_marker_spellings_jupytext_accepts() -> None:
    assert parse_marker("#%%", 1) == Marker()
    assert parse_marker("# %% [md]", 1).kind == "markdown"
    assert parse_marker("#\t%%   Title   here [raw]", 1) == Marker(kind="raw", title="Title here")
    marker = parse_marker('# %% tags=["a", "b"] slideshow={"slide_type": "slide"}', 1)
    assert marker.metadata == {"tags": ["a", "b"], "slideshow": {"slide_type": "slide"}}
    assert parse_marker("# %% ipython=true", 1).commented


def test_marker_writing_is_canonical() -> None:
    marker = Marker(kind="markdown", title="Intro", metadata={"z": 1, "a": {"y": 2, "x": "é"}})
    assert write_marker(marker) == '# %% Intro [markdown] a={"x": "é", "y": 2} z=1'


@pytest.mark.parametrize(
    "line",
    ["# %%", "#%%", "# %% [markdown]", "#  %%", "#\t%%", "# %% title", "# %%\t"],
)
def test_is_marker(line: str) -> None:
    assert is_marker(line)


@pytest.mark.parametrize(
    "line", [" # %%", "# %%%", "# %%bash", "## %%", "# # %%", "%%", "# %", "#%%x", ""]
)
def test_is_not_marker(line: str) -> None:
    assert not is_marker(line)


def test_marker_with_bad_json_names_the_option_and_line() -> None:
    with pytest.raises(FormatError) as error:
        parse_marker("# %% tags=[oops]", 17)
    assert error.value.line == 17
    assert "tags" in error.value.message


@pytest.mark.parametrize("key", ["application/vnd.databricks.v1+cell", "my key", "ns:key", "1st"])
def test_markers_round_trip_any_metadata_key(key: str) -> None:
    marker = Marker(metadata={key: {"title": "a b"}})
    assert parse_marker(write_marker(marker), 1) == marker


# --- display order -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_permutations_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        count = rng.randint(1, 40)
        display = list(range(count))
        for _ in range(rng.randint(0, 3)):  # a few moved cells, like real edits
            item = display.pop(rng.randrange(count))
            display.insert(rng.randrange(count), item)
        text = encode_permutation(display)
        assert decode_permutation(text, count) == display, text
        assert json.dumps(text).count(" ") <= count


@pytest.mark.parametrize(
    ("text", "count"),
    [("1 1", 2), ("1-3", 2), ("0 1", 2), ("3-1", 3), ("a", 1), ("1 2", 3), ("1--2", 2), ("", 1)],
)
def test_bad_permutations_are_rejected(text: str, count: int) -> None:
    assert decode_permutation(text, count) is None
