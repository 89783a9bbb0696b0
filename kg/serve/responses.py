"""What the endpoint answers besides query results: ``format=`` overrides, the saved queries
for the editor, the SPARQL service description and the entity page."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID
from starlette.responses import (
    PlainTextResponse,
    Response,
)

from ..errors import QueryError
from ..namespaces import DCTERMS, ID, RDF, SKOS, bind_prefixes
from ..store.saved_queries import SavedQuery

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")

ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

_RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
]

_GRAPH_FORMATS = ["Turtle", "N-Triples", "RDF_XML", "JSON-LD"]

# ``format=`` / ``output=`` values (Virtuoso, Fuseki and SPARQLWrapper send them) by kind of result
_RESULTS_SHORT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}

_GRAPH_SHORT = {
    "ttl": "ttl",
    "turtle": "ttl",
    "n3": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "xml": "xml",
    "rdf": "xml",
    "rdf+xml": "xml",
    "json": "json",
    "json-ld": "json",
    "jsonld": "json",
}


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(
        message.rstrip() + "\n", status_code=status, headers=dict(headers or {})
    )


def _format_override(values: list[str], graph_kind: bool) -> str | Response | None:
    """The format asked for with ``format=``/``output=``; None to negotiate on ``Accept``.

    Values may be short names (csv, json, turtle…) or media types; unknown values are
    ignored, as other endpoints do, but a format only the other kind of query gives is an
    error that says which formats fit.
    """
    from ..store.formats import negotiate

    mine, other = (_GRAPH_SHORT, _RESULTS_SHORT) if graph_kind else (_RESULTS_SHORT, _GRAPH_SHORT)
    wrong = ""
    for value in values:
        v = value.strip().lower()
        if "/" in v:
            found = negotiate(v, "graph" if graph_kind else "results") if "*" not in v else None
            if found:
                return found
            continue
        if v in mine:
            return mine[v]
        if v in other:
            wrong = wrong or v
    if wrong:
        kinds = (
            "CONSTRUCT/DESCRIBE give ttl, nt, xml or json"
            if graph_kind
            else "SELECT/ASK give json, xml, csv or tsv"
        )
        return _text(400, f"format={wrong} does not fit this query: {kinds}")
    return None


def _query_for_ui(saved: SavedQuery) -> dict[str, object]:
    """A saved query for the editor: its text with the default parameters in a VALUES block."""
    from ..store.params import parse_param
    from ..store.query_text import bind_values
    from ..store.results import Term

    data = saved.as_dict()
    bound: dict[str, Term] = {}
    for p in saved.params:
        if p.default is None:
            continue
        value = parse_param(p.name, p.default, p.type)
        if isinstance(value, ox.NamedNode | ox.Literal):
            bound[p.name] = value
    try:
        data["editor_text"] = bind_values(saved.text, bound) if bound else saved.text
    except QueryError:
        data["editor_text"] = saved.text
    return data


def _service_description(endpoint: URIRef, graphs: list[str], triples: int | None) -> Graph:
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.bind("sd", SD)
    g.bind("formats", FORMATS_NS)
    g.bind("void", VOID)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    g.add((endpoint, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    g.add((endpoint, DCTERMS.title, Literal("ftz-kg SPARQL endpoint (read-only)", lang="en")))
    for name in _RESULT_FORMATS + _GRAPH_FORMATS:
        g.add((endpoint, SD.resultFormat, FORMATS_NS[name]))
    dataset = BNode("dataset")
    default = BNode("defaultGraph")
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    if triples is not None:
        g.add((default, VOID.triples, Literal(triples)))
    for i, name in enumerate(graphs):
        node = BNode(f"namedGraph{i}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    return g


def _link(term: Any, labels: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        if term.value.startswith(str(ID)):
            href = "/id/" + term.value[len(str(ID)) :]
            text = html.escape(label or term.value[len(str(ID)) :])
            return f'<a href="{html.escape(href)}">{text}</a>'
        from ..store.formats import _curie

        return f'<a href="{html.escape(term.value)}">{html.escape(label or _curie(term.value))}</a>'
    if isinstance(term, ox.Literal):
        lang = f' <span class="lang">@{html.escape(term.language)}</span>' if term.language else ""
        return html.escape(term.value) + lang
    return html.escape(str(term))


def _entity_page(iri: str, triples: list[ox.Triple], sources: list[tuple[str | None, ...]]) -> str:
    from ..store.formats import _curie

    def iri_of(term: object) -> str:
        return term.value if isinstance(term, ox.NamedNode) else ""

    labels: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == str(SKOS.prefLabel) and isinstance(t.object, ox.Literal):
            labels.setdefault(iri_of(t.subject), t.object.value)
    title = labels.get(iri, iri)
    outgoing = sorted(
        (t for t in triples if iri_of(t.subject) == iri),
        key=lambda t: (t.predicate.value, str(t.object)),
    )
    incoming = sorted(
        (t for t in triples if iri_of(t.object) == iri and iri_of(t.subject) != iri),
        key=lambda t: (t.predicate.value, str(t.subject)),
    )
    rows_out = "".join(
        f"<tr><th>{html.escape(_curie(t.predicate.value))}</th><td>{_link(t.object, labels)}</td></tr>"
        for t in outgoing
    )
    rows_in = "".join(
        f"<tr><td>{_link(t.subject, labels)}</td><th>{html.escape(_curie(t.predicate.value))}</th></tr>"
        for t in incoming
    )
    rows_src = "".join(f"<li>{html.escape(row[2] or '')}</li>" for row in sources)
    turtle = "/id/" + iri[len(str(ID)) :]
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{html.escape(title)} · ftz-kg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="text/turtle" href="{html.escape(turtle)}">
<link rel="stylesheet" href="/static/sparql.css"></head>
<body class="entity"><header><a href="/">ftz-kg SPARQL</a></header>
<main><h1>{html.escape(title)}</h1><p class="iri"><code>{html.escape(iri)}</code>
 · <a href="{html.escape(turtle)}?format=ttl">Turtle</a></p>
<h2>陈述 Statements</h2><table>{rows_out}</table>
<h2>被引用 Referenced by</h2><table>{rows_in or "<tr><td>—</td></tr>"}</table>
<h2>出处 Source sentences</h2><ol>{rows_src or "<li>—</li>"}</ol>
</main></body></html>
"""
