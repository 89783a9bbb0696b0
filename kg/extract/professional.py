"""Professional services named by their field: 法律专业服务 is the field's service, 法律服务.

Regulations name a field's services twice, once as bodies or systems (律师、仲裁…等法律服务
机构) and once as what those bodies offer (开展法律专业服务, 提供国际化法律专业服务). Both
are the one sector the field's service is; 专业服务 alone is only the kind of service. The
mention keeps its span as written, and the node the label the field's service has.
"""

from __future__ import annotations

from ..model import Entity, Mention
from .context import DocContext

__all__ = ["merge_professional_services"]

_KIND = "专业服务"
# qualities of the service, not part of its field (专业化、国际化的…, 优质、高效的…)
_QUALITIES = ("国际化", "专业化", "高端", "优质", "高效")
_FIELD = 2  # characters of the field before 专业服务 when the lexicon matched the kind alone


def merge_professional_services(ctx: DocContext) -> None:
    mentions: list[Mention] = []
    changed = False
    for m in ctx.mentions:
        merged = _field_service(ctx, m) if m.entity.cls == "Sector" else None
        changed = changed or merged is not None
        mentions.append(merged or m)
    if changed:
        ctx.mentions = mentions


def _field_service(ctx: DocContext, m: Mention) -> Mention | None:
    if not m.surface.endswith(_KIND):
        return None
    start = m.start
    field = m.surface[: -len(_KIND)]
    if not field:
        # the lexicon's 专业服务 inside 法律专业服务: the field is the word before it
        word = ctx.word_ending_at(m.sentence, m.start)
        if len(word) != _FIELD:
            return None
        field, start = word, m.start - len(word)
    for quality in _QUALITIES:
        if field.startswith(quality) and len(field) > len(quality):
            field = field[len(quality) :]
    service = field + "服务"
    entity = ctx.lexicon.find("Sector", service) or Entity("Sector", service)
    return Mention(start, m.end, entity, ctx.text[start : m.end], m.sentence, m.rule)
