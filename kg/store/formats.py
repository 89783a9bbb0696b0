"""Query results written out: a terminal table, the W3C result formats (CSV, TSV, JSON, XML)
whole or streamed, and graphs as RDF; media types and content negotiation."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..errors import QueryError
from ..rdf.xmltext import xml_safe
from .results import (
    _NUMERIC,
    _PREFIX_STRS,
    _XSD_STRING,
    QueryResult,
    RowStream,
    Term,
    _to_rdflib,
    term_text,
)

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")

GRAPH_FORMATS = ("ttl", "nt", "json", "xml")

FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt")

RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

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
    # Characters XML 1.0 forbids (a form feed from a PDF) are dropped: see kg.rdf.xmltext.
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
