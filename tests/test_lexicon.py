"""The lexicon states facts (a place's chain, an area's zone, a corridor's countries) that
enter every graph whose text names the entity: it must itself conform to the shapes."""

from __future__ import annotations

from rdflib import Graph

from kg.rdf.graph import load_ontology
from kg.rdf.shacl import check, compile_shapes
from kg.rdf.validate import closed, load_shapes
from kg.resources import ontology_file


def test_the_lexicon_conforms_to_the_shapes() -> None:
    lexicon = Graph()
    lexicon.parse(str(ontology_file("lexicon.ttl")))
    found = check(closed(lexicon, load_ontology()), compile_shapes(load_shapes()))
    assert not found, [(str(r.focus), r.message) for r in found][:5]
