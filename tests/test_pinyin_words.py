"""A label is cut into words as pypinyin cuts it (``Pinyin().seg``), which
:mod:`kg.rdf.pinyin_words` does without pypinyin's loops over characters."""

from __future__ import annotations

import random

from pypinyin.constants import PHRASES_DICT
from pypinyin.core import Pinyin

from kg.rdf.iris import slugify
from kg.rdf.pinyin_words import words

_OTHER = ["a", "Z", "1", " ", "\n", "\t", "（", "）", "·", "、", "-", "%", "ö", "〇", "\u3000"]


def _labels(seed: int, count: int) -> list[str]:
    """Labels of phrases, phrases cut short (a prefix that may be no phrase, at the end of a
    run or before another character), single characters and other characters."""
    rng = random.Random(seed)
    phrases = sorted(PHRASES_DICT)
    chars = sorted({c for phrase in rng.sample(phrases, 400) for c in phrase})
    labels = ["", "自由贸易试验区", "中国（上海）自由贸易试验区临港新片区", "CPTPP", "RCEP协定"]
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 6)):
            kind = rng.random()
            if kind < 0.35:
                parts.append(rng.choice(phrases))
            elif kind < 0.6:
                phrase = rng.choice(phrases)
                parts.append(phrase[: rng.randint(1, len(phrase))])
            elif kind < 0.85:
                parts.append(rng.choice(chars))
            else:
                parts.append(rng.choice(_OTHER))
        labels.append("".join(parts))
    return labels


def test_a_label_is_cut_as_pypinyin_cuts_it() -> None:
    segment = Pinyin().seg
    for label in _labels(17, 20_000):
        assert words(label) == segment(label), label


def test_slugs_are_those_of_pypinyins_cutting() -> None:
    """A few slugs as they were before the cutting was replaced (pypinyin 0.55)."""
    assert slugify("中国（上海）自由贸易试验区临港新片区") == (
        "zhong-guo-shang-hai-zi-you-mao-yi-shi-yan-qu-lin-gang-xin-pi-2a7a8fb9"
    )
    assert slugify("CPTPP") == "cptpp"
