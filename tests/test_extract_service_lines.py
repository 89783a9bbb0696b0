"""Lines of business named by bodies, fields and clusters: what a careful analyst lists as
sectors, and the words around them that are none."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]
TITLE = "中国（浙江）自由贸易试验区条例\n"


def sectors(ex: Extraction) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}


def zone_sectors(ex: Extraction) -> set[str]:
    return {
        r.object.label
        for r in ex.relations
        if r.predicate == "focusesOnSector" and r.subject.cls == "PilotFreeTradeZone"
    }


def test_the_lines_of_insurance_bodies_set_up_are_sectors_of_the_zone(extract: Extract) -> None:
    ex = extract(
        TITLE + "第二十条 支持在自贸试验区内设立为保险业发展提供配套服务的保险经纪、保险代理、"
        "风险评估、损失理算等专业性保险服务机构。\n"
        "第二十一条 在区内设立内外资再保险、外资健康保险等机构。\n"
    )
    assert {"保险经纪", "保险代理", "风险评估", "损失理算"} <= zone_sectors(ex)
    assert "外资健康保险" in sectors(ex)


def test_firms_and_kinds_of_institution_listed_are_no_lines(extract: Extract) -> None:
    ex = extract(
        TITLE + "第二十条 支持内外资在区内设立银行、证券、保险等金融机构。"
        "依法设立财务公司、汽车金融公司和消费金融公司等金融机构。\n"
    )
    assert not {"银行", "证券", "保险", "财务", "汽车金融", "消费金融"} & sectors(ex)


def test_a_body_named_by_its_line_names_that_line(extract: Extract) -> None:
    ex = extract(TITLE + "第二十条 在区内设立保险资产管理公司、相互制保险机构等新型保险组织。\n")
    assert {"保险资产管理", "相互制保险"} <= sectors(ex)
    assert not {"保险资产管理公司", "制保险机构"} & sectors(ex)


def test_what_an_insurance_line_covers_is_no_industry(extract: Extract) -> None:
    ex = extract(TITLE + "第二十条 自贸试验区开展能源、化工等特殊风险保险业务。\n")
    assert not {"能源", "化工"} & sectors(ex)
    assert "特殊风险保险" in sectors(ex)


def test_a_fields_professional_service_is_the_fields_service(extract: Extract) -> None:
    ex = extract(
        TITLE + "第六十八条 自贸试验区培育律师、仲裁、公证等法律服务机构，鼓励境内外法律服务"
        "机构在自贸试验区开展法律专业服务，提供优质、高效的国际化法律专业服务。\n"
    )
    assert "法律服务" in sectors(ex)
    assert not {"法律专业服务", "国际化法律专业服务", "专业服务"} & sectors(ex)


def test_a_sector_concerning_a_field_is_named_as_written(extract: Extract) -> None:
    ex = extract(
        TITLE + "第三十条 支持金融机构为海洋经济发展提供各类涉海金融服务。项目涉及低空经济产业。\n"
    )
    assert "涉海金融服务" in sectors(ex)
    assert "金融" not in sectors(ex)
    assert not any(s.startswith("涉及") for s in sectors(ex))


def test_a_chapter_title_develops_no_sector(extract: Extract) -> None:
    ex = extract(TITLE + "第五章  金融服务\n第二十条 自贸试验区发展跨境电子商务。\n")
    assert sectors(ex) == {"跨境电子商务"}


def test_an_industry_cluster_is_its_industry(extract: Extract) -> None:
    ex = extract(
        TITLE + "第二十六条 支持自贸试验区建设舟山航空产业园，形成航空产业集群，"
        "培育生物医药产业集群，打造世界级产业集群和4个万亿级产业集群。\n"
    )
    assert {"航空产业", "生物医药"} <= zone_sectors(ex)
    assert not any(s.endswith("集群") or "级" in s for s in sectors(ex))
    assert not {"产业", "级产业"} & sectors(ex)


def test_a_named_line_of_bonded_business_is_a_sector_alone(extract: Extract) -> None:
    ex = extract(TITLE + "第四十一条 自贸试验区开展期货保税交割。\n")
    assert "期货保税交割" in zone_sectors(ex)


def test_a_quoted_service_of_a_known_sector_is_the_sector(extract: Extract) -> None:
    ex = extract("在临港新片区，试点银行可以为试点企业开展离岸贸易“免审单”服务。")
    assert sectors(ex) == {"离岸贸易"}
