"""Numeric facts: value, unit, normalised value, year or period and change rate.

"同期内蒙古外贸进出口2206.7亿元，同比增长6.4%" → one Observation of 内蒙古 with indicator
外贸进出口, value 2206.7, unit 亿元, normalised 220670000000 CNY, change rate 6.4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import Entity, Mention, Observation, Sentence
from ..read.normalize import CJK
from .context import DocContext, joined_before
from .entities import dominant
from .figure_holders import PARTNER_CLASSES, holders, is_partner, names_what_is_counted, opening
from .memo import by_identity
from .patterns import Patterns
from .respectively import distribute_respectively

__all__ = ["find_observations"]

# a policy (零关税, 一带一路) names what is measured (零关税商品税目比例), and holds no figure
_SUBJECT_CLASSES = (*PARTNER_CLASSES, "Platform", "Sector")
_YEAR = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月)")
_PERIOD = re.compile(r"“?(十[一二三四五六七八九]五)”?(?:期间|时期|规划|以来)?")
_SINCE = re.compile(r"((?:19|20)\d{2})年以来")
_INDICATOR_STRIP = re.compile(
    r"^(?:的|同期|全年|累计|已|共|达到|达|为|是|约|超过|近|分别|随着|其中|还将)+"
    r"|(?:达到|达|为|是|约|超过|超|逾|突破|近|累计|共|分别|已|将|由|从)+$"
)
# 比例由21%提高至74%: the second figure is the same indicator's new value
_TO_VALUE = re.compile(
    r"[由从][^由从]{0,2}?(?:提高|提升|增加|增长|扩大|减少|下降|降低|压缩|简化|精简|缩短|缩减|增|降)?[至到]$"
    r"|(?:万亿|亿|万|千|百)[至到]$"  # 29万亿至48万亿美元: the range's upper bound
)


_CACHE: dict[tuple[int, str], re.Pattern[str]] = {}


def _number_regex(patterns: Patterns) -> re.Pattern[str]:
    key = (id(patterns), "number")
    if key not in _CACHE:
        _CACHE[key] = _build_number_regex(patterns)
    return _CACHE[key]


def _build_number_regex(patterns: Patterns) -> re.Pattern[str]:
    multipliers = "|".join(sorted(map(re.escape, patterns.multipliers), key=len, reverse=True))
    units = "|".join(sorted(map(re.escape, patterns.units), key=len, reverse=True))
    approx = "|".join(map(re.escape, patterns.approx))
    # (?<![\d.])\d+ written \d(?<![\d.]\d)\d*: the same matches (the lookbehind, after the
    # first digit, asks of the character before it what the one before the number asked),
    # and a pattern that opens on a digit lets the regex engine skip to the digits instead of
    # trying the lookbehind at every character of a sentence
    return re.compile(
        rf"(?P<num>\d(?<![\d.]\d)\d*(?:\.\d+)?)(?P<approx>{approx})?(?P<mult>{multipliers})?"
        rf"(?:{approx})?(?P<unit>{units})?(?!月|日|号|\d)"
    )


def _change_regex(patterns: Patterns) -> re.Pattern[str]:
    key = (id(patterns), "change")
    if key in _CACHE:
        return _CACHE[key]
    words = sorted(patterns.change_up + patterns.change_down, key=len, reverse=True)
    _CACHE[key] = re.compile(
        rf"(?P<word>{'|'.join(map(re.escape, words))})(?![至到])(?P<num>\d+(?:\.\d+)?)(?P<unit>%|个百分点)"
    )
    return _CACHE[key]


def find_observations(ctx: DocContext) -> None:
    number = _number_regex(ctx.patterns)
    change = _change_regex(ctx.patterns)
    fallback = dominant(ctx, "PilotFreeTradeZone")
    carried: Entity | None = None
    item_zones = _first_zones(ctx)
    article = None
    last_year = ""
    for sentence in ctx.sentences:
        if sentence.article != article:
            # a news item's subject ends with it; the next one's is the zone it names first
            article = sentence.article
            carried = item_zones.get(article)
        text = sentence.text
        first = len(ctx.observations)
        mentions = _outermost(
            [
                m
                for m in ctx.mentions_in(sentence.start, sentence.end)
                if m.entity.cls in _SUBJECT_CLASSES
            ]
        )
        changes: dict[int, re.Match[str]] = {}
        matches: list[NumberHit] = []
        # a figure and a rate both begin with a digit (their patterns' ``num``): a sentence
        # with none, as most are, has neither
        if _DIGIT.search(text):  # ``\d`` as those patterns read it (any decimal digit)
            changes = {m.start(): m for m in change.finditer(text)}
            inside = [
                (m.start - sentence.start, m.end - sentence.start)
                for m in ctx.mentions_in(sentence.start, sentence.end)
                if m.entity.cls in ("ReformTask", "StrategicPosition")
            ]
            matches = [
                m
                for m in _with_ranges(text, number)
                if not _is_date(text, m)
                and not any(a <= m.start < b for a, b in inside)
                and not text.endswith("第", 0, m.start)  # 第22个自贸试验区: a rank, no figure
            ]
        used_changes: set[int] = set()
        if "同期" not in text:
            last_year = ""
        for i, match in enumerate(matches):
            if any(
                c.start() <= match.start < c.end() for c in changes.values()
            ) and match.start in {c.start("num") for c in changes.values()}:
                continue  # a rate that belongs to the value before it; handled below
            next_start = matches[i + 1].start if i + 1 < len(matches) else len(text)
            rate: Decimal | None = None
            for pos, c in sorted(changes.items()):
                if (
                    match.end <= pos < next_start
                    and pos not in used_changes
                    and c.group("unit") == "%"
                ):
                    rate = _signed(ctx.patterns, c.group("word"), Decimal(c.group("num")))
                    used_changes.add(pos)
                    break
            subject = _pick(ctx, sentence, mentions, match.start, carried) or fallback
            if subject is None:
                continue
            year = _year_before(text, match.start) or last_year
            last_year = year or last_year
            unit_word = match.mult + match.unit
            value = Decimal(match.num)
            normalized, base = _normalize(ctx.patterns, value, match.mult, match.unit)
            indicator = _indicator(ctx, sentence, mentions, match.start)
            prefix_change = _change_word_before(ctx.patterns, text, match.start)
            if rate is None and prefix_change is not None and match.unit == "%":
                rate = _signed(ctx.patterns, prefix_change, value)
            ctx.observations.append(
                Observation(
                    start=sentence.start + match.start,
                    end=sentence.start + match.end,
                    subject=subject,
                    indicator=indicator,
                    value=value,
                    unit=unit_word,
                    surface=match.text,
                    sentence=sentence.index,
                    rule="number",
                    normalized_value=normalized,
                    base_unit=base,
                    year=year,
                    period=_period(text, match.start),
                    change_rate=rate,
                )
            )
        # Rates with no value before them (跨境电商同比增长95%) are facts of their own.
        for pos, c in sorted(changes.items()):
            if pos in used_changes or c.group("unit") != "%":
                continue
            if sentence.start + c.start("num") in _observation_starts(ctx):
                continue
            subject = _pick(ctx, sentence, mentions, pos, carried) or fallback
            if subject is None:
                continue
            rate = _signed(ctx.patterns, c.group("word"), Decimal(c.group("num")))
            ctx.observations.append(
                Observation(
                    start=sentence.start + c.start(),
                    end=sentence.start + c.end(),
                    subject=subject,
                    indicator=_indicator(ctx, sentence, mentions, pos) or c.group("word"),
                    value=Decimal(c.group("num")),
                    unit="%",
                    surface=c.group(0),
                    sentence=sentence.index,
                    rule="number:rate",
                    normalized_value=Decimal(c.group("num")),
                    base_unit="percent",
                    year=_year_before(text, pos) or last_year,
                    period=_period(text, pos),
                    change_rate=rate,
                )
            )
        if "分别" in text and len(ctx.observations) - first >= 2:
            ctx.observations[first:] = distribute_respectively(
                ctx, sentence, ctx.observations[first:], mentions, carried or fallback
            )
        for m in mentions:
            if m.entity.cls in ("Country", "Region", "PilotFreeTradeZone", "Area"):
                carried = m.entity


@dataclass(frozen=True, slots=True)
class NumberHit:
    """A number with its multiplier and unit, offsets relative to the sentence."""

    start: int
    end: int
    num: str
    mult: str
    unit: str
    text: str


def _hit(match: re.Match[str], offset: int = 0, end: int | None = None) -> NumberHit:
    return NumberHit(
        start=offset + match.start(),
        end=end if end is not None else offset + match.end(),
        num=match.group("num"),
        mult=match.group("mult") or "",
        unit=match.group("unit") or "",
        text=match.group(0),
    )


def _with_ranges(text: str, number: re.Pattern[str]) -> list[NumberHit]:
    """Numbers, plus the lower bound of a range (29万亿至48万亿美元) with the upper's unit."""
    found = [m for m in number.finditer(text) if m.group("unit") or m.group("mult")]
    hits = [_hit(m) for m in found]
    for match in found:
        # the range's pattern ends in its mark at the end of the text before the figure
        # (``$``: or before a newline that ends it); without one it finds nothing
        if not text.endswith(_RANGE_ENDS, 0, match.start()):
            continue
        lower = re.search(
            r"(\d+(?:\.\d+)?)([^\d\s，。；]{0,2})(?:至|到|~|-|—)$", text[: match.start()]
        )
        if lower:
            again = number.fullmatch(lower.group(1) + lower.group(2) + (match.group("unit") or ""))
            if again is not None:
                hits.append(
                    _hit(again, lower.start(), lower.start() + len(lower.group(1) + lower.group(2)))
                )
    best: dict[int, NumberHit] = {}
    for hit in hits:
        current = best.get(hit.start)
        if current is None or (hit.unit and not current.unit):
            best[hit.start] = hit
    return [best[k] for k in sorted(best)]


_NOT_A_WORD = re.compile(rf"[^{CJK}A-Za-z]")  # compiled once: asked of every figure
_RANGE_MARKS = ("至", "到", "~", "-", "—")
_RANGE_ENDS = _RANGE_MARKS + tuple(mark + "\n" for mark in _RANGE_MARKS)


def _is_date(text: str, match: NumberHit) -> bool:
    after = text[match.end : match.end + 1]
    return after in ("月", "日")


def _signed(patterns: Patterns, word: str, value: Decimal) -> Decimal:
    return -value if word in patterns.change_down else value


def _change_word_before(patterns: Patterns, text: str, pos: int) -> str | None:
    before = text[max(0, pos - 6) : pos]
    words = _change_words(patterns)
    if not before.endswith(words):
        return None  # one test of them all: where none ends it, the loop finds none
    for word in words:
        if before.endswith(word):
            return word
    return None


@by_identity  # kg.extract.memo: sorted once, not for every figure
def _change_words(patterns: Patterns) -> tuple[str, ...]:
    return tuple(sorted(patterns.change_up + patterns.change_down, key=len, reverse=True))


def _normalize(
    patterns: Patterns, value: Decimal, mult: str | None, unit: str | None
) -> tuple[Decimal | None, str]:
    base, factor = patterns.units.get(unit or "", ("count", Decimal(1)))
    scale = patterns.multipliers.get(mult or "", Decimal(1))
    return (value * scale * factor).normalize() if scale != 1 or factor != 1 else value, base


def _pick(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], pos: int, carried: Entity | None
) -> Entity | None:
    """Who holds the figure at `pos`: a place of the sentence, else the name the sentence
    opens with, else the place carried over from the sentences before, else any name."""
    return (
        _subject(ctx, sentence, mentions, pos, True)
        or opening(ctx, sentence, mentions, pos)
        or carried
        or _subject(ctx, sentence, mentions, pos, False)
    )


def _subject(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], pos: int, places_only: bool
) -> Entity | None:
    absolute = sentence.start + pos
    clause_start = sentence.start + max(sentence.text.rfind(ch, 0, pos) for ch in "，；。：") + 1
    mentions = holders(ctx, sentence, mentions)
    in_clause = [m for m in mentions if clause_start <= m.start and m.end <= absolute]
    if in_clause:
        first, last = in_clause[0], in_clause[-1]
        if (
            last.entity.cls == first.entity.cls
            and _NAME_THEN_FIGURE.fullmatch(ctx.text, last.end, absolute)
            and _DIGIT.search(ctx.text, first.end, last.start)
        ):
            # 涵盖乌鲁木齐片区134.6平方公里、喀什片区28.48平方公里: pairs of a name and its
            # figure, each its own (班列3300列 after 口岸开行 is the port's)
            return last.entity
        if (
            first.entity.cls == "Area"
            and len(in_clause) > 1
            and _listed(ctx, in_clause, in_clause[1])
        ):
            # 南京、苏州、连云港三个片区累计形成…: the figure is the areas' zone's
            zones = [m for m in mentions if m.entity.cls in _ZONES and m.end <= first.start]
            if zones:
                return zones[-1].entity
        return first.entity
    # before the clause a place holds a figure over; anything else only where no place or
    # zone the text speaks of does (…医疗器械等生产原辅料，享惠主体增至1万家)
    earlier = [
        m
        for m in mentions
        if m.end <= absolute and (not places_only or m.entity.cls in PARTNER_CLASSES)
    ]
    if earlier:
        last = earlier[-1]
        opening = earlier[0]
        if (
            opening.entity.cls in _SUBJECTS
            and opening.start - sentence.start <= 1
            and not any(ch in "，；：" for ch in ctx.text[opening.end : opening.end + 2])
            and last.entity.cls not in _SUBJECTS
        ):
            # 崇左片区发挥沿边优势，推动凭祥、友谊关口岸通关便利化，中越边境贸易额达到…: the
            # sentence's subject, not the last name of a clause before, holds the figure
            return opening.entity
        zones = [m for m in earlier if m.entity.cls in _ZONES]
        if last.entity.cls == "Area" and zones and _listed(ctx, earlier, last):
            # 黑龙江自贸试验区哈尔滨、黑河、绥芬河三个片区累计…，实际使用外资…: the list's zone
            return zones[-1].entity
        return last.entity
    if "我国" in sentence.text or "全国" in sentence.text[:pos]:
        return ctx.lexicon.best("中国")
    return None


_ZONES = frozenset({"PilotFreeTradeZone", "FreeTradePort"})
_SUBJECTS = frozenset({"PilotFreeTradeZone", "FreeTradePort", "Area"})


def _first_zones(ctx: DocContext) -> dict[int | None, Entity]:
    """The zone each article (each item of a file of news items) names first."""
    article_of = {s.index: s.article for s in ctx.sentences}
    first: dict[int | None, Entity] = {}
    for m in sorted((m for m in ctx.mentions if m.entity.cls in _ZONES), key=lambda m: m.start):
        first.setdefault(article_of.get(m.sentence), m.entity)
    return first


def _listed(ctx: DocContext, mentions: list[Mention], m: Mention) -> bool:
    """The mention is the last of a list of its class (哈尔滨、黑河、绥芬河三个片区)."""
    ends = {other.end: other for other in mentions}
    before = joined_before(ctx.text, ends, m.start, ("、", "和", "及"))
    return before is not None and before.entity.cls == m.entity.cls


# what may stand between a name and the figure it holds, written right after it
_NAME_THEN_FIGURE = re.compile("[约为达超逾近共]?")
_DIGIT = re.compile(r"\d")


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """No country inside a longer name: 中哈 in 中哈（连云港）物流合作基地 holds no figure."""
    if all(m.entity.cls != "Country" for m in mentions):
        return list(mentions)  # what the filter below keeps of a list with no country
    return [
        m
        for m in mentions
        if m.entity.cls != "Country"
        or not any(
            n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start
            for n in mentions
        )
    ]


def _indicator(ctx: DocContext, sentence: Sentence, mentions: list[Mention], pos: int) -> str:
    text = sentence.text
    clause_start = max(text.rfind(ch, 0, pos) for ch in "，；。：") + 1
    start = clause_start
    last: Mention | None = None
    for m in mentions:
        rel_end = m.end - sentence.start
        if names_what_is_counted(ctx.text, m):
            continue  # 新增数字经济企业5家: the industry is part of what is counted
        if clause_start <= m.start - sentence.start and rel_end <= pos and rel_end >= start:
            start, last = rel_end, m
    if last is not None and is_partner(sentence, last):
        # The indicator keeps its partner as written: 对美出口, not 出口.
        start = last.start - sentence.start - 1
    phrase = text[start:pos]
    phrase = phrase[max(phrase.rfind(" "), phrase.rfind("\u3000")) + 1 :]  # a title's parts
    phrase = _YEAR.sub("", phrase)
    phrase = _NOT_A_WORD.sub("", phrase)
    to_value = _TO_VALUE.search(phrase)
    if to_value:
        phrase = phrase[: to_value.start()]
    phrase = _INDICATOR_STRIP.sub("", phrase)
    return phrase[-20:]


def _year_before(text: str, pos: int) -> str:
    if text.find("年", 0, pos) < 0:
        return ""  # every year _YEAR finds is written with 年
    years = [m.group(1) for m in _YEAR.finditer(text[:pos]) if not _SINCE.match(text, m.start())]
    return years[-1] if years else ""


def _period(text: str, pos: int) -> str:
    # a plan's period is written with 十 (十四五), a start with 年以来: without them, none
    found = [m.group(1) for m in _PERIOD.finditer(text[:pos])] if "十" in text[:pos] else []
    if found:
        return found[-1]
    if text.find("年以来", 0, pos) < 0:
        return ""
    since = [m.group(0) for m in _SINCE.finditer(text[:pos])]
    return since[-1] if since else ""


def _observation_starts(ctx: DocContext) -> set[int]:
    """Where the observations found so far start (a scan per rate was quadratic in a long
    document). Observations are only ever appended: the cached set takes the new ones."""
    found = ctx.observations
    cached = ctx.memo.get("observation_starts")
    seen, starts = 0, set[int]()
    if isinstance(cached, tuple) and cached[0] is found and cached[1] <= len(found):
        seen, starts = int(cached[1]), cached[2]
    starts.update(o.start for o in found[seen:])
    ctx.memo["observation_starts"] = (found, len(found), starts)
    return starts
