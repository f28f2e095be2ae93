"""The notebook graph on hand-built analyses: the rules of REACTIVITY.md section 3, the API, and
incremental updates that always equal a graph rebuilt from scratch.

The cell analysis is injected: a cell's "source" here is a small spec of its names, such as
``"d=a,b r=c m=x x=y b=print e=syntax"`` (defines, references, mutates, deletes, builtin references,
own error kinds), so these tests depend on nothing but the graph.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from reactive_kernel.graph import ChangeSet, NotebookGraph
from reactive_kernel.graph.algorithms import strongly_connected, tie_broken_sort
from reactive_kernel.types import CellAnalysis, CellId, Diagnostic, GraphErrorKind

pytestmark = pytest.mark.unit


def spec_analysis(source: str) -> CellAnalysis:
    """Turn ``"d=a r=b m=c x=d b=print e=syntax"`` into the analysis it describes.

    Mutated and deleted names are references too, as the analysis guarantees.
    """
    fields: dict[str, frozenset[str]] = {}
    for part in source.split():
        tag, _, names = part.partition("=")
        fields[tag] = frozenset(n for n in names.split(",") if n)
    errors = tuple(
        Diagnostic(kind=kind, message=f"{kind} error")  # type: ignore[arg-type]
        for kind in sorted(fields.get("e", ()))
    )
    mutates, deletes = fields.get("m", frozenset()), fields.get("x", frozenset())
    return CellAnalysis(
        defines=fields.get("d", frozenset()),
        references=fields.get("r", frozenset()) | mutates | deletes,
        builtin_references=fields.get("b", frozenset()),
        mutates=mutates,
        deletes=deletes,
        errors=errors,
    )


def build(*sources: str) -> tuple[NotebookGraph, list[CellId]]:
    graph = NotebookGraph(spec_analysis)
    ids = [CellId(f"c{i}") for i in range(len(sources))]
    graph.reset(list(zip(ids, sources, strict=True)))
    return graph, ids


def parents_by_index(graph: NotebookGraph) -> dict[int, list[int]]:
    return {
        graph.index(c): sorted(graph.index(p) for p in graph.parents(c)) for c in graph.cell_ids()
    }


def kinds(graph: NotebookGraph) -> dict[int, list[GraphErrorKind]]:
    return {
        graph.index(c): sorted(e.kind for e in graph.errors(c))
        for c in graph.cell_ids()
        if graph.errors(c)
    }


def indexes(graph: NotebookGraph, cells: Sequence[CellId]) -> list[int]:
    return [graph.index(c) for c in cells]


# --- the rules, one table ---------------------------------------------------------------------

RULES = [
    pytest.param(["d=a", "r=a d=b", "r=b"], {0: [], 1: [0], 2: [1]}, [0, 1, 2], {}, id="chain"),
    pytest.param(["d=x", "r=x", "d=x"], {0: [], 1: [0], 2: []}, [0, 1, 2], {}, id="above-wins"),
    pytest.param(["r=g", "d=g"], {0: [1], 1: []}, [1, 0], {}, id="single-below"),
    pytest.param(["r=t", "d=t", "d=t"], {0: [], 1: [], 2: []}, [0, 1, 2], {0: ["ambiguous"]},
                 id="ambiguous"),
    pytest.param(["r=t", "m=t", "d=t"], {0: [2], 1: [2], 2: []}, [2, 0, 1], {},
                 id="mutator-below-not-a-target"),
    pytest.param(["d=p", "m=p", "r=p"], {0: [], 1: [0], 2: [1]}, [0, 1, 2], {}, id="mutation"),
    pytest.param(["d=p", "x=p", "r=p"], {0: [], 1: [0], 2: [1]}, [0, 1, 2], {}, id="deletion"),
    pytest.param(["x=p", "r=p", "d=p"], {0: [2], 1: [0], 2: []}, [2, 0, 1], {},
                 id="deleter-above-is-a-version"),
    pytest.param(["d=print", "b=print"], {0: [], 1: [0]}, [0, 1], {}, id="builtin-up"),
    pytest.param(["b=print", "d=print"], {0: [], 1: []}, [0, 1], {}, id="builtin-never-down"),
    pytest.param(["r=x d=x"], {0: []}, [0], {}, id="never-self"),
    pytest.param(["r=x d=x", "r=x d=x"], {0: [1], 1: [0]}, None, {0: ["cycle"], 1: ["cycle"]},
                 id="two-cycle"),
    pytest.param(["d=x e=syntax", "r=x"], {0: [], 1: [0]}, [0, 1], {0: ["syntax"]},
                 id="own-error-kept"),
    pytest.param(["r=y d=x", "d=w", "d=y", "r=x"], {0: [2], 1: [], 2: [], 3: [0]}, [1, 2, 0, 3], {},
                 id="interleave"),
    pytest.param(["d=b", "r=a,b d=p", "r=p d=q", "r=q d=a", "r=a"],
                 {0: [], 1: [0, 3], 2: [1], 3: [2], 4: [3]}, [0, 1, 2, 3, 4],
                 {1: ["cycle"], 2: ["cycle"], 3: ["cycle"]}, id="cycle-in-place"),
]  # fmt: skip


@pytest.mark.parametrize(("sources", "parents", "order", "errors"), RULES)
def test_rules(
    sources: list[str],
    parents: dict[int, list[int]],
    order: list[int] | None,
    errors: dict[int, list[str]],
) -> None:
    graph, _ = build(*sources)
    assert parents_by_index(graph) == parents
    if order is not None:
        assert indexes(graph, graph.order()) == order
    assert kinds(graph) == errors


def test_cycle_stands_at_its_first_cell() -> None:
    # c0 feeds the cycle {c1, c3}; c2 is independent; c4 reads the cycle.
    graph, _ = build("d=a", "r=a,z d=y", "d=w", "r=y d=z", "r=z")
    assert indexes(graph, graph.order()) == [0, 1, 3, 2, 4]


def test_deferred_cycle_runs_after_its_input() -> None:
    # The cycle {c0, c1} reads `s` from c2 below, so it runs after c2.
    graph, _ = build("r=b,s d=a", "r=a d=b", "d=s", "r=a")
    assert indexes(graph, graph.order()) == [2, 0, 1, 3]


# --- the API ----------------------------------------------------------------------------------


def test_bindings_producer_definers_and_messages() -> None:
    graph, (c0, c1, c2, c3) = build("d=x m=y", "r=x,y,u b=print,len", "d=print", "r=t d=t")
    assert [(b.name, b.producer) for b in graph.bindings(c1)] == [("u", None), ("x", c0), ("y", c0)]
    assert graph.producer(c1, "x") == c0
    assert graph.definers("print") == [c2]
    assert graph.children(c0) == frozenset({c1})
    assert graph.has_errors(c3) is False
    graph2, (a0, a1, a2) = build("r=t,q", "d=t,q", "d=t,q")
    (error,) = graph2.errors(a0)
    assert error.kind == "ambiguous"
    assert error.cells == (a1, a2) and error.names == ("q", "t")
    assert "a1" not in error.message and "c1" in error.message and "`t`" in error.message


def test_cycle_error_names_cells_and_variables() -> None:
    graph, (c0, c1) = build("r=right d=left", "r=left d=right")
    (error,) = graph.errors(c0)
    assert error.kind == "cycle" and error.cells == (c1,) and error.names == ("left", "right")
    assert error.message.startswith("Cell c0 is on a dependency cycle with cell c1: ")
    assert "cell c0 reads `right` from cell c1" in error.message
    assert "cell c1 reads `left` from cell c0" in error.message


def test_messages_name_cells_with_the_given_labeller() -> None:
    labels = {CellId("c0"): "cell [1] (a)", CellId("c1"): "cell [2] (b)", CellId("c2"): "cell [3]"}
    graph = NotebookGraph(spec_analysis, label=labels.__getitem__)
    graph.reset([(CellId("c0"), "r=right d=left"), (CellId("c1"), "r=left d=right")])
    (cycle,) = graph.errors(CellId("c0"))
    assert cycle.message.startswith("Cell [1] (a) is on a dependency cycle with cell [2] (b): ")
    assert "cell [1] (a) reads `right` from cell [2] (b)" in cycle.message
    assert "c0" not in cycle.message and "c1" not in cycle.message
    graph.reset([(CellId("c0"), "r=t"), (CellId("c1"), "d=t"), (CellId("c2"), "d=t")])
    (ambiguous,) = graph.errors(CellId("c0"))
    assert ambiguous.message.startswith("Cell [1] (a) reads `t`, which no cell above it defines")
    assert "`t` is defined by cell [2] (b) and cell [3]." in ambiguous.message
    assert "Define it in a cell above cell [1] (a)," in ambiguous.message
    assert ambiguous.cells == (CellId("c1"), CellId("c2"))


def test_descendants_ancestors_sort() -> None:
    graph, (c0, c1, c2, c3) = build("r=b d=a", "d=b", "r=a d=c", "d=z")
    assert graph.descendants([c1]) == {c0, c2}
    assert graph.descendants([c1, c0]) == {c0, c2}
    assert graph.ancestors([c2]) == {c0, c1}
    assert graph.sort([c3, c2, c0, c1]) == [c1, c0, c2, c3]


def test_edits_and_change_sets() -> None:
    graph, (c0, c1, c2) = build("d=x", "r=x", "d=y")
    change = graph.update(c2, "d=y r=x")
    assert change == ChangeSet(cells=frozenset({c2}))
    change = graph.insert(CellId("n"), "d=x", 1)
    assert change.cells == {CellId("n"), c1, c2}
    assert graph.cell_ids() == [c0, CellId("n"), c1, c2]
    change = graph.move(CellId("n"), 3)
    assert graph.cell_ids() == [c0, c1, c2, CellId("n")]
    assert change.cells == {CellId("n"), c1, c2}
    change = graph.remove(c0)
    assert change.removed == {c0} and change.cells == {c0, c1, c2}
    assert graph.parents(c1) == {CellId("n")}
    assert c0 not in graph and len(graph) == 3
    with pytest.raises(ValueError, match="already"):
        graph.insert(c1, "", 0)


def test_move_within_cycle_reports_nothing_else() -> None:
    graph, (_, _, c2) = build("r=b d=a", "r=a d=b", "d=z")
    change = graph.move(c2, 0)
    assert change.cells == {c2}
    assert kinds(graph) == {1: ["cycle"], 2: ["cycle"]}


# --- incremental == from scratch --------------------------------------------------------------

POOL = [
    "d=x",
    "d=x r=x",
    "r=x",
    "m=x",
    "x=x",
    "d=y r=x",
    "d=x r=y",
    "r=x,y d=z",
    "d=y",
    "r=z d=y",
    "m=y r=z",
    "d=z",
    "r=z",
    "b=print",
    "d=print",
    "b=print r=y d=w",
    "d=w r=w",
    "e=syntax",
    "e=star-import d=z r=w",
    "",
    "d=x,y,z",
    "r=w d=x",
    "m=z",
]


def snapshot(graph: NotebookGraph) -> tuple[object, ...]:
    cells = graph.cell_ids()
    return (
        cells,
        {c: sorted(graph.parents(c)) for c in cells},
        {c: sorted(graph.children(c)) for c in cells},
        {c: graph.bindings(c) for c in cells},
        {c: graph.errors(c) for c in cells},
        graph.order(),
    )


def reference_order(graph: NotebookGraph) -> list[CellId]:
    """The execution order by its definition: Kahn's sort over cycles-as-nodes, ties by display."""
    cells = graph.cell_ids()
    node: dict[CellId, CellId] = {}
    for component in strongly_connected(cells, graph.children):
        first = min(component, key=graph.index)
        node.update(dict.fromkeys(component, first))
    firsts = [c for c in cells if node[c] == c]
    members = {f: [c for c in cells if node[c] == f] for f in firsts}
    order = tie_broken_sort(
        firsts,
        lambda f: {node[p] for m in members[f] for p in graph.parents(m)} - {f},
        graph.index,
    )
    return [m for f in order for m in members[f]]


def check_against_rebuild(graph: NotebookGraph) -> None:
    fresh = NotebookGraph(spec_analysis)
    fresh.reset([(c, graph.source(c)) for c in graph.cell_ids()])
    assert snapshot(graph) == snapshot(fresh)
    assert graph.order() == reference_order(graph)
    assert graph.sort(reversed(graph.cell_ids())) == graph.order()


def random_edit(
    graph: NotebookGraph, rng: random.Random, counter: list[int]
) -> tuple[CellId, ChangeSet]:
    cells = graph.cell_ids()
    roll = rng.random()
    if not cells or roll < 0.3:
        counter[0] += 1
        new = CellId(f"n{counter[0]}")
        return new, graph.insert(new, rng.choice(POOL), rng.randint(0, len(cells)))
    cell = rng.choice(cells)
    if roll < 0.6:
        return cell, graph.update(cell, rng.choice(POOL))
    if roll < 0.8:
        return cell, graph.move(cell, rng.randint(0, len(cells) - 1))
    return cell, graph.remove(cell)


def changed_cells(before: tuple[object, ...], after: tuple[object, ...]) -> set[CellId]:
    """Cells whose parents, bindings or errors differ between two snapshots."""
    changed: set[CellId] = set()
    for table in (1, 3, 4):
        old, new = before[table], after[table]
        assert isinstance(old, dict) and isinstance(new, dict)
        changed |= {c for c in old.keys() | new.keys() if old.get(c) != new.get(c)}
    return changed


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_equal_rebuild(seed: int) -> None:
    rng = random.Random(seed)
    graph = NotebookGraph(spec_analysis)
    size = rng.randint(0, 12)
    graph.reset([(CellId(f"c{i}"), rng.choice(POOL)) for i in range(size)])
    counter = [0]
    for _ in range(150):
        before = snapshot(graph)
        edited, change = random_edit(graph, rng, counter)
        check_against_rebuild(graph)
        changed = changed_cells(before, snapshot(graph))
        # Exactly the cells whose state changed, plus the edited cell.
        assert change.cells == changed | {edited}
        assert change.removed == ({edited} - set(graph.cell_ids()))


def test_many_inserts_at_one_spot_relabel() -> None:
    graph, _ = build("d=a", "r=a")
    for i in range(100):
        graph.insert(CellId(f"n{i}"), "d=a" if i % 2 else "r=a", 1)
    check_against_rebuild(graph)
