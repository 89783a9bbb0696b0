"""Text that XML 1.0 can carry.

XML 1.0 forbids most control characters (even as ``&#12;``), lone surrogates and U+FFFE/FFFF.
Text from PDFs carries form feeds (``\\x0c``, a page break) and other controls; the Turtle,
N-Triples and JSON outputs keep them (escaped), while every XML output (GraphML, GEXF,
RDF/XML, SPARQL XML results) drops them through :func:`xml_safe`, so that a real XML parser
reads what ftz-kg writes.
"""

from __future__ import annotations

import re

__all__ = ["xml_safe"]

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (tab, line feed and return stay)."""
    return _FORBIDDEN.sub("", text)
