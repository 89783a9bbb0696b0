"""What to run: a query given as text, a ``.rq`` file or the name of a saved query, and its
parameters parsed into RDF terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import XSD
from .results import _PREFIX_STRS, Term

if TYPE_CHECKING:
    from .saved_queries import SavedQuery

_PARAM_TYPES = ("iri", "string", "integer", "decimal", "year", "date")

_INT = re.compile(r"[+-]?\d+")

_DEC = re.compile(r"[+-]?\d*\.\d+")

_LITERAL = re.compile(
    r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', re.DOTALL
)

_CURIE = re.compile(r"([A-Za-z][\w\-.]*)?:(\S*)")


@dataclass(frozen=True)
class _Label:
    """An IRI parameter given as a label, resolved against the data before the query runs."""

    text: str


def _iri(value: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"--param {name}={value}: not a valid IRI ({exc})") from exc


def _expand(value: str, name: str) -> ox.NamedNode | None:
    """``<iri>``, an absolute IRI or a CURIE with a known prefix; None if it is none of them."""
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], name)
    m = _CURIE.fullmatch(value)
    if m and (m.group(1) or "") in _PREFIX_STRS:
        return _iri(_PREFIX_STRS[m.group(1) or ""] + m.group(2), name)
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value) and (
        "://" in value or value.startswith("urn:")
    ):
        return _iri(value, name)
    return None


def _unescape(text: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text
    )


def _typed(
    value: str, datatype: ox.NamedNode, pattern: re.Pattern[str], name: str, what: str
) -> ox.Literal:
    if not pattern.fullmatch(value):
        raise QueryError(f"--param {name}={value}: expected {what}")
    return ox.Literal(value, datatype=datatype)


def parse_param(name: str, value: str, type_: str | None = None) -> Term | _Label:
    """One ``--param`` value as an RDF term, by the declared type or, if none, by its syntax."""
    if type_ is not None and type_ not in _PARAM_TYPES:
        raise QueryError(
            f"parameter ?{name} has unknown type {type_!r}; use one of {', '.join(_PARAM_TYPES)}"
        )
    if type_ == "iri":
        return _expand(value, name) or _Label(value)
    if type_ == "string":
        return ox.Literal(value)
    if type_ == "integer":
        return _typed(value, ox.NamedNode(str(XSD.integer)), _INT, name, "an integer")
    if type_ == "decimal":
        return _typed(
            value,
            ox.NamedNode(str(XSD.decimal)),
            re.compile(r"[+-]?(\d+|\d*\.\d+)"),
            name,
            "a number",
        )
    if type_ == "year":
        return _typed(
            value, ox.NamedNode(str(XSD.gYear)), re.compile(r"\d{4}"), name, "a year such as 2025"
        )
    if type_ == "date":
        return _typed(
            value,
            ox.NamedNode(str(XSD.date)),
            re.compile(r"\d{4}-\d{2}-\d{2}"),
            name,
            "a date such as 2025-06-30",
        )
    # no declared type: read the value's syntax
    iri = _expand(value, name)
    if iri is not None:
        return iri
    m = _LITERAL.fullmatch(value)
    if m:
        lexical, lang, datatype = _unescape(m.group(1)), m.group(2), m.group(3)
        if lang:
            return ox.Literal(lexical, language=lang)
        if datatype:
            dt = _expand(datatype, name)
            if dt is None:
                raise QueryError(f"--param {name}={value}: unknown datatype {datatype}")
            return ox.Literal(lexical, datatype=dt)
        return ox.Literal(lexical)
    if _INT.fullmatch(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.integer)))
    if _DEC.fullmatch(value):
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.decimal)))
    return ox.Literal(value)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["zone=id:zone/neimenggu", …]`` → ``{"zone": "id:zone/neimenggu", …}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise QueryError(
                f"--param {pair!r}: write it as NAME=VALUE, e.g. --param zone=id:zone/neimenggu"
            )
        out[name] = value
    return out


@dataclass(frozen=True)
class ResolvedQuery:
    text: str
    source: str
    saved: SavedQuery | None = None


def resolve_query(arg: str) -> ResolvedQuery:
    """QUERY may be query text, a ``.rq`` file or the name of a saved query."""
    from .saved_queries import load_query, parse_saved_query

    text = arg.strip()
    if not text:
        raise QueryError(
            "empty query; give SPARQL text, a .rq file or a saved query name (see `ftz-kg queries`)"
        )
    if "\n" not in arg and len(arg) < 1024:
        path = Path(arg)
        if _is_file(path):
            try:
                body = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
            return ResolvedQuery(body, str(path), parse_saved_query(path.stem, body))
        if re.fullmatch(r"[\w\-]+", text):
            saved = load_query(text)
            return ResolvedQuery(saved.text, f"saved query {saved.name}", saved)
        if _looks_like_a_path(text):
            raise _no_such_file(text, path)
    return ResolvedQuery(arg, "query text")


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; query text too long for a file name is none."""
    try:
        return path.is_file()
    except OSError:  # ENAMETOOLONG for a one-line query longer than a file name may be
        return False


_QUERY_SUFFIXES = (".rq", ".sparql", ".rq.txt", ".sparql.txt")


def _looks_like_a_path(text: str) -> bool:
    """One word ending in .rq/.sparql, or with a ``/`` in it, and no SPARQL punctuation:
    ``my-question.rq``, ``queries/x.rq``. (Query text has spaces, braces or ``<…>``.)"""
    if re.search(r"[\s{}<>?$\"']", text):
        return False
    return text.lower().endswith(_QUERY_SUFFIXES) or "/" in text or "\\" in text


def _no_such_file(text: str, path: Path) -> QueryError:
    from .saved_queries import list_queries

    if path.is_dir():
        return QueryError(f"{text}: is a folder, not a query file; give a .rq file in it")
    stem = path.name.split(".", 1)[0]
    saved = [q.name for q in list_queries()]
    if stem in saved:
        hint = f"; {stem} is also a saved query: run it with `ftz-kg query {stem}`"
    else:
        relative = "" if path.is_absolute() else " (it is relative to the current folder)"
        hint = (
            f"; check the path{relative}, or give SPARQL text or a saved query name "
            "(see `ftz-kg queries`)"
        )
    return QueryError(f"{text}: no such file{hint}")


def _bindings(resolved: ResolvedQuery, params: Mapping[str, str]) -> dict[str, Term | _Label]:
    saved = resolved.saved
    if saved is None or not saved.params:
        return {name: parse_param(name, value) for name, value in params.items()}
    declared = {p.name: p for p in saved.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise QueryError(
            f"{resolved.source} has no parameter {', '.join(unknown)}; "
            f"its parameters are: {', '.join(sorted(declared))}"
        )
    out: dict[str, Term | _Label] = {}
    for p in saved.params:
        value = params.get(p.name, p.default)
        if value is not None:
            out[p.name] = parse_param(p.name, value, p.type)
    return out
