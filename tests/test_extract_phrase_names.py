"""Names typed by their head word: where a platform's name starts and ends."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def platforms(ex: Extraction) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}


def test_a_count_of_places_stands_before_the_name(extract: Extract) -> None:
    ex = extract("鼓励京津冀三地产权交易市场、技术交易市场在自贸试验区内开展合作。")
    assert {"产权交易市场", "技术交易市场"} <= platforms(ex)


def test_a_verb_that_ends_a_known_name_or_names_the_fund_stays_in_it(extract: Extract) -> None:
    ex = extract(
        "支持在自贸试验区内设立京津冀产业结构调整基金。"
        "加强与国家科技成果转化引导基金、国家中小企业发展基金合作。"
    )
    assert {
        "京津冀产业结构调整基金",
        "国家科技成果转化引导基金",
        "国家中小企业发展基金",
    } <= platforms(ex)
    assert "引导基金" not in platforms(ex)


def test_parks_are_named_with_the_whole_head(extract: Extract) -> None:
    ex = extract("开展专属物流园区建设。设立上海外高桥保税物流园区。")
    assert {"专属物流园区", "上海外高桥保税物流园区"} <= platforms(ex)


def test_what_a_zone_is_to_become_is_a_position_though_its_head_names_facilities(
    extract: Extract,
) -> None:
    ex = extract(
        "自贸试验区建设成为西部门户城市开发开放引领区、内陆开放型经济新高地、"
        "内陆与沿海沿边沿江协同开放示范区。重庆市建成投用重庆东站。"
    )
    positions = {m.entity.label for m in ex.mentions if m.entity.cls == "StrategicPosition"}
    assert "内陆与沿海沿边沿江协同开放示范区" in positions
    assert "内陆与沿海沿边沿江协同开放示范区" not in platforms(ex)
    assert "重庆东站" in platforms(ex) and "重庆东站" not in positions


def test_plans_named_without_a_title_are_documents_and_titles_hold_no_other(
    extract: Extract,
) -> None:
    ex = extract(
        "自贸试验区政策应当与沈阳经济区新型工业化综合配套改革试验总体方案等政策相衔接。"
        "审议通过《全链条支持创新药发展实施方案》。"
    )
    documents = {m.entity.label for m in ex.mentions if m.entity.cls == "PolicyDocument"}
    assert {
        "沈阳经济区新型工业化综合配套改革试验总体方案",
        "全链条支持创新药发展实施方案",
    } <= documents
    assert "药发展实施方案" not in documents
