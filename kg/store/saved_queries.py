"""The library of saved SPARQL queries (``queries/*.rq``, installed as ``kg.queries``).

Each file starts with a header of ``#`` comments that says what it answers::

    # question: 有哪些自由贸易试验区，各包含哪些片区？
    #   Which pilot free trade zones are there, and which areas (片区) does each have?
    # param: ?zone iri - only this zone (an IRI, id:… or a label); default: every zone
    # param: ?text string = 满洲里 - the text to look for
    # example: ftz-kg query zones-areas --param zone=id:zone/neimenggu

``question`` may continue on indented comment lines. A ``param`` line gives the variable,
its type (iri, string, integer, decimal, year, date), an optional ``= default`` and a
description; the query binds it safely (see :mod:`kg.store.sparql`), so a parameter must be in
the SELECT projection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import QueryError
from ..fuzzy import did_you_mean, suggest
from ..resources import queries_dir

__all__ = ["Param", "SavedQuery", "list_queries", "load_query", "parse_saved_query"]

_FIELD = re.compile(r"#\s?(question|param|example)\s*:\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")
_PARAM = re.compile(r"\?(\w+)\s+(\w+)(?:\s*=\s*(\S+))?\s+[-—]\s+(.+)")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    text: str
    question: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        """The first line of the question (Chinese), for lists."""
        return self.question.splitlines()[0] if self.question else self.name

    @property
    def defaults(self) -> dict[str, str]:
        return {p.name: p.default for p in self.params if p.default is not None}

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "question": self.question,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in self.params
            ],
            "examples": list(self.examples),
            "text": self.text,
        }


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read the header of a query file; a file without one is a query without parameters."""
    question: list[str] = []
    params: list[Param] = []
    examples: list[str] = []
    last: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        if m:
            last, value = m.group(1), m.group(2).strip()
            if last == "question":
                question.append(value)
            elif last == "example":
                examples.append(value)
            else:
                p = _PARAM.fullmatch(value)
                if not p:
                    raise QueryError(
                        f"saved query {name}: bad param line {value!r}; "
                        "write `# param: ?name type [= default] - description`"
                    )
                params.append(Param(p.group(1), p.group(2), p.group(3), p.group(4).strip()))
            continue
        c = _CONTINUATION.match(raw.rstrip())
        if c and last == "question":
            question.append(c.group(1).strip())
        elif c and last == "example":
            examples[-1] += " " + c.group(1).strip()
    return SavedQuery(name, text, "\n".join(question), tuple(params), tuple(examples))


def list_queries() -> list[SavedQuery]:
    """Every saved query, sorted by name."""
    folder = queries_dir()
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq") and entry.is_file():
            out.append(parse_saved_query(entry.name[:-3], entry.read_text(encoding="utf-8")))
    return out


def load_query(name: str) -> SavedQuery:
    """The saved query ``name``; an unknown name lists the available ones."""
    name = name[:-3] if name.endswith(".rq") else name
    entry = queries_dir().joinpath(f"{name}.rq")
    if re.fullmatch(r"[\w\-]+", name) and entry.is_file():
        return parse_saved_query(name, entry.read_text(encoding="utf-8"))
    known = [q.name for q in list_queries()]
    close = suggest(name, known)
    if close:
        raise QueryError(
            f"no saved query named {name!r}; {did_you_mean(close)} "
            f"(`ftz-kg queries` lists all {len(known)})"
        )
    names = ", ".join(known) or "(none)"
    raise QueryError(
        f"no saved query named {name!r}; the saved queries are: {names} (see `ftz-kg queries`)"
    )
