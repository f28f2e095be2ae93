"""Partial graph snapshots: the reply to ``edit_cells`` lists only the cells whose record changed.

The front end (labextension/src/model.ts ``applyGraph``) merges a partial snapshot by cell id: it
replaces the records it lists, appends ids it did not know at the end of its display order, and
takes ``order`` as is; it never drops a cell. So a partial snapshot is only correct when the code
cells kept their display order, and merging it into what the front end had must give exactly the
complete snapshot the kernel would send now. These tests merge the way the extension does and
compare with a fresh ``get_graph``: on a real kernel over jupyter_client, and, for many random
edits, on the bridge in process.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from reactive_kernel.kernel.bridge import KernelBridge
from reactive_kernel.kernel.session import ReactiveSession
from reactive_kernel.protocol import validate_outgoing
from tests.kernel.notebook import CheckedClient, reactive_kernel

pytestmark = pytest.mark.kernel

Wire = dict[str, Any]


@dataclass
class FrontEndGraph:
    """What the lab extension's ReactiveModel keeps of the graph, merged as it merges."""

    records: dict[str, Wire] = field(default_factory=dict)
    display: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    def apply(self, snapshot: Wire) -> None:
        if snapshot["complete"]:
            self.records.clear()
            self.display = [r["id"] for r in snapshot["cells"]]
        else:
            known = set(self.display)
            self.display += [r["id"] for r in snapshot["cells"] if r["id"] not in known]
        for record in snapshot["cells"]:
            self.records[record["id"]] = record
        self.order = list(snapshot["order"])

    def assert_equals(self, full: Wire) -> None:
        assert full["complete"] is True
        assert self.display == [r["id"] for r in full["cells"]]
        assert self.records == {r["id"]: r for r in full["cells"]}
        assert self.order == full["order"]


def _chain(size: int) -> list[tuple[str, str]]:
    """Cell i reads cell i-1's variable."""
    return [("c0", "x0 = 0")] + [(f"c{i}", f"x{i} = x{i - 1} + 1") for i in range(1, size)]


def _edit(client: CheckedClient, changes: list[Wire]) -> Wire:
    """Send one batch; return the graph snapshot the kernel answered it with."""
    before = len(client.messages)
    reply = client.request("edit_cells", changes=changes)
    assert reply["type"] == "ack", reply
    snapshots = [m for m in client.messages[before:] if m["type"] == "graph_snapshot"]
    assert len(snapshots) == 1, snapshots
    return snapshots[0]


def _ids(snapshot: Wire) -> set[str]:
    return {r["id"] for r in snapshot["cells"]}


# -- a real kernel ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[CheckedClient]:
    with reactive_kernel() as (_km, client):
        client.open()
        yield client


@pytest.fixture
def synced(client: CheckedClient) -> FrontEndGraph:
    """A 200-cell chain synced afresh, and the front end's copy of its graph."""
    before = len(client.messages)
    client.sync(_chain(200))
    (full,) = [m for m in client.messages[before:] if m["type"] == "graph_snapshot"]
    assert full["complete"] is True and len(full["cells"]) == 200
    graph = FrontEndGraph()
    graph.apply(full)
    return graph


def test_editing_one_cell_of_200_sends_only_the_affected_cells(
    client: CheckedClient, synced: FrontEndGraph
) -> None:
    # c100 now reads x98: its parents change, c99 loses a child and c98 gains one.
    update = {"op": "update", "id": "c100", "source": "x100 = x98 + 1"}
    snapshot = _edit(client, [update])
    assert snapshot["complete"] is False
    assert [r["id"] for r in snapshot["cells"]] == ["c98", "c99", "c100"]
    records = {r["id"]: r for r in snapshot["cells"]}
    assert records["c100"]["parents"] == ["c98"]
    assert records["c99"]["children"] == []
    assert records["c98"]["children"] == ["c99", "c100"]
    assert len(snapshot["order"]) == 200  # the order is always whole
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))

    # It reads x99 again: the same three cells change back.
    snapshot = _edit(client, [{"op": "update", "id": "c100", "source": "x100 = x99 + 1"}])
    assert [r["id"] for r in snapshot["cells"]] == ["c98", "c99", "c100"]
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))


def test_an_edit_that_changes_no_record_sends_an_empty_partial_snapshot(
    client: CheckedClient, synced: FrontEndGraph
) -> None:
    snapshot = _edit(client, [{"op": "update", "id": "c50", "source": "x50 = x49 + 7"}])
    assert snapshot["complete"] is False
    assert snapshot["cells"] == []
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))


def test_a_batch_of_edits_lists_each_changed_cell_once(
    client: CheckedClient, synced: FrontEndGraph
) -> None:
    changes = [
        {"op": "update", "id": "c10", "source": "x10 = 10"},  # c9 loses its child
        {"op": "update", "id": "c150", "source": "x150 = x148 + x10"},
        {"op": "update", "id": "c150", "source": "x150 = x148 + x11"},
    ]
    snapshot = _edit(client, changes)
    assert snapshot["complete"] is False
    assert [r["id"] for r in snapshot["cells"]] == ["c9", "c10", "c11", "c148", "c149", "c150"]
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))


@pytest.mark.parametrize(
    "change",
    [
        {"op": "delete", "id": "c120"},
        {"op": "insert", "index": 3, "cell": {"id": "new", "kind": "code", "source": "y = x2"}},
        {"op": "move", "id": "c5", "index": 190},
    ],
    ids=["delete", "insert", "move"],
)
def test_inserting_deleting_or_moving_a_code_cell_sends_a_complete_snapshot(
    client: CheckedClient, synced: FrontEndGraph, change: Wire
) -> None:
    # The front end's merge cannot drop or reorder cells: a deleted cell would stay in its graph.
    snapshot = _edit(client, [change])
    assert snapshot["complete"] is True
    assert len(snapshot["cells"]) == 200 + {"delete": -1, "insert": 1, "move": 0}[change["op"]]
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))
    # The next edit is partial again.
    snapshot = _edit(client, [{"op": "update", "id": "c60", "source": "x60 = 60"}])
    assert snapshot["complete"] is False and _ids(snapshot) == {"c59", "c60"}


def test_markdown_cells_do_not_stop_partial_snapshots(
    client: CheckedClient, synced: FrontEndGraph
) -> None:
    markdown = {"id": "md", "kind": "markdown", "source": "# Title"}
    snapshot = _edit(client, [{"op": "insert", "index": 0, "cell": markdown}])
    assert snapshot["complete"] is False and snapshot["cells"] == []
    snapshot = _edit(client, [{"op": "move", "id": "md", "index": 100}])
    assert snapshot["complete"] is False and snapshot["cells"] == []
    snapshot = _edit(client, [{"op": "delete", "id": "md"}])
    assert snapshot["complete"] is False and snapshot["cells"] == []
    synced.apply(snapshot)
    synced.assert_equals(client.request("get_graph"))


def test_get_graph_and_sync_stay_complete(client: CheckedClient, synced: FrontEndGraph) -> None:
    _edit(client, [{"op": "update", "id": "c1", "source": "x1 = 1"}])
    full = client.request("get_graph")
    assert full["complete"] is True and len(full["cells"]) == 200


def test_error_messages_name_cells_by_label_and_follow_their_first_line(
    client: CheckedClient,
) -> None:
    before = len(client.messages)
    client.sync([("a", "print(t)"), ("b", "t = 1"), ("c", "t = 2"), ("d", "u = 0")])
    (full,) = [m for m in client.messages[before:] if m["type"] == "graph_snapshot"]
    graph = FrontEndGraph()
    graph.apply(full)
    (error,) = graph.records["a"]["errors"]
    assert error["kind"] == "ambiguous"
    assert error["message"].startswith("Cell [1] (print(t)) reads `t`")
    assert "`t` is defined by cell [2] (t = 1) and cell [3] (t = 2)." in error["message"]
    assert client.states["a"]["reason"] == error["message"]

    # b's first line changes, not what it defines: a's message (which names b) is sent again,
    # and so is a's state, whose reason is that message.
    snapshot = _edit(client, [{"op": "update", "id": "b", "source": "# one\nt = 1"}])
    assert snapshot["complete"] is False
    assert _ids(snapshot) == {"a"}
    (error,) = snapshot["cells"][0]["errors"]
    assert "cell [2] (# one) and cell [3] (t = 2)" in error["message"]
    assert client.states["a"]["reason"] == error["message"]
    graph.apply(snapshot)
    graph.assert_equals(client.request("get_graph"))


def test_a_new_front_end_gets_a_complete_snapshot_first() -> None:
    with reactive_kernel() as (_km, client):
        client.open()
        client.sync(_chain(5))
        client.request("hello", client="another tab")
        snapshot = _edit(client, [{"op": "update", "id": "c2", "source": "x2 = 2"}])
        assert snapshot["complete"] is True and len(snapshot["cells"]) == 5


# -- the bridge in process, many random edits ---------------------------------------------------


class FakeComm:
    """Collects what the bridge sends, checked against the schema."""

    def __init__(self) -> None:
        self.sent: list[Wire] = []

    def send(self, data: Wire) -> None:
        validate_outgoing(data)
        self.sent.append(data)

    def on_msg(self, _callback: object) -> None:
        pass

    def on_close(self, _callback: object) -> None:
        pass


class InProcess:
    """A KernelBridge over a ReactiveSession, driven with comm messages, no kernel process."""

    def __init__(self) -> None:
        self.session = ReactiveSession({})
        self.bridge = KernelBridge(None, self.session)  # type: ignore[arg-type]  # no kernel needed
        self.comm = FakeComm()
        self.bridge.on_comm_open(self.comm, {})  # type: ignore[arg-type]
        self._ids = 0

    def request(self, type_: str, **fields: Any) -> list[Wire]:
        """Send a request; return every message the bridge sent for it (the reply last)."""
        self._ids += 1
        data = {"protocol": 1, "type": type_, "request_id": f"r{self._ids}", **fields}
        before = len(self.comm.sent)
        self.bridge._on_msg({"content": {"data": data}})
        sent = self.comm.sent[before:]
        assert sent and sent[-1].get("reply_to") == f"r{self._ids}", sent
        return sent


SOURCES = [
    "a = 1",
    "b = a + 1",
    "a = b",  # a cycle with "b = a + 1" below it, or a redefinition
    "c = a + b",
    "print(c)",
    "a = 2",
    "del b",
    "d = undefined_name",
    "import math\ne = math.pi",
    "x = (",  # a syntax error
    "# only a comment",
    "f = c if d else e",
    "b.append(1)",
]


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_partial_snapshots_merge_into_the_full_one(seed: int) -> None:
    rng = random.Random(seed)
    driver = InProcess()
    driver.request("hello", client="test")
    cells = [(f"s{i}", rng.choice(SOURCES)) for i in range(rng.randint(3, 12))]
    sent = driver.request(
        "sync_notebook", cells=[{"id": c, "kind": "code", "source": s} for c, s in cells]
    )
    graph = FrontEndGraph()
    graph.apply(next(m for m in sent if m["type"] == "graph_snapshot"))
    ids = [c for c, _ in cells]
    partial = 0
    for step in range(120):
        roll = rng.random()
        if roll < 0.75 or len(ids) < 2:
            changes: list[Wire] = [
                {"op": "update", "id": rng.choice(ids), "source": rng.choice(SOURCES)}
                for _ in range(rng.randint(1, 3))
            ]
        elif roll < 0.85:
            new = f"n{step}"
            cell = {"id": new, "kind": "code", "source": rng.choice(SOURCES)}
            changes = [{"op": "insert", "index": rng.randint(0, len(ids)), "cell": cell}]
            ids.append(new)
        elif roll < 0.93:
            gone = rng.choice(ids)
            ids.remove(gone)
            changes = [{"op": "delete", "id": gone}]
        else:
            changes = [{"op": "move", "id": rng.choice(ids), "index": rng.randint(0, len(ids) - 1)}]
        sent = driver.request("edit_cells", changes=changes)
        assert sent[-1]["type"] == "ack", sent[-1]
        (snapshot,) = [m for m in sent if m["type"] == "graph_snapshot"]
        partial += not snapshot["complete"]
        graph.apply(snapshot)
        (full,) = driver.request("get_graph")
        graph.assert_equals(full)
    assert partial > 50
