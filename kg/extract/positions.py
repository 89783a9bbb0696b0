"""Strategic positions: what a zone is to become (建设成为A、B、C) or to be (发挥…作用).

The items after a position trigger are split at 、 (and at 和/与 between two positions); a
list of qualities before 的 qualifies one name. After a strong trigger (建设成为, 定位为) or
a frame that says what the zone is built around (以…为核心的…) every item is a position;
after a weak one (建设, 打造) only an item ending in a role word of ``position.heads``.
"""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from ..read.normalize import CJK
from .context import DocContext, clauses, occurrences
from .enumerations import _CN_NUM, _QUOTES, _mark, _split_items
from .memo import by_identity
from .patterns import HeadRule, PhraseRule
from .topic_ends import clause_start
from .wordtags import word_tags

__all__ = ["find_positions", "served_goal"]


def find_positions(ctx: DocContext) -> None:
    """Strategic positions: what a zone is to become (建设成为A、B、C) or to be (发挥…作用)."""
    p = ctx.patterns
    triggers = re.compile(
        "|".join(map(re.escape, sorted(p.position_triggers, key=len, reverse=True)))
    )
    strong = re.compile(
        "|".join(map(re.escape, sorted(p.position_strong_triggers, key=len, reverse=True)))
    )
    heads = tuple(sorted(p.position_heads, key=len, reverse=True))
    quoted = re.compile(
        rf"“([^”]{{4,80}})”的(?:{'|'.join(map(re.escape, p.position_quoted_closers))})"
    )
    role = re.compile(r"发挥(.{4,30}?)(?:的)?作用")
    # facilities that turn out to be positions, dropped once at the end: dropping each at
    # once rebuilt and re-indexed the mention list for every one (quadratic on a long text)
    dropped: set[Mention] = set()
    for sentence in ctx.sentences:
        # the searches below are for literal words (“, 发挥, 是, a trigger), found in a
        # clause only where its sentence holds them: most sentences hold none, and pass
        text = sentence.text
        for match in quoted.finditer(text) if "“" in text else ():
            offset = sentence.start + match.start(1)
            for start, end, item in _split_items(match.group(1), offset, ctx):
                if re.match(rf"^{_CN_NUM}个", item):
                    ctx.add_mention(
                        start, end, Entity("StrategicPosition", item), sentence, "position:quoted"
                    )
        for match in role.finditer(text) if "发挥" in text else ():
            # 发挥好经济增长极、发展动力源、改革试验田的作用: each item is a role (和 joins
            # two words of one: 全面深化改革和扩大开放试验田)
            start = sentence.start + match.start(1)
            for item in match.group(1).split("、"):
                _position(ctx, sentence, start, start + len(item), heads, False, dropped)
                start += len(item) + 1
        if "是" not in text and not triggers.search(text):
            continue
        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            if "是" in clause:  # the word _place_is reads the clause from
                _place_is(ctx, sentence, c_start, c_end, heads, dropped)
            for t in triggers.finditer(clause):
                if t.group() == "形成" and clause.startswith(("了", "一批"), t.end()):
                    continue  # 形成了…: what was achieved, no role to be
                if t.group() == "成为" and _other_subject(
                    ctx, sentence, c_start, c_start + t.start(), dropped
                ):
                    continue  # 价格波动成为…的关键瓶颈: what becomes it is no zone
                if (
                    t.group() == "建成"
                    and _verb_at(ctx, sentence, c_start + t.end())
                    and "的" not in clause[t.end() :]
                ):
                    continue  # 建成投用重庆东站: a station built, not what the zone becomes
                is_strong = (
                    strong.fullmatch(t.group()) is not None
                    or bool(strong.search(clause, max(0, t.start() - 2), t.end() + 2))
                ) and (t.group() != "建成" or _zone_becomes(clause, t.start(), t.end()))
                is_strong = is_strong or _ROLE_FRAME.match(clause, t.end()) is not None
                begin = c_start + t.end()
                # 以建设…重要枢纽、…重要支点为目标: the aim's frame closes the last item
                aim = _AIM.search(clause, t.end()) if "以" in clause[: t.start()] else None
                # …关于打造…新的战略支点的要求, 肩负着打造…样板的使命: the charge named after
                # the roles closes the last one
                aim = aim or _CHARGE.search(clause, t.end())
                items = _position_items(ctx, begin, c_start + aim.start() if aim else c_end, heads)
                # one item no facility could be (…经济合作引领区) makes the list's items roles
                # (…引领区), or one a role word qualifies (全国重要的区域性经济中心、物流中心)
                roles = any(
                    _only_a_role(ctx, ctx.text[a:b], heads)
                    or _role_named(ctx.text[a:b].translate(_QUOTES), p.position_role_words)
                    and ctx.text[a:b].endswith((*heads, *p.position_role_heads))
                    for a, b in items
                )
                for start, end in items:
                    if t.group() == "形成" and ctx.text.endswith(_FORMED_NOT, start, end):
                        continue  # 形成…千亿产业集群: industries that cluster, no role
                    _position(ctx, sentence, start, end, heads, is_strong, dropped, roles)
    if dropped:
        # a mention equal to a dropped one has its offsets: one with other offsets is kept
        # without hashing all its fields (a Mention's hash, at every test)
        spans = {(m.start, m.end) for m in dropped}
        ctx.mentions = [
            m for m in ctx.mentions if (m.start, m.end) not in spans or m not in dropped
        ]


def _place_is(
    ctx: DocContext,
    sentence: Sentence,
    c_start: int,
    c_end: int,
    heads: tuple[str, ...],
    dropped: set[Mention],
) -> None:
    """海南是…的重要战略支点: a place said to be an important role holds it, as it would
    after 打造; the role word (重要, 核心) keeps plain descriptions out (上海是…城市)."""
    clause = ctx.text[c_start:c_end]
    for at in occurrences("是", clause):
        begin = c_start + at
        if not any(
            m.end == begin and m.entity.cls in _SUBJECT_PLACES
            for m in ctx.mentions_in(c_start, begin)
        ):
            continue
        for start, end in _position_items(ctx, begin + 1, c_end, heads):
            bare = ctx.text[start:end].translate(_QUOTES)
            if _role_named(bare, ctx.patterns.position_role_words) and bare.endswith(heads):
                _position(ctx, sentence, start, end, heads, True, dropped, True)


_FORMED_NOT = ("集群", "增长点")
# a centre by the nation's design read by its head (内陆国际贸易中心), which the zone is to
# become here, as it would be a facility of that name
_CENTRE_READING = "phrase:Initiative"
_AIM = re.compile("为(?:目标|重点|核心|导向|主线|方向|抓手|引领|支撑)$")
_CHARGE = re.compile("的(?:要求|目标|使命|任务|重任|历史使命|战略任务)$")
_SUBJECT_PLACES = frozenset(
    {
        "PilotFreeTradeZone",
        "Area",
        "FreeTradePort",
        "Region",
        "City",
        "Province",
        "Port",
    }
)
_NOUN_TAGS = frozenset({"n", "vn", "nz", "ng", "an"})


def _other_subject(
    ctx: DocContext, sentence: Sentence, start: int, end: int, dropped: set[Mention]
) -> bool:
    """A noun before 成为 in its clause, and no zone or place: it, not a zone, becomes. A
    clause with no noun of its own (…，也成为…) has the subject of the sentence, a name that
    opens it (消博会为…创造机会，也成为…)."""
    if any(
        m.entity.cls in _SUBJECT_PLACES and m not in dropped for m in ctx.mentions_in(start, end)
    ):
        return False
    if _names_a_zone(ctx.text[start:end]):
        return False
    tags = word_tags()
    nouns = any(
        tags.get(ctx.text[s:e], "x") in _NOUN_TAGS
        for s, e in ctx.tokens.get(sentence.index, [])
        if start <= s and e <= end
    )
    if nouns or start <= sentence.start:
        return nouns
    opening = ctx.mentions_in(sentence.start, start)[:1]
    return bool(
        opening
        and opening[0].start - sentence.start <= 1
        and opening[0].entity.cls not in _SUBJECT_PLACES
    )


def _position_items(
    ctx: DocContext, start: int, end: int, heads: tuple[str, ...]
) -> list[tuple[int, int]]:
    """Items of a list of positions: split at 、, and at 和/与 only between two positions
    (战略性新兴产业和高技术产业集聚区 is one); a 的 joins what precedes it to its head."""
    text = ctx.text
    pieces: list[tuple[int, int]] = []
    # 以及 closes the items before it: qualities after it (…以及具有国际影响力的资源配置
    # 基地) qualify only its own item
    walls: set[int] = set()
    pos = start
    for i in range(start, end):
        if text[i] == "、":
            pieces.append((pos, i))
            pos = i + 1
        elif text.startswith("以及", i):
            pieces.append((pos, i))
            pos = i + 2
            walls.add(len(pieces))
        elif text[i] in "和与" and ctx.aligned(i, i + 1):
            left = text[pos:i].translate(_QUOTES)
            if left.endswith(heads):
                pieces.append((pos, i))
                pos = i + 1
    pieces.append((pos, end))
    items: list[tuple[int, int]] = []
    for n, (a, b) in enumerate(pieces):
        if "的" in text[a:b]:
            # 贸易自由、投资便利、…的国际一流自由贸易园区: one position, qualified by the
            # qualities before it, back to the last item that is a qualified position of its
            # own (…三位一体的综合试验区、开放型经济新体制的风险压力测试区)
            first = max((w for w in walls if w <= n), default=0)
            while len(items) > first and not _qualified_position(
                text[items[-1][0] : items[-1][1]], heads, ctx.patterns.position_role_words
            ):
                a = items.pop()[0]
        items.append((a, b))
    return [(a, b) for a, b in items if b > a]


def _qualified_position(item: str, heads: tuple[str, ...], roles: tuple[str, ...]) -> bool:
    """…新体制的风险压力测试区, …国际资本的重要聚集地, 改革创新试验田: a position of its
    own, no quality of the next item's name (优势产业集群 is one: industries that cluster)."""
    bare = item.translate(_QUOTES)
    if bare.endswith(heads) and not bare.endswith(_QUALITY_ENDS) and not _FRAME.match(bare):
        return True
    return "的" in bare and bare[bare.rfind("的") + 1 :].startswith(roles)


_QUALITY_ENDS = ("集群", "集聚")
# 构建以县城为枢纽、以小城镇为节点的…体系: a frame that qualifies the last item
_FRAME = re.compile(r"以[^为的]{1,12}为[^的]*$")


# 建设以多式联运为核心的内陆国际物流枢纽、以货物贸易为基础的…中心: what the zone is
# built around says what it is to be, whatever the head
_ROLE_FRAME = re.compile(r"以[^，。；、]{1,20}为(?:核心|基础|重点|目标|支撑|主体|引领|导向|特色)的")


# 成为…首个自贸试验区, 打造一批特色集聚区: a rank among others of a kind, or a batch of
# things built, is no role the zone is given
_COUNTED = re.compile(rf"(?:首|第{_CN_NUM})[个家批座]|一批")


def _position(
    ctx: DocContext,
    sentence: Sentence,
    start: int,
    end: int,
    heads: tuple[str, ...],
    strong: bool,
    dropped: set[Mention],
    in_roles: bool = False,
) -> None:
    p = ctx.patterns
    item = ctx.text[start:end]
    bare = item.translate(_QUOTES)
    weak_heads = _weak_heads(heads, p.position_strong_only_heads)
    named = bare[bare.rfind("的") + 1 :]
    role = _role_named(bare, p.position_role_words) and (
        named.startswith(p.position_role_words) or not _verb_before(ctx, sentence, start, end)
    )
    # 国际陆海贸易新通道重要节点: a word of rank right before the role's head
    role = role or bare.endswith(_ranked_heads(p.position_role_words, p.position_role_heads))
    # …互联互通的重要通道, 东部沿海重要的创新中心: a role, whatever verb builds it
    if (in_roles or role) and named.endswith((*heads, *p.position_role_heads)):
        strong = True
    if bare.endswith(p.position_qualified_heads) and "的" not in bare:
        return
    if bare.endswith(p.position_never_heads) or not (
        bare.endswith(weak_heads) or (strong and _noun_phrase(bare))
    ):
        return
    lead = 0
    for m in ctx.mentions_in(start, end):  # 自贸试验区全面深化改革和扩大开放试验田
        if m.start == start and m.entity.cls in ("PilotFreeTradeZone", "Area"):
            lead = m.end - start
    for prefix in p.position_strip:
        if item[lead:].startswith(prefix):
            lead += len(prefix)
    label = item[lead:].translate(_QUOTES)
    if label.startswith("的"):
        return  # 中国式现代化建设的先行区: 建设 is a noun there, no trigger
    de = label.rfind("的")
    if de >= 0 and label[de - 1 : de] != "新":  # …开放发展新的战略支点: 新的 names it
        # 贸易自由、投资便利…的国际一流自由贸易园区: the name the qualities qualify is the
        # label; the whole is a surface form. A bare head (深化两岸经济合作的示范区,
        # 改革系统集成的先行区) names no position of its own: the whole is the label
        named = label[de + 1 :]
        # …的重要通道, …的中心枢纽 are as bare as …的通道: the whole item names the role
        if not role and not _only_heads(named, heads):
            label = named
    if len(label) < 3 or len(item) - lead > p.position_max_length or _COUNTED.match(label):
        return
    if _only_heads(label, heads):
        return  # …振兴的增长极和示范区: a bare head after 和 names no role of its own
    if ctx.lexicon.find("Initiative", label) is not None:
        return  # 建设…面向东盟的国际陆海贸易新通道: the programme the lexicon knows, no role
    if label in _port_kinds(ctx.patterns.heads):
        # 建设国际航空枢纽: a port of the zone's city, named by its kind, no role
        _mark(ctx, sentence, start + lead, end, Entity("Port", label), "position:port")
        return
    entity = Entity("StrategicPosition", label)
    _mark(ctx, sentence, start + lead, end, entity, "position:trigger")
    de = ctx.text.rfind("的", start + lead, end)
    if (
        de > start + lead
        and ctx.text[de - 1] != "新"
        and ctx.text[de + 1 : end] not in p.position_qualified_heads
    ):
        # the name a qualifier qualifies (…的高水平对外开放平台) and the last quality with it
        # (…、塑造中国形象的生动窗口) are forms of the position too
        _mark(ctx, sentence, de + 1, end, entity, "position:trigger")
        last_item = ctx.text.rfind("、", start + lead, de)
        if last_item >= 0:
            _mark(ctx, sentence, last_item + 1, end, entity, "position:trigger")
    before = ctx.text[sentence.start : start]
    if in_roles or (
        strong and ("成为" in before or "定位为" in before or de >= 0 or _built_as(ctx, sentence))
    ):
        # 建设成为…内陆与沿海沿边沿江协同开放示范区, 逐步建成…的高标准自由贸易园区: what the
        # zone is to become, though the head names facilities too (建成投用重庆东站 is a
        # station built)
        dropped.update(
            m
            for m in ctx.mentions_in(start + lead, end)
            if m.end == end
            and (
                m.entity.cls == "Platform"
                or m.rule == _CENTRE_READING
                and m.entity.label.endswith(ctx.patterns.phrase_programme_centres)
            )
        )
    else:
        # 打造服务业扩大开放先行区: a platform read after a governing verb inside the role's
        # own name (开放先行区) is a piece of it
        dropped.update(
            m
            for m in ctx.mentions_in(start + lead, end)
            if m.entity.cls == "Platform"
            and m.end == end
            and m.start > start + lead
            and not any(c in "的和与及、" for c in ctx.text[start + lead : m.start])
            and ctx.text.endswith(ctx.patterns.phrase_verbs, start + lead, m.start)
        )


def _verb_before(ctx: DocContext, sentence: Sentence, start: int, end: int) -> bool:
    """投产后将成为我国重要的…基地: a verb before the item's 的 makes its qualifier a clause,
    no part of the role's name."""
    de = ctx.text.rfind("的", start, end)
    tags = word_tags()
    return any(
        tags.get(ctx.text[s:e], "x")[:1] == "v"
        for s, e in ctx.tokens.get(sentence.index, [])
        if start <= s and e <= de
    )


_STANDING = ("具有全球影响力", "具有国际影响力", "具有世界影响力", "具有全国影响力")


@by_identity  # kg.extract.memo: the rules' tuples hash slowly
def _port_kinds(heads: tuple[HeadRule, ...]) -> frozenset[str]:
    """Ports' heads of four characters or more (国际航空枢纽, 航空枢纽), a port on their own."""
    return frozenset(h for r in heads if r.cls == "Port" for h in r.heads if len(h) >= 4)


def _role_named(bare: str, roles: tuple[str, ...]) -> bool:
    """…的重要通道, 重要的创新中心: a role word by the 的 that qualifies the name."""
    de = bare.rfind("的")
    if de < 0:
        return False
    qualifier = bare[:de]
    if qualifier.startswith(_STANDING):
        return True  # 具有全球影响力的科技创新中心: a standing among others is a role
    # 以多式联运为核心的…枢纽: a frame the zone is built around (_ROLE_FRAME), no role word
    return bare.startswith(roles, de + 1) or (
        qualifier.endswith(roles) and not qualifier.endswith(tuple("为" + r for r in roles))
    )


@by_identity  # kg.extract.memo: made once per document, not once per item
def _weak_heads(heads: tuple[str, ...], strong_only: frozenset[str]) -> tuple[str, ...]:
    """The heads an item after a weak trigger may end in: all but the strong-only ones."""
    return tuple(h for h in heads if h not in strong_only)


@by_identity  # kg.extract.memo
def _ranked_heads(words: tuple[str, ...], heads: tuple[str, ...]) -> tuple[str, ...]:
    """A word of rank right before a role's head (重要节点), each pair written out."""
    return tuple(w + h for w in words for h in heads)


def _only_a_role(ctx: DocContext, item: str, heads: tuple[str, ...]) -> bool:
    """An item whose head names a role and no facility (引领区, 承载区, 高地; not 示范区)."""
    p = ctx.patterns
    bare = item.translate(_QUOTES)
    weak = _weak_heads(heads, p.position_strong_only_heads)
    return bare.endswith(weak) and not bare.endswith(_facility_heads(p.phrase_heads, p.heads))


@by_identity  # kg.extract.memo: the rules' tuples hash slowly
def _facility_heads(
    phrase_heads: tuple[PhraseRule, ...], heads: tuple[HeadRule, ...]
) -> tuple[str, ...]:
    """The heads that name platforms, by either kind of rule (asked once per list item)."""
    return (
        *(h for r in phrase_heads if r.cls == "Platform" for h in r.heads),
        *(h for r in heads if r.cls == "Platform" for h in r.heads),
    )


def _zone_becomes(clause: str, start: int, end: int) -> bool:
    """建成 says what a zone becomes when the zone stands before it (推进自贸试验区建成…) or
    what follows is qualified (努力建成…的高水平自由贸易园区); otherwise it is something
    built (建成深中通道、广州白云站)."""
    lead = clause[:start]
    return _names_a_zone(lead) or "的" in clause[end:]


def _only_heads(name: str, heads: tuple[str, ...]) -> bool:
    """Whether ``name`` is made of role words alone (枢纽, 中心枢纽, 门户枢纽)."""
    if not name:
        return True
    return any(name.startswith(h) and _only_heads(name[len(h) :], heads) for h in heads)


def _built_as(ctx: DocContext, sentence: Sentence) -> bool:
    """推进自贸试验区建成…示范区: 建成 before a noun says what the zone becomes (建成投用
    重庆东站, before a verb, says a station was built)."""
    at = sentence.text.find("建成")
    if at < 0 or _verb_at(ctx, sentence, sentence.start + at + 2):
        return False
    # the zone is what becomes it (建成深中通道、广州白云站: a province built them)
    lead = sentence.text[:at]
    lead = lead[max(lead.rfind(c) for c in "，；：") + 1 :]
    return _names_a_zone(lead)


def _names_a_zone(text: str) -> bool:
    return "自贸" in text or "自由贸易" in text


def _verb_at(ctx: DocContext, sentence: Sentence, at: int) -> bool:
    return word_tags().get(ctx.word_starting_at(sentence.index, at), "n")[:1] == "v"


_CENTURY = re.compile(r"\d+世纪")


_NOUN_CHARS = re.compile(rf"[{CJK}“”\"、（）()]{{4,60}}")  # compiled once, asked per item


def _noun_phrase(text: str) -> bool:
    """A phrase that can name a position: CJK, no clause marks, ends in a noun-like character."""
    text = _CENTURY.sub("世纪", text)  # 21世纪海上丝绸之路核心区的重要平台: no count
    # （地区）, （连云港）: a bracket inside a name is part of it
    return bool(_NOUN_CHARS.fullmatch(text)) and not text.endswith(
        ("的", "了", "和", "与", "及", "等", "作用")
    )


_CONTRIBUTIONS = ("作出", "做出", "贡献", "提供")
_HELPING = ("助力", "助推")


def served_goal(ctx: DocContext, sentence: Sentence, position: Mention) -> bool:
    """为全方位建设模范自治区…作出更大贡献, 助力全方位建设“模范自治区”: a goal the subject
    helps to reach is no position of its own (``hasPosition`` skips it)."""
    lead = ctx.text[clause_start(ctx, position.start, sentence.start) : position.start]
    if lead.startswith(_HELPING):
        return True
    return lead.startswith("为") and any(
        word in ctx.text[position.end : sentence.end] for word in _CONTRIBUTIONS
    )
