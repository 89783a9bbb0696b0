"""The text of a SPARQL query read with a small tokenizer: its form, its size checked against
the engines' limits, and values bound into its outermost WHERE group."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import QueryError
from .results import Term

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][\w\-.]*(?::[\w\-.:%]*)?|:[\w\-.:%]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> Iterator[_Token]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        yield _Token(kind, m.group(), m.start(), m.end())


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct``, ``describe``, ``update`` or ``unknown``."""
    for tok in _tokens(text):
        if tok.kind == "word":
            word = tok.text.upper()
            if word in _FORMS:
                return word.lower()
            if word in _UPDATES:
                return "update"
    return "unknown"


def _prefixes_used(text: str) -> tuple[set[str], set[str]]:
    """Prefixes the query declares, and prefixes its prefixed names use."""
    declared: set[str] = set()
    used: set[str] = set()
    after_prefix = False
    for tok in _tokens(text):
        if tok.kind == "word" and tok.text.upper() == "PREFIX":
            after_prefix = True
            continue
        if tok.kind == "word" and ":" in tok.text:
            prefix = tok.text.split(":", 1)[0]
            (declared if after_prefix else used).add(prefix)
        after_prefix = False
    return declared, used


# How big a query the local engines are given. pyoxigraph's parser and evaluator recurse
# over the query's structure and crash the whole process (a segfault, no message) on a query
# nested a few thousand brackets deep, or with some ten thousand operators, triple patterns,
# FILTERs or groups in a row; rdflib hits Python's recursion limit sooner. So a query is
# measured with the tokenizer first, and one past these limits never reaches an engine.
# Real queries are far below them (the saved queries: depth ≤ 6, ≤ 400 tokens).
MAX_QUERY_CHARS = 1_000_000

MAX_QUERY_DEPTH = 100

MAX_QUERY_TOKENS = 4_000

_OPENERS = {"(": ")", "[": "]", "{": "}"}

_CLOSERS = set(_OPENERS.values())

_ATOMS = ("iri", "string", "var", "number")


def check_query_size(text: str) -> None:
    """Refuse a query too long, too deeply nested or with too many tokens for the engines.

    Brackets of every kind count towards the depth. Every token counts towards the size,
    except the values of a ``VALUES`` block and the terms (and commas) listed in an
    ``IN (…)``: those lists are flat, so long ones are fine.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long, more than the {MAX_QUERY_CHARS:,} the "
            "engine is given; split it into several queries"
        )
    deepest = size = 0
    where: _Token | None = None  # the first bracket past the depth limit
    stack: list[str] = []  # per open bracket: "values" (data), "in" (a list of terms) or "code"
    previous = ""
    values_pending = False
    for tok in _tokens(text):
        inside = stack[-1] if stack else "code"
        word = tok.text.upper() if tok.kind == "word" else ""
        if tok.kind == "other" and tok.text in _OPENERS:
            if inside == "values" or (values_pending and tok.text == "{"):
                kind = "values"
                values_pending = False
            elif previous == "IN" and tok.text == "(":
                kind = "in"
            else:
                kind = "code"
            stack.append(kind)
            deepest = max(deepest, len(stack))
            if len(stack) > MAX_QUERY_DEPTH and where is None:
                where = tok
        elif tok.kind == "other" and tok.text in _CLOSERS and stack:
            stack.pop()
        values_pending = values_pending or word == "VALUES"
        previous = word or tok.text
        if inside == "values":
            continue
        if inside == "in" and (tok.kind in _ATOMS or tok.text == "," or ":" in word):
            continue
        size += 1
    if where is not None:
        line, column = _position(text, where.start)
        raise QueryError(
            f"the query nests brackets {deepest:,} deep (past the limit of {MAX_QUERY_DEPTH} at "
            f"line {line}, column {column}); real queries stay far below it: remove the extra "
            "brackets or split the query"
        )
    if size > MAX_QUERY_TOKENS:
        raise QueryError(
            f"the query has {size:,} tokens (names, operators, brackets…); the limit is "
            f"{MAX_QUERY_TOKENS:,}: split it into several queries, and give long lists of values "
            "as VALUES ?x { … } or ?x IN (…) (those are not counted) rather than chains of "
            "UNION, || or triple patterns"
        )


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass
class _Brace:
    kind: str  # "group", "subselect", "data" (a VALUES block) or "template" (CONSTRUCT)
    end: int  # offset just after the "{"
    variables: set[str] = field(default_factory=set)  # variables directly inside (not nested)


def _groups(text: str) -> tuple[list[_Brace], set[str]]:
    """The query's brace blocks in order, and the variables used outside any of them."""
    tokens = list(_tokens(text))
    blocks: list[_Brace] = []
    stack: list[_Brace] = []
    outside: set[str] = set()
    form = None
    values_pending = False
    for i, tok in enumerate(tokens):
        word = tok.text.upper() if tok.kind == "word" else ""
        if form is None and word in _FORMS:
            form = word
        if word == "VALUES":
            values_pending = True
        if tok.text == "{":
            following = tokens[i + 1].text.upper() if i + 1 < len(tokens) else ""
            if values_pending:
                kind = "data"
                values_pending = False
            elif form == "CONSTRUCT" and not blocks and tokens[i - 1].text.upper() == "CONSTRUCT":
                kind = "template"
            elif form == "CONSTRUCT" and not blocks and tokens[i - 2].text.upper() == "CONSTRUCT":
                kind = "template"  # CONSTRUCT WHERE { … }: the pattern is also the template
            elif following == "SELECT":
                kind = "subselect"
            else:
                kind = "group"
            block = _Brace(kind, tok.end)
            blocks.append(block)
            stack.append(block)
        elif tok.text == "}":
            if stack:
                stack.pop()
        elif tok.kind == "var":
            name = tok.text[1:]
            if not stack:
                outside.add(name)
            elif stack[-1].kind in ("group", "subselect"):
                stack[-1].variables.add(name)
    return blocks, outside


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``bindings`` given as ``VALUES`` blocks (for engines without native binding).

    Every group that uses a bound variable gets a one-row ``VALUES`` block at its start (the
    outermost WHERE group too when the variable is used in SELECT, ORDER BY…), so a
    parameter used in a nested group or a FILTER there is bound as with pyoxigraph's
    substitution. The values are RDF terms serialised by pyoxigraph (IRIs validated,
    literals escaped): no user text reaches the query unescaped. Used for remote endpoints
    and to show a saved query with its parameters in the web editor; the local engines bind
    natively instead.
    """
    if not bindings:
        return text
    for name, value in bindings.items():
        if not re.fullmatch(r"\w+", name):
            raise QueryError(
                f"--param {name}: not a SPARQL variable name; use letters, digits and _"
            )
        if isinstance(value, ox.BlankNode):
            raise QueryError(
                f"--param {name}: a blank node cannot be bound; use an IRI or a literal"
            )
    blocks, outside = _groups(text)
    groups = [b for b in blocks if b.kind == "group"]
    if not groups:
        raise QueryError(
            "cannot bind parameters here: the query has no WHERE group "
            "(write CONSTRUCT { template } WHERE { … } rather than the short form)"
        )
    bound = set(bindings)
    inserts: dict[int, set[str]] = {}
    for block in groups:
        if block.variables & bound:
            inserts.setdefault(block.end, set()).update(block.variables & bound)
    anywhere = set().union(*(b.variables for b in blocks)) | outside
    rest = (outside & bound) | (bound - anywhere)
    if rest:
        inserts.setdefault(groups[0].end, set()).update(rest)
    out = text
    for at in sorted(inserts, reverse=True):
        names = sorted(inserts[at])
        variables = " ".join(f"?{n}" for n in names)
        values = " ".join(str(bindings[n]) for n in names)
        out = out[:at] + f"\n  VALUES ({variables}) {{ ({values}) }}\n" + out[at:]
    return out
