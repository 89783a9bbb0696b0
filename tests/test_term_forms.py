"""The terms a drawing makes once and shares, and the prefixed names a Formatter finds by
one look-up: the same terms and forms as made afresh each time (sixteenth round)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.model import Entity
from kg.namespaces import DCTERMS, FTZ, ID, PROV, RDF, SKOS
from kg.rdf import graph as graph_module
from kg.rdf.assemble import _PREFIXES
from kg.rdf.iris import (
    _short_hash,
    assertion_iri,
    mention_iri,
    observation_iri,
    sentence_iri,
)
from kg.rdf.rdfwrite import Formatter


def _fresh_decimal(value: Decimal) -> Literal:
    """What ``_decimal`` made before it kept its literals."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return Literal(text, datatype=XSD.decimal)


# Equal Decimals that print apart (0 and -0) come right after each other, so that a cache
# keyed by the value would hand the first one's literal to the second.
_VALUES = ["0", "-0", "0.0", "-0.00", "1.50", "1.5", "15E-1", "1E+1", "10", "-2.250", "1234567.890"]


def test_a_decimal_literal_is_the_one_made_afresh_and_shared_by_its_text() -> None:
    made = {}
    for raw in _VALUES:
        value = Decimal(raw)
        literal = graph_module._decimal(value)
        expected = _fresh_decimal(value)
        assert type(literal) is Literal
        assert (str(literal), literal.datatype) == (str(expected), expected.datatype), raw
        assert literal.eq(expected) and literal == expected
        made.setdefault(str(literal), literal)
        # one object per text: the writers find a shared literal's form by its id
        assert made[str(literal)] is literal
    assert str(graph_module._decimal(Decimal("-0"))) == "-0"
    assert str(graph_module._decimal(Decimal("0"))) == "0"


def test_a_mention_iri_hashes_its_entity_as_before() -> None:
    entities = [
        Entity("Area", "浦东片区"),
        Entity("Sector", "浦东片区"),  # the same label in another class
        Entity("Area", "浦东片区", "https://w3id.org/ftz-kg/id/area/x"),  # a lexicon key
        Entity("Organization", "先声"),
        Entity("Organization", "先生"),
    ]
    for entity in entities * 2:  # the second pass reads what the first kept
        expected = (
            "https://w3id.org/ftz-kg/id/mention/0123456789ab-3-7-"
            + _short_hash(entity.cls, entity.label)[:6]
        )
        assert str(mention_iri("0123456789abcdef", 3, 7, entity)) == expected


def test_a_text_node_iri_is_the_one_the_namespace_makes() -> None:
    """The IRIs of a text's nodes are made without rdflib's Namespace (kg.rdf.iris._minted):
    each must be the very URIRef ``ID[local]`` gives, of the same type, equal and with the
    same hash, so that sets of triples and the writers treat the two alike."""
    entity = Entity("Area", "浦东片区")
    zone = ID["zone/x"]
    pairs = [
        (sentence_iri("0123456789abcdef", 0), ID["sentence/0123456789ab-0"]),
        (sentence_iri("fedcba9876543210", 12345), ID["sentence/fedcba987654-12345"]),
        (
            mention_iri("0123456789abcdef", 3, 7, entity),
            ID[f"mention/0123456789ab-3-7-{_short_hash('Area', '浦东片区')[:6]}"],
        ),
        (observation_iri("0123456789abcdef", 3, 7), ID["obs/0123456789ab-3-7"]),
        (
            assertion_iri(zone, ID["p"], zone),
            ID[f"assertion/{_short_hash(str(zone), str(ID['p']), str(zone))}"],
        ),
    ]
    for made, expected in pairs:
        assert type(made) is type(expected) is URIRef
        assert made == expected and str(made) == str(expected)
        assert hash(made) == hash(expected)
        assert {made: 1}[expected] == 1
        assert made.n3() == expected.n3()


def _looped(fmt: Formatter, iri: str) -> str:
    """Formatter.iri as it was: every namespace tried, longest first."""
    fmt.by_namespace = None
    return fmt.iri(iri)


_IRIS = [
    "https://w3id.org/ftz-kg/id/doc-x",
    "https://w3id.org/ftz-kg/id/mention/0123-1-2-abcdef",  # a "/" in the local part
    "https://w3id.org/ftz-kg/id/area/pu-dong-pian-qu-1a2b3c",
    "https://w3id.org/ftz-kg/ontology#Area",
    "https://w3id.org/ftz-kg/ontology#",  # no local part
    "https://w3id.org/ftz-kg/id/",
    "https://w3id.org/ftz-kg/id/9x",  # a local part that starts with a digit
    "https://w3id.org/ftz-kg/id/a.b",  # a "." in it
    "https://w3id.org/ftz-kg/id/x#y",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://purl.org/dc/terms/title",
    "http://purl.org/dc/terms/title/more",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://example.org/other#thing",
    "urn:x-rdflib:default",
    "https://w3id.org/ftz-kg/id/_under-score_9",
    "https://w3id.org/ftz-kg/id/x\n",  # "$" also matches before a final newline
]


@pytest.mark.parametrize(
    "prefixes",
    [
        _PREFIXES,
        {"id": "https://w3id.org/ftz-kg/id/", "area": "https://w3id.org/ftz-kg/id/area/"},
        # a namespace that ends mid-word: every one is tried, as before
        {"doc": "https://w3id.org/ftz-kg/id/doc-", "id": "https://w3id.org/ftz-kg/id/"},
        {},
    ],
)
def test_a_prefixed_name_found_by_one_lookup_is_the_one_the_loop_finds(
    prefixes: dict[str, str],
) -> None:
    fast, slow = Formatter(prefixes), Formatter(prefixes)
    ends = all(ns.endswith(("/", "#")) for ns in prefixes.values())
    assert (fast.by_namespace is not None) == ends
    for iri in _IRIS:
        assert fast.iri(iri) == _looped(slow, iri), iri
    assert fast.used == slow.used
    if prefixes is _PREFIXES:
        assert fast.iri(_IRIS[0]) == "id:doc-x"
        assert fast.iri(_IRIS[1]) == f"<{_IRIS[1]}>"


def test_the_drawings_terms_are_the_namespaces_own_objects() -> None:
    """kg.rdf.graph keeps the terms it adds to each node in constants named after them
    (``_FTZ_IN_SENTENCE`` is ``FTZ.inSentence``): each must be the very object its
    namespace gives, so that no constant draws another predicate or class than its name
    says, and the writers' look-ups by id meet one object per term."""
    namespaces = {"RDF": RDF, "FTZ": FTZ, "PROV": PROV, "DCTERMS": DCTERMS, "SKOS": SKOS}
    found = 0
    for name, value in vars(graph_module).items():
        match = re.fullmatch(r"_(RDF|FTZ|PROV|DCTERMS|SKOS)_([A-Z_]+)", name)
        if match is None:
            continue
        namespace, snake = match.groups()
        local = re.split(r"[#/]", str(value))[-1]
        assert re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", local).upper() == snake, name
        assert value is getattr(namespaces[namespace], local), name
        found += 1
    assert found >= 20  # the constants are there to be checked
