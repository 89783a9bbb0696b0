"""Fast, canonical writers for N-Triples, N-Quads, Turtle and TriG.

rdflib's serialisers walk its store and pretty-print with many look-ups; on a corpus graph
of a million triples they take minutes. These writers format each term once, sort the
lines, and group a subject's triples, which is all the canonical forms need. Output is
byte-stable (sorted; no blank-node relabelling since the build mints no blank nodes) and is
checked by parsing it back with rdflib in the tests.
"""

from __future__ import annotations

import array
import hashlib
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from operator import itemgetter

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

__all__ = [
    "Formatter",
    "Triple",
    "in_memory_order",
    "nt_term",
    "ntriples",
    "nquads",
    "PredicateObject",
    "predicate_objects",
    "statement",
    "subject_blocks",
    "triple_hash",
    "turtle",
    "trig",
]

Triple = tuple[Node, Node, Node]
# A predicate and an object of a subject, in N-Triples (the sort keys) and in Turtle.
PredicateObject = tuple[str, str, str, str]

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


_RDF_TYPE = f"<{RDF.type}>"
_TYPE_ROW = (_RDF_TYPE,)  # sorts just before a subject's first rdf:type row
_PREDICATE = itemgetter(3)  # a row's predicate term (_Row)


def _string(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def nt_term(term: Node) -> str:
    """A term in N-Triples syntax."""
    if type(term) is URIRef:
        return f"<{term}>"
    if type(term) is Literal:
        # The exact type skips rdflib's isinstance checks, a third of the cost here.
        lexical = _string(str(term))
        language = term.language
        if language:
            return f"{lexical}@{language}"
        datatype = term.datatype
        if datatype is not None:
            return f"{lexical}^^<{datatype}>"
        return lexical
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lexical = _string(str(term))
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None:
            return f"{lexical}^^<{term.datatype}>"
        return lexical
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples(triples: Iterable[Triple]) -> bytes:
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples})
    return "".join(lines).encode("utf-8")


def nquads(graphs: Mapping[Node | None, Iterable[Triple]]) -> bytes:
    """``graphs`` maps a graph name (None for the default graph) to its triples."""
    lines: set[str] = set()
    for name, triples in graphs.items():
        suffix = f" {nt_term(name)} .\n" if name is not None else " .\n"
        for s, p, o in triples:
            lines.add(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{suffix}")
    return "".join(sorted(lines)).encode("utf-8")


class Formatter:
    """Turtle forms of terms with the given prefixes (cached: a graph repeats its terms)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that id/ and a longer sibling do not shadow each other.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        # When every namespace ends with "/" or "#", the one an IRI can take is what ends
        # at its last "/" or "#" (a local name holds neither): one look-up instead of a
        # startswith per namespace (a corpus's drawing formats 185,000 IRIs).
        self.by_namespace: dict[str, str] | None = None
        if all(ns.endswith(("/", "#")) for _prefix, ns in self.prefixes):
            self.by_namespace = {ns: prefix for prefix, ns in self.prefixes}
        self.used: set[str] = set()
        self.cache: dict[Node, str] = {}
        # The same forms by the terms' N-Triples forms: plain strings hash in C, rdflib
        # terms in Python (the writers look a form up for every term of every triple).
        self.by_nt: dict[str, str] = {}
        self.datatypes: dict[str, str] = {}  # datatype IRI -> its Turtle form
        self.iris: dict[str, str] = {}  # a predicate's N-Triples form -> its IRI, interned
        # An object's N-Triples and Turtle forms by the object's id (the entry keeps the
        # object alive, so no other takes its id): the drawing shares one term object per
        # entity, sentence and class, and one literal per offset, rule and surface form
        # (kg.rdf.graph's caches). A corpus's 1.5 M objects are 0.23 M objects; rdflib
        # hashes a Literal in Python, and an IRI's forms were made and looked up per row.
        self.objects: dict[int, tuple[Node, str, str]] = {}

    @staticmethod
    def nt(term: Node) -> str:
        """:func:`nt_term` with a fast path for IRIs, most terms of a graph."""
        if type(term) is URIRef:
            return f"<{term}>"
        return nt_term(term)

    def iri(self, iri: str) -> str:
        if self.by_namespace is not None:
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            prefix = self.by_namespace.get(iri[:cut])
            if prefix is not None:
                local = iri[cut:]
                if _PN_LOCAL.match(local):
                    self.used.add(prefix)
                    return f"{prefix}:{local}"
            return f"<{iri}>"
        for prefix, ns in self.prefixes:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if _PN_LOCAL.match(local):
                    self.used.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term: Node) -> str:
        cached = self.cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, URIRef):
            out = self.iri(str(term))
        elif isinstance(term, Literal):
            lexical = _string(str(term))
            if term.language:
                out = f"{lexical}@{term.language}"
            elif term.datatype is not None:
                out = f"{lexical}^^{self.iri(str(term.datatype))}"
            else:
                out = lexical
        else:
            out = nt_term(term)
        if len(self.cache) < 500_000:
            self.cache[term] = out
        return out

    def keyed(self, key: str, term: Node) -> str:
        """:meth:`term` of ``term``, whose N-Triples form is ``key``."""
        out = self.by_nt.get(key)
        if out is None:
            # A literal's Turtle form is its N-Triples form with the datatype prefixed:
            # made from the key, it spares escaping the text again and hashing the term
            # (rdflib hashes a Literal in Python).
            out = self._literal(key) if key[0] == '"' else self.term(term)
            if len(self.by_nt) < 500_000:
                self.by_nt[key] = out
        return out

    def _literal(self, key: str) -> str:
        if key[-1] != ">":  # a plain or language-tagged literal
            return key
        # The last "^^<: a quote inside the text is escaped, and an IRI holds none.
        cut = key.rfind('"^^<')
        datatype = key[cut + 4 : -1]
        form = self.datatypes.get(datatype)
        if form is None:  # once per datatype: iri() has marked its prefix used
            form = self.datatypes[datatype] = self.iri(datatype)
        return f"{key[: cut + 1]}^^{form}"


_blake2b = hashlib.blake2b


def _from_bytes(digest: bytes) -> int:
    return int.from_bytes(digest, "big", signed=True)


def triple_hash(s: str, p: str, o: str) -> int:
    """A stable 64-bit hash of a triple given in N-Triples terms (for reference counts)."""
    return _from_bytes(_blake2b(f"{s} {p} {o}".encode(), digest_size=8).digest())


def subject_blocks(
    triples: Iterable[Triple],
    fmt: Formatter,
    hashes: list[int] | None = None,
    local: Callable[[str], bool] | None = None,
    local_hashes: list[int] | None = None,
    foreign: dict[str, list[PredicateObject]] | None = None,
    terms: set[Node] | None = None,
    *,
    hash_local: bool = True,
    subjects: dict[Node, dict[str, list[Node]]] | None = None,
) -> list[tuple[str, str]]:
    """Turtle statements, one per subject, with the subject's N-Triples form (the sort key).

    ``hashes`` collects :func:`triple_hash` of every triple, so that callers keeping
    reference counts need not format the terms twice; with ``local``, the hashes of the
    triples whose subject (N-Triples form) it accepts go to ``local_hashes`` instead, and
    ``foreign`` receives the predicates and objects of the subjects it rejects (to be
    merged with what other graphs say of them: :func:`statement`). ``terms`` receives
    what :func:`kg.rdf.describe.used_terms` finds in ``triples``, from the rows at hand.
    With ``hash_local`` False the triples ``local`` accepts are not hashed at all.
    ``subjects`` receives the triples as they are grouped here: subject -> predicate IRI
    (interned) -> its objects, each once (``triples`` are distinct), for the SHACL
    check's index (:meth:`kg.rdf.shacl._Index.adopt`).
    """
    out: list[tuple[str, str]] = []
    # The digests of each list, converted to integers in one go at the end (see _hashes).
    digests: list[bytes] = []
    local_digests: list[bytes] = []
    for s_key, subject, rows in _grouped(triples, fmt):
        is_local = local is not None and local(s_key)
        if hashes is not None and (hash_local or not is_local):
            target = local_digests if is_local and local_hashes is not None else digests
            # triple_hash, its subject's part hashed once per subject
            head = _blake2b(f"{s_key} ".encode(), digest_size=8)
            for r in rows:
                h = head.copy()
                h.update(f"{r[0]} {r[1]}".encode())
                target.append(h.digest())
        if terms is not None:
            terms.update(map(_PREDICATE, rows))
            # The rows are sorted: the types are together, found by bisection.
            at = bisect_left(rows, _TYPE_ROW)
            while at < len(rows) and rows[at][0] == _RDF_TYPE:
                terms.add(rows[at][4])
                at += 1
        if local is not None and foreign is not None and not is_local:
            foreign.setdefault(s_key, []).extend((r[0], r[1], r[5], r[6]) for r in rows)
        props: dict[str, list[Node]] | None = None
        if subjects is not None:
            props = subjects[subject] = {}
        out.append((s_key, _statement(s_key, subject, rows, fmt, "", props)))
    if hashes is not None:
        hashes.extend(_hashes(digests))
        if local_hashes is not None:
            local_hashes.extend(_hashes(local_digests))
    return out


# Above this many triples a graph's set spans more memory than the caches hold.
_LARGE = 20_000
# At most this many objects' forms are kept (Formatter.objects).
_OBJECTS = 500_000


class _Distinct(list[Triple]):
    """Triples known to be distinct (from a set), in an order of their own."""


def in_memory_order(triples: AbstractSet[Triple]) -> Collection[Triple]:
    """A large set of triples in the order the triples lie in memory (CPython's ``id`` is
    the address), which is about the order they were drawn in, rather than the set's hash
    order: a pass over a graph that reads its terms and fills tables then walks memory
    forwards instead of jumping all over it, one cache miss after another (on the 750 KB
    file: the SHACL check 0.45-0.51 -> 0.33-0.38 s, :func:`subject_blocks` 0.48-0.53 ->
    0.42-0.43 s, the sort included). Small sets are returned as they are."""
    if len(triples) < _LARGE:
        return triples
    ordered = _Distinct(triples)
    ordered.sort(key=id)
    return ordered


def _hashes(digests: list[bytes]) -> list[int]:
    """:func:`_from_bytes` of each 8-byte digest, through one array rather than a call each."""
    packed = array.array("q")
    packed.frombytes(b"".join(digests))
    if sys.byteorder == "little":  # the digests are big-endian
        packed.byteswap()
    return packed.tolist()


# A subject's rows: the N-Triples forms of a predicate and an object, the subject, the
# predicate and object terms (in the order in which tuples of terms used to be sorted), and
# the Turtle forms of the predicate and the object, found with the N-Triples forms.
_Row = tuple[str, str, Node, Node, Node, str, str]


def _grouped(triples: Iterable[Triple], fmt: Formatter) -> list[tuple[str, Node, list[_Row]]]:
    """``triples`` by subject, in N-Triples order: subjects sorted, then each subject's
    rows; the order of one sort of (s, p, o) forms, at a fraction of its comparisons.

    Subjects and predicates are grouped by the terms themselves: a drawn graph reuses one
    term object for a node's triples, so the look-ups mostly stop at identity, and each
    is formatted once."""
    nt = fmt.nt
    keyed_form = fmt.keyed
    by_subject: dict[Node, list[_Row]] = {}
    predicates: dict[Node, tuple[str, str]] = {}
    objects = fmt.objects
    known = objects.get
    distinct = isinstance(triples, (set, frozenset, _Distinct))
    for s, p, o in triples if distinct else set(triples):
        rows = by_subject.get(s)
        if rows is None:
            rows = by_subject[s] = []
        p_forms = predicates.get(p)
        if p_forms is None:
            p_key = nt(p)
            p_forms = predicates[p] = (p_key, "a" if p_key == _RDF_TYPE else keyed_form(p_key, p))
        found = known(id(o))
        if found is None or found[0] is not o:
            o_key = nt(o)
            found = (o, o_key, keyed_form(o_key, o))
            if len(objects) < _OBJECTS:
                objects[id(o)] = found
        rows.append((p_forms[0], found[1], s, p, o, p_forms[1], found[2]))
    keyed = sorted((nt(subject), subject) for subject in by_subject)
    out = []
    for s_key, subject in keyed:
        rows = by_subject[subject]
        rows.sort()
        out.append((s_key, rows[0][2], rows))
    return out


def predicate_objects(triples: Iterable[Triple], fmt: Formatter) -> list[PredicateObject]:
    """The predicates and objects of ``triples`` (of one subject), sorted."""
    nt = fmt.nt
    return sorted({(nt(p), nt(o), _predicate(p, fmt), fmt.term(o)) for _s, p, o in triples})


def statement(subject: str, rows: Iterable[PredicateObject]) -> str:
    """The Turtle statement of ``subject`` (in Turtle) with ``rows``, which may repeat:
    each triple once, laid out as :func:`subject_blocks` lays a subject out."""
    parts = [subject]
    previous: str | None = None
    for p_key, _o_key, predicate, obj in sorted(set(rows)):
        if p_key == previous:
            parts.append(f", {obj}")
            continue
        parts.append(" " if previous is None else " ;\n    ")
        parts.append(f"{predicate} {obj}")
        previous = p_key
    return "".join(parts) + " .\n"


def _predicate(predicate: Node, fmt: Formatter) -> str:
    return "a" if predicate == RDF.type else fmt.term(predicate)


def _body(triples: Iterable[Triple], fmt: Formatter, indent: str = "") -> list[str]:
    return [
        _statement(s_key, subject, rows, fmt, indent)
        for s_key, subject, rows in _grouped(triples, fmt)
    ]


def _statement(
    s_key: str,
    subject: Node,
    rows: list[_Row],
    fmt: Formatter,
    indent: str,
    props: dict[str, list[Node]] | None = None,
) -> str:
    """The Turtle statement of one subject from its sorted rows; ``props`` receives them
    as predicate IRI -> objects (:func:`subject_blocks`' ``subjects``): the loop that lays
    out a predicate's objects once is the grouping by predicate."""
    iris = fmt.iris
    block = [f"{indent}{fmt.keyed(s_key, subject)}"]
    separator = f" ;\n{indent}    "
    previous: str | None = None
    # Without ``props``, a predicate's further objects go to this list, dropped on return:
    # cheaper than asking for ``props`` once per row.
    values: list[Node] = []
    for p_key, _o_key, _s, _p, obj, p_text, o_text in rows:
        if p_key == previous:
            block.append(f", {o_text}")
            values.append(obj)
            continue
        if props is not None:
            iri = iris.get(p_key)
            if iri is None:
                iri = iris[p_key] = sys.intern(p_key[1:-1])
            values = props[iri] = [obj]
        block.append(f"{' ' if previous is None else separator}{p_text} {o_text}")
        previous = p_key
    block.append(" .\n")
    return "".join(block)


def _prefix_lines(fmt: Formatter, prefixes: Mapping[str, str]) -> list[str]:
    return [f"@prefix {p}: <{prefixes[p]}> .\n" for p in sorted(fmt.used)]


def turtle(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> bytes:
    fmt = Formatter(prefixes)
    body = _body(triples, fmt)
    head = _prefix_lines(fmt, prefixes)
    return "".join([*head, "\n", "\n".join(body)]).encode("utf-8")


def trig(graphs: Mapping[Node | None, Iterable[Triple]], prefixes: Mapping[str, str]) -> bytes:
    """Named graphs sorted by name; the default graph (key None) comes first."""
    fmt = Formatter(prefixes)
    blocks: list[str] = []
    names = sorted((n for n in graphs if n is not None), key=nt_term)
    if None in graphs:
        body = _body(graphs[None], fmt)
        if body:
            blocks.append("\n".join(body))
    for name in names:
        body = _body(graphs[name], fmt, "    ")
        if body:
            blocks.append(f"{fmt.term(name)} {{\n" + "\n".join(body) + "}\n")
    head = _prefix_lines(fmt, prefixes)
    return "".join([*head, "\n", "\n".join(blocks)]).encode("utf-8")
