"""Lines of finance named by the bodies that carry them on.

Regulations let the zone set up insurers and brokers by listing what they do:
设立…保险经纪、保险代理、风险评估等专业性保险服务机构, 设立内外资再保险、外资健康保险等机构,
设立金融租赁、汽车金融、消费金融公司…等非银行金融机构. The closing phrase says the items are
bodies of finance or insurance, so each item names a line of that business: a sector, as
written. A body named by its line names that line (保险资产管理公司、相互制保险机构 →
保险资产管理, 相互制保险), unless the list names a finance company (财务公司、汽车金融公司
和消费金融公司): then its bodies are kinds of firm. Two-character items name kinds of
institution (银行、证券、保险等金融机构). Neither is a line of business.
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
_MIN_BODY_LINE = 4
_FIRM_KINDS = ("财务公司",)  # 企业集团财务公司 too: a group's finance company
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
        # 财务公司、汽车金融公司和消费金融公司: a list that names a finance company names
        # kinds of firm, and its other bodies are firms of a kind too
        firms = any(item.endswith(_FIRM_KINDS) for _, _, item in items)
        for start, end, item in items:
            body = next((b for b in _BODIES if item.endswith(b)), "")
            # 保险资产管理公司、相互制保险机构: a body named by its line names that line;
            # 银行、证券 name kinds of institution
            end, item = end - len(body), item[: len(item) - len(body)]
            if body and firms or len(item) < (_MIN_BODY_LINE if body else _MIN_LINE):
                continue
            found = classify_item(ctx, item, ("Sector",), True, None)
            if found is None:
                continue
            entity, lead = found
            _mark(ctx, sentence, start + lead, end, entity, _RULE)
