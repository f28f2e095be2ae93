"""Reactive ``.py`` notebooks through a real jupyter server's contents API (jupytext_format.server).

One ``jupyter server`` subprocess per module, with the extensions ``pip install -e .`` enabled
(``jupytext_format`` over jupytext's layer), in a temporary root. Every request goes over HTTP as
the lab front end sends it; files are checked byte for byte on disk.
"""

from __future__ import annotations

import difflib
import json
import os
import secrets
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import jupytext_format.contents
from jupytext_format import writes
from tests.format.helpers import notebook_of as notebook
from tests.jupyter_servers import launch

READ_TIMEOUT = 20


class Server:
    """A running jupyter server: its root folder, URL and token."""

    def __init__(self, root: Path, url: str, token: str, process: subprocess.Popen[bytes]) -> None:
        self.root = root
        self.url = url
        self.token = token
        self.process = process

    def request(
        self, method: str, path: str, body: Any = None, query: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """``(status, JSON body)``; HTTP errors are answers too, not exceptions."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}{'?' + query if query else ''}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=READ_TIMEOUT) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload)
            except ValueError:
                return error.code, {"message": payload.decode(errors="replace")}

    def get(self, name: str, query: str = "") -> tuple[int, dict[str, Any]]:
        return self.request("GET", f"/api/contents/{name}", query=query)

    def put(self, name: str, model: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self.request("PUT", f"/api/contents/{name}", body=model)

    def alive(self) -> bool:
        status, _ = self.request("GET", "/api/status")
        return status == 200 and self.process.poll() is None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("server")
    root = base / "root"
    root.mkdir()
    log_path = base / "server.log"
    with launch("jupyter-server", root, log_path) as running:
        yield Server(running.root, running.url, running.token, running.process)
    assert "reactive-kernel: reactive .py notebooks open as notebooks" in log_path.read_text()


# Display order; the file stores ``base``, ``total``, then the report (a display_order header).
CELLS: list[str | tuple[str, str]] = [
    ("markdown", "# Report"),
    "print('total', total)",
    "total = base * 2",
    ("markdown", "Inputs:"),
    "base = 3",
    "unrelated = 'a'",
]
SOURCES = [cell if isinstance(cell, str) else cell[1] for cell in CELLS]
PLAIN_SCRIPT = "import os\n\nprint(os.getcwd())\n"


def place(server: Server, name: str, data: bytes | str) -> Path:
    path = server.root / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def saved_model(content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "notebook", "format": "json", "content": content}


def test_a_reactive_py_opens_as_a_notebook_in_display_order(server: Server) -> None:
    place(server, "report.py", writes(notebook(CELLS)))
    status, model = server.get("report.py")
    assert status == 200, model
    assert model["type"] == "notebook"
    assert model["reactive"] is True
    assert model["format"] == "json"
    content = model["content"]
    assert [cell["source"] for cell in content["cells"]] == SOURCES
    assert [cell["cell_type"] for cell in content["cells"]] == [
        "markdown",
        "code",
        "code",
        "markdown",
        "code",
        "code",
    ]
    assert content["metadata"]["kernelspec"]["name"] == "reactive"
    assert "display_order" not in json.dumps(content["metadata"])
    status, explicit = server.get("report.py", query="type=notebook")
    assert status == 200 and explicit["content"] == content


def test_saving_an_opened_notebook_unchanged_keeps_every_byte(server: Server) -> None:
    path = place(server, "unchanged.py", writes(notebook(CELLS)))
    before = path.read_bytes()
    status, model = server.get("unchanged.py")
    assert status == 200, model
    status, saved = server.put("unchanged.py", saved_model(model["content"]))
    assert status == 200, saved
    assert saved["reactive"] is True and saved["type"] == "notebook"
    assert path.read_bytes() == before


def test_editing_one_cell_changes_only_that_cells_lines(server: Server) -> None:
    path = place(server, "edited.py", writes(notebook(CELLS)))
    before = path.read_text().splitlines()
    _, model = server.get("edited.py")
    content = model["content"]
    assert content["cells"][4]["source"] == "base = 3"
    content["cells"][4]["source"] = "base = 4\n# more input"
    status, saved = server.put("edited.py", saved_model(content))
    assert status == 200, saved
    after = path.read_text().splitlines()
    changes = [
        (tag, before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes()
        if tag != "equal"
    ]
    assert changes == [("replace", ["base = 3"], ["base = 4", "# more input"])]
    status, again = server.get("edited.py")
    assert status == 200
    assert [cell["source"] for cell in again["content"]["cells"]] == [
        *SOURCES[:4],
        "base = 4\n# more input",
        SOURCES[5],
    ]


def test_a_new_reactive_notebook_is_saved_in_the_py_format(server: Server) -> None:
    content = notebook(["y = x + 1", "x = 1"])
    content["metadata"]["kernelspec"] = {
        "name": "reactive",
        "display_name": "Python 3 (reactive)",
        "language": "python",
    }
    status, saved = server.put("created.py", saved_model(content))
    assert status == 201, saved
    assert (server.root / "created.py").read_text() == writes(content)
    status, model = server.get("created.py")
    assert status == 200 and model["reactive"] is True
    assert [cell["source"] for cell in model["content"]["cells"]] == ["y = x + 1", "x = 1"]


def test_a_listing_marks_reactive_py_files_only(server: Server) -> None:
    place(server, "listed_reactive.py", writes(notebook(CELLS)))
    place(server, "listed_plain.py", PLAIN_SCRIPT)
    status, listing = server.get("")
    assert status == 200, listing
    entries = {entry["name"]: entry for entry in listing["content"]}
    assert entries["listed_reactive.py"]["reactive"] is True
    assert entries["listed_reactive.py"]["type"] == "notebook"
    assert "reactive" not in entries["listed_plain.py"]


def test_a_plain_script_is_still_served_by_jupytext(server: Server) -> None:
    path = place(server, "plain.py", PLAIN_SCRIPT)
    status, as_file = server.get("plain.py", query="type=file&format=text")
    assert status == 200, as_file
    assert as_file["type"] == "file"
    assert as_file["content"] == PLAIN_SCRIPT
    assert "reactive" not in as_file
    status, as_notebook = server.get("plain.py", query="type=notebook")
    assert status == 200, as_notebook  # jupytext's "Open With > Notebook"
    assert "reactive" not in as_notebook
    sources = [cell["source"] for cell in as_notebook["content"]["cells"]]
    assert "print(os.getcwd())" in "\n".join(sources)
    assert path.read_text() == PLAIN_SCRIPT


HEADER = writes(notebook([])).encode()

UNREADABLE = {
    "latin1.py": (HEADER + b"# %%\nname = 'caf\xe9'\n", "not UTF-8"),
    "binary.py": (HEADER + b"# %%\nx = 1\n\x00\x01\x02\xff\xfe", "binary"),
    "bad_order.py": (
        HEADER.replace(b"#   reactive:\n", b"#   reactive:\n#     display_order: 2 1\n")
        + b"# %%\nx = 1\n",
        "display_order",
    ),
    "bad_marker.py": (HEADER + b"# %% tags=[unclosed\nx = 1\n", "tags"),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_an_unreadable_reactive_file_is_a_400_naming_it_and_is_not_touched(
    server: Server, name: str
) -> None:
    data, detail = UNREADABLE[name]
    path = place(server, name, data)
    status, answer = server.get(name)
    assert status == 400, answer
    message = answer.get("message", "")
    assert name in message and detail in message, message
    assert server.alive()
    assert path.read_bytes() == data


BROKEN_HEADERS = {
    "unclosed_header.py": b"# ---\n# jupyter:\n#   reactive:\n#     format: 1\n\n# %%\nx = 1\n",
    "bad_yaml_header.py": b"# ---\n# jupyter:\n#   reactive: {format: 1\n# ---\n\n# %%\nx = 1\n",
}


@pytest.mark.parametrize("name", list(BROKEN_HEADERS))
def test_a_broken_header_is_a_400_naming_the_file(server: Server, name: str) -> None:
    data = BROKEN_HEADERS[name]
    path = place(server, name, data)
    status, answer = server.get(name)
    assert server.alive()
    assert path.read_bytes() == data
    assert status == 400, answer
    assert name in answer.get("message", ""), answer


INVALID_SAVES: dict[str, Any] = {
    "unknown_cell_type": {"cell_type": "bogus", "source": "x", "metadata": {}},
    "metadata_not_a_mapping": {"cell_type": "code", "source": "x", "metadata": "oops"},
    "source_not_a_string": {"cell_type": "code", "source": 5, "metadata": {}},
    "metadata_null": {"cell_type": "markdown", "source": "x", "metadata": None},
}


@pytest.mark.parametrize("case", list(INVALID_SAVES))
def test_an_invalid_save_is_a_4xx_and_leaves_the_file_alone(server: Server, case: str) -> None:
    path = place(server, f"invalid_{case}.py", writes(notebook(CELLS)))
    before = path.read_bytes()
    _, model = server.get(path.name)
    content = model["content"]
    content["cells"].append(INVALID_SAVES[case])
    status, answer = server.put(path.name, saved_model(content))
    assert 400 <= status < 500, (status, answer)
    assert path.name in answer.get("message", ""), answer
    assert server.alive()
    assert path.read_bytes() == before
    assert sorted(p.name for p in server.root.iterdir() if p.name.startswith(".~")) == []


MALFORMED_CELLS: dict[str, Any] = {
    "cell_not_a_mapping": "x = 1",
    "cell_without_source": {"cell_type": "code", "metadata": {}},
    "cell_without_cell_type": {"source": "y = 2", "metadata": {}},
}


@pytest.mark.parametrize("cell", list(MALFORMED_CELLS.values()), ids=list(MALFORMED_CELLS))
def test_a_save_with_malformed_cells_is_a_4xx(server: Server, cell: Any) -> None:
    name = f"malformed_{secrets.token_hex(4)}.py"
    path = place(server, name, writes(notebook(CELLS)))
    before = path.read_bytes()
    _, model = server.get(name)
    content = model["content"]
    content["cells"].append(cell)
    status, answer = server.put(name, saved_model(content))
    assert server.alive()
    assert 400 <= status < 500, (status, answer)
    assert name in answer.get("message", ""), answer
    assert path.read_bytes() == before


def test_a_failed_replace_leaves_the_file_whole_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "atomic.py"
    path.write_text("old contents\n")
    path.chmod(0o640)

    def failing_replace(source: str, target: str) -> None:
        assert Path(source).read_text() == "new contents\n"  # fully written before the rename
        raise OSError("disk went away")

    monkeypatch.setattr(jupytext_format.contents.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk went away"):
        jupytext_format.contents.replace_atomically(str(path), "new contents\n")
    assert path.read_text() == "old contents\n"
    assert sorted(os.listdir(tmp_path)) == ["atomic.py"]

    monkeypatch.undo()
    jupytext_format.contents.replace_atomically(str(path), "new contents\n")
    assert path.read_text() == "new contents\n"
    assert path.stat().st_mode & 0o777 == 0o640  # permissions kept
    assert sorted(os.listdir(tmp_path)) == ["atomic.py"]


def test_ipynb_notebooks_still_open_and_save(server: Server) -> None:
    """The reactive layer must leave ``.ipynb`` files to the stock manager (a method name clash
    once broke every ``.ipynb`` open with a 500)."""
    import nbformat

    node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = place(server, "classic.ipynb", nbformat.writes(node).encode())
    status, model = server.get("classic.ipynb")
    assert status == 200, model
    assert model["type"] == "notebook" and "reactive" not in model
    assert [cell["source"] for cell in model["content"]["cells"]] == ["x = 1"]
    model["content"]["cells"][0]["source"] = "x = 2"
    status, answer = server.put("classic.ipynb", saved_model(model["content"]))
    assert status == 200, answer
    assert nbformat.read(str(path), as_version=4).cells[0].source == "x = 2"
