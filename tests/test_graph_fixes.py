"""Graph fixes: canonical kg.ttl (each triple once), trade partners kept in indicators, one
definition of a relation, and identical texts under two names (issues 9 and 14)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.build import build
from kg.build.result import BuildResult
from kg.cli import main
from kg.model import Extraction
from kg.namespaces import FTZ, PROV
from kg.rdf.graph import load_ontology
from kg.rdf.graph_files import DATASET_FILE, GRAPH_FILE
from kg.rdf.validate import validate_graph
from kg.views.read_graph import build_network
from kg.views.stats import network_stats

from .conftest import SEED_FILE

Extract = Callable[[str], Extraction]

MANZHOULI_PORT = "https://w3id.org/ftz-kg/id/port/manzhouli-kouan"
RUSSIA = "https://w3id.org/ftz-kg/id/country/ru"
SHANDONG = (
    "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。济南片区重点发展人工智能、产业金融。"
)
QINGDAO = "中国（山东）自由贸易试验区青岛片区与日本、韩国开展合作，山东自贸试验区发展海洋经济。"


# -- kg.ttl states each triple once (issue 9) ---------------------------------------------


def _statements_by_section(text: str) -> list[tuple[str, str]]:
    """(section, subject) for every statement of a kg.ttl: the sections are the
    ``# graph …`` and ``# default graph …`` comments, a statement starts at column 0."""
    section, found = "", []
    for line in text.splitlines():
        if line.startswith("#"):
            section = line
        elif line and not line.startswith((" ", "@")):
            found.append((section, line.split(" ", 1)[0]))
    return found


def _assert_canonical(out: Path) -> None:
    data = (out / GRAPH_FILE).read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(set(triples))
    statements = _statements_by_section(data.decode("utf-8"))
    assert len(statements) == len(set(statements)), "a subject starts two blocks in a section"
    # One statement per subject in the whole file, and the graph is the dataset's union.
    assert len({subject for _section, subject in statements}) == len(statements)
    dataset = Dataset()
    dataset.parse(out / DATASET_FILE, format="trig")
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert isomorphic(Graph().parse(data=data, format="turtle"), union)


def test_the_seed_kg_ttl_states_each_triple_once(seed_build: BuildResult) -> None:
    """The zone, its areas and ports were written twice (in the document's part and in
    the default graph's), 9 triples twice: pyoxigraph read 6,269 triples, rdflib 6,260."""
    data = (seed_build.out_dir / GRAPH_FILE).read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(set(triples)) == seed_build.stats.triples
    statements = _statements_by_section(data.decode("utf-8"))
    assert len(statements) == len(set(statements))
    _assert_canonical(seed_build.out_dir)


def test_kg_ttl_states_each_triple_once_when_documents_share_relations(tmp_path: Path) -> None:
    """Two documents that state the same relations, and a copy of one of them: each
    relation, assertion and entity is one statement of kg.ttl, incremental or not."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shandong.txt").write_text(SHANDONG, encoding="utf-8")
    (folder / "jinan.txt").write_text(SHANDONG + "烟台片区重点发展高端装备。", encoding="utf-8")
    (folder / "shandong-copy.txt").write_text(SHANDONG, encoding="utf-8")
    out = tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    _assert_canonical(out)
    first = _files(out)
    build([folder], tmp_path / "again", engine="serial", outputs=())
    assert _files(tmp_path / "again") == first  # byte-identical, run after run
    (folder / "qingdao.txt").write_text(QINGDAO, encoding="utf-8")
    (folder / "shandong.txt").unlink()
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and not result.assembly.full
    _assert_canonical(out)
    build([folder], tmp_path / "fresh", engine="serial", outputs=())
    assert _files(out) == _files(tmp_path / "fresh")


# -- an indicator keeps its partner (issue 9) ---------------------------------------------


def test_an_indicator_keeps_its_trade_partner(extract: Extract) -> None:
    ex = extract("“十四五”期间我国对美出口下滑11.8%。")
    [obs] = [o for o in ex.observations if str(o.value) == "11.8"]
    assert (obs.subject.label, obs.indicator) == ("中国", "对美出口")
    assert str(obs.change_rate) == "-11.8"


def test_a_partner_is_never_the_subject_of_a_figure(extract: Extract) -> None:
    ex = extract("2023年内蒙古对俄进出口增长25%，对蒙古国出口达到100亿元。")
    [obs] = [o for o in ex.observations if str(o.value) == "100"]
    assert (obs.subject.label, obs.indicator) == ("内蒙古自治区", "对蒙古国出口")


# -- one definition of a relation (issue 9) -----------------------------------------------


def test_build_stats_and_map_count_the_same_relations(seed_build: BuildResult) -> None:
    """The build summary counted extracted relations (126 on the seed), `ftz-kg stats` and
    the map every entity-to-entity triple (161): now all three count kg.rdf.edges' relations."""
    from kg.rdf.edges import relations_of

    network = build_network(seed_build.graph)
    counted = seed_build.stats.relations
    assert counted == len(network.edges) == network_stats(network)["edges"]
    assert counted == len(relations_of(seed_build.knowledge.triples()))
    assert f"relations: {counted}," in seed_build.summary()
    # A lexicon fact (the port faces Russia) is a relation like an extracted one.
    assert (MANZHOULI_PORT, str(FTZ.facesCountry), RUSSIA) in {
        (e.source, network.relations[e.relation].iri, e.target) for e in network.edges
    }


def test_an_incremental_build_keeps_counting_relations_as_the_map_does(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "shandong.txt").write_text(SHANDONG, encoding="utf-8")
    out = tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    (folder / "shandong.txt").unlink()
    (folder / "qingdao.txt").write_text(QINGDAO, encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and not result.assembly.full
    network = build_network(Graph().parse(out / GRAPH_FILE))
    assert result.stats.relations == len(network.edges)


# -- the same text under two names (issue 14, finding 2) ----------------------------------


@pytest.mark.parametrize("how", ["copy", "symlink"])
def test_finding_2_identical_texts_build_and_validate(tmp_path: Path, how: str) -> None:
    """Two files with one text (a copy, or a link in the folder) collided on sentence IRIs:
    each sentence derived from two documents, and the build failed SHACL (E300, 105
    violations on the seed). Now the text is drawn once and the other document says whose
    duplicate it is; the build and `ftz-kg validate` pass."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "a.txt")
    if how == "copy":
        shutil.copy(SEED_FILE, folder / "b.txt")
    else:
        (folder / "b.txt").symlink_to("a.txt")
    out = tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(folder), "--out", str(out)])
    assert built.exit_code == 0, built.output
    assert "b.txt: the same text as" in built.output
    checked = runner.invoke(main, ["validate", "--out", str(out)])
    assert checked.exit_code == 0, checked.output

    dataset = Dataset(default_union=True)
    dataset.parse(out / DATASET_FILE, format="trig")
    a, b = (URIRef(f"https://w3id.org/ftz-kg/id/doc/{n}-09695213") for n in "ab")
    assert set(dataset.objects(b, FTZ.duplicateOf)) == {a}
    # Two documents, one content: every sentence is derived from one document, a's.
    assert {d for _s, d in dataset.subject_objects(PROV.wasDerivedFrom)} == {a}
    assert {str(p) for p in dataset.objects(None, FTZ.sourcePath)} == {"a.txt", "b.txt"}
    # b's graph holds its document node only; the rest is a's graph, as if built alone.
    b_graph = dataset.graph(b)
    assert {s for s, _p, _o in b_graph} == {b}
    assert set(b_graph.objects(b, FTZ.mentions)) == set(dataset.graph(a).objects(a, FTZ.mentions))


def test_identical_texts_come_and_go_in_incremental_builds(tmp_path: Path) -> None:
    """Which document holds a shared text depends on the others (the first IRI): a build
    that adds or removes one of them redraws the rest, to the bytes of a fresh build."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shandong.txt").write_text(SHANDONG, encoding="utf-8")
    (folder / "qingdao.txt").write_text(QINGDAO, encoding="utf-8")
    out = tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())

    def fresh(name: str) -> tuple[bytes, bytes]:
        build([folder], tmp_path / name, engine="serial", validate=False, outputs=())
        return _files(tmp_path / name)

    # A copy whose IRI sorts first takes the text over: shandong.txt becomes its duplicate.
    shutil.copy(folder / "shandong.txt", folder / "a-shandong.txt")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and not result.assembly.full
    assert sorted(p.graph.split("/")[-1].rsplit("-", 1)[0] for p in result.assembly.added) == [
        "a-shandong",
        "shandong",
    ]
    assert result.report.conforms
    assert _files(out) == fresh("fresh-1")
    assert validate_graph(Graph().parse(out / GRAPH_FILE), load_ontology()).conforms
    # The copy goes: shandong.txt holds its text again.
    (folder / "a-shandong.txt").unlink()
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == fresh("fresh-2")
    assert "duplicateOf" not in (out / GRAPH_FILE).read_text(encoding="utf-8").split("# default")[0]
    assert result.stats == build([folder], tmp_path / "again", engine="serial", outputs=()).stats


def test_a_name_that_gives_the_same_iri_is_one_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shandong.txt").write_text(SHANDONG, encoding="utf-8")
    (folder / "Shandong.txt").write_text(SHANDONG, encoding="utf-8")
    result = build([folder], tmp_path / "out", outputs=())
    assert result.report.conforms and result.documents == 1
    assert any("same document IRI; built once" in note for note in result.notes)


def _files(out: Path) -> tuple[bytes, bytes]:
    return (out / GRAPH_FILE).read_bytes(), (out / DATASET_FILE).read_bytes()
