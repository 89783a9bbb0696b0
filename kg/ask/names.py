"""The entities a question names, found in the graph's alias index (:mod:`kg.ask`).

The index is :meth:`kg.views.network.Network.spellings`, the names ``--focus`` and the map's search
box know (labels, aliases, English names); close names are found with :mod:`kg.fuzzy`, the
matcher of every "did you mean". A question's names are read longest first; a place's name
stands for the zone or area it names (内蒙古, Hohhot); a run of English words for the name it
is part of ("Inner Mongolia"); a word no entity goes by for the name closest to it (a typo),
unless the lexicon knows it as another place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..fuzzy import match_key, suggest
from ..store.engines import StoreEngine
from ..views.network import Network, Node
from ..views.read_store import store_network

__all__ = [
    "EntityIndex",
    "Found",
    "Slot",
    "Span",
    "entity_index",
    "fill",
    "index_of",
    "masked",
    "names_elsewhere",
    "node_of",
    "spans",
]


@dataclass(frozen=True)
class Slot:
    name: str
    classes: tuple[str, ...]  # entity class names, the first preferred
    many: bool = False  # "subject+": every fitting name (三个片区分别…), one VALUES row each


@dataclass(frozen=True)
class Found:
    """An entity the question names: the words as written, and what they were taken for."""

    slot: str
    text: str
    iri: str
    label: str
    cls: str
    how: str  # "name" (label, alias or English name) or "closest name" (a short form, a typo)

    def as_dict(self) -> dict[str, str]:
        return {
            "slot": self.slot,
            "text": self.text,
            "iri": self.iri,
            "label": self.label,
            "class": self.cls,
            "how": self.how,
        }


@dataclass(frozen=True)
class EntityIndex:
    """The names of a graph's entities, keyed for look-up in a question."""

    network: Network
    by_key: Mapping[str, tuple[str, ...]]  # match_key(spelling) → entity IRIs
    spellings: tuple[tuple[str, str], ...]  # (spelling, IRI), as Network.spellings gives them


def entity_index(network: Network) -> EntityIndex:
    """The look-up index of ``network``: every name of :meth:`Network.spellings`, by IRI."""
    by_label: dict[str, list[str]] = {}
    for n in network.nodes:
        by_label.setdefault(n.label, []).append(n.id)
    pairs: list[tuple[str, str]] = []
    for spelling, name in network.spellings():
        # a shared label is suggested as "label (IRI)"; otherwise the label names one entity
        m = re.fullmatch(r".* \((\S+)\)", name)
        ids = [m.group(1)] if m and m.group(1) in network else by_label.get(name, [])
        pairs.extend((spelling, i) for i in ids)
    by_key: dict[str, set[str]] = {}
    for spelling, iri in pairs:
        by_key.setdefault(match_key(spelling), set()).add(iri)
    return EntityIndex(
        network, {k: tuple(sorted(v)) for k, v in by_key.items()}, tuple(sorted(set(pairs)))
    )


_INDEX_CACHE: dict[int, tuple[Any, EntityIndex]] = {}


def index_of(engine: StoreEngine) -> EntityIndex:
    # One index per open store: the server's workers answer many questions on one store.
    cached = _INDEX_CACHE.get(id(engine.store))
    if cached is not None and cached[0] is engine.store:
        return cached[1]
    index = entity_index(store_network(engine.store))
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(engine.store)] = (engine.store, index)
    return index


@dataclass(frozen=True)
class Span:
    start: int  # in the question
    end: int
    text: str
    ids: tuple[str, ...]


def _keyed(question: str) -> tuple[str, list[int]]:
    """The question as :func:`match_key` sees it, and each key character's place in it."""
    chars: list[str] = []
    places: list[int] = []
    for i, c in enumerate(question):
        if c.isspace():
            continue
        for k in c.casefold():
            chars.append(k)
            places.append(i)
    return "".join(chars), places


def spans(question: str, index: EntityIndex, generic: frozenset[str] = frozenset()) -> list[Span]:
    """The names in ``question``, longest first where they overlap, in question order."""
    key, places = _keyed(question)
    found: list[Span] = []
    for k, ids in index.by_key.items():
        if len(k) < 2 or k in generic:  # 中, 俄: too short to read out of running text
            continue
        at = key.find(k)
        while at >= 0:
            start, end = places[at], places[at + len(k) - 1] + 1
            if not k.isascii() or _word_bounded(question, start, end):
                found.append(Span(start, end, question[start:end], ids))
            at = key.find(k, at + 1)
    found.extend(_english_short_forms(question, index, generic))
    found.sort(key=lambda s: (-(s.end - s.start), s.start))
    chosen: list[Span] = []
    for s in found:
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def _english_short_forms(question: str, index: EntityIndex, generic: frozenset[str]) -> list[Span]:
    """Runs of two to four English words that are part of English names ("Inner Mongolia" of
    "China (Inner Mongolia) Pilot Free Trade Zone"): the English short forms of a name, as
    满洲里 is the Chinese one of 满洲里片区. Runs of generic words only are no name."""
    words = list(_WORD.finditer(question))
    english = [(sp.casefold(), iri) for sp, iri in index.spellings if sp.isascii() and " " in sp]
    out: list[Span] = []
    for n in (4, 3, 2):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if all(match_key(w.group()) in generic for w in run):
                continue
            start, end = run[0].start(), run[-1].end()
            text = question[start:end]
            wanted = text.casefold()
            # the run must stand as whole words inside the name
            pattern = re.compile(r"(?<![a-z])" + re.escape(wanted) + r"(?![a-z])")
            ids = sorted({iri for sp, iri in english if wanted in sp and pattern.search(sp)})
            if ids:
                out.append(Span(start, end, text, tuple(ids)))
    return out


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def masked(question: str, spans: Sequence[Span]) -> str:
    chars = list(question)
    for s in spans:
        chars[s.start : s.end] = ["\u25a1"] * (s.end - s.start)
    return match_key("".join(chars))


def node_of(index: EntityIndex, iri: str) -> Node:
    return index.network.node(iri)


def fill(
    slots: Sequence[Slot], spans: Sequence[Span], index: EntityIndex, fuzzy: Sequence[str]
) -> tuple[list[Found], set[int]] | None:
    """Entities for every slot of ``kind`` (None when one cannot be filled).

    A name of the wanted class fills a slot; a name of another class (满洲里 the city, 内蒙古
    the region) is tried as a short form of a wanted one; with ``fuzzy`` chunks of the
    question, the closest name of a wanted class (a typo, an unknown short form). With the
    entities, the indexes of the spans they were read from."""
    used: set[int] = set()
    out: list[Found] = []
    for slot in slots:
        got = _by_name(slot, spans, used, index) or _by_short_form(slot, spans, used, index)
        if got is None and fuzzy:
            got = _by_closest(slot, fuzzy, index, {f.iri for f in out})
        if got is None:
            return None
        out.append(got)
        while slot.many:  # the other names of the same kind: 呼和浩特片区、二连浩特片区和…
            more = _by_name(slot, spans, used, index) or _by_short_form(slot, spans, used, index)
            if more is None:
                break
            out.append(more)
    return out, used


def _rank(node: Node, slot: Slot) -> int:
    return slot.classes.index(node.cls) if node.cls in slot.classes else len(slot.classes)


# classes whose names also serve as short forms of a zone or area (内蒙古, Manzhouli)
_PLACE_NAMES = frozenset({"City", "Region"})


def _by_name(slot: Slot, spans: Sequence[Span], used: set[int], index: EntityIndex) -> Found | None:
    for i, span in enumerate(spans):
        if i in used:
            continue
        nodes = [node_of(index, iri) for iri in span.ids]
        fitting = sorted(
            (n for n in nodes if n.cls in slot.classes), key=lambda n: (_rank(n, slot), n.id)
        )
        if not fitting:
            continue
        used.add(i)
        n = fitting[0]
        if _rank(n, slot) > 0 and n.cls in _PLACE_NAMES:
            # Manzhouli names the city, but asked about sectors it is short for the area
            better = Slot(slot.name, slot.classes[: _rank(n, slot)])
            short = _closest(better, span.text, index)
            if short is not None:
                return Found(slot.name, span.text, short.id, short.label, short.cls, "short form")
        return Found(slot.name, span.text, n.id, n.label, n.cls, "name")
    return None


def _closest(
    slot: Slot,
    text: str,
    index: EntityIndex,
    exclude: frozenset[str] | set[str] = frozenset(),
    *,
    typo: bool = False,
) -> Node | None:
    """The entity of a wanted class whose name ``text`` is short for (满洲里 → 满洲里片区) or,
    with ``typo``, whose name is closest to it (满州里片区 → 满洲里片区)."""
    wanted = match_key(text)
    pairs = [
        (s, iri)
        for s, iri in index.spellings
        if iri not in exclude
        and node_of(index, iri).cls in slot.classes
        and (wanted in match_key(s) if not typo else _similar_length(wanted, match_key(s)))
    ]
    close = suggest(text, pairs, limit=5, cutoff=0.75)
    if not close:
        return None
    return min(
        (node_of(index, iri) for iri in close), key=lambda n: (_rank(n, slot), close.index(n.id))
    )


def _similar_length(a: str, b: str) -> bool:
    """A typo changes a letter or two, not the length: 产业 is no typo of 光伏产业."""
    return min(len(a), len(b)) >= 0.75 * max(len(a), len(b))


def _by_short_form(
    slot: Slot, spans: Sequence[Span], used: set[int], index: EntityIndex
) -> Found | None:
    for i, span in enumerate(spans):
        # only a place's name is short for a zone or area (内蒙古, Hohhot); 蒙古国 the
        # country is not short for 中国—蒙古国博览会
        if i in used or not any(node_of(index, iri).cls in _PLACE_NAMES for iri in span.ids):
            continue
        n = _closest(slot, span.text, index)
        if n is not None:
            used.add(i)
            return Found(slot.name, span.text, n.id, n.label, n.cls, "short form")
    return None


def _by_closest(
    slot: Slot, chunks: Sequence[str], index: EntityIndex, exclude: set[str]
) -> Found | None:
    for chunk in chunks:
        if names_elsewhere(chunk, index):
            continue  # 山西自贸区 is no typo of 山东自贸区: 山西 is a name, just not in this graph
        n = _closest(slot, chunk, index, exclude, typo=True)
        if n is not None and n.cls in _PLACE_NAMES and _rank(n, slot) > 0:
            # Manzholi → 满洲里 the city → 满洲里片区, as for a name spelt right
            better = Slot(slot.name, slot.classes[: _rank(n, slot)])
            n = _closest(better, n.label, index) or n
        if n is not None:
            return Found(slot.name, chunk, n.id, n.label, n.cls, "closest name")
    return None


def names_elsewhere(text: str, index: EntityIndex) -> list[str]:
    """Names of the lexicon in ``text`` that no entity of this graph goes by."""
    from ..extract.lexicon import load_lexicon

    return sorted(
        label
        for label in load_lexicon().labels()
        if len(label) >= 2 and label in text and match_key(label) not in index.by_key
    )
