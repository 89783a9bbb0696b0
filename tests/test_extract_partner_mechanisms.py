"""Mechanisms and agreements named after their partners involve those countries."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def involved(ex: Extraction, label: str) -> set[str]:
    return {
        r.object.label
        for r in ex.relations
        if r.subject.label == label and r.predicate == "involvesCountry"
    }


def test_a_mechanism_named_after_its_partners_involves_each(extract: Extract) -> None:
    ex = extract("自贸试验区推动建立中俄、中蒙边境口岸协调机制。")
    name = "中俄、中蒙边境口岸协调机制"
    assert name in {m.entity.label for m in ex.mentions if m.entity.cls == "Initiative"}
    assert involved(ex, name) == {"中国", "俄罗斯", "蒙古国"}


def test_an_agreement_named_after_its_partners_involves_them(extract: Extract) -> None:
    ex = extract("自贸试验区用好中柬自由贸易协定。")
    assert involved(ex, "中柬自由贸易协定") == {"中国", "柬埔寨"}


def test_mechanisms_not_named_after_partners_are_not_read(extract: Extract) -> None:
    ex = extract("自贸试验区建立区域合作机制，发挥中欧、中法、中德等政府间对话机制作用。")
    assert not [m for m in ex.mentions if m.entity.label.endswith("机制")]
