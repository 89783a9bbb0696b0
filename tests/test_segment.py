"""Sentences, paragraphs and the articles of a newspaper page."""

from __future__ import annotations

from kg.read.normalize import normalize_text
from kg.read.segment import split_articles, split_sentences

from .conftest import SEED_FILE


def test_sentence_offsets_cut_back_the_text() -> None:
    text = normalize_text(SEED_FILE.read_text(encoding="utf-8"))
    sentences = split_sentences(text)
    assert len(sentences) > 100
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_sentences_end_at_terminal_punctuation() -> None:
    sentences = split_sentences("第一句。第二句！“第三句？”\n标题行\n")
    assert [s.text for s in sentences] == ["第一句。", "第二句！", "“第三句？”", "标题行"]
    assert [s.paragraph for s in sentences] == [0, 0, 0, 1]


def test_seed_page_has_three_articles_with_authors() -> None:
    text = normalize_text(SEED_FILE.read_text(encoding="utf-8"))
    articles = split_articles(text)
    assert [a.author for a in articles] == ["叶欣", "连欣", "李瑞峰"]
    assert articles[0].title == "实施自由贸易试验区提升战略 打造高水平对外开放新引擎"
    assert articles[0].affiliation == "商务部国际贸易经济合作研究院数字贸易研究所"
    assert articles[1].affiliation == "国家发展改革委习近平经济思想研究中心"
    assert articles[0].end == articles[1].start


def test_text_without_bylines_has_no_articles() -> None:
    assert split_articles("一段没有署名的文字。\n") == []
