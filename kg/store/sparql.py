"""Run SPARQL queries against the embedded store, an in-memory rdflib graph or a remote endpoint.

One entry point, :func:`run_query`, takes a query (text, a ``.rq`` file or the name of a
saved query), binds its parameters safely and returns a :class:`QueryResult`;
:func:`format_result` writes it as a terminal table or in a W3C format.

Engines:

* ``store`` (default): the persistent pyoxigraph store ``OUT/store`` that ``ftz-kg build``
  writes, opened read-only (or, with ``data``, a file loaded into an in-memory pyoxigraph
  store). The default graph is the union of all graphs, so queries see the ontology, the
  entity descriptions and every document's named graph; ``GRAPH ?g`` still works.
* ``memory``: rdflib's in-memory store over ``OUT/kg.trig`` (slower; for comparison).
* a remote SPARQL 1.1 Protocol endpoint (``endpoint=URL``).

Parameters are never pasted into the query text for the local engines: pyoxigraph binds them
with ``substitutions`` (a bound variable must be in the SELECT projection), rdflib with
``initBindings``. A remote endpoint has no binding mechanism, so there the values are
serialised as RDF terms by pyoxigraph and sent in a ``VALUES`` block placed at the start of
the outermost ``WHERE`` group, which a small SPARQL tokenizer locates.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..errors import EndpointError, QueryError
from ..fuzzy import did_you_mean, suggest
from ..namespaces import PREFIXES, RDFS, SKOS, XSD
from ..rdf.xmltext import xml_safe
from .outbound import NO_SERVICE, ServicePolicy, service_endpoints, upstream_safe

if TYPE_CHECKING:
    from rdflib import Dataset

    from .saved_queries import SavedQuery

__all__ = [
    "ENGINES",
    "FORMATS",
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "Engine",
    "MemoryEngine",
    "QueryResult",
    "RemoteEngine",
    "ResolvedQuery",
    "RowStream",
    "StoreEngine",
    "Term",
    "bind_values",
    "check_query_size",
    "format_result",
    "wrap_cell",
    "graph_names",
    "media_type",
    "negotiate",
    "open_engine",
    "parse_params",
    "query_form",
    "resolve_query",
    "run_query",
    "serialize_triples",
    "stream_query",
    "stream_result",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Kind = Literal["select", "ask", "graph"]

ENGINES = ("store", "memory")
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "json", "xml")
FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt")

RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_PREFIX_STRS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_XSD_STRING = str(XSD.string)
_NUMERIC = {
    str(XSD.integer): re.compile(r"[+-]?\d+"),
    str(XSD.decimal): re.compile(r"[+-]?\d*\.\d+"),
    str(XSD.double): re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+"),
    str(XSD.boolean): re.compile(r"true|false"),
}
# media types by (kind of result, format)
_MEDIA_TYPES: dict[tuple[str, str], str] = {
    ("results", "json"): "application/sparql-results+json",
    ("results", "xml"): "application/sparql-results+xml",
    ("results", "csv"): "text/csv; charset=utf-8",
    ("results", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("results", "table"): "text/plain; charset=utf-8",
    ("graph", "ttl"): "text/turtle; charset=utf-8",
    ("graph", "nt"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml",
    ("graph", "json"): "application/ld+json",
}
# what a client may ask for in Accept, by kind of result: media type -> format
_ACCEPTED: dict[str, list[tuple[str, str]]] = {
    "results": [
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("application/xml", "xml"),
        ("text/xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
    "graph": [
        ("text/turtle", "ttl"),
        ("application/x-turtle", "ttl"),
        ("application/n-triples", "nt"),
        ("text/plain", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/xml", "xml"),
        ("application/ld+json", "json"),
        ("application/json", "json"),
    ],
}
_ACCEPTED["page"] = [("text/html", "html"), ("application/xhtml+xml", "html")] + _ACCEPTED["graph"]
_MIN_COLUMN = 6  # a column narrower than this is not shrunk further (the table overflows)
_READABLE = 16  # the least width a wrapped prose column gets before IRIs are wrapped too


# -- results ---------------------------------------------------------------------------


@dataclass
class QueryResult:
    """What a query returned: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRI, literal lexical form, ``_:id``); handy in tests and notebooks."""
        return [tuple(None if t is None else term_text(t) for t in row) for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        index = self.variables.index(name)
        return [row[index] for row in self.values()]


class RowStream:
    """A SELECT result read from the engine row by row, as it is produced (never held whole).

    Iterate it once; ``count`` and ``truncated`` are final when the iteration ends.
    """

    kind: Kind = "select"

    def __init__(
        self,
        variables: list[str],
        rows: Iterator[Any],
        max_rows: int | None = None,
        failure: Callable[[Exception], QueryError] | None = None,
    ) -> None:
        self.variables = variables
        self._failure = failure
        self._rows = rows
        self.max_rows = max_rows
        self.count = 0
        self.truncated = False

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        rows = iter(self._rows)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (RuntimeError, OSError, ValueError, TypeError) as exc:  # evaluated lazily
                if self._failure is not None:
                    raise self._failure(exc) from exc
                raise QueryError(f"the query failed: {exc}") from exc
            if self.max_rows is not None and self.count >= self.max_rows:
                self.truncated = True
                return
            self.count += 1
            yield tuple(row)


def term_text(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


# -- the SPARQL tokenizer ----------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][\w\-.]*(?::[\w\-.:%]*)?|:[\w\-.:%]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> Iterator[_Token]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        yield _Token(kind, m.group(), m.start(), m.end())


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct``, ``describe``, ``update`` or ``unknown``."""
    for tok in _tokens(text):
        if tok.kind == "word":
            word = tok.text.upper()
            if word in _FORMS:
                return word.lower()
            if word in _UPDATES:
                return "update"
    return "unknown"


def _prefixes_used(text: str) -> tuple[set[str], set[str]]:
    """Prefixes the query declares, and prefixes its prefixed names use."""
    declared: set[str] = set()
    used: set[str] = set()
    after_prefix = False
    for tok in _tokens(text):
        if tok.kind == "word" and tok.text.upper() == "PREFIX":
            after_prefix = True
            continue
        if tok.kind == "word" and ":" in tok.text:
            prefix = tok.text.split(":", 1)[0]
            (declared if after_prefix else used).add(prefix)
        after_prefix = False
    return declared, used


# How big a query the local engines are given. pyoxigraph's parser and evaluator recurse
# over the query's structure and crash the whole process (a segfault, no message) on a query
# nested a few thousand brackets deep, or with some ten thousand operators, triple patterns,
# FILTERs or groups in a row; rdflib hits Python's recursion limit sooner. So a query is
# measured with the tokenizer first, and one past these limits never reaches an engine.
# Real queries are far below them (the saved queries: depth ≤ 6, ≤ 400 tokens).
MAX_QUERY_CHARS = 1_000_000
MAX_QUERY_DEPTH = 100
MAX_QUERY_TOKENS = 4_000
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = set(_OPENERS.values())
_ATOMS = ("iri", "string", "var", "number")


def check_query_size(text: str) -> None:
    """Refuse a query too long, too deeply nested or with too many tokens for the engines.

    Brackets of every kind count towards the depth. Every token counts towards the size,
    except the values of a ``VALUES`` block and the terms (and commas) listed in an
    ``IN (…)``: those lists are flat, so long ones are fine.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long, more than the {MAX_QUERY_CHARS:,} the "
            "engine is given; split it into several queries"
        )
    deepest = size = 0
    where: _Token | None = None  # the first bracket past the depth limit
    stack: list[str] = []  # per open bracket: "values" (data), "in" (a list of terms) or "code"
    previous = ""
    values_pending = False
    for tok in _tokens(text):
        inside = stack[-1] if stack else "code"
        word = tok.text.upper() if tok.kind == "word" else ""
        if tok.kind == "other" and tok.text in _OPENERS:
            if inside == "values" or (values_pending and tok.text == "{"):
                kind = "values"
                values_pending = False
            elif previous == "IN" and tok.text == "(":
                kind = "in"
            else:
                kind = "code"
            stack.append(kind)
            deepest = max(deepest, len(stack))
            if len(stack) > MAX_QUERY_DEPTH and where is None:
                where = tok
        elif tok.kind == "other" and tok.text in _CLOSERS and stack:
            stack.pop()
        values_pending = values_pending or word == "VALUES"
        previous = word or tok.text
        if inside == "values":
            continue
        if inside == "in" and (tok.kind in _ATOMS or tok.text == "," or ":" in word):
            continue
        size += 1
    if where is not None:
        line, column = _position(text, where.start)
        raise QueryError(
            f"the query nests brackets {deepest:,} deep (past the limit of {MAX_QUERY_DEPTH} at "
            f"line {line}, column {column}); real queries stay far below it: remove the extra "
            "brackets or split the query"
        )
    if size > MAX_QUERY_TOKENS:
        raise QueryError(
            f"the query has {size:,} tokens (names, operators, brackets…); the limit is "
            f"{MAX_QUERY_TOKENS:,}: split it into several queries, and give long lists of values "
            "as VALUES ?x { … } or ?x IN (…) (those are not counted) rather than chains of "
            "UNION, || or triple patterns"
        )


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass
class _Brace:
    kind: str  # "group", "subselect", "data" (a VALUES block) or "template" (CONSTRUCT)
    end: int  # offset just after the "{"
    variables: set[str] = field(default_factory=set)  # variables directly inside (not nested)


def _groups(text: str) -> tuple[list[_Brace], set[str]]:
    """The query's brace blocks in order, and the variables used outside any of them."""
    tokens = list(_tokens(text))
    blocks: list[_Brace] = []
    stack: list[_Brace] = []
    outside: set[str] = set()
    form = None
    values_pending = False
    for i, tok in enumerate(tokens):
        word = tok.text.upper() if tok.kind == "word" else ""
        if form is None and word in _FORMS:
            form = word
        if word == "VALUES":
            values_pending = True
        if tok.text == "{":
            following = tokens[i + 1].text.upper() if i + 1 < len(tokens) else ""
            if values_pending:
                kind = "data"
                values_pending = False
            elif form == "CONSTRUCT" and not blocks and tokens[i - 1].text.upper() == "CONSTRUCT":
                kind = "template"
            elif form == "CONSTRUCT" and not blocks and tokens[i - 2].text.upper() == "CONSTRUCT":
                kind = "template"  # CONSTRUCT WHERE { … }: the pattern is also the template
            elif following == "SELECT":
                kind = "subselect"
            else:
                kind = "group"
            block = _Brace(kind, tok.end)
            blocks.append(block)
            stack.append(block)
        elif tok.text == "}":
            if stack:
                stack.pop()
        elif tok.kind == "var":
            name = tok.text[1:]
            if not stack:
                outside.add(name)
            elif stack[-1].kind in ("group", "subselect"):
                stack[-1].variables.add(name)
    return blocks, outside


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``bindings`` given as ``VALUES`` blocks (for engines without native binding).

    Every group that uses a bound variable gets a one-row ``VALUES`` block at its start (the
    outermost WHERE group too when the variable is used in SELECT, ORDER BY…), so a
    parameter used in a nested group or a FILTER there is bound as with pyoxigraph's
    substitution. The values are RDF terms serialised by pyoxigraph (IRIs validated,
    literals escaped): no user text reaches the query unescaped. Used for remote endpoints
    and to show a saved query with its parameters in the web editor; the local engines bind
    natively instead.
    """
    if not bindings:
        return text
    for name, value in bindings.items():
        if not re.fullmatch(r"\w+", name):
            raise QueryError(
                f"--param {name}: not a SPARQL variable name; use letters, digits and _"
            )
        if isinstance(value, ox.BlankNode):
            raise QueryError(
                f"--param {name}: a blank node cannot be bound; use an IRI or a literal"
            )
    blocks, outside = _groups(text)
    groups = [b for b in blocks if b.kind == "group"]
    if not groups:
        raise QueryError(
            "cannot bind parameters here: the query has no WHERE group "
            "(write CONSTRUCT { template } WHERE { … } rather than the short form)"
        )
    bound = set(bindings)
    inserts: dict[int, set[str]] = {}
    for block in groups:
        if block.variables & bound:
            inserts.setdefault(block.end, set()).update(block.variables & bound)
    anywhere = set().union(*(b.variables for b in blocks)) | outside
    rest = (outside & bound) | (bound - anywhere)
    if rest:
        inserts.setdefault(groups[0].end, set()).update(rest)
    out = text
    for at in sorted(inserts, reverse=True):
        names = sorted(inserts[at])
        variables = " ".join(f"?{n}" for n in names)
        values = " ".join(str(bindings[n]) for n in names)
        out = out[:at] + f"\n  VALUES ({variables}) {{ ({values}) }}\n" + out[at:]
    return out


# -- parameters --------------------------------------------------------------------------

_PARAM_TYPES = ("iri", "string", "integer", "decimal", "year", "date")
_INT = re.compile(r"[+-]?\d+")
_DEC = re.compile(r"[+-]?\d*\.\d+")
_LITERAL = re.compile(
    r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', re.DOTALL
)
_CURIE = re.compile(r"([A-Za-z][\w\-.]*)?:(\S*)")


@dataclass(frozen=True)
class _Label:
    """An IRI parameter given as a label, resolved against the data before the query runs."""

    text: str


def _iri(value: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"--param {name}={value}: not a valid IRI ({exc})") from exc


def _expand(value: str, name: str) -> ox.NamedNode | None:
    """``<iri>``, an absolute IRI or a CURIE with a known prefix; None if it is none of them."""
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], name)
    m = _CURIE.fullmatch(value)
    if m and (m.group(1) or "") in _PREFIX_STRS:
        return _iri(_PREFIX_STRS[m.group(1) or ""] + m.group(2), name)
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value) and (
        "://" in value or value.startswith("urn:")
    ):
        return _iri(value, name)
    return None


def _unescape(text: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text
    )


def _typed(
    value: str, datatype: ox.NamedNode, pattern: re.Pattern[str], name: str, what: str
) -> ox.Literal:
    if not pattern.fullmatch(value):
        raise QueryError(f"--param {name}={value}: expected {what}")
    return ox.Literal(value, datatype=datatype)


def parse_param(name: str, value: str, type_: str | None = None) -> Term | _Label:
    """One ``--param`` value as an RDF term, by the declared type or, if none, by its syntax."""
    if type_ is not None and type_ not in _PARAM_TYPES:
        raise QueryError(
            f"parameter ?{name} has unknown type {type_!r}; use one of {', '.join(_PARAM_TYPES)}"
        )
    if type_ == "iri":
        return _expand(value, name) or _Label(value)
    if type_ == "string":
        return ox.Literal(value)
    if type_ == "integer":
        return _typed(value, ox.NamedNode(str(XSD.integer)), _INT, name, "an integer")
    if type_ == "decimal":
        return _typed(
            value,
            ox.NamedNode(str(XSD.decimal)),
            re.compile(r"[+-]?(\d+|\d*\.\d+)"),
            name,
            "a number",
        )
    if type_ == "year":
        return _typed(
            value, ox.NamedNode(str(XSD.gYear)), re.compile(r"\d{4}"), name, "a year such as 2025"
        )
    if type_ == "date":
        return _typed(
            value,
            ox.NamedNode(str(XSD.date)),
            re.compile(r"\d{4}-\d{2}-\d{2}"),
            name,
            "a date such as 2025-06-30",
        )
    # no declared type: read the value's syntax
    iri = _expand(value, name)
    if iri is not None:
        return iri
    m = _LITERAL.fullmatch(value)
    if m:
        lexical, lang, datatype = _unescape(m.group(1)), m.group(2), m.group(3)
        if lang:
            return ox.Literal(lexical, language=lang)
        if datatype:
            dt = _expand(datatype, name)
            if dt is None:
                raise QueryError(f"--param {name}={value}: unknown datatype {datatype}")
            return ox.Literal(lexical, datatype=dt)
        return ox.Literal(lexical)
    if _INT.fullmatch(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.integer)))
    if _DEC.fullmatch(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.decimal)))
    return ox.Literal(value)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["zone=id:zone/neimenggu", …]`` → ``{"zone": "id:zone/neimenggu", …}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise QueryError(
                f"--param {pair!r}: write it as NAME=VALUE, e.g. --param zone=id:zone/neimenggu"
            )
        out[name] = value
    return out


# -- resolving what to run -----------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedQuery:
    text: str
    source: str
    saved: SavedQuery | None = None


def resolve_query(arg: str) -> ResolvedQuery:
    """QUERY may be query text, a ``.rq`` file or the name of a saved query."""
    from .saved_queries import load_query, parse_saved_query

    text = arg.strip()
    if not text:
        raise QueryError(
            "empty query; give SPARQL text, a .rq file or a saved query name (see `ftz-kg queries`)"
        )
    if "\n" not in arg and len(arg) < 1024:
        path = Path(arg)
        if _is_file(path):
            try:
                body = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
            return ResolvedQuery(body, str(path), parse_saved_query(path.stem, body))
        if re.fullmatch(r"[\w\-]+", text):
            saved = load_query(text)
            return ResolvedQuery(saved.text, f"saved query {saved.name}", saved)
        if _looks_like_a_path(text):
            raise _no_such_file(text, path)
    return ResolvedQuery(arg, "query text")


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; query text too long for a file name is none."""
    try:
        return path.is_file()
    except OSError:  # ENAMETOOLONG for a one-line query longer than a file name may be
        return False


_QUERY_SUFFIXES = (".rq", ".sparql", ".rq.txt", ".sparql.txt")


def _looks_like_a_path(text: str) -> bool:
    """One word ending in .rq/.sparql, or with a ``/`` in it, and no SPARQL punctuation:
    ``my-question.rq``, ``queries/x.rq``. (Query text has spaces, braces or ``<…>``.)"""
    if re.search(r"[\s{}<>?$\"']", text):
        return False
    return text.lower().endswith(_QUERY_SUFFIXES) or "/" in text or "\\" in text


def _no_such_file(text: str, path: Path) -> QueryError:
    from .saved_queries import list_queries

    if path.is_dir():
        return QueryError(f"{text}: is a folder, not a query file; give a .rq file in it")
    stem = path.name.split(".", 1)[0]
    saved = [q.name for q in list_queries()]
    if stem in saved:
        hint = f"; {stem} is also a saved query: run it with `ftz-kg query {stem}`"
    else:
        relative = "" if path.is_absolute() else " (it is relative to the current folder)"
        hint = (
            f"; check the path{relative}, or give SPARQL text or a saved query name "
            "(see `ftz-kg queries`)"
        )
    return QueryError(f"{text}: no such file{hint}")


def _bindings(resolved: ResolvedQuery, params: Mapping[str, str]) -> dict[str, Term | _Label]:
    saved = resolved.saved
    if saved is None or not saved.params:
        return {name: parse_param(name, value) for name, value in params.items()}
    declared = {p.name: p for p in saved.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise QueryError(
            f"{resolved.source} has no parameter {', '.join(unknown)}; "
            f"its parameters are: {', '.join(sorted(declared))}"
        )
    out: dict[str, Term | _Label] = {}
    for p in saved.params:
        value = params.get(p.name, p.default)
        if value is not None:
            out[p.name] = parse_param(p.name, value, p.type)
    return out


# -- engines -----------------------------------------------------------------------------


class Engine(Protocol):
    name: str

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, max_rows: int | None = None
    ) -> QueryResult: ...


# the words SPARQL 1.1 (and pyoxigraph's SPARQL 1.2 and extensions) read: keywords, functions
_KEYWORD_TEXT = """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED DISTINCT REDUCED AS GRAPH
    OPTIONAL UNION MINUS FILTER BIND VALUES SERVICE SILENT UNDEF ORDER BY ASC DESC GROUP
    HAVING LIMIT OFFSET NOT EXISTS IN A TRUE FALSE LATERAL
    STR LANG LANGMATCHES LANGDIR DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND
    CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER
    YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384
    SHA512 COALESCE IF STRLANG STRLANGDIR STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL
    ISNUMERIC ISTRIPLE HASLANG HASLANGDIR REGEX SUBSTR REPLACE TRIPLE SUBJECT PREDICATE
    OBJECT ADJUST COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR
    INSERT DELETE DATA LOAD CLEAR CREATE DROP COPY MOVE ADD TO INTO WITH USING DEFAULT ALL
"""
_KEYWORDS = frozenset(_KEYWORD_TEXT.split())
_MAX_ENGINE_MESSAGE = 200


def _offset(text: str, line: int | None, column: int | None) -> int | None:
    """The character offset of a 1-based line and column, or None if unknown."""
    if line is None:
        return None
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(0, (column or 1) - 1)


def _culprit(text: str, offset: int | None) -> str | None:
    """What is wrong, when it is an unknown prefix or a misspelt keyword at or before the
    position the parser gave up at (a parser stops at or after the first such word)."""
    declared, _ = _prefixes_used(text)
    for tok in _tokens(text):
        if offset is not None and tok.start > offset:
            return None
        if tok.kind != "word" or (tok.start and text[tok.start - 1] in "@0123456789"):
            continue  # a language tag (@zh-Hans) or an exponent (1e5)
        word = tok.text.rstrip(".")
        line, column = _position(text, tok.start)
        if ":" in word:
            prefix = word.split(":", 1)[0]
            if prefix in declared or prefix in _PREFIX_STRS or prefix == "_":
                continue
            known = ", ".join(f"{p}:" for p in _PREFIX_STRS)
            close = suggest(prefix, list(_PREFIX_STRS), limit=1)
            hint = f" ({did_you_mean([close[0] + ':'])})" if close else ""
            return (
                f"unknown prefix {prefix}: in {word} at line {line}, column {column}{hint}; "
                f"declare it (PREFIX {prefix}: <http://…>) or use a predeclared prefix: {known}"
            )
        if word.upper() in _KEYWORDS:
            continue
        close = suggest(word, sorted(_KEYWORDS), limit=1, cutoff=0.75)
        if close:
            return (
                f"unknown keyword {word} at line {line}, column {column}; "
                f"{did_you_mean(close)} fix the query (see `ftz-kg queries` for examples)"
            )
        return (
            f"unknown word {word} at line {line}, column {column}: not a SPARQL keyword or "
            f"function; write a prefixed name (ftz:{word}), an <IRI> or a ?variable"
        )
    return None


def _readable(message: str) -> str:
    """The parser's message on one line, its character classes (``['A' ..= 'Z' | …]``, over
    several lines) said in words."""
    message = " ".join(message.split())

    def in_words(m: re.Match[str]) -> str:
        chars = m.group()
        if chars == "[_]":
            return "more text"
        if "'A' ..= 'Z'" in chars or "'a' ..= 'z'" in chars:
            return "a letter"
        if "'0'..='9'" in chars or "'0' ..= '9'" in chars:
            return "a digit"
        return ""

    message = re.sub(r"\[(?='|_\])(?:'(?:[^'\\]|\\.)*'|[^\]'\"])*\]", in_words, message)
    message = re.sub(r"(?:, ){2,}", ", ", message)  # where a class said nothing useful
    message = re.sub(r"(a digit|a letter)(?:, \1)+", r"\1", message)
    return message.replace("of , ", "of ").rstrip(", ")


def _syntax_error(message: str, text: str, line: int | None, column: int | None) -> QueryError:
    culprit = _culprit(text, _offset(text, line, column))
    if culprit is not None:
        return QueryError(f"malformed SPARQL query: {culprit}")
    where = ""
    if line is not None:
        lines = text.splitlines() or [""]
        snippet = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        where = f" at line {line}, column {column}" if column is not None else f" at line {line}"
        if snippet:
            where += f" (near: {snippet[:60]})"
    message = _readable(message)
    if len(message) > _MAX_ENGINE_MESSAGE:
        message = message[: _MAX_ENGINE_MESSAGE - 1] + "…"
    return QueryError(
        f"malformed SPARQL query{where}: {message}; fix the query (see `ftz-kg queries` for examples)"
    )


def graph_names(iris: Iterable[str], option: str = "graph") -> list[ox.NamedNode]:
    """The graph IRIs of a request's ``default-graph-uri``/``named-graph-uri``, each checked."""
    out = []
    for iri in iris:
        try:
            out.append(ox.NamedNode(iri))
        except ValueError as exc:
            raise QueryError(
                f"{option}={iri!r} is not a valid IRI ({exc}); give an absolute IRI such as "
                "https://w3id.org/ftz-kg/id/doc/…, percent-encoding spaces and other special "
                "characters"
            ) from exc
    return out


def _check_not_update(text: str) -> None:
    if query_form(text) == "update":
        raise QueryError(
            "this is a SPARQL update (INSERT/DELETE/LOAD/…): ftz-kg only reads; "
            "rebuild the graph with `ftz-kg build` to change it"
        )


class StoreEngine:
    """pyoxigraph: the persistent store in ``OUT/store`` or a file loaded into memory."""

    name = "store"

    def __init__(self, store: ox.Store, services: ServicePolicy = NO_SERVICE) -> None:
        self.store = store
        self.services = services

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        res = self._evaluate(text, bindings, default_graphs, named_graphs)
        try:
            return _from_oxigraph(res, max_rows)
        except (RuntimeError, OSError, ValueError, TypeError) as exc:
            raise self._failure(exc, text) from exc

    def stream(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult | RowStream:
        """Like :meth:`query`, but a SELECT result comes as a :class:`RowStream` whose rows
        are read from the store as they are iterated (ASK and CONSTRUCT as a QueryResult)."""
        res = self._evaluate(text, bindings, default_graphs, named_graphs)
        if isinstance(res, ox.QuerySolutions):
            return RowStream(
                [v.value for v in res.variables],
                iter(res),
                max_rows,
                lambda exc: self._failure(exc, text),
            )
        try:
            return _from_oxigraph(res, max_rows)
        except (RuntimeError, OSError, ValueError, TypeError) as exc:
            raise self._failure(exc, text) from exc

    def _evaluate(
        self,
        text: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
    ) -> Any:
        check_query_size(text)
        _check_not_update(text)
        self.services.check(text)
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        options: dict[str, Any] = {"use_default_graph_as_union": not default_graphs}
        if default_graphs:
            options["default_graph"] = graph_names(default_graphs, "default-graph-uri")
        if named_graphs:
            options["named_graphs"] = graph_names(named_graphs, "named-graph-uri")
        try:
            return self.store.query(
                text, prefixes=_PREFIX_STRS, substitutions=subs or None, **options
            )
        except SyntaxError as exc:
            m = re.match(r"error at (\d+):(\d+): (.*)", exc.msg or str(exc), re.DOTALL)
            if m:
                raise _syntax_error(m.group(3), text, int(m.group(1)), int(m.group(2))) from exc
            raise _syntax_error(str(exc), text, None, None) from exc
        except (RuntimeError, OSError, ValueError, TypeError) as exc:
            raise self._failure(exc, text) from exc

    @staticmethod
    def _failure(exc: Exception, text: str) -> QueryError:
        message = upstream_safe(str(exc), service_endpoints(text))
        m = re.search(r"variable \?(\w+) in its SELECT projection", message)
        if m:
            return QueryError(
                f"parameter ?{m.group(1)} is not in the query's SELECT projection; add ?{m.group(1)} "
                "to SELECT (the store binds only projected variables) or drop the parameter"
            )
        return QueryError(f"the query failed: {message}")


def _from_oxigraph(res: Any, max_rows: int | None) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QueryTriples):
        triples: list[ox.Triple] = []
        for t in res:
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult("graph", triples=triples, truncated=True)
            triples.append(t)
        return QueryResult("graph", triples=triples)
    variables = [v.value for v in res.variables]
    rows: list[tuple[Term | None, ...]] = []
    for solution in res:
        if max_rows is not None and len(rows) >= max_rows:
            return QueryResult("select", variables, rows, truncated=True)
        rows.append(tuple(solution))
    return QueryResult("select", variables, rows)


class MemoryEngine:
    """rdflib's in-memory store over a TriG/N-Quads/Turtle file, default graph = union."""

    name = "memory"

    def __init__(self, dataset: Dataset, services: ServicePolicy = NO_SERVICE) -> None:
        import rdflib.plugins.sparql

        # rdflib would otherwise fetch `FROM <url>` (or read `FROM <file:…>`) while evaluating;
        # here FROM names a graph of the dataset, as in the store.
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self.dataset = dataset
        self.services = services

    @classmethod
    def from_file(cls, path: Path, services: ServicePolicy = NO_SERVICE) -> MemoryEngine:
        from ..rdf.export import load_dataset

        dataset = load_dataset(path)
        dataset.default_union = True  # queries see every document's graph, as in the store
        return cls(dataset, services)

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        from pyparsing import ParseException

        check_query_size(text)
        _check_not_update(text)
        self.services.check(text)
        init = {k: _to_rdflib(v) for k, v in (bindings or {}).items()}
        try:
            res = self.dataset.query(text, initNs=dict(PREFIXES), initBindings=init)
            return _from_rdflib(res, max_rows)
        except ParseException as exc:
            raise _syntax_error(exc.msg, text, exc.lineno, exc.col) from exc
        except Exception as exc:  # rdflib raises many kinds while evaluating
            if str(exc).startswith("Unknown namespace prefix"):
                raise _syntax_error(str(exc), text, None, None) from exc
            message = upstream_safe(str(exc), service_endpoints(text))
            raise QueryError(f"the query failed: {message}") from exc


def _to_rdflib(term: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise QueryError("RDF 1.2 triple terms cannot be bound with the memory engine")


def _from_rdflib_term(node: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise QueryError(f"unsupported RDF term in the result: {node!r}")


def _triple_from_rdflib(s: Any, p: Any, o: Any) -> ox.Triple:
    subject, predicate, obj = _from_rdflib_term(s), _from_rdflib_term(p), _from_rdflib_term(o)
    if not isinstance(subject, ox.NamedNode | ox.BlankNode) or not isinstance(
        predicate, ox.NamedNode
    ):
        raise QueryError(f"the query built an invalid triple ({s} {p} {o})")
    if obj is None:
        raise QueryError(f"the query built a triple without object ({s} {p})")
    return ox.Triple(subject, predicate, obj)


def _from_rdflib(res: Any, max_rows: int | None) -> QueryResult:
    if res.type == "ASK":
        return QueryResult("ask", boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        triples: list[ox.Triple] = []
        for s, p, o in res.graph:
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult("graph", triples=triples, truncated=True)
            triples.append(_triple_from_rdflib(s, p, o))
        return QueryResult("graph", triples=triples)
    variables = [str(v) for v in res.vars]
    rows: list[tuple[Term | None, ...]] = []
    for row in res:
        if max_rows is not None and len(rows) >= max_rows:
            return QueryResult("select", variables, rows, truncated=True)
        rows.append(tuple(_from_rdflib_term(row[v]) for v in variables))
    return QueryResult("select", variables, rows)


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint (Oxigraph, Fuseki, GraphDB, QLever, `ftz-kg serve`…)."""

    name = "remote"

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        if not re.match(r"https?://", url):
            raise EndpointError(
                f"--endpoint {url}: give an http(s) URL such as http://127.0.0.1:7878/sparql"
            )
        self.url = url
        self.timeout = timeout

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        _check_not_update(text)
        text = bind_values(_with_prefixes(text), bindings or {})
        graph = query_form(text) in ("construct", "describe")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = detail[0][:300] if detail else exc.reason
            if 400 <= exc.code < 500:
                raise QueryError(
                    f"{self.url} rejected the query (HTTP {exc.code}): {message}"
                ) from exc
            raise EndpointError(f"{self.url} failed (HTTP {exc.code}): {message}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(
                f"{self.url}: cannot reach the endpoint ({reason}); check the URL and that the server runs"
            ) from exc
        try:
            if graph:
                triples = [q.triple for q in ox.parse(payload, format=ox.RdfFormat.N_TRIPLES)]
                return _from_oxigraph_triples(triples, max_rows)
            return _from_oxigraph(
                ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON), max_rows
            )
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url} sent a response that is not {accept}: {exc}") from exc


def _from_oxigraph_triples(triples: list[ox.Triple], max_rows: int | None) -> QueryResult:
    if max_rows is not None and len(triples) > max_rows:
        return QueryResult("graph", triples=triples[:max_rows], truncated=True)
    return QueryResult("graph", triples=triples)


def _with_prefixes(text: str) -> str:
    """Declare the ftz-kg prefixes a query uses without declaring (for engines that do not know them)."""
    declared, used = _prefixes_used(text)
    missing = sorted(p for p in used - declared if p in _PREFIX_STRS)
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{_PREFIX_STRS[p]}>\n" for p in missing) + text


def open_engine(
    engine: str = "store",
    *,
    data: str | Path | None = None,
    endpoint: str | None = None,
    out_dir: str | Path = "out",
    timeout: float = 60.0,
    services: ServicePolicy = NO_SERVICE,
) -> Engine:
    """The engine a query runs on: the embedded store, rdflib in memory, or a remote endpoint.

    ``services`` says which endpoints a local engine may call for ``SERVICE`` (none by
    default); a remote endpoint applies its own policy.
    """
    if endpoint:
        if data:
            raise QueryError("give either --data FILE or --endpoint URL, not both")
        return RemoteEngine(endpoint, timeout)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    from ..rdf.export import graph_file

    if engine == "memory":
        return MemoryEngine.from_file(graph_file(data, out_dir, "kg.trig"), services)
    from .embedded import load_file, open_store

    return StoreEngine(
        load_file(graph_file(data, out_dir)) if data else open_store(out_dir), services
    )


def _resolve_labels(engine: Engine, bindings: Mapping[str, Term | _Label]) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for name, value in bindings.items():
        out[name] = _resolve_label(engine, name, value.text) if isinstance(value, _Label) else value
    return out


_LABEL_QUERY = f"""
SELECT DISTINCT ?entity ?label ?preferred WHERE {{
  {{ ?entity <{SKOS.prefLabel}> ?l . BIND(1 AS ?preferred) }}
  UNION {{ ?entity <{SKOS.altLabel}> ?l . BIND(0 AS ?preferred) }}
  UNION {{ ?entity <{RDFS.label}> ?l . BIND(0 AS ?preferred) }}
  FILTER(STR(?l) = ?label)
}} ORDER BY DESC(?preferred) ?entity
"""


def _resolve_label(engine: Engine, name: str, label: str) -> ox.NamedNode:
    result = engine.query(_LABEL_QUERY, {"label": ox.Literal(label)})
    found = [(row[0], row[2]) for row in result.rows if isinstance(row[0], ox.NamedNode)]
    if not found:
        raise QueryError(
            f"--param {name}={label}: no entity has that label; give an IRI (id:…) or look it up with "
            f"`ftz-kg query label-search --param text={label}`"
        )
    preferred = [e for e, p in found if isinstance(p, ox.Literal) and p.value == "1"]
    candidates = sorted(
        {e.value for e, _ in found} if not preferred else {e.value for e in preferred}
    )
    if len(candidates) > 1:
        raise QueryError(
            f"--param {name}={label}: several entities have that label ({', '.join(_curie(c) for c in candidates)}); "
            "pass one of these IRIs instead"
        )
    return ox.NamedNode(candidates[0])


def run_query(
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str | Engine = "store",
    data: str | Path | None = None,
    endpoint: str | None = None,
    out_dir: str | Path = "out",
    max_rows: int | None = None,
    timeout: float = 60.0,
    services: ServicePolicy = NO_SERVICE,
) -> QueryResult:
    """Run QUERY (text, ``.rq`` file or saved query name) with ``params`` bound safely.

    A ``SERVICE`` call is refused unless ``services`` allows its endpoint.

    Raises :class:`~kg.errors.QueryError` for a malformed query, an unknown saved query or a
    bad parameter, :class:`~kg.errors.StoreError` when there is no store to query, and
    :class:`~kg.errors.EndpointError` when a remote endpoint cannot be reached.
    """
    eng, text, bindings = _prepare(
        query, params, engine, data, endpoint, out_dir, timeout, services
    )
    return eng.query(text, bindings, max_rows=max_rows)


def stream_query(
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str | Engine = "store",
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    max_rows: int | None = None,
    services: ServicePolicy = NO_SERVICE,
) -> QueryResult | RowStream:
    """:func:`run_query`, with a SELECT on the store read lazily: a :class:`RowStream` to
    pass to :func:`stream_result`, so that a result of any size is written in bounded memory.
    Other engines (rdflib in memory) give their whole :class:`QueryResult`."""
    eng, text, bindings = _prepare(query, params, engine, data, None, out_dir, 60.0, services)
    if isinstance(eng, StoreEngine):
        return eng.stream(text, bindings, max_rows=max_rows)
    return eng.query(text, bindings, max_rows=max_rows)


def _prepare(
    query: str,
    params: Mapping[str, str] | None,
    engine: str | Engine,
    data: str | Path | None,
    endpoint: str | None,
    out_dir: str | Path,
    timeout: float,
    services: ServicePolicy,
) -> tuple[Engine, str, dict[str, Term]]:
    resolved = resolve_query(query)
    if not endpoint:
        check_query_size(resolved.text)  # before a local engine is even opened
    raw = _bindings(resolved, params or {})
    eng = (
        engine
        if not isinstance(engine, str)
        else open_engine(
            engine,
            data=data,
            endpoint=endpoint,
            out_dir=out_dir,
            timeout=timeout,
            services=services,
        )
    )
    return eng, resolved.text, _resolve_labels(eng, raw)


# -- output ------------------------------------------------------------------------------


def media_type(kind: str, fmt: str) -> str:
    key = ("graph" if kind == "graph" else "results", fmt)
    return _MEDIA_TYPES[key]


def negotiate(accept: str | None, kind: str) -> str | None:
    """The format for an ``Accept`` header, or None if nothing acceptable can be offered.

    ``kind`` is ``results`` (SELECT/ASK), ``graph`` (CONSTRUCT/DESCRIBE) or ``page`` (an
    entity page: HTML or RDF). ``*/*`` and a missing header give the first offer.
    """
    offers = _ACCEPTED[kind]
    if not accept or not accept.strip():
        return offers[0][1]
    ranges: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media))
    for _, _, media in sorted(ranges):
        for offer, fmt in offers:
            if (
                media == offer
                or media == "*/*"
                or (media.endswith("/*") and offer.startswith(media[:-1]))
            ):
                return fmt
    return None


def format_result(result: QueryResult, fmt: str = "table", *, width: int | None = None) -> bytes:
    """``result`` as bytes: a readable table, or CSV/TSV/JSON/XML (W3C), or Turtle/N-Triples.

    ``width`` is the most terminal columns a table may take (long cells wrap onto several
    lines, CJK characters counting two columns); None shows every cell on one line."""
    if result.kind == "graph":
        return _format_graph(result, "ttl" if fmt == "table" else fmt)
    if fmt not in SELECT_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT/DESCRIBE results; a SELECT or ASK query gives "
            f"{', '.join(SELECT_FORMATS)}"
        )
    if result.kind == "ask":
        return _format_boolean(bool(result.boolean), fmt)
    if fmt == "table":
        return _table(result, width)
    writer = {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt]
    return writer(result)


def _curie(iri: str) -> str:
    best: str | None = None
    for prefix, ns in _PREFIX_STRS.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(_PREFIX_STRS[best])):
            best = prefix
    if best is None:
        return f"<{iri}>"
    return f"{best}:{iri[len(_PREFIX_STRS[best]) :]}"


def _width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _curie(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return term_text(term)


def _fill(widths: Sequence[int], floors: Sequence[int], room: int) -> list[int]:
    """Water-filling: columns narrower than an equal share of ``room`` keep their width,
    columns whose floor is above it keep their floor, the others share what is left."""
    fitted = list(widths)
    active = list(range(len(widths)))
    left = room
    while active:
        share = left // len(active)
        done = [i for i in active if widths[i] <= share or floors[i] >= share]
        if not done:
            for j, col in enumerate(active):
                fitted[col] = share + (1 if j < left % len(active) else 0)
            break
        for i in done:
            fitted[i] = widths[i] if widths[i] <= share else floors[i]
            left -= fitted[i]
        active = [i for i in active if i not in done]
    return fitted


def _fit(
    widths: Sequence[int], floors: Sequence[int], prose: Sequence[bool], room: int
) -> list[int]:
    """Column widths that fit ``room`` terminal columns.

    Prose columns (text with spaces or CJK) wrap first and the others (IRIs, numbers) keep
    their width when the prose still gets a readable share; else every column shares the
    room. ``floors`` (the header's width, at least ``_MIN_COLUMN``) are never shrunk below,
    so a table too wide for even those overflows."""
    if sum(widths) <= room:
        return list(widths)
    fixed = sum(w for w, p in zip(widths, prose, strict=True) if not p)
    wrapping = [i for i, p in enumerate(prose) if p]
    if wrapping and room - fixed > 0:
        share = _fill([widths[i] for i in wrapping], [floors[i] for i in wrapping], room - fixed)
        if all(w >= min(widths[i], _READABLE) for i, w in zip(wrapping, share, strict=True)):
            fitted = list(widths)
            for i, w in zip(wrapping, share, strict=True):
                fitted[i] = w
            return fitted
    return _fill(widths, floors, room)


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` cut into lines at most ``width`` terminal columns wide (CJK characters count 2).

    Lines break after a space or a ``/`` when there is one in the line, else between any
    two characters (Chinese has no spaces); nothing is cut off."""
    width = max(width, 2)
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for c in text:
        w = _width(c)
        if used + w > width and line:
            breaks = [i for i, x in enumerate(line) if x in " /"]
            cut = breaks[-1] + 1 if breaks and breaks[-1] + 1 < len(line) else len(line)
            lines.append("".join(line[:cut]).rstrip())
            line = line[cut:]
            used = _width("".join(line))
        if not line and c == " ":
            continue  # no line starts with the space it was broken at
        line.append(c)
        used += w
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines


def _table(result: QueryResult, width: int | None = None) -> bytes:
    """A terminal table; with ``width``, long cells wrap onto several lines to fit it."""
    headers = [f"?{v}" for v in result.variables]
    cells = [[" ".join(_cell(t).split()) for t in row] for row in result.rows]
    natural = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    gaps = 2 * (len(headers) - 1)
    if width is None:
        widths = natural
    else:
        floors = [
            min(n, max(_width(h), _MIN_COLUMN)) for n, h in zip(natural, headers, strict=True)
        ]
        prose = [
            any(" " in r[i] or _width(r[i]) > len(r[i]) for r in cells) for i in range(len(headers))
        ]
        widths = _fit(natural, floors, prose, max(width - gaps, 0))

    def lines_of(values: Sequence[str]) -> list[str]:
        wrapped = [
            wrap_cell(v, w) if _width(v) > w else [v] for v, w in zip(values, widths, strict=True)
        ]
        height = max((len(c) for c in wrapped), default=1)
        out = []
        for k in range(height):
            parts = [c[k] if k < len(c) else "" for c in wrapped]
            out.append(
                "  ".join(
                    v + " " * (w - _width(v)) for v, w in zip(parts, widths, strict=True)
                ).rstrip()
            )
        return out

    lines = lines_of(headers)
    lines.append("  ".join("─" * w for w in widths))
    rows = [lines_of(r) for r in cells]
    spaced = any(len(r) > 1 for r in rows)  # rows of several lines: a blank line between rows
    for k, row in enumerate(rows):
        if spaced and k:
            lines.append("")
        lines.extend(row)
    n = len(result.rows)
    footer = f"({n} row{'s' if n != 1 else ''}"
    footer += ", truncated)" if result.truncated else ")"
    lines.append(footer)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(result: QueryResult) -> bytes:
    return b"".join(_select_chunks(result.variables, result.rows, "csv", None))


def _csv_row(variables: Sequence[str], row: Sequence[Term | None], first: bool) -> str:
    return ",".join("" if t is None else _csv_field(term_text(t)) for t in row) + "\r\n"


def _nt(term: Term) -> str:
    """N-Triples form, with the Turtle shorthand for canonical numbers and booleans (TSV)."""
    if isinstance(term, ox.Literal) and not term.language:
        pattern = _NUMERIC.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


def _tsv(result: QueryResult) -> bytes:
    return b"".join(_select_chunks(result.variables, result.rows, "tsv", None))


def _tsv_row(variables: Sequence[str], row: Sequence[Term | None], first: bool) -> str:
    return "\t".join("" if t is None else _nt(t) for t in row) + "\n"


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(result: QueryResult) -> bytes:
    return b"".join(_select_chunks(result.variables, result.rows, "json", None))


def _json_row(variables: Sequence[str], row: Sequence[Term | None], first: bool) -> str:
    binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
    text = json.dumps(binding, ensure_ascii=False, separators=(",", ":"))
    return text if first else "," + text


def _xml_term(term: Term) -> str:
    # Characters XML 1.0 forbids (a form feed from a PDF) are dropped: see kg.xmltext.
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(xml_safe(term.value))}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(xml_safe(term.value))}</bnode>"
    if isinstance(term, ox.Literal):
        value = xml_escape(xml_safe(term.value), {"\n": "&#10;", "\r": "&#13;"})
        if term.language:
            return f"<literal xml:lang={quoteattr(xml_safe(term.language))}>{value}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(xml_safe(term.datatype.value))}>{value}</literal>"
        return f"<literal>{value}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(result: QueryResult) -> bytes:
    return b"".join(_select_chunks(result.variables, result.rows, "xml", None))


def _xml_row(variables: Sequence[str], row: Sequence[Term | None], first: bool) -> str:
    parts = ["<result>"]
    for v, t in zip(variables, row, strict=True):
        if t is not None:
            parts.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
    parts.append("</result>")
    return "".join(parts)


def _select_head(variables: Sequence[str], fmt: str) -> str:
    if fmt == "csv":
        return ",".join(_csv_field(v) for v in variables) + "\r\n"
    if fmt == "tsv":
        return "\t".join(f"?{v}" for v in variables) + "\n"
    if fmt == "json":
        head = json.dumps({"vars": list(variables)}, ensure_ascii=False, separators=(",", ":"))
        return '{"head":' + head + ',"results":{"bindings":['
    return (
        f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>'
        + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        + "</head><results>"
    )


_SELECT_TAIL = {"csv": "", "tsv": "", "json": "]}}", "xml": "</results></sparql>"}
_SELECT_ROW = {"csv": _csv_row, "tsv": _tsv_row, "json": _json_row, "xml": _xml_row}
STREAM_CHUNK = 1 << 16  # bytes: what a streamed result is written (or sent) in


def _select_chunks(
    variables: Sequence[str],
    rows: Iterable[Sequence[Term | None]],
    fmt: str,
    chunk: int | None = STREAM_CHUNK,
) -> Iterator[bytes]:
    """A SELECT result in a W3C format, encoded in pieces of about ``chunk`` bytes (one
    piece if None) as the rows come: the rows are never all held at once."""
    row_text = _SELECT_ROW[fmt]
    parts = [_select_head(variables, fmt)]
    size = len(parts[0])
    first = True
    for row in rows:
        text = row_text(variables, row, first)
        first = False
        parts.append(text)
        size += len(text)
        if chunk is not None and size >= chunk:
            yield "".join(parts).encode("utf-8")
            parts.clear()
            size = 0
    parts.append(_SELECT_TAIL[fmt])
    yield "".join(parts).encode("utf-8")


def stream_result(result: QueryResult | RowStream, fmt: str) -> Iterator[bytes]:
    """``result`` formatted as :func:`format_result` does, in pieces written as they are
    made; a :class:`RowStream` in CSV/TSV/JSON/XML is read from the engine as it goes."""
    if isinstance(result, RowStream):
        if fmt not in _SELECT_ROW:
            raise QueryError(f"a streamed result is CSV, TSV, JSON or XML, not {fmt}")
        yield from _select_chunks(result.variables, result, fmt)
        return
    yield format_result(result, fmt)


def _format_boolean(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        return f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head></head><boolean>{word}</boolean></sparql>'.encode()
    if fmt == "table":
        return f"{'yes' if value else 'no'} ({word})\n".encode()
    return f"{word}\n".encode()


def _format_graph(result: QueryResult, fmt: str) -> bytes:
    if fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for SELECT/ASK results; a CONSTRUCT or DESCRIBE query gives "
            f"{', '.join(GRAPH_FORMATS)} (json is JSON-LD, xml is RDF/XML)"
        )
    triples = sorted(result.triples, key=str)
    if fmt == "ttl":
        from ..rdf.serialize import serialize_graph

        return serialize_graph(_rdflib_graph(triples), "ttl")
    if fmt == "nt":
        return serialize_triples(triples, ox.RdfFormat.N_TRIPLES)
    if fmt == "json":
        return serialize_triples(triples, ox.RdfFormat.JSON_LD)
    return serialize_triples((_xml_safe_triple(t) for t in triples), ox.RdfFormat.RDF_XML)


def _xml_safe_triple(triple: ox.Triple) -> ox.Triple:
    """``triple`` with the characters XML 1.0 forbids dropped from its literals and IRIs."""

    def clean(term: Any) -> Any:
        if isinstance(term, ox.Literal):
            value = xml_safe(term.value)
            if value == term.value:
                return term
            if term.language:
                return ox.Literal(value, language=term.language)
            return ox.Literal(value, datatype=term.datatype)
        if isinstance(term, ox.NamedNode):
            value = xml_safe(term.value)
            return term if value == term.value else ox.NamedNode(value)
        if isinstance(term, ox.Triple):
            return _xml_safe_triple(term)
        return term

    return ox.Triple(clean(triple.subject), clean(triple.predicate), clean(triple.object))


def serialize_triples(triples: Iterable[ox.Triple], rdf_format: ox.RdfFormat) -> bytes:
    """Triples as bytes in ``rdf_format`` with the ftz-kg prefixes (where the format has prefixes)."""
    data = ox.serialize(triples, format=rdf_format, prefixes=_PREFIX_STRS)
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    return data


def _rdflib_graph(triples: Iterable[ox.Triple]) -> Any:
    from rdflib import Graph

    from ..namespaces import bind_prefixes

    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for t in triples:
        graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return graph
