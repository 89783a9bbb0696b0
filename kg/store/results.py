"""What a query returns: a :class:`QueryResult` held in memory or a :class:`RowStream` of rows,
and their RDF terms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import PREFIXES, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

Kind = Literal["select", "ask", "graph"]

_PREFIX_STRS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

_XSD_STRING = str(XSD.string)

_NUMERIC = {
    str(XSD.integer): re.compile(r"[+-]?\d+"),
    str(XSD.decimal): re.compile(r"[+-]?\d*\.\d+"),
    str(XSD.double): re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+"),
    str(XSD.boolean): re.compile(r"true|false"),
}


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
