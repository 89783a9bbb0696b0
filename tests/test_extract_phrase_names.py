"""Names typed by their head word: where a platform's name starts and ends."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def _named(ex: Extraction, cls: str) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == cls}


def platforms(ex: Extraction) -> set[str]:
    return _named(ex, "Platform")


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


def test_a_verb_after_its_own_object_is_part_of_the_facility_s_name(extract: Extract) -> None:
    ex = extract(
        "推动建设技术成果转化服务平台、供需对接平台和大宗商品价格形成中心。"
        "支持企业对接国际贸易平台，鼓励居民发布社区公告。"
    )
    assert {"技术成果转化服务平台", "供需对接平台", "大宗商品价格形成中心"} <= platforms(ex)
    assert not {"企业对接国际贸易平台", "居民发布社区"} & platforms(ex)


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


def organizations(ex: Extraction) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == "Organization"}


def test_a_batch_or_a_count_of_places_is_no_part_of_the_name(extract: Extract) -> None:
    ex = extract(
        "推动第二批自由贸易试验区联动创新区建设。"
        "多地车站提前安排夜间列车。"
        "向以色列北部的一处以军基地发射火箭弹。"
    )
    assert "自贸试验区联动创新区" in platforms(ex)
    assert not any(p.startswith(("第二批", "地", "一处")) for p in platforms(ex))


def test_a_verb_before_the_head_ends_no_name_of_a_facility(extract: Extract) -> None:
    ex = extract(
        "应当坚定站在历史正确一边。"
        "因地制宜发展县城综合商业中心。"
        "民建紧扣党和国家中心任务切实履行职能。"
    )
    assert platforms(ex) == {"县城综合商业中心"}


def test_bodies_stationed_in_a_province_keep_its_name(extract: Extract) -> None:
    ex = extract(
        "支持在川高校开展合作。"
        "海关、税务等中央在渝机构，依法履行相关工作职责。"
        "创新措施涉及市人民政府及其部门权限的，市人民政府应当及时提请市人民代表大会或者其常务委员会作出决定。"
    )
    bodies = organizations(ex)
    assert {"在川高校", "中央在渝机构", "市人民政府", "市人民代表大会"} <= bodies
    assert not {"川高校", "渝机构", "措施涉及市人民政府", "常务委员会"} & bodies


def test_customs_take_the_name_of_the_city_before_them(extract: Extract) -> None:
    ex = extract(
        "据海口海关统计，封关首日进出口货值增长。天津海关和南京海关签署协议。"
        "目前，自贸片区内海关备案企业数量增长。"
    )
    bodies = organizations(ex)
    assert {"海口海关", "天津海关", "南京海关", "海关"} <= bodies
    assert not any(b.endswith("内海关") for b in bodies)


def test_a_manner_before_a_head_used_as_a_verb_names_no_document(extract: Extract) -> None:
    ex = extract("自贸试验区合理规划油品储运、矿石中转等区域。")
    assert "合理规划" not in {m.entity.label for m in ex.mentions}


def test_a_fund_set_up_and_managed_is_named_without_the_verbs(extract: Extract) -> None:
    ex = extract("探索外资股权投资管理机构在自贸试验区内发起管理人民币股权投资和创业投资基金。")
    assert "人民币股权投资和创业投资基金" in platforms(ex)


def test_a_body_joined_to_another_is_the_last_of_the_two(extract: Extract) -> None:
    ex = extract(
        "鼓励、支持自然人、法人和非法人组织在自贸试验区开展创新活动。"
        "引导龙头企业和行业协会参与标准制定。文化和旅游部支持自贸试验区建设。"
    )
    bodies = _named(ex, "Organization")
    assert "法人和非法人组织" not in bodies and "龙头企业和行业协会" not in bodies
    assert {"行业协会", "文化和旅游部"} <= bodies


def test_ports_named_by_their_kind_stand_alone_not_before_a_facility(extract: Extract) -> None:
    ex = extract("推动海港、空港联动发展。支持海港空港枢纽协同。申建某市空港保税物流中心。")
    assert _named(ex, "Port") == {"海港", "空港"}
    assert len([m for m in ex.mentions if m.entity.label == "空港"]) == 2


def test_a_body_stationed_somewhere_keeps_the_words_that_say_whose_it_is(
    extract: Extract,
) -> None:
    ex = extract(
        "海关、边防检查、税务等中央驻闽单位应当支持改革。"
        "海关、海事等国家有关驻沪机构依法履行职责。有关单位和个人应当配合。"
    )
    bodies = _named(ex, "Organization")
    assert {"中央驻闽单位", "国家有关驻沪机构", "边防检查"} <= bodies
    assert not {"有关单位", "单位", "边防", "驻沪机构"} & bodies
    assert ("边防检查", "中央驻闽单位") in {
        (r.subject.label, r.object.label) for r in ex.relations if r.predicate == "partOf"
    }


def test_a_verb_with_its_complement_governs_the_name_after_it(extract: Extract) -> None:
    ex = extract("我们将协同好服务好中央驻赣单位。办好“丝路好物”公共平台。")
    assert "中央驻赣单位" in _named(ex, "Organization")
    assert "“丝路好物”公共平台" in platforms(ex)


def test_transfer_and_conversion_name_the_kind_of_platform(extract: Extract) -> None:
    ex = extract("推动建立区域科技成果转移转化平台。")
    assert "区域科技成果转移转化平台" in platforms(ex)


def test_a_named_bonded_zone_keeps_its_place_and_name(extract: Extract) -> None:
    ex = extract(
        "自贸试验区所属的天津东疆保税港区和广州南沙综合保税区执行相应政策。"
        "支持本市其他综合保税区发展。"
    )
    assert {"天津东疆保税港区", "广州南沙综合保税区", "综合保税区"} <= platforms(ex)


def test_a_verb_or_a_pronoun_ends_the_name_before_a_facility(extract: Extract) -> None:
    ex = extract("宿州获批国家物流枢纽承载城市。账户之间以及自由贸易账户与境外账户的资金可以划转。")
    assert not any(p.startswith("宿州") for p in platforms(ex))
    assert "自由贸易账户" in platforms(ex)
    assert not any("之间" in p for p in platforms(ex))


def test_bodies_joined_by_huozhe_and_bodies_that_organise(extract: Extract) -> None:
    ex = extract(
        "法人或者其他组织不服管委会作出的决定。"
        "由管委会组织驻区机构和有关部门制定办法。"
        "市场监管部门组织建立企业准入工作机制。"
        "国家规定其他区域改革试点措施适用于本区。"
    )
    bodies = _named(ex, "Organization")
    assert {"驻区机构", "市场监管部门"} <= bodies
    assert not any(b.startswith(("法人", "管委会组织")) or b.endswith("部门组织") for b in bodies)
    assert "区域改革" not in _named(ex, "Initiative")


def test_departments_named_only_in_a_list_of_departments(extract: Extract) -> None:
    ex = extract(
        "海关、检验检疫、工商、公安等部门设立自贸试验区工作机构。"
        "出席国际工商领导人峰会。加强检验检疫能力建设。"
    )
    named = [m.entity.label for m in ex.mentions if m.entity.cls == "Organization"]
    assert named.count("工商") == 1
    assert named.count("检验检疫") == 1
    parts = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "partOf"}
    assert {("公安", "自贸试验区工作机构"), ("检验检疫", "自贸试验区工作机构")} <= parts


def test_a_first_or_a_numbered_run_stands_before_the_name(extract: Extract) -> None:
    ex = extract(
        "12345次冷链专列班列从广州开往南宁，这标志着首趟铁路冷链班列正式开行。"
        "批准设立首家外商独资证券公司。"
    )
    assert {"冷链专列班列", "铁路冷链班列"} <= platforms(ex)
    assert not any(p.startswith(("次", "标志", "首")) for p in platforms(ex))
    assert "外商独资证券公司" in _named(ex, "Organization")


def test_organise_after_an_adverb_and_before_a_verb_is_a_verb(extract: Extract) -> None:
    ex = extract("党中央正在组织起草规划建议。志愿服务组织开展活动。")
    bodies = _named(ex, "Organization")
    assert not any(b.endswith("正在组织") for b in bodies)
    assert "志愿服务组织" in bodies


def test_a_government_is_named_without_who_speaks_for_it(extract: Extract) -> None:
    ex = extract("现在，我代表省人民政府，向大会报告工作。有关人民政府或者部门应当给予支持。")
    bodies = _named(ex, "Organization")
    assert "省人民政府" in bodies
    assert not {"代表省人民政府", "人民政府"} & bodies


def test_a_body_named_after_the_body_it_serves_keeps_its_first_word(extract: Extract) -> None:
    ex = extract("领导小组办公室设在省商务主管部门。")
    assert "领导小组办公室" in _named(ex, "Organization")


def test_a_dash_joins_partners_in_a_name_and_a_double_dash_ends_it(extract: Extract) -> None:
    ex = extract("加快建设中国—东盟产业合作区。重点工程——南宁东站建成投用。")
    assert "中国—东盟产业合作区" in platforms(ex)
    assert "南宁东站" in platforms(ex)
    assert not any("——" in p for p in platforms(ex))


def test_people_joined_to_a_body_are_no_part_of_its_name(extract: Extract) -> None:
    ex = extract("向全省公安干警和驻晋单位表示感谢。")
    assert "驻晋单位" in _named(ex, "Organization")
    assert "公安干警和驻晋单位" not in _named(ex, "Organization")


def test_departments_and_bureaus_are_bodies_and_a_layout_is_none(extract: Extract) -> None:
    ex = extract(
        "工作办公室设在省商务厅。省市场监督管理局、省公安厅和国家统计局按照职责做好工作。"
        "优化产业布局，服务国家发展大局。"
    )
    bodies = _named(ex, "Organization")
    assert {"省商务厅", "省市场监督管理局", "省公安厅", "国家统计局"} <= bodies
    assert not {b for b in bodies if "布局" in b or "大局" in b}


def test_a_bank_branch_is_a_body_not_a_centre(extract: Extract) -> None:
    ex = extract("中国人民银行郑州中心支行应当支持自贸试验区开展跨境人民币业务。")
    assert "中国人民银行郑州中心支行" in _named(ex, "Organization")
    assert not {p for p in platforms(ex) if p.endswith("中心")}


def test_places_listed_before_a_body_s_head_name_a_body_each(extract: Extract) -> None:
    ex = extract("郑州市、开封市、洛阳市人民政府和省人民政府有关部门应当支持片区建设。")
    assert {"郑州市人民政府", "开封市人民政府", "洛阳市人民政府"} <= _named(ex, "Organization")


def test_places_of_two_kinds_share_no_head(extract: Extract) -> None:
    ex = extract("河南省、洛阳市人民政府应当支持片区建设。")
    bodies = _named(ex, "Organization")
    assert "洛阳市人民政府" in bodies
    assert "河南省人民政府" not in bodies


def test_what_a_port_runs_is_no_part_of_the_train_s_name(extract: Extract) -> None:
    ex = extract("二连浩特铁路口岸开行中欧班列2000列。西部陆海新通道累计发运海铁联运班列5000列。")
    names = platforms(ex)
    assert "海铁联运班列" in names
    assert not {p for p in names if "开行" in p or "发运" in p or "累计" in p}


def test_dui_before_a_partner_begins_a_platform_s_name(extract: Extract) -> None:
    ex = extract("支持建设对韩国进出口商品交易中心和对日合作示范区。加强对韩国的合作平台建设。")
    names = platforms(ex)
    assert "对韩国进出口商品交易中心" in names
    assert "韩国进出口商品交易中心" not in names


def test_a_zone_s_own_working_group_keeps_the_zone_s_short_name(extract: Extract) -> None:
    ex = extract(
        "中国（吉林）自由贸易试验区条例\n第四条 省人民政府设立自贸试验区推进工作领导小组，"
        "研究决定重大问题。自贸试验区设立外资银行。\n"
    )
    bodies = _named(ex, "Organization")
    assert "自贸试验区推进工作领导小组" in bodies
    assert "自贸试验区设立外资银行" not in bodies


def test_a_park_named_as_a_town_is_a_platform(extract: Extract) -> None:
    ex = extract("支持在自贸试验区设立中国—东盟金融城，推动沈阳浑南科技城建设。")
    assert {"中国—东盟金融城", "沈阳浑南科技城"} <= platforms(ex)


def test_a_strategy_followed_by_cooperation_is_no_strategy(extract: Extract) -> None:
    ex = extract("打造中俄战略合作及东北亚开放合作的重要平台。实施西部大开发战略。")
    initiatives = _named(ex, "Initiative")
    assert not [i for i in initiatives if i.startswith("中俄")]
    assert "西部大开发" in initiatives


def test_a_body_set_up_in_full_is_named_again_by_its_head_word(extract: Extract) -> None:
    ex = extract(
        "中国（吉林）自由贸易试验区条例\n第四条 省人民政府设立自贸试验区工作领导小组。"
        "自贸试验区工作办公室设在省商务厅，承担领导小组日常工作。金融监管部门依法履职。\n"
    )
    bodies = _named(ex, "Organization")
    assert "自贸试验区工作领导小组" in bodies
    assert "领导小组" not in bodies
    assert "金融监管部门" in bodies


def test_an_experimental_zone_is_a_platform_and_a_misspelt_zone_none(extract: Extract) -> None:
    ex = extract("郑州片区依托郑州航空港经济综合实验区发展。上海推进自由贸易实验区制度型开放。")
    names = platforms(ex)
    assert "郑州航空港经济综合实验区" in names
    assert "自由贸易实验区" not in names


def test_a_known_kind_that_ends_an_instance_s_name_is_no_second_platform(
    extract: Extract,
) -> None:
    ex = extract("加快建设中国（郑州）跨境电子商务综合试验区。建设跨境电子商务综合试验区。")
    labels = [m.entity.label for m in ex.mentions if m.entity.cls == "Platform"]
    assert labels == ["中国（郑州）跨境电子商务综合试验区", "跨境电子商务综合试验区"]


def test_a_platform_named_as_a_role_keeps_the_kind_inside_it(extract: Extract) -> None:
    ex = extract("中国（广西）自由贸易试验区条例\n第十四条 支持建设中国—东盟跨境电商综合试验区。\n")
    assert {"中国—东盟跨境电商综合试验区", "跨境电子商务综合试验区"} <= platforms(ex)


def test_a_body_is_named_with_the_place_it_sits_in(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区条例\n第五条 自贸试验区所在地的市人民政府应当支持自贸试验区建设。"
        "省和片区所在地设区的市人民政府应当加强领导。自贸试验区各片区的管理机构负责片区事务。"
        "片区所在市人民政府配合。市人民政府负责。自贸试验区各区域所在地人民政府负责组织。"
        "支持自贸试验区所在地仲裁机构借鉴国际商事仲裁惯例。"
        "海关、检验检疫、海事、边检、海警等部门驻自贸试验区的工作机构依法履职。\n"
    )
    assert _named(ex, "Organization") >= {
        "自贸试验区所在地的市人民政府",
        "片区所在地设区的市人民政府",
        "自贸试验区各片区的管理机构",
        "片区所在市人民政府",
        "市人民政府",
        "自贸试验区各区域所在地人民政府",
        "仲裁机构",  # a kind of body in the place, not the place's own body
        "海警",
    }


def test_a_word_after_strategy_or_a_completed_verb_ends_no_name(extract: Extract) -> None:
    ex = extract(
        "围绕海南战略定位，在不突破海南省国土空间规划的前提下审批。实施区域协调发展战略。"
        "导弹突破以色列多重防御打击了以色列特拉维夫市中心。"
    )
    assert "海南战略" not in _named(ex, "Initiative")
    assert "海南省国土空间规划" in _named(ex, "PolicyDocument")
    assert not any("了" in label for label in _named(ex, "Platform"))


def test_a_centre_a_city_is_to_become_is_a_programme_the_zone_serves(extract: Extract) -> None:
    ex = extract(
        "中国（上海）自由贸易试验区条例\n第三条 推进自贸试验区建设应当围绕国家战略要求和上海国际"
        "金融中心、国际贸易中心、国际航运中心建设。建设国际物流分拨中心。\n"
    )
    assert {"上海国际金融中心", "国际贸易中心", "国际航运中心"} <= _named(ex, "Initiative")
    assert _named(ex, "Platform") == {"国际物流分拨中心"}
    served = {r.object.label for r in ex.relations if r.predicate == "supports"}
    assert "上海国际金融中心" in served
    ex = extract(
        "中国（重庆）自由贸易试验区条例\n第四条 自贸试验区建设以多式联运为核心的内陆国际物流枢纽、"
        "以货物贸易为基础的内陆国际贸易中心。\n"
    )
    assert "内陆国际贸易中心" not in _named(ex, "Initiative")  # a role the zone takes here


def test_a_zone_written_in_full_is_part_of_its_facility_s_name(extract: Extract) -> None:
    ex = extract(
        "第九条 管理委员会建立中国（上海）自由贸易试验区门户网站。"
        "海南省设立政府引导、市场化方式运作的海南自由贸易港建设投资基金。"
        "在海南自由贸易港设立投资基金。自贸试验区海关特殊监管区域实行一线管理。"
    )
    assert {
        "中国（上海）自由贸易试验区门户网站",
        "海南自由贸易港建设投资基金",
        "投资基金",
        "海关特殊监管区域",
    } <= platforms(ex)
    assert "门户网站" not in platforms(ex)


def test_the_departments_of_a_named_body_are_a_body_part_of_it(extract: Extract) -> None:
    ex = extract(
        "国务院有关部门支持海南自由贸易港建设。省人民政府有关部门应当加强指导。有关部门应当配合。"
    )
    bodies = _named(ex, "Organization")
    assert {"国务院有关部门", "省人民政府有关部门", "省人民政府"} <= bodies
    assert "有关部门" not in bodies
    parts = {(r.subject.label, r.object.label) for r in ex.relations if r.predicate == "partOf"}
    assert {("国务院有关部门", "国务院"), ("省人民政府有关部门", "省人民政府")} <= parts


def test_a_catalogue_or_a_register_is_a_document(extract: Extract) -> None:
    ex = extract(
        "进口征税商品目录由国务院财政部门会同国务院有关部门制定。"
        "将企业列入企业经营异常名录。该项目已被列入国家级非物质文化遗产名录。"
    )
    documents = _named(ex, "PolicyDocument")
    assert {"进口征税商品目录", "企业经营异常名录", "国家级非物质文化遗产名录"} <= documents
    assert not any("列入" in d for d in documents)


def test_issuing_governs_the_name_after_it_and_a_span_of_years_names_no_plan(
    extract: Extract,
) -> None:
    ex = extract("云南印发开放型园区发展行动方案。该市制定三年行动方案。")
    documents = _named(ex, "PolicyDocument")
    assert "开放型园区发展行动方案" in documents
    assert not {"云南印发开放型园区发展行动方案", "三年行动方案"} & documents


def test_a_space_launch_site_is_a_platform(extract: Extract) -> None:
    ex = extract("昨天，在海南商业航天发射场，长征八号甲运载火箭成功发射。加快建设东方航天港。")
    assert {"海南商业航天发射场", "东方航天港"} <= _named(ex, "Platform")


def test_a_name_defined_for_bodies_together_stands_for_them(extract: Extract) -> None:
    ex = extract(
        "中国（浙江）自由贸易试验区条例\n第九条 海关、海事、边检等部门驻自贸试验区的工作机构"
        "（以下统称驻区工作机构），依法履行职责。管委会应当建立与驻区工作机构的沟通协调机制。\n"
        "第十条 各区域所在地人民政府和开发区管委会（以下统称区域管理机构）负责区域建设。"
    )
    short = {m.entity.label for m in ex.mentions if m.surface == "驻区工作机构"}
    assert short == {"工作机构"}
    # two bodies named together are not the last of them
    assert not any(
        m.entity.label == "开发区管委会" and m.surface == "区域管理机构" for m in ex.mentions
    )


def test_what_is_left_of_key_fields_names_nothing(extract: Extract) -> None:
    # 重点 is trimmed as a word of emphasis; 领域 then opens what is left, and a name never
    # starts with it
    ex = extract(
        "自贸试验区深化重点领域改革，着力打造信息交流中心、重点领域科技创新中心和产业合作中心。"
    )
    named = {m.entity.label for m in ex.mentions}
    assert not {label for label in named if label.startswith("领域")}
    assert {"信息交流中心", "产业合作中心"} <= platforms(ex)


def test_a_name_starts_after_the_clause_an_adverb_of_time_or_a_report_leads(
    extract: Extract,
) -> None:
    ex = extract(
        "江苏省卫生健康云影像平台已接入省内医疗机构。"
        "伊朗已同意接受国际原子能机构核查。"
        "宁夏正聚焦绿电园区建设。"
        "赵乐际作全国人大常委会工作报告。"
        "乌克兰数个港口遭到袭击。"
    )
    named = {m.entity.label for m in ex.mentions}
    assert {"医疗机构", "国际原子能机构", "绿电园区"} <= named
    assert not {label for label in named if any(w in label for w in ("已", "正聚焦", "作"))}
    assert not {label for label in named if "数个" in label}
