"""jieba segmentation with the lexicon as user dictionary.

The tokenizer is built once per process (jieba caches its main dictionary on disk), and
token boundaries keep lexicon matches from starting inside a word (加纳 in 增加纳税).
"""

from __future__ import annotations

import logging
import weakref

import jieba

from ..read.normalize import CJK
from .context import DocContext
from .lexicon import Lexicon, load_lexicon

__all__ = ["tokenizer", "tokenize"]

jieba.setLogLevel(logging.WARNING)
_USER_WORD_FREQ = 200000


# Keyed by the lexicon object itself (weakly): an id() could be reused by a later lexicon.
_TOKENIZERS: weakref.WeakKeyDictionary[Lexicon, jieba.Tokenizer] = weakref.WeakKeyDictionary()


def tokenizer(lexicon: Lexicon | None = None) -> jieba.Tokenizer:
    """The tokenizer for ``lexicon``, built once per process and lexicon."""
    lexicon = lexicon or load_lexicon()
    if lexicon not in _TOKENIZERS:
        _TOKENIZERS[lexicon] = _build(lexicon)
    return _TOKENIZERS[lexicon]


def _build(lexicon: Lexicon) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    import re

    han = re.compile(rf"^[{CJK}]+$")
    for label in sorted(lexicon.labels()):
        # Short names (加纳, 中非) forced into the dictionary would cut ordinary words apart
        # (增加纳税 → 增/加纳/税); jieba's own dictionary already segments them sensibly.
        if len(label) >= 4 and han.match(label):
            tok.add_word(label, freq=_USER_WORD_FREQ)
    return tok


def tokenize(ctx: DocContext) -> None:
    tok = tokenizer(ctx.lexicon)
    for sentence in ctx.sentences:
        pos = sentence.start
        spans = []
        for word in tok.cut(sentence.text, HMM=False):
            spans.append((pos, pos + len(word)))
            ctx.boundaries.add(pos)
            pos += len(word)
            ctx.boundaries.add(pos)
        ctx.tokens[sentence.index] = spans
