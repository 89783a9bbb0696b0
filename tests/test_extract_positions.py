"""Strategic positions: one reading per role, and no rank among zones taken for a role."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def positions(ex: Extraction) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == "StrategicPosition"}


def test_a_rank_or_a_count_among_zones_is_no_position(extract: Extract) -> None:
    ex = extract(
        "今天，新疆自贸试验区挂牌成立，成为我国在西北沿边地区设立的首个自贸试验区。"
        "打造一批特色集聚区。"
    )
    assert positions(ex) == set()


def test_a_shorter_reading_inside_a_position_is_no_second_role(extract: Extract) -> None:
    ex = extract("上海自贸试验区要打造国家制度型开放示范区，为全面深化改革探索新途径。")
    assert "国家制度型开放示范区" in positions(ex)
    assert "制度型开放示范区" not in positions(ex)


def test_the_reading_after_a_later_verb_wins(extract: Extract) -> None:
    ex = extract("支持深圳建设好新时代经济特区、打造新征程中国特色社会主义先行示范区。")
    assert not any(p.startswith(("打造", "好")) for p in positions(ex))


def test_each_role_of_a_list_is_a_position(extract: Extract) -> None:
    ex = extract(
        "要发挥好经济增长极、发展动力源、改革试验田的作用。"
        "进一步发挥自贸试验区全面深化改革和扩大开放试验田作用。"
    )
    found = positions(ex)
    assert {"经济增长极", "改革试验田"} <= found
    assert any(p.endswith("全面深化改革和扩大开放试验田") for p in found)  # 和 joins words
    assert not any("、" in p for p in found)


def test_a_list_of_qualified_positions_keeps_each_one(extract: Extract) -> None:
    ex = extract(
        "自贸试验区应当以制度创新为核心，建设投资、贸易、金融结算便利化三位一体的综合试验区、"
        "开放型经济新体制的风险压力测试区、改革系统集成的先行区。"
        "自贸试验区应当建设以多式联运为核心的内陆国际物流枢纽、以货物贸易为基础的内陆国际贸易中心"
        "和以科技创新为支撑的国家重要现代制造业基地。"
        "构建以信用为基础的新型监管机制。"
    )
    found = positions(ex)
    # a bare head after 的 names no position of its own: the whole item is its label
    assert {"风险压力测试区", "改革系统集成的先行区"} <= found
    assert any(p.endswith("三位一体的综合试验区") for p in found)
    assert not {"先行区", "综合试验区"} & found
    # what the zone is built around makes each item a position, whatever its head
    assert {"内陆国际物流枢纽", "内陆国际贸易中心", "国家重要现代制造业基地"} <= found
    assert "新型监管机制" not in found


def test_qualities_before_one_position_stay_one_position(extract: Extract) -> None:
    ex = extract(
        "努力建成投资贸易便利、创新生态良好、优势产业集群、国际交往活跃的高水平自由贸易园区。"
    )
    assert positions(ex) == {"高水平自由贸易园区"}


def test_items_before_yiji_are_positions_of_their_own(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区条例\n第三条 推进自贸试验区建成中国东部地区重要海上开放门户示范区、"
        "国际大宗商品贸易自由化和投资便利化先导区以及具有国际影响力的资源配置基地。\n"
    )
    assert {
        "中国东部地区重要海上开放门户示范区",
        "国际大宗商品贸易自由化和投资便利化先导区",
        "资源配置基地",
    } <= positions(ex)


def test_a_facility_built_is_no_position(extract: Extract) -> None:
    ex = extract("建成投用重庆东站物流园区。建成深中通道、广州白云站等互联互通工程。")
    assert not positions(ex)


def test_a_pronoun_before_a_role_is_not_its_name(extract: Extract) -> None:
    ex = extract("充分发挥其推进改革和提高开放型经济水平“试验田”的作用。")
    assert positions(ex) == {"推进改革和提高开放型经济水平试验田"}


def test_what_a_platform_becomes_is_no_position_of_a_zone(extract: Extract) -> None:
    ex = extract(
        "消博会为全球企业共享中国市场创造机会，也成为海南自贸港建设蓬勃兴起的生动写照。"
        "而进博会成为新时代中国坚持高水平开放的一个生动实践。"
    )
    assert not positions(ex)


def test_an_important_role_is_a_position_whatever_verb_builds_it(extract: Extract) -> None:
    ex = extract(
        "中国（云南）自由贸易试验区条例\n第三条 自贸试验区着力打造“一带一路”和长江经济带互联互通的"
        "重要通道，建设连接南亚东南亚大通道的重要节点。\n"
    )
    assert {
        "一带一路和长江经济带互联互通的重要通道",
        "连接南亚东南亚大通道的重要节点",
    } <= positions(ex)


def test_a_name_made_of_role_words_alone_is_labelled_by_the_whole_item(extract: Extract) -> None:
    ex = extract(
        "中国（黑龙江）自由贸易试验区条例\n第三条 自贸试验区着力打造对俄罗斯及东北亚区域合作的中心枢纽。\n"
        "共建中国式现代化建设的先行区示范区。\n"
    )
    assert positions(ex) == {"对俄罗斯及东北亚区域合作的中心枢纽"}


def test_a_qualified_free_trade_zone_is_what_the_zone_is_built_as(extract: Extract) -> None:
    ex = extract(
        "中国（福建）自由贸易试验区条例\n第一条 为了推进自贸试验区建设，制定本条例。\n"
        "第三条 自贸试验区应当建设投资贸易便利、监管高效便捷、法治环境规范的自由贸易试验区。"
        "福州市成为全国第二批自由贸易试验区。\n"
    )
    assert positions(ex) == {"投资贸易便利、监管高效便捷、法治环境规范的自由贸易试验区"}


def test_the_free_trade_port_holds_the_role_its_sentence_gives_it(extract: Extract) -> None:
    ex = extract(
        "今年，总书记再次来到海南。总书记强调，要把海南自由贸易港打造成为引领我国新时代对外开放的"
        "重要门户。"
    )
    held = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "hasPosition"}
    assert ("海南自由贸易港", "引领我国新时代对外开放的重要门户") in held
    assert not [s for s, _ in held if s == "海南省"]
    linked = {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "linkedWith"
    }
    assert ("海南自由贸易港", "海南省") not in linked


def test_what_a_zone_becomes_is_a_position_though_its_head_names_parks(extract: Extract) -> None:
    ex = extract(
        "中国（福建）自由贸易试验区条例\n第三条 自贸试验区应当建设成为闽台深度合作示范区、"
        "新一轮改革开放先行地。\n"
    )
    assert "闽台深度合作示范区" in positions(ex)


def test_a_position_of_its_own_is_no_quality_of_the_next_item(extract: Extract) -> None:
    ex = extract(
        "中国（福建）自由贸易试验区条例\n第三条 自贸试验区应当建设成为改革创新试验田、"
        "深化两岸经济合作的示范区。\n"
        "第四条 自贸试验区努力建成投资贸易便利、优势产业集群的高水平自由贸易园区。\n"
        "第五条 构建以县城为枢纽、以小城镇为节点的县域经济体系。\n"
    )
    assert {"改革创新试验田", "深化两岸经济合作的示范区"} <= positions(ex)
    assert not {"优势产业集群", "以县城为枢纽"} & positions(ex)


def test_a_role_named_after_the_maritime_silk_road_is_a_position(extract: Extract) -> None:
    ex = extract(
        "中国（福建）自由贸易试验区条例\n第三条 自贸试验区应当建设成为21世纪海上丝绸之路"
        "核心区的重要平台。我国已成为150多个国家和地区的主要贸易伙伴。\n"
    )
    assert "21世纪海上丝绸之路核心区的重要平台" in positions(ex)
    assert "主要贸易伙伴" not in positions(ex)


def test_one_role_no_facility_could_be_makes_its_list_roles(extract: Extract) -> None:
    ex = extract(
        "中国（河南）自由贸易试验区设立三个片区。"
        "郑州片区重点发展智能终端等产业，建设中部开放合作引领区和内陆现代物流示范区。"
    )
    assert {"中部开放合作引领区", "内陆现代物流示范区"} <= positions(ex)
    platform_labels = {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}
    assert not {p for p in platform_labels if "引领区" in p or "示范区" in p}


def test_a_role_word_before_de_makes_a_role_and_its_list_roles(extract: Extract) -> None:
    ex = extract(
        "中国（江苏）自由贸易试验区条例\n第五条 苏州片区打造港口物流枢纽、东部沿江重要的"
        "创新中心和产业示范区。\n第六条 南京片区建设全国重要的区域性金融中心、物流中心和"
        "人才中心。\n第七条 该项目投产后将成为我国重要的新材料产业基地。\n"
    )
    found = positions(ex)
    assert "东部沿江重要的创新中心" in found
    assert {"区域性金融中心", "物流中心", "人才中心"} <= found
    platforms = {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}
    assert not {"区域性金融中心", "物流中心", "人才中心"} & platforms
    # a clause before the role word is no part of the name
    assert not [p for p in found if "投产" in p]


def test_a_frame_around_a_core_is_no_role_word(extract: Extract) -> None:
    ex = extract(
        "中国（湖南）自由贸易试验区条例\n第三条 自贸试验区应当建设以多式联运为核心的内陆国际"
        "物流枢纽。\n"
    )
    assert "内陆国际物流枢纽" in positions(ex)


def test_a_bare_head_after_he_names_no_role(extract: Extract) -> None:
    ex = extract(
        "中国（吉林）自由贸易试验区条例\n第六条 长春片区打造东北全面振兴全方位振兴的增长极和示范区。\n"
    )
    assert "示范区" not in positions(ex)
    assert "东北全面振兴全方位振兴的增长极" in positions(ex)


def test_quotes_inside_a_role_stay_in_its_span(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第三条 自贸试验区努力建成服务于“一带一路”建设的国际物流"
        "枢纽和口岸高地。\n"
    )
    spans = {
        m.surface
        for m in ex.mentions
        if m.entity.cls == "StrategicPosition" and "物流" in m.surface
    }
    assert "服务于“一带一路”建设的国际物流枢纽" in spans
    assert all(span.endswith("枢纽") for span in spans)


def test_an_aim_s_frame_closes_the_last_role(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第三条 自贸试验区以建设内陆开放重要枢纽、"
        "西部大开发战略重要支点为目标，推动高质量发展。\n"
    )
    assert {"内陆开放重要枢纽", "西部大开发战略重要支点"} <= positions(ex)


def test_the_charge_named_after_a_role_closes_it(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第三条 自贸试验区全面落实中央关于打造内陆地区开放发展"
        "新的战略支点的要求。\n"
    )
    assert positions(ex) == {"内陆地区开放发展新的战略支点"}


def test_a_word_of_rank_before_a_node_and_a_core_area_are_roles(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第八条 贵阳片区重点发展现代金融等现代服务业，打造面向东盟的"
        "内陆开放门户核心区和西部陆海新通道重要节点。\n"
    )
    assert {"内陆开放门户核心区", "西部陆海新通道重要节点"} <= positions(ex)


def test_what_a_zone_forms_is_a_role_but_not_what_it_formed(extract: Extract) -> None:
    ex = extract(
        "中国（贵州）自由贸易试验区条例\n第三条 自贸试验区着力建设西南出海口、面向东盟的国际陆海"
        "贸易新通道，推动形成我国面向东盟的开放前沿。全省形成了电子信息等千亿产业集群。\n"
    )
    found = positions(ex)
    assert {"西南出海口", "开放前沿"} <= found
    # the corridor the lexicon knows is a programme the zone supports, no role
    assert "国际陆海贸易新通道" not in found
    assert not [p for p in found if "集群" in p]
    held = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "supports"}
    assert ("中国（贵州）自由贸易试验区", "西部陆海新通道") in held


def test_a_role_is_no_platform_of_the_same_name(extract: Extract) -> None:
    ex = extract(
        "中国（吉林）自由贸易试验区条例\n第六条 长春片区建设对俄罗斯及东北亚全面合作的承载高地和"
        "联通国内、辐射欧亚的国家物流枢纽。\n"
    )
    assert "国家物流枢纽" in positions(ex)
    assert "国家物流枢纽" not in {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}


def test_a_bracket_inside_a_role_s_name_is_part_of_it(extract: Extract) -> None:
    ex = extract(
        "中国（江苏）自由贸易试验区条例\n第七条 连云港片区建设亚欧重要国际交通枢纽、“一带一路”"
        "沿线国家（地区）交流合作平台。\n"
    )
    assert "一带一路沿线国家（地区）交流合作平台" in positions(ex)
    # ASCII brackets, as some texts write them, alike
    ascii_text = "中国(江苏)自由贸易试验区条例\n第七条 连云港片区建设亚欧重要国际交通枢纽、“一带一路”沿线国家(地区)交流合作平台。\n"
    assert "一带一路沿线国家(地区)交流合作平台" in positions(extract(ascii_text))


def test_a_standing_among_others_makes_a_role_and_a_piece_of_one_is_no_platform(
    extract: Extract,
) -> None:
    ex = extract(
        "中国（北京）自由贸易试验区条例\n第三条 自贸试验区助力建设具有全球影响力的科技创新中心，"
        "加快打造服务业扩大开放先行区。\n"
    )
    assert {"科技创新中心", "服务业扩大开放先行区"} <= positions(ex)
    platforms = {m.entity.label for m in ex.mentions if m.entity.cls == "Platform"}
    assert not {"科技创新中心", "开放先行区"} & platforms


def test_a_port_named_by_its_kind_is_no_role(extract: Extract) -> None:
    ex = extract("中国（重庆）自由贸易试验区应当建设国际航空枢纽，发展航空产业和临空经济。")
    assert "国际航空枢纽" in {m.entity.label for m in ex.mentions if m.entity.cls == "Port"}
    roles = {m.entity.label for m in ex.mentions if m.entity.cls == "StrategicPosition"}
    assert "国际航空枢纽" not in roles


def test_a_place_said_to_be_an_important_role_holds_it(extract: Extract) -> None:
    ex = extract(
        "海南是“21世纪海上丝绸之路”的重要战略支点。海南是我国面向太平洋和印度洋的重要对外开放门户。"
        "上海是我国最大的经济中心城市。推进计划是今年的核心任务。\n"
    )
    held = {
        r.object.label
        for r in ex.relations
        if r.predicate == "hasPosition" and r.subject.label == "海南省"
    }
    assert held == {"21世纪海上丝绸之路的重要战略支点", "面向太平洋和印度洋的重要对外开放门户"}
    assert len(positions(ex)) == 2  # no role without a role word, nor for what is no place


def test_a_position_the_state_gave_a_province_is_known_by_name(extract: Extract) -> None:
    ex = extract(
        "第五条 海南自由贸易港实行最严格的生态环境保护制度，建设国家生态文明试验区。"
        "第三十九条 海南自由贸易港推进国际旅游消费中心建设。"
    )
    held = {
        r.object.label
        for r in ex.relations
        if r.predicate == "hasPosition" and r.subject.label == "海南自由贸易港"
    }
    assert {"国家生态文明试验区", "国际旅游消费中心"} <= held


def test_a_programme_quoted_inside_a_role_is_named_too(extract: Extract) -> None:
    ex = extract("努力将新疆自贸试验区打造成为示范样板，服务“一带一路”核心区建设。")
    assert "丝绸之路经济带核心区" in positions(ex)
    served = {r.object.label for r in ex.relations if r.predicate == "supports"}
    assert "一带一路" in served


def test_a_banner_and_a_frontier_are_roles(extract: Extract) -> None:
    ex = extract(
        "将海南自由贸易港打造成为引领我国新时代对外开放的鲜明旗帜和重要开放门户。"
        "海南自由贸易港打造我国深度融入全球经济体系的前沿地带。"
    )
    assert {"鲜明旗帜", "重要开放门户", "深度融入全球经济体系的前沿地带"} <= positions(ex)


def test_a_goal_the_zone_helps_to_reach_is_no_role_of_its_own(extract: Extract) -> None:
    ex = extract(
        "《总体方案》指出，要把内蒙古自贸试验区建设成为新时代改革开放新高地，"
        "助力全方位建设“模范自治区”。"
    )
    roles = {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "hasPosition"
    }
    zone = "中国（内蒙古）自由贸易试验区"
    assert (zone, "新时代改革开放新高地") in roles
    assert (zone, "模范自治区") not in roles
