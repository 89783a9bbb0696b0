"""Enumerations after trigger words: sectors, task fields and strategic positions.

"重点发展新能源、新材料、生物医药等战略性新兴产业" → each item a Sector;
"围绕贸易节点、双向投资……等七个领域，落实81项改革试点任务" → TaskFields of the task;
"着力打造中蒙俄经济走廊核心枢纽和我国向北开放重要桥头堡" → StrategicPositions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Entity, Sentence
from ..read.normalize import CJK
from .context import DocContext, clauses
from .lexicon import Lexicon
from .memo import by_identity
from .patterns import HeadRule, PhraseRule
from .wordtags import word_tags

__all__ = ["classify_item", "find_fields"]

_CN_NUM = r"(?:\d+|[一二三四五六七八九十两]+)"
_CONNECTOR = re.compile(r"、|及|和|以及|与")
_CONNECTOR_CHARS = frozenset("、及和与")
_ITEM = re.compile(rf"^[{CJK}A-Za-z0-9]{{2,16}}$")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」")


def _split_items(
    text: str, offset: int, ctx: DocContext | None = None
) -> list[tuple[int, int, str]]:
    """Items of an enumeration; a connector inside a known name (呼和浩特) does not split."""
    if _CONNECTOR_CHARS.isdisjoint(text):
        # every connector holds one of these characters: the loop below would find none and
        # keep the whole text, unless it is empty
        return [(offset, offset + len(text), text)] if text else []
    # the known names, looked up at the first connector other than 、 (most lists have none)
    protected: list[tuple[int, int]] | None = None
    items = []
    pos = 0
    for match in _CONNECTOR.finditer(text):
        a = offset + match.start()
        if match.group(0) != "、":
            if protected is None:
                found = ctx.mentions_in(offset, offset + len(text)) if ctx is not None else []
                protected = [(m.start, m.end) for m in found]
            if any(s <= a < e for s, e in protected):
                continue
        if match.group(0) != "、" and _inside_word(ctx, a, offset + match.end()):
            continue
        items.append((offset + pos, offset + match.start(), text[pos : match.start()]))
        pos = match.end()
    items.append((offset + pos, offset + len(text), text[pos:]))
    return [(s, e, t) for s, e, t in items if t]


def _inside_word(ctx: DocContext | None, start: int, end: int) -> bool:
    """True when jieba did not cut around the connector (和 in 和林格尔)."""
    return ctx is not None and not ctx.aligned(start, end)


def _trim_after_trigger(
    item: str, triggers: tuple[str, ...], leads: tuple[str, ...] | None = None
) -> int:
    """How many leading characters of the first item belong to the trigger phrase."""
    cut = 0
    for trigger in (*triggers, *(_LEADS if leads is None else leads)):
        index = item.rfind(trigger)
        if index >= 0:
            cut = max(cut, index + len(trigger))
    return cut


_LEADS = (
    "在",
    "对",
    "从",
    "围绕",
    "聚焦",
    "推动",
    "加快",
    "重点",
    "积极",
    "大力",
    "健全",
    "完善",
    "包括",
    "涵盖",
    "如",
    "是",
    "虽",
)


def classify_item(
    ctx: DocContext,
    item: str,
    allowed: tuple[str, ...],
    closed: bool = False,
    suffixes: tuple[str, ...] | None = None,
) -> tuple[Entity, int] | None:
    """The entity an enumeration item names, and how many leading characters to skip.

    Known entities come from the lexicon; a new sector must look like one once a leading
    verb or place name is trimmed (建设数字经济 → 数字经济, 常德生物制造 → 生物制造). In an
    enumeration ``closed`` by 等…产业 the closer says the items are industries, so they
    need not end in an industry word.
    """
    item = item.translate(_QUOTES)
    if not closed and not _may_name_one(ctx, item, allowed, suffixes):
        return None  # most items of an open list: the steps below would all find nothing
    for entity in ctx.lexicon.lookup(item):
        if entity.cls in allowed:
            return entity, 0
    if "Platform" in allowed:
        for rule in ctx.patterns.heads:
            if rule.cls == "Platform" and item.endswith(rule.heads) and len(item) <= 12:
                return Entity("Platform", item), 0
    if "Sector" not in allowed:
        return None
    for qualifier in ctx.patterns.sector_qualifiers:
        # 境内外融资租赁, 境内外维修: the known sector, written with its qualifier
        if item.startswith(qualifier) and len(item) > len(qualifier) + 1:
            for entity in ctx.lexicon.lookup(item[len(qualifier) :]):
                if entity.cls == "Sector":
                    return entity, 0
    lead = leading_noise(ctx, item, function_words=False)
    core = item[lead:]
    if _verb_bound(item, lead):
        return None
    for entity in ctx.lexicon.lookup(core):
        if entity.cls in allowed:
            return entity, lead
    need_suffix = not closed
    if not _may_end_a_sector(ctx, core, allowed, need_suffix, suffixes):
        return None  # what follows needs jieba's words; spare it items that cannot be one
    lead = leading_noise(ctx, item)
    core = item[lead:]
    if _verb_bound(item, lead):
        return None
    for entity in ctx.lexicon.lookup(core):
        if entity.cls in allowed:
            return entity, lead
    known_tail = _known_after_inner_verb(ctx, core, allowed)
    if known_tail is not None:  # 外资更多投向先进制造业: the clause's object is the sector
        return known_tail[0], lead + known_tail[1]
    clause_cut = _after_inner_verb(ctx, core)
    if clause_cut:  # 民间资本投资区内金融业: a clause whose object is the sector
        rest = core[clause_cut:]
        known = [e for e in ctx.lexicon.lookup(rest) if e.cls in allowed]
        if known:
            return known[0], lead + clause_cut
        if _sector_like(ctx, rest, need_suffix=need_suffix, suffixes=suffixes):
            return Entity("Sector", rest), lead + clause_cut
        return None
    if _sector_like(ctx, core, need_suffix=need_suffix, suffixes=suffixes):
        return Entity("Sector", core), lead
    return None


def _may_name_one(
    ctx: DocContext, item: str, allowed: tuple[str, ...], suffixes: tuple[str, ...] | None
) -> bool:
    """What ``classify_item`` needs of an item of an open list to find anything: it ends
    in an industry word, in a platform's head, or in a name the lexicon knows.

    Why nothing is lost: each answer it gives before ``_may_end_a_sector`` is an entity
    the lexicon finds for a tail of the item (the whole item, the item after a qualifier or
    after its leading noise) or a platform named by its head; and an open list's item that
    passes ``_may_end_a_sector`` ends in an industry word or in a known name (it tests a
    tail of the item, so the item ends there too). An item with none of these gets None."""
    if item.endswith(suffixes or ctx.patterns.sector_suffixes):
        return True
    labels, last = _labels_of(ctx.lexicon, allowed)
    # every tail of the item ends in its last character: when no name does, none is one
    if item[-1:] in last:
        for k in range(1, len(item) + 1):  # a loop, not a generator: asked for every item
            if item[-k:] in labels:
                return True
    return "Platform" in allowed and item.endswith(_platform_heads(ctx.patterns.heads))


@lru_cache(maxsize=8)
def _labels_of(lexicon: Lexicon, classes: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The labels whose lookup finds an entity of ``classes``, and their last characters,
    once per lexicon (its index is made when it is loaded and never changed after)."""
    labels = frozenset(
        label for label, found in lexicon.by_label.items() if any(e.cls in classes for e in found)
    )
    return labels, frozenset(label[-1:] for label in labels)


@by_identity  # the pattern file's head rules, the same for the whole run: kg.extract.memo
def _platform_heads(rules: tuple[HeadRule, ...]) -> tuple[str, ...]:
    return tuple(h for rule in rules if rule.cls == "Platform" for h in rule.heads)


@lru_cache(maxsize=4)
def facility_words(rules: tuple[PhraseRule, ...]) -> frozenset[str]:
    """The heads that name ports and platforms (港口, 口岸, 平台), asked once per item."""
    return frozenset(h for r in rules if r.cls in ("Port", "Platform") for h in r.heads)


def _verb_bound(item: str, lead: int) -> bool:
    """学习教育, 警示教育: a verb bound to a word of two characters makes one term with it,
    no verb and its object."""
    return lead > 0 and len(item) - lead <= 2 and word_tags().get(item[:lead], "x")[:1] == "v"


_INNER_CUT_TAGS = frozenset({"s", "f"})


def _may_end_a_sector(
    ctx: DocContext,
    item: str,
    allowed: tuple[str, ...],
    need_suffix: bool,
    suffixes: tuple[str, ...] | None,
) -> bool:
    """Trimming words from the front of ``item`` could still leave a sector: it ends in
    an industry word (or need not), or in a name the lexicon knows."""
    if not need_suffix or item.endswith(suffixes or ctx.patterns.sector_suffixes):
        return True
    lookup = ctx.lexicon.lookup  # a loop, not nested generators: asked for every item
    for k in range(2, len(item)):
        for e in lookup(item[-k:]):
            if e.cls in allowed:
                return True
    return False


@lru_cache(maxsize=1 << 16)
def item_words(lexicon: Lexicon, item: str) -> tuple[str, ...]:
    """jieba's words of a list item, once per process: items recur across a corpus."""
    from .tokens import word_splitter

    return tuple(word_splitter(lexicon).lcut(item))


def _known_after_inner_verb(
    ctx: DocContext, item: str, allowed: tuple[str, ...]
) -> tuple[Entity, int] | None:
    """A known sector of three characters or more that ends ``item`` after a verb."""
    words = item_words(ctx.lexicon, item)
    tags = word_tags()
    pos = 0
    for i, word in enumerate(words[:-1]):
        pos += len(word)
        if tags.get(word, "x") != "v" or len(word) < 2 or len(item) - pos < 3:
            continue
        if word in ctx.patterns.phrase_keep_first:
            continue  # 涉外法律服务
        rest = item[pos:]
        known = [e for e in ctx.lexicon.lookup(rest) if e.cls in allowed]
        if known and i + 1 < len(words):
            return known[0], pos
    return None


def _after_inner_verb(ctx: DocContext, item: str) -> int:
    """Where the words after the last locative (区内, 境内) inside ``item`` begin (0: none)."""
    tags = word_tags()
    words = item_words(ctx.lexicon, item)
    cut = 0
    pos = 0
    for i, word in enumerate(words[:-1]):
        pos += len(word)
        # a leading one (境内外维修) qualifies the sector
        if i and tags.get(word, "x") in _INNER_CUT_TAGS:
            cut = pos
    return cut


def leading_noise(ctx: DocContext, item: str, function_words: bool = True) -> int:
    """Characters of leading verbs, adverbs and place names before the sector itself (and,
    with ``function_words``, of particles, pronouns and verbs jieba finds there)."""
    places, lead_words = ctx.lexicon.place_names, ctx.patterns.sector_lead_words
    lead = 0
    changed = True
    while changed and lead < len(item):
        changed = False
        for size in range(min(6, len(item) - lead - 2), 1, -1):
            place = item[lead : lead + size]
            if place in places:
                rest = item[lead + size :]
                generic = rest in ctx.patterns.sector_generic
                if not generic and (
                    place in ctx.patterns.sector_region_kinds
                    or (len(rest) <= 2 and _names_a_region(ctx, place))
                ):
                    break  # 沿海捎带, 内陆加工贸易: a kind of region qualifies the industry
                lead += size
                changed = True
                break
        # one C call tells when none of the words starts there, the usual case
        for word in lead_words if item.startswith(lead_words, lead) else ():
            if item.startswith(word, lead) and len(item) - lead - len(word) >= 2:
                lead += len(word)
                changed = True
                break
        if not changed and function_words:
            word = _function_word_at(ctx, item, lead)
            if word and len(item) - lead - len(word) >= 2:
                lead += len(word)  # 涵盖了金融, 拥有了平板显示, 近日就新能源
                changed = True
    return lead


def _names_a_region(ctx: DocContext, word: str) -> bool:
    return any(entity.cls == "Region" for entity in ctx.lexicon.lookup(word))


# Tags of words that never begin a sector's name: particles, prepositions, pronouns and
# conjunctions; verbs of two characters or more (涵盖, 拥有); adverbs of one (更, 就) and 多
# (更多支柱产业). 长期护理保险, 现代化工, 首单离岸贸易 keep their first word.
_LEADING_TAGS = frozenset({"u", "ul", "uj", "uz", "ug", "uv", "ud", "p", "r", "rr", "rz", "c"})
_LEADING_LONG = frozenset({"v"})
_LEADING_SHORT = frozenset({"d"})


def _function_word_at(ctx: DocContext, item: str, at: int) -> str:
    """The first word of ``item[at:]`` when it is a function word or a plain verb."""
    words = item_words(ctx.lexicon, item[at:])
    if len(words) < 2:
        return ""
    first = words[0]
    tag = word_tags().get(first, "x")
    leading = (
        tag in _LEADING_TAGS
        # 质押融资, 保税维修: a line of service is named by two verbs
        or (
            tag in _LEADING_LONG
            and len(first) > 1
            and not item.endswith(ctx.patterns.sector_activity_suffixes)
        )
        or (tag in _LEADING_SHORT and len(first) == 1)
        or first == "多"
    )
    if words[1][:1] in _SUFFIXES:
        return ""  # 沉浸式数字文娱: the verb makes a word with the suffix after it
    return first if leading and first not in ctx.patterns.phrase_keep_first else ""


_SUFFIXES = frozenset("式型性")


# characters that only end a word: an item starting with one was cut from a longer word
_BOUND = ("型", "级", "性", "化")
_QUALITY = ("型", "级", "性")


def _sector_like(
    ctx: DocContext, item: str, need_suffix: bool = True, suffixes: tuple[str, ...] | None = None
) -> bool:
    p = ctx.patterns
    if not (p.sector_min_free_length <= len(item) <= p.sector_max_length) or not _ITEM.match(item):
        return False
    if re.search(r"\d|[一二三四五六七八九十两][大个类项]|的|在|和|与|及|等|各类|下列", item):
        return False
    if item in p.sector_generic or any(item.startswith(m) for m in p.sector_generic_modifiers):
        return False
    if item.startswith(_BOUND):
        return False  # 型产业 (of 创新型产业): cut from a longer word
    if item.endswith(_QUALITY) and not item.endswith("模型"):
        return False  # 劳动密集型, 万亿级, 可靠性: a quality, no line of business (大模型 is one)
    if item.endswith("产业") and item[:-2].endswith(_BOUND):
        return False  # 创新型产业, 标志性产业, 特色化产业
    return not need_suffix or item.endswith(suffixes or p.sector_suffixes)


def _mark(
    ctx: DocContext, sentence: Sentence, start: int, end: int, entity: Entity, rule: str
) -> None:
    text = ctx.text[start:end]
    # keep the span on the bare word when quotes surround it; quotes inside a name
    # (服务于“一带一路”建设的…枢纽) stay in its span
    lead = len(text) - len(text.lstrip('“‘"「'))
    trail = len(text) - len(text.rstrip('”’"」'))
    if lead and trail and lead + trail < len(text):
        start, end = start + lead, end - trail
    ctx.add_mention(start, end, entity, sentence, rule)


def _has_task_field_context(ctx: DocContext, sentence: Sentence, clause: str) -> bool:
    if not _field_pattern(ctx.patterns.field_closers).search(clause):
        return False
    return any(m.entity.cls == "ReformTask" for m in ctx.mentions_in(sentence.start, sentence.end))


def _task_sentences(ctx: DocContext) -> set[int]:
    """The indices of the sentences a task's mention starts in."""
    found = (ctx.sentence_at(m.start) for m in ctx.mentions if m.entity.cls == "ReformTask")
    return {sentence.index for sentence in found if sentence is not None}


@lru_cache(maxsize=4)
def _field_pattern(closers: tuple[str, ...]) -> re.Pattern[str]:
    """等, a count, 个 and a word that closes a list of task fields (等9个领域)."""
    return re.compile(rf"等{_CN_NUM}个(?:{'|'.join(map(re.escape, closers))})")


def find_fields(ctx: DocContext) -> None:
    pattern = _field_pattern(ctx.patterns.field_closers)
    # the sentences a task's mention starts in, found once: any other has no task inside it
    # (the few tasks of a document, not a look-up for each of its sentences)
    held = _task_sentences(ctx)
    for sentence in ctx.sentences:
        if sentence.index not in held:
            continue
        tasks = [
            m for m in ctx.mentions_in(sentence.start, sentence.end) if m.entity.cls == "ReformTask"
        ]
        if not tasks:
            continue
        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            match = pattern.search(clause)
            if not match:
                continue
            items = _split_items(clause[: match.start()], c_start, ctx)
            s0, e0, first = items[0]
            cut = _trim_after_trigger(
                first,
                ("围绕", "涵盖", "包括", "聚焦", "覆盖", "明确了", "明确", "提出了", "提出"),
                leads=(),
            )
            items[0] = (s0 + cut, e0, first[cut:])
            for start, end, item in items:
                if 2 <= len(item) <= 20:
                    field = Entity("TaskField", item)
                    ctx.add_mention(start, end, field, sentence, "enum:field")
                    for task in tasks:
                        ctx.add_relation(task.entity, "coversField", field, sentence, "enum:field")
