"""The lexicon matcher tries only the places its regex finds: every place it tried before."""

from __future__ import annotations

import random
import re

import pytest

from kg.extract import lexicon_match
from kg.extract.context import DocContext
from kg.extract.lexicon_match import _INNER_QUOTES, LabelTrie, _label_starts, match_lexicon
from kg.extract.pipeline import Pipeline
from kg.read.documents import document_from_bytes

from .conftest import CORPUS, SEED_FILE


def _tried(root: dict, text: str, i: int) -> bool:  # type: ignore[type-arg]
    """The test match_lexicon makes at each place before it reads the trie."""
    node = root.get(text[i])
    if node is None:
        return False
    after = text[i + 1 : i + 2]
    return "" in node or after in node or after in _INNER_QUOTES


def test_every_place_a_label_may_start_at_is_found() -> None:
    # labels of one character, quotes, and characters a character class must escape
    alphabet = '中国自贸区港一“”‘’"a-]^\\['
    rnd = random.Random(5)
    for _ in range(400):
        labels = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4)))
            for _ in range(rnd.randint(0, 6))
        ]
        trie = LabelTrie(labels)
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        found = {m.start() for m in _label_starts(trie).finditer(text)}
        for i in range(len(text)):
            if _tried(trie.root, text, i):
                assert i in found, (labels, text, i)


def _texts() -> dict[str, str]:
    texts = {"seed": SEED_FILE.read_text("utf-8")}
    if CORPUS.is_dir():
        texts["news"] = (CORPUS / "xinwenlianbo-ftz-items-2022-2026.txt").read_text("utf-8")[:60000]
    texts["quoted"] = "推进多式联运“一单制”改革，建设“数字口岸”和中欧班列。第五章 金融服务"
    return texts


_TEXTS = _texts()


@pytest.mark.parametrize("name", _TEXTS)
def test_the_lexicon_finds_what_it_found_trying_every_place(
    pipeline: Pipeline, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def found() -> list[object]:
        doc = document_from_bytes(_TEXTS[name].encode("utf-8"), name="t.txt", path="t.txt")
        ctx = DocContext(doc, pipeline.lexicon, pipeline.patterns)
        for component_name, component in pipeline.components:
            if component_name == "lexicon":
                break
            component(ctx)
        match_lexicon(ctx)
        return list(ctx.mentions)

    fast = found()
    monkeypatch.setattr(lexicon_match, "_label_starts", lambda trie: re.compile("(?s)."))
    assert found() == fast
