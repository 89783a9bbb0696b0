"""The compiled shapes of :mod:`kg.rdf.shacl` turned into closures, one per shape and constraint.

Interpreting a shape for every focus node (a loop over its parameters, a string compare
per parameter, a generator per shape and property) cost more than the checks themselves:
a graph of 250 k triples runs a quarter of a million shape visits. Each shape is turned
once into a function that appends its violations to a list, and each constraint into a
function over the focus node's values; the checks, their order and their results are
those of the plain reading of SHACL Core that :mod:`kg.rdf.shacl` documents.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal

from rdflib import BNode, Literal
from rdflib.term import Node

from .shacl import (
    _NODE_KINDS,
    _TYPE,
    ShaclResult,
    Shape,
    _has_datatype,
    _Index,
    _lang_matches,
    _number,
)

__all__ = ["Checker"]

Results = list[ShaclResult]
Run = Callable[[Node, Results], None]
Constraint = Callable[[Node, Collection[Node], Results], None]
Fail = Callable[[Node, str, Node | None], ShaclResult]
Bad = Callable[[Node], bool]  # a test of one value (true: it violates the constraint)
_EMPTY: frozenset[Node] = frozenset()


class Checker:
    """Runs shapes over one :class:`_Index`; each shape is compiled on first use."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self._runs: dict[int, Run] = {}  # by id: shapes are mutable dataclasses
        self._keep: list[Shape] = []  # so that the ids above stay theirs
        # Property shapes with no properties of their own: their path and checks, by id.
        self._leaves: dict[int, tuple[str, list[Constraint]]] = {}
        self._verdicts: dict[int, Bad] = {}  # by id, as _runs
        # A value's number (_number) by the value's id, the value kept so that no other
        # object takes its id: a mention's start offset is read by sh:minInclusive and by
        # sh:lessThan, and the drawing shares one literal per offset among its nodes.
        self._numbers: dict[int, tuple[Node, Decimal | None]] = {}

    def number(self, value: Node) -> Decimal | None:
        """:func:`kg.rdf.shacl._number` of ``value``, made once per value object."""
        known = self._numbers.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        found = _number(value)
        self._numbers[id(value)] = (value, found)
        return found

    def focus_nodes(self, shape: Shape) -> Collection[Node]:
        """The focus nodes of ``shape``, each once, mostly in the order of the index: a
        corpus graph's nodes visited in the (hash) order of a set made a cache miss of
        nearly every look-up (the checks of the corpus graph: 4.4-4.8 s of thread time, in
        order 3.0-3.2 s)."""
        found: dict[Node, None] = dict.fromkeys(shape.target_nodes)
        instances = self.index.instances
        for cls in shape.target_classes:
            for sub in self.index.subclasses(cls):
                found.update(dict.fromkeys(instances.get(sub, ())))
        for p in shape.target_subjects_of:
            found.update(dict.fromkeys(self.index.subject_list(p)))
        for p in shape.target_objects_of:
            found.update(dict.fromkeys(self.index.objects_of(p)))
        return found.keys()

    def check(self, shape: Shape, results: Results) -> None:
        run = self.run(shape)
        for focus in self.focus_nodes(shape):
            run(focus, results)

    def conforming(self, shape: Shape) -> Bad:
        """Whether a node conforms to ``shape`` (for sh:not, sh:qualifiedValueShape, sh:or…),
        made once per shape. A shape of value tests alone (no path, no property: each such
        shape of ontology/shapes.ttl) is its tests, called on the node: a verdict per value
        of a corpus (413 k) ran the shape, with a list for its results, three calls deeper."""
        found = self._verdicts.get(id(shape))
        if found is None:
            self._keep.append(shape)
            key = id(shape)
            # What a shape that refers to itself reads while it is being compiled.
            self._verdicts[key] = lambda v: self._verdicts[key](v)
            found = self._verdicts[key] = self._verdict(shape)
        return found

    def _verdict(self, shape: Shape) -> Bad:
        tests: list[Bad] = []
        if shape.path is None and not shape.properties:
            for name, param in shape.params.items():
                test = self._value_test(name, param)
                if test is not None:
                    tests.append(test[1])
                elif self._node_constraint(name, param, shape.params, _no_fail) is not None:
                    break  # a component that is no value test: the shape is run
            else:
                if len(tests) == 1:
                    (bad,) = tests
                    return lambda v: not bad(v)
                return lambda v: not any(bad(v) for bad in tests)
        run = self.run(shape)

        def conforms(v: Node) -> bool:
            found: Results = []
            run(v, found)
            return not found

        return conforms

    def run(self, shape: Shape) -> Run:
        found = self._runs.get(id(shape))
        if found is None:
            self._keep.append(shape)
            found = self._runs[id(shape)] = self._compile(shape)
        return found

    def _compile(self, shape: Shape) -> Run:
        path, message = shape.path, shape.message

        def fail(focus: Node, component: str, value: Node | None) -> ShaclResult:
            return ShaclResult(focus, path, component, value, message)

        constraints = [
            self._constraint(name, param, shape.params, fail)
            for name, param in shape.params.items()
        ]
        checks = [c for c in constraints if c is not None]
        properties = [self.run(prop) for prop in shape.properties]
        out_index = self.index.out
        key = None if path is None else sys.intern(str(path))
        if key is not None and not shape.properties:
            self._leaves[id(shape)] = (key, checks)
        leaves = [self._leaves.get(id(prop)) for prop in shape.properties]
        if properties and all(leaf is not None for leaf in leaves):
            # Property shapes of their own paths only (all of ontology/shapes.ttl's): their
            # checks run here, on values read from the focus node's entry once, in the
            # order of the calls they replace.
            inline = [leaf for leaf in leaves if leaf is not None]

            def run_inline(focus: Node, results: Results) -> None:
                props = out_index.get(focus)
                values: Collection[Node]
                if key is None:
                    values = (focus,)
                else:
                    values = _EMPTY if props is None else props.get(key, _EMPTY)
                for check in checks:
                    check(focus, values, results)
                for prop_key, prop_checks in inline:
                    found = _EMPTY if props is None else props.get(prop_key, _EMPTY)
                    for check in prop_checks:
                        check(focus, found, results)

            return run_inline

        def run(focus: Node, results: Results) -> None:
            values: Collection[Node]
            if key is None:
                values = (focus,)
            else:
                props = out_index.get(focus)
                values = _EMPTY if props is None else props.get(key, _EMPTY)
            for check in checks:
                check(focus, values, results)
            for prop in properties:
                prop(focus, results)

        return run

    def _constraint(
        self, name: str, param: object, params: dict[str, object], fail: Fail
    ) -> Constraint | None:
        test = self._value_test(name, param)
        if test is not None:
            return _per_value(fail, *test)
        return self._node_constraint(name, param, params, fail)

    def _value_test(  # noqa: C901  (one branch per SHACL component, as kg.rdf.shacl lists them)
        self, name: str, param: object
    ) -> tuple[str, Bad] | None:
        """The components that judge each value on its own: the component's name and its
        test (true: the value violates it); None for the others."""
        out_index = self.index.out
        if name == "class":
            subclasses = self.index.subclasses(param)  # type: ignore[arg-type]

            def no_class(v: Node) -> bool:
                props = out_index.get(v)
                types = None if props is None else props.get(_TYPE)
                return not types or subclasses.isdisjoint(types)

            return "ClassConstraintComponent", no_class
        if name == "datatype":
            return (
                "DatatypeConstraintComponent",
                lambda v: not _has_datatype(v, param),  # type: ignore[arg-type]
            )
        if name == "nodeKind":
            kinds = _NODE_KINDS[param]  # type: ignore[index]
            return "NodeKindConstraintComponent", lambda v: not isinstance(v, kinds)
        if name == "pattern":
            regex = re.compile(str(param))
            return (
                "PatternConstraintComponent",
                lambda v: isinstance(v, BNode) or not regex.search(str(v)),
            )
        if name == "languageIn":
            wanted = [str(w) for w in param]  # type: ignore[attr-defined]

            def other_language(v: Node) -> bool:
                lang = v.language if isinstance(v, Literal) else None
                return not lang or not any(_lang_matches(lang, w) for w in wanted)

            return "LanguageInConstraintComponent", other_language
        if name == "in":
            # A set: membership in the list compared every value with each member in
            # Python (rdflib's term ==); terms hash consistently with their equality.
            allowed = frozenset(param)  # type: ignore[call-overload]
            return "InConstraintComponent", lambda v: v not in allowed
        if name in ("minLength", "maxLength"):
            size = int(param)  # type: ignore[call-overload]
            shortest = name == "minLength"
            component = "MinLength" if shortest else "MaxLength"

            def bad_length(v: Node) -> bool:
                length = len(str(v))
                return isinstance(v, BNode) or (length < size if shortest else length > size)

            return f"{component}ConstraintComponent", bad_length
        if name == "minInclusive":
            floor: Decimal | None = _number(param)  # type: ignore[arg-type]
            number = self.number

            def below(v: Node) -> bool:
                n = number(v)
                return n is None or floor is None or n < floor

            return "MinInclusiveConstraintComponent", below
        if name == "not":
            # A value violates sh:not when it conforms to the shape negated.
            return "NotConstraintComponent", self.conforming(param)  # type: ignore[arg-type]
        return None

    def _node_constraint(
        self, name: str, param: object, params: dict[str, object], fail: Fail
    ) -> Constraint | None:
        """The components that judge a focus node's values together."""
        out_index = self.index.out
        if name in ("minCount", "maxCount"):
            bound = int(param)  # type: ignore[call-overload]
            low = name == "minCount"
            component = "MinCountConstraintComponent" if low else "MaxCountConstraintComponent"

            def check(focus: Node, values: Collection[Node], results: Results) -> None:
                if (len(values) < bound) if low else (len(values) > bound):
                    results.append(fail(focus, component, None))

            return check
        if name == "uniqueLang":
            if not param:
                return None

            def check(focus: Node, values: Collection[Node], results: Results) -> None:
                seen: dict[str, int] = defaultdict(int)
                for v in values:
                    if isinstance(v, Literal) and v.language:
                        seen[v.language.lower()] += 1
                for _lang in sorted(k for k, n in seen.items() if n > 1):
                    results.append(fail(focus, "UniqueLangConstraintComponent", None))

            return check
        if name == "lessThan":
            other = str(param)
            number = self.number

            def check(focus: Node, values: Collection[Node], results: Results) -> None:
                props = out_index.get(focus)
                others = _EMPTY if props is None else props.get(other, _EMPTY)
                for v in values:
                    x = number(v)
                    for w in others:
                        # less only when both are numbers and the first is smaller
                        y = number(w)
                        if x is None or y is None or not x < y:
                            results.append(fail(focus, "LessThanConstraintComponent", v))

            return check
        if name in ("or", "and", "xone"):
            return self._logical(name, param, fail)  # type: ignore[arg-type]
        if name == "qualifiedValueShape":
            qualified = self.conforming(param)  # type: ignore[arg-type]
            low_count = params.get("qualifiedMinCount")
            high_count = params.get("qualifiedMaxCount")

            def check(focus: Node, values: Collection[Node], results: Results) -> None:
                matching = sum(map(qualified, values))
                if low_count is not None and matching < low_count:  # type: ignore[operator]
                    results.append(fail(focus, "QualifiedMinCountConstraintComponent", None))
                if high_count is not None and matching > high_count:  # type: ignore[operator]
                    results.append(fail(focus, "QualifiedMaxCountConstraintComponent", None))

            return check
        return None  # qualifiedMin/MaxCount (read with their shape), flags…

    def _logical(self, name: str, members: list[Shape], fail: Fail) -> Constraint:
        """sh:or / sh:and / sh:xone: a value conforms to some / every / exactly one member."""
        component = {"or": "Or", "and": "And", "xone": "Xone"}[name] + "ConstraintComponent"
        needed = len(members)
        verdicts = [self.conforming(member) for member in members]

        def check(focus: Node, values: Collection[Node], results: Results) -> None:
            for v in values:
                passed = sum(1 for conforms in verdicts if conforms(v))
                ok = (
                    passed >= 1
                    if name == "or"
                    else passed == needed
                    if name == "and"
                    else passed == 1
                )
                if not ok:
                    results.append(fail(focus, component, v))

        return check


def _no_fail(focus: Node, component: str, value: Node | None) -> ShaclResult:
    raise AssertionError("a constraint compiled to be looked at is never run")


def _per_value(fail: Fail, component: str, bad: Bad) -> Constraint:
    """A constraint that fails once for each value ``bad`` rejects."""

    def check(focus: Node, values: Collection[Node], results: Results) -> None:
        for v in values:
            if bad(v):
                results.append(fail(focus, component, v))

    return check
