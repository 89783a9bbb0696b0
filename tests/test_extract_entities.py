"""Mentions: lexicon matches and the patterns that find entities the lexicon lacks."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def found(ex: Extraction, cls: str | None = None) -> set[str]:
    return {m.entity.label for m in ex.mentions if cls is None or m.entity.cls == cls}


def test_full_and_short_zone_names_are_one_zone(extract: Extract) -> None:
    ex = extract("中国（内蒙古）自由贸易试验区获批设立。内蒙古自贸试验区涵盖三大片区。")
    zones = {m.entity for m in ex.mentions if m.entity.cls == "PilotFreeTradeZone"}
    assert len(zones) == 1
    assert next(iter(zones)).label == "中国（内蒙古）自由贸易试验区"


def test_unknown_zone_from_the_pattern(extract: Extract) -> None:
    ex = extract("中国（北极）自由贸易试验区今天挂牌。")
    assert "中国（北极）自由贸易试验区" in found(ex, "PilotFreeTradeZone")


def test_enumerated_areas_share_the_head_noun(extract: Extract) -> None:
    ex = extract("实施范围119.74平方公里，涵盖呼和浩特、满洲里、二连浩特三大片区。")
    assert {"呼和浩特片区", "满洲里片区", "二连浩特片区"} <= found(ex, "Area")


def test_enumerated_ports_and_seaports(extract: Extract) -> None:
    ex = extract(
        "要依托二连浩特、满洲里等重点口岸，深化与俄蒙互联互通。加强与天津港、唐山港等港口陆海联动。"
    )
    assert {"二连浩特口岸", "满洲里口岸", "天津港", "唐山港"} <= found(ex, "Port")


def test_generic_port_words_are_not_ports(extract: Extract) -> None:
    ex = extract("推进数字口岸建设，全区陆路口岸货运量增长。")
    assert found(ex, "Port") == set()


def test_kinds_of_port_a_zone_links_with_are_ports(extract: Extract) -> None:
    ex = extract("深化与长江中下游港口合作，实现与沿海口岸的沟通合作，优化内陆无水港布局。")
    assert found(ex, "Port") == {"长江中下游港口", "沿海口岸", "内陆无水港"}


def test_ports_seen_visited_or_counted_are_no_kind_of_port(extract: Extract) -> None:
    ex = extract("习近平总书记深入港口考察。多个港口和我国口岸货量增长，推动产业园区到港口联运。")
    assert found(ex, "Port") == set()


def test_a_time_or_all_before_ports_is_no_part_of_their_name(extract: Extract) -> None:
    ex = extract(
        "习近平总书记高度重视现代化港口建设。今年一季度广州白云机场口岸出入境客流持续攀升。"
        "对进出伊朗所有港口的船只实施封锁。针对此前港口作业计划脱节的情况。"
        "国家对外开放口岸数量增加。上半年进出口银行加大信贷投放。"
    )
    assert found(ex, "Port") == {"广州白云机场", "广州白云机场口岸", "国家对外开放口岸"}
    assert "进出口银行" in found(ex, "Organization")


def test_country_compounds_give_each_country(extract: Extract) -> None:
    ex = extract("面对中蒙俄三国轨距标准不一的问题。美欧日主导的谈判。深化与俄蒙互联互通。")
    countries = found(ex, "Country")
    assert {"中国", "蒙古国", "俄罗斯", "美国", "日本"} <= countries


def test_single_character_country_after_a_preposition(extract: Extract) -> None:
    ex = extract("“十四五”期间我国对美出口下滑11.8%。")
    assert "美国" in found(ex, "Country")


def test_country_names_inside_words_are_not_countries(extract: Extract) -> None:
    ex = extract("企业增加纳税额。")
    assert "加纳" not in found(ex, "Country")


def test_aliases_resolve_to_one_entity(extract: Extract) -> None:
    ex = extract("我国虽已申请加入CPTPP和DEPA。积极申请加入《全面与进步跨太平洋伙伴关系协定》。")
    assert "中国" in found(ex, "Country")
    cptpp = {
        m.entity
        for m in ex.mentions
        if m.surface in ("CPTPP", "《全面与进步跨太平洋伙伴关系协定》")
    }
    assert len(cptpp) == 1


def test_counted_task_bundles(extract: Extract) -> None:
    ex = extract("《总体方案》提出的七个方面、19条具体措施和81项改革试点任务。")
    assert {"19条具体措施", "81项改革试点任务"} <= found(ex, "ReformTask")


def test_task_fields_of_a_task_bundle(extract: Extract) -> None:
    ex = extract(
        "围绕贸易节点、双向投资、国际大通道、特色产业体系、科技创新生态、内外合作、开放平台等七个领域，落实81项改革试点任务。"
    )
    assert found(ex, "TaskField") == {
        "贸易节点",
        "双向投资",
        "国际大通道",
        "特色产业体系",
        "科技创新生态",
        "内外合作",
        "开放平台",
    }
    covers = {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "coversField"
    }
    assert ("81项改革试点任务", "开放平台") in covers


def test_sectors_after_a_trigger_and_before_a_closer(extract: Extract) -> None:
    ex = extract(
        "呼和浩特片区重点发展新能源、新材料、生物医药、新一代信息技术等战略性新兴产业及绿色农畜产品加工、乳业等特色产业。"
    )
    assert {"新能源", "新材料", "生物医药", "新一代信息技术", "绿色农畜产品加工", "乳业"} <= found(
        ex, "Sector"
    )
    assert not any("片区" in label for label in found(ex, "Sector"))


def test_truncated_enumeration_item_is_not_a_sector(extract: Extract) -> None:
    ex = extract("呼和浩特片区重点发展乳业等特色产业，积极培育商贸物\n\n2026年4月，方案发布。")
    assert "商贸物" not in found(ex, "Sector")


def test_strategic_positions(extract: Extract) -> None:
    ex = extract(
        "内蒙古自贸试验区确定了打造“5个中心、1个战略高地、1个示范区域、1个战略支点”的战略定位。着力打造中蒙俄经济走廊核心枢纽和我国向北开放重要桥头堡。"
    )
    positions = found(ex, "StrategicPosition")
    assert {"5个中心", "1个战略高地", "中蒙俄经济走廊核心枢纽"} <= positions
    assert any(label.endswith("向北开放重要桥头堡") for label in positions)
    assert "中蒙俄经济走廊" in found(ex, "Initiative")  # kept inside the position phrase


def test_titles_and_the_document_alias(extract: Extract) -> None:
    ex = extract(
        "中国（内蒙古）自由贸易试验区获批设立，并发布《中国（内蒙古）自由贸易试验区总体方案》（以下简称《总体方案》）。"
        "《总体方案》提出要以制度创新为核心。相继提出《全球人工智能治理倡议》。"
    )
    plans = {m.entity for m in ex.mentions if m.entity.cls == "PolicyDocument"}
    assert [p.label for p in plans] == ["中国（内蒙古）自由贸易试验区总体方案"]
    assert "全球人工智能治理倡议" in found(ex, "Initiative")


def test_each_news_item_defines_its_own_short_title(extract: Extract) -> None:
    ex = extract(
        "=== 20231207 | 国务院印发上海方案\n"
        "国务院印发《全面对接国际高标准经贸规则推进中国（上海）自由贸易试验区高水平制度型开放总体方案》"
        "（以下简称《总体方案》）。《总体方案》提出80条措施。\n"
        "=== 20260409 | 国务院印发内蒙古方案\n"
        "国务院印发《中国（内蒙古）自由贸易试验区总体方案》。《总体方案》提出19个方面改革创新举措。\n"
    )
    later = [m for m in ex.mentions if m.surface == "《总体方案》"]
    assert [m.entity.label[:4] for m in later] == ["全面对接", "全面对接", "中国（内"]


def test_a_data_centre_is_a_facility(extract: Extract) -> None:
    ex = extract("支持自贸试验区充分发挥能源和气候优势建设数据中心，参与“东数西算”工程建设。")
    assert "数据中心" in found(ex, "Platform")
    assert "数据中心" not in found(ex, "Sector")


def test_platform_by_head_noun(extract: Extract) -> None:
    ex = extract("在绿色算力领域依托和林格尔数据中心集群，推动算力交易。")
    assert "和林格尔数据中心集群" in found(ex, "Platform")


def test_bylines_give_people_articles_and_organisations(extract: Extract) -> None:
    ex = extract(
        "制度创新赋能走廊建设\n\n□李四\n\n正文说明内蒙古自贸试验区的情况。\n\n(作者系国家发展改革委某研究中心副研究员)\n"
    )
    assert found(ex, "Person") == {"李四"}
    assert "制度创新赋能走廊建设" in found(ex, "Article")
    assert "国家发展改革委某研究中心" in found(ex, "Organization")
    predicates = {r.predicate for r in ex.relations}
    assert {"authorOf", "affiliatedWith"} <= predicates


def test_layout_noise_makes_no_junk_entities(extract: Extract) -> None:
    ex = extract("我国与共建“一带一路”国家贸易贸易额达23.6万亿元。是实现高质量发展发展的必然要求。")
    labels = found(ex)
    assert not any("贸易贸易" in label or "发展发展" in label for label in labels)


def test_every_mention_points_back_to_its_text(extract: Extract) -> None:
    ex = extract("内蒙古自贸试验区涵盖呼和浩特、满洲里、二连浩特三大片区，面向俄罗斯和蒙古国。")
    text = ex.document.text
    sentences = {s.index: s for s in ex.sentences}
    for m in ex.mentions:
        assert text[m.start : m.end] == m.surface
        s = sentences[m.sentence]
        assert s.start <= m.start and m.end <= s.end
        assert m.rule


def test_a_head_closing_a_word_is_not_a_list_of_ports(extract: Extract) -> None:
    # 贵港 is a city and 粤港澳 a region: neither makes 南宁 or 合肥 a port.
    for text in (
        "针对广西南宁、贵港等地暴雨洪涝灾害影响，国家调拨物资。",
        "在北京怀柔、上海张江、安徽合肥及粤港澳大湾区已形成了特色集群。",
    ):
        assert not [m for m in extract(text).mentions if m.entity.cls == "Port"], text


def test_places_listed_before_a_named_area_share_its_head(extract: Extract) -> None:
    ex = extract(
        "内蒙古自贸试验区涵盖呼和浩特、满洲里、二连浩特片区。加强满洲里、二连浩特口岸通关便利。"
    )
    assert {"呼和浩特片区", "满洲里片区", "二连浩特片区"} <= found(ex, "Area")
    assert {"满洲里口岸", "二连浩特口岸"} <= found(ex, "Port")
    assert "北京港" not in found(extract("北京、天津港合作。"), "Port")


def test_a_sector_that_qualifies_a_need_is_no_sector(extract: Extract) -> None:
    ex = extract("自贸试验区完善与跨境电商业务发展要求相适应的监管模式。")
    assert "跨境电子商务" not in found(ex, "Sector")


def test_the_services_of_a_known_sector_name_the_sector(extract: Extract) -> None:
    ex = extract("自贸试验区鼓励企业开展跨境融资租赁服务。")
    surfaces = {m.surface for m in ex.mentions if m.entity.cls == "Sector"}
    assert "跨境融资租赁" in surfaces and "跨境融资租赁服务" not in surfaces


def test_service_bodies_developed_name_their_service_sector(extract: Extract) -> None:
    ex = extract("自贸试验区培育会计、审计、税务咨询等财税服务机构。")
    assert "财税服务" in found(ex, "Sector")


def test_stationed_bodies_and_alliances_keep_their_first_word(extract: Extract) -> None:
    ex = extract("国家有关驻津机构应当支持自贸试验区建设，建立跨区域港口联盟。")
    bodies = found(ex, "Organization")
    assert "驻津机构" in bodies or "国家有关驻津机构" in bodies
    assert "区域港口联盟" not in bodies


def test_a_clause_before_a_sector_is_cut_at_its_locative(extract: Extract) -> None:
    ex = extract("自贸试验区鼓励社会资本投资区内现代物流业。")
    sectors = found(ex, "Sector")
    assert "社会资本投资区内现代物流业" not in sectors
    assert "现代物流业" in sectors or "现代物流" in sectors


def test_technologies_used_as_means_are_no_sectors(extract: Extract) -> None:
    ex = extract("自贸试验区运用物联网、云计算、区块链等手段，提高监管效率。")
    assert not {"物联网", "云计算", "区块链"} & found(ex, "Sector")


def test_a_trigger_in_a_list_of_nouns_is_no_verb(extract: Extract) -> None:
    ex = extract("有关部门为企业提供政策支持和技术评估服务。")
    assert "技术评估服务" not in found(ex, "Sector")


def test_each_item_of_a_list_drops_its_own_business_word(extract: Extract) -> None:
    ex = extract("自贸试验区支持国际中转、集拼业务以及集装箱转运业务和航空货邮国际中转业务发展。")
    sectors = found(ex, "Sector")
    assert "集装箱转运" in sectors and "集装箱转运业务" not in sectors


def test_innovative_business_keeps_the_word_innovation_whole(extract: Extract) -> None:
    ex = extract(
        "自贸试验区支持企业开展跨境双向人民币资金池、跨境租赁资产交易等跨境人民币创新业务。"
    )
    assert not any(label.endswith("创") for label in found(ex, "Sector"))


def test_a_port_head_inside_another_word_is_no_port(extract: Extract) -> None:
    ex = extract("自贸试验区提高船舶出入境查验效率，便利船舶进出口岸。")
    assert not found(ex, "Port")


def test_a_head_used_as_a_verb_names_no_body(extract: Extract) -> None:
    ex = extract("自贸试验区工作领导小组负责组织实施改革任务，研究政策并组织推进。")
    assert not any(label.endswith("组织") for label in found(ex, "Organization"))


def test_a_body_after_a_verb_of_filing_starts_after_it(extract: Extract) -> None:
    ex = extract("企业可以通过电子口岸平台一次性递交口岸监管部门需要的电子信息。")
    assert "口岸监管部门" in found(ex, "Organization")
    assert not any("递交" in label for label in found(ex))


def test_a_fund_before_products_is_no_fund(extract: Extract) -> None:
    ex = extract("支持区内基金产品参与内地与香港基金产品互认。")
    assert not any(label.endswith("基金") for label in found(ex, "Platform"))


def test_a_body_head_closing_a_list_of_sectors_is_shared_by_them(extract: Extract) -> None:
    ex = extract("自贸试验区支持设立金融租赁、汽车金融、消费金融公司和企业集团财务公司等机构。")
    assert {"金融租赁", "汽车金融", "消费金融"} <= found(ex, "Sector")


def test_a_place_made_port_of_registry_is_a_port(extract: Extract) -> None:
    ex = extract("自贸试验区实行以“大连长兴岛”为船籍港的国际船舶登记制度。")
    assert "大连长兴岛" in found(ex, "Port")


def test_function_words_and_verbs_before_a_list_item_are_no_part_of_it(extract: Extract) -> None:
    ex = extract("60多个重大项目开工，涵盖了新能源、新材料、生物医药等产业。")
    sectors = found(ex, "Sector")
    assert {"新能源", "新材料", "生物医药"} <= sectors
    assert not any(label.startswith(("涵盖", "了")) for label in sectors)


def test_a_place_in_a_list_of_fields_is_no_field(extract: Extract) -> None:
    ex = extract("甘肃与天津近日就新能源、新材料等领域合作达成共识。")
    assert "甘肃" not in found(ex, "Sector")


def test_a_known_sector_after_a_verb_inside_an_item_is_the_sector(extract: Extract) -> None:
    ex = extract("自贸试验区引导社会资本加快布局生物医药、企业集团加快发展集成电路等产业。")
    assert "集成电路" in found(ex, "Sector")


def test_a_counted_closer_names_no_sector(extract: Extract) -> None:
    ex = extract("海南聚焦旅游业、现代服务业、高新技术产业、热带特色高效农业等四大主导产业。")
    assert not any(label.startswith("四大") for label in found(ex, "Sector"))


def test_who_went_where_is_no_part_of_the_place_visited(extract: Extract) -> None:
    ex = extract("习近平来到丽江现代花卉产业园，李强随后前往村党群服务中心。")
    platforms = found(ex, "Platform")
    assert {"丽江现代花卉产业园", "村党群服务中心"} <= platforms
    assert not any(label.startswith(("习近平", "李强")) for label in platforms)


def test_a_count_of_bodies_is_no_body(extract: Extract) -> None:
    ex = extract("商务部等五部门联合印发通知，海南各部门抓好落实，自贸试验区内的仲裁机构参与。")
    bodies = found(ex, "Organization")
    assert "五部门" not in bodies and "海南各部门" not in bodies
    assert "仲裁机构" in bodies


def test_a_plain_word_of_country_characters_names_no_country(extract: Extract) -> None:
    ex = extract("严厉打击非法集资，深化中法文化交流。")
    surfaces = {m.surface for m in ex.mentions if m.entity.cls == "Country"}
    assert "法" in surfaces  # 中法
    assert not any(m.start == 5 for m in ex.mentions if m.entity.cls == "Country")  # 非法


def test_a_transliterated_name_holds_no_country(extract: Extract) -> None:
    text = "伊朗宣布穆杰塔巴·哈梅内伊为新任最高领袖。美国情报总监加巴德辞职。塔中关系基于睦邻友好。"
    ex = extract(text)
    countries = {m.start for m in ex.mentions if m.entity.cls == "Country"}
    names = text.index("塔巴"), text.index("巴德")
    assert not countries & {names[0], names[0] + 1, names[1], names[1] + 1}
    assert text.index("塔中") in countries  # Tajikistan and China


def test_a_complement_before_a_name_is_no_part_of_it(extract: Extract) -> None:
    ex = extract("建设好国家区域医疗中心，启动全区口岸智慧化建设。")
    assert "国家区域医疗中心" in found(ex, "Platform")
    assert not any(label.startswith(("好", "启动")) for label in found(ex))


def test_a_kind_of_industry_qualified_is_no_sector(extract: Extract) -> None:
    ex = extract("加快培育集成电路、生物医药等新兴支柱产业，推动全省产业转型升级。")
    sectors = found(ex, "Sector")
    assert {"集成电路", "生物医药"} <= sectors
    assert not {"新兴支柱", "全省产业"} & sectors


def test_quantities_and_planning_verbs_are_no_part_of_a_facility(extract: Extract) -> None:
    ex = extract("打造更多高能级开放平台，梯次布局未来产业孵化基地，推动区域经济协调发展。")
    platforms = found(ex, "Platform")
    assert {"高能级开放平台", "未来产业孵化基地"} <= platforms
    assert "区域经济" not in found(ex, "Sector")


def test_the_yangtze_belt_is_a_region_and_its_development_a_strategy(extract: Extract) -> None:
    ex = extract("自贸试验区服务长江经济带发展，推进与长江经济带其他地区口岸互联互通。")
    labels = {(m.entity.cls, m.entity.label) for m in ex.mentions}
    assert ("Initiative", "长江经济带发展") in labels
    assert ("Region", "长江经济带") in labels


def test_lines_of_business_a_region_word_or_currency_qualifies(extract: Extract) -> None:
    ex = extract(
        "支持船舶开展沿海捎带业务。推动跨境人民币业务创新发展。"
        "发展海运集装箱和航空快件国际中转集拼业务。推动沿海产业发展。"
        "依托汽保产业开展市场采购贸易方式试点。支持开展离岸贸易业务试点。"
        "国际航行船舶沿海捎带业务试点今年扩围。开展飞机融资租赁业务。"
    )
    sectors = found(ex, "Sector")
    assert {"沿海捎带", "跨境人民币业务", "国际中转集拼", "市场采购贸易", "离岸贸易"} <= sectors
    assert "飞机融资租赁" in sectors  # the aircraft stay: a line of business of its own
    assert not {"捎带", "跨境人民币", "航空快件国际中转集拼", "沿海产业"} & sectors


def test_a_verb_closing_a_compound_noun_takes_its_item_along(extract: Extract) -> None:
    ex = extract(
        "实现建设发展项目、贸易投资政策、金融支持和监管服务等政务信息共享。促进空天产业发展和生态集聚。"
    )
    sectors = found(ex, "Sector")
    assert "金融" not in sectors  # 金融支持: financial support, a kind of information
    assert "空天产业" in sectors


def test_what_else_becomes_something_is_no_position_of_the_zone(extract: Extract) -> None:
    ex = extract(
        "国际原油价格波动成为影响全产业链的关键瓶颈。内蒙古自贸试验区要成为向北开放的重要窗口。"
    )
    assert found(ex, "StrategicPosition") == {"向北开放的重要窗口"}


def test_other_zones_named_by_their_place_in_a_list(extract: Extract) -> None:
    ex = extract(
        "推行上海、天津、广东、福建等自贸试验区已经试点的税收政策。加强与北京、河北自贸试验区的合作。"
    )
    zones = {
        (m.surface, m.entity.label) for m in ex.mentions if m.entity.cls == "PilotFreeTradeZone"
    }
    assert {
        ("上海", "中国（上海）自由贸易试验区"),
        ("福建", "中国（福建）自由贸易试验区"),
        ("北京", "中国（北京）自由贸易试验区"),
        ("河北自贸试验区", "中国（河北）自由贸易试验区"),
    } <= zones


def test_a_platform_before_its_services_is_no_part_of_a_sector(extract: Extract) -> None:
    ex = extract("开展自由贸易账户金融服务。快递企业可以从事国际快递业务经营。")
    assert "自由贸易账户" in found(ex, "Platform")
    sectors = found(ex, "Sector")
    assert "国际快递" in sectors
    assert "自由贸易账户金融服务" not in sectors


def test_an_important_node_is_a_role_not_a_facility(extract: Extract) -> None:
    ex = extract("内蒙古作为中蒙俄经济走廊重要节点，建设海外物流节点。")
    assert found(ex, "Platform") == {"海外物流节点"}


def test_a_verb_inside_a_rule_or_programme_starts_no_name(extract: Extract) -> None:
    ex = extract(
        "核心矛盾转向规则、机制、管理、标准等深层次制度供给。在“以我为主”中掌握战略主动权。"
        "行政部门依据规则开展监管。"
    )
    labels = found(ex)
    assert not {"核心矛盾转向规则", "“以我为主”中掌握战略", "行政部门依据规则"} & labels


def test_developing_takes_the_character_of_china(extract: Extract) -> None:
    ex = extract("经济发展中老问题、新挑战仍然不少。习近平就发展中朝关系提出意见。")
    countries = found(ex, "Country")
    assert "老挝" not in countries
    assert "朝鲜" in countries


def test_a_list_of_what_is_secured_names_no_sectors(extract: Extract) -> None:
    ex = extract(
        "保障金融、网络与数据安全。推进民营经济、食品安全等重点领域立法。实施数据分级等级保护制度。"
    )
    assert found(ex, "Sector") == set()


def test_quoted_places_before_an_industry_qualify_it(extract: Extract) -> None:
    ex = extract("打造“武鄂黄黄咸”光电子信息、“宜荆荆襄”新能源新材料等产业走廊。")
    sectors = found(ex, "Sector")
    assert {"光电子信息", "新能源新材料"} <= sectors
    assert not any("武鄂" in label or "宜荆" in label for label in sectors)


def test_one_task_or_a_count_of_aspects_is_no_bundle_of_tasks(extract: Extract) -> None:
    ex = extract(
        "提振市场信心是今年一项重点任务。从10个方面提出人才发展支持举措。出台十条支持措施。"
    )
    assert found(ex, "ReformTask") == {"十条支持措施"}


def test_a_zone_a_text_only_applies_for_is_a_proposal(extract: Extract) -> None:
    ex = extract(
        "积极申建中国（甘肃）自由贸易试验区。甘肃省重点发展新能源产业。成功申建中国（新疆）自贸试验区。"
    )
    assert found(ex, "ProposedZone") == {"中国（甘肃）自由贸易试验区"}
    assert found(ex, "PilotFreeTradeZone") == {"中国（新疆）自由贸易试验区"}


def test_a_port_word_joined_to_another_thing_or_modifying_a_group_is_no_port(
    extract: Extract,
) -> None:
    ex = extract(
        "促进信息技术与港口服务和管理的深度融合。推进现代化东南沿海港口群建设。"
        "加快建设码头和出入境口岸，推动横琴与拱北口岸联动。"
    )
    ports = found(ex, "Port")
    assert not {"信息技术与港口", "现代化东南沿海港口", "码头和出入境口岸"} & ports
    assert {"出入境口岸", "拱北口岸"} <= ports


def test_country_characters_in_a_place_name_are_no_countries(
    extract: Extract,
) -> None:
    ex = extract("启动阿拉善至蒙中地区特高压工程。巩固欧美日韩等传统市场。")
    countries = [m for m in ex.mentions if m.entity.cls == "Country"]
    assert {m.sentence for m in countries} == {1}
    assert {"美国", "日本", "韩国"} <= found(ex, "Country")


def test_a_city_and_the_kind_of_region_it_heads_name_a_region(extract: Extract) -> None:
    ex = extract("融入沈阳都市圈，与沈阳经济区协同发展，川东北经济区保持增长。")
    regions = {m.entity.label for m in ex.mentions if m.entity.cls == "Region"}
    assert {"沈阳都市圈", "沈阳经济区"} <= regions
    assert "东北经济区" not in regions


def test_country_characters_in_a_run_of_names_are_no_countries(extract: Extract) -> None:
    ex = extract("王沪宁蔡奇丁薛祥李希韩正等出席。军乐团奏韩中两国国歌，外接俄蒙通欧亚。")
    countries = [m.entity.label for m in ex.mentions if m.entity.cls == "Country"]
    # 李希 and 韩正 are names; the anthem's two countries and 俄蒙 are countries
    assert "希腊" not in countries
    assert {"韩国", "中国", "俄罗斯", "蒙古国"} <= set(countries)


def test_an_area_named_after_a_port_in_a_list_of_areas_is_the_area(extract: Extract) -> None:
    ex = extract("广西自贸试验区涵盖南宁、钦州港、崇左三个片区。")
    areas = {m.entity.label for m in ex.mentions if m.entity.cls == "Area"}
    assert areas == {"南宁片区", "钦州港片区", "崇左片区"}


def test_the_countries_of_a_region_are_the_region(extract: Extract) -> None:
    ex = extract("自贸试验区深化与中亚国家、东北亚国家合作，拓展拉美国家市场。")
    regions = {(m.surface, m.entity.label) for m in ex.mentions if m.entity.cls == "Region"}
    assert {("中亚国家", "中亚"), ("东北亚国家", "东北亚"), ("拉美国家", "拉丁美洲")} <= regions


def test_places_listed_before_a_count_of_zones_name_those_zones(extract: Extract) -> None:
    ex = extract(
        "全国分批设立了上海、广东、福建等21个自贸试验区。下一步，国家将深入推进制度型开放。"
    )
    zones = {m.entity.label for m in ex.mentions if m.entity.cls == "PilotFreeTradeZone"}
    assert {
        "中国（上海）自由贸易试验区",
        "中国（广东）自由贸易试验区",
        "中国（福建）自由贸易试验区",
    } <= zones
    # the zones listed are no topic of the next sentence
    assert not [
        r for r in ex.relations if r.predicate == "supports" and r.object.label == "制度型开放"
    ]


def test_a_new_zone_named_in_full_is_named_by_its_short_form_too(extract: Extract) -> None:
    ex = extract(
        "国务院印发《中国（青海）自由贸易试验区总体方案》。赋予青海自贸试验区更大改革自主权。"
        "支持青海自贸试验区推动与尼泊尔开展合作，创新发展盐湖化工等特色产业。"
    )
    zone = "中国（青海）自由贸易试验区"
    rels = {(r.subject.label, r.predicate, r.object.label) for r in ex.relations}
    assert (zone, "facesCountry", "尼泊尔") in rels
    assert not any(s == "青海省" and p in ("facesCountry", "focusesOnSector") for s, p, _ in rels)
    assert (zone, "linkedWith", "青海省") not in rels
    assert not [m for m in ex.mentions if m.entity.cls == "Initiative" and "自贸" in m.entity.label]


def test_a_city_airport_is_a_port_named_with_its_own_name(extract: Extract) -> None:
    ex = extract(
        "支持郑州机场开通国际货运航线。推动杭州萧山国际机场与上海浦东国际机场错位发展，"
        "依托石家庄正定国际机场发展临空产业。"
    )
    assert {"郑州机场", "杭州萧山国际机场", "上海浦东国际机场", "石家庄正定国际机场"} <= found(
        ex, "Port"
    )


def test_what_is_no_airport_name_makes_no_airport(extract: Extract) -> None:
    ex = extract(
        "推进海南自贸港机场群建设，郑州新建机场二期。曹妃甸片区和大兴机场片区协同发展。"
        "海南三大机场旅客吞吐量增长，长三角多地机场加开航班。"
    )
    assert not {label for label in found(ex, "Port") if "机场" in label}, (
        "a zone, a verb, a list or a count is no airport's own name"
    )
    assert "大兴机场片区" in found(ex, "Area")


def test_a_port_listed_beside_a_known_port_is_a_port(extract: Extract) -> None:
    ex = extract("依托天津港、京唐港和黄骅港发展海铁联运。推进沿海港、内河港与天津港联动。")
    ports = found(ex, "Port")
    assert "京唐港" in ports
    assert not {"沿海港", "内河港"} & ports


def test_a_place_jieba_knows_names_the_port_after_it(extract: Extract) -> None:
    ex = extract("岳阳片区依托城陵矶港发展航运物流。推进沿海港、内河港建设。")
    ports = found(ex, "Port")
    assert "城陵矶港" in ports
    assert not {"沿海港", "内河港"} & ports


def test_the_countries_along_a_programme_inside_a_name_or_qualifying_are_no_partner(
    extract: Extract,
) -> None:
    ex = extract("加强与“一带一路”沿线国家港口合作。服务“一带一路”沿线国家和地区的转口贸易发展。")
    assert not {m for m in ex.mentions if m.entity.label == "沿线国家"}


def test_the_countries_along_a_programme_are_a_partner_after_yu(extract: Extract) -> None:
    ex = extract("深化与日本、韩国以及“一带一路”沿线国家的经贸合作。")
    assert "沿线国家" in found(ex, "Country")


def test_a_place_listed_before_a_port_the_lexicon_knows_shares_its_head(
    extract: Extract,
) -> None:
    ex = extract("德宏片区应当依托瑞丽、畹町口岸，深化与缅甸的经贸合作。")
    assert {"瑞丽口岸", "畹町口岸"} <= found(ex, "Port")


def test_a_head_right_after_a_list_mark_lists_no_empty_name(extract: Extract) -> None:
    ex = extract("成功举办中国—东盟法治论坛、陆海新通道经济发展论坛等重大活动。")
    assert all(m.end > m.start for m in ex.mentions)


def test_a_country_s_character_after_dui_before_a_word_of_opening_is_the_country(
    extract: Extract,
) -> None:
    ex = extract("自贸试验区应当深化对俄全方位合作，扩大对日开放。")
    assert {"俄罗斯", "日本"} <= found(ex, "Country")


def test_a_known_name_with_quotes_inside_is_found_as_written(extract: Extract) -> None:
    ex = extract("推进多式联运“一单制”，实施跨境服务贸易“负面清单”管理。")
    pairs = {(m.entity.label, m.surface) for m in ex.mentions}
    assert ("多式联运一单制", "多式联运“一单制”") in pairs
    assert any(surface == "跨境服务贸易“负面清单”" for _, surface in pairs)


def test_national_city_clusters_are_regions(extract: Extract) -> None:
    ex = extract("推动长江经济带和成渝城市群协同发展，加强与关中平原城市群的合作。")
    assert {"成渝城市群", "关中平原城市群"} <= found(ex, "Region")


def test_information_systems_are_platforms(extract: Extract) -> None:
    ex = extract("建立物流全过程监管动态跟踪服务系统，接入重庆市政务数据资源共享系统。")
    assert {"物流全过程监管动态跟踪服务系统", "重庆市政务数据资源共享系统"} <= found(ex, "Platform")


def test_news_names_a_zone_inside_its_area_an_amount_and_a_pilot_as_written(
    extract: Extract,
) -> None:
    ex = extract(
        "上海自贸区临港新片区率先开展跨境贸易投资高水平开放外汇管理改革试点。"
        "临港新片区开展工程建设项目承诺制改革试点，联合设立不少于200亿引导基金。"
        "临港新片区离岸贸易金融服务综合改革试点扩围方案正式发布。"
    )
    assert "中国（上海）自由贸易试验区" in found(ex, "PilotFreeTradeZone")
    assert any(r.predicate == "hasArea" and r.object.label == "临港新片区" for r in ex.relations)
    assert {
        "跨境贸易投资高水平开放外汇管理改革试点",
        "工程建设项目承诺制改革试点",
    } <= found(ex, "Initiative")
    assert "引导基金" in found(ex, "Platform")
    assert "临港新片区离岸贸易金融服务综合改革试点扩围方案" in found(ex, "PolicyDocument")
    assert "中国" not in found(ex, "Country")  # the item never names China


def test_warehouses_are_platforms_and_a_widened_function_names_a_line_of_business(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（山东）自由贸易试验区设立国际中转集拼货物多功能集拼仓库，拓展仓单质押融资功能。"
        "供油企业可以利用公用型保税仓库开展业务，同一公用型保税仓库可以存储多家企业的燃料油。"
    )
    platforms = found(ex, "Platform")
    assert {"国际中转集拼货物多功能集拼仓库", "公用型保税仓库"} <= platforms
    assert "同一公用型保税仓库" not in platforms
    assert "仓单质押融资" in found(ex, "Sector")


def test_a_province_and_its_city_written_as_one_word_are_both_places(extract: Extract) -> None:
    ex = extract("在福建厦门，施耐德电气全新柔性生产线正式启用。在江苏太仓，一批外资项目即将落地。")
    places = {m.entity.label for m in ex.mentions if m.entity.cls in ("City", "Region")}
    assert {"福建省", "厦门", "江苏省"} <= places
    # 仓 ends the place's name: no warehouse
    assert not any("太仓" in m.entity.label for m in ex.mentions if m.entity.cls == "Platform")


def test_an_airport_named_by_its_own_place_is_a_port(extract: Extract) -> None:
    ex = extract(
        "上海东站建成后将与浦东国际机场形成空铁联运格局，依托虹桥国际机场。"
        "新建机场一座，旅客吞吐量增速居省会城市机场前列。"
    )
    ports = {m.entity.label for m in ex.mentions if m.entity.cls == "Port"}
    assert ports == {"浦东国际机场", "虹桥国际机场"}


def test_the_district_a_government_governs_is_a_place(extract: Extract) -> None:
    ex = extract(
        "浦东新区建设加快。市人民政府其他有关部门和浦东新区人民政府按照各自职责，支持管委会的工作。"
        "支持沈抚新区建设。"
    )
    classes = {m.entity.label: m.entity.cls for m in ex.mentions}
    assert classes["浦东新区"] == "Region"  # everywhere in the text, once its government is named
    assert classes["浦东新区人民政府"] == "Organization"
    assert classes["沈抚新区"] == "Platform"  # a new area no government is named for


def test_a_bare_free_trade_port_in_a_text_about_hainan_is_hainans(extract: Extract) -> None:
    text = "推动“一带一路”建设与自由贸易港建设有机联动，随着自贸港政策红利持续释放。"
    ports = {m.entity.label for m in extract("海南积极融入共建“一带一路”。" + text).mentions}
    assert "海南自由贸易港" in ports
    others = extract("浙江应当探索建设自由贸易港。围绕全球自由贸易港发展等议题。" + text).mentions
    assert "海南自由贸易港" not in {m.entity.label for m in others}


def test_a_direction_and_a_kind_of_region_name_one_region(extract: Extract) -> None:
    ex = extract("新疆自贸试验区是我国在西北沿边地区设立的首个自贸试验区。福建沿海地区和西南地区。")
    assert {"西北沿边地区", "西南地区"} <= found(ex, "Region")
    assert "福建沿海地区" not in found(ex, "Region")
    inside = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "locatedIn"}
    assert {("西北沿边地区", "西北地区"), ("西北沿边地区", "沿边地区")} <= inside


def test_a_programme_named_inside_a_title_is_named_and_carried_out(extract: Extract) -> None:
    ex = extract("中共中央、国务院印发《关于实施自由贸易试验区提升战略的意见》。")
    assert "自由贸易试验区提升战略" in found(ex, "Initiative")
    carried = {(r.subject.label, r.object.label) for r in ex.relations}
    assert ("关于实施自由贸易试验区提升战略的意见", "自由贸易试验区提升战略") in carried


def test_a_port_of_registry_is_named_with_its_country(extract: Extract) -> None:
    ex = extract("在自贸试验区实行以“中国洋山港”为船籍港的国际船舶登记制度。")
    surfaces = {m.surface for m in ex.mentions if m.entity.label == "洋山港"}
    assert "中国洋山港" in surfaces


def test_hainan_island_is_a_region(extract: Extract) -> None:
    ex = extract("第二条 国家在海南岛全岛设立海南自由贸易港。")
    assert "海南岛" in found(ex, "Region")


def test_the_oceans_a_port_faces_are_regions_abroad(extract: Extract) -> None:
    ex = extract("海南是我国面向太平洋和印度洋的重要对外开放门户。海南不断推动互联互通。")
    assert {"太平洋", "印度洋"} <= found(ex, "Region")
    linked = {(r.subject.label, r.object.label) for r in ex.relations}
    assert not {("太平洋", "中国"), ("印度洋", "中国")} & linked


def test_the_nations_guiding_ideas_are_programmes(extract: Extract) -> None:
    ex = extract(
        "海南自由贸易港建设，坚持新发展理念，坚持总体国家安全观，加快建立开放型经济新体制。"
    )
    assert {"新发展理念", "总体国家安全观", "开放型经济新体制"} <= found(ex, "Initiative")


def test_a_place_after_its_province_is_a_town_of_it(extract: Extract) -> None:
    ex = extract("在江苏太仓，一批外资项目即将落地。湖北长江天鹅洲保护区。海南离岛免税销售增长。")
    assert "太仓" in found(ex, "City")
    assert not {"长江", "离岛"} & found(ex, "City")
    inside = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "locatedIn"}
    assert ("太仓", "江苏省") in inside
