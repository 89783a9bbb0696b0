"""Where the name of a platform or a body begins: the words before its head that belong
to it (对俄罗斯…中心, 在川高校, 自贸试验区推进工作领导小组) and those that do not (a
governing 好, a quotation left open)."""

from __future__ import annotations

import bisect
import re
from operator import itemgetter

from ..model import Mention
from ..read.normalize import CJK
from .context import DocContext
from .wordtags import word_tags

__all__ = [
    "VERB_TAGS",
    "after_a_clause",
    "amount_units_end",
    "departments_start",
    "has_verb",
    "not_a_complement",
    "noun_begun_by_verb",
    "stationed",
    "stationed_by",
    "tokens_from",
    "toward_a_partner",
    "unopened_quote",
    "zone_fund_start",
    "zone_in_full",
    "zone_short_names",
]


def stationed(ctx: DocContext, at: int) -> bool:
    """在川高校, 中央在渝机构: 在 before a province's one-character name says where the body
    is, as 驻 does; it governs nothing."""
    if ctx.text[at : at + 1] != "在":
        return False
    sentence = ctx.sentence_at(at)
    place = ctx.word_starting_at(sentence.index, at + 1) if sentence is not None else ""
    return len(place) == 1 and word_tags().get(place, "x") in ("j", "ns")


def not_a_complement(ctx: DocContext, at: int, verb: str) -> bool:
    """服务好…: 好 governs only as the complement of a verb (“非洲好物” is a name)."""
    if verb != "好":
        return False
    sentence = ctx.sentence_at(at)
    before = ctx.word_ending_at(sentence.index, at) if sentence is not None else ""
    return word_tags().get(before, "x") not in ("v", "vn")


_SHORT_ZONES = ("自贸试验区", "自由贸易试验区")
# what stands between a zone's short name and its own body's head (…推进工作领导小组)
_ZONE_WORK = re.compile("(?:推进|建设|发展)?(?:工作)?(?:领导小组)?")


def toward_a_partner(ctx: DocContext, at: int, word: str) -> bool:
    """对俄罗斯进出口商品交易中心, 对日合作示范区: 对 before a partner begins a name."""
    return word == "对" and any(
        m.start == at + 1 and m.entity.cls in _PARTNERS for m in ctx.mentions_in(at + 1, at + 8)
    )


_PARTNERS = frozenset({"Country", "Region"})


def zone_short_names(text: str, item: int, h_start: int) -> list[int]:
    """自贸试验区推进工作领导小组: the zone's short name, read after the phrases, begins the
    name of the zone's own body too (where the words between are those of such a body)."""
    found = []
    for zone in _SHORT_ZONES:
        short = text.rfind(zone, item, h_start)
        if short >= 0 and _ZONE_WORK.fullmatch(text, short + len(zone), h_start):
            found.append(short)
    return found


def unopened_quote(lead: str) -> int:
    """一带一路"沿线国家港口: the phrase began inside a quotation; it starts after its end.
    “二线口岸”: a quotation left open before the head is not part of the name."""
    cut = 0
    if lead.count('"') % 2:
        cut = lead.rfind('"') + 1
    close = lead.rfind("”")
    if close >= cut and "“" not in lead[:close]:
        cut = close + 1
    if lead.count("“") > lead.count("”"):
        cut = max(cut, lead.rfind("“") + 1)  # 10个“二线口岸”: the quotation closes after the head
    return cut


def noun_begun_by_verb(ctx: DocContext, start: int) -> bool:
    """A compound noun of four characters or more that the verb begins, after a noun
    (工程建设项目); at the head of its clause or after a modal the verb governs
    (，建设工程研究中心, 应当建设工程研究中心), and 符合国家, which jieba also calls a noun, is
    the verb and its object."""
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return False
    word = ctx.word_starting_at(sentence.index, start)
    before = ctx.word_ending_at(sentence.index, start)
    return (
        len(word) >= 4
        and not word.startswith("符合")
        and word_tags().get(word, "x")[:1] == "n"
        and word_tags().get(before, "n" if _CJK_WORD.fullmatch(before) else "x")[:1] == "n"
    )


_CJK_WORD = re.compile(f"[{CJK}]+")

# verbs that name what a facility does, after their object (投融资对接, 成果转化, 场景发布)
_NAMING_VERBS = frozenset({"对接", "引进", "引入", "形成", "转化", "推广", "发布", "共享"})
# nouns that do what the verb after them says (企业引进…, 我们对接…): no object of it
_DOERS: tuple[str, ...] = ("企业", "公司", "机构", "政府", "部门", "银行", "单位", "主体", "双方")
_DOERS += ("各方", "区", "们", "民", "众", "者", "员", "人")  # people too (居民发布…, 我们对接…)
_NAME_TAIL = 4  # characters a name may run on between such a verb and its head


def object_verb_in_name(ctx: DocContext, start: int, end: int, head: int) -> bool:
    """投融资对接服务系统, 资源引进中转基地, 价格形成中心: a verb right after its own object,
    close before the head, is part of the facility's name."""
    if ctx.text[start:end] not in _NAMING_VERBS or head - end > _NAME_TAIL:
        return False
    sentence = ctx.sentence_at(start)
    if sentence is None or not ctx.aligned(start, end):
        return False
    before = ctx.word_ending_at(sentence.index, start)
    return (
        len(before) >= 2
        and word_tags().get(before, "x") in ("n", "nz")  # not 宣传推广, 服务对接
        and not before.endswith(_DOERS)
        and not ctx.mentions_in(start - len(before), start)
        and not ctx.mentions_in(end, head)  # 对接国际贸易平台: a known name follows the verb
    )


_AMOUNT_UNITS = re.compile(
    "[亿万千百十]*(?:美元|元|千瓦|瓦|亩|吨|平方公里|公里|个|家|项|座)?(?:以上|以下|左右)?"
)


def amount_units_end(text: str, start: int, limit: int) -> int:
    """Past the units of an amount written before a name (200亿引导基金, 100万千瓦以上…基地)."""
    amount = _AMOUNT_UNITS.match(text, start, limit)
    return amount.end() if amount else start


def zone_in_full(ctx: DocContext, place: Mention, limit: int, names: tuple[str, ...]) -> bool:
    """中国（上海）自由贸易试验区门户网站: a zone written in full (not 自贸试验区 alone)
    opens a facility's proper name, unless a place of its own follows (…喀什片区…中心)."""
    return _written_in_full(ctx, place) and not any(
        m.start == place.end and m.entity.cls in names for m in ctx.mentions_in(place.end, limit)
    )


def zone_fund_start(ctx: DocContext, head: str, item: int, start: int, h_start: int) -> int:
    """海南自由贸易港建设投资基金: a fund named after its zone's 建设 or 发展, the zone
    written in full, keeps both (a verb there, 建设国际航运中心, has an object instead)."""
    if head not in _ZONE_FUNDS:
        return start
    text = ctx.text
    for m in ctx.mentions_in(item, h_start):
        if (
            _written_in_full(ctx, m)
            and text.startswith(_ZONE_WORKS, m.end)
            and start == m.end + 2
            and text[m.end : h_start].isalnum()
        ):
            return m.start
    return start


def _written_in_full(ctx: DocContext, m: Mention) -> bool:
    return m.entity.cls in _ZONE_CLASSES and ctx.text[m.start : m.end] == m.entity.label


_ZONE_CLASSES = ("PilotFreeTradeZone", "FreeTradePort")
_ZONE_WORKS = ("建设", "发展")
_ZONE_FUNDS = frozenset({"基金"})


def stationed_by(text: str, at: int, cut: str) -> bool:
    """国家有关驻津机构: 有关 between the state and 驻 is part of a stationed body's name."""
    return (
        cut in ("有关", "相关")
        and text.startswith("驻", at + len(cut))
        and text.endswith(_STATIONING, 0, at)
    )


_STATIONING = ("国家", "中央")


def departments_start(ctx: DocContext, at: int, cut: str, head: str) -> int | None:
    """国务院有关部门, 省人民政府有关部门: the departments of a named body are a body of
    their own, named with it (有关部门 alone names none); where that body's name starts."""
    if (
        cut not in ("有关", "相关")
        or head != "部门"
        or not ctx.text.startswith(head, at + len(cut))
    ):
        return None
    return next(
        (
            m.start
            for m in ctx.mentions_in(max(0, at - 12), at)
            if m.end == at and m.entity.cls == "Organization"
        ),
        None,
    )


VERB_TAGS = frozenset({"v", "vd", "vi", "vg", "vq"})


def has_verb(ctx: DocContext, start: int, end: int) -> bool:
    """A verb in the modifier (习近平总书记深入港口, 便利船舶进出口岸): no name of a kind."""
    allowed = {*ctx.patterns.phrase_keep_first, "开放"}
    tags = word_tags()
    for s, e in tokens_from(ctx, start, end):
        word = ctx.text[s:e]
        tag = tags.get(word, "x")
        if tag == "l" and len(word) == 4:
            # 高度重视 (an idiom ending in a verb) is a predicate; 对外开放口岸 stays a kind
            word, tag = word[2:], tags.get(word[2:], "x")
        if (tag in VERB_TAGS and word not in allowed) or tag == "nrfg":
            return True  # a verb, or a person's full name (习近平总书记…): a clause
    return False


def tokens_from(ctx: DocContext, start: int, limit: int) -> list[tuple[int, int]]:
    """jieba's words from ``start`` up to ``limit`` (the token spans of its sentence)."""
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return []
    tokens = ctx.tokens.get(sentence.index, [])
    # the spans follow each other (tokenize cuts the sentence in order), their starts and
    # ends never decreasing: those starting at ``start`` or later are a tail of the list,
    # those ending by ``limit`` a head, and the words asked for are the slice both hold
    first = bisect.bisect_left(tokens, start, key=_START)
    last = bisect.bisect_right(tokens, limit, key=_END)
    return tokens[first:last]


_START = itemgetter(0)
_END = itemgetter(1)


# Adverbs of time and aspect that only a clause holds (伊朗已同意接受…, 宁夏正聚焦…, 当晚召集…)
_ASPECT = frozenset(
    {
        "已",
        "已经",
        "正",
        "正在",
        "都",
        "则",
        "还",
        "就",
        "也",
        "又",
        "曾",
        "仍",
        "均",
        "即将",
        "立即",
        "随即",
        "随后",
        "分别",
        "初步",
        "纷纷",
        "相继",
        "先后",
        "再次",
        "率先",
        "当晚",
        "当天",
        "当日",
        "上午",
        "下午",
        "晚间",
    }
)
_PERSON_TAGS = frozenset({"nr", "nrfg"})
_LED_TAGS = VERB_TAGS | {"d"}  # 已同意接受: jieba tags 同意 as an adverb
_REPORTS = ("作", "应邀")  # 李强作政府工作报告, 孙卫东应邀作报告


def after_a_clause(ctx: DocContext, start: int, limit: int) -> int:
    """Where a name starts after the clause before it in the same words: after the verbs that
    an adverb of aspect or time (江苏省…平台已接入省内医疗机构, 总理…当晚召集执政联盟) or a
    person making a report (赵乐际作全国人大常委会工作报告) leads; ``start`` if none does."""
    tags = word_tags()
    spans = tokens_from(ctx, start, limit)
    best = start
    for i, (s, e) in enumerate(spans[:-1]):
        word = ctx.text[s:e]
        if word not in _ASPECT and tags.get(word, "x") not in _PERSON_TAGS:
            continue  # ``led`` is false whatever the next word is
        nxt = ctx.text[spans[i + 1][0] : spans[i + 1][1]]
        led = (word in _ASPECT and tags.get(nxt, "x") in _LED_TAGS) or (
            tags.get(word, "x") in _PERSON_TAGS and nxt in _REPORTS
        )
        if not led:
            continue
        j = i + 1  # the verbs it leads, but not the word the head follows (执政联盟)
        while j < len(spans) and spans[j][1] < limit:
            word = ctx.text[spans[j][0] : spans[j][1]]
            if not (tags.get(word, "x") in _LED_TAGS or word in _REPORTS):
                break
            j += 1
        best = spans[j][0] if j < len(spans) else spans[-1][1]
    return best
