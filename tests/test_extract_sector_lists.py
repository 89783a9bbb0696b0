"""Sectors in lists: items that share a head, an object or a modifier with their neighbours."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def found(ex: Extraction, cls: str) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == cls}


def test_items_on_the_head_of_sector_items_beside_them_are_sectors(extract: Extract) -> None:
    ex = extract(
        "自贸试验区在金融服务、航运服务、商贸服务、专业服务、文化服务、社会服务和一般制造业等领域扩大开放。"
    )
    assert {"商贸服务", "文化服务", "社会服务", "一般制造业"} <= found(ex, "Sector")


def test_an_item_ending_in_a_modifier_parallel_to_the_next_is_no_sector(
    extract: Extract,
) -> None:
    ex = extract(
        "符合条件的企业可以开展保税燃料油跨关区、跨港区直供业务。"
        "支持开展境内外高技术、高附加值产品维修和再制造业务试点。"
        "拓展纤维复合材料、合成材料产业。"
    )
    sectors = found(ex, "Sector")
    assert not {"保税燃料油跨关区", "境内外高技术"} & sectors
    assert {"跨港区直供", "高附加值产品维修", "再制造", "纤维复合材料"} <= sectors


def test_bare_activities_after_an_item_share_its_object(extract: Extract) -> None:
    ex = extract(
        "支持海关特殊监管区域开展面向全球的保税文化艺术品展示、拍卖、交易业务。"
        "推动软信技术赋能游戏、动漫、直播等产业。"
    )
    sectors = found(ex, "Sector")
    assert "保税文化艺术品展示、拍卖、交易" in sectors
    assert not {"保税文化艺术品展示", "拍卖", "交易"} & sectors
    assert not any("、" in s for s in sectors if "游戏" in s)  # nouns: each its own industry


def test_ports_of_the_whole_country_name_no_port(extract: Extract) -> None:
    ex = extract(
        "符合条件的航运企业可以在国内沿海港口与上海港之间从事沿海捎带业务。"
        "鼓励自贸试验区与境内外沿海港口合作。"
    )
    assert found(ex, "Port") == {"上海港"}


def test_a_verb_inside_a_list_item_ends_the_subject_before_it(extract: Extract) -> None:
    ex = extract(
        "引导外资更多投向先进制造业、现代服务业。支持符合条件的外资企业平等享受产业政策。"
        "推动省级母基金赋能市县主导产业发展。"
    )
    sectors = found(ex, "Sector")
    assert {"先进制造业", "现代服务业"} <= sectors
    assert not {s for s in sectors if "外资" in s or "市县" in s}


def test_the_services_of_a_qualified_sector_the_lexicon_knows_are_its_own(
    extract: Extract,
) -> None:
    ex = extract("临港新片区将深化跨境金融服务。自贸试验区开展跨境融资租赁服务。")
    assert found(ex, "Sector") == {"跨境金融", "融资租赁"}


def test_a_list_starts_after_what_drives_yields_or_relies(extract: Extract) -> None:
    expected = {
        "电子商务带动旅游和餐饮等服务业快速发展。": {"电子商务", "旅游业"},
        "部分原因是供应冲击推高了能源等行业价格。": {"能源"},
        "今年以来电影还带动餐饮、旅游、住宿消费等全产业链产值超2250亿元。": None,
        "更多的特色农副产品借助电商直播等新业态走向全国。": {"电商直播"},
    }
    for text, sectors in expected.items():
        found_here = found(extract(text), "Sector")
        assert not {s for s in found_here if any(v in s for v in ("带动", "推高", "借助"))}
        assert sectors is None or found_here == sectors, text


def test_fields_whose_risks_are_guarded_are_no_sectors(extract: Extract) -> None:
    ex = extract(
        "健全跨境贸易、金融、数据等领域的风险防控机制。"
        "保障金融、网络与数据、人员流动和公共卫生等领域的秩序和安全。"
        "加大对生育托育、普惠养老等领域的投资。"
    )
    sectors = found(ex, "Sector")
    assert not {"金融", "数据", "跨境贸易"} & sectors
    assert "普惠养老" in sectors  # invested in: developed


def test_a_known_sector_before_a_distinguishing_word_or_an_eased_act_modifies_it(
    extract: Extract,
) -> None:
    ex = extract("实施网络安全等级保护制度。推动跨境贸易结算便利化。")
    assert not found(ex, "Sector")


def test_a_duty_a_means_or_a_quality_is_no_sector(extract: Extract) -> None:
    ex = extract(
        "管委会负责自贸试验区内投资、贸易、金融服务、规划国土等有关行政事务。"
        "自贸试验区各片区应当利用互联网与移动终端，推进政务服务。"
        "自贸试验区逐步建成贸易投资便利、金融服务完善、监管安全高效的高标准自由贸易园区。"
        "利用区位优势发展跨境电子商务。"
    )
    assert found(ex, "Sector") == {"跨境电子商务"}
    assert "高标准自由贸易园区" not in found(ex, "Platform")
    assert "高标准自由贸易园区" in found(ex, "StrategicPosition")


def test_lines_of_business_whose_scope_is_widened_are_developed(extract: Extract) -> None:
    ex = extract(
        "扩大内外贸同船运输、国轮捎带运输适用范围。扩大出口信用保险覆盖面。"
        "扩大外资金融机构业务范围。扩大工伤保险覆盖面。"
    )
    assert found(ex, "Sector") == {"内外贸同船运输", "国轮捎带运输", "出口信用保险"}


def test_a_verb_bound_to_a_short_word_or_an_ownership_is_no_sector(extract: Extract) -> None:
    ex = extract(
        "深入开展学习教育，分层分类开展警示教育。支持民营经济高质量发展。"
        "推进文化、教育、医疗等领域开放。"
    )
    sectors = found(ex, "Sector")
    assert "民营经济" not in sectors
    assert {"文化", "教育", "医疗"} <= sectors  # the list of fields still names 教育
    assert not [m for m in ex.mentions if m.entity.label == "教育" and m.sentence == 0]


def test_a_verb_that_makes_a_word_with_a_suffix_stays_in_the_sector(extract: Extract) -> None:
    ex = extract("“AI+医疗”、沉浸式数字文娱等新业态持续涌现。")
    assert "沉浸式数字文娱" in {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}


def test_a_line_of_business_whose_function_is_widened_is_a_sector(extract: Extract) -> None:
    ex = extract("建立跨区域港口联盟、港航联盟，增强江海联运服务功能。")
    assert "江海联运" in found(ex, "Sector")


def test_a_list_closed_by_a_kind_of_trade_names_that_trade(extract: Extract) -> None:
    ex = extract(
        "自贸试验区开展原糖、棉花、铜材等大宗商品现货交易。推进碳排放权、排污权等市场化交易。"
    )
    assert "大宗商品现货交易" in found(ex, "Sector")
    assert "市场化交易" not in found(ex, "Sector")


def test_the_lines_of_business_a_zone_lays_out_areas_for(extract: Extract) -> None:
    ex = extract("自贸试验区合理规划粮油储运、保税燃料油加注、粮食中转等区域。")
    assert {"粮油储运", "保税燃料油加注", "粮食中转"} <= found(ex, "Sector")


def test_food_lines_and_a_closing_processing_industry_are_sectors(extract: Extract) -> None:
    ex = extract("片区重点发展绿色食品、商贸物流，发展木材、粮食等进口加工业和绿色制造业。")
    assert {"绿色食品", "商贸物流", "进口加工业"} <= found(ex, "Sector")
    assert "绿色制造业" not in found(ex, "Sector")  # the lexicon's 绿色制造


def test_a_new_kind_of_trade_closing_a_list_is_a_sector(extract: Extract) -> None:
    ex = extract("鼓励发展离岸贸易、跨境电子商务等新型贸易，培育平台经济等新业态。")
    assert {"离岸贸易", "新型贸易"} <= found(ex, "Sector")
    assert not {"贸易", "新业态", "新"} & found(ex, "Sector")


def test_a_count_closes_a_list_of_industries_as_deng_does(extract: Extract) -> None:
    ex = extract(
        "合肥片区聚焦量子信息、类脑智能应用、新能源汽车三大产业，做优沿江特色、皖北生态两大农业产业带。"
    )
    sectors = found(ex, "Sector")
    assert {"量子信息", "类脑智能应用", "新能源汽车"} <= sectors
    assert not {"沿江特色", "皖北生态"} & sectors, "the items of a belt are no industries"


def test_energy_and_agriculture_are_fields_of_a_list_of_sectors(extract: Extract) -> None:
    ex = extract("自贸试验区扩大与中亚国家在能源、农业、矿产等领域的合作。")
    assert {"能源", "农业", "矿产资源"} <= found(ex, "Sector")


def test_leasing_of_a_kind_of_goods_closing_a_list_is_a_sector(extract: Extract) -> None:
    ex = extract("自贸试验区发展机车、游艇等高端装备融资租赁，开展融资租赁业务。")
    sectors = found(ex, "Sector")
    assert "高端装备融资租赁" in sectors
    assert not {"机车", "游艇"} & sectors, "what is leased is no industry"


def test_a_modern_industry_in_general_is_no_sector(extract: Extract) -> None:
    ex = extract("深化开发区管理制度改革，打造现代化产业集聚区、改革开放先导区。")
    assert "现代化产业" not in found(ex, "Sector")


def test_places_listed_before_deng_di_are_no_sectors(extract: Extract) -> None:
    ex = extract("东兴市、凭祥市等地积极发展边民互市贸易。")
    sectors = {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}
    assert not {s for s in sectors if "东兴" in s or "凭祥" in s or "积极" in s}


def test_a_kind_of_facility_in_a_list_of_fields_is_no_sector(extract: Extract) -> None:
    ex = extract("自贸试验区应当加强与东盟国家在港口、物流、农业、海洋经济等领域的合作。")
    sectors = {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}
    assert "港口" not in sectors
    assert {"物流", "海洋经济"} <= sectors


def test_a_bare_activity_after_he_carries_on_the_sector_before_it(extract: Extract) -> None:
    ex = extract("连云港片区重点发展港航物流、国际贸易、医药研发和生产等产业。")
    sectors = {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}
    assert "医药研发和生产" in sectors
    assert "生产" not in sectors


def test_a_listed_item_keeps_its_last_word_but_a_manner_of_growth_goes(
    extract: Extract,
) -> None:
    ex = extract("片区重点发展医疗健康、旅游休闲健康和高新技术等产业，推动互联网金融健康发展。")
    sectors = found(ex, "Sector")
    assert {"医疗健康", "旅游休闲健康", "互联网金融"} <= sectors
    assert not {"医疗", "旅游休闲", "互联网金融健康"} & sectors


def test_activities_on_an_industry_name_that_industry(extract: Extract) -> None:
    ex = extract(
        "发展涉海装备研发、制造、维修、服务等产业，增强陆海联运中转、分拨、配送等服务功能。"
    )
    sectors = found(ex, "Sector")
    assert {"涉海装备", "陆海联运"} <= sectors
    assert not any("、" in s for s in sectors)


def test_a_two_character_industry_closing_a_list_is_named_with_chanye(extract: Extract) -> None:
    ex = extract("推进新一代信息技术、清洁能源、节能环保等绿色产业集聚发展，培育若干重点产业。")
    sectors = found(ex, "Sector")
    assert "绿色产业" in sectors
    assert not {"绿色", "重点产业"} & sectors


def test_a_long_name_of_a_line_of_service_is_a_sector_alone(extract: Extract) -> None:
    ex = extract(
        "推动知识产权质押融资，探索知识产权证券化。企业可以自主开展跨境融资。推进融资租赁证券化。"
    )
    sectors = found(ex, "Sector")
    assert {"知识产权质押融资", "知识产权证券化"} <= sectors
    assert not {"跨境融资", "融资租赁证券化"} & sectors  # a means of a known industry


def test_activities_with_no_object_before_them_are_not_joined(extract: Extract) -> None:
    ex = extract("开展面向全球市场、风险可控的境内外维修、检测等业务。")
    sectors = found(ex, "Sector")
    assert "境内外维修" in sectors
    assert not any("、" in s for s in sectors)


def test_duiwai_qualifies_a_trade_and_a_business_tried_first_is_one(extract: Extract) -> None:
    ex = extract("促进对外文化贸易发展，鼓励增值电信业务先行先试。加强与对方的合作。")
    sectors = found(ex, "Sector")
    assert {"对外文化贸易", "增值电信"} <= sectors


def test_a_line_of_service_an_institution_runs_is_not_the_zone_s(extract: Extract) -> None:
    ex = extract("支持互联网支付机构开展跨境电子商务人民币结算。")
    assert "跨境电子商务人民币结算" not in found(ex, "Sector")


def test_a_kind_of_region_and_the_word_hangye_stay_in_the_name_as_written(
    extract: Extract,
) -> None:
    ex = extract("促进内陆加工贸易发展。推动自贸试验区医疗医药行业发展。")
    surfaces = {m.surface for m in ex.mentions if m.entity.cls == "Sector"}
    assert {"内陆加工贸易", "医疗医药行业"} <= surfaces
    assert "内陆" not in {m.surface for m in ex.mentions if m.entity.cls == "Region"}


def test_a_list_closed_by_aspects_after_a_growth_verb_names_no_sectors(
    extract: Extract,
) -> None:
    ex = extract(
        "研究提出推进投资开放、贸易便利、金融服务和海洋经济发展等方面的创新措施。"
        "自贸试验区在促进投资便利化、推动数字经济发展等方面开展探索。"
    )
    assert found(ex, "Sector") == {"数字经济"}


def test_a_short_word_the_dictionary_lacks_between_sectors_is_one(extract: Extract) -> None:
    ex = extract("支持开展境内外货物中转、集拼和国际分拨配送业务。")
    assert "集拼" in found(ex, "Sector")


def test_a_list_headed_by_its_last_chanye_names_industries_after_any_verb(
    extract: Extract,
) -> None:
    ex = extract(
        "自贸试验区应当优化原油精炼、油品加工、液体化工产业布局，推动国际航运产业发展。"
        "建成营商环境优良、贸易投资便利、高端产业集聚的自由贸易园区。"
    )
    sectors = found(ex, "Sector")
    assert {"原油精炼", "油品加工"} <= sectors
    assert not {"营商环境优良", "贸易投资便利"} & sectors
    surfaces = {m.surface for m in ex.mentions if m.entity.cls == "Sector"}
    assert "国际航运产业" in surfaces  # the known sector, as written


def test_goods_listed_before_a_trade_in_them_are_no_sectors(extract: Extract) -> None:
    ex = extract("自贸试验区开展油品、矿石、煤炭、金属、液体化工品等大宗商品现货交易。")
    sectors = found(ex, "Sector")
    assert "大宗商品现货交易" in sectors
    assert not {"煤炭", "油品", "矿石"} & sectors


def test_service_bodies_set_up_to_serve_a_sector_name_no_sector(extract: Extract) -> None:
    ex = extract(
        "设立为保险业发展提供配套服务的保险经纪、保险代理等专业性保险服务机构。"
        "培育律师、仲裁、公证等法律服务机构。"
    )
    sectors = found(ex, "Sector")
    assert "法律服务" in sectors
    assert "专业性保险服务" not in sectors


def test_a_supply_business_is_a_line_of_business(extract: Extract) -> None:
    ex = extract("供油企业可以利用公用型保税仓库开展保税燃料油供应业务。")
    assert "保税燃料油供应" in found(ex, "Sector")


def test_a_short_last_item_before_the_shared_business_is_one_of_the_lines(
    extract: Extract,
) -> None:
    ex = extract("自贸试验区支持国际中转、集拼、分拨业务以及集装箱转运业务发展。")
    assert {"国际中转", "集拼", "分拨", "集装箱转运"} <= found(ex, "Sector")


def test_the_kind_of_a_list_that_follows_is_no_sector(extract: Extract) -> None:
    ex = extract("自贸试验区重点发展下列海洋产业：\n（一）海洋生物医药；\n（二）海洋种业。\n")
    assert "海洋产业" not in found(ex, "Sector")
    assert "海洋生物医药" in found(ex, "Sector")


def test_goods_joined_by_and_share_the_activities_after_them(extract: Extract) -> None:
    ex = extract("积极培育跨境电商、数字化贸易以及文物和文化艺术品保税存储、展示等新业态、新模式。")
    sectors = found(ex, "Sector")
    assert "文物和文化艺术品保税存储、展示" in sectors
    assert not {"文物", "文化艺术品保税存储、展示"} & sectors


def test_a_line_of_business_that_goes_on_is_named(extract: Extract) -> None:
    ex = extract("海南自由贸易港封关一个月，保税维修业务顺利开展。")
    assert "保税维修" in found(ex, "Sector")


def test_a_quality_or_the_field_faced_is_no_part_of_a_sector(extract: Extract) -> None:
    text = (
        "实验室里，面向人工智能、下一代信息通信等未来产业的创新光电芯片产品，研发验证加紧进行。"
        "解决行业主干产品智能化、网络化、可靠性、安全性等关键问题。"
    )
    sectors = found(extract(text), "Sector")
    assert "人工智能" in sectors and not {"面向人工智能", "可靠性", "安全性"} & sectors


def test_a_list_of_fields_before_an_idiom_that_ends_in_a_verb_names_sectors(
    extract: Extract,
) -> None:
    # 扩大开放 is one word to the segmenter, tagged as an idiom: the predicate, not a noun the
    # closing 领域 would qualify
    ex = extract("临港新片区探索在互联网、教育、文化等领域扩大开放。")
    assert {"互联网", "教育", "文化"} <= found(ex, "Sector")


def test_what_is_done_to_the_goods_before_a_business_is_the_line(extract: Extract) -> None:
    ex = extract(
        "第十条 开展航空发动机等高附加值商品境内外维修业务试点。"
        "第十一条 开展油品、矿石、煤炭等大宗商品现货交易。"
    )
    sectors = found(ex, "Sector")
    assert {"境内外维修", "大宗商品现货交易"} <= sectors
    assert not {"航空发动机", "油品", "矿石"} & sectors


def test_two_items_built_alike_share_the_head_of_the_second(extract: Extract) -> None:
    ex = extract("片区重点发展船舶设计和制造、港航物流等产业，支持企业开展大宗商品离岸和在岸贸易。")
    sectors = found(ex, "Sector")
    assert {"船舶设计和制造", "大宗商品离岸和在岸贸易", "港航物流"} <= sectors
    assert not {"制造", "在岸贸易"} & sectors


def test_items_with_heads_of_their_own_stay_apart(extract: Extract) -> None:
    ex = extract("片区培育国家级和省级先进制造业，发展金融服务和航运服务。")
    sectors = found(ex, "Sector")
    assert "先进制造业" in sectors
    assert len(sectors) == 3  # 先进制造业, 金融, 航运
    assert not any("和" in label for label in sectors)
