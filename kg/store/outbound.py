"""What a query may fetch from the network: nothing, unless the user allows an endpoint.

SPARQL's ``SERVICE`` makes the engine itself send HTTP requests (pyoxigraph and rdflib both
do), and rdflib's ``FROM <url>`` loads a graph from the URL. A local ``ftz-kg serve`` with
CORS open would then let any web page read the user's intranet through it, and a port scan
falls out of the error messages. So every local engine refuses a query that names a
``SERVICE`` unless its endpoint is on an allow-list the user gave (``--allow-service``),
and the text of upstream errors never reaches the caller.

The check reads the query with the same tokenizer the rest of ftz-kg uses, after undoing
``\\uXXXX`` escapes (SPARQL allows them anywhere in a query), so ``service``,
``\\u0053ERVICE`` and a ``SERVICE`` inside a sub-select are all seen, while the word inside
a string literal or a comment is not.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import QueryError

__all__ = ["ServicePolicy", "NO_SERVICE", "service_endpoints", "upstream_safe"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ESCAPE.sub(char, text)


def service_endpoints(text: str) -> list[str]:
    """What follows each ``SERVICE`` keyword of the query: an ``<IRI>``, a variable or a name."""
    from .query_text import _tokens

    tokens = [t for t in _tokens(_unescape(text))]
    found: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT":
            j += 1
        found.append(tokens[j].text if j < len(tokens) else "")
    return found


def _origin_and_path(url: str) -> tuple[str, str, int | None, str] | None:
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    default = 443 if parts.scheme.lower() == "https" else 80
    return parts.scheme.lower(), parts.hostname.lower(), port or default, parts.path or "/"


@dataclass(frozen=True)
class ServicePolicy:
    """The endpoints a query's ``SERVICE`` may call: none by default.

    ``allow`` holds http(s) URLs; a ``SERVICE <IRI>`` is allowed when the IRI has the same
    scheme, host and port as one of them and its path starts with that URL's path.
    """

    allow: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, urls: Iterable[str]) -> ServicePolicy:
        """A policy from ``--allow-service`` values, each checked to be an http(s) URL."""
        allowed = tuple(urls)
        for url in allowed:
            if _origin_and_path(url) is None:
                raise QueryError(
                    f"--allow-service {url}: give the endpoint's http(s) URL, "
                    "such as https://query.wikidata.org/sparql"
                )
        return cls(allowed)

    def allows(self, iri: str) -> bool:
        target = _origin_and_path(iri)
        if target is None:
            return False
        for url in self.allow:
            rule = _origin_and_path(url)
            if rule is not None and rule[:3] == target[:3] and target[3].startswith(rule[3]):
                return True
        return False

    def check(self, text: str) -> None:
        """Raise :class:`QueryError` if the query would call an endpoint that is not allowed."""
        for target in service_endpoints(text):
            if not self.allow:
                raise QueryError(
                    "SERVICE is disabled: a query may not make ftz-kg fetch from other servers; "
                    "to query a federated endpoint, name it with --allow-service URL"
                )
            if not (target.startswith("<") and target.endswith(">")):
                raise QueryError(
                    f"SERVICE {target or '(nothing)'}: write the endpoint as a full <http(s)://…> "
                    "IRI so that it can be checked against --allow-service"
                )
            if not self.allows(target[1:-1]):
                raise QueryError(
                    f"SERVICE {target} is not allowed; allowed: {', '.join(self.allow)} "
                    "(add it with --allow-service URL)"
                )


NO_SERVICE = ServicePolicy()


def upstream_safe(message: str, endpoints: Sequence[str]) -> str:
    """An engine's error text without what a remote server sent back (no body, one line)."""
    if not endpoints:
        return message
    first = message.split(" with payload", 1)[0].splitlines()[0] if message else ""
    return f"a SERVICE call failed: {first[:200]}"
