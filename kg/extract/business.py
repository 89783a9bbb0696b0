"""Lines of business (…业务): the words that qualify them without naming the sector.

开展沿海捎带业务 keeps its region word, 跨境人民币业务 its currency and 业务, and in
发展海运集装箱和航空快件国际中转集拼业务 the goods carried lead the business both share.
"""

from __future__ import annotations

from ..model import Entity
from .context import DocContext
from .enumerations import leading_noise

__all__ = [
    "BUSINESS_STAGES",
    "activity_after_goods",
    "lists_goods",
    "carried_goods",
    "currency_business",
    "lone_word_after",
]

_CURRENCIES = ("人民币", "本外币", "外币")
GOODS = ("大宗商品", "商品", "货物", "产品")
_MIN_ACTIVITY = 3  # characters after the goods that name a line of business (境内外维修)
# what is done with a business that ends its item (跨境人民币业务创新, 市场采购贸易方式试点):
# the business is the line, the stage no part of its name
BUSINESS_STAGES = ("方式试点", "模式试点", "试点", "创新", "经营", "先行先试")


def lists_goods(filler: str, closer: str, business_heads: tuple[str, ...]) -> bool:
    """开展油品、矿石…等大宗商品现货交易, 开展航空发动机等高附加值商品境内外维修业务: the
    items before 等 are goods traded or served, no industries."""
    return filler.startswith(GOODS) or (
        closer in business_heads and any(g in filler for g in GOODS)
    )


def activity_after_goods(core: str) -> int:
    """高附加值商品境内外维修: where what is done to the goods starts (0: the whole line;
    大宗商品现货交易 names its goods as part of it)."""
    goods = max((core.rfind(g) + len(g) for g in GOODS if g in core[:-1]), default=0)
    if goods and not core.startswith(GOODS) and len(core) - goods >= _MIN_ACTIVITY:
        return goods
    return 0


def currency_business(ctx: DocContext, core: str, business: str) -> tuple[Entity, int] | None:
    """跨境人民币业务, 离岸人民币业务: a currency is no industry, its business across the
    border is one, named with 业务."""
    lead = leading_noise(ctx, core)
    word = core[lead:]
    if word.endswith(_CURRENCIES) and word.startswith(ctx.patterns.sector_qualifiers):
        return Entity("Sector", word + business), lead
    return None


def carried_goods(ctx: DocContext, start: int, core: str, before: str | None) -> int:
    """Characters of goods (or carriers) that lead ``core``, when the item before was goods
    as well, or when ``core`` is a lone line of business (``before`` None:
    国际航行船舶沿海捎带业务 → 沿海捎带)."""
    heads = ctx.patterns.sector_object_heads
    if before is not None and not before.endswith(heads):
        return 0
    limit = 6 if before is not None else 8
    for head in heads:
        at = core.find(head)
        cut = at + len(head)
        shortest = 1 if before is not None else 4  # 飞机融资租赁 keeps its aircraft
        if (
            at >= 0
            and shortest <= cut <= limit
            and len(core) - cut >= 4
            and ctx.aligned(start, start + cut)
        ):
            return cut
    return 0


def lone_word_after(ctx: DocContext, start: int, end: int) -> bool:
    """Only one word of two characters (and 业务) follows: it names no industry alone."""
    rest = ctx.text[start:end]
    for word in ctx.patterns.sector_business_heads:
        if rest.endswith(word):
            rest = rest[: -len(word)]
            break
    return len(rest) <= 2
