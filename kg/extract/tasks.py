"""Counted reform tasks: 81项改革试点任务, 12个方面措施."""

from __future__ import annotations

import re

from ..model import Entity
from ..read.normalize import CJK
from .context import DocContext
from .entities import _NUMERAL
from .holding import holding
from .numerals import chinese_number

__all__ = ["find_tasks"]

_TASK = re.compile(
    rf"({_NUMERAL})(项|条|个方面|方面)([{CJK}]{{0,10}}?)(改革创新举措|试点任务|制度创新成果|任务|措施|举措)"
)

# each word _TASK ends with holds one of these
_TASK_WORDS = ("任务", "措施", "举措", "成果")


# Verbs that put tasks forward: after one, the count before it counts something else.
_ISSUING = ("提出", "出台", "发布", "推出", "部署", "明确", "制定")


def find_tasks(ctx: DocContext) -> None:
    for sentence in holding(ctx.sentences, _TASK_WORDS):
        for match in _TASK.finditer(sentence.text):
            count = chinese_number(match.group(1))
            if count is None or count < 2:
                continue  # 今年一项重点任务: one task among others, no counted bundle
            if any(verb in match.group(3) for verb in _ISSUING):
                continue  # 10个方面提出…举措: the count is of aspects, the verb then names tasks
            label = match.group(0)
            start = sentence.start + match.start()
            ctx.add_mention(
                start, start + len(label), Entity("ReformTask", label), sentence, "task"
            )
