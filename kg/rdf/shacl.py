"""A SHACL Core checker compiled from ``ontology/shapes.ttl`` into Python over triple indexes.

pySHACL re-reads the data graph through rdflib for every constraint of every focus node:
a full check of one large document's graph (140 k triples) takes over half a minute, a
corpus graph hours, so builds used to check a sample. The shapes use a small part of SHACL
Core (simple predicate paths and the components in :data:`COMPONENTS`); this module reads
them once into plain records and checks every focus node against dictionaries built from
the triples in one pass: linear in the graph, a few seconds for a corpus.

The results are those of pySHACL run on the same data (``kg.rdf.validate.with_supertypes``:
the data, the ontology and ``rdf:type`` closed over ``rdfs:subClassOf``): one per focus
node, path, constraint component and value node, as pySHACL reports them
(``tests/test_shacl.py`` checks this on a set of broken graphs). Shapes that use anything
else raise :class:`UnsupportedShapes`, and :mod:`kg.rdf.validate` falls back to pySHACL.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import RDF, RDFS, SH, XSD
from .gcpause import paused_gc

__all__ = ["Shapes", "ShaclResult", "UnsupportedShapes", "compile_shapes", "check"]

Triple = tuple[Node, Node, Node]
Values = set[Node] | list[Node]  # a node's values for a predicate, each once
# One graph's triples by subject, then predicate IRI (kg.rdf.rdfwrite.subject_blocks)
Grouped = Mapping[Node, dict[str, list[Node]]]

# What a shape may say, besides its targets and sh:property: the constraint parameters
# implemented below. Anything else (sh:sparql, complex paths...) is unsupported.
COMPONENTS = {
    "class",
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "in",
    "minLength",
    "maxLength",
    "minInclusive",
    "lessThan",
    "not",
    "or",
    "and",
    "xone",
    "qualifiedValueShape",
    "qualifiedMinCount",
    "qualifiedMaxCount",
}
_IGNORED = {"message", "name", "description", "order", "group", "targetClass",
            "targetSubjectsOf", "targetNode", "targetObjectsOf", "path", "property"}  # fmt: skip
_COUNTS = {"minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount",
           "qualifiedMaxCount"}  # fmt: skip
_LANG_STRING = RDF.langString
_TYPE = sys.intern(str(RDF.type))
_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature this checker does not implement."""


@dataclass(frozen=True)
class ShaclResult:
    """One violation: what pySHACL reports as focus node, path, component, value, message."""

    focus: Node
    path: Node | None
    component: str  # e.g. "ClassConstraintComponent"
    value: Node | None
    message: str


@dataclass
class Shape:
    node: Node
    path: URIRef | None = None  # a property shape's (simple) path
    params: dict[str, Any] = field(default_factory=dict)
    properties: list[Shape] = field(default_factory=list)
    message: str = ""
    target_classes: list[Node] = field(default_factory=list)
    target_subjects_of: list[Node] = field(default_factory=list)
    target_nodes: list[Node] = field(default_factory=list)
    target_objects_of: list[Node] = field(default_factory=list)


@dataclass
class Shapes:
    """The shapes with a target (node shapes), and every predicate they read."""

    roots: list[Shape]
    predicates: frozenset[Node]


def compile_shapes(graph: Graph) -> Shapes:
    """Read the shapes of ``graph`` (raises :class:`UnsupportedShapes`)."""
    compiled: dict[Node, Shape] = {}
    predicates: set[Node] = {RDF.type, RDFS.subClassOf}

    def shape(node: Node) -> Shape:
        if node in compiled:
            return compiled[node]
        s = compiled[node] = Shape(node)
        for p, o in graph.predicate_objects(node):
            if not str(p).startswith(str(SH)):
                continue
            name = str(p)[len(str(SH)) :]
            if name == "path":
                if not isinstance(o, URIRef):
                    raise UnsupportedShapes(f"{node}: only predicate paths are supported")
                s.path = o
                predicates.add(o)
            elif name == "property":
                s.properties.append(shape(o))
            elif name == "message":
                s.message = str(o)
            elif name == "targetClass":
                s.target_classes.append(o)
            elif name == "targetSubjectsOf":
                s.target_subjects_of.append(o)
                predicates.add(o)
            elif name == "targetObjectsOf":
                s.target_objects_of.append(o)
                predicates.add(o)
            elif name == "targetNode":
                s.target_nodes.append(o)
            elif name in _IGNORED:
                continue
            elif name not in COMPONENTS:
                raise UnsupportedShapes(f"{node}: sh:{name} is not supported")
            elif name in ("in", "languageIn"):
                s.params[name] = list(Collection(graph, o))
            elif name in ("not", "qualifiedValueShape"):
                s.params[name] = shape(o)
            elif name in ("or", "and", "xone"):
                s.params[name] = [shape(member) for member in Collection(graph, o)]
            elif name in ("pattern",):
                s.params[name] = str(o)
            elif name in _COUNTS:
                s.params[name] = int(str(o))
            elif name == "uniqueLang":
                s.params[name] = bool(o.toPython()) if isinstance(o, Literal) else False
            elif name == "lessThan":
                s.params[name] = o
                predicates.add(o)
            else:
                s.params[name] = o
        if "flags" in s.params:
            raise UnsupportedShapes(f"{node}: sh:flags is not supported")
        return s

    roots = []
    for node in sorted(set(graph.subjects()), key=str):
        if any(
            (node, SH[t], None) in graph
            for t in ("targetClass", "targetSubjectsOf", "targetNode", "targetObjectsOf")
        ):
            roots.append(shape(node))
    return Shapes(roots, frozenset(predicates))


class _Index:
    """subject → predicate → values, for the predicates the shapes read.

    With ``supers`` (class → its superclasses), the types the ``triples`` give are closed
    over them, and the triples ``after`` are added as they are: the index of
    :func:`kg.rdf.validate.closed` of the data and the ontology, without making its
    triples one by one. ``grouped`` are graphs whose triples the drawing has already
    grouped by subject (:func:`kg.rdf.rdfwrite.subject_blocks`' ``subjects``), taken in a
    look-up per subject (:meth:`adopt`) before ``triples``.

    A node's values for a predicate are distinct terms: a set, or, as a graph's grouping
    gives them, a list (hashing every object, rdflib's literals in Python, cost about as
    much as the rest of the index)."""

    def __init__(
        self,
        triples: Iterable[Triple],
        predicates: frozenset[Node],
        objects: bool = False,
        supers: Mapping[Node, Iterable[Node]] | None = None,
        after: Iterable[Triple] = (),
        grouped: Iterable[Grouped] = (),
    ) -> None:
        # Predicates are keyed by their plain string: rdflib terms hash in Python, and
        # every triple is looked up by its predicate two or three times. One string object
        # per predicate (interned, as the checks' keys are): look-ups stop at identity.
        self.wanted = {sys.intern(str(p)) for p in predicates}
        self.objects = objects
        self.out: dict[Node, dict[str, Values]] = {}
        self.by_object: dict[str, set[Node]] = defaultdict(set)
        for subjects in grouped:
            self.adopt(subjects)
        self._add(triples)
        # One object per class IRI, the data's first where it has one: the ontology's
        # parser made one per triple, and a set or dict meeting an equal object of another
        # identity compares the two with rdflib's __eq__, in Python (the check of a
        # corpus: 1.35 M calls, 0.4 M after).
        one: dict[str, Node] = {}
        if supers:
            self._close({str(cls): list(found) for cls, found in supers.items()}, one)
        self._add(_same_objects(after, one))
        self._subjects: dict[str, set[Node]] = {}  # the lists as sets, made when asked
        # Each subject once per predicate and once per class (its types are distinct),
        # in the order of the index: a graph's triples given one by one are in the order
        # they lie in memory, and a check visits its focus nodes in that order.
        lists: dict[str, list[Node]] = {key: [] for key in self.wanted}
        instances: dict[Node, list[Node]] = defaultdict(list)
        for s, props in self.out.items():
            for key in props:
                lists[key].append(s)
            for cls in props.get(_TYPE, ()):
                instances[cls].append(s)
        self._subject_lists = lists
        self.instances = instances
        self._subclasses: dict[Node, set[Node]] = {}

    def adopt(self, subjects: Grouped) -> None:
        """Add one graph's triples grouped by subject, each subject's objects distinct.
        The lists are not changed: where another graph gave the subject too, the values
        are merged into new sets."""
        wanted, out, objects = self.wanted, self.out, self.objects
        for s, found in subjects.items():
            props = out.get(s)
            if props is None:
                if found.keys() <= wanted:
                    props = out[s] = dict(found)
                else:
                    props = out[s] = {k: v for k, v in found.items() if k in wanted}
                if objects:  # only sh:targetObjectsOf reads them
                    for key, values in props.items():
                        self.by_object[key].update(values)
                continue
            for key, values in found.items():
                if key in wanted:
                    before = props.get(key)
                    props[key] = set(values) if before is None else {*before, *values}
                    if objects:
                        self.by_object[key].update(values)

    def _add(self, triples: Iterable[Triple]) -> None:
        # Plain dicts and sets, filled without defaultdict's calls: this loop sees every
        # triple of the graph.
        wanted, out = self.wanted, self.out
        objects, objects_of = self.objects, self.by_object
        # The key of each predicate term object, by its id: a drawn graph shares a few
        # hundred predicate objects among all its triples, and str() copied and hashed an
        # IRI per triple (the index of 348 k triples: 0.41-0.55 s against 0.50-0.64 s).
        # The term is kept beside its key so that no other object takes its id meanwhile.
        keys: dict[int, tuple[Node, str | None]] = {}
        for s, p, o in triples:
            known = keys.get(id(p))
            if known is None:
                text = sys.intern(str(p))
                known = keys[id(p)] = (p, text if text in wanted else None)
            key = known[1]
            if key is not None:
                props = out.get(s)
                if props is None:
                    out[s] = {key: {o}}
                else:
                    values = props.get(key)
                    if values is None:
                        props[key] = {o}
                    elif type(values) is set:
                        values.add(o)
                    elif o not in values:  # an adopted graph's list, left as it is
                        props[key] = {*values, o}
                if objects:  # only sh:targetObjectsOf reads them
                    objects_of[key].add(o)

    def _close(self, supers: Mapping[str, list[Node]], one: dict[str, Node]) -> None:
        """Add the superclasses of the types indexed so far (by class IRI in ``supers``),
        each as the object ``one`` holds for it (the types seen are added to it)."""
        # A type's superclasses by the type object's id (kept beside them, so that no other
        # object takes the id): a drawn graph shares one object per class among its nodes.
        # The type itself, which ``supers`` lists too, is left out: it is there already.
        known: dict[int, tuple[Node, list[Node]]] = {}
        for props in self.out.values():
            types = props.get(_TYPE)
            if types:
                parents: list[Node] = []
                for t in types:
                    found = known.get(id(t))
                    if found is None or found[0] is not t:
                        one.setdefault(str(t), t)
                        above = supers.get(str(t), ())
                        others = [one.setdefault(str(p), p) for p in above if p != t]
                        found = known[id(t)] = (t, others)
                    parents += found[1]
                if parents:
                    if type(types) is set:
                        types.update(parents)
                    else:  # an adopted graph's list, left as it is
                        props[_TYPE] = {*types, *parents}
                    if self.objects:
                        self.by_object[_TYPE].update(parents)

    def subjects_of(self, predicate: Node) -> set[Node]:
        key = str(predicate)
        found = self._subjects.get(key)
        if found is None:
            found = self._subjects[key] = set(self._subject_lists.get(key, ()))
        return found

    def subject_list(self, predicate: Node) -> list[Node]:
        """:meth:`subjects_of`, in the order of the index."""
        return self._subject_lists.get(str(predicate), [])

    def objects_of(self, predicate: Node) -> set[Node]:
        return self.by_object.get(str(predicate), set())

    def values(self, node: Node, path: Node) -> Values:
        props = self.out.get(node)
        if props is None:
            return []
        return props.get(str(path), [])

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class below it (rdfs:subClassOf*, in the data)."""
        found = self._subclasses.get(cls)
        if found is None:
            if not hasattr(self, "_below"):
                below: dict[Node, set[Node]] = defaultdict(set)
                for sub in self.subjects_of(RDFS.subClassOf):
                    for sup in self.values(sub, RDFS.subClassOf):
                        below[sup].add(sub)
                self._below = below
            found, todo = {cls}, [cls]
            while todo:
                for sub in self._below.get(todo.pop(), ()):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
            # The classes as the data's objects (the index's first of each): a node's types
            # are then found in the set by identity, where the ontology's equal objects were
            # compared by rdflib's __eq__, in Python (0.7 M calls over a corpus).
            data = {c: c for c in self.instances}
            found = {data.get(c, c) for c in found}
            self._subclasses[cls] = found
        return found

    def has_class(self, node: Node, cls: Node) -> bool:
        types = self.values(node, RDF.type)
        return bool(types) and not self.subclasses(cls).isdisjoint(types)


def _same_objects(triples: Iterable[Triple], one: dict[str, Node]) -> Iterator[Triple]:
    """``triples`` with each subject and object IRI as the object ``one`` holds for it
    (added to it when new)."""
    for s, p, o in triples:
        if type(s) is URIRef:
            s = one.setdefault(str(s), s)
        if type(o) is URIRef:
            o = one.setdefault(str(o), o)
        yield s, p, o


def _lang_matches(tag: str, wanted: str) -> bool:
    tag, wanted = tag.lower(), wanted.lower()
    return wanted == "*" or tag == wanted or tag.startswith(wanted + "-")


def _well_formed(value: Literal) -> bool:
    return not getattr(value, "ill_typed", False)


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    if value.language is not None:
        return datatype == _LANG_STRING
    actual = value.datatype or XSD.string
    # rdflib's == of two terms, compared in C: the same type and the same string
    same = type(actual) is type(datatype) and str.__eq__(actual, datatype)
    return same and _well_formed(value)


def _number(value: Node) -> Decimal | None:
    if not isinstance(value, Literal) or value.language is not None:
        return None
    python = value.toPython()
    if isinstance(python, bool) or not isinstance(python, (int, float, Decimal)):
        return None
    try:
        return Decimal(str(python))
    except InvalidOperation:
        return None


def check(
    triples: Iterable[Triple],
    shapes: Shapes,
    supers: Mapping[Node, Iterable[Node]] | None = None,
    after: Iterable[Triple] = (),
    grouped: Iterable[Grouped] = (),
) -> list[ShaclResult]:
    """Every violation of ``shapes`` by the graph ``triples`` (one pass to index them).

    ``triples`` must already hold the ontology and the closed types (as pySHACL's data
    graph in :mod:`kg.rdf.validate` does), or be given them: the data's types are closed
    over ``supers`` (class → superclasses) and the ontology's triples are ``after``.
    ``grouped`` are more graphs of the data, grouped by subject (:class:`_Index`)."""
    from .shacl_run import Checker  # it reads this module's records and helpers

    # The index is hundreds of thousands of small containers, none cyclic: the cyclic
    # collector's passes over them while it is filled would cost more than the filling.
    with paused_gc():
        objects = any(shape.target_objects_of for shape in shapes.roots)
        index = _Index(triples, shapes.predicates, objects, supers, after, grouped)
        checker = Checker(index)
        results: list[ShaclResult] = []
        for shape in shapes.roots:
            checker.check(shape, results)
        return results
