"""The lines of business a platform carries, read from the clause after it
(kg/extract/platform_work.py)."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]

REGULATION = "\n".join(
    [
        "第一条 为了推进和保障中国（浙江）自由贸易试验区建设，制定本条例。",
        "第二条 本条例适用于中国（浙江）自由贸易试验区。",
        "第三条 支持自贸试验区建设舟山航空产业园，发展飞机总装组装和制造、零部件保税物流。",
    ]
)


def supported(ex: Extraction) -> set[tuple[str, str]]:
    return {
        (r.subject.label, r.object.label)
        for r in ex.relations
        if r.predicate == "supports" and r.subject.cls == "Platform"
    }


def test_a_platform_a_regulation_builds_carries_the_next_clauses_sectors(
    extract: Extract,
) -> None:
    pairs = supported(extract(REGULATION))
    assert {("舟山航空产业园", "飞机总装组装和制造"), ("舟山航空产业园", "零部件保税物流")} <= pairs


def test_the_platforms_relied_on_carry_the_sectors_developed(extract: Extract) -> None:
    ex = extract(
        "今年，霍尔果斯依托边境合作中心、综合保税区等开放平台，重点发展商贸物流、跨境金融等业务。"
    )
    pairs = supported(ex)
    for platform in ("边境合作中心", "综合保税区"):
        assert {(platform, "商贸物流"), (platform, "跨境金融")} <= pairs


def test_a_report_that_builds_a_base_and_fosters_industries_links_neither(
    extract: Extract,
) -> None:
    ex = extract("吉林将打造世界级碳纤维产业化基地，培育具身智能、空天信息等未来产业。")
    assert not {pair for pair in supported(ex) if pair[0] == "世界级碳纤维产业化基地"}
