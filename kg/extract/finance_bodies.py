"""Lines of finance named by the bodies that carry them on.

Regulations let the zone set up insurers and brokers by listing what they do:
设立…保险经纪、保险代理、风险评估等专业性保险服务机构, 设立内外资再保险、外资健康保险等机构,
设立金融租赁、汽车金融、消费金融公司…等非银行金融机构. The closing phrase says the items are
bodies of finance or insurance, so each item names a line of that business: a sector, as
written. Items that are themselves bodies (财务公司、汽车金融公司和消费金融公司等金融机构)
name kinds of firm, and two-character items kinds of institution (银行、证券、保险等金融机构):
neither is a line of business.
"""

from __future__ import annotations

import re

from ..model import Sentence
from ..read.normalize import CJK
from .context import DocContext
from .enumerations import _mark, _split_items, classify_item

__all__ = ["find_finance_lines"]

_CLOSER = re.compile(rf"等(?P<kind>[{CJK}]{{0,8}}?(?:保险|金融)[{CJK}]{{0,4}}?)(?:机构|组织)")
_BODIES = ("公司", "机构", "组织")
# what starts the list: the verb that sets the bodies up, or the 的 of what they are for
_OPENERS = ("设立", "引进", "引入", "发展", "培育", "支持", "鼓励", "集聚", "吸引", "的")
_MIN_LINE = 3
_RULE = "enum:sector"  # as sectors.LIST_RULE: an item of a list


def find_finance_lines(ctx: DocContext, sentence: Sentence, clause: str, offset: int) -> None:
    for match in _CLOSER.finditer(clause):
        head = clause[: match.start()]
        begin = max((head.rfind(w) + len(w) for w in _OPENERS if w in head), default=-1)
        if begin < 0:
            continue  # no body is set up: the list may name anything
        items = _split_items(head[begin:], offset + begin, ctx)
        if len(items) < 2:
            continue
        for start, end, item in items:
            if item.endswith(_BODIES) or len(item) < _MIN_LINE:
                continue  # 财务公司、汽车金融公司: firms of a kind; 银行、证券: kinds of institution
            found = classify_item(ctx, item, ("Sector",), True, None)
            if found is None:
                continue
            entity, lead = found
            _mark(ctx, sentence, start + lead, end, entity, _RULE)
