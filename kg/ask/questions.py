"""Questions in Chinese (or simple English) answered from the graph, without writing SPARQL.

``ask("满洲里片区重点发展哪些产业？", engine)`` finds the entities the question names (by label,
alias, short form or English name, in the alias index of :meth:`kg.views.network.Network.spellings`
that ``--focus`` uses, with the fuzzy matcher of :mod:`kg.fuzzy`), picks the kind of question
by its trigger words, binds the kind's SPARQL to the entities and runs it on the engine
(so the SERVICE policy and every other check of :mod:`kg.store.sparql` apply). The kinds, their
words and their queries are data: ``queries/ask.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..errors import QuestionError
from ..fuzzy import match_key, suggest
from ..namespaces import ID
from ..resources import queries_dir
from ..store.engines import StoreEngine
from ..store.results import QueryResult, Term, term_text
from . import names
from .names import EntityIndex, Found, Slot, Span, entity_index

__all__ = ["MAX_QUESTION", "Answer", "Found", "Kind", "ask", "entity_index", "load_kinds"]

KINDS_FILE = "ask.toml"
MAX_QUESTION = 500  # characters: a question, not a document
_ID = str(ID)


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
    text: str = ""  # a variable bound to the question's leftover words


@dataclass(frozen=True)
class Kinds:
    kinds: tuple[Kind, ...]
    stopwords: tuple[str, ...]
    generic: frozenset[str] = frozenset()  # keys of words that never name one entity


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
        labels: dict[str, str] = {}
        for f in self.entities:
            labels[f.slot] = f"{labels[f.slot]}、{f.label}" if f.slot in labels else f.label
        return "no answer: " + self.kind.empty.format_map(_Blank(labels))

    def readable(self) -> QueryResult:
        """The result without its columns of entity IRIs (the labels and sources a reader
        wants; ontology terms such as ftz:hasPosition stay; the JSON and ``-f csv`` keep all)."""
        rows = self.result.rows
        keep = [
            i
            for i, _ in enumerate(self.result.variables)
            if not any(_is_entity(row[i]) for row in rows)
            or self.result.variables[i] in self.kind.answer
        ]
        return QueryResult(
            "select",
            [self.result.variables[i] for i in keep],
            [tuple(row[i] for i in keep) for row in rows],
        )

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


def _is_entity(term: Term | None) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(_ID)


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
                    text=raw.get("text", ""),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise QuestionError(
                f"{KINDS_FILE}: kind {raw.get('name', '?')!r} is incomplete ({exc}); "
                "give it name, title, triggers, slots, answer and sparql"
            ) from exc
    return Kinds(
        tuple(kinds),
        tuple(match_key(w) for w in data.get("stopwords", ())),
        frozenset(match_key(w) for w in data.get("generic", ())),
    )


def _slot(spec: str) -> Slot:
    name, sep, classes = spec.partition(":")
    many = name.endswith("+")
    name = name.rstrip("+")
    if not sep or not re.fullmatch(r"\w+", name):
        raise ValueError(f"slot {spec!r}: write it as name:Class|Class (name+: several)")
    return Slot(name, tuple(c.strip() for c in classes.split("|") if c.strip()), many)


# -- choosing the kind --------------------------------------------------------------------


def _score(kind: Kind, masked: str) -> int:
    """How many characters of the question the kind's trigger words cover (0: not this kind)."""
    if kind.requires and not any(w in masked for w in kind.requires):
        return 0
    covered = _covered(masked, kind.triggers)
    return len(covered)


def _chunks(question: str, spans: Sequence[Span], kind: Kind, kinds: Kinds) -> list[str]:
    """The words of the question that are neither a known name, a trigger of ``kind`` nor a
    stopword: where an unknown name (a typo) may be. Chinese words are cut wherever they
    occur, all at once (so the result does not depend on which is cut first); English ones
    only as whole words."""
    chars = list(question.casefold())
    for span in spans:
        chars[span.start : span.end] = ["|"] * (span.end - span.start)
    text = "".join(chars)
    words = set(kind.triggers) | set(kinds.stopwords)
    covered = _covered(text, [w for w in words if not w.isascii()])
    text = "".join("|" if i in covered else c for i, c in enumerate(text))
    english = [w for w in words if w.isascii()]
    out: list[str] = []
    run: list[str] = []
    for token in re.findall(r"[a-z0-9][a-z0-9'\-]*|[^\x00-\x7f|\W]+|\S", text):
        drop = token.isascii() and (
            not token[0].isalnum()
            or any(token.startswith(w) or w.startswith(token) for w in english)
        )
        if drop or token == "|":
            out.append(" ".join(run) if run and run[0].isascii() else "".join(run))
            run = []
        else:
            run.append(token)
    out.append(" ".join(run) if run and run[0].isascii() else "".join(run))
    return [c for c in out if len(c) >= 2 and match_key(c) not in kinds.generic]


def _covered(text: str, words: Iterable[str]) -> set[int]:
    """The places in ``text`` that one of ``words`` covers."""
    covered: set[int] = set()
    for word in words:
        if not word:
            continue
        at = text.find(word)
        while at >= 0:
            covered.update(range(at, at + len(word)))
            at = text.find(word, at + 1)
    return covered


def _choices(kind: Kind, masked: str, leftover: Sequence[str] = ()) -> dict[str, Term]:
    """The variables the question's words bind: ``choose`` words, and the ``text`` variable
    to the longest leftover word."""
    out: dict[str, Term] = {}
    # 2025年 is no indicator
    wanted = [c for w in leftover if len(c := re.sub(r"[\d.%]+\s*[年月日]?", "", w).strip()) >= 2]
    if kind.text and wanted:
        out[kind.text] = ox.Literal(max(wanted, key=len))
    for var, words in kind.choose.items():
        for word in sorted(words, key=len, reverse=True):
            if match_key(word) in masked:
                out[var] = _curie(words[word])
                break
    return out


def _curie(value: str) -> ox.NamedNode:
    from ..namespaces import PREFIXES

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
    if len(q) > MAX_QUESTION:
        raise QuestionError(
            f"the question is {len(q)} characters long; ask one question of at most "
            f"{MAX_QUESTION} characters"
        )
    spans = names.spans(q, index, kinds.generic | frozenset(kinds.stopwords))
    masked = names.masked(q, spans)
    # Each kind fills its slots, then counts its words outside the names it used (开放平台
    # the task field is a name, but asked about a zone its 平台 still says "platforms").
    candidates = []
    for i, kind in enumerate(kinds.kinds):
        filled = names.fill(kind.slots, spans, index, ())
        if filled is None:
            continue
        found, used = filled
        score = _score(kind, names.masked(q, [spans[u] for u in used]))
        if score > 0:
            candidates.append((len(found), score, -i, kind, found))
    if candidates:
        # the kind that uses the most of the names found, then the one its words fit best
        *_, kind, found = max(candidates, key=lambda c: c[:3])
        return kind, found, _choices(kind, masked, _chunks(q, spans, kind, kinds))
    scored = sorted(
        ((s, i, k) for i, k in enumerate(kinds.kinds) if (s := _score(k, masked)) > 0),
        key=lambda t: (-t[0], t[1]),
    )
    for _, _, kind in scored[:3]:
        filled = names.fill(kind.slots, spans, index, _chunks(q, spans, kind, kinds))
        if filled is not None:
            return kind, filled[0], _choices(kind, masked)
    chunks = _chunks(q, spans, scored[0][2], kinds) if scored else []
    raise _not_understood(q, spans, scored, chunks, index, kinds)


def _not_understood(
    question: str,
    spans: Sequence[Span],
    scored: Sequence[tuple[int, int, Kind]],
    chunks: Sequence[str],
    index: EntityIndex,
    kinds: Kinds,
) -> QuestionError:
    written = [s.text for s in spans]
    seen = f"found {'、'.join(written)}" if written else "found no name of the graph's entities"
    elsewhere = names.names_elsewhere(question, index)
    if elsewhere:
        seen += f"; {'、'.join(elsewhere)} is known to the lexicon but not in this graph"
    if scored:
        kind = scored[0][2]
        wanted_text = " and ".join(f"one {'/'.join(s.classes[:3])}" for s in kind.slots)
        if len(kind.slots) > 1:
            wanted_text = f"{len(kind.slots)} entities: " + wanted_text
        near = suggest("".join(chunks) or question, index.spellings, limit=3, cutoff=0.5)
        hint = (
            f"; did you mean {', '.join(names.node_of(index, i).label for i in near)}?"
            if near
            else ""
        )
        return QuestionError(
            f"understood the kind {kind.name} ({kind.title}) but not which entity it is about: "
            f"it needs {wanted_text}; {seen}{hint} (e.g. {kind.examples[0]})",
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
    """Answer ``question`` from the graph in ``engine`` (a :class:`~kg.store.sparql.StoreEngine`
    or a pyoxigraph store).

    Raises :class:`~kg.errors.QuestionError` (with the kinds it was closest to) when it cannot
    tell what the question asks or which entity it is about."""
    if isinstance(engine, ox.Store):
        engine = StoreEngine(engine)
    index = names.index_of(engine)
    kind, found, choices = understand(question, index, kinds)
    bindings: dict[str, list[Term]] = {}
    for f in found:
        bindings.setdefault(f.slot, []).append(ox.NamedNode(f.iri))
    for var, term in choices.items():
        bindings[var] = [term]
    text = _bind(kind.sparql, bindings)
    result = engine.query(text)
    if not result.rows and kind.text in choices:
        # the leftover words matched no indicator: every figure about the entity instead
        del bindings[kind.text]
        text = _bind(kind.sparql, bindings)
        result = engine.query(text)
    return Answer(question.strip(), kind, found, text, result)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _bind(text: str, bindings: Mapping[str, Sequence[Term]]) -> str:
    """The query with ``bindings`` as a ``VALUES`` block at the start of its WHERE group:
    one row, or one per entity of a slot that takes several.

    Unlike :func:`kg.store.query_text.bind_values` (a block in every group that uses a variable), one
    block outside: the sources are looked up in ``LATERAL`` groups, which receive the row's
    values from outside and may not hold a ``VALUES`` of their own (pyoxigraph refuses it).
    The values are terms serialised by pyoxigraph, never user text."""
    if not bindings:
        return text
    match = _WHERE.search(text)
    if match is None:
        raise QuestionError("a kind's sparql has no WHERE { … } group; fix queries/ask.toml")
    names = sorted(bindings)
    rows = [""]
    for n in names:  # every combination; at most one slot takes several names
        rows = [f"{r} {t}".strip() for r in rows for t in bindings[n]]
    block = " ".join(f"({r})" for r in rows)
    values = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ {block} }}"
    return text[: match.end()] + values + text[match.end() :]


def ask_in(question: str, out_dir: str = "out", *, kinds: Kinds | None = None) -> Answer:
    """:func:`ask` on the store that ``ftz-kg build`` wrote in ``out_dir``."""
    from ..store.embedded import open_store

    return ask(question, StoreEngine(open_store(out_dir)), kinds=kinds)
