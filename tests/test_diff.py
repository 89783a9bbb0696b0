"""``ftz-kg diff``: the changeset from OLD to NEW, applied to OLD in a real Oxigraph server
(``oxigraph serve`` on 127.0.0.1, loaded over its Graph Store endpoint, updated over its
SPARQL Update endpoint), gives a dataset isomorphic to NEW, graph by graph.

Cases: the seed against the seed plus one document (both ways, so that removals are
applied too), and two builds of different small subsets of ../shared/corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.build import build
from kg.build.result import BuildResult
from kg.cli import main
from kg.diff.changes import Changeset, diff, diff_paths, load_dataset
from kg.diff.writers import rdf_patch, render, sparql_update
from kg.errors import BlankNodeError, DiffInputError

from .conftest import CORPUS, SEEDS, require_shared, unavailable
from .oxigraph_server import MISSING, OXIGRAPH, Oxigraph, running_oxigraph

# A short text of our own stands in for the corpus file where ../shared is absent.
EXTRA = CORPUS / "hainan-ftp-master-plan-2020-excerpt.txt"
OWN_EXTRA = (
    "海南自由贸易港建设总体方案\n"
    "海南自由贸易港重点发展旅游业、现代服务业和高新技术产业。"
    "海南自由贸易港建设成为引领我国新时代对外开放的鲜明旗帜和重要开放门户。\n"
)
CORPUS_A = (
    "chongqing-ftz-regulation-2019.txt",
    "policy-docs-ai-digital-2013-2024/central-003-2024-09-02.txt",
)
CORPUS_B = (
    "shandong-ftz-regulation-2020.txt",
    "policy-docs-ai-digital-2013-2024/central-003-2024-09-02.txt",
)
NQUADS = "application/n-quads"
ID = "https://w3id.org/ftz-kg/id/"


@pytest.fixture(scope="module")
def seed_plus_one(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    extra = EXTRA
    if not extra.is_file():
        extra = tmp_path_factory.mktemp("extra") / "hainan-own.txt"
        extra.write_text(OWN_EXTRA, encoding="utf-8")
    return build([SEEDS, extra], tmp_path_factory.mktemp("seed-plus-one"), outputs=())


@pytest.fixture(scope="module")
def corpus_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    require_shared(CORPUS)
    outs = []
    for subset in (CORPUS_A, CORPUS_B):
        out = tmp_path_factory.mktemp("corpus-subset")
        build([CORPUS / name for name in subset], out, outputs=())
        outs.append(out)
    return outs[0], outs[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, wait_http: Any) -> Iterator[Oxigraph]:
    if OXIGRAPH is None:
        unavailable(MISSING)  # the test extra installs it
    # No union default graph: the changeset's default-graph quads must land in the real one.
    with running_oxigraph(
        tmp_path_factory.mktemp("oxigraph-diff"), wait_http, union_default_graph=False
    ) as server:
        yield server


# --- what the store does -------------------------------------------------------------


def _post_update(server: Oxigraph, update: str) -> None:
    answer = httpx.post(
        server.update,
        content=update.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update"},
        timeout=120,
    )
    assert answer.status_code in (200, 204), answer.text


def _post_file(server: Oxigraph, path: Path) -> None:
    """``path`` (TriG or N-Quads) added to the store with a Graph Store POST."""
    kind = "application/trig" if path.suffix == ".trig" else NQUADS
    answer = httpx.post(
        server.store, content=path.read_bytes(), headers={"Content-Type": kind}, timeout=120
    )
    assert answer.status_code in (200, 201, 204), answer.text


def _load(server: Oxigraph, build_dir: Path) -> None:
    """The store emptied, then holding ``build_dir``'s kg.trig."""
    _post_update(server, "DROP ALL")
    _post_file(server, build_dir / "kg.trig")


def _fetch(server: Oxigraph) -> Dataset:
    answer = httpx.get(server.store, headers={"Accept": NQUADS}, timeout=120)
    assert answer.status_code == 200, answer.text
    dataset = Dataset()
    dataset.parse(data=answer.content, format="nquads")
    return dataset


def _dataset(build_dir: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(build_dir / "kg.trig", format="trig")
    return dataset


def _assert_isomorphic(got: Dataset, want: Dataset) -> None:
    """Same graph names, and each graph isomorphic to its namesake (the default graph too)."""

    def graphs(dataset: Dataset) -> dict[str, Any]:
        return {str(g.identifier): g for g in dataset.graphs() if len(g)}

    have, expected = graphs(got), graphs(want)
    assert sorted(have) == sorted(expected)
    for name, graph in expected.items():
        assert isomorphic(have[name], graph), f"graph {name} differs after applying the changeset"


def apply_rdf_patch(server: Oxigraph, patch: str) -> None:
    """Apply an RDF Patch to the store: each transaction (TX … TC) becomes one SPARQL
    Update request, its runs of D and A rows DELETE DATA and INSERT DATA operations in
    the patch's order; TA drops the transaction; headers are read and ignored."""
    operations: list[str] | None = None
    run_op, run_rows = "", []

    def flush() -> None:
        nonlocal run_rows
        if run_rows and operations is not None:
            quads = ox.parse(input="\n".join(run_rows), format=ox.RdfFormat.N_QUADS)
            body = "\n".join(
                f"{q.subject} {q.predicate} {q.object} ."
                if isinstance(q.graph_name, ox.DefaultGraph)
                else f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} . }}"
                for q in quads
            )
            operations.append(f"{'INSERT' if run_op == 'A' else 'DELETE'} DATA {{\n{body}\n}}")
        run_rows = []

    for line in patch.splitlines():
        op, _, rest = line.partition(" ")
        if op == "H" or not op:
            continue
        if op == "TX":
            operations = []
        elif op in ("A", "D"):
            assert operations is not None, "a row outside a transaction"
            if op != run_op:
                flush()
                run_op = op
            run_rows.append(rest)
        elif op == "TC":
            flush()
            assert operations is not None
            if operations:
                _post_update(server, " ;\n".join(operations))
            operations, run_op = None, ""
        elif op == "TA":
            operations, run_rows, run_op = None, [], ""
        else:
            raise AssertionError(f"unexpected RDF Patch row: {line[:80]}")


def _round_trip(server: Oxigraph, old: Path, new: Path) -> Changeset:
    """Both changesets from ``old`` to ``new`` applied to a store holding ``old``."""
    changeset = diff_paths(old, new)
    assert not changeset.empty
    _load(server, old)
    _post_update(server, sparql_update(changeset))
    want = _dataset(new)
    _assert_isomorphic(_fetch(server), want)
    _load(server, old)
    apply_rdf_patch(server, rdf_patch(changeset))
    _assert_isomorphic(_fetch(server), want)
    return changeset


# --- the round trips -------------------------------------------------------------------


def test_seed_to_seed_plus_one_in_oxigraph(
    oxigraph: Oxigraph, seed_build: BuildResult, seed_plus_one: BuildResult
) -> None:
    changeset = _round_trip(oxigraph, seed_build.out_dir, seed_plus_one.out_dir)
    summary = changeset.summary
    assert len(summary.documents_added) == 1 and not summary.documents_removed
    assert summary.new_graphs == summary.old_graphs + 1
    # The new document's graph is inserted whole, inside its GRAPH block.
    new_graphs = {q.graph_name for q in changeset.added} - {q.graph_name for q in changeset.removed}
    assert any(isinstance(g, ox.NamedNode) for g in new_graphs)
    assert "GRAPH <https://w3id.org/ftz-kg/id/doc/" in sparql_update(changeset)


def test_seed_plus_one_back_to_seed_in_oxigraph(
    oxigraph: Oxigraph, seed_build: BuildResult, seed_plus_one: BuildResult
) -> None:
    changeset = _round_trip(oxigraph, seed_plus_one.out_dir, seed_build.out_dir)
    assert changeset.removed and len(changeset.summary.documents_removed) == 1
    assert changeset.summary.entities_removed > 0


def test_two_corpus_builds_in_oxigraph(oxigraph: Oxigraph, corpus_pair: tuple[Path, Path]) -> None:
    old, new = corpus_pair
    changeset = _round_trip(oxigraph, old, new)
    summary = changeset.summary
    assert summary.documents_added == ("shandong-ftz-regulation-2020.txt",)
    assert summary.documents_removed == ("chongqing-ftz-regulation-2019.txt",)
    zones = {z.zone: z for z in summary.zones}
    assert any("山东" in name and z.relations_added for name, z in zones.items()), zones
    assert any("重庆" in name and z.relations_removed for name, z in zones.items()), zones
    # Quads of the shared default graph are both removed and added.
    assert any(isinstance(q.graph_name, ox.DefaultGraph) for q in changeset.removed)
    assert any(isinstance(q.graph_name, ox.DefaultGraph) for q in changeset.added)


def test_awkward_literals_survive_both_formats(oxigraph: Oxigraph, tmp_path: Path) -> None:
    """Quotes, backslashes, line breaks, control characters (a form feed from a PDF), CJK,
    language tags and datatypes, in the default graph and a named graph, inserted and then
    deleted again through both changesets.

    Oxigraph stores numbers in canonical form ("3.50"^^xsd:decimal is kept as "3.5", in a
    loaded file and in DELETE DATA alike), so the store after the changeset is compared with
    the store loaded with NEW. ftz-kg builds write numbers in canonical form (the round trips
    above compare with kg.trig itself)."""
    texts = ['say "hi"', "back\\slash", "two\nlines\r", "\u000c form feed \u0001", "满洲里 🚂"]
    node, graph = ox.NamedNode(ID + "doc/a"), ox.NamedNode(ID + "doc/g")
    quads = [
        ox.Quad(node, ox.NamedNode(f"{ID}p/{i}"), ox.Literal(t, language="zh"))
        for i, t in enumerate(texts)
    ]
    quads += [
        ox.Quad(node, ox.NamedNode(f"{ID}p/{i}"), ox.Literal(t), graph) for i, t in enumerate(texts)
    ]
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    quads.append(
        ox.Quad(node, ox.NamedNode(ID + "p/n"), ox.Literal("3.50", datatype=decimal), graph)
    )
    kept = ox.Quad(node, ox.NamedNode(ID + "p/k"), ox.Literal("kept"))
    base, full = tmp_path / "base.nq", tmp_path / "full.nq"
    ox.serialize([kept], str(base), ox.RdfFormat.N_QUADS)
    ox.serialize([kept, *quads], str(full), ox.RdfFormat.N_QUADS)
    rows = quads
    for old, new in ((base, full), (full, base)):
        changeset = diff_paths(old, new)
        assert len(changeset.added) + len(changeset.removed) == len(rows)
        _post_update(oxigraph, "DROP ALL")
        _post_file(oxigraph, new)
        want = _fetch(oxigraph)
        assert len(want) == len(set(ox.parse(path=str(new))))
        for apply in (
            lambda c: _post_update(oxigraph, sparql_update(c)),
            lambda c: apply_rdf_patch(oxigraph, rdf_patch(c)),
        ):
            _post_update(oxigraph, "DROP ALL")
            _post_file(oxigraph, old)
            apply(changeset)
            _assert_isomorphic(_fetch(oxigraph), want)


# --- the library and the command -------------------------------------------------------


def test_builds_have_no_blank_nodes(seed_build: BuildResult, seed_plus_one: BuildResult) -> None:
    for out in (seed_build.out_dir, seed_plus_one.out_dir):
        for path in (out / "kg.trig", out / "kg.ttl"):
            quads = list(ox.parse(path=str(path)))
            assert quads
            assert not [
                q
                for q in quads
                if any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))
            ]


def test_blank_nodes_are_refused(tmp_path: Path, seed_build: BuildResult) -> None:
    blank = tmp_path / "blank.ttl"
    blank.write_text(
        '<http://example.org/a> <http://example.org/p> [ <http://example.org/q> "x" ] .\n'
    )
    with pytest.raises(BlankNodeError, match="blank node"):
        diff_paths(seed_build.out_dir, blank)


def test_same_build_is_no_change(seed_build: BuildResult) -> None:
    changeset = diff_paths(seed_build.out_dir, seed_build.out_dir / "kg.trig")
    assert changeset.empty
    assert "no change" in render(changeset).decode("utf-8")


def test_summary_counts_classes_relations_and_zones(
    seed_build: BuildResult, seed_plus_one: BuildResult
) -> None:
    changeset = diff_paths(seed_build.out_dir, seed_plus_one.out_dir)
    summary = changeset.summary
    assert summary.entities_added == sum(c.added for c in summary.classes) > 0
    assert summary.relations_added > 0 and summary.relations_removed == 0
    assert summary.assertions_added > 0
    assert any("海南" in z.zone and z.relations_added for z in summary.zones), summary.zones
    text = render(changeset).decode("utf-8")
    for word in ("documents: +1 -0", "class", "relation", "per zone", "海南"):
        assert word in text
    # The other direction mirrors it.
    back = diff(load_dataset(seed_plus_one.out_dir), load_dataset(seed_build.out_dir)).summary
    assert (back.entities_removed, back.relations_removed) == (
        summary.entities_added,
        summary.relations_added,
    )


def test_turtle_files_compare_as_triples(
    seed_build: BuildResult, seed_plus_one: BuildResult
) -> None:
    changeset = diff_paths(seed_build.out_dir / "kg.ttl", seed_plus_one.out_dir / "kg.ttl")
    assert changeset.added and all(
        isinstance(q.graph_name, ox.DefaultGraph) for q in changeset.added
    )
    assert "GRAPH" not in sparql_update(changeset)


def test_cli_writes_each_format_atomically_and_deterministically(
    tmp_path: Path, seed_build: BuildResult, seed_plus_one: BuildResult
) -> None:
    runner = CliRunner()
    old, new = str(seed_build.out_dir), str(seed_plus_one.out_dir)
    for fmt, start in (("sparql-update", "# ftz-kg diff"), ("rdf-patch", "H id <uuid:")):
        target = tmp_path / f"changes.{fmt}"
        written = []
        for _ in range(2):
            result = runner.invoke(main, ["diff", old, new, "--format", fmt, "-o", str(target)])
            assert result.exit_code == 0, result.output
            assert result.output == ""
            written.append(target.read_bytes())
        first = written[0]
        assert written[1] == first
        assert first.decode("utf-8").startswith(start)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    shown = runner.invoke(main, ["diff", old, new])
    assert shown.exit_code == 0 and "entities: +" in shown.output
    counts = json.loads(runner.invoke(main, ["diff", old, new, "--format", "json"]).output)
    summary = diff_paths(old, new).summary
    assert counts["entities_added"] == summary.entities_added > 0
    assert {c["class"]: c["added"] for c in counts["classes"]} == {
        c.cls: c.added for c in summary.classes
    }
    assert [z["zone"] for z in counts["zones"]] == [z.zone for z in summary.zones]


def test_cli_errors_are_one_line(tmp_path: Path, seed_build: BuildResult) -> None:
    runner = CliRunner()
    for args, code in (
        ([str(tmp_path), str(seed_build.out_dir)], "E471"),  # a folder without kg.trig/kg.ttl
        ([str(tmp_path / "nosuch"), str(seed_build.out_dir)], "E471"),
        ([str(seed_build.out_dir), str(tmp_path / "x.csv")], "E471"),
    ):
        if args[-1].endswith(".csv"):
            Path(args[-1]).write_text("a,b\n")
        result = runner.invoke(main, ["diff", *args])
        assert result.exit_code == 2
        assert result.output.startswith(f"error[{code}]") and result.output.count("\n") == 1
    blank = tmp_path / "blank.nt"
    blank.write_text('_:b <http://example.org/p> "x" .\n')
    result = runner.invoke(main, ["diff", str(blank), str(seed_build.out_dir)])
    assert result.exit_code == 2 and result.output.startswith("error[E472]")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    with pytest.raises(DiffInputError, match="cannot be parsed"):
        load_dataset(broken)
