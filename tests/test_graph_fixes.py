"""Graph fixes: canonical kg.ttl (each triple once), trade partners kept in indicators, one
definition of a relation, and identical texts under two names (issues 9 and 14)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.build import GRAPH_FILE, BuildResult, build
from kg.edges import relations_of
from kg.model import Extraction
from kg.namespaces import FTZ
from kg.network import build_network, network_stats

from .conftest import SEED_FILE

Extract = Callable[[str], Extraction]

MANZHOULI_PORT = "https://w3id.org/ftz-kg/id/port/manzhouli-kouan"
RUSSIA = "https://w3id.org/ftz-kg/id/country/ru"
SHANDONG = (
    "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。济南片区重点发展人工智能、产业金融。"
)
QINGDAO = "中国（山东）自由贸易试验区青岛片区与日本、韩国开展合作，山东自贸试验区发展海洋经济。"


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
    the map every entity-to-entity triple (161): now all three count kg.edges' relations."""
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
    build([folder], out, engine="serial", cache=True)
    (folder / "shandong.txt").unlink()
    (folder / "qingdao.txt").write_text(QINGDAO, encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True)
    assert result.assembly is not None and not result.assembly.full
    network = build_network(Graph().parse(out / GRAPH_FILE))
    assert result.stats.relations == len(network.edges)
