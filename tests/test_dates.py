"""A document's date: from its header, else its file name, else the latest month it reports."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import DCTERMS, FTZ
from kg.read.dates import document_date, year_of


@pytest.mark.parametrize(
    ("text", "name", "date"),
    [
        # a full date in the header wins over the file name
        (
            "中国（山东）自由贸易试验区条例\n\n2020年9月25日 山东省第十三届人大常委会通过\n",
            "x-2019.txt",
            "2020-09-25",
        ),
        (
            "英文标题: Action Plan\n发布时间: 2024-09-19\n正文",
            "central-002-2024-09-19.txt",
            "2024-09-19",
        ),
        # the file name's date when the header has none
        ("《新闻联播》文字稿\n\n【标题】正文。", "xwlb-20260409.txt", "2026-04-09"),
        # a month in the header, then a year in the file name
        ("2026年4月 发布\n正文", "report.txt", "2026-04"),
        (
            "中国（上海）自由贸易试验区条例\n第一章 总则\n第一条 为推进……",
            "shanghai-ftz-regulation-2014.txt",
            "2014",
        ),
        # the latest month the text reports; a target (到2035年) is no event
        (
            "前言\n"
            + "。" * 500
            + "2018 年以来……2026 年 4 月，中国（内蒙古）自贸试验区获批设立。到2035年基本建成。",
            "000_feab.txt",
            "2026-04",
        ),
        ("前言\n" + "。" * 500 + "2019年以来，2023年全区……到2035年", "a.txt", "2023"),
        ("没有日期的文字。", "notes.txt", ""),
        # an impossible month and day leave the year
        ("2026年13月45日\n", "a.txt", "2026"),
    ],
)
def test_document_date(text: str, name: str, date: str) -> None:
    assert document_date(text, name) == date


def test_year_of() -> None:
    assert [year_of(d) for d in ("2026-04-09", "2026-04", "2026", "", "soon")] == [
        "2026",
        "2026",
        "2026",
        "",
        "",
    ]


def test_the_date_is_on_the_document_node_with_its_year(graph_from_text) -> None:  # type: ignore[no-untyped-def]
    graph = graph_from_text(
        "关于自贸试验区的说明\n2025年6月30日\n满洲里片区面向俄罗斯。", name="note.txt"
    )
    docs = list(graph.subjects(DCTERMS.date, None))
    assert len(docs) == 1 and isinstance(docs[0], URIRef)
    assert graph.value(docs[0], DCTERMS.date) == Literal("2025-06-30", datatype=XSD.date)
    assert graph.value(docs[0], FTZ.year) == Literal("2025", datatype=XSD.gYear)
