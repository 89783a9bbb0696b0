"""Questions in Chinese (or simple English) answered from the graph, without writing SPARQL.

``ask("满洲里片区重点发展哪些产业？", engine)`` finds the entities the question names (by label,
alias, short form or English name, in the alias index of :meth:`kg.network.Network.spellings`
that ``--focus`` uses, with the fuzzy matcher of :mod:`kg.fuzzy`), picks the kind of question
by its trigger words, binds the kind's SPARQL to the entities and runs it on the engine
(so the SERVICE policy and every other check of :mod:`kg.sparql` apply). The kinds, their
words and their queries are data: ``queries/ask.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .errors import QuestionError
from .fuzzy import match_key, suggest
from .network import Network, Node, store_network
from .resources import queries_dir
from .sparql import QueryResult, StoreEngine, Term, bind_values, term_text

__all__ = ["Answer", "Found", "Kind", "ask", "entity_index", "load_kinds"]

KINDS_FILE = "ask.toml"


@dataclass(frozen=True)
class Slot:
    name: str
    classes: tuple[str, ...]  # entity class names, the first preferred


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    examples: tuple[str, ...]
    triggers: tuple[str, ...]
    requires: tuple[str, ...]
    slots: tuple[Slot, ...]
    answer: tuple[str, ...]
    empty: str
    sparql: str
    choose: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Kinds:
    kinds: tuple[Kind, ...]
    stopwords: tuple[str, ...]


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


@dataclass
class Answer:
    """What :func:`ask` found: the kind, the entities, the query it ran and its result."""

    question: str
    kind: Kind
    entities: list[Found]
    query: str
    result: QueryResult

    @property
    def empty(self) -> bool:
        return not self.result.rows

    @property
    def message(self) -> str:
        """Why there are no rows (the question was understood), or ``""``."""
        if not self.empty:
            return ""
        names = {f.slot: f.label for f in self.entities}
        return "no answer: " + self.kind.empty.format_map(_Blank(names))

    def answers(self) -> set[str]:
        """The answer column values of each row, joined with a space (what tests compare)."""
        index = [self.result.variables.index(c) for c in self.kind.answer]
        out = set()
        for row in self.result.values():
            out.add(" ".join(row[i] or "" for i in index))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind.name,
            "title": self.kind.title,
            "entities": [f.as_dict() for f in self.entities],
            "sparql": self.query,
            "variables": list(self.result.variables),
            "rows": [
                {
                    v: (None if t is None else term_text(t))
                    for v, t in zip(self.result.variables, row, strict=True)
                }
                for row in self.result.rows
            ],
            "answer_columns": list(self.kind.answer),
            "message": self.message,
        }


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key


# -- the kinds ----------------------------------------------------------------------------


def load_kinds(text: str | None = None) -> Kinds:
    """The kinds of question of ``queries/ask.toml`` (or of the TOML ``text``)."""
    if text is None:
        text = queries_dir().joinpath(KINDS_FILE).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionError(f"{KINDS_FILE}: not valid TOML ({exc})") from exc
    prefixes = str(data.get("prefixes", "")).strip()
    kinds = []
    for raw in data.get("kind", []):
        try:
            slots = tuple(_slot(s) for s in raw.get("slots", []))
            kinds.append(
                Kind(
                    name=raw["name"],
                    title=raw["title"],
                    examples=tuple(raw.get("examples", ())),
                    triggers=tuple(match_key(t) for t in raw.get("triggers", ())),
                    requires=tuple(match_key(t) for t in raw.get("requires", ())),
                    slots=slots,
                    answer=tuple(raw["answer"]),
                    empty=raw.get("empty", "the graph has no answer"),
                    sparql=(prefixes + "\n" + raw["sparql"].strip() + "\n").lstrip(),
                    choose=raw.get("choose", {}),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise QuestionError(
                f"{KINDS_FILE}: kind {raw.get('name', '?')!r} is incomplete ({exc}); "
                "give it name, title, triggers, slots, answer and sparql"
            ) from exc
    return Kinds(tuple(kinds), tuple(match_key(w) for w in data.get("stopwords", ())))


def _slot(spec: str) -> Slot:
    name, sep, classes = spec.partition(":")
    if not sep or not re.fullmatch(r"\w+", name):
        raise ValueError(f"slot {spec!r}: write it as name:Class|Class")
    return Slot(name, tuple(c.strip() for c in classes.split("|") if c.strip()))


# -- the entities a question names --------------------------------------------------------


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


def _index_of(engine: StoreEngine) -> EntityIndex:
    # One index per open store: the server's workers answer many questions on one store.
    cached = _INDEX_CACHE.get(id(engine.store))
    if cached is not None and cached[0] is engine.store:
        return cached[1]
    index = entity_index(store_network(engine.store))
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(engine.store)] = (engine.store, index)
    return index


@dataclass(frozen=True)
class _Span:
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


def _spans(question: str, index: EntityIndex) -> list[_Span]:
    """The names in ``question``, longest first where they overlap, in question order."""
    key, places = _keyed(question)
    found: list[_Span] = []
    for k, ids in index.by_key.items():
        if len(k) < 2:  # 中, 俄, 美: too short to read out of running text
            continue
        at = key.find(k)
        while at >= 0:
            start, end = places[at], places[at + len(k) - 1] + 1
            if not k.isascii() or _word_bounded(question, start, end):
                found.append(_Span(start, end, question[start:end], ids))
            at = key.find(k, at + 1)
    found.sort(key=lambda s: (-(s.end - s.start), s.start))
    chosen: list[_Span] = []
    for s in found:
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


# -- choosing the kind --------------------------------------------------------------------


def _masked(question: str, spans: Sequence[_Span]) -> str:
    chars = list(question)
    for s in spans:
        chars[s.start : s.end] = ["\u25a1"] * (s.end - s.start)
    return match_key("".join(chars))


def _score(kind: Kind, masked: str) -> int:
    """How many characters of the question the kind's trigger words cover (0: not this kind)."""
    if kind.requires and not any(w in masked for w in kind.requires):
        return 0
    covered: set[int] = set()
    for word in kind.triggers:
        at = masked.find(word)
        while at >= 0:
            covered.update(range(at, at + len(word)))
            at = masked.find(word, at + 1)
    return len(covered)


def _node_of(index: EntityIndex, iri: str) -> Node:
    return index.network.node(iri)


def _fill(
    kind: Kind, spans: Sequence[_Span], index: EntityIndex, fuzzy: Sequence[str]
) -> list[Found] | None:
    """Entities for every slot of ``kind`` (None when one cannot be filled).

    A name of the wanted class fills a slot; a name of another class (满洲里 the city, 内蒙古
    the region) is tried as a short form of a wanted one; with ``fuzzy`` chunks of the
    question, the closest name of a wanted class (a typo, an unknown short form)."""
    used: set[int] = set()
    out: list[Found] = []
    for slot in kind.slots:
        got = _by_name(slot, spans, used, index) or _by_short_form(slot, spans, used, index)
        if got is None and fuzzy:
            got = _by_closest(slot, fuzzy, index, {f.iri for f in out})
        if got is None:
            return None
        out.append(got)
    return out


def _rank(node: Node, slot: Slot) -> int:
    return slot.classes.index(node.cls) if node.cls in slot.classes else len(slot.classes)


def _by_name(
    slot: Slot, spans: Sequence[_Span], used: set[int], index: EntityIndex
) -> Found | None:
    for i, span in enumerate(spans):
        if i in used:
            continue
        nodes = [_node_of(index, iri) for iri in span.ids]
        fitting = sorted(
            (n for n in nodes if n.cls in slot.classes), key=lambda n: (_rank(n, slot), n.id)
        )
        if not fitting:
            continue
        used.add(i)
        n = fitting[0]
        if _rank(n, slot) > 0:
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
        and _node_of(index, iri).cls in slot.classes
        and (typo or wanted in match_key(s))
    ]
    close = suggest(text, pairs, limit=5, cutoff=0.75)
    if not close:
        return None
    return min(
        (_node_of(index, iri) for iri in close), key=lambda n: (_rank(n, slot), close.index(n.id))
    )


def _by_short_form(
    slot: Slot, spans: Sequence[_Span], used: set[int], index: EntityIndex
) -> Found | None:
    for i, span in enumerate(spans):
        if i in used:
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
        n = _closest(slot, chunk, index, exclude, typo=True)
        if n is not None:
            return Found(slot.name, chunk, n.id, n.label, n.cls, "closest name")
    return None


def _chunks(question: str, spans: Sequence[_Span], kind: Kind, kinds: Kinds) -> list[str]:
    """The words of the question that are neither a known name, a trigger of ``kind`` nor a
    stopword: where an unknown name (a typo) may be."""
    text = _masked(question, spans)
    words = sorted(set(kind.triggers) | set(kinds.stopwords), key=len, reverse=True)
    for w in words:
        if w:
            text = text.replace(w, "|")
    pieces = re.split(r"[|\u25a1\W_]+", text)
    return [p for p in pieces if len(p) >= 2]


def _choices(kind: Kind, masked: str) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for var, words in kind.choose.items():
        for word in sorted(words, key=len, reverse=True):
            if match_key(word) in masked:
                out[var] = _curie(words[word])
                break
    return out


def _curie(value: str) -> ox.NamedNode:
    from .namespaces import PREFIXES

    prefix, _, local = value.partition(":")
    return ox.NamedNode(str(PREFIXES[prefix]) + local)


# -- asking -------------------------------------------------------------------------------


def understand(
    question: str, index: EntityIndex, kinds: Kinds | None = None
) -> tuple[Kind, list[Found], dict[str, Term]]:
    """The kind of ``question``, the entities for its slots and the words' choices."""
    kinds = kinds or load_kinds()
    q = question.strip()
    if not q:
        raise QuestionError("empty question; ask e.g. `ftz-kg ask 满洲里片区重点发展哪些产业？`")
    spans = _spans(q, index)
    masked = _masked(q, spans)
    scored = sorted(
        ((s, i, k) for i, k in enumerate(kinds.kinds) if (s := _score(k, masked)) > 0),
        key=lambda t: (-t[0], t[1]),
    )
    # the kind that uses the most of the names found, then the one its words fit best
    filled = [
        (kind, found)
        for _, _, kind in scored
        if (found := _fill(kind, spans, index, ())) is not None
    ]
    if filled:
        kind, found = max(filled, key=lambda kf: len(kf[1]))
        return kind, found, _choices(kind, masked)
    for _, _, kind in scored[:3]:
        found = _fill(kind, spans, index, _chunks(q, spans, kind, kinds))
        if found is not None:
            return kind, found, _choices(kind, masked)
    chunks = _chunks(q, spans, scored[0][2], kinds) if scored else []
    raise _not_understood(q, spans, scored, chunks, index, kinds)


def _not_understood(
    question: str,
    spans: Sequence[_Span],
    scored: Sequence[tuple[int, int, Kind]],
    chunks: Sequence[str],
    index: EntityIndex,
    kinds: Kinds,
) -> QuestionError:
    names = [s.text for s in spans]
    seen = f"found {'、'.join(names)}" if names else "found no name of the graph's entities"
    if scored:
        kind = scored[0][2]
        wanted = " and ".join("/".join(s.classes[:3]) for s in kind.slots)
        near = suggest("".join(chunks) or question, index.spellings, limit=3, cutoff=0.5)
        hint = (
            f"; did you mean {', '.join(_node_of(index, i).label for i in near)}?" if near else ""
        )
        return QuestionError(
            f"understood the kind {kind.name} ({kind.title}) but not which entity it is about: "
            f"it needs a {wanted}; {seen}{hint} (e.g. {kind.examples[0]})",
            understood=[kind.name],
            nearest=_nearest(question, kinds),
        )
    nearest = _nearest(question, kinds)
    listed = "; ".join(f"{k.name}: {k.examples[0]}" for k in nearest)
    return QuestionError(
        f"did not understand {question!r}: no word of a kind of question I know; {seen}. "
        f"The nearest kinds: {listed} (`ftz-kg ask --kinds` lists them all)",
        understood=[],
        nearest=nearest,
    )


def _nearest(question: str, kinds: Kinds, limit: int = 3) -> list[Kind]:
    import difflib

    q = match_key(question)

    def closeness(kind: Kind) -> float:
        return max(difflib.SequenceMatcher(None, q, match_key(e)).ratio() for e in kind.examples)

    return sorted(kinds.kinds, key=lambda k: -closeness(k))[:limit]


def ask(question: str, engine: StoreEngine | ox.Store, *, kinds: Kinds | None = None) -> Answer:
    """Answer ``question`` from the graph in ``engine`` (a :class:`~kg.sparql.StoreEngine`
    or a pyoxigraph store).

    Raises :class:`~kg.errors.QuestionError` (with the kinds it was closest to) when it cannot
    tell what the question asks or which entity it is about."""
    if isinstance(engine, ox.Store):
        engine = StoreEngine(engine)
    index = _index_of(engine)
    kind, found, choices = understand(question, index, kinds)
    bindings: dict[str, Term] = {f.slot: ox.NamedNode(f.iri) for f in found}
    bindings.update(choices)
    text = bind_values(kind.sparql, bindings) if bindings else kind.sparql
    return Answer(question.strip(), kind, found, text, engine.query(text))


def ask_in(question: str, out_dir: str = "out", *, kinds: Kinds | None = None) -> Answer:
    """:func:`ask` on the store that ``ftz-kg build`` wrote in ``out_dir``."""
    from .store import open_store

    return ask(question, StoreEngine(open_store(out_dir)), kinds=kinds)
