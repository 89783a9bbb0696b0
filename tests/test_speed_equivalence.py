"""Speed-ups that must not change what is extracted: each fast path equals the slow one."""

from __future__ import annotations

from kg.extract.wordtags import word_tags as _word_tags


def test_word_tags_are_posseg_word_tags() -> None:
    import jieba.posseg

    jieba.posseg.initialize()
    assert _word_tags() == jieba.posseg.dt.word_tag_tab
