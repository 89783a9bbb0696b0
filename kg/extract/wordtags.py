"""jieba's dictionary word → POS tag, loaded once per process for every component."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["word_tags"]


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """``jieba.posseg.dt.word_tag_tab``, read the way posseg reads it but in one pass over
    the file: ``jieba.posseg.initialize()`` also loads a second copy of the main
    dictionary and costs seconds per call, and three components used to call it."""
    import jieba

    with jieba.dt.get_dict_file() as handle:
        text = handle.read().decode("utf-8")
    tags: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(" ")
        if len(parts) == 3:
            tags[parts[0]] = parts[2]
    return tags
