"""jieba segmentation with the lexicon as user dictionary.

The words are jieba's (its dictionary, its maximum-probability route, HMM off), computed by
jieba-rs (``rjieba``), which is several times faster than jieba's Python loop and gives the
same words: ``tests/test_tokens.py`` compares the two. The splitter is built once per
process and lexicon, and token boundaries keep lexicon matches from starting inside a word
(加纳 in 增加纳税).
"""

from __future__ import annotations

import logging
import re
import weakref
from itertools import accumulate

import jieba
import rjieba

from ..read.normalize import CJK
from .context import DocContext
from .lexicon import Lexicon, load_lexicon

__all__ = ["WordSplitter", "tokenize", "tokenizer", "user_words", "word_splitter"]

jieba.setLogLevel(logging.WARNING)
_USER_WORD_FREQ = 200000
# Never inside a block jieba segments (not in jieba.re_han_default): a word made of it
# only adds to jieba-rs's frequency total, and is never cut out of a text.
_TOTAL_PAD_WORD = "\ue000"
# jieba's own split of a text into the blocks it segments and the rest (jieba.__init__)
_HAN = jieba.re_han_default
_SKIP = jieba.re_skip_default
# The characters jieba-rs's block pattern takes and jieba's does not (CJK extensions A to F,
# U+9FD6–U+9FFF, the compatibility ideographs): found by asking jieba-rs of every code
# point, as tests/test_tokens.py does again. It takes every character jieba's takes.
_RUST_ONLY = re.compile(
    "[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f]"
)


def user_words(lexicon: Lexicon) -> list[str]:
    """The lexicon's words added to jieba's dictionary, in the order they are added."""
    han = re.compile(rf"^[{CJK}]+$")
    # Short names (加纳, 中非) forced into the dictionary would cut ordinary words apart
    # (增加纳税 → 增/加纳/税); jieba's own dictionary already segments them sensibly.
    return [w for w in sorted(lexicon.labels()) if len(w) >= 4 and han.match(w)]


class WordSplitter:
    """``jieba.Tokenizer.lcut(text, HMM=False)`` with the lexicon's words added, computed
    by jieba-rs.

    jieba splits a text into blocks of Han characters, letters and digits, which it
    segments, and the rest, which it gives as whitespace runs and single characters.
    jieba-rs splits a text alike unless a character of rarer CJK ranges, which its block
    pattern also takes, stands in it: that split is then done here with jieba's own
    regexes, so jieba-rs only ever segments jieba's blocks.
    """

    def __init__(self, words: list[str]) -> None:
        self._rust = rjieba.Jieba()
        for word in words:
            self._rust.add_word(word, _USER_WORD_FREQ, None)
        pad = _total_difference(words)
        if pad:
            self._rust.add_word(_TOTAL_PAD_WORD, pad, None)
        self._cut = self._rust.cut

    def lcut(self, text: str) -> list[str]:
        cut = self._cut
        if _RUST_ONLY.search(text) is None:
            # jieba-rs splits the text as jieba does: into the same blocks, where no character
            # only its pattern takes stands, and what lies between them into \r\n, single
            # whitespace and single characters (a character only one of the two counts as
            # whitespace is a word alone either way); one call cuts the whole text
            return cut(text, False)
        words: list[str] = []
        # Both patterns are one capturing group: split gives the parts between matches at
        # the even places and the matches (never empty) at the odd ones, so the place
        # says which a part is without matching it again.
        for i, block in enumerate(_HAN.split(text)):
            if i % 2:
                words += cut(block, False)
            elif block:
                for j, part in enumerate(_SKIP.split(block)):
                    if j % 2:
                        words.append(part)
                    else:
                        words += part
        return words


def _total_difference(words: list[str]) -> int:
    """How much smaller jieba-rs's word-frequency total is than jieba's once ``words`` are
    added, which changes every route's probability.

    jieba adds each line of its dictionary to the total, and each added word's frequency;
    jieba-rs counts a repeated line once and takes a replaced word's old frequency off.
    The dictionary is read here and let go (not cached): it would add 30 MB to a build.
    """
    wanted = set(words)
    repeated = 0
    last: dict[str, int] = {}  # every word's last frequency, while reading
    with jieba.dt.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").strip().split(" ")
            if len(parts) < 2:
                continue
            freq = int(parts[1])
            repeated += last.get(parts[0], 0)  # jieba counts a repeated line twice
            last[parts[0]] = freq
    return repeated + sum(freq for word, freq in last.items() if word in wanted)


# Keyed by the lexicon object itself (weakly): an id() could be reused by a later lexicon.
_SPLITTERS: weakref.WeakKeyDictionary[Lexicon, WordSplitter] = weakref.WeakKeyDictionary()
_TOKENIZERS: weakref.WeakKeyDictionary[Lexicon, jieba.Tokenizer] = weakref.WeakKeyDictionary()


def word_splitter(lexicon: Lexicon | None = None) -> WordSplitter:
    """The word splitter for ``lexicon``, built once per process and lexicon."""
    lexicon = lexicon or load_lexicon()
    if lexicon not in _SPLITTERS:
        _SPLITTERS[lexicon] = WordSplitter(user_words(lexicon))
    return _SPLITTERS[lexicon]


def tokenizer(lexicon: Lexicon | None = None) -> jieba.Tokenizer:
    """jieba's own tokenizer with the same words added: the reference the splitter is
    checked against (the extraction uses ``word_splitter``)."""
    lexicon = lexicon or load_lexicon()
    if lexicon not in _TOKENIZERS:
        tok = jieba.Tokenizer()
        tok.initialize()
        for word in user_words(lexicon):
            tok.add_word(word, freq=_USER_WORD_FREQ)
        _TOKENIZERS[lexicon] = tok
    return _TOKENIZERS[lexicon]


def tokenize(ctx: DocContext) -> None:
    split = word_splitter(ctx.lexicon).lcut
    boundaries = ctx.boundaries
    for sentence in ctx.sentences:
        words = split(sentence.text)
        # the offsets where the words meet: the sentence's start, then each word's end
        cuts = list(accumulate(map(len, words), initial=sentence.start))
        if words:
            boundaries.update(cuts)
        ctx.tokens[sentence.index] = list(zip(cuts[:-1], cuts[1:], strict=True))
