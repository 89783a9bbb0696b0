"""A bare 自由贸易港 in a text about 海南 is the Hainan Free Trade Port.

China has one free trade port: a news item or report that names 海南 and then writes
自由贸易港 or 自贸港 alone (推动“一带一路”建设与自由贸易港建设有机联动, 自贸港政策红利)
speaks of it. A text that does not name 海南 keeps the bare word for what it is there: a
port a regulation proposes to explore (探索建设…自由贸易港), in any text.
"""

from __future__ import annotations

import re

from .context import Coverage, DocContext

__all__ = ["find_bare_free_trade_port"]

# 全球自由贸易港发展: free ports of the world, no port of China
_BARE = re.compile("(?<!全球)(?:自由贸易港|自贸港)")
_PORT = "港"
_RULE = "zone:document"
_EXPLORED = re.compile(r"(?:探索建设|探索建立|申建)[^，；。]{0,20}$")


def find_bare_free_trade_port(ctx: DocContext) -> None:
    port = next(
        (
            ctx.lexicon.entries[s].entity
            for s, p, o in ctx.lexicon.facts
            if p == "locatedIn" and ctx.lexicon.entries[s].cls == "FreeTradePort"
        ),
        None,
    )
    if port is None:
        return
    hainan = {port, *(e for e in ctx.lexicon.lookup("海南") if e.cls == "Region")}
    # an entity equal to one of them has its class: the class, a string, is asked first
    # (an Entity hashes its fields in Python)
    kinds = {e.cls for e in hainan}
    if not any(m.entity.cls in kinds and m.entity in hainan for m in ctx.mentions):
        return
    covered: Coverage | None = None  # of the mentions before the first port is added
    for sentence in ctx.sentences:
        if _PORT not in sentence.text:
            continue  # both words end in it
        for match in _BARE.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if covered is None:
                covered = Coverage((m.start, m.end) for m in ctx.mentions)
            if not covered.overlaps(start, end) and not _EXPLORED.search(
                sentence.text, 0, match.start()
            ):
                ctx.add_mention(start, end, port, sentence, _RULE)
