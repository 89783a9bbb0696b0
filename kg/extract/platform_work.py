"""The lines of business a platform carries, read from the clause after it.

A platform relied on in one clause is where the next clause's development happens
(依托边境合作中心、综保区等开放平台，重点发展商贸物流、跨境金融…: each supports them), as is
one a regulation's article builds (建设舟山航空产业园，发展飞机总装组装和制造、零部件保税物流).
The relation rules (``relations``) give those sectors to the zone the sentence opens with;
what is done in the platform's own clause (在海关特殊监管区域内开展…业务) is theirs too.
"""

from __future__ import annotations

import re

from ..model import Mention, Sentence
from .context import DocContext, listed_up_to
from .document_zone import is_regulation
from .memo import by_identity
from .topic_ends import CLAUSE_MARKS, clause_start

__all__ = ["find_platform_work"]

# the verb stands this close before the platform, or the first of those listed with it
# (建设舟山航空产业园, 依托依法设立的大宗商品交易场所)
_VERB_WITHIN = 14
# what may stand between the platform and the comma that ends its clause
_CLAUSE_AFTER = re.compile(r"(?:等|建设|的建设)?，")
_JOINS = ("、", "和", "及", "等")


def find_platform_work(ctx: DocContext) -> None:
    p = ctx.patterns
    # a report chains parallel tasks (打造…基地，培育…): only a regulation's built platform
    # is the place of the next clause's work
    frames = p.platform_relies + (p.platform_builds if is_regulation(ctx) else ())
    develops = _comma_then(p.platform_develops)
    longest = max(map(len, p.platform_develops), default=0)
    for sentence in ctx.sentences:
        # every platform taken has a comma of its sentence with a word of development right
        # after it (the word may run past the sentence's end): where the text holds none,
        # no platform of the sentence is taken
        if develops.search(ctx.text, sentence.start, sentence.end + longest) is None:
            continue
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        if not any(m.entity.cls == "Sector" for m in mentions):
            continue
        ends = {m.end: m for m in mentions}
        for m in mentions:
            if m.entity.cls != "Platform":
                continue
            after = _CLAUSE_AFTER.match(ctx.text, m.end, sentence.end)
            if after is None or not ctx.text.startswith(p.platform_develops, after.end()):
                continue
            listed = list(listed_up_to(ctx.text, ends, m, _JOINS))
            first = listed[-1].start
            lead = ctx.text[clause_start(ctx, first, sentence.start) : first]
            if any(verb in lead[-_VERB_WITHIN:] for verb in frames):
                _support(ctx, sentence, mentions, listed, after.end())


@by_identity  # kg.extract.memo: the settings' tuple, asked once per document
def _comma_then(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("，(?:" + "|".join(map(re.escape, words)) + ")" if words else "(?!)")


def _support(
    ctx: DocContext,
    sentence: Sentence,
    mentions: list[Mention],
    listed: list[Mention],
    start: int,
) -> None:
    """The platform, and the platforms listed with it (海外仓和海外运营中心, 边境合作中心、
    综保区等开放平台), support the sectors of the clause from ``start``."""
    end = next((i for i in range(start, sentence.end) if ctx.text[i] in CLAUSE_MARKS), sentence.end)
    sectors = [s for s in mentions if s.entity.cls == "Sector" and start <= s.start < end]
    for item in listed:
        if item.entity.cls == "Platform":
            for sector in sectors:
                ctx.add_relation(item.entity, "supports", sector.entity, sentence, RULE)


RULE = "frame:supports"
