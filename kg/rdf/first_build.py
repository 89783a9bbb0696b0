"""What :meth:`kg.rdf.assemble.GraphIndex.apply` keeps in memory on a first build (every
document drawn into an empty index), so that it need not read back what it has just
written: the entities' surface forms, and the rows of every statement of the shared part."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from ..model import Entity
from .iris import entity_iri
from .parts import DocumentPart
from .rdfwrite import PredicateObject


@dataclass
class FirstBuild:
    """The index's tables as a first build fills them, as they are before JSON and SQLite.

    On a later build the descriptions and merged statements depend on documents drawn
    before, which only the tables hold; on a first build every row comes from the parts at
    hand, and reading them back (a query per entity, the shared part's rows through JSON)
    cost a corpus build 0.7 s of the 1.2 s these steps took."""

    parts: Sequence[DocumentPart]
    # entity IRI -> its entities and their surface forms ("surfaces" WHERE iri=?)
    entities: dict[str, dict[Entity, set[str]]] = field(default_factory=dict)
    # subject -> the rows of its default-graph statement ("blocks", its rows column)
    blocks: dict[str, list[PredicateObject]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for part in self.parts:
            for entity, surfaces, _lexical, _count in part.entities:
                found = self.entities.setdefault(str(entity_iri(entity)), {})
                found.setdefault(entity, set()).update(s for s in surfaces if s)

    def lexical(self) -> bool:
        """Whether a lexicon entry was found ("surfaces" WHERE lexical=1)."""
        return any(lexical for part in self.parts for _e, _s, lexical, _c in part.entities)

    def rows(self) -> Iterator[tuple[str, Sequence[PredicateObject]]]:
        """Every statement's rows by subject: the default graph's, then the documents'."""
        return chain(self.blocks.items(), (row for part in self.parts for row in part.shared))
