"""pypinyin's cutting of a label into words (``Pinyin().seg``), made without its loops over
characters.

pypinyin cuts a label into runs of Chinese characters and runs of other characters, testing
each character with a regular expression, then cuts each Chinese run by forward maximum
matching on its phrases (:mod:`pypinyin.seg.mmseg`, strict: a word is a phrase or one
character), as a generator that slices the rest of the run at each step. Slugs are made
for each of a corpus's 18,944 entities, and that cutting was 0.24-0.35 s of it (the pinyin
of each word is kept: :func:`kg.rdf.iris._word_pinyin`). Here the runs are found by one
regular expression made of pypinyin's character class, and the matching walks indices over
the same prefix set and phrases, with the same outcome at every step
(``tests/test_term_forms.py`` compares the two on every label of the corpus and on random
strings).
"""

from __future__ import annotations

import re

from pypinyin.constants import PHRASES_DICT, RE_HANS
from pypinyin.seg import mmseg

__all__ = ["words"]

# RE_HANS is ^(?:[...])+$, a Chinese run: its character class, repeated, cuts the runs.
_CLASS = RE_HANS.pattern.removeprefix("^(?:").removesuffix(")+$")
_RUNS = re.compile(f"({_CLASS}+)")
# The prefixes of pypinyin's phrases, the set its segmenter tests each candidate against.
_PREFIXES: set[str] = mmseg.p_set._set


def _cut(run: str) -> list[str]:
    """``list(mmseg.seg.cut(run))``: at each point the longest phrase that starts there
    among the prefixes found, else one character; a rest that is all prefix and holds no
    phrase is cut into characters."""
    out: list[str] = []
    start, size = 0, len(run)
    while start < size:
        last = 0  # where the longest phrase found from ``start`` ends
        end = start + 1
        while end <= size and run[start:end] in _PREFIXES:
            if run[start:end] in PHRASES_DICT:
                last = end
            end += 1
        if last:
            out.append(run[start:last])
            start = last
        elif end <= size:  # a prefix stopped before the end: one character
            out.append(run[start])
            start += 1
        else:  # the whole rest is a prefix without a phrase
            rest = run[start:]
            out.extend(rest if rest not in PHRASES_DICT else [rest])
            break
    return out


def words(label: str) -> list[str]:
    """``Pinyin().seg(label)``: the runs of other characters as they are, the Chinese runs
    cut into words."""
    if not label:
        return [label]
    out: list[str] = []
    # split() with the run captured: other characters at even places, Chinese at odd ones
    for at, run in enumerate(_RUNS.split(label)):
        if not run:
            continue
        if at % 2 and PHRASES_DICT:
            out.extend(_cut(run))
        else:
            out.append(run)
    return out
