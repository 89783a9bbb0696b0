"""Values computed once from a pattern file's settings, found again by the settings' identity.

``functools.lru_cache`` hashes its arguments on every call: a tuple of a few hundred words,
or of phrase rules (a frozen dataclass hashes its fields in Python, the tuples of heads
again each time), costs 1–1.5 µs, and the sector and phrase finders ask for their tables
tens of thousands of times on a long document. The settings are the same objects for the
whole run (one ``Patterns`` per pipeline), so their ``id`` finds the value at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["by_identity"]

_R = TypeVar("_R")
# distinct argument tuples remembered per function; more (tests that load patterns of
# their own) start the memo afresh
_MAX_ENTRIES = 32


def by_identity(function: Callable[..., _R]) -> Callable[..., _R]:
    """``function`` (pure, of immutable arguments), its results remembered by the identity
    of its positional arguments. The memo keeps the arguments alive, so an ``id`` in it is
    never that of another object."""
    # One argument (most calls) is keyed by its id alone, several by the tuple of their ids:
    # an int and a tuple are never equal, so the two kinds of key cannot meet.
    memo: dict[int | tuple[int, ...], tuple[tuple[object, ...], _R]] = {}

    @functools.wraps(function)
    def call(*args: object) -> _R:
        key: int | tuple[int, ...] = id(args[0]) if len(args) == 1 else tuple(map(id, args))
        found = memo.get(key)
        if found is not None:
            return found[1]
        result = function(*args)
        if len(memo) >= _MAX_ENTRIES:
            memo.clear()
        memo[key] = (args, result)
        return result

    return call
