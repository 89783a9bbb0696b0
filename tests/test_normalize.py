"""Normalisation of layout noise in newspaper text."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

from kg.read.normalize import (
    _FULLWIDTH,
    _PUNCT,
    _SPACE_AFTER_CJK,
    _SPACE_BEFORE_CJK,
    CJK,
    normalize_text,
)


def test_doubled_words_collapse() -> None:
    assert "高质量发展的必然要求" in normalize_text("是实现高质量发展发展的必然要求。")
    assert "国家贸易额" in normalize_text("与共建国家贸易贸易额达23.6万亿元。")


def test_spaces_around_numbers_go_but_spaces_between_phrases_stay() -> None:
    text = normalize_text(
        "实施自由贸易试验区提升战略 打造新引擎\n2025 年外贸 2206.7 亿元，增长 6.4%。"
    )
    assert "提升战略 打造新引擎" in text
    assert "2025年外贸2206.7亿元，增长6.4%。" in text


def test_line_broken_inside_a_sentence_is_joined() -> None:
    long_line = "电信、互联网、教育、文化、医疗等领域正在有序扩大开放，允许在特定"
    text = normalize_text(long_line + "\n\n地区开展增值电信业务扩大开放试点。")
    assert "允许在特定地区开展增值电信业务" in text


def test_repeated_character_at_a_column_break_is_dropped() -> None:
    first = "结合产业基础，在有特色、有比较优势的领域集中攻关，发挥“内联八省、外通欧亚”的区位优势"
    text = normalize_text(first + "\n\n势，大力发展通道经济。")
    assert text.count("区位优势，大力发展") == 1


def test_headings_are_not_joined() -> None:
    text = normalize_text("准确把握新要求\n\n当前，我国发展的环境已发生变化。")
    assert text.splitlines()[0] == "准确把握新要求"


def test_fullwidth_digits_become_ascii() -> None:
    assert "2025年" in normalize_text("２０２５年")


def test_a_bracket_left_open_at_a_line_break_closes_on_the_next_line() -> None:
    text = normalize_text(
        "中国（辽宁）自由贸易试验区条例\n\n（2018年7月25日辽宁省第十三届人民代表大会常务\n\n"
        "委员会第四次会议通过）\n\n第一章 总则"
    )
    assert "（2018年7月25日辽宁省第十三届人民代表大会常务委员会第四次会议通过）\n" in text
    assert text.startswith("中国（辽宁）自由贸易试验区条例\n")
    assert text.rstrip().endswith("\n第一章 总则")


def test_every_fullwidth_character_is_mapped_as_the_table_says() -> None:
    # Each mapped character between two Latin letters (no space or line rule applies).
    for cp in sorted(_FULLWIDTH):
        text = f"a{chr(cp)}b\n"
        assert normalize_text(text) == normalize_text(text.translate(_FULLWIDTH)), hex(cp)
    assert normalize_text("ｘ\ufeff\u200bｙ　２\u00a0年") == "xy 2年\n"


def test_spaces_are_taken_out_line_by_line() -> None:
    text = normalize_text("甲 2025 年\n\n2025 乙\n\n丙 ，丁\t\n\nx 戊")
    assert text == "甲2025年\n\n2025乙\n\n丙，丁\n\nx戊\n"


# The space rules as first written, each look-behind before the space it borders on.
_PLAIN_BEFORE = re.compile(rf"(?<=[^{CJK} \t])[ \t]+(?=[{CJK}{_PUNCT}%])|(?<=[{_PUNCT}])[ \t]+")
_PLAIN_AFTER = re.compile(rf"(?<=[{CJK}{_PUNCT}])[ \t]+(?=[^{CJK} \t])|[ \t]+(?=[{_PUNCT}])")


def _same_matches(text: str) -> None:
    for fast, plain in ((_SPACE_BEFORE_CJK, _PLAIN_BEFORE), (_SPACE_AFTER_CJK, _PLAIN_AFTER)):
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], repr(text)


def test_the_space_rules_match_where_their_plain_forms_do() -> None:
    # Every string of up to 5 characters over an alphabet with a character of each class
    # the rules tell apart (CJK, punctuation, %, Latin, digit, space, tab, line break).
    alphabet = ["中", "，", "%", "a", "1", " ", "\t", "\n"]
    for size in range(6):
        for chars in product(alphabet, repeat=size):
            _same_matches("".join(chars))
    _same_matches("甲 2025 年\n\n2025 乙\n\n丙 ，丁\t\n\nx 戊 （ 附件 ） 50 %")


def test_the_space_rules_match_the_corpus_as_their_plain_forms(corpus: Path) -> None:
    for path in sorted(corpus.glob("*.txt"))[:60]:
        _same_matches(path.read_text(encoding="utf-8", errors="replace"))
