"""Pattern components that find entities the lexicon does not list.

Each component adds mentions with a rule name (``zone:full``, ``head:Area``, ``task``…)
so that every node can be traced to the pattern that made it.
"""

from __future__ import annotations

import re

from ..model import Entity, Sentence
from ..read.normalize import CJK
from .context import DASHES, Coverage, DocContext
from .facility_names import city_and_own_name, name_before, own_name_word, place_word
from .holding import holding
from .patterns import HeadRule
from .wordtags import word_tags

__all__ = [
    "dominant",
    "zone_entity",
    "find_bare_zones",
    "find_zones",
    "find_heads",
]

_ZONE_FULL = re.compile(rf"中国[（(]([{CJK}]{{2,8}})[)）]自由贸易试验区")
_ZONE_SHORT = re.compile(r"(自贸试验区|自由贸易试验区|自贸区)")
_PORT_FREE = re.compile(r"(自由贸易港|自贸港)")
_ZONE_WORDS = ("自贸", "自由贸易")  # in every name the three patterns above find
_REGION_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_NUMERAL = r"(?:\d+|[一二三四五六七八九十百两]+)"
_QUANTIFIER = re.compile(
    rf"^(?:等)?(?:{_NUMERAL}(?:大|个)?)?(?:重点|主要|沿边|边境|陆路|国家级|国际|重要|核心)?$"
)


def region_short_names(ctx: DocContext) -> dict[str, Entity]:
    """Short province names (内蒙古, 山东) to their Region entity."""
    cached = getattr(ctx.lexicon, "_region_short", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out: dict[str, Entity] = {}
    for entry in ctx.lexicon.entries.values():
        if entry.cls != "Region":
            continue
        for label in (entry.pref, *entry.alts):
            short = _REGION_SUFFIX.sub("", label)
            if len(short) >= 2:
                out.setdefault(short, entry.entity)
    ctx.lexicon._region_short = out  # type: ignore[attr-defined]
    return out


def zone_entity(ctx: DocContext, short: str) -> Entity:
    label = f"中国（{short}）自由贸易试验区"
    return ctx.lexicon.find("PilotFreeTradeZone", label) or Entity("PilotFreeTradeZone", label)


_PLACE_GLUE = ("、", "和", "及")
_LIST_CLOSING = re.compile(rf"等(?:{_NUMERAL}个)?$")


def _listed_zones(ctx: DocContext, sentence: Sentence, shorts: dict[str, Entity], end: int) -> None:
    """上海、天津、广东、福建等自贸试验区, 与北京、河北自贸试验区: each place of the list
    names its zone (the last one before 等 too)."""
    text = sentence.text
    while end > 0:
        name = next(
            (
                text[end - size : end]
                for size in (5, 4, 3, 2)
                if end - size >= 0 and text[end - size : end] in shorts
            ),
            "",
        )
        if not name or not _known_zone(ctx, name):
            return
        start = sentence.start + end - len(name)
        ctx.add_mention(start, start + len(name), zone_entity(ctx, name), sentence, "zone:listed")
        end -= len(name)
        if text[end - 1 : end] not in _PLACE_GLUE:
            return
        end -= 1


def _known_zone(ctx: DocContext, short: str) -> bool:
    """Short forms (甘肃自贸试验区) only name zones that exist, or that the document names
    in full (a new zone's plan: 《中国（吉林）自由贸易试验区总体方案》…赋予吉林自贸试验区…)."""
    named = ctx.memo.get("zones_named_in_full")
    if not isinstance(named, frozenset):
        named = frozenset(m.group(1) for m in _ZONE_FULL.finditer(ctx.text))
        ctx.memo["zones_named_in_full"] = named
    return short in named or zone_entity(ctx, short).key != ""


def find_zones(ctx: DocContext) -> None:
    shorts = region_short_names(ctx)
    # each of the three patterns holds one of them: a sentence without either has no zone
    for sentence in holding(ctx.sentences, _ZONE_WORDS):
        text = sentence.text
        for match in _ZONE_FULL.finditer(text):
            start = sentence.start + match.start()
            ctx.add_mention(
                start,
                start + len(match.group(0)),
                zone_entity(ctx, match.group(1)),
                sentence,
                "zone:full",
            )
        for match in _ZONE_SHORT.finditer(text):
            listed_until = match.start()
            for size in (5, 4, 3, 2):
                begin = match.start() - size
                if begin < 0:
                    continue
                name = text[begin : match.start()]
                if name in shorts and _known_zone(ctx, name):
                    start = sentence.start + begin
                    ctx.add_mention(
                        start,
                        sentence.start + match.end(),
                        zone_entity(ctx, name),
                        sentence,
                        "zone:short",
                    )
                    listed_until = begin - 1 if text[begin - 1 : begin] in _PLACE_GLUE else -1
                    break
            closing = _LIST_CLOSING.search(text, 0, match.start())
            if closing:
                listed_until = closing.start()  # 上海、海南…等21个自贸试验区
            if listed_until > 0:
                _listed_zones(ctx, sentence, shorts, listed_until)
        for match in _PORT_FREE.finditer(text):
            for size in (4, 3, 2):
                begin = match.start() - size
                if begin >= 0 and text[begin : match.start()] in shorts:
                    name = text[begin : match.start()]
                    label = f"{name}自由贸易港"
                    entity = ctx.lexicon.find("FreeTradePort", label) or Entity(
                        "FreeTradePort", label
                    )
                    ctx.add_mention(
                        sentence.start + begin,
                        sentence.start + match.end(),
                        entity,
                        sentence,
                        "zone:port",
                    )
                    break


_BARE_ZONE = re.compile(r"自贸试验区|自由贸易试验区|自贸区")


def find_bare_zones(ctx: DocContext) -> None:
    """A bare 自贸试验区 in a province's document that names no zone is that province's zone.

    Provincial reports say "自贸试验区159项改革试验任务" of their own zone; a text that names
    zones explicitly (or is about no single province) leaves bare mentions generic.
    """
    if any(m.entity.cls in ("PilotFreeTradeZone", "FreeTradePort") for m in ctx.mentions):
        return
    region = _dominant_province(ctx)
    if region is None:
        return
    zone = next(
        (
            ctx.lexicon.entries[s].entity
            for s, p, o in ctx.lexicon.facts
            if p == "locatedIn"
            and o == region.key
            and ctx.lexicon.entries[s].cls == "PilotFreeTradeZone"
        ),
        None,
    )
    if zone is None:
        return
    covered = Coverage((m.start, m.end) for m in ctx.mentions)
    for sentence in ctx.sentences:
        for match in _BARE_ZONE.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if not covered.overlaps(start, end):
                ctx.add_mention(start, end, zone, sentence, "zone:document")


def _dominant_province(ctx: DocContext) -> Entity | None:
    provinces = set(region_short_names(ctx).values())
    counts: dict[Entity, int] = {}
    for m in ctx.mentions:
        if m.entity in provinces:
            counts[m.entity] = counts.get(m.entity, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].label))
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None  # no clear subject province
    return ranked[0][0]


def dominant(ctx: DocContext, cls: str) -> Entity | None:
    """The entity of ``cls`` the document mentions most (ties: first mentioned)."""
    counts: dict[Entity, int] = {}
    first: dict[Entity, int] = {}
    for mention in ctx.mentions:
        if mention.entity.cls == cls:
            counts[mention.entity] = counts.get(mention.entity, 0) + 1
            first.setdefault(mention.entity, mention.start)
    if not counts:
        return None
    return max(counts, key=lambda e: (counts[e], -first[e]))


def _place_before(ctx: DocContext, text: str, end: int, kind: str = "place") -> str:
    """The longest known place name (or a country compound 中蒙俄) that ends at ``end``."""
    names = ctx.lexicon.city_names if kind == "city" else ctx.lexicon.place_names
    stems = _area_stems(ctx) if kind == "city" else set()
    for size in range(min(8, end), 1, -1):
        name = text[end - size : end]
        if name in names or (kind == "place" and _REGION_SUFFIX.sub("", name) in names):
            return name
        if name in stems:
            return name  # 川南临港口岸: named after the document's 川南临港片区
    if kind == "city":
        return ""
    abbreviations = ctx.lexicon.abbreviations
    size = 0
    while size < min(5, end) and text[end - size - 1] in abbreviations:
        size += 1
    return text[end - size : end] if size >= 2 else ""


def _area_stems(ctx: DocContext) -> set[str]:
    """Names of the areas the document found (川南临港 of 川南临港片区), 3+ characters."""
    # Mentions are only ever appended to a list (or the list replaced): the stems of the
    # mentions added since the last call extend the cached set (a rescan per call was
    # quadratic in a long document).
    mentions = ctx.mentions
    cached = ctx.memo.get("area_stems")
    seen, stems = 0, set[str]()
    if isinstance(cached, tuple) and cached[0] is mentions and cached[1] <= len(mentions):
        seen, stems = int(cached[1]), cached[2]
    stems.update(
        m.entity.label[: -len("片区")]
        for m in mentions[seen:]
        if m.entity.cls == "Area" and m.entity.label.endswith("片区") and len(m.entity.label) >= 5
    )
    ctx.memo["area_stems"] = (mentions, len(mentions), stems)
    return stems


def find_heads(ctx: DocContext) -> None:
    rules = ctx.patterns.heads
    # a rule finds something in a sentence only where one of its heads or plurals stands
    # in its text: a sentence that holds none of any rule's is passed over by all of them
    words = [w for rule in rules for w in (*rule.heads, *rule.plural)]
    # (a rule with no heads: its pattern, empty, finds something everywhere)
    sentences = holding(ctx.sentences, words if all(rule.heads for rule in rules) else [""])
    for rule in rules:
        heads = sorted(rule.heads, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(h) for h in heads))
        plural = re.compile("|".join(re.escape(h) for h in rule.plural)) if rule.plural else None
        for sentence in sentences:
            _heads_in(ctx, sentence, rule, pattern, plural)


def _heads_in(
    ctx: DocContext,
    sentence: Sentence,
    rule: HeadRule,
    pattern: re.Pattern[str],
    plural: re.Pattern[str] | None,
) -> None:
    text = sentence.text
    for match in pattern.finditer(text):
        head = match.group(0)
        if rule.name in ("place", "city"):
            name = (
                _place_before(ctx, text, match.start(), rule.name)
                or city_and_own_name(ctx, text, match.start(), rule.own_name)
                or (rule.place_word and place_word(ctx, sentence, match.start()))
                or (rule.own_name and own_name_word(ctx, sentence, match.start(), match.end()))
                or ""
            )
        else:
            name = name_before(ctx, sentence, sentence.start + match.start()) or _token_before(
                ctx, sentence, match.start()
            )
        if name and rule.name == "place":
            name = _dashed_partners(ctx, text, match.start() - len(name)) + name
        if name:
            begin = match.start() - len(name)
            _add_named(ctx, sentence, rule, name, head, begin, match.end(), "head")
            if not rule.attached and rule.name in ("place", "city"):
                _siblings(ctx, sentence, rule, head, begin)
            continue
        # An enumeration that shares the head: 呼和浩特、满洲里、二连浩特三大片区
        _enumeration_with_head(ctx, sentence, rule, head, match.start(), rule.name)
    if plural is not None:
        for match in plural.finditer(text):
            _enumeration_with_head(ctx, sentence, rule, "", match.start(), "listed")


def _dashed_partners(ctx: DocContext, text: str, begin: int) -> str:
    """广西—文莱经济走廊, 中国—中亚—西亚…: the places joined to the name by dashes before it."""
    lead = ""
    while begin > 1 and text[begin - 1] in DASHES:
        place = _place_before(ctx, text, begin - 1)
        if not place:
            break
        lead = place + text[begin - 1] + lead
        begin -= len(place) + 1
    return lead


def _siblings(ctx: DocContext, sentence: Sentence, rule: HeadRule, head: str, begin: int) -> None:
    """Places listed before "<place><head>" share the head: 呼和浩特、满洲里、二连浩特片区.

    Not for attached heads: in 北京、天津港 the first item is no port.
    """
    text = sentence.text
    end = begin
    while end > 0 and text[end - 1] in "、和及":
        name = _place_before(ctx, text, end - 1, rule.name)
        if not name:
            return
        start = end - 1 - len(name)
        label = name + head
        entity = ctx.lexicon.find(rule.cls, label)
        if entity is None and not _in_context(ctx, sentence, rule.context):
            return
        ctx.add_mention(
            sentence.start + start,
            sentence.start + end - 1,
            entity or Entity(rule.cls, label),
            sentence,
            f"enum:{rule.cls}",
        )
        end = start


def _in_context(ctx: DocContext, sentence: Sentence, words: tuple[str, ...]) -> bool:
    """One of ``words`` stands in the sentence's paragraph."""
    if not words:
        return True
    paragraph = ctx.paragraph_text(sentence.paragraph)
    return any(w in paragraph for w in words)


def _add_named(
    ctx: DocContext,
    sentence: Sentence,
    rule: HeadRule,
    name: str,
    head: str,
    begin: int,
    end: int,
    how: str,
) -> None:
    label = name + head
    entity = ctx.lexicon.find(rule.cls, label)
    if entity is None:
        if not _in_context(ctx, sentence, rule.context):
            return
        entity = Entity(rule.cls, label)
    ctx.add_mention(
        sentence.start + begin, sentence.start + end, entity, sentence, f"{how}:{rule.cls}"
    )


def _add_lexicon_port(
    ctx: DocContext, sentence: Sentence, rule: HeadRule, text: str, end: int
) -> None:
    for size in range(min(8, end), 2, -1):
        found = ctx.lexicon.find(rule.cls, text[end - size : end])
        if found is not None:
            ctx.add_mention(
                sentence.start + end - size,
                sentence.start + end,
                found,
                sentence,
                f"enum:{rule.cls}",
            )
            return


def _token_before(ctx: DocContext, sentence: Sentence, end: int) -> str:
    """The word right before ``end`` if it can name something (2+ CJK, a place or proper noun)."""
    word = ctx.word_ending_at(sentence.index, sentence.start + end)
    if (
        len(word) >= 2
        and re.fullmatch(rf"[{CJK}]+", word)
        and word not in _STOP_NAMES
        and not word.startswith(_STOP_PREFIXES)
        and _is_proper_noun(word)
    ):
        return word
    return ""


_STOP_PREFIXES = (
    "高",
    "新",
    "大",
    "全",
    "多",
    "各",
    "本",
    "该",
    "此",
    "首",
    "现代",
    "促进",
    "推进",
    "国际",
)


def _is_proper_noun(word: str) -> bool:
    """A name: jieba tags it as a place, person, organisation or other proper noun, or it is
    not an ordinary dictionary word at all (和林格尔)."""
    tag = _word_tags().get(word)
    if tag is None:
        return True
    return tag in ("ns", "nr", "nrt", "nt", "nz")


def _word_tags() -> dict[str, str]:
    return word_tags()


_STOP_NAMES = {
    "设立",
    "建设",
    "推进",
    "发展",
    "打造",
    "一批",
    "多个",
    "各类",
    "相关",
    "有关",
    "这些",
    "开放",
    "各地",
    "新设",
    "国家级",
    "国际",
    "跨境",
    "重点",
    "特色",
}
_ITEM_SPLIT = re.compile(r"[、]|和|及|与")


def _last_named(
    ctx: DocContext, text: str, items: list[tuple[int, int]], rule: HeadRule, head: str
) -> bool:
    """The list's last item is a place, or a name the lexicon knows with the head (瑞丽、畹町
    口岸: 畹町口岸)."""
    if not items or items[-1][0] == items[-1][1]:
        return False
    begin, end = items[-1]
    return bool(
        _place_before(ctx, text, end, rule.name)
        or ctx.lexicon.find(rule.cls, text[begin:end] + head)
    )


def _enumeration_with_head(
    ctx: DocContext, sentence: Sentence, rule: HeadRule, head: str, head_start: int, name_kind: str
) -> None:
    text = sentence.text
    # Walk back over the quantifier (三大, 等重点) to the last item.
    q_start = head_start
    for size in range(min(8, head_start), 0, -1):
        if _QUANTIFIER.match(text[head_start - size : head_start]):
            q_start = head_start - size
            break
    segment_start = max(text.rfind(ch, 0, q_start) for ch in "，。；：（(“")
    segment = text[segment_start + 1 : q_start]
    if "、" not in segment and name_kind != "listed":
        return
    pos = segment_start + 1
    items: list[tuple[int, int]] = []
    for piece in re.split(r"(、|和|及)", segment):
        if piece in ("、", "和", "及"):
            pos += len(piece)
            continue
        items.append((pos, pos + len(piece)))
        pos += len(piece)
    if name_kind in ("place", "city") and not _last_named(ctx, text, items, rule, head):
        return  # the head closes a word, not a list of places: 南宁、贵港, 粤港澳大湾区
    for begin, end in items:
        item = text[begin:end]
        if name_kind in ("place", "city"):
            name = _place_before(ctx, text, end, name_kind)
            if not name:
                # 南宁、钦州港、崇左三个片区: an area the lexicon knows by a port's name
                if ctx.lexicon.find(rule.cls, item + head) is not None:
                    _add_named(ctx, sentence, rule, item, head, begin, end, "enum-known")
                continue
            begin = end - len(name)
            _add_named(ctx, sentence, rule, name, head, begin, end, "enum")
        elif name_kind == "listed" and item.endswith("港"):
            name = _place_before(ctx, text, end - 1, "city")
            if name:
                _add_named(ctx, sentence, rule, name, "港", end - 1 - len(name), end, "enum")
            else:
                _add_lexicon_port(ctx, sentence, rule, text, end)
