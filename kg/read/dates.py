"""When a document was written: its date from the header, the file name or the text.

Policy texts state their date in different places: a header line (``2020年9月25日 …通过``,
``发布时间: 2024-09-19``), the file name (``xwlb-20260409.txt``, ``…-regulation-2014.txt``)
or only in the body, where the latest event a commentary reports (``2026 年 4 月，…获批设立``)
bounds its date from below. The first of these that is found wins, from the most to the least
precise source, so a date is never guessed from the body when the header states one.

The result is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (as precise as the source), or ``""``.
"""

from __future__ import annotations

import re

__all__ = ["document_date", "full_date", "year_of"]

_HEAD = 400  # characters of the text read as its header
_FULL = re.compile(r"(20\d{2}|19\d{2})(?:[-年./](\d{1,2})[-月./](\d{1,2})|(\d{2})(\d{2})\b)")
_NAME_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# a year and month the text reports; "到/至 2035年" is a target, not an event
_MONTH = re.compile(r"(?<![到至\d])\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
_YEAR = re.compile(r"(?<![到至\d])\s*((?:19|20)\d{2})\s*年(?![前底末])")


def _ymd(year: str, month: str, day: str) -> str:
    y, m, d = int(year), int(month), int(day)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else ""


def full_date(text: str) -> str:
    """The first full date written in ``text`` (2019年5月23日, 2024-09-19) as YYYY-MM-DD,
    or ``""``."""
    match = _FULL.search(text)
    if not match:
        return ""
    groups = [g for g in match.groups() if g is not None]
    return _ymd(*groups)


def document_date(text: str, name: str = "") -> str:
    """The date of a document whose (normalised) text is ``text`` and file name ``name``."""
    found = full_date(text[:_HEAD])
    if found:
        return found
    stem = name.rsplit("/", 1)[-1]
    for match in _NAME_FULL.finditer(stem):
        found = _ymd(*match.groups())
        if found:
            return found
    head_month = _MONTH.search(text[:_HEAD])
    if head_month and 1 <= int(head_month.group(2)) <= 12:
        return f"{head_month.group(1)}-{int(head_month.group(2)):02d}"
    years = _NAME_YEAR.findall(stem)
    if years:
        return str(years[-1])
    months = sorted(
        (int(m.group(1)), int(m.group(2)))
        for m in _MONTH.finditer(text)
        if 1 <= int(m.group(2)) <= 12
    )
    if months:
        year, month = months[-1]
        return f"{year:04d}-{month:02d}"
    body_years = sorted(int(y) for y in _YEAR.findall(text))
    return str(body_years[-1]) if body_years else ""


def year_of(date: str) -> str:
    """``2026-04-09`` → ``2026``; ``""`` stays ``""``."""
    return date[:4] if re.fullmatch(r"\d{4}(-\d{2}){0,2}", date) else ""
