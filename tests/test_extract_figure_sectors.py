"""Industries that hold a figure of their output (kg/extract/figure_sectors.py): the text
names them though no verb develops them, and the place keeps the figure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def test_an_industry_whose_output_is_reported_is_a_sector_and_the_place_holds_it(
    extract: Extract,
) -> None:
    ex = extract(
        "去年，安徽经济平稳增长。全省高技术制造业增加值增长12%，南繁种业年产值突破180亿元。"
    )
    sectors = {m.entity.label: m.rule for m in ex.mentions if m.entity.cls == "Sector"}
    assert sectors == {"高技术制造业": "figure:sector", "南繁种业": "figure:sector"}
    by_value = {o.value: o for o in ex.observations}
    assert by_value[Decimal("12")].subject.label == "安徽省"
    assert by_value[Decimal("12")].indicator.endswith("高技术制造业增加值")
    assert by_value[Decimal("180")].subject.label == "安徽省"
    assert by_value[Decimal("180")].indicator == "南繁种业年产值"


def test_the_trade_of_a_sector_is_what_the_place_counts(extract: Extract) -> None:
    ex = extract("去年，海南省货物贸易进出口总值增长43.1%。高技术产业实际使用外资保持两位数增长。")
    trade = next(o for o in ex.observations if o.value == Decimal("43.1"))
    assert (trade.subject.label, trade.indicator) == ("海南省", "货物贸易进出口总值")
    assert "高技术产业" in {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}


def test_a_kind_of_industry_or_an_industry_inside_a_name_is_none(extract: Extract) -> None:
    ex = extract("全年服务业增加值增长5%，整体产业规模扩大。")
    assert not [m for m in ex.mentions if m.entity.cls == "Sector"]
