"""China's zones taken together: a bare 自贸试验区 in a text about no one zone."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, URIRef

from kg.extract.lexicon import load_lexicon
from kg.model import Extraction
from kg.namespaces import FTZ, ID, RDF, RDFS
from kg.rdf.graph import build_graph

Extract = Callable[[str], Extraction]
ALL = str(ID["zone/all"])
LABEL = "全国自由贸易试验区"  # the node's preferred label

# a news item on the State Council's opinion, as 新闻联播 reports it
OPINION = (
    "=== 20250421 | 中共中央 国务院印发《关于实施自由贸易试验区提升战略的意见》\n"
    "央视网消息：中共中央、国务院近日印发《关于实施自由贸易试验区提升战略的意见》。\n"
    "《意见》指出，实现自由贸易试验区制度型开放水平全面提升。\n"
    "《意见》提出，要推动货物贸易优化升级，增强服务贸易发展活力。\n"
)


def pairs(ex: Extraction, predicate: str) -> set[tuple[str, str]]:
    return {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == predicate}


def together(ex: Extraction) -> list[str]:
    return [m.surface for m in ex.mentions if m.entity.key == ALL]


def test_a_national_item_speaks_of_the_zones_together(extract: Extract) -> None:
    ex = extract(OPINION)
    assert together(ex)
    assert {e.cls for e in (m.entity for m in ex.mentions) if e.key == ALL} == {
        "PilotFreeTradeZone"
    }
    assert (LABEL, "自由贸易试验区提升战略") in pairs(ex, "supports")
    assert ("关于实施自由贸易试验区提升战略的意见", LABEL) in pairs(ex, "issuedFor")


def test_what_the_item_says_with_no_subject_is_said_of_its_headings_zones(
    extract: Extract,
) -> None:
    focus = pairs(extract(OPINION), "focusesOnSector")
    assert {(LABEL, "货物贸易"), (LABEL, "服务贸易")} <= focus


def test_a_zones_regulation_keeps_its_bare_name_for_itself(extract: Extract) -> None:
    ex = extract(
        "中国（四川）自由贸易试验区条例\n"
        "第一条 为了推进和保障中国（四川）自由贸易试验区（以下简称自贸试验区）建设，制定本条例。\n"
        "第二条 自贸试验区应当重点发展现代物流业。\n"
        "第三条 自贸试验区应当推进制度创新。\n"
    )
    assert not together(ex)


def test_an_item_about_one_zone_is_left_to_that_zone(extract: Extract) -> None:
    ex = extract(
        "=== 20231101 | 新疆自贸试验区挂牌成立\n"
        "今天，新疆自贸试验区挂牌成立。自贸试验区将依托口岸优势，发展跨境物流。\n"
    )
    assert not together(ex)


def test_a_programme_named_after_the_zones_alone_names_no_node(extract: Extract) -> None:
    ex = extract("今年，上海还将全面对接国际高标准经贸规则，落实自贸试验区提升战略。")
    assert not together(ex)


def test_a_zone_asked_for_is_none_of_them(extract: Extract) -> None:
    ex = extract("甘肃积极申建自由贸易试验区。全国自贸试验区已形成改革开放创新格局。")
    assert together(ex) == ["全国自贸试验区"]


def test_the_node_is_typed_a_collective(extract: Extract) -> None:
    graph = Graph()
    for triple in build_graph([extract(OPINION)], load_lexicon()).triples():
        graph.add(triple)
    node = URIRef(ALL)
    assert {FTZ.ZoneCollective, FTZ.PilotFreeTradeZone} <= set(graph.objects(node, RDF.type))
    assert (node, FTZ.labelsMatched, None) not in graph
    assert "taken together" in str(graph.value(node, RDFS.label))


def test_the_zones_of_a_region_are_not_all_of_them(extract: Extract) -> None:
    ex = extract(
        "全国自贸试验区已形成改革开放创新格局。三地印发《深化京津冀自贸试验区协同发展行动方案》。"
    )
    assert together(ex) == ["全国自贸试验区"]
