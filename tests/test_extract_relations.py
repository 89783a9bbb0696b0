"""Relations from sentence-level rules, with the subject carried across sentences."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def triples(ex: Extraction, predicate: str) -> set[tuple[str, str]]:
    return {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == predicate}


ZONE = "中国（内蒙古）自由贸易试验区"
# an item about other zones first: the file is about no one zone, as a file of news items is
OTHER_ZONES = (
    "=== 20260821 | 两地开放",
    "广西自贸试验区、重庆自贸试验区和四川自贸试验区推出新举措。",
)


def in_news_file(extract: Extract, *lines: str) -> Extraction:
    """The lines as an item of a file of news items about several zones."""
    return extract("\n".join([*OTHER_ZONES, *lines]))


def test_zone_has_its_enumerated_areas(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区实施范围119.74平方公里，涵盖呼和浩特、满洲里、二连浩特三大片区。")
    assert {(ZONE, "呼和浩特片区"), (ZONE, "满洲里片区"), (ZONE, "二连浩特片区")} <= triples(
        ex, "hasArea"
    )


def test_area_focuses_on_the_sectors_it_develops(extract: Extract) -> None:
    ex = extract(
        "呼和浩特片区重点发展新能源、新材料、生物医药等战略性新兴产业及绿色农畜产品加工、乳业等特色产业。"
    )
    pairs = triples(ex, "focusesOnSector")
    for sector in ("新能源", "新材料", "生物医药", "绿色农畜产品加工", "乳业"):
        assert ("呼和浩特片区", sector) in pairs


def test_zone_faces_the_countries_it_opens_to(extract: Extract) -> None:
    ex = extract(
        "内蒙古自贸试验区作为我国北部沿边地区首个同时面向俄罗斯和蒙古国的自贸试验区，肩负重大使命。"
    )
    assert {(ZONE, "俄罗斯"), (ZONE, "蒙古国")} <= triples(ex, "facesCountry")
    assert (ZONE, "中国") not in triples(ex, "facesCountry")


def test_enumerated_ports_face_the_countries_of_the_next_clause(extract: Extract) -> None:
    ex = extract("要依托二连浩特、满洲里等重点口岸，深化与俄蒙互联互通，提升跨境物流合作水平。")
    faces = triples(ex, "facesCountry")
    assert {("二连浩特口岸", "蒙古国"), ("满洲里口岸", "俄罗斯")} <= faces


def test_subject_is_carried_from_the_sentence_before(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区要立足沿边开放。重点发展能源资源、跨境物流、数字经济等特色载体。")
    pairs = triples(ex, "focusesOnSector")
    assert (ZONE, "跨境物流") in pairs
    rules = {r.rule for r in ex.relations if r.object.label == "跨境物流"}
    assert any(rule.startswith("carried") for rule in rules)


def test_subject_is_not_carried_into_another_article(extract: Extract) -> None:
    text = (
        "第一篇文章\n\n□张三\n\n内蒙古自贸试验区要立足沿边开放。\n\n"
        "第二篇文章\n\n□李四\n\n重点发展跨境物流等产业。\n"
    )
    ex = extract(text)
    assert (ZONE, "跨境物流") not in triples(ex, "focusesOnSector")


def test_a_plan_is_issued_for_the_zone_it_names(extract: Extract) -> None:
    ex = extract("发布《中国（内蒙古）自由贸易试验区总体方案》。")
    assert (f"{ZONE}总体方案", ZONE) in triples(ex, "issuedFor")


def test_unknown_area_attaches_to_the_zone_of_its_document(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区建设提速。包头片区今年挂牌。")
    assert (ZONE, "包头片区") in triples(ex, "hasArea")


def test_a_known_area_is_never_given_to_another_zone(extract: Extract) -> None:
    ex = extract(
        "上海自贸试验区推出新举措。辽宁大连自贸片区围绕锂电池出口企业的实际诉求，创新推出检验模式。"
    )
    assert not {z for z, a in triples(ex, "hasArea") if a == "大连片区"}
    ex = extract("中国（辽宁）自由贸易试验区大连片区创新推出检验模式。")
    assert ("中国（辽宁）自由贸易试验区", "大连片区") in triples(ex, "hasArea")


def test_a_regulation_is_written_by_the_body_of_its_adoption_line(extract: Extract) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区条例\n\n"
        "（2025年3月1日内蒙古自治区第十四届人民代表大会常务委员会第十五次会议通过 根据"
        "2026年1月9日内蒙古自治区第十四届人民代表大会常务委员会第二十次会议"
        "《关于修改〈中国（内蒙古）自由贸易试验区条例〉的决定》修正）\n\n"
        "第一章 总则\n\n第一条 为了推进自贸试验区建设，制定本条例。\n"
    )
    title = f"{ZONE}条例"
    body = "内蒙古自治区第十四届人民代表大会常务委员会"
    # the first body adopted the regulation, the second wrote the decision that amended it
    assert triples(ex, "authorOf") == {
        (body, title),
        (body, "关于修改〈中国（内蒙古）自由贸易试验区条例〉的决定"),
    }
    assert (title, ZONE) in triples(ex, "issuedFor")


def test_a_heading_that_is_no_legal_text_names_no_document(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区建设提速\n\n（2026年4月1日 新华社）\n\n满洲里片区今年挂牌。\n")
    assert not triples(ex, "authorOf")


def test_a_regulation_carries_its_days_of_adoption_and_entry_into_force(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区条例\n\n"
        "（2025年3月1日内蒙古自治区第十四届人民代表大会常务\n\n委员会第十五次会议通过）\n\n"
        "第一章 总则\n\n第一条 为了推进自贸试验区建设，制定本条例。\n\n"
        "第六十条 本条例自2025年5月1日起施行。\n"
    )
    # the adoption line broken over two lines still dates the adoption
    assert {(d.entity.label, d.kind, d.date) for d in ex.dates} == {
        (f"{ZONE}条例", "issued", "2025-03-01"),
        (f"{ZONE}条例", "inForceFrom", "2025-05-01"),
    }


def test_departments_listed_before_a_body_are_part_of_it(extract: Extract) -> None:
    ex = extract("海关、金融、税务、外汇等驻片区工作机构应当支持自贸试验区建设。")
    pairs = triples(ex, "partOf")
    assert {("海关", "驻片区工作机构"), ("税务", "驻片区工作机构")} <= pairs
    assert not any(part == "金融" for part, _ in pairs)  # a field, not a department


def test_one_department_before_a_body_is_only_an_example(extract: Extract) -> None:
    ex = extract("海关等部门应当支持自贸试验区建设。")
    assert not triples(ex, "partOf")


def test_a_collective_name_gathers_the_items_before_it(extract: Extract) -> None:
    ex = extract(
        "境外货物进入综合保税区、保税物流中心（以下统称特殊区域），实行先入区、再报关。"
        "特殊区域内的货物不设存储期限。"
    )
    pairs = triples(ex, "partOf")
    assert {("综合保税区", "特殊区域"), ("保税物流中心", "特殊区域")} <= pairs
    later = [m for m in ex.mentions if m.entity.label == "特殊区域"]
    assert len(later) == 2 and {m.entity.cls for m in later} == {"Platform"}


def test_funds_and_centres_keep_the_verb_that_names_their_kind(extract: Extract) -> None:
    ex = extract("自贸试验区应当利用产业投资引导基金，建设工程研究中心。")
    platforms = {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}
    assert {"产业投资引导基金", "工程研究中心"} <= platforms


def test_a_port_the_lexicon_does_not_place_lies_in_the_city_it_is_named_after(
    extract: Extract,
) -> None:
    ex = extract("自贸试验区发挥成都国际航空枢纽作用。")
    ports = {m.entity.label for m in ex.mentions if m.entity.cls == "Port"}
    assert "成都国际航空枢纽" in ports
    assert ("成都国际航空枢纽", "成都") in triples(ex, "locatedIn")


def test_a_name_that_qualifies_a_noun_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "内蒙古自贸试验区充分发挥“内联八省、外通欧亚”的区位优势。大力发展通道经济、枢纽经济。"
    )
    subjects = {s for s, _ in triples(ex, "focusesOnSector")}
    assert subjects == {ZONE}


def test_china_beside_a_programme_does_not_take_part_in_it(extract: Extract) -> None:
    ex = extract("TPP、TTIP等谈判使我国面临风险。积极推进中蒙俄经济走廊建设。")
    involved = triples(ex, "involvesCountry")
    assert ("跨太平洋伙伴关系协定", "中国") not in involved
    assert ("中蒙俄经济走廊", "中国") in involved  # from its name


def test_what_a_zone_serves_as_is_no_subject_of_its_figures(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区作为沿边开放的重要制度平台，实施范围119.74平方公里。")
    assert [o.subject.label for o in ex.observations if o.subject] == [ZONE]


def test_a_body_set_up_by_another_is_part_of_it(extract: Extract) -> None:
    ex = extract(
        "省人民政府设立的自贸试验区工作领导小组负责统筹。议事协调机构下设办事机构。"
        "经国务院批准设立的海关机构。"
    )
    parts = triples(ex, "partOf")
    assert ("自贸试验区工作领导小组", "省人民政府") in parts
    assert ("办事机构", "议事协调机构") in parts
    assert not any(parent == "国务院" for _, parent in parts)


def test_a_zones_document_ties_its_bodies_and_other_zones_to_it(extract: Extract) -> None:
    ex = extract(
        "中国（辽宁）自由贸易试验区条例\n"
        "第一条 为了推进中国（辽宁）自由贸易试验区（以下简称自贸试验区）建设，制定本条例。\n"
        "第二条 片区管理机构负责片区改革试点工作。\n"
        "第三条 自贸试验区应当配合金融监管部门完善风险监测。\n"
        "第四条 逐步推行上海、天津等自贸试验区已经试点的税收政策。"
    )
    zone = "中国（辽宁）自由贸易试验区"
    assert {("片区管理机构", zone), ("金融监管部门", zone)} <= triples(ex, "supports")
    assert {(zone, "中国（上海）自由贸易试验区"), (zone, "中国（天津）自由贸易试验区")} <= triples(
        ex, "linkedWith"
    )


def test_a_platform_named_after_a_sector_serves_it(extract: Extract) -> None:
    ex = extract("发展融资租赁，建设区域性融资租赁集聚区。实行国际贸易“单一窗口”，发展国际贸易。")
    served = triples(ex, "supports")
    assert ("区域性融资租赁集聚区", "融资租赁") in served
    assert not any(platform.startswith("国际贸易") for platform, _ in served)


def test_a_place_inside_a_name_is_neither_subject_nor_object(extract: Extract) -> None:
    ex = extract(
        "中国（湖北）自由贸易试验区条例\n自贸试验区加强与沿海沿江港口、“一带一路”沿线港口合作。"
        "增强天津口岸服务辐射功能。"
    )
    linked = triples(ex, "linkedWith")
    zone = "中国（湖北）自由贸易试验区"
    assert {(zone, "沿海沿江港口"), (zone, "沿线港口")} <= linked
    assert not any(s in ("沿江地区", "沿海地区") for s, _ in linked)
    assert (zone, "天津市") not in linked
    assert ("天津口岸", "天津市") in triples(ex, "locatedIn")


def test_an_office_and_its_short_name(extract: Extract) -> None:
    ex = extract(
        "中国（四川）自由贸易试验区条例\n"
        '第八条 中国（四川）自由贸易试验区工作办公室（以下简称"四川自贸办"）承担领导小组的日常工作。'
        "四川自贸办应当对试点政策执行情况进行评估。"
    )
    office = "中国（四川）自由贸易试验区工作办公室"
    assert (office, "领导小组") in triples(ex, "partOf")
    short = [m for m in ex.mentions if m.surface == "四川自贸办"]
    assert short and all(m.entity.label == office for m in short)
    assert (office, "中国（四川）自由贸易试验区") in triples(ex, "supports")


def test_an_office_named_after_the_head_of_a_body_named_before_is_its_own(
    extract: Extract,
) -> None:
    ex = extract("第四条 省人民政府设立自贸试验区工作领导小组，领导小组办公室设在省商务厅。")
    assert ("领导小组办公室", "自贸试验区工作领导小组") in triples(ex, "partOf")


def test_a_site_or_a_body_named_after_its_city_or_province_lies_there(extract: Extract) -> None:
    located = triples(
        extract(
            "上海外高桥保税区、上海浦东机场综合保税区实行海关监管。建设舟山航空产业园。"
            "天津仲裁委员会受理案件。海南省人民政府负责实施。"
            "上海合作组织峰会举行。重庆市物流信息平台上线运行。"
        ),
        "locatedIn",
    )
    assert {
        ("上海外高桥保税区", "上海市"),
        ("上海浦东机场综合保税区", "上海市"),
        ("舟山航空产业园", "舟山"),
        ("天津仲裁委员会", "天津市"),
        ("海南省人民政府", "海南省"),
    } <= located
    # a body the lexicon knows by its whole name, and an information platform, lie nowhere
    assert not {s for s, _ in located} & {"上海合作组织", "重庆市物流信息平台"}


def test_lines_of_finance_whose_bodies_the_zone_sets_up_are_its_focus(extract: Extract) -> None:
    focus = triples(
        extract(
            "中国（重庆）自由贸易试验区条例\n第三十一条 自贸试验区支持依法设立下列金融机构：\n"
            "（四）在区内设立内外资再保险、外资健康保险等机构；\n"
        ),
        "focusesOnSector",
    )
    zone = "中国（重庆）自由贸易试验区"
    assert {(zone, "内外资再保险"), (zone, "外资健康保险")} <= focus


def test_a_report_that_names_its_city_s_zone_in_one_paragraph_is_not_about_it(
    extract: Extract,
) -> None:
    zone = "中国（上海）自由贸易试验区"
    zone_paragraph = f"深化{zone}改革，{zone}推出新举措，{zone}开放水平提升。"
    others = ["推进城市更新，提升公共服务水平。"] * 12
    text = "\n".join(["政府工作报告", zone_paragraph, *others, "大力发展文化创意产业。"])
    focus = triples(extract(text), "focusesOnSector")
    assert not any("自由贸易试验区" in s for s, _ in focus)


def test_an_item_of_a_report_s_list_does_not_take_its_sibling_s_zone(extract: Extract) -> None:
    text = "\n".join(
        [
            "政府工作报告",
            "过去一年，我们主要做了以下工作：",
            "（五）持续扩大高水平开放。加快中国（广西）自由贸易试验区首创式探索，推动跨境金融创新。",
            "（九）扎实保障和改善民生，积极发展社会事业。",
        ]
    )
    focus = triples(extract(text), "focusesOnSector")
    assert ("中国（广西）自由贸易试验区", "社会事业") not in focus


def test_an_area_one_story_names_is_no_topic_of_the_story_under_the_next_headline(
    extract: Extract,
) -> None:
    lines = [
        "=== 20260822 | 国内联播快讯",
        "“十五五”期间上海临港新片区将形成3个千亿级制造业集群",
        "昨天，上海自贸区临港新片区发布“十五五”规划。到“十五五”末，上海临港新片区将形成3个千亿级制造业集群。",
        "多部国产电影海外持续热映",
        "今年以来，已有多部国产影片在海外持续热映。其中，《星河之约》海外票房已经超过1亿元。",
    ]
    linked = triples(in_news_file(extract, *lines), "linkedWith")
    assert ("临港新片区", "“十五五”规划") in linked
    assert ("临港新片区", "星河之约") not in linked


def test_a_zone_a_verb_governs_is_no_topic_of_the_sentences_after_it(extract: Extract) -> None:
    lines = [
        "=== 20260822 | 全会公报",
        "全会提出，实施自由贸易试验区提升战略，加快建设海南自由贸易港。"
        "要积极发展数字贸易，推动共建“一带一路”高质量发展。",
    ]
    ex = in_news_file(extract, *lines)
    port = "海南自由贸易港"
    assert (port, "数字贸易") not in triples(ex, "focusesOnSector")
    assert (port, "一带一路") not in triples(ex, "supports")


def test_a_meeting_is_the_subject_of_what_it_heard(extract: Extract) -> None:
    port = "海南自由贸易港"
    ex = in_news_file(
        extract,
        "=== 20260822 | 全国人大常委会举行会议",
        f"{port}建设取得新进展，{port}将加快发展旅游业。"
        "会议听取了关于《中华人民共和国和巴拿马共和国引渡条约》的说明。",
    )
    assert (port, "旅游业") in triples(ex, "focusesOnSector")
    assert not [o for s, o in triples(ex, "linkedWith") if s == port and "条约" in o]


def test_the_free_trade_port_focuses_on_sectors_and_faces_countries(extract: Extract) -> None:
    lines = [
        "=== 20260822 | 海南开放",
        "海南自由贸易港大力发展旅游业、现代服务业。海南自由贸易港面向东盟国家和新加坡开放。",
    ]
    ex = in_news_file(extract, *lines)
    port = "海南自由贸易港"
    assert {(port, "旅游业"), (port, "现代服务业")} <= triples(ex, "focusesOnSector")
    assert (port, "新加坡") in triples(ex, "facesCountry")


def test_a_zone_taken_as_a_means_is_no_subject_of_the_clause_after(extract: Extract) -> None:
    lines = [
        "=== 20260822 | 吉林扩大开放",
        "吉林省高质量建设沿边开发开放平台，借力海南自贸港政策和RCEP机制，突出发展数字贸易、绿色贸易。",
    ]
    ex = in_news_file(extract, *lines)
    assert not [s for s, _ in triples(ex, "focusesOnSector") if "海南" in s]


def test_a_story_that_moves_to_another_province_leaves_the_zone_behind(extract: Extract) -> None:
    lines = [
        "=== 20260822 | 多地扩大开放",
        "江苏自贸试验区推出新举措，大力发展生物医药。",
        "在湖北，襄阳综合保税区正式封关运营，积极发展跨境电商。",
    ]
    ex = in_news_file(extract, *lines)
    zone = "中国（江苏）自由贸易试验区"
    assert (zone, "生物医药") in triples(ex, "focusesOnSector")
    assert (zone, "襄阳综合保税区") not in triples(ex, "linkedWith")


def test_a_zone_a_long_item_has_not_named_for_paragraphs_is_no_longer_its_topic(
    extract: Extract,
) -> None:
    later = ["推进城市更新，提升公共服务水平。"] * 3
    lines = [
        "=== 20260822 | 福建",
        "福建自贸试验区推出新举措。",
        *later,
        "积极发展林下经济。",
    ]
    focus = triples(in_news_file(extract, *lines), "focusesOnSector")
    assert ("中国（福建）自由贸易试验区", "林下经济") not in focus


def test_a_place_a_long_item_has_not_named_for_paragraphs_is_no_longer_its_topic(
    extract: Extract,
) -> None:
    later = ["推进城市更新，提升公共服务水平。"] * 3
    lines = ["=== 20260822 | 长江", "长江经济带推动绿色发展。", *later, "积极发展林下经济。"]
    focus = triples(in_news_file(extract, *lines), "focusesOnSector")
    assert not [pair for pair in focus if pair[1] == "林下经济"]
    near = triples(in_news_file(extract, *lines[:2], "积极发展林下经济。"), "focusesOnSector")
    assert ("长江经济带", "林下经济") in near


def test_where_a_meeting_is_held_is_no_topic_and_no_part_of_a_name(extract: Extract) -> None:
    meeting = "中共中央政治局7月30日在北京召开会议。会议指出，要大力发展人工智能。"
    visit = "国家副主席韩正在北京会见伊斯兰合作组织秘书长。"
    ex = in_news_file(extract, "=== 20260730 | 会议", meeting, visit)
    assert ("北京市", "人工智能") not in triples(ex, "focusesOnSector")
    bodies = {m.entity.label for m in ex.mentions if m.entity.cls == "Organization"}
    assert "伊斯兰合作组织" in bodies


def test_a_port_written_after_its_place_lies_there(extract: Extract) -> None:
    ex = extract("深入推进川南临港片区国家对外开放口岸建设。在中越边境的凭祥友谊关口岸试行新模式。")
    located = triples(ex, "locatedIn")
    assert ("国家对外开放口岸", "川南临港片区") in located
    assert ("友谊关口岸", "凭祥") in located


def test_a_digest_whose_first_item_names_a_zone_is_about_no_zone(extract: Extract) -> None:
    ex = extract(
        "=== 上海自贸试验区新举措\n上海自贸试验区推出新举措。\n=== 另一条\n"
        "天津自贸试验区扩大开放。福建自贸试验区、广东自贸试验区加快建设。"
        "海关负责监管。"
    )
    assert not {s for s, _ in triples(ex, "supports")} & {"海关"}
    assert not triples(ex, "linkedWith") & {
        ("中国（上海）自由贸易试验区", "中国（天津）自由贸易试验区")
    }


def test_programmes_listed_before_a_reform_are_parts_of_it(extract: Extract) -> None:
    ex = extract(
        "自贸试验区推进证照分离、多证合一、一照一码等商事制度改革。"
        "自贸试验区探索以资本项目可兑换为重点的外汇管理改革。"
        "海关、边防、金融、税务等部门驻自贸试验区的工作机构依法履行职责。"
    )
    parts = triples(ex, "partOf")
    assert {("证照分离", "商事制度改革"), ("资本项目可兑换", "外汇管理改革")} <= parts
    assert {("海关", "工作机构"), ("税务", "工作机构")} <= parts


def test_a_zones_document_ties_it_to_the_alliances_it_sets_up(extract: Extract) -> None:
    ex = extract(
        "中国（湖北）自由贸易试验区条例\n"
        "第一条 为了推进中国（湖北）自由贸易试验区（以下简称自贸试验区）建设，制定本条例。\n"
        "第二条 自贸试验区加强与沿海沿江港口合作，建立跨区域港口联盟、港航联盟。"
    )
    zone = "中国（湖北）自由贸易试验区"
    assert {(zone, "跨区域港口联盟"), (zone, "港航联盟")} <= triples(ex, "linkedWith")


def test_who_issued_a_document_and_where_a_zone_stands(extract: Extract) -> None:
    issued = extract(
        "国务院印发《中国（新疆）自由贸易试验区总体方案》。"
        "市人民政府2015年4月17日公布的《中国（天津）自由贸易试验区管理办法》同时废止。"
    )
    authors = triples(issued, "authorOf")
    assert ("国务院", "中国（新疆）自由贸易试验区总体方案") in authors
    assert ("市人民政府", "中国（天津）自由贸易试验区管理办法") in authors
    placed = extract("中国（四川）自由贸易试验区应当以制度创新为核心，立足内陆、承东启西。")
    assert ("中国（四川）自由贸易试验区", "内陆地区") in triples(placed, "locatedIn")


def test_the_countries_along_a_programme_are_one_partner_of_it(extract: Extract) -> None:
    ex = extract(
        "中国（湖北）自由贸易试验区推进与“一带一路”沿线国家和地区在海关等方面的合作。"
        "加强与丝绸之路经济带和二十一世纪海上丝绸之路沿线国家协同开放。"
    )
    assert {m.entity.label for m in ex.mentions if m.entity.cls == "Country"} == {"沿线国家"}
    involved = triples(ex, "involvesCountry")
    assert {("一带一路", "沿线国家"), ("丝绸之路经济带", "沿线国家")} <= involved
    assert ("中国（湖北）自由贸易试验区", "沿线国家") in triples(ex, "facesCountry")


def test_a_regulation_works_with_the_partners_of_its_subjectless_clauses(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（辽宁）自由贸易试验区条例\n第一条 为了推进中国（辽宁）自由贸易试验区建设，制定本条例。\n"
        "第二条 推进与俄罗斯在海关、认证认可等方面的合作与交流。"
    )
    assert ("中国（辽宁）自由贸易试验区", "俄罗斯") in triples(ex, "facesCountry")


def test_a_zone_is_linked_with_the_ports_its_ships_use(extract: Extract) -> None:
    ex = extract(
        "中国（天津）自由贸易试验区实行以“天津东疆”为船籍港的国际船舶登记制度。"
        "中国（天津）自由贸易试验区支持符合条件的船舶在国内沿海港口与天津港之间开展沿海捎带业务。"
    )
    linked = triples(ex, "linkedWith")
    assert {
        ("中国（天津）自由贸易试验区", "天津东疆"),
        ("中国（天津）自由贸易试验区", "天津港"),
    } <= linked


def test_a_zone_named_in_passing_keeps_only_its_own_paragraph(extract: Extract) -> None:
    ex = extract(
        "加快中国（广西）自由贸易试验区首创式探索。\n\n"
        "（九）扎实保障和改善民生。大力发展新能源汽车产业。\n\n"
        "中国（云南）自由贸易试验区采取下列措施：\n（一）发展跨境电子商务；\n（二）发展数字贸易。"
    )
    sectors = triples(ex, "focusesOnSector")
    assert not {s for s, o in sectors if o == "新能源汽车"}
    assert {
        ("中国（云南）自由贸易试验区", "跨境电子商务"),
        ("中国（云南）自由贸易试验区", "数字贸易"),
    } <= sectors


def test_a_text_about_the_free_trade_port_alone_is_about_it_throughout(extract: Extract) -> None:
    ex = extract(
        "中共中央 国务院印发《海南自由贸易港建设总体方案》\n"
        "海南自由贸易港建设要体现中国特色，对接国际经贸规则。海南自由贸易港建设要服务国家重大战略。\n\n"
        "坚持高水平开放带动改革，推进制度型开放。"
    )
    assert ("海南自由贸易港", "制度型开放") in triples(ex, "supports")


def test_a_place_inside_a_name_is_no_topic_of_the_clauses_after_it(extract: Extract) -> None:
    ex = extract(
        "中国（河南）自由贸易试验区涵盖郑州片区（含河南郑州出口加工区A区、河南保税物流中心）。"
        "建设服务于“一带一路”建设的现代综合交通枢纽。"
    )
    subjects = {r.subject.label for r in ex.relations if r.object.label == "一带一路"}
    assert subjects == {"中国（河南）自由贸易试验区"}
    assert "河南郑州出口加工区" in {m.entity.label for m in ex.mentions}


def test_a_region_links_with_platforms_only_in_its_own_sentence(extract: Extract) -> None:
    ex = extract("内蒙古要推动沿边地区开发开放。建设海外仓和跨境经济合作区。")
    assert not {o for s, o in triples(ex, "linkedWith") if s in ("沿边地区", "内蒙古自治区")}


def test_a_place_that_is_the_object_of_a_verb_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "中国（广东）自由贸易试验区条例\n第四条 自贸试验区应当依托港澳、服务内地、面向世界，"
        "建设成为粤港澳深度合作示范区和全国新一轮改革开放先行地。"
    )
    positions = triples(ex, "hasPosition")
    assert ("中国（广东）自由贸易试验区", "全国新一轮改革开放先行地") in positions or (
        "中国（广东）自由贸易试验区",
        "新一轮改革开放先行地",
    ) in positions
    assert not {s for s, _ in positions if s == "内地"}


def test_the_items_of_a_list_take_the_verb_of_its_lead(extract: Extract) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区条例\n第二十一条 自贸试验区重点发展下列产业和项目：\n"
        "（一）生物医药；\n（二）建设口岸物流园区，完善配套设施；\n"
        "第二十二条 海关应当为区内的下列贸易业务建立便利化的监管制度：\n（一）转口贸易；\n"
    )
    sectors = {o for s, o in triples(ex, "focusesOnSector") if s == ZONE}
    assert {"生物医药", "转口贸易"} <= sectors


def test_an_item_with_a_verb_of_its_own_does_not_take_the_leads(extract: Extract) -> None:
    ex = extract(
        "第二十六条 自贸试验区通过以下方式推进贸易转型升级：\n"
        "（一）打造产业梯度转移的国际加工基地，完善全流程产业链；\n"
    )
    assert not {s for s, o in triples(ex, "linkedWith") if o == "国际加工基地"} - {ZONE}


def test_a_place_named_in_one_article_is_no_subject_of_the_next(extract: Extract) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区条例\n"
        "第一条 为了推进和保障中国（内蒙古）自由贸易试验区建设，结合本自治区实际，制定本条例。\n"
        "第三条 实施“一带一路”倡议，推动改革创新。\n"
    )
    assert "内蒙古自治区" not in {s for s, _ in triples(ex, "supports")}


def test_a_regulation_is_linked_with_the_plan_it_is_made_under(extract: Extract) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区条例\n\n2025年3月1日 内蒙古自治区第十四届人民代表大会"
        "常务委员会第十五次会议通过\n\n第一章 总则\n\n第一条\n为了推进自贸试验区建设，根据有关法律、"
        "法规和国务院批准的《中国（内蒙古）自由贸易试验区总体方案》，结合本自治区实际，制定本条例。\n"
    )
    title = f"{ZONE}条例"
    assert (title, f"{ZONE}总体方案") in triples(ex, "linkedWith")
    # an adoption line with no brackets and a space after its date names its body too
    assert ("内蒙古自治区第十四届人民代表大会常务委员会", title) in triples(ex, "authorOf")


def test_a_broad_region_written_onto_a_sector_is_no_subject(extract: Extract) -> None:
    ex = extract("中国（重庆）自由贸易试验区条例\n第二十六条 （一）促进内陆加工贸易发展；\n")
    assert "内陆地区" not in {s for s, _ in triples(ex, "focusesOnSector")}


def test_a_place_in_brackets_inside_a_name_is_no_partner(extract: Extract) -> None:
    ex = extract(
        "中国（重庆）自由贸易试验区条例\n"
        "第三十五条 自贸试验区推动中欧班列（重庆）国际铁路大通道综合功能拓展。\n"
    )
    assert "重庆市" not in {o for _, o in triples(ex, "linkedWith")}


def test_a_broad_region_is_the_subject_of_its_own_sentence_at_most(extract: Extract) -> None:
    ex = extract(
        "内蒙古要推动沿边地区开发开放。发展跨境电商。发挥内陆国际物流枢纽功能，推进“一带一路”建设。"
    )
    subjects = {s for s, _ in triples(ex, "focusesOnSector") | triples(ex, "supports")}
    assert not subjects & {"沿边地区", "内陆地区"}


def test_places_that_qualify_a_noun_are_no_subject_of_its_clauses(extract: Extract) -> None:
    ex = extract(
        "中国（四川）自由贸易试验区条例\n第三十条 符合条件的香港特别行政区、澳门特别行政区、"
        "台湾地区和内地机构可以在自贸试验区设立融资租赁公司，开展境内外融资租赁业务。\n"
    )
    subjects = {s for s, _ in triples(ex, "focusesOnSector")}
    assert subjects == {"中国（四川）自由贸易试验区"}


def test_a_zone_is_linked_with_the_regions_it_works_in_concert_with(extract: Extract) -> None:
    ex = extract(
        "中国（四川）自由贸易试验区条例\n第五条 自贸试验区建设与东部产业配套协作的高端制造业基地。\n"
    )
    assert ("中国（四川）自由贸易试验区", "东部地区") in triples(ex, "linkedWith")


def test_a_regulation_ties_its_zone_to_the_regions_its_articles_name(extract: Extract) -> None:
    ex = extract(
        "中国（天津）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，结合本市实际，制定本条例。\n"
        "第二条 本条例适用于中国（天津）自由贸易试验区。\n"
        "第二十一条 鼓励外籍和港澳台地区专业服务人员在自贸试验区内依照国家有关规定开展相关业务。\n"
    )
    linked = {o for s, o in triples(ex, "linkedWith") if s == "中国（天津）自由贸易试验区"}
    assert "港澳台地区" in linked
    assert "天津市" not in linked  # the city it lies in is no partner


def test_a_free_trade_port_a_zone_is_to_explore_is_a_proposed_zone(extract: Extract) -> None:
    ex = extract(
        "中国（四川）自由贸易试验区条例\n第三条 自贸试验区应当积极探索建设符合内陆开放发展定位的"
        "自由贸易港。高标准建设海南自由贸易港。\n"
    )
    proposed = {m.entity.label for m in ex.mentions if m.entity.cls == "ProposedZone"}
    assert proposed == {"自由贸易港"}
    assert ("中国（四川）自由贸易试验区", "自由贸易港") in triples(ex, "linkedWith")


def test_cities_before_their_governments_are_no_subject(extract: Extract) -> None:
    ex = extract(
        "中国（山东）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第九条 省人民政府和济南市、青岛市人民政府应当引导资源向自贸试验区聚集，"
        "重点发展海洋生物医药产业。\n"
    )
    subjects = {s for s, _ in triples(ex, "focusesOnSector")}
    assert subjects == {"中国（山东）自由贸易试验区"}


def test_a_zone_is_linked_with_the_facilities_that_belong_to_it(extract: Extract) -> None:
    ex = extract(
        "中国（天津）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第九条 自贸试验区实施有关税收政策；其所属的天津东疆保税港区执行相应政策。\n"
    )
    assert ("中国（天津）自由贸易试验区", "天津东疆保税港区") in triples(ex, "linkedWith")


def test_the_province_a_zone_lies_in_is_no_partner_of_it(extract: Extract) -> None:
    ex = extract("努力将湖南自贸试验区打造成为湖南融入国内国际双循环的重要枢纽，加强与东盟合作。")
    linked = {o for s, o in triples(ex, "linkedWith") if s == "中国（湖南）自由贸易试验区"}
    assert "湖南省" not in linked


def test_a_news_item_that_names_no_zone_is_not_about_the_digest_zone(extract: Extract) -> None:
    ex = extract(
        "=== 20240101 | 国务院印发《中国（上海）自由贸易试验区深化改革方案》\n"
        "国务院日前印发《中国（上海）自由贸易试验区深化改革方案》，推动中国（上海）自由贸易试验区"
        "发展离岸贸易。\n\n"
        "=== 20240102 | 两部门发布意见\n"
        "两部门近日发布意见，要推动货物贸易优化升级，支持数字贸易创新发展。\n"
    )
    sectors = {o for s, o in triples(ex, "focusesOnSector")}
    assert "离岸贸易" in sectors
    assert not {"货物贸易", "数字贸易"} & sectors


def test_an_area_is_linked_with_the_base_laid_out_in_it(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第九条 自贸试验区在舟山离岛片区布局形成大型粮食储运基地。\n"
    )
    assert ("舟山离岛片区", "大型粮食储运基地") in triples(ex, "linkedWith")


def test_every_partner_listed_after_yu_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "中国（福建）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第六条 自贸试验区应当加强与香港、澳门在金融、航运等领域的合作。\n"
    )
    subjects = {s for s, _ in triples(ex, "focusesOnSector")}
    assert subjects <= {"中国（福建）自由贸易试验区"}


def test_a_sentence_that_opens_with_the_zone_unnamed_is_the_zone_s(extract: Extract) -> None:
    ex = extract(
        "中国（广西）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第五条 自贸试验区应当推进西部陆海新通道建设，支持凭祥、东兴等口岸建设，"
        "深化与越南、泰国在跨境物流等领域的合作。\n"
    )
    faces = triples(ex, "facesCountry")
    assert {("中国（广西）自由贸易试验区", "越南"), ("中国（广西）自由贸易试验区", "泰国")} <= faces
    assert not [s for s, _ in faces if s != "中国（广西）自由贸易试验区"]


def test_where_something_goes_is_no_topic_of_what_follows(extract: Extract) -> None:
    ex = extract("中欧班列从这里发往中亚国家和欧洲各地。有关部门将深入实施自由贸易试验区提升战略。")
    assert not {
        (r.subject.label, r.object.label)
        for r in ex.relations
        if r.subject.label in {"中亚", "欧洲"} and r.predicate == "supports"
    }


def test_an_international_body_a_zone_works_with_is_linked_with_it(extract: Extract) -> None:
    ex = extract(
        "中国（云南）自由贸易试验区应当加强与东盟国家在物流、农业等领域的合作。"
        "自贸试验区推动欧盟企业来华投资合作。"
    )
    linked = triples(ex, "linkedWith")
    assert ("中国（云南）自由贸易试验区", "东盟") in linked
    assert ("中国（云南）自由贸易试验区", "欧盟") not in linked, "欧盟 is no partner here"


def test_a_facility_governed_in_an_earlier_clause_faces_no_partner(extract: Extract) -> None:
    ex = extract(
        "中国（云南）自由贸易试验区条例\n第五条　推动中老铁路沿线开发，扩大与泰国、柬埔寨等国家的经贸往来。"
    )
    faces = triples(ex, "facesCountry")
    assert ("中老铁路", "泰国") not in faces
    assert ("中国（云南）自由贸易试验区", "泰国") in faces


def test_a_pilot_programme_a_zone_carries_out_is_one_it_supports(extract: Extract) -> None:
    ex = extract(
        "中国（湖北）自由贸易试验区条例\n第九条　在自贸试验区开展企业年金跨境投资管理试点，"
        "开展离岸贸易试点，整县推进公共机构节能试点。"
    )
    assert ("中国（湖北）自由贸易试验区", "企业年金跨境投资管理") in triples(ex, "supports")
    initiatives = {m.entity.label for m in ex.mentions if m.entity.cls == "Initiative"}
    assert not {i for i in initiatives if "推进" in i}, "a clause is no programme's name"
    assert "离岸贸易" in {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}


def test_a_zone_s_extent_speaks_of_the_zone(extract: Extract) -> None:
    ex = extract(
        "中国（北京）自由贸易试验区的实施范围119.68平方公里，涵盖科技创新片区、国际商务服务片区和高端产业片区。"
        "浙江自贸试验区扩展区域包括宁波片区、杭州片区。"
    )
    assert ("中国（北京）自由贸易试验区", "高端产业片区") in triples(ex, "hasArea")


def test_a_regulation_is_about_its_title_s_zone_though_it_names_others_more(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（江西）自由贸易试验区条例\n\n"
        "第一条　为了推进和保障中国（江西）自由贸易试验区建设，制定本条例。\n\n"
        "第二条　自贸试验区应当服务“一带一路”建设，重点发展先进制造业。\n\n"
        "第三条　自贸试验区应当推动与上海、江苏、浙江自贸试验区开展合作。"
    )
    assert ("中国（江西）自由贸易试验区", "一带一路") in triples(ex, "supports")
    assert ("中国（江西）自由贸易试验区", "先进制造业") in triples(ex, "focusesOnSector")


def test_a_regulation_without_a_title_is_about_the_zone_its_first_article_names(
    extract: Extract,
) -> None:
    ex = extract(
        "第一章　总则\n\n"
        "第一条　为了推进和保障中国（江西）自由贸易试验区建设，制定本条例。\n\n"
        "第二条　自贸试验区应当服务“一带一路”建设，重点发展先进制造业。\n\n"
        "第三条　自贸试验区应当推动与上海、江苏、浙江自贸试验区开展合作。"
    )
    assert ("中国（江西）自由贸易试验区", "先进制造业") in triples(ex, "focusesOnSector")


def test_a_place_inside_a_listed_object_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "中国（江苏）自由贸易试验区条例\n第六条 连云港片区打造东北亚国际航运枢纽、东部沿海"
        "重要的创新中心、海洋经济发展示范区。\n"
        "第七条 自贸试验区肩负着打造高质量发展示范样板、构建新疆融入国内国际双循环重要枢纽"
        "的使命。\n"
    )
    held = triples(ex, "hasPosition")
    assert ("连云港片区", "海洋经济发展示范区") in held
    assert not {s for s, _ in held} & {"东部地区", "沿海地区"}
    # the place inside the role the zone is charged with is no subject either
    assert {s for s, o in triples(ex, "supports") if o == "国内国际双循环"} == {
        "中国（江苏）自由贸易试验区"
    }


def test_a_programme_involves_only_the_countries_of_its_own_clause(extract: Extract) -> None:
    ex = extract(
        "中国（吉林）自由贸易试验区条例\n第二条 本条例适用于中国（吉林）自由贸易试验区（以下简称"
        "自贸试验区）。\n第三条 自贸试验区以切实维护国家边境安全为首要任务，以对"
        "俄罗斯及东北亚区域合作为重点，推动东北全面振兴全方位振兴，建成营商环境优良、贸易投资便利"
        "的高质量自由贸易园区，打造对俄罗斯及东北亚区域合作的中心枢纽。\n"
    )
    assert ("东北全面振兴", "俄罗斯") not in triples(ex, "involvesCountry")
    assert ("中国（吉林）自由贸易试验区", "俄罗斯") in triples(ex, "facesCountry")


def test_a_known_programme_named_as_a_strategy_is_the_programme(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第三条 自贸试验区推动西部大开发战略深入实施，"
        "服务国家向北开放战略。\n"
    )
    labels = {m.entity.label for m in ex.mentions if m.entity.cls == "Initiative"}
    assert labels == {"西部大开发", "向北开放"}


def test_what_an_opening_zuowei_clause_names_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "作为我国西北沿边地区首个自贸试验区，新疆自贸试验区肩负着构建新疆融入国内国际双循环"
        "重要枢纽的使命。"
    )
    supporters = {s for s, o in triples(ex, "supports") if o == "国内国际双循环"}
    assert supporters == {"中国（新疆）自由贸易试验区"}


def test_a_trigger_inside_a_sector_s_name_makes_no_platform_support_it(extract: Extract) -> None:
    ex = extract(
        "中国（重庆）自由贸易试验区条例\n第五条 两江片区着力打造高端产业与高端要素集聚区，重点发展"
        "总部贸易、专业服务、融资租赁等现代服务业。\n"
    )
    assert ("两江片区", "专业服务") in triples(ex, "focusesOnSector")
    assert not {o for s, o in triples(ex, "supports") if s.endswith("集聚区")}


def test_a_body_named_after_an_area_serves_that_area_alone(extract: Extract) -> None:
    ex = extract(
        "中国（广东）自由贸易试验区条例\n第五条 广州南沙新区片区管理委员会、深圳前海蛇口片区管理"
        "委员会负责片区的具体管理工作。\n"
    )
    served = triples(ex, "supports")
    assert ("深圳前海蛇口片区管理委员会", "深圳前海蛇口片区") in served
    assert ("广州南沙新区片区管理委员会", "深圳前海蛇口片区") not in served


def test_the_group_a_list_of_partners_closes_with_is_no_subject(extract: Extract) -> None:
    ex = extract(
        "中国（江苏）自由贸易试验区条例\n第八条 支持连云港港与哈萨克斯坦等中亚国家开展物流合作，"
        "推进中哈（连云港）物流合作基地建设。\n"
    )
    assert not {s for s, _ in triples(ex, "linkedWith") if s == "中亚"}


def test_the_body_the_news_comes_from_acts_in_none_of_its_clauses(extract: Extract) -> None:
    ex = extract(
        "记者从河南省商务厅获悉：今年前三季度，郑州、开封、洛阳三个片区完成进出口总额1260亿元。"
    )
    assert not {o for s, o in triples(ex, "supports") if s == "河南省商务厅"}


def test_a_body_set_up_with_a_duty_serves_the_zone_whatever_its_commas(extract: Extract) -> None:
    text = (
        "中国（广西）自由贸易试验区条例\n第四条 自治区人民政府建立自贸试验区工作领导小组，"
        "统筹研究决定自贸试验区改革发展重大问题。\n"
    )
    for variant in (text, text.replace("，", ",")):
        served = triples(extract(variant), "supports")
        assert ("自贸试验区工作领导小组", "中国（广西）自由贸易试验区") in served


def test_a_region_written_onto_a_line_of_trade_qualifies_it(extract: Extract) -> None:
    ex = extract(
        "中国（湖南）自由贸易试验区条例\n第七条 自贸试验区探索开展非洲非资源性产品集散交易加工，"
        "支持建设中非跨境人民币中心。\n"
    )
    assert not {s for s, _ in triples(ex, "focusesOnSector") | triples(ex, "linkedWith")} & {"非洲"}


def test_an_item_opened_by_a_preposition_is_a_clause_of_its_own(extract: Extract) -> None:
    ex = extract(
        "中国人民银行将推出政策举措，包括在临港新片区开展离岸贸易金融服务综合改革试点、"
        "在上海设立数字人民币国际运营中心等。"
    )
    assert ("上海市", "数字人民币国际运营中心") in triples(ex, "linkedWith")


def test_national_programmes_a_regulation_names_are_supported(extract: Extract) -> None:
    ex = extract(
        "中国（山东）自由贸易试验区应当围绕建设海洋强国的战略要求，加快推进新旧动能接续转换。"
        "推行“双随机、一公开”监管，推进内地与香港基金产品互认。"
    )
    initiatives = {m.entity.label for m in ex.mentions if m.entity.cls == "Initiative"}
    assert {"海洋强国", "新旧动能转换", "双随机、一公开", "内地与香港基金产品互认"} <= initiatives
    assert ("内地与香港基金产品互认", "香港特别行政区") in triples(ex, "linkedWith")
    assert ("内地与香港基金产品互认", "内地") in triples(ex, "linkedWith")


def test_background_of_names_countries_provinces_and_the_zone_s_country(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（山东）自由贸易试验区建设中日韩消费专区、中非经贸合作先行区。"
        "海关、海事、边检、外汇、金融、税务等中央驻鲁单位，依法履行相关职责。鼓励在川高校开展合作。"
    )
    involved = triples(ex, "involvesCountry")
    assert {("中日韩消费专区", "日本"), ("中日韩消费专区", "韩国")} <= involved
    assert not {o for s, o in involved if s == "中非经贸合作先行区"} - {"中国"}  # 非洲: a region
    located = triples(ex, "locatedIn")
    assert ("中国（山东）自由贸易试验区", "中国") in located
    assert {("中央驻鲁单位", "山东省"), ("在川高校", "四川省")} <= located
    assert ("边检", "中央驻鲁单位") in triples(ex, "partOf")


def test_areas_named_with_the_zone_s_word_are_the_subject(extract: Extract) -> None:
    ex = extract(
        "中国（山东）自由贸易试验区（以下简称自贸试验区）包括济南片区、青岛片区、烟台片区。"
        "自贸试验区青岛片区、烟台片区应当重点发展海洋特色产业，推动海洋经济高质量发展。"
    )
    sectors = triples(ex, "focusesOnSector")
    assert {("青岛片区", "海洋经济"), ("烟台片区", "海洋经济")} <= sectors
    assert ("中国（山东）自由贸易试验区", "海洋经济") not in sectors


def test_partners_joined_by_a_dash_open_a_platform_s_name(extract: Extract) -> None:
    ex = extract("南宁片区推进中国—东盟人工智能创新合作中心建设，设立广西政府投资基金。")
    assert ("中国—东盟人工智能创新合作中心", "中国") in triples(ex, "involvesCountry")
    assert ("中国—东盟人工智能创新合作中心", "东盟") in triples(ex, "linkedWith")
    assert not {o for s, o in triples(ex, "linkedWith") if s == "广西政府投资基金"}


def test_a_programme_s_full_name_and_rules_joined_to_the_laws(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区深化简政放权、放管结合、优化服务改革，稳步推进人民币国际化，"
        "按照法律法规和国际通行规则办理，对接国际投资和贸易通行规则。"
    )
    supported = {o for s, o in triples(ex, "supports")}
    assert {"放管服改革", "人民币国际化"} <= supported
    agreements = {m.entity.label for m in ex.mentions if m.entity.cls == "Agreement"}
    assert {"国际通行规则", "国际投资和贸易通行规则"} <= agreements
    assert "法律法规和国际通行规则" not in agreements


def test_bodies_established_sent_out_or_serving_another_are_its_parts(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区条例\n第六条 省人民政府建立自贸试验区议事协调机构，负责组织领导。"
        "自贸试验区议事协调机构的办事机构设在省商务主管部门。\n"
        "第七条 中国（浙江）自由贸易试验区管理委员会（以下简称管委会）作为省人民政府的派出机构，"
        "负责自贸试验区建设。\n"
        "第九条 海关、检验检疫、海事、边检、海警、金融监管、国家税务等部门驻自贸试验区的工作机构"
        "（以下统称驻区工作机构），依法履行相关行政管理职责。\n"
    )
    parts = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "partOf"}
    assert {
        ("自贸试验区议事协调机构", "省人民政府"),
        ("办事机构", "自贸试验区议事协调机构"),
        ("中国（浙江）自由贸易试验区管理委员会", "省人民政府"),
        ("海关", "工作机构"),
        ("海警", "工作机构"),
    } <= parts


def test_where_a_zone_is_set_up_is_where_it_lies(extract: Extract) -> None:
    ex = extract("第二条 国家在海南岛全岛设立海南自由贸易港。")
    lies = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "locatedIn"}
    assert ("海南自由贸易港", "海南岛") in lies


def test_what_an_area_makes_prominent_is_its_focus(extract: Extract) -> None:
    ex = extract(
        "中国（湖南）自由贸易试验区条例\n第十二条 长沙片区重点对接“一带一路”建设，突出临空经济。"
    )
    focus = {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "focusesOnSector"
    }
    assert ("长沙片区", "临空经济") in focus


def test_a_clause_opened_by_a_frame_verb_has_the_next_clauses_subject(
    extract: Extract,
) -> None:
    ex = extract(
        "聚焦数字经济等重点领域，天津、福建等地开展引领性探索；"
        "围绕大宗商品、生物医药等重点产业，浙江、江苏等地推动全产业链创新发展。"
    )
    focus = triples(ex, "focusesOnSector")
    assert {("浙江省", "生物医药"), ("江苏省", "生物医药"), ("天津市", "数字经济")} <= focus
    assert ("天津市", "生物医药") not in focus


def test_a_region_abroad_is_no_subject_of_the_sentences_after_it(extract: Extract) -> None:
    ex = extract("亚洲最大专业货运机场投入运营。加快发展跨境电商、数字贸易。")
    assert not {s for s, _ in triples(ex, "focusesOnSector")} & {"亚洲"}


def test_the_nations_goals_are_initiatives_a_zone_serves(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区以向北开放新优势服务中国式现代化建设，推动建设开放型世界经济。")
    assert {(ZONE, "中国式现代化"), (ZONE, "开放型世界经济")} <= triples(ex, "supports")


def test_a_corridor_keeps_the_partners_dashed_before_its_name(extract: Extract) -> None:
    ex = extract("积极推进广西—文莱经济走廊建设。")
    assert ("广西—文莱经济走廊", "文莱") in triples(ex, "involvesCountry")


def test_a_programme_the_text_names_is_tied_to_the_regions_it_is_named_after(
    extract: Extract,
) -> None:
    ex = extract("四川自贸试验区实施内陆与沿海沿边沿江协同开放战略。")
    linked = triples(ex, "linkedWith")
    assert ("内陆与沿海沿边沿江协同开放战略", "沿海地区") in linked


def test_a_sentence_that_opens_on_another_actor_takes_no_zone_from_before(
    extract: Extract,
) -> None:
    ex = in_news_file(
        extract,
        "=== 20250407 | 上海扩大开放",
        "上海自贸试验区推进制度型开放，建设国际再保险中心。",
        "虹桥国际中央商务区正主动对接国际高标准经贸规则，深化“丝路电商”辐射引领作用。",
        "今年，上海将推动出台特别政策措施，加快建设国际数据经济产业园。",
        "下一步，商务部将对接国际高标准经贸规则，发展服务贸易。",
        "今年，江苏计划组建创新联合体，大力发展现代服务业。",
    )
    zone_links = {r.object.label for r in ex.relations if r.subject.cls == "PilotFreeTradeZone"}
    assert "国际再保险中心" in zone_links
    assert (
        not {
            "国际数据经济产业园",
            "国际高标准经贸规则",
            "服务贸易",
            "虹桥国际中央商务区",
        }
        & zone_links
    )
    pairs = {(r.subject.label, r.object.label) for r in ex.relations}
    assert ("上海市", "国际数据经济产业园") in pairs
    # the province the sentence opens on is the subject of its later clauses
    assert ("江苏省", "现代服务业") in pairs
    assert "现代服务业" not in zone_links


def test_a_sentence_whose_subject_is_a_noun_of_its_own_takes_no_zone_from_before(
    extract: Extract,
) -> None:
    ex = in_news_file(
        extract,
        "=== 20260716 | 两国合作",
        "上海自贸试验区推进制度型开放，建设国际再保险中心。",
        "双方要推动贸易创新发展，培育跨境电商、服务贸易新业态。",
        "要发挥区位优势，深化同周边国家经贸合作，发展数字贸易。",
    )
    sectors = {
        r.object.label
        for r in ex.relations
        if r.subject.cls == "PilotFreeTradeZone" and r.predicate == "focusesOnSector"
    }
    # 双方 is the subject of its sentence; the one that opens on a verb is the zone's
    assert "跨境电子商务" not in sectors
    assert "数字贸易" in sectors


def test_a_site_or_body_set_up_in_a_place_stands_there(extract: Extract) -> None:
    ex = extract(
        "第十条 在舟山离岛片区布局形成大型油品储运基地。"
        "依法在自贸试验区设立司法机构。"
        "在上海自贸试验区临港新片区设立国际再保险中心和国际数据产业园。"
    )
    located = {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "locatedIn"
    }
    assert {
        ("大型油品储运基地", "舟山离岛片区"),
        ("国际再保险中心", "临港新片区"),
        ("国际数据产业园", "临港新片区"),
    } <= located
    assert any(s == "司法机构" for s, _ in located)


def test_a_zone_that_launches_a_programme_carries_it_out(extract: Extract) -> None:
    ex = extract("今天，海南自由贸易港正式启动全岛封关。")
    assert ("海南自由贸易港", "全岛封关运作") in triples(ex, "supports")


def test_a_programme_written_after_the_zone_s_name_is_the_zone_s(extract: Extract) -> None:
    ex = extract("海南自贸港封关运作以来，进口货物持续增长。")
    assert ("海南自由贸易港", "全岛封关运作") in triples(ex, "supports")


def test_a_news_sentence_that_names_china_speaks_of_the_nation(extract: Extract) -> None:
    lines = [
        "=== 20260823 | 开放",
        "海南自贸港推出新举措。",
        "今年以来，我国海上风电基地、核电基地等一批重大能源工程加速推进。",
    ]
    linked = triples(in_news_file(extract, *lines), "linkedWith")
    assert not [pair for pair in linked if pair[1] in ("核电基地", "海上风电基地")]
    lines[2] = "今年以来，加快推进核电基地建设。"  # the item's own zone, where China is not named
    linked = triples(in_news_file(extract, *lines), "linkedWith")
    assert ("海南自由贸易港", "核电基地") in linked


def test_a_zone_relies_on_a_government_programme(extract: Extract) -> None:
    ex = extract("重庆自贸试验区应当依托中新互联互通项目，深化与新加坡合作。")
    programme = "中新（重庆）战略性互联互通示范项目"
    assert programme in {m.entity.label for m in ex.mentions if m.entity.cls == "Initiative"}
    assert ("中国（重庆）自由贸易试验区", programme) in triples(ex, "supports")
