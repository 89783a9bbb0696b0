"""Sectors fused with a known sector: the list after its 与 names industries too."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Extract = Callable[[str], Extraction]


def sectors(ex: Extraction) -> set[str]:
    return {m.entity.label for m in ex.mentions if m.entity.cls == "Sector"}


def test_the_items_fused_with_a_sector_are_sectors(extract: Extract) -> None:
    ex = extract("自贸试验区推动农业与文化创意、休闲康养、体育赛事等深度融合。")
    assert {"休闲康养", "体育赛事"} <= sectors(ex)
    zone_sectors = {r.object.label for r in ex.relations if r.predicate == "focusesOnSector"}
    assert "休闲康养" in zone_sectors


def test_spheres_a_sector_is_applied_to_are_no_sectors(extract: Extract) -> None:
    ex = extract(
        "推动人工智能与产业发展、公共安全、社会治理等深度融合。推动旅游与休闲康养深度融合。"
    )
    assert not {"公共安全", "社会治理", "休闲康养"} & sectors(ex)
