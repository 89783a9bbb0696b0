"""The extraction's word splitter (jieba-rs) gives jieba's own words.

``kg.extract.tokens.word_splitter`` must cut every text exactly as
``jieba.Tokenizer.lcut(text, HMM=False)`` with the lexicon's words added, which the
extraction used before: every mention depends on the token boundaries.
"""

from __future__ import annotations

import random

import jieba
import pytest

from kg.extract.pipeline import Pipeline
from kg.extract.tokens import tokenizer, user_words, word_splitter
from kg.read.documents import read_document

from .conftest import CORPUS, SEED_FILE

EDGE_CASES = [
    "",
    " ",
    "\r\n",
    "中国（上海）自由贸易试验区临港新片区",
    "增加纳税",
    "同比增长12.5%，达到3,000亿元",
    "RCEP生效实施 C919-A B超 E-commerce #1 & 2_3",
    "第一条　为了推进\t改革\r\n开放\n\n",
    "㐀㐁中国鿖鿿中国豈",  # CJK beyond jieba's block pattern (jieba-rs's takes them)
    "\x1c\x1d中国\x1e\x1f\u3000\u2028开放",  # str.isspace() but not Unicode White_Space
    "😀中国🇨🇳自贸区",
    "ａｂｃ１２３中国",
    "世界贸易组织和中华人民共和国国务院",  # lexicon words that jieba already knew
]


@pytest.fixture(scope="module")
def both(pipeline: Pipeline) -> tuple[jieba.Tokenizer, object]:
    return tokenizer(pipeline.lexicon), word_splitter(pipeline.lexicon)


def _same(both: tuple[jieba.Tokenizer, object], text: str) -> None:
    reference, splitter = both
    assert splitter.lcut(text) == reference.lcut(text, HMM=False), repr(text)  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(both: tuple[jieba.Tokenizer, object], text: str) -> None:
    _same(both, text)


def test_seed_and_regulation_texts(both: tuple[jieba.Tokenizer, object]) -> None:
    """The seed text, and the regulations of the shared corpus when it is there."""
    paths = [SEED_FILE, *sorted(CORPUS.glob("*regulation*.txt"))]
    for path in paths:
        for line in read_document(path).text.splitlines():
            _same(both, line)


def test_random_texts(both: tuple[jieba.Tokenizer, object], pipeline: Pipeline) -> None:
    """Random mixtures of lexicon words, common words and odd characters."""
    words = user_words(pipeline.lexicon)
    pieces = [*words, "的", "增加", "纳税", "自由", "贸易", "试验", "区", "港", "12", "a", "-"]
    pieces += list("％%。，、 \t\n.#&_+０１AZ㐀鿖")
    rng = random.Random(20261203)
    for _ in range(2000):
        _same(both, "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))))


def test_user_words_are_added(pipeline: Pipeline) -> None:
    """A long lexicon name stays one word, as with jieba's user dictionary."""
    long_names = [w for w in user_words(pipeline.lexicon) if len(w) >= 6]
    assert long_names
    splitter = word_splitter(pipeline.lexicon)
    for name in long_names[:50]:
        assert name in splitter.lcut(f"推进{name}建设")
