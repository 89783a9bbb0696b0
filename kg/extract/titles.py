"""《…》 titles (documents, initiatives, agreements) and the short names a text defines
(以下简称《总体方案》, 以下简称自贸试验区)."""

from __future__ import annotations

import bisect
import re

from ..model import Entity, Sentence
from .context import DocContext
from .entities import _BARE_ZONE, dominant
from .holding import holding

__all__ = ["find_short_names", "find_titles"]

_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_ALIAS = re.compile(r"[（(]?(?:以下简称|以下统称|统称|下称|简称)[《“\"]([^》”\"]{2,20})[》”\"]")
_ALIAS_PLAIN = re.compile(
    r"[（(](?:以下简称|以下统称|以下称|统称|下称|简称)[“\"]?([^《》“”\"（）()，,]{2,20})[”\"]?[）)]"
)
_JOINS = frozenset("和与及、")
_GENERIC_TITLES = {
    "总体方案",
    "实施方案",
    "方案",
    "意见",
    "条例",
    "规划",
    "决定",
    "通知",
    "办法",
    "纲要",
}


def find_titles(ctx: DocContext) -> None:
    """《…》 titles: documents, initiatives (倡议), agreements (协定); and 以下简称 aliases."""
    pending: list[tuple[Sentence, int, int, str]] = []
    for sentence in holding(ctx.sentences, ("《",)):  # the mark _TITLE opens with
        for match in _TITLE.finditer(sentence.text):
            pending.append(
                (
                    sentence,
                    sentence.start + match.start(),
                    sentence.start + match.end(),
                    match.group(1),
                )
            )
    # Aliases first: a page may use 《总体方案》 before the sentence that defines it.
    defined: dict[int, dict[str, Entity]] = {}  # article -> short title -> the full one
    for sentence, _start, end, inner in pending:
        after = ctx.text[end : end + 30]
        alias = _ALIAS.match(after)
        if alias:
            full = _title_entity(ctx, inner)
            ctx.aliases[alias.group(1)] = full
            defined.setdefault(sentence.article, {})[alias.group(1)] = full
    latest: dict[int, list[tuple[str, Entity]]] = {}  # article -> full titles so far
    for sentence, start, end, inner in pending:
        # each news item of a page defines its own 《总体方案》: the one of its article, or
        # the full title it follows there, before one an earlier item defined
        entity: Entity | None = (
            defined.get(sentence.article, {}).get(inner)
            or _short_title(latest.get(sentence.article, []), inner)
            or ctx.aliases.get(inner)
        )
        if entity is None:
            entity = _title_entity(ctx, inner)
            latest.setdefault(sentence.article, []).append((inner, entity))
        ctx.add_mention(start, end, entity, sentence, "title")
    _plain_aliases(ctx)


def _short_title(earlier: list[tuple[str, Entity]], inner: str) -> Entity | None:
    """《意见》, 《若干措施》, 《方案》 after the full title that ends with it, in the same article."""
    if len(inner) > 6:
        return None
    for title, entity in reversed(earlier):
        if title != inner and title.endswith(inner):
            return entity
    return None


def find_short_names(ctx: DocContext) -> None:
    """Short names defined after a body or facility (…工作办公室（以下简称"四川自贸办"）):
    run again once phrases have found those names."""
    _plain_aliases(ctx)


def _plain_aliases(ctx: DocContext) -> None:
    """ "中国（山东）自由贸易试验区（以下简称自贸试验区）": every later 自贸试验区 is that zone."""
    found: dict[str, Entity] = {}
    for sentence in holding(ctx.sentences, ("称",)):  # in each word _ALIAS_PLAIN opens with
        for match in _ALIAS_PLAIN.finditer(sentence.text):
            name = match.group(1)
            if name in ctx.aliases or len(name) < 2:
                continue
            at = sentence.start + match.start()
            before = [m for m in ctx.mentions if at - 2 <= m.end <= at]
            if not before and _BARE_ZONE.search(sentence.text[: match.start()][-8:]):
                # 本条例所称中国（天津）自由贸易试验区是指…的自由贸易试验区（以下简称自贸试验区）
                before = [
                    m
                    for m in ctx.mentions_in(sentence.start, at)
                    if m.entity.cls == "PilotFreeTradeZone"
                ]
            if before:
                last = max(before, key=lambda m: (m.end, m.end - m.start))
                if "统称" in match.group(0) and ctx.text[last.start - 1 : last.start] in _JOINS:
                    continue  # A和B（以下统称C）: C is the two together, not B
                found[name] = last.entity
    if not found:
        return
    ctx.aliases.update(found)
    covered = sorted((m.start, m.end) for m in ctx.mentions)
    starts = [a for a, _ in covered]
    longest = max((b - a for a, b in covered), default=0)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(found, key=len, reverse=True)))
    for sentence in ctx.sentences:
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            near = covered[
                bisect.bisect_left(starts, start - longest) : bisect.bisect_left(starts, end)
            ]
            entity = found[match.group(0)]
            if (start, end) in near and _read_as_a_phrase(ctx, start, end, entity):
                # 与驻区工作机构的…: the name the text defined, not a body of its own
                ctx.mentions = [
                    m
                    for m in ctx.mentions
                    if (m.start, m.end) != (start, end) or m.entity == entity
                ]
                near = [span for span in near if span != (start, end)]
            # a place inside the short name (四川 in 四川自贸办) does not hide it
            clash = any(
                a < end and start < b and not (start <= a and b <= end and (a, b) != (start, end))
                for a, b in near
            )
            if not clash:
                ctx.add_mention(start, end, entity, sentence, "alias")


def _read_as_a_phrase(ctx: DocContext, start: int, end: int, entity: Entity) -> bool:
    """Every mention of exactly the span is a name of the same class the phrases found."""
    same = [m for m in ctx.mentions_in(start, end) if (m.start, m.end) == (start, end)]
    return bool(same) and all(
        m.entity.cls == entity.cls and m.rule.startswith("phrase:") for m in same
    )


def _title_entity(ctx: DocContext, inner: str) -> Entity:
    for label in (inner, f"《{inner}》"):
        found = ctx.lexicon.best(label)
        if found is not None:
            return found
    if inner in _GENERIC_TITLES:
        zone = dominant(ctx, "PilotFreeTradeZone")
        if zone is not None:
            label = f"{zone.label}{inner}"
            return ctx.lexicon.find("PolicyDocument", label) or Entity("PolicyDocument", label)
    if inner.endswith("倡议"):
        return Entity("Initiative", inner)
    if inner.endswith(("协定", "协议", "公约")):
        return Entity("Agreement", inner)
    return Entity("PolicyDocument", inner)
