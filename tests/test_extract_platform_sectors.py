"""Platforms named after the sectors they serve (kg/extract/named_sectors.py)."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def found(ex: Extraction, cls: str) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == cls}


def served(ex: Extraction) -> set[tuple[str, str]]:
    return {
        (r.subject.label, r.object.label)
        for r in ex.relations
        if r.predicate == "supports" and r.subject.cls == "Platform"
    }


def test_a_facility_named_after_a_known_sector_serves_it(extract: Extract) -> None:
    ex = extract(
        "自贸试验区推进内陆地区国际多式联运示范平台建设。"
        "可以设立保税展示交易平台。"
        "建设区域性融资租赁集聚区。"
    )
    assert {"多式联运", "保税展示交易", "融资租赁"} <= found(ex, "Sector")
    assert {
        ("内陆地区国际多式联运示范平台", "多式联运"),
        ("保税展示交易平台", "保税展示交易"),
        ("区域性融资租赁集聚区", "融资租赁"),
    } <= served(ex)


def test_a_launch_site_serves_the_space_industry_it_is_named_for(extract: Extract) -> None:
    ex = extract("全国首个商业航天发射场建成，形成常态化发射能力。")
    assert ("商业航天发射场", "商业航天") in served(ex)


def test_a_sector_inside_a_longer_modifier_is_not_read_from_the_name(extract: Extract) -> None:
    # 跨境贸易电子商务 is one line of business; 跨境贸易 is only part of it
    ex = extract("推进跨境贸易电子商务平台建设。建设国际物流分拨中心运营平台。")
    assert not found(ex, "Sector") & {"跨境贸易", "电子商务", "国际物流"}


def test_a_facility_closing_a_list_of_sectors_serves_every_item(extract: Extract) -> None:
    ex = extract(
        "自贸试验区加强与沿海地区协同发展，建设与东部产业配套协作的"
        "高端制造业、现代服务业和临港产业基地。"
    )
    assert {"高端制造业", "现代服务业", "临港产业"} <= found(ex, "Sector")
    assert "临港产业基地" in found(ex, "Platform")
    assert {
        ("临港产业基地", "临港产业"),
        ("临港产业基地", "现代服务业"),
        ("临港产业基地", "高端制造业"),
    } <= served(ex)
    # the sector's own span stops before the facility's head
    sector = next(m for m in ex.mentions if m.entity.label == "临港产业")
    assert sector.surface == "临港产业"


def test_a_centre_serves_the_sector_it_does_its_work_on(extract: Extract) -> None:
    ex = extract(
        "南宁片区加快推进中国—东盟人工智能创新合作中心等项目建设。"
        "建设工业互联网创新中心。"
        "打造上海国际金融中心和区域科技创新中心。"
    )
    assert "人工智能" in found(ex, "Sector")
    pairs = served(ex)
    assert {
        ("中国—东盟人工智能创新合作中心", "人工智能"),
        ("工业互联网创新中心", "工业互联网"),
    } <= pairs
    assert not {label for platform, label in pairs if platform.endswith("中心")} - {
        "人工智能",
        "工业互联网",
    }
