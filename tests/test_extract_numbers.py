"""Numeric facts: value, unit, normalised value, year or period, change rate."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kg.model import Extraction, Observation

Extract = Callable[[str], Extraction]


def by_value(ex: Extraction, value: str) -> Observation:
    matches = [o for o in ex.observations if o.value == Decimal(value)]
    assert matches, f"no observation with value {value}: {ex.observations}"
    return matches[0]


def test_value_unit_normalised_year_and_rate(extract: Extract) -> None:
    ex = extract(
        "2025年我国货物进出口总额达8.08万亿元，同比增长7.4%；同期内蒙古外贸进出口2206.7亿元，同比增长6.4%，高于全国2.6个百分点。"
    )
    national = by_value(ex, "8.08")
    assert national.subject.label == "中国"
    assert national.normalized_value == Decimal("8080000000000")
    assert national.base_unit == "CNY"
    assert national.year == "2025"
    assert national.change_rate == Decimal("7.4")
    regional = by_value(ex, "2206.7")
    assert regional.subject.label == "内蒙古自治区"
    assert regional.indicator == "外贸进出口"
    assert regional.unit == "亿元"
    assert regional.normalized_value == Decimal("220670000000")
    assert regional.change_rate == Decimal("6.4")
    assert regional.year == "2025"
    assert by_value(ex, "2.6").unit == "个百分点"


def test_a_fall_is_a_negative_rate_and_the_period_is_kept(extract: Extract) -> None:
    ex = extract("“十四五”期间我国对美出口下滑11.8%。")
    obs = by_value(ex, "11.8")
    assert obs.change_rate == Decimal("-11.8")
    assert obs.period == "十四五"


def test_the_firms_of_a_country_are_counted_not_its_holder(extract: Extract) -> None:
    obs = by_value(extract("去年，内蒙古新增美国企业120家。"), "120")
    assert (obs.subject.label, obs.indicator) == ("内蒙古自治区", "新增美国企业")


def test_rate_without_a_value_is_its_own_fact(extract: Extract) -> None:
    ex = extract("内蒙古跨境电商同比增长95%，成为外贸增长新引擎。")
    obs = by_value(ex, "95")
    assert obs.change_rate == Decimal("95")
    assert obs.subject.cls in ("Sector", "Region")


def test_a_range_gives_both_bounds(extract: Extract) -> None:
    ex = extract("报告显示人工智能等领域可能重塑全球经济，创造29万亿至48万亿美元收入。")
    low, high = by_value(ex, "29"), by_value(ex, "48")
    assert low.base_unit == high.base_unit == "USD"
    assert low.normalized_value == Decimal("29000000000000")


def test_dates_are_not_figures(extract: Extract) -> None:
    ex = extract("2026年4月，中国（内蒙古）自由贸易试验区获批设立。")
    assert ex.observations == ()


def test_figure_inside_a_task_bundle_is_the_bundle_count_not_a_fact(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区落实81项改革试点任务。")
    assert all(o.value != Decimal(81) for o in ex.observations)


def test_a_figure_raised_from_one_value_to_another_keeps_its_indicator(extract: Extract) -> None:
    ex = extract(
        "海南自贸港“零关税”商品税目比例由21%提高至74%。报告预计将创造29万亿至48万亿美元收入。"
    )
    assert by_value(ex, "21").indicator == by_value(ex, "74").indicator == "零关税商品税目比例"
    assert by_value(ex, "29").indicator == by_value(ex, "48").indicator


def test_a_rank_is_no_figure(extract: Extract) -> None:
    ex = extract("今天，我国第22个自贸试验区——新疆自贸试验区挂牌成立。")
    assert all(o.value != Decimal(22) for o in ex.observations)


def test_each_news_item_holds_its_figures_for_the_zone_it_names(extract: Extract) -> None:
    ex = extract(
        "=== 20260410 | 新设内蒙古自贸试验区\n内蒙古自贸试验区实施范围119.74平方公里。\n\n"
        "=== 20251219 | 海南自贸港封关首日多项业务实现突破\n"
        "进口商品主要涵盖原油、矿产品、医疗器械等生产原辅料，享惠主体增至1万家。"
    )
    assert by_value(ex, "1").subject.label == "海南自由贸易港"


def test_figures_given_respectively_go_to_the_items_listed_before_them(
    extract: Extract,
) -> None:
    ex = extract(
        "今年前三季度，内蒙古自贸试验区对俄罗斯、蒙古国进出口分别增长12%和8%。"
        "2024年，南宁片区、崇左片区分别实现进出口500亿元、120亿元。"
    )
    facts = {(o.subject.label, o.indicator, o.value, o.change_rate) for o in ex.observations}
    zone = "中国（内蒙古）自由贸易试验区"
    assert (zone, "对俄罗斯进出口", Decimal("12"), Decimal("12")) in facts
    assert (zone, "对蒙古国进出口", Decimal("8"), Decimal("8")) in facts
    assert ("南宁片区", "实现进出口", Decimal("500"), None) in facts
    assert ("崇左片区", "实现进出口", Decimal("120"), None) in facts


def test_the_body_that_counted_is_no_subject_of_the_figure(extract: Extract) -> None:
    ex = extract(
        "海南自由贸易港封关首日，多项业务实现突破。据三亚海关统计，封关首日，进口享惠货物2.5亿元。"
    )
    assert by_value(ex, "2.5").subject.label == "海南自由贸易港"


def test_a_title_s_parts_and_more_than_stay_out_of_the_indicator(extract: Extract) -> None:
    ex = extract(
        "四川自贸区挂牌三周年 进出口年均增长15.2%\n"
        "截至目前，港口登记在册船舶达60艘，总运力超500万载重吨。"
    )
    assert by_value(ex, "15.2").indicator == "进出口年均"
    fleet = by_value(ex, "500")
    assert (fleet.indicator, fleet.unit, fleet.base_unit) == ("总运力", "万载重吨", "dwt")
    assert by_value(ex, "60").unit == "艘"


def test_a_country_that_says_whose_a_firm_is_holds_none_of_its_figures(extract: Extract) -> None:
    ex = extract("海南自由贸易港持续扩大开放。在洋浦，一家德国企业完成产线升级，产能提升25%。")
    assert by_value(ex, "25").subject.label != "德国"


def test_a_figure_after_a_list_of_areas_is_the_zone_s(extract: Extract) -> None:
    ex = extract(
        "五年来，云南自贸试验区昆明、红河、德宏三个片区累计新设企业超过3万家，实际使用外资8.6亿美元。"
    )
    assert by_value(ex, "8.6").subject.label == "中国（云南）自由贸易试验区"


def test_a_figure_of_a_list_of_areas_in_its_own_clause_is_the_zone_s(extract: Extract) -> None:
    ex = extract(
        "中国（河南）自由贸易试验区设立以来，郑州、开封、洛阳三个片区累计形成改革成果500余项。"
    )
    assert by_value(ex, "500").subject.label == "中国（河南）自由贸易试验区"


def test_where_a_train_goes_holds_none_of_its_figures(extract: Extract) -> None:
    ex = extract(
        "西安片区持续扩大开放。中欧班列从这里发往哈萨克斯坦、白俄罗斯等国家，全年开行超过900列。"
    )
    assert by_value(ex, "900").subject.label not in {"哈萨克斯坦", "白俄罗斯"}


def test_a_country_inside_a_name_holds_none_of_its_figures(extract: Extract) -> None:
    ex = extract("中哈（连云港）物流合作基地今年完成集装箱吞吐量60万标箱。")
    assert by_value(ex, "60").subject.label not in {"中国", "哈萨克斯坦"}


def test_the_partners_listed_after_yu_hold_none_of_the_figures(extract: Extract) -> None:
    ex = extract("云南与缅甸、老挝、越南等3个国家接壤，拥有25个国家一类口岸。")
    assert by_value(ex, "25").subject.label not in {"缅甸", "老挝", "越南"}


def test_pairs_of_a_name_and_its_figure_are_each_the_name_s(extract: Extract) -> None:
    ex = extract(
        "河南自贸试验区实施范围119.77平方公里，涵盖郑州片区73.17平方公里、开封片区19.94平方公里。"
        "满洲里铁路口岸开行中欧班列3300列。"
    )
    assert by_value(ex, "73.17").subject.label == "郑州片区"
    assert by_value(ex, "19.94").subject.label == "开封片区"
    assert by_value(ex, "3300").subject.label == "满洲里口岸"  # the lexicon's name of it


def test_a_pair_of_partners_holds_none_of_the_figures(extract: Extract) -> None:
    ex = extract(
        "南宁片区累计引进中国—东盟信息港等重大项目120个。"
        "崇左片区发挥沿边优势，推动凭祥、友谊关口岸通关便利化，中越边境贸易额达到500亿元。"
    )
    assert by_value(ex, "120").subject.label not in {"中国", "东盟"}
    # the sentence's subject holds the figure, not the last name of a clause before it
    assert by_value(ex, "500").subject.label == "崇左片区"


def test_the_place_a_name_is_written_with_and_where_it_reaches_hold_no_figure(
    extract: Extract,
) -> None:
    ex = extract(
        "中欧班列（郑州）今年开行2300列，货值超过180亿美元，辐射欧洲、中亚等40多个国家。"
        "通航城市覆盖欧美亚三大洲。"
    )
    assert by_value(ex, "180").subject.label != "郑州"
    assert by_value(ex, "40").subject.label not in {"欧洲", "中亚"}
    countries = {m.entity.label for m in ex.mentions if m.entity.cls == "Country"}
    assert "美国" not in countries  # 欧美亚三大洲: continents


def test_a_sentence_about_a_platform_s_figures_keeps_them_for_it(extract: Extract) -> None:
    ex = extract(
        "郑州片区开通至卢森堡的货运航线。"
        "中欧班列（郑州）今年开行2300列，货值超过180亿美元。"
        "国家区域医疗中心引入新项目874项，全省新增8个重点专科，197家医院开设门诊。"
    )
    assert by_value(ex, "180").subject.label == "中欧班列"
    assert by_value(ex, "874").subject.label == "国家区域医疗中心"
    assert by_value(ex, "8").subject.label != "国家区域医疗中心"  # 全省: its own scope
    assert by_value(ex, "197").subject.label != "国家区域医疗中心"


def test_a_policy_names_what_is_measured_and_holds_no_figure(extract: Extract) -> None:
    ex = extract("海南自由贸易港扩大开放，零关税商品税目比例由21%提高至74%。")
    fact = by_value(ex, "74")
    assert fact.subject.label == "海南自由贸易港"
    assert "零关税" in fact.indicator


def test_batches_and_kinds_are_counted(extract: Extract) -> None:
    ex = extract("我国先后分8批，设立了23个自贸试验区。海南自由贸易港新设5种征减免税方式。")
    counted = {(o.value, o.unit) for o in ex.observations}
    assert {(8, "批"), (5, "种"), (23, "个")} <= counted


def test_people_are_counted_by_ming(extract: Extract) -> None:
    ex = extract("北京自贸试验区扩大境外职业资格认可目录，吸引近400名国际化人才。")
    assert (400, "名") in {(o.value, o.unit) for o in ex.observations}
