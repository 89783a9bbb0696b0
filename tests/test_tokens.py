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


def test_jieba_rs_blocks_differ_from_jiebas_only_where_the_splitter_says() -> None:
    """Where no character of ``_RUST_ONLY`` stands, the splitter cuts a whole text at once:
    for every code point of the basic plane, and the others around and inside the ranges,
    jieba-rs joins it into a block (a user word around it is found whole) exactly when
    jieba's block pattern takes it or ``_RUST_ONLY`` names it."""
    import rjieba

    from kg.extract.tokens import _HAN, _RUST_ONLY

    probe = rjieba.Jieba()
    edges = [0x3400, 0x4DBF, 0x9FD5, 0x9FD6, 0x9FFF, 0xF900, 0xFAFF, 0x20000, 0x2A6DF]
    edges += [0x2A700, 0x2EBEF, 0x2F800, 0x2FA1F]
    near = [e + d for e in edges for d in (-2, -1, 0, 1, 2)]
    points = [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 251), *near]
    for point in points:
        char = chr(point)
        if char in "ab":
            continue
        word = f"a{char}b"
        probe.add_word(word, 10**8, None)
        joined = probe.cut(word, False) == [word]
        expected = _HAN.fullmatch(char) is not None or _RUST_ONLY.match(char) is not None
        assert joined == expected, hex(point)


def test_a_word_across_a_character_only_jieba_rs_takes_is_not_found() -> None:
    """jieba never joins a word across 㐀 (its blocks leave it out): nor does the splitter,
    which cuts such a text block by block."""
    from kg.extract.tokens import WordSplitter

    word = "中㐀国"
    reference = jieba.Tokenizer()
    reference.initialize()
    reference.add_word(word, freq=200000)
    splitter = WordSplitter([word])
    for text in (word, "发展中㐀国家", f"a{word}b"):
        assert splitter.lcut(text) == reference.lcut(text, HMM=False), text
