"""Service sectors named by the bodies a text develops.

培育律师、仲裁、公证等法律服务机构: the bodies a development verb grows are those of a
service, so the service (法律服务) is a sector developed; bodies set up to serve a purpose
name none (为保险业发展提供配套服务的…等专业性保险服务机构). ``sectors.find_sectors``
asks once per clause that has a 等.
"""

from __future__ import annotations

import re

from ..model import Entity, Sentence
from ..read.normalize import CJK
from .context import DocContext, occurrences

__all__ = ["service_bodies"]

_RULE = "enum:sector"  # as sectors.LIST_RULE: an item of a list

_SERVICE_BODIES = re.compile(rf"等(?P<service>[{CJK}]{{2,6}}服务)(?:机构|体系)")


def service_bodies(
    ctx: DocContext, sentence: Sentence, clause: str, offset: int, triggers: tuple[str, ...]
) -> None:
    """培育律师、仲裁、公证等法律服务机构: the bodies developed are those of a service sector."""
    for match in _SERVICE_BODIES.finditer(clause):
        service = match.group("service")
        if service in ctx.patterns.sector_generic:
            continue
        # a trigger before the list develops it, unless it only says what the bodies are for
        # (为保险业发展提供配套服务的…等专业性保险服务机构: set up, not a sector grown)
        if not any(
            "为" not in clause[max(0, at - _PURPOSE_SPAN) : at]
            for t in triggers
            for at in occurrences(t, clause[: match.start()])
        ):
            continue
        entity = ctx.lexicon.find("Sector", service) or Entity("Sector", service)
        start = offset + match.start("service")
        ctx.add_mention(start, start + len(service), entity, sentence, _RULE)


_PURPOSE_SPAN = 6  # characters before a trigger in which 为 makes it a purpose
