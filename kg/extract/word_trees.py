"""Alternations of many literal words, written as a tree of their common prefixes.

``re`` tries the branches of ``a|b|c`` one after another at every position where the
first character of any may start: with the 257 verbs of a sector clause that is a few
hundred failed branches per candidate position, and the verb finder asks once per clause.
The tree tries each character once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["longest_word_regex"]

# A node of the tree: the next characters, and "" when the path to it is a word.
_Node = dict[str, "_Node"]


def longest_word_regex(words: Iterable[str]) -> str:
    """A regex that matches the same as the alternation of ``words`` sorted longest first:
    where words start at one position, the longest that occurs there.

    Why it is the same: the children of a node start with distinct characters, so at most
    one of them can go on with the text; the engine follows the text down the tree as far
    as it goes, and when it fails deeper it backs up, through the optional groups, to the
    deepest node on that path that ends a word, which is the longest word occurring there.
    Where none occurs both fail, and ``finditer`` moves on from the same place."""
    root: _Node = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _subtree(root)


def _subtree(node: _Node) -> str:
    branches = [re.escape(char) + _subtree(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
