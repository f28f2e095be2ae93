"""``reads`` on files ``writes`` did not produce: broken files give a :class:`FormatError` with a
useful message (and the line, where there is one); plain scripts, empty files and header-only
files are read as what they are.
"""

from __future__ import annotations

import random

import pytest

from jupytext_format import FormatError, reads, split_script, writes
from tests.format.helpers import code, markdown, notebook

pytestmark = pytest.mark.unit

HEADER = "# ---\n# jupyter:\n#   reactive:\n#     format: 1\n# ---\n\n"
"""A minimal header: 6 lines with the blank line after it."""


def header(*yaml_lines: str) -> str:
    return "# ---\n" + "".join(f"{line}\n" for line in yaml_lines) + "# ---\n\n"


def read_error(text: str) -> FormatError:
    with pytest.raises(FormatError) as error:
        reads(text)
    assert str(error.value)
    return error.value


# --- broken files --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["body", "header", "start"])
def test_nul_bytes(where: str) -> None:
    text = {
        "body": HEADER + "# %%\nx = 1\x00\n",
        "header": HEADER.replace("format", "for\x00mat") + "# %%\nx = 1\n",
        "start": "\x00\x01\x02binary",
    }[where]
    error = read_error(text)
    assert "binary" in error.message and "NUL" in error.message


def test_unclosed_header() -> None:
    error = read_error("# ---\n# jupyter:\n#   reactive:\n#     format: 1\n\n# %%\nx = 1\n")
    assert error.line == 1
    assert "never closed" in error.message
    assert str(error).startswith("line 1: ")


@pytest.mark.parametrize(
    ("yaml_lines", "line"),
    [
        (["# jupyter:", "#   reactive:", "#     format: 1", "#    bad: : :"], 5),
        (["# jupyter:", "#   kernelspec: {name: x", "#   reactive:", "#     format: 1"], 4),
        (["# jupyter:", "#   reactive:", "# \tformat: 1"], 4),
    ],
    ids=["mapping", "flow", "tab"],
)
def test_invalid_yaml_in_header(yaml_lines: list[str], line: int) -> None:
    error = read_error(header(*yaml_lines) + "# %%\nx = 1\n")
    assert "not valid YAML" in error.message
    assert error.line is not None and 2 <= error.line <= len(yaml_lines) + 1
    assert error.line == line


def test_header_line_without_comment_prefix() -> None:
    error = read_error("# ---\n# jupyter:\n  reactive:\n#     format: 1\n# ---\n\n# %%\nx\n")
    assert error.line == 3
    assert "# " in error.message


@pytest.mark.parametrize(
    "yaml_lines",
    [["# - a list", "# - not a mapping"], ["# just text"], ["# jupyter: [1, 2]"]],
    ids=["list", "scalar", "jupyter-list"],
)
def test_header_of_the_wrong_shape(yaml_lines: list[str]) -> None:
    error = read_error(header(*yaml_lines) + "# %%\nx = 1\n")
    assert "mapping" in error.message
    assert error.line is not None


TWO_CELLS = "# %%\nx = 1\n\n# %%\ny = 2\n"


@pytest.mark.parametrize(
    "order", ["1 1", "1-3", "2", "0 1", "2-1", "a b", "1, 2", "'1 2 3'", "[1, 2]"]
)
def test_display_order_that_is_not_a_permutation(order: str) -> None:
    text = header("# jupyter:", "#   reactive:", f"#     display_order: {order}", "#     format: 1")
    error = read_error(text + TWO_CELLS)
    assert "display_order" in error.message
    assert "2 cells" in error.message
    assert error.line is not None and 1 <= error.line <= 6  # somewhere in the header


@pytest.mark.parametrize(
    ("marker", "option"),
    [
        ("# %% tags=[oops]", "tags"),
        ('# %% slideshow={"slide_type": "slide"', "slideshow"),
        ("# %% [markdown] editable=maybe", "editable"),
        ("# %% title=", "title"),
        ("# %% tags=['single', 'quotes']", "tags"),
    ],
)
def test_bad_json_in_marker_option(marker: str, option: str) -> None:
    error = read_error(HEADER + "# %%\nx = 1\n\n" + marker + "\ny = 2\n")
    assert error.line == 10  # 6 header lines, one cell of 3 lines
    assert f"`{option}`" in error.message and "JSON" in error.message


def test_format_error_is_a_value_error() -> None:
    """Callers that catch ValueError (the contents manager, the CLI) also catch it."""
    assert issubclass(FormatError, ValueError)


def test_crlf_line_endings() -> None:
    nb = notebook(markdown("# Title"), code("x = 1"), code("y = 2"))
    text = writes(nb).replace("\n", "\r\n")
    try:
        back = reads(text)
    except FormatError:
        return  # refusing the file is an acceptable answer too
    assert [c["source"] for c in back["cells"]] == ["# Title", "x = 1", "y = 2"]


# --- plain scripts -------------------------------------------------------------------------------

SCRIPT = '''\
#!/usr/bin/env python
"""Fetch the tiles and print a summary."""
import os
import sys

# the cache folder, overridable from the environment
CACHE = os.environ.get("TILE_CACHE", "/tmp/tiles")

@functools.cache
def tiles(zoom):
    """Tile names of one zoom level."""

    return sorted(os.listdir(os.path.join(CACHE, str(zoom))))

class Summary:
    pass
if __name__ == "__main__":
    print(len(tiles(int(sys.argv[1]))))
'''


def test_plain_script_is_split_at_blank_lines_between_statements() -> None:
    cells = split_script(SCRIPT)
    assert cells == [
        '#!/usr/bin/env python\n"""Fetch the tiles and print a summary."""\nimport os\nimport sys',
        '# the cache folder, overridable from the environment\nCACHE = os.environ.get("TILE_CA'
        'CHE", "/tmp/tiles")',
        "@functools.cache\ndef tiles(zoom):\n"
        '    """Tile names of one zoom level."""\n\n'
        "    return sorted(os.listdir(os.path.join(CACHE, str(zoom))))",
        'class Summary:\n    pass\nif __name__ == "__main__":\n    print(len(tiles(int(sys.argv'
        "[1]))))",
    ]
    assert "\n\n".join(cells) + "\n" == SCRIPT


def test_plain_script_read_as_code_cells() -> None:
    nb = reads(SCRIPT)
    assert [c["cell_type"] for c in nb["cells"]] == ["code"] * 4
    assert "\n\n".join(c["source"] for c in nb["cells"]) + "\n" == SCRIPT
    assert nb["metadata"] == {}
    assert [c["id"] for c in nb["cells"]] == [f"cell-{n}" for n in range(4)]
    # and as a notebook it is stable from then on
    text = writes(nb)
    assert writes(reads(text)) == text


def _random_script(rng: random.Random) -> str:
    statements = [
        "x = 1",
        "# a comment\ny = x + 1",
        "def f(a):\n    return a\n\n    # trailing comment in the body",
        "@decorator\nclass C:\n    attr = 1",
        "if x:\n    print(x)\nelse:\n    pass",
        'text = """\n\nblank lines inside a string\n\n"""',
        "for i in range(3):\n\n    print(i)",
        "import os, sys",
        "z = [\n    1,\n\n    2,\n]",
    ]
    parts = [rng.choice(statements) for _ in range(rng.randint(1, 8))]
    return "".join(part + "\n" * rng.choice([1, 2]) for part in parts)


@pytest.mark.parametrize("seed", range(20))
def test_plain_script_cells_keep_every_non_blank_line(seed: int) -> None:
    script = _random_script(random.Random(seed))
    cells = split_script(script)
    assert all(cell.strip() for cell in cells)
    assert all(not cell.endswith("\n") for cell in cells)
    joined = "\n".join(cells).split("\n")
    assert [line for line in joined if line.strip()] == [
        line for line in script.split("\n") if line.strip()
    ]
    # a cell boundary only ever replaces blank lines: joining with one blank line in between
    # gives the script up to the number of blank lines between top-level statements
    assert "\n\n".join(cells).replace("\n\n\n", "\n\n") == script.rstrip("\n").replace(
        "\n\n\n", "\n\n"
    )


@pytest.mark.xfail(
    strict=True,
    reason="bug: split_script drops the extra blank lines between top-level statements (PEP 8 "
    "puts two before a def), so the cells' joined sources are not the script",
)
def test_plain_pep8_script_joins_back_exactly() -> None:
    script = "import os\n\n\ndef f():\n    return os.sep\n\n\nprint(f())\n"
    cells = [c["source"] for c in reads(script)["cells"]]
    assert len(cells) == 3
    assert "\n\n".join(cells) + "\n" == script


@pytest.mark.parametrize(
    ("script", "cells"),
    [
        ("def broken(:\n\n    pass\n", ["def broken(:\n\n    pass"]),  # unparsable: one cell
        ("x = 1\ny = 2\n", ["x = 1\ny = 2"]),  # no blank line: one cell
        ("\n\nx = 1\n\n\n", ["\n\nx = 1"]),  # leading blank lines stay with the first cell
        ("   \n", ["   "]),
        ("%matplotlib inline\n\nx = 1\n", ["%matplotlib inline\n\nx = 1"]),  # IPython: one cell
    ],
    ids=["syntax-error", "no-blank", "leading-blank", "blank", "ipython"],
)
def test_plain_script_edge_cases(script: str, cells: list[str]) -> None:
    assert split_script(script) == cells


def test_text_before_the_first_marker_is_a_code_cell() -> None:
    nb = reads("import os\n\n# %% [markdown]\n# Title\n\n# %%\nx = 1\n")
    assert [(c["cell_type"], c["source"]) for c in nb["cells"]] == [
        ("code", "import os"),
        ("markdown", "Title"),
        ("code", "x = 1"),
    ]


# --- empty files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n"])
def test_empty_file(text: str) -> None:
    nb = reads(text)
    assert nb["cells"] == []
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5


@pytest.mark.parametrize("text", [HEADER, HEADER[:-1], HEADER + "\n\n"])
def test_file_with_only_a_header(text: str) -> None:
    nb = reads(text)
    assert nb["cells"] == []
    assert nb["metadata"] == {"reactive": {"format": 1}}
    assert writes(nb).endswith("# ---\n\n")


def test_empty_notebook_round_trips() -> None:
    text = writes(notebook())
    assert reads(text)["cells"] == []
    assert writes(reads(text)) == text


def test_empty_header() -> None:
    nb = reads("# ---\n# ---\n\n# %%\nx = 1\n")
    assert nb["metadata"] == {}
    assert [c["source"] for c in nb["cells"]] == ["x = 1"]
