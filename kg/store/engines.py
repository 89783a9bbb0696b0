"""The engines a query runs on: the embedded store, rdflib in memory and a remote endpoint,
with readable syntax errors."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from ..errors import EndpointError, QueryError
from ..fuzzy import did_you_mean, suggest
from ..namespaces import PREFIXES
from .outbound import NO_SERVICE, ServicePolicy, service_endpoints, upstream_safe
from .query_text import (
    _position,
    _prefixes_used,
    _tokens,
    bind_values,
    check_query_size,
    query_form,
)
from .results import _PREFIX_STRS, QueryResult, RowStream, Term, _to_rdflib

if TYPE_CHECKING:
    from rdflib import Dataset

ENGINES = ("store", "memory")


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
