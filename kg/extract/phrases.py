"""Noun phrases typed by their head word: platforms, organizations, initiatives, rules, lists.

Chinese names of bodies and facilities are compounds whose last word says what they are
(…平台, …基地, …交易市场 are platforms; …委员会, …人民政府, …领导小组 are organizations;
…改革, …战略 are initiatives). For every head word of ``[[phrase.head]]`` in
``patterns.toml`` this component takes the compound that ends in it: the text back to the
start of its clause or enumeration item, less what stands before the object of a verb
(the subject, modal and governing verbs, 的-modifiers: 自贸试验区支持设立 | 京津冀协同发展基金).
What is left must be a plausible name: a head preceded by a modifier, not too long, and
not followed by a noun that would make it a modifier itself (中心城市).
"""

from __future__ import annotations

import re

from ..model import Entity, Sentence
from ..read.normalize import CJK
from .context import DocContext, clauses, occurrences
from .name_starts import (
    VERB_TAGS,
    after_a_clause,
    amount_units_end,
    departments_start,
    has_verb,
    not_a_complement,
    noun_begun_by_verb,
    object_verb_in_name,
    stationed,
    stationed_by,
    tokens_from,
    toward_a_partner,
    unopened_quote,
    zone_fund_start,
    zone_in_full,
    zone_short_names,
)
from .patterns import PhraseRule
from .phrase_patterns import (
    any_word,
    head_index,
    lead_words,
    standalone_pattern,
    words_pattern,
)
from .wordtags import word_tags

__all__ = ["find_phrases"]

_ARTICLE = re.compile(r"\s*第[一二三四五六七八九十百零〇\d]+[条章节款项]\s*")
_ENUM_MARK = re.compile(r"\s*[（(][一二三四五六七八九十\d]+[）)]\s*")
_CONJUNCTIONS = ("、", "和", "及", "以及", "及其", "与", "或者", "或", "并", "同", "等")
# a character of each connector: where none stands, no connector does
_ANY_CONJUNCTION = re.compile("[、和及与或并同等]")
# what stands before these modifies the body generally (省人民政府相关部门 → 部门: no name)
_CUTS = ("的", "相关", "有关", "所属", "之间", "——", "所在地")
# a date, a count or a batch (8个对外开放口岸, 京津冀三地产权交易市场, 第二批…联动创新区,
# 81666次…班列, 首趟…班列) stands before a name, never inside it
_DATE_OR_BRACKET = re.compile(
    r"[0-9０-９]+[年月日号个家项类次趟列]?|[两三四五六七八九多各]地(?!区)"
    r"|第[一二三四五六七八九十\d]+批|首[趟列批个家]|[（(]"
)
_PHRASE_CHARS = re.compile(rf"^[{CJK}A-Za-z0-9（）()“”\"—－]+$")
_ORDINAL_OK = re.compile(r"第[一二三四五六七八九十百零〇\d]+届")
# a number or a count in the modifier (compiled once: it is asked of every phrase)
_COUNT = re.compile(r"\d|[一二三四五六七八九十两几多数]+[个项条地座处家所批]")
# a facility "in the zone" is named without it: 自贸试验区海关特殊监管区域 → 海关特殊监管区域
_PLACES = ("PilotFreeTradeZone", "FreeTradePort", "Area")
_NAMES = ("PilotFreeTradeZone", "FreeTradePort", "Area", "Port", "Region", "City", "Country")


# 重要节点, 关键节点: what a place is to a corridor or a plan, not a facility of that name.
_EVALUATIVE = ("重要", "关键", "核心", "历史")
_ROLE_HEADS = frozenset({"节点"})


def find_phrases(ctx: DocContext) -> None:
    rules = ctx.patterns.phrase_heads
    if not rules:
        return
    pattern, by_head = head_index(rules)
    # the tables each head's phrase reads, found once (not by identity at every head)
    verbs = words_pattern(ctx.patterns.phrase_verbs)
    lead = lead_words(ctx.patterns.phrase_lead_words)
    wanted = any_word(rules, ctx.patterns.phrase_standalone)
    standalone = standalone_pattern(ctx.patterns.phrase_standalone)
    text = ctx.text  # read once: a property
    for sentence in ctx.sentences:
        # the heads and the standalone words are literal words, found in a clause only
        # where its sentence holds one: a sentence with none is passed over at once
        if not wanted.search(sentence.text):
            continue
        # and the same of the standalone words alone
        bodies = standalone.search(sentence.text) is not None
        tokens = ctx.tokens.get(sentence.index, [])
        ends = {e for _, e in tokens}
        starts = {s: e for s, e in tokens}
        for c_start, c_end in clauses(sentence):
            clause = text[c_start:c_end]
            names: list[tuple[int, int]] | None = None  # looked up at the first head only
            for match in pattern.finditer(clause):
                head = match.group(0)
                rule = by_head[head]
                h_start, h_end = c_start + match.start(), c_start + match.end()
                if names is None:
                    names = [
                        (m.start, m.end)
                        for m in ctx.mentions_in(c_start, c_end)
                        if m.entity.cls in _NAMES or m.rule == "title"
                    ]
                if any(a <= h_start and h_end <= b for a, b in names):
                    continue  # 试验区 in 自贸试验区, 港 in 天津港, 方案 in 《…实施方案》
                if text[max(0, h_end - 8) : h_end].endswith(ctx.patterns.phrase_never):
                    continue
                if ctx.lexicon.find(rule.cls, head) is not None:
                    continue  # 海外仓, 综合保税区: the lexicon's own entity, however qualified
                if h_end not in ends and h_end != c_end:
                    continue  # the head is the start of a longer word (中心城 …)
                if len(head) == 1 and _place_word(ctx, sentence.index, h_end):
                    continue  # 太仓, 武昌站…: one character ends a place's name, no facility
                if rule.no_verbs and any(s < h_start < e < h_end for s, e in tokens):
                    continue  # 便利船舶进出口|岸: the head begins inside another word
                if not _ends_phrase(ctx, rule, h_end, c_end, starts):
                    continue
                if _verb_head_after_verb(ctx, head, sentence.index, h_start):
                    continue  # 领导小组负责组织…: 组织 is the verb here
                if text.endswith(_EVALUATIVE, 0, h_start) and head in _ROLE_HEADS:
                    continue  # 中蒙俄经济走廊重要节点: a role the text gives, no facility
                found = _phrase(ctx, (pattern, verbs, lead), rule, c_start, h_start, h_end, head)
                if found is None:
                    continue
                start, label = found
                cls = rule.cls
                if cls == "Platform" and label.endswith(ctx.patterns.phrase_programme_centres):
                    cls = "Initiative"  # 上海国际金融中心: a programme, no facility
                entity = ctx.lexicon.find(cls, label) or Entity(cls, label)
                ctx.add_mention(start, h_end, entity, sentence, f"phrase:{cls}")
            if bodies:
                _standalone(ctx, sentence, c_start, clause)


def _ends_phrase(
    ctx: DocContext, rule: PhraseRule, h_end: int, c_end: int, starts: dict[int, int]
) -> bool:
    """The head closes the noun phrase: what follows is no noun it would be a modifier of
    (中心城市, 平台企业); an attribute of the named thing may follow (…交易市场功能)."""
    if h_end >= c_end:
        return True
    nxt_end = starts.get(h_end)
    if nxt_end is None:
        return True
    word = ctx.text[h_end:nxt_end]
    return word not in ctx.patterns.phrase_blockers and word not in rule.blockers


# the heads' pattern, the governing verbs' and the lead words by their first character
_Tables = tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, ...]]]


def _phrase(
    ctx: DocContext,
    tables: _Tables,
    rule: PhraseRule,
    c_start: int,
    h_start: int,
    h_end: int,
    head: str,
) -> tuple[int, str] | None:
    text = ctx.text
    item = _item_start(ctx, c_start, h_start)
    start = _after_last_verb(ctx, tables, item, h_start)
    start = after_a_clause(ctx, start, h_start)
    if rule.keep_zone:
        # 中国（四川）自由贸易试验区推进工作领导小组: a body named after its zone keeps its verbs
        zones = [
            m.start
            for m in ctx.mentions_in(item, h_start)
            if m.rule == "zone:full" and ctx.text[m.end : h_start].isalnum()
        ]
        zones += zone_short_names(text, item, h_start)
        start = min([start, *zones])
    else:
        start = zone_fund_start(ctx, head, item, start, h_start)
    for cut in _CUTS:
        at = text.rfind(cut, start, h_start)
        if at < 0 or stationed_by(text, at, cut):
            continue
        body = departments_start(ctx, at, cut, head)
        start = body if body is not None else at + len(cut)
    for m in _DATE_OR_BRACKET.finditer(text, start, h_start):
        if m.group() in "（(" and re.search("[）)]", text[m.end() : h_start]):
            continue  # 中国（四川）…: a closed bracket belongs to the name
        start = m.end()  # （2019年5月23日四川省…委员会: the name starts after the date
    while start < h_start and text[start].isspace():
        start += 1  # 2019年9月26日 重庆市…: a space after the date
    start = _strip_lead(ctx, tables[2], rule, start, h_start)
    start += unopened_quote(text[start:h_start])
    if start and text[start - 1].isdigit():
        # 设立不少于200亿引导基金, 100万千瓦以上…基地: the amount's units are no part of the name
        start = amount_units_end(text, start, h_start)
    if rule.cls == "Organization" and head in _SEATED_HEADS:
        seat = _SEAT.search(text, max(c_start, start - 16), start)
        if seat is not None:  # 片区所在地设区的市人民政府: the body of the place it sits in
            start = seat.start()
    label = text[start:h_end]
    if head in ctx.patterns.phrase_stationed_only and "驻" not in label:
        return None
    if label in ctx.patterns.phrase_generic:
        return None  # 跨部门联网核查: an adverbial, not a body
    modifier = label[: len(label) - len(head)]
    # a head of four characters or more names a kind of body on its own (工作机构, 税务部门)
    least = 0 if len(head) >= 4 and rule.cls == "Organization" else rule.min_modifier
    if len(modifier) < least or len(label) > ctx.patterns.phrase_max_length:
        return None
    if not _PHRASE_CHARS.match(label) or "以下" in label or "了" in modifier:
        return None  # 打击了…市中心: a clause, not a name
    if _COUNT.search(_ORDINAL_OK.sub("", modifier)):
        return None
    if modifier and (modifier[-1] in "一二三四五六七八九十两几多各" or modifier.endswith("所有")):
        return None  # 五部门, 海南各部门, 伊朗所有港口: a count of bodies, not one
    if label[:1] in "年月日" or (rule.no_verbs and has_verb(ctx, start, h_start)):
        return None
    if rule.cls in ("Port", "Organization", "Agreement") and _JOIN.search(modifier):
        # 横琴与拱北口岸, 码头和出入境口岸: the port is the last of two things joined (a
        # name holds its own: “一带一路”沿线国家和地区口岸); so is a body joined to another
        # (龙头企业和行业协会, 法人或者其他组织…), not a body's name (文化和旅游部), and a set
        # of rules joined to the laws (法律法规和国际通行规则; not 国际投资和贸易通行规则)
        names = [(m.start, m.end) for m in ctx.mentions_in(start, h_start)]
        ends = _RULE_ENDS if rule.cls == "Agreement" else _BODY_ENDS
        joins = [
            m.end()
            for m in _JOIN.finditer(modifier)
            if not any(a <= start + m.start() < b for a, b in names)
            and (rule.cls == "Port" or modifier[: m.start()].endswith(ends))
        ]
        if joins:
            after = joins[-1]
            start, label, modifier = start + after, label[after:], modifier[after:]
            if len(modifier) < rule.min_modifier:
                return None
    if modifier in ctx.patterns.phrase_generic or modifier.startswith(
        ctx.patterns.phrase_generic_prefixes
    ):
        return None
    return start, label


# the place a body sits in, written before it (自贸试验区所在地的市人民政府, 片区所在市人民政府,
# 自贸试验区各片区的管理机构, 自贸试验区各区域所在地人民政府)
_SEAT = re.compile("(?:自贸试验区)?各?(?:片区|区域)?(?:所在地?的?(?:设区的)?|(?<=片区)的?)$")
_SEATED_HEADS = frozenset({"人民政府", "管理机构", "管委会", "管理委员会"})


def _item_start(ctx: DocContext, c_start: int, h_start: int) -> int:
    """Where the enumeration item or clause holding the head begins.

    和/与/及 join two items when what stands before them is complete (a phrase with a head
    of its own, a name that is no place: 海外物流节点和海外仓) or when a place follows a
    word that is none (航空网络和内陆地区…平台). Between two places they coordinate
    modifiers of one name (内陆与沿海沿边沿江协同开放战略, 中部和长江经济带…).
    """
    text = ctx.text
    start = c_start
    if _ANY_CONJUNCTION.search(text, c_start, h_start) is None:
        return start  # no connector stands wholly before the head: rfind finds none
    # found at the first connector that asks (most items hold none): they read nothing
    # this loop changes
    bounds: tuple[set[int], set[int], set[int]] | None = None
    for conj in _CONJUNCTIONS:
        at = text.rfind(conj, c_start, h_start)
        while at >= 0:
            after = at + len(conj)
            # a connector inside a word (和林格尔, 同城) does not split an enumeration
            split = conj in ("、", "等")
            if not split and ctx.aligned(at, after):
                if bounds is None:
                    bounds = _boundaries(ctx, c_start, h_start)
                heads, names, places = bounds
                split = (
                    at in heads
                    or (at in names and at not in places)
                    or (after in places and at not in places)
                )
            if split:
                start = max(start, after)
                break
            at = text.rfind(conj, c_start, at)
    return start


def _boundaries(ctx: DocContext, start: int, end: int) -> tuple[set[int], set[int], set[int]]:
    """Offsets where a headed phrase ends, where a name ends, and where a place begins or ends."""
    text = ctx.text
    pattern, _ = head_index(ctx.patterns.phrase_heads)
    heads = {m.end() for m in pattern.finditer(text, start, end)}
    # a role's head ends an item too (…经济合作引领区和临港经济创新示范区: two)
    roles = words_pattern(ctx.patterns.position_heads)
    heads.update(m.end() for m in roles.finditer(text, start, end))
    names: set[int] = set()
    places: set[int] = set()
    for m in ctx.mentions_in(start, end):
        names.add(m.end)
        if m.entity.cls in _NAMES:
            places.update((m.start, m.end))
    return heads, names, places


def _verb_head_after_verb(ctx: DocContext, head: str, sentence: int, h_start: int) -> bool:
    """A head that is also a verb (组织) right after a governing verb, adverb or conjunction,
    or one verb of a character before a preposition (坚定站在…一边)."""
    tags = _word_tags()
    if tags.get(head, "n") not in VERB_TAGS:
        return False
    if len(head) == 1 and ctx.word_starting_at(sentence, h_start + 1) in _AFTER_A_VERB:
        return True
    before = ctx.word_ending_at(sentence, h_start)
    if before.endswith(_BODY_HEADS):
        return True  # 工商行政管理部门组织建立…: the body before it is the subject
    after = ctx.word_starting_at(sentence, h_start + len(head))
    if tags.get(after, "x")[:1] == "v" and tags.get(before, "x") in ("d", "t", "v"):
        return True  # 党中央正在组织起草…: a verb before a verb, after an adverb
    return tags.get(before, "x")[:1] in ("d", "c") or before in ctx.patterns.phrase_verbs


_BODY_HEADS = ("部门", "机构", "政府", "委员会", "管委会", "办公室", "领导小组")


_AFTER_A_VERB = frozenset({"在", "于", "到", "着", "了"})


def _after_last_verb(ctx: DocContext, tables: _Tables, start: int, limit: int) -> int:
    """Just after the last governing verb, modal or preposition (a whole word) before the head."""
    text = ctx.text
    best = start
    keep = ctx.patterns.phrase_keep_first
    names: list[tuple[int, int]] | None = None
    head_words, pattern, _ = tables
    for m in pattern.finditer(text, start, limit):
        at, end = m.start(), m.end()  # read once: each test asks
        if not ctx.aligned(at, end):
            # 科研机构建设产业创新平台: 构建 straddles two words; the verb is 建设
            shifted = pattern.match(text, at + 1, limit)
            if shifted and ctx.aligned(shifted.start(), shifted.end()):
                m = shifted
                at, end = m.start(), m.end()
            elif noun_begun_by_verb(ctx, at):
                continue  # 工程建设项目承诺制改革: 建设 begins the noun 建设项目
        verb = m.group()
        if end == limit and verb in keep:
            continue  # 引导基金, 研究中心: the verb names the kind of fund or centre
        if stationed(ctx, at) or not_a_complement(ctx, at, verb):
            continue
        if toward_a_partner(ctx, at, verb):
            continue
        # once a verb has governed the name, or the list it is an item of
        governed_name = best > start or text[start - 1 : start] in _ITEM_MARKS
        if governed_name and object_verb_in_name(ctx, at, end, limit):
            continue
        named = head_words.match(text, at)
        if named and named.end() > end:
            continue  # 领导小组办公室: 领导 begins the name of a body, it governs nothing
        if names is None:
            names = [(n.start, n.end) for n in ctx.mentions_in(start, limit)]
        if any(a < at and end <= b for a, b in names):
            continue  # 国家科技成果转化引导基金: the verb ends a name (科技成果转化), no clause
        if len(verb) > 1 or ctx.aligned(at, end):
            best = end
    return best


_JOIN = re.compile("或者|[和与及]")
_ITEM_MARKS = frozenset("、和与及")
# words that end the name of a kind of body (法人, 龙头企业, 分支机构)
# (公安干警和驻晋单位: people joined to a body)
_RULE_ENDS = ("法规", "法律", "规定", "规则", "惯例")
_BODY_ENDS: tuple[str, ...] = ("企业", "法人", "公司", "机构", "组织", "协会", "商会", "院", "校")
_BODY_ENDS += ("人", "警", "兵", "员")

_OPENING = frozenset('“"')
_CLOSING = frozenset('”"')


def _strip_lead(
    ctx: DocContext, words: dict[str, tuple[str, ...]], rule: PhraseRule, start: int, limit: int
) -> int:
    """Skip article numbers, leading verbs and, for facilities, the zone they stand in
    (``words``: the lead words by their first character)."""
    text = ctx.text
    changed = True
    while changed and start < limit:
        changed = False
        for regex in (_ARTICLE, _ENUM_MARK):
            m = regex.match(text, start, limit)
            if m and m.end() > start:
                start = m.end()
                changed = True
        for word in words.get(text[start : start + 1], words[""]):
            if text.startswith(word, start) and ctx.aligned(start, start + len(word)):
                start += len(word)
                changed = True
                break
        if not changed and rule.strip_places and text[start : start + 1] in _OPENING:
            # “一带一路”沿线港口: the quoted programme qualifies the ports, as a place would
            close = next((i for i in range(start + 1, limit) if text[i] in _CLOSING), limit)
            quoted = (
                (start, close + 1),
                (start + 1, close),
            )  # the name read with its quotes or not
            if any((m.start, m.end) in quoted for m in ctx.mentions_in(start, limit)):
                start = close + 1
                changed = True
        if not changed:
            at_start = [m for m in ctx.mentions_in(start, limit) if m.start == start]
            # 吉林自贸试验区更大改革: the zone, not the province's name inside it
            for place in sorted(at_start, key=lambda m: m.start - m.end)[:1]:
                if place.entity.cls in _PLACES:
                    inside = text.startswith(("内", "区内"), place.end)
                    # 中国（上海）自由贸易试验区门户网站: a zone written in full before a
                    # facility is part of its proper name
                    full = rule.cls == "Platform" and zone_in_full(ctx, place, limit, _NAMES)
                    if (rule.strip_places and not full) or inside:
                        skip = 0 if not inside else 1 if text[place.end] == "内" else 2
                        start = place.end + skip
                        changed = True
                break
        named = text.startswith(ctx.patterns.phrase_never, start) or any(
            m.start == start for m in ctx.mentions_in(start, limit)
        )
        if not changed and not named:
            first = next((e for s, e in tokens_from(ctx, start, limit)), None)
            word = text[start:first] if first is not None else ""
            tag = _word_tags().get(word, "x")
            # a verb used as a noun (综合服务监管平台; jieba's 营口) stays in the name
            if (
                word
                and not stationed(ctx, start)
                and (tag in VERB_TAGS or tag[:1] in ("d", "p", "c", "r") or tag == "i")
                and word not in ctx.patterns.phrase_keep_first
                and word[:1] not in ctx.patterns.phrase_keep_first  # 驻津机构, 跨区域…联盟
                and word != "其他"  # 其他区域改革: what follows 其他 is no name
                and not toward_a_partner(ctx, start, word)
            ):
                start += len(word)
                changed = True
    return start


def _standalone(ctx: DocContext, sentence: Sentence, c_start: int, clause: str) -> None:
    """Bodies named by one word (国务院, 海关, 税务) where they stand as a word of their own."""
    if not standalone_pattern(ctx.patterns.phrase_standalone).search(clause):
        return  # most clauses hold none of the words: one search tells
    for cls, words in ctx.patterns.phrase_standalone:
        for word in words:
            for at in occurrences(word, clause):
                start, end = c_start + at, c_start + at + len(word)
                if word in ctx.patterns.phrase_by_place:
                    # jieba's one word 天津海关, or a city's name before the body's word
                    whole = ctx.word_ending_at(sentence.index, end)
                    if len(whole) > len(word) and whole.endswith(word):
                        start = end - len(whole)
                    elif ctx.aligned(start, end):
                        start = _place_before(ctx, sentence, start)
                if cls == "Port" and _names_a_facility(ctx, sentence, end):
                    continue
                if word in ctx.patterns.phrase_listed_only and not _listed(ctx, words, start, end):
                    continue
                if ctx.aligned(start, end):
                    name = ctx.text[start:end]
                    entity = ctx.lexicon.find(cls, name) or Entity(cls, name)
                    ctx.add_mention(start, end, entity, sentence, f"phrase:{cls}")


_CITIES = frozenset({"City", "Region"})


def _listed(ctx: DocContext, words: tuple[str, ...], start: int, end: int) -> bool:
    """检验检疫 in 海关、检验检疫、海事等部门: next to another department of the list."""
    text = ctx.text
    before = text[start - 1 : start] == "、" and text.endswith(words, 0, start - 1)
    after = text[end : end + 1] == "、" and text.startswith(words, end + 1)
    return before or after


# 海港、空港联动, 海港空港联动, 海港、空港枢纽的联动: a port named by its kind stands alone
# before these; before anything else it qualifies a facility of its own (空港口岸, 芜湖空港保税
# 物流中心, 空港经济区)
_AFTER_A_PORT_KIND = frozenset({"枢纽", "联动", "、", "，", "。", "；", "和", "与", "及"})


def _names_a_facility(ctx: DocContext, sentence: Sentence, end: int) -> bool:
    """海港, 空港 before a noun qualify it; they name ports only where they stand alone."""
    if end >= sentence.end:
        return False
    following = ctx.word_starting_at(sentence.index, end)
    kinds = dict(ctx.patterns.phrase_standalone).get("Port", ())
    return following not in _AFTER_A_PORT_KIND and following not in kinds


def _place_before(ctx: DocContext, sentence: Sentence, start: int) -> int:
    """Where the name of the city or region that ends at ``start`` begins (``start`` if
    none does)."""
    for m in ctx.mentions_in(sentence.start, start):
        if m.end == start and m.entity.cls in _CITIES:
            return m.start
    return start


def _word_tags() -> dict[str, str]:
    return word_tags()


def _place_word(ctx: DocContext, sentence: int, end: int) -> bool:
    word = ctx.word_ending_at(sentence, end)
    # 太仓 is a town; 南站, 北站 are stations
    return len(word) == 2 and word[0] not in "东西南北" and _word_tags().get(word, "x") == "ns"
