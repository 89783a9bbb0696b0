"""The working state one document carries through the pipeline components."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from ..model import (
    ArticleInfo,
    DateFact,
    Document,
    Entity,
    Mention,
    Observation,
    Relation,
    Sentence,
)
from .lexicon import Lexicon
from .patterns import Patterns

__all__ = [
    "Component",
    "Coverage",
    "DocContext",
    "clauses",
    "in_order",
    "SENTENCE_MARKS",
    "is_destination",
    "listed_up_to",
]

# A mention's fields in declaration order: the tuple its dataclass ``<`` compares. As a sort
# key it gives the same order, and Python's tuples compare it without one call per pair.
_MENTION_FIELDS = attrgetter("start", "end", "entity", "surface", "sentence", "rule")
# Look-ups kept between two changes of the mentions (DocContext.mentions_in), at most
_RANGES = 65_536


def in_order(mentions: Iterable[Mention]) -> list[Mention]:
    """``sorted(mentions)``, faster."""
    return sorted(mentions, key=_MENTION_FIELDS)


def joined_before(
    text: str, ends: Mapping[int, Mention], at: int, joins: tuple[str, ...]
) -> Mention | None:
    """The mention that ends right before ``at`` after one of ``joins`` (tried in order; ""
    for none): the item before the one at ``at`` in a list (高端制造业、现代服务业和…)."""
    for join in joins:
        before = ends.get(at - len(join))
        if before is not None and text.startswith(join, at - len(join)):
            return before
    return None


# verbs after which a place is where something goes (班列发往哈萨克斯坦): neither the
# subject of its clause nor the topic of what follows
_DESTINATION_VERBS = (
    "发往",
    "开往",
    "通往",
    "运往",
    "销往",
    "驶往",
    "飞往",
    "直达",
    "抵达",
    "辐射",
    "通达",
    "覆盖",
)


# What ends the stretch of text a verb of going or a doer is looked for in
SENTENCE_MARKS = "，；。：\n"


def is_destination(ctx: DocContext, start: int) -> bool:
    """The name at ``start`` is the place a verb of going names, or one of a list of them
    (发往哈萨克斯坦、乌兹别克斯坦等中亚国家); not what a later phrase of the clause names
    (直达欧洲腹地的中欧班列从陕西自贸试验区开出: 陕西 is where it leaves from)."""
    clause_start = ctx.last_mark_before(SENTENCE_MARKS, start) + 1
    for verb in _DESTINATION_VERBS:
        at = ctx.find(verb, clause_start, start)
        if at >= 0 and not ctx.mark_between(_PAST_THE_PLACE, at + len(verb), start):
            return True
    return False


# a qualifier or a preposition between the verb and the name: the name is elsewhere
_PAST_THE_PLACE = "的从在由经自"


def _places(text: str, word: str) -> list[int]:
    """Every offset where ``word`` starts in ``text``, overlapping ones too (as ``find``
    from any offset finds them)."""
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def listed_up_to(
    text: str, ends: Mapping[int, Mention], m: Mention, joins: tuple[str, ...] = ("、", "和", "及")
) -> Iterator[Mention]:
    """``m`` and the items listed before it, nearest first (…俄罗斯, …, 哈萨克斯坦)."""
    item: Mention | None = m
    while item is not None:
        yield item
        item = joined_before(text, ends, item.start, joins)


_CLAUSE_END = re.compile(r"[，；：。！？!?;:,]")


@dataclass
class DocContext:
    """Mutable scratch space for one document; frozen into an Extraction at the end."""

    doc: Document
    lexicon: Lexicon
    patterns: Patterns
    sentences: list[Sentence] = field(default_factory=list)
    articles: list[ArticleInfo] = field(default_factory=list)
    # Token boundaries (absolute offsets) from jieba: a mention must start and end on one.
    boundaries: set[int] = field(default_factory=set)
    tokens: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Short names a document defines for itself (以下简称《总体方案》).
    aliases: dict[str, Entity] = field(default_factory=dict)
    # The mentions sorted, with their starts, as of ``_indexed`` (the list itself, held so
    # that no later list can take its id) at length ``_indexed_length``; and the look-ups
    # made since (:meth:`mentions_in`).
    _indexed: list[Mention] | None = None
    _indexed_length: int = -1
    _index: tuple[list[int], list[Mention]] = field(default_factory=lambda: ([], []))
    _ranges: dict[tuple[int, int], list[Mention]] = field(default_factory=dict)
    _paragraphs: dict[int, str] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    # the places of marks and words (last_mark_before, mark_between, find)
    _marks: dict[str, list[int]] = field(default_factory=dict)
    _words: dict[str, list[int]] = field(default_factory=dict)
    # per-document values a component computes once (keyed by the component's own name)
    memo: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text

    def add_mention(
        self, start: int, end: int, entity: Entity, sentence: Sentence, rule: str
    ) -> Mention:
        mention = Mention(start, end, entity, self.doc.text[start:end], sentence.index, rule)
        self.mentions.append(mention)
        return mention

    def add_relation(
        self, subject: Entity, predicate: str, obj: Entity, sentence: Sentence, rule: str
    ) -> None:
        if subject != obj:
            self.relations.append(Relation(subject, predicate, obj, sentence.index, rule))

    def aligned(self, start: int, end: int) -> bool:
        return start in self.boundaries and end in self.boundaries

    def word_ending_at(self, sentence: int, end: int) -> str:
        """jieba's word of ``sentence`` that ends at ``end`` ("" when none does)."""
        tokens = self.tokens.get(sentence, [])
        i = bisect.bisect_left(tokens, end, key=lambda token: token[1])
        if i < len(tokens) and tokens[i][1] == end:
            return self.text[tokens[i][0] : end]
        return ""

    def word_starting_at(self, sentence: int, start: int) -> str:
        """jieba's word of ``sentence`` that starts at ``start`` ("" when none does)."""
        tokens = self.tokens.get(sentence, [])
        i = bisect.bisect_left(tokens, start, key=lambda token: token[0])
        if i < len(tokens) and tokens[i][0] == start:
            return self.text[start : tokens[i][1]]
        return ""

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside [start, end), sorted; an index keeps this fast on long documents.

        A new list each time (callers may change it). Most components ask for each
        sentence's mentions, one after another, while the mentions stay as they are: a
        range asked for again is answered from what the index gave it, until a mention is
        added or the list replaced."""
        mentions = self.mentions
        if mentions is not self._indexed or len(mentions) != self._indexed_length:
            self._update_index()
        found = self._ranges.get((start, end))
        if found is None:
            starts, ordered = self._index
            lo = bisect.bisect_left(starts, start)
            hi = bisect.bisect_left(starts, end, lo)
            # most ranges asked for (four in ten) hold no mention
            found = [m for m in ordered[lo:hi] if m.end <= end] if lo < hi else []
            if len(self._ranges) >= _RANGES:
                self._ranges.clear()
            self._ranges[start, end] = found
        return found[:]

    def mentions_in_order(self) -> list[Mention]:
        """``in_order(self.mentions)``, from the index :meth:`mentions_in` keeps sorted: a
        component that walks every mention in order no longer sorts them all again (a long
        document's 8,600 mentions, sorted by a dozen components). A new list each time."""
        mentions = self.mentions
        if mentions is not self._indexed or len(mentions) != self._indexed_length:
            self._update_index()
        return self._index[1][:]

    def sort_mentions(self) -> None:
        """``self.mentions = in_order(self.mentions)``, from the index, which stays valid:
        a list put in ``mentions`` is otherwise sorted again at the next look-up."""
        ordered = self.mentions_in_order()  # a list of its own: appends do not reach the index
        self.mentions = self._indexed = ordered
        self._indexed_length = len(ordered)

    def _update_index(self) -> None:
        # Mentions are only ever appended or replaced as a whole: new ones are inserted into
        # the sorted index, so that adding while looking up stays linear in practice.
        mentions = self.mentions
        self._ranges.clear()
        if mentions is self._indexed and self._indexed_length < len(mentions):
            starts, ordered = self._index
            for m in mentions[self._indexed_length :]:
                # the key compares as the dataclass's <, in C (kg.model.Mention)
                at = bisect.bisect_right(ordered, _MENTION_FIELDS(m), key=_MENTION_FIELDS)
                ordered.insert(at, m)
                starts.insert(at, m.start)
        else:
            ordered = in_order(mentions)
            self._index = ([m.start for m in ordered], ordered)
        self._indexed = mentions
        self._indexed_length = len(mentions)

    def last_mark_before(self, marks: str, pos: int) -> int:
        """Where the last of the characters ``marks`` before ``pos`` stands (-1: none).

        Searching back from every name costs the distance to the last mark, which a long
        text without punctuation makes the whole text (quadratic): the offsets of each set
        of marks are listed once per document instead, and so are a word's places
        (:meth:`mark_between`, :meth:`find`)."""
        found = self._marked(marks)
        i = bisect.bisect_left(found, pos)
        return found[i - 1] if i else -1

    def mark_between(self, marks: str, start: int, end: int) -> bool:
        """One of the characters ``marks`` stands in ``[start, end)``."""
        found = self._marked(marks)
        i = bisect.bisect_left(found, start)
        return i < len(found) and found[i] < end

    def places(self, word: str) -> list[int]:
        """Every offset where ``word`` (not empty) starts in the text, overlapping ones too,
        listed once per document (the list is shared: not to be changed)."""
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = _places(self.doc.text, word)
        return found

    def find(self, word: str, start: int, end: int) -> int:
        """``self.text.find(word, start, end)`` for a word that is not empty."""
        found = self.places(word)
        i = bisect.bisect_left(found, start)
        # the first place from ``start``: if the word does not end by ``end`` there, no
        # later place does
        return found[i] if i < len(found) and found[i] + len(word) <= end else -1

    def _marked(self, marks: str) -> list[int]:
        found = self._marks.get(marks)
        if found is None:
            pattern = re.compile("[" + re.escape(marks) + "]")
            found = self._marks[marks] = [m.start() for m in pattern.finditer(self.doc.text)]
        return found

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds ``offset``."""
        if len(self._starts) != len(self.sentences):
            self._starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0 or offset >= self.sentences[i].end:
            return None
        return self.sentences[i]

    def paragraph_text(self, paragraph: int) -> str:
        if not self._paragraphs:
            texts: dict[int, list[str]] = {}
            for s in self.sentences:
                texts.setdefault(s.paragraph, []).append(s.text)
            self._paragraphs = {k: "".join(v) for k, v in texts.items()}
        return self._paragraphs.get(paragraph, "")


Component = Callable[[DocContext], None]


class Coverage:
    """The character positions a set of spans ``[start, end)`` covers.

    :meth:`overlaps` costs the length of the span tested, not the number of spans added, so
    testing every mention of a document against the others stays linear in its length.
    Empty spans (which the extractors do not make) are compared one by one.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._covered: set[int] = set()
        self._spans: list[tuple[int, int]] = []
        self._empty: list[tuple[int, int]] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, end))
        if end > start:
            self._covered.update(range(start, end))
        else:
            self._empty.append((start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """True when some added span ``[a, b)`` has ``a < end and start < b``."""
        if end <= start:
            return any(a < end and start < b for a, b in self._spans)
        if self._empty and any(a < end and start < b for a, b in self._empty):
            return True
        # the positions tested in C, not one generator step each
        return not self._covered.isdisjoint(range(start, end))


def clauses(sentence: Sentence) -> tuple[tuple[int, int], ...]:
    """Absolute (start, end) spans of the clauses of a sentence."""
    # Many components split each sentence: split once (the cache holds a long document's
    # sentences, which each component reads in turn from first to last).
    return _clause_spans(sentence.start, sentence.end, sentence.text)


@lru_cache(maxsize=1 << 15)
def _clause_spans(start: int, end: int, text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = 0
    for match in _CLAUSE_END.finditer(text):
        if match.start() > pos:
            spans.append((start + pos, start + match.start()))
        pos = match.end()
    if pos < len(text):
        spans.append((start + pos, end))
    return tuple(spans)


def occurrences(word: str, text: str) -> list[int]:
    """Where ``word`` occurs in ``text``, without overlaps, as ``re.finditer`` finds it;
    ``str.find`` spares compiling (or looking up) one regex per word and clause."""
    if not word:
        return [m.start() for m in re.finditer("", text)]
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


# the dashes that join two partners' names (中国—东盟)
DASHES = ("—", "－", "-")
