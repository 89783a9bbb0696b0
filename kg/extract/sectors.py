"""Sectors: the industries and services a text says are to be developed.

The grammar is the one of every plan and regulation: a verb that names development
(发展, 培育, 推进, 开展 …) and an enumeration of noun phrases, or an enumeration closed by
等 and a word that says what its items are (…等服务贸易, …等业态, …等特色金融产业). The
closing phrase is itself a sector when it names one (特色金融产业 → 特色金融). An item
before 业务 names a line of business (开展保税维修、检测和再制造业务). A known sector
written as the modifier of another noun (国际贸易单一窗口, 保税物流网络) is no mention of
the sector: ``drop_sector_modifiers`` removes those lexicon matches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Entity, Mention, Sentence
from ..read.normalize import CJK
from .business import (
    BUSINESS_STAGES,
    activity_after_goods,
    carried_goods,
    currency_business,
    lists_goods,
    lone_word_after,
)
from .context import SENTENCE_MARKS, DocContext, clauses
from .enumerations import (
    _has_task_field_context,
    _mark,
    _split_items,
    classify_item,
    leading_noise,
)
from .finance_bodies import find_finance_lines
from .head_words import ends_in_head, phrase_head_words
from .name_starts import VERB_TAGS
from .sector_gate import sector_gate
from .sector_list_kinds import settle_list
from .sector_segments import (
    QUALIFYING_CLOSE,
    guarded_fields,
    longest_first,
    scope_pattern,
    scope_segments,
    segment_start,
    trigger_segments,
)
from .sector_words import (
    _LIST_MARKS,
    _modifies_after_followers,
    _plain_filler,
    _token_at,
    _word_tags,
)
from .service_bodies import service_bodies

__all__ = ["find_sectors", "LIST_RULE"]

# The rule of a sector that is an item of a list (a lone object of a verb is
# ``trigger:sector``). A list item is kept inside the name of a facility or body whose head
# the list shares (高端制造业、现代服务业和临港产业基地 → 临港产业); a lone one is not
# (建设新型贸易产业集聚区 names a facility, not the sector).
LIST_RULE = "enum:sector"

_CN_NUM = r"(?:\d+|[一二三四五六七八九十两]+)"
_OPEN_QUOTES = frozenset('"“‘「')
_AFTER_BUSINESS = re.compile(rf"(?:业务|贸易)({'|'.join(BUSINESS_STAGES)})$")
_INSURANCE = "保险"
_LIST_INTRODUCED = ("下列", "以下", "如下")
# what follows a list headed by its last item's 产业, and how long its items may be
_LAID_OUT = ("布局", "发展", "，", "。", "；")
_SHARED_HEAD_ITEM = 8
# characters from which an activity's name is specific enough to be a line of service alone
_NAMED_ACTIVITY = 6
_COUNTED_KIND = re.compile(rf"第?{_CN_NUM}[类种]$")


def find_sectors(ctx: DocContext) -> None:
    p = ctx.patterns
    closer = _closer_pattern(p.sector_closers)
    triggers = longest_first(p.sector_triggers)
    scoped = scope_pattern(ctx)
    gate = sector_gate(ctx)
    for sentence in ctx.sentences:
        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            # most clauses have no 等, and every match of the task fields', the service
            # bodies' and the finance bodies' patterns starts with one: their calls would
            # find nothing
            listed = "等" in clause
            if listed and _has_task_field_context(ctx, sentence, clause):
                continue
            done_until = 0
            counted = listed or _COUNT_WORD.search(clause) is not None
            for match in closer.finditer(clause) if counted else ():
                filler, word = match.group("filler"), match.group("closer")
                if not _plain_filler(ctx, filler) or _closes_other_noun(ctx, clause, match.end()):
                    continue
                if match.group("count") and "、" not in clause[done_until : match.start()]:
                    continue  # 培育两大产业: a count, no list
                if word not in ("产业", "行业") and not _closer_ends(
                    ctx, sentence, c_start + match.end()
                ):
                    continue
                begin, developed = segment_start(
                    ctx, clause, c_start, done_until, match.start(), triggers
                )
                framed = "在" in clause[done_until : match.start()]
                if QUALIFYING_CLOSE.match(clause, match.start()) and developed and not framed:
                    continue  # 推进金融保险、…等高端服务领域的贸易便利化: they qualify the object
                if guarded_fields(ctx, clause, match.start()):
                    done_until = match.end()  # no verb's segment reads the list again
                    continue
                insured = filler.endswith(_INSURANCE) and not clause.endswith(
                    _INSURANCE, begin, match.start()
                )  # 开展能源、化工等特殊风险保险业务: what is insured, no industry
                goods = lists_goods(filler, word, p.sector_business_heads)
                if not goods and not insured:
                    _enumeration(
                        ctx,
                        sentence,
                        clause[begin : match.start()],
                        c_start + begin,
                        closed=word in p.sector_industry_closers,
                    )
                if word in p.sector_closer_is_sector:
                    _closer_sector(ctx, sentence, c_start + match.start("filler"), filler, word)
                done_until = match.end()
            if listed:
                service_bodies(ctx, sentence, clause, c_start, triggers)
                find_finance_lines(ctx, sentence, clause, c_start)
            if "业务" in clause:  # where every match of _PILOT starts
                _business_pilots(ctx, sentence, clause, c_start, triggers)
            # one search in C spares the call for the clauses without a segment (nearly all)
            for begin, end in scope_segments(ctx, clause) if scoped.search(clause) else ():
                _enumeration(
                    ctx, sentence, clause[begin:end], c_start + begin, closed=False, activities=True
                )
            # each segment is a stretch of the clause after done_until, and its enumeration
            # an open one: when the clause holds nothing one could name, none does
            segmented = gate.stretches(ctx, clause, c_end, done_until)
            for begin, end, strict in (
                trigger_segments(ctx, clause, c_start, done_until, triggers) if segmented else ()
            ):
                _enumeration(
                    ctx, sentence, clause[begin:end], c_start + begin, closed=False, strict=strict
                )


# Where a closer's match starts without 等: its count's last numeral and 个, 大 or 类. The
# engine finds this in one C scan, but tries the closer's pattern whole at every position
# (its count alternative has no literal start), so a clause with neither has no closer.
_COUNT_NUMERALS = "二三四五六七八九十两"  # of a count that closes a list alone (三大产业)
_COUNT_WORD = re.compile(f"[{_COUNT_NUMERALS}][个大类]")


@lru_cache(maxsize=4)
def _closer_pattern(closers: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(closers, key=len, reverse=True)))
    # the closer ends a word: 业态 is not 业 + 态 (服务业态), nor is 产业带 (a belt) an industry;
    # 融资租赁业务 closes with 业务
    # a count closes a list as 等 does (电子信息、装备制造、新材料三大产业)
    return re.compile(
        rf"(?:等(?:{_CN_NUM}[个大类项])?|(?P<count>[{_COUNT_NUMERALS}]+[个大类]))"
        rf"(?P<filler>(?:(?!等)[{CJK}]){{0,12}}?)(?P<closer>{words})(?![态务带业])"
    )


def _closer_ends(ctx: DocContext, sentence: Sentence, end: int) -> bool:
    """The closing phrase is not itself a modifier (…等业务同城化综合金融服务)."""
    nxt = _token_at(ctx, sentence.index, end)
    if nxt and _modifies_after_followers(ctx, sentence, end, nxt, _word_tags()):
        return False  # 与国际贸易等业务发展需求相适应: the phrase qualifies 需求
    if not nxt or nxt in ctx.patterns.sector_followers:
        return True
    tags = _word_tags()
    tag = tags.get(nxt, "x")
    if tag == "l" and len(nxt) == 4 and tags.get(nxt[2:], "x") in VERB_TAGS:
        return True  # 等领域扩大开放: an idiom that ends in a verb is the predicate
    return not (tag[:1] in "njlx" and tag != "vn") or not re.match(rf"[{CJK}]", nxt)


def _closes_other_noun(ctx: DocContext, clause: str, end: int) -> bool:
    """等重点产业园区: the closer modifies a facility or body, so the items are no sectors."""
    return clause.startswith(phrase_head_words(ctx.patterns.phrase_heads).words, end)


def _enumeration(
    ctx: DocContext,
    sentence: Sentence,
    text: str,
    offset: int,
    closed: bool,
    strict: bool = False,
    activities: bool = False,
) -> None:
    if not closed and not sector_gate(ctx).segment(ctx, text, offset + len(text)):
        return  # most segments after a verb name nothing (kg.extract.sector_gate)
    p = ctx.patterns
    if text.startswith(_LIST_INTRODUCED):
        return  # 重点发展下列海洋产业：…: the kind of the items listed after it
    suffixes = p.sector_strict_suffixes if strict else None
    if activities:  # 增强江海联运服务功能: a line of business, named by its activity
        suffixes = p.sector_suffixes + p.sector_activity_suffixes
    de = text.rfind("的")
    if de >= 0:  # 与东部产业配套协作的高端制造业、…: the enumeration starts after the 的
        offset, text = offset + de + 1, text[de + 1 :]
    items = _split_items(text, offset, ctx)
    if not items or items[-1][2].endswith(p.sector_list_modifies):
        return  # 促进跨境贸易、投融资结算便利化: the items qualify the last word
    if strict and _names_body(ctx, items[0][2]):
        return  # 律师事务所、会计师事务所和知识产权服务…等专业服务机构: kinds of firm
    if (
        strict
        and len(items) > 1
        and items[-1][2].endswith("产业")
        and all(len(item) <= _SHARED_HEAD_ITEM for _, _, item in items)
        and ctx.text.startswith(_LAID_OUT, items[-1][1])
    ):
        # 优化原油精炼、油品加工、液体化工产业布局: the last item's 产业 heads the whole list,
        # whatever the verb (not 高端产业集聚, a quality of a place)
        strict, closed = False, True
    # 推动跨境人民币业务创新发展, 开展市场采购贸易方式试点, 从事国际快递业务经营: the
    # business is what is renewed, tried or run
    s_last, e_last, last = items[-1]
    after = _AFTER_BUSINESS.search(last)
    if after:
        cut = len(after.group(1))
        items[-1] = s_last, e_last - cut, last[:-cut]
    s0, e0, first = items[0]
    cut = 0
    for m in ctx.mentions_in(s0, e0):
        if m.end < e0 and (
            m.entity.cls not in ("Sector", "Platform") or _account_before_service(ctx, m, e0)
        ):
            if m.entity.cls == "Region" and (
                lone_word_after(ctx, m.end, e0) or m.surface in p.sector_region_kinds
            ):
                continue  # 开展沿海捎带业务, 内陆加工贸易: the region's kind qualifies the line
            cut = max(cut, m.end - s0)
            if first.startswith("内", cut) and m.entity.cls in ("PilotFreeTradeZone", "Area"):
                cut += 1  # 自贸试验区内投资贸易
    items[0] = (s0 + cut, e0, first[cut:])
    # …业务: the items name lines of business (发展内外贸同船运输、国轮捎带业务)
    s_last, e_last, last = items[-1]
    business = ""
    for word in p.sector_business_heads:
        if last.endswith(word) and len(last) > len(word):
            business = word
            # one item, or a list after a verb that is no trigger, must still look like industries
            closed = closed or (len(items) > 1 and not strict)
            break
    if not strict and (business or len(items) > 1 or _named_activity(ctx, last, offset)):
        # 推动知识产权质押融资: a long name of a line of service is one alone too
        suffixes = p.sector_suffixes + p.sector_activity_suffixes
    found_any = False
    results: list[tuple[int, int, tuple[Entity, int] | None]] = []
    for i, (start, end, _item) in enumerate(items):
        core_end = end - (len(business) if i == len(items) - 1 else 0)
        core = ctx.text[start:core_end]
        if i == len(items) - 1 and results and results[-1][2] is None:
            # 发展海运集装箱和航空快件国际中转集拼业务: what is carried, then the business
            # both share
            start += carried_goods(ctx, start, core, items[i - 1][2])
            core = ctx.text[start:core_end]
        elif business and len(items) == 1:
            start += carried_goods(ctx, start, core, None)
            core = ctx.text[start:core_end]
        quoted = _quoted_qualifier(core) if core[:1] in _OPEN_QUOTES else 0  # its first test
        if quoted:  # “汉孝随襄十”新能源与智能网联汽车: the quoted places qualify the industry
            start, core = start + quoted, core[quoted:]
        # 医疗医药行业: the industry, named with its head word; the span keeps it as written
        core, _ = _trim_trailing(("行业",), core)
        trail = 0
        if ctx.text[core_end : core_end + 1] not in _LIST_MARKS:
            # 互联网金融健康发展: a manner of the growth; 医疗健康、…等产业: part of the name
            core, trail = _trim_trailing(p.sector_trail_words, core)
        if i < len(items) - 1:  # 集拼、分拨业务以及集装箱转运业务: each item says 业务
            core, more = _trim_trailing(p.sector_business_heads, core)
            trail += more
        if core.endswith(p.sector_object_heads) or _other_head(ctx, core):
            # 飞机、新型船舶…等租赁业务: what is leased, not an industry; but 金融租赁、
            # 融资租赁公司: the last item shares the head of the body
            # (金融租赁、汽车金融、消费金融公司和企业集团财务公司: the head closes the 、 list)
            shared, head = _shared_head(ctx, results, core, suffixes)
            # the sector's span stops before the head: 临港产业基地 stays the facility's name
            results.append((start, core_end - trail - head, shared))
            found_any = found_any or shared is not None
            continue
        if core.endswith("产业") and ctx.lexicon.find("Sector", core[:-2]) is not None:
            core = core[:-2]  # 现代服务业产业, 石化产业: the known sector, written with 产业
        if (
            len(core) >= 6
            and core.endswith("服务")
            and _known_sector(ctx, core[:-2])
            and not _known_bare(ctx, core)
        ):  # 开展跨境融资租赁服务: the services of the sector (文化服务 is a sector of its own;
            # 跨境金融服务 is 跨境金融's, not 金融服务's with a qualifier)
            core, trail = core[:-2], trail + 2
        quote = core.find("“")
        if quote >= 2 and core.endswith("服务") and _known_sector(ctx, core[:quote]):
            # 开展离岸贸易“免审单”服务: a service of the sector, named by what it spares
            core, trail = core[:quote], trail + len(core) - quote
        if strict and len(core) < 3:
            results.append((start, core_end - trail, None))
            continue  # 设立银行、证券、保险等金融机构: kinds of institution
        found = classify_item(ctx, core, ("Sector", "Platform"), closed, suffixes)
        if found is None and business and i == len(items) - 1:
            found = currency_business(ctx, core, business)
        if found is None and ctx.text.startswith("行业", start + len(core)):
            found = _named_industry(ctx, core)
        head = 0
        if found is None and i == len(items) - 1 and results:  # none shared with no item before
            found, head = _shared_head(ctx, results, core, suffixes)
        results.append((start, core_end - trail - head, found))
        found_any = found_any or found is not None
    if len(items) == 1 and not found_any:
        return
    settle_list(ctx, results)
    rule = LIST_RULE if len(items) > 1 else "trigger:sector"
    for i, (start, end, found) in enumerate(results):
        if found is None:
            continue
        entity, lead = found
        span_end = end if not (business and i == len(results) - 1) else end + len(business)
        if entity.cls == "Platform" and ctx.text[start + lead : end] != entity.label:
            continue
        _mark(ctx, sentence, start + lead, span_end, entity, rule)


def _account_before_service(ctx: DocContext, m: Mention, end: int) -> bool:
    """开展自由贸易账户金融服务: the services of a known account or platform are named
    after it; the platform is no part of the sector's name."""
    return (
        m.entity.cls == "Platform"
        and m.rule == "lexicon"
        and ctx.text[m.end : end].endswith("服务")
        and end - m.end >= 4
    )


_PILOT = re.compile("业务(?:扩大开放)?试点")


def _business_pilots(
    ctx: DocContext, sentence: Sentence, clause: str, c_start: int, triggers: tuple[str, ...]
) -> None:
    """国际航行船舶沿海捎带业务试点今年进一步扩围: a business tried in a pilot is one, with
    or without a verb before it."""
    for match in _PILOT.finditer(clause):
        begin, developed = segment_start(ctx, clause, c_start, 0, match.start(), triggers)
        if developed:
            continue  # 开展…业务试点: the verb's own segment reads it
        _enumeration(
            ctx, sentence, clause[begin : match.start() + 2], c_start + begin, closed=False
        )


def _quoted_qualifier(core: str) -> int:
    """Characters of a quotation that opens ``core`` and is followed by the name it
    qualifies (“武鄂黄黄咸”光电子信息); a quotation that is the whole item stays."""
    if core[:1] not in _OPEN_QUOTES:
        return 0
    close = next((i for i, ch in enumerate(core) if ch in '”"' and i > 0), -1)
    return close + 1 if close > 0 and len(core) - close - 1 >= 2 else 0


def _named_industry(ctx: DocContext, core: str) -> tuple[Entity, int] | None:
    """物流行业发展: the text itself calls the short word an industry."""
    lead = leading_noise(ctx, core)
    word = core[lead:]
    if (
        len(word) == 2
        and re.fullmatch(rf"[{CJK}]+", word)
        and word not in ctx.patterns.sector_generic
    ) and _word_tags().get(word, "x")[:1] in "nv":
        return Entity("Sector", word), lead
    return None


def _names_body(ctx: DocContext, item: str) -> bool:
    return ends_in_head(item, phrase_head_words(ctx.patterns.phrase_heads, ("Organization",)))


def _other_head(ctx: DocContext, item: str) -> bool:
    """跨境双向人民币资金池, 保税展示交易平台: the item names a facility or a body."""
    return (
        ends_in_head(item, phrase_head_words(ctx.patterns.phrase_heads))
        and ctx.lexicon.find("Sector", item) is None
    )


def _known_bare(ctx: DocContext, text: str) -> bool:
    return any(e.cls == "Sector" for e in ctx.lexicon.lookup(text))


def _known_sector(ctx: DocContext, text: str) -> bool:
    """The lexicon knows ``text`` as a sector, bare or after a qualifier (境内外融资租赁)."""
    if _known_bare(ctx, text):
        return True
    return any(
        text.startswith(q) and any(e.cls == "Sector" for e in ctx.lexicon.lookup(text[len(q) :]))
        for q in ctx.patterns.sector_qualifiers
        if len(text) > len(q) + 1
    )


def _named_activity(ctx: DocContext, item: str, offset: int) -> bool:
    """知识产权质押融资: a name long enough to be a line of service alone, whose object is
    no industry already (融资租赁证券化 is a means of 融资租赁)."""
    if len(item) < _NAMED_ACTIVITY or not _zone_does(ctx, offset):
        return False
    return not any(
        item.endswith(suffix) and _known_sector(ctx, item[: -len(suffix)])
        for suffix in ctx.patterns.sector_activity_suffixes
    )


def _zone_does(ctx: DocContext, offset: int) -> bool:
    """No firm or institution before the verb does it (支持互联网支付机构开展跨境电子商务人民币
    结算: the institution's business, not a line the zone develops)."""
    start = ctx.last_mark_before(SENTENCE_MARKS, offset) + 1
    return not any(ctx.find(word, start, offset) >= 0 for word in _DOERS)


_DOERS = ("企业", "机构", "公司", "银行")


def _trim_trailing(words: tuple[str, ...], core: str) -> tuple[str, int]:
    trimmed = 0
    changed = True
    while changed:
        changed = False
        if not core.endswith(words):  # one C call for the usual case: none of them ends it
            break
        for word in words:
            if core.endswith(word) and len(core) - len(word) >= 2:
                core = core[: -len(word)]
                trimmed += len(word)
                changed = True
    return core, trimmed


def _shared_head(
    ctx: DocContext,
    earlier: list[tuple[int, int, tuple[Entity, int] | None]],
    item: str,
    suffixes: tuple[str, ...] | None,
) -> tuple[tuple[Entity, int] | None, int]:
    """The last item read without the head it shares, in a list of sectors only, and the
    length of that head."""
    if not any(f is not None and f[0].cls == "Sector" for _, _, f in earlier):
        return None, 0  # 沈抚新区、金普新区、营口经济技术开发区: a list of facilities
    return _before_platform_head(ctx, item, suffixes)


def _before_platform_head(
    ctx: DocContext, item: str, suffixes: tuple[str, ...] | None = None
) -> tuple[tuple[Entity, int] | None, int]:
    """高端制造业、现代服务业和临港产业基地, 金融租赁、消费金融公司: the last item shares the
    head of a facility or a body."""
    for rule in ctx.patterns.phrase_heads:
        if rule.cls not in ("Platform", "Organization"):
            continue
        for head in rule.heads:
            if item.endswith(head) and len(item) > len(head) + 1:
                found = classify_item(ctx, item[: -len(head)], ("Sector",), False, suffixes)
                if found is not None and found[0].cls == "Sector":
                    return found, len(head)
    return None, 0


def _closer_sector(ctx: DocContext, sentence: Sentence, start: int, filler: str, word: str) -> None:
    """…等特色金融产业: the closing phrase names a sector too (特色金融, written with 产业)."""
    p = ctx.patterns
    end = start + len(filler) + len(word)  # the span keeps what the name leaves out (新, 创新)
    for adjective in p.sector_closer_strip:
        cut = start + len(filler) - len(adjective)
        if filler.endswith(adjective) and cut in ctx.boundaries and filler != adjective:
            # 平台经济新业态 → 平台经济 (创新业务 keeps 新, …等新型贸易 keeps 新型)
            filler = filler[: -len(adjective)]
    phrase = filler + word
    core = phrase
    for head in p.sector_business_heads + ("产业", "行业"):
        if core.endswith(head) and len(core) > len(head):
            core = core[: -len(head)]
            break
    lead = activity_after_goods(core)  # 航空发动机等高附加值商品境内外维修业务
    core = core[lead:]
    for generic in p.sector_generic_modifiers:
        if core.startswith(generic):
            return
    known = ctx.lexicon.find("Sector", phrase) or ctx.lexicon.find("Sector", core)
    if known is None and phrase.endswith("业"):
        known = ctx.lexicon.find("Sector", phrase[:-1])  # 绿色制造业 is 绿色制造
    if known is None and word in p.sector_business_heads:
        business = currency_business(ctx, core, word)  # …等跨境人民币创新业务
        known = business[0] if business else None
    if known is None and len(core) == 2 and word == "产业" and phrase not in p.sector_generic:
        core = phrase  # …等绿色产业: two characters name the industry only with 产业
    if known is None:
        if len(core) < 3 or core in p.sector_generic or not re.fullmatch(rf"[{CJK}]+", core):
            return
        if any(phrase.endswith(g) for g in p.sector_generic if len(g) >= 4):
            return  # 新兴支柱产业, 前沿性未来产业: a kind of industry, qualified
        known = Entity("Sector", core)
    ctx.add_mention(start + lead, end, known, sentence, LIST_RULE)
