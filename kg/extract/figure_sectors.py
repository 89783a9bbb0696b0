"""Industries that hold a figure of their output: 南繁种业年产值突破180亿元,
高新技术产业增加值增长12%. No verb develops them, but the text names an industry whose size
it reports, which the sector rules (``sectors``) only find after a verb of development."""

from __future__ import annotations

import re

from ..read.normalize import CJK
from .context import DocContext
from .enumerations import classify_item
from .figure_holders import OUTPUT

__all__ = ["find_figure_sectors"]

RULE = "figure:sector"
_SCOPES = ("全省", "全市", "全区", "全国", "我省", "我市", "我区", "全年")
# the industry opens its clause (after its scope: 全省…), ends in a word of industry, and the
# measure of its output follows it with the verb of the figure
_INDUSTRY = ("产业", "种业", "渔业", "农业", "制造业", "服务业", "经济")
_FIGURE_VERBS = ("突破", "达到", "达", "超过", "超", "增长", "同比", "实现", "首次", "年均", "保持")
_HOLDER = re.compile(
    rf"(?:^|(?<=[，。；：、]))(?:{'|'.join(_SCOPES)})?"
    rf"(?P<name>[{CJK}]{{2,10}}?(?:{'|'.join(_INDUSTRY)}))"
    rf"(?=(?:{'|'.join(OUTPUT)})(?:{'|'.join(_FIGURE_VERBS)}))"
)
# what every match of _HOLDER is followed by: a sentence without it (nearly all) holds none,
# and this pattern, with a literal start, tells so faster than _HOLDER tried at every place
_MEASURE = re.compile(rf"(?:{'|'.join(OUTPUT)})(?:{'|'.join(_FIGURE_VERBS)})")


def find_figure_sectors(ctx: DocContext) -> None:
    added = False
    for sentence in ctx.sentences:
        for match in _HOLDER.finditer(sentence.text) if _MEASURE.search(sentence.text) else ():
            if match.group("name").startswith(_SCOPES):
                continue  # 全年服务业: a scope and a kind of industry
            start = sentence.start + match.start("name")
            end = sentence.start + match.end("name")
            if any(m.start < end and start < m.end for m in ctx.mentions_in(start - 12, end + 1)):
                continue  # a name the other rules found, or part of one
            found = classify_item(ctx, match.group("name"), ("Sector",), closed=True)
            if found is None or found[1]:
                continue  # no industry, or one whose name the clause holds only in part
            ctx.add_mention(start, end, found[0], sentence, RULE)
            added = True
    if added:
        ctx.sort_mentions()
