"""One fuzzy matcher for every "did you mean …?" ftz-kg says.

A mistyped saved query name (``zone-areas``), a misspelt ``--focus`` (``满州里片区``), a
misspelt SPARQL keyword (``SELEC``) and an unknown prefix (``ftx:``) are all looked up
here, against an index of spellings: each spelling (a name, a label, an alias, an English
name) maps to the name to suggest. Spellings are compared without whitespace and case;
a spelling that contains what was typed (or is contained in it) ranks as close, the rest
by :class:`difflib.SequenceMatcher` (the standard library; no extra dependency).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["did_you_mean", "match_key", "suggest"]


def match_key(text: str) -> str:
    """How spellings compare: without whitespace, case-folded."""
    return re.sub(r"\s+", "", text).casefold()


def suggest(
    word: str,
    index: Mapping[str, str] | Iterable[str] | Iterable[tuple[str, str]],
    *,
    limit: int = 3,
    cutoff: float = 0.65,
) -> list[str]:
    """The names in ``index`` closest to ``word``, best first (at most ``limit``).

    ``index`` maps spellings to the name to suggest (or is a list of names, or of
    ``(spelling, name)`` pairs). A name is suggested when one of its spellings scores at
    least ``cutoff`` (0–1); an exact match (ignoring case and spaces) scores 1.
    """
    wanted = match_key(word)
    if not wanted:
        return []
    pairs: Iterable[tuple[str, str]]
    if isinstance(index, Mapping):
        pairs = index.items()
    else:
        pairs = ((s, s) if isinstance(s, str) else s for s in index)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    best: dict[str, float] = {}
    for spelling, name in pairs:
        key = match_key(spelling)
        if not key:
            continue
        score = 0.0
        shorter, longer = sorted((len(key), len(wanted)))
        if shorter >= 2 and (wanted in key or key in wanted):
            score = 0.7 + 0.3 * shorter / longer  # 满洲里 in 满洲里片区: close, more so the longer
        else:
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                score = matcher.ratio()
        if score >= cutoff and score > best.get(name, 0.0):
            best[name] = score
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:limit]]


def did_you_mean(names: Sequence[str]) -> str:
    """``did you mean A?`` / ``did you mean A, B or C?``; empty when there is nothing to say."""
    if not names:
        return ""
    if len(names) == 1:
        return f"did you mean {names[0]}?"
    return f"did you mean {', '.join(names[:-1])} or {names[-1]}?"
