"""Split a normalised document into paragraphs, sentences and articles.

A newspaper page holds several articles, each opened by a title and a byline
(``□叶欣``) and often closed by an affiliation note (``(作者系……研究员)``); the split is
driven by those patterns, not by the layout of one page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from ..model import ArticleInfo, Sentence
from .normalize import CJK

__all__ = ["split_sentences", "split_articles"]

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
_LONG_SENTENCE = 300
# A "sentence" longer than this (a page of text without a full stop: a table flattened into
# one line, a PDF without punctuation) is cut into pieces of at most this length, at a clause
# mark, else at a space, else anywhere: the extractors compare the words of a sentence with
# each other, so one endless sentence would make a build quadratic in its length. No
# sentence of ordinary prose comes near it (the longest in the corpus has under 900
# characters), so ordinary texts are split exactly as before.
MAX_SENTENCE = 1000
_CLAUSE_MARKS = "，、：；,;:"
_SPACES = " \t"
_BYLINE = re.compile(
    rf"^(?:□|■|◎|◇|文[/／]|作者[:：]|本报记者|记者)\s*([{CJK}·]{{2,5}}(?:[ 、，][{CJK}·]{{2,5}})*)\s*$"
)
_AFFILIATION = re.compile(r"^[（(]\s*作者(?:系|为|是|单位[:：]?)?(.+?)[）)]\s*$")
_ROLE_TAIL = re.compile(
    r"(?:[、，,]?(?:副|助理|高级|特聘|首席)?(?:所长|院长|副院长|主任|研究员|教授|局长|处长|"
    r"秘书长|博士生导师|博士|博士后|研究生|讲师|负责人|部长|书记|经济学家|分析师|"
    r"学者|专家|主编|总监|理事长|会长|成员|委员))+$"
)
_NOT_TITLE = {"核心提示", "编者按", "导读", "摘要"}


def split_sentences(text: str, articles: Sequence[ArticleInfo] = ()) -> list[Sentence]:
    """Sentences with offsets; each line is a paragraph and never shares a sentence. Given
    the ``articles`` of the text, each sentence has the index of the article that holds
    its start (-1: none)."""
    article_of = _article_finder(articles)
    sentences: list[Sentence] = []
    offset = 0
    paragraph = -1
    for line in text.split("\n"):
        start_of_line = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        for start, end in _sentence_spans(line):
            chunk = line[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            # strip gives the chunk itself when it has no space at either end
            lead = 0 if stripped is chunk else len(chunk) - len(chunk.lstrip())
            s = start_of_line + start + lead
            # index, start, end, text, paragraph (given by place: the faster call)
            sentences.append(
                Sentence(len(sentences), s, s + len(stripped), stripped, paragraph, article_of(s))
            )
    return sentences


def _sentence_spans(line: str) -> list[tuple[int, int]]:
    spans = _marked_spans(line)
    if len(line) <= _LONG_SENTENCE:
        return spans  # none is long enough to cut below, and none is empty (each holds a mark)
    return _split_long(line, spans)


def _marked_spans(line: str) -> list[tuple[int, int]]:
    """The stretches of ``line`` up to and with each run of terminal marks, and the rest."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(line):
        spans.append((pos, match.end()))
        pos = match.end()
    if pos < len(line):
        spans.append((pos, len(line)))
    return spans


def _split_long(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # Very long sentences are split at semicolons so a clause-level rule stays local.
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if end - start <= _LONG_SENTENCE:
            out.append((start, end))
            continue
        cut = start
        for match in re.finditer("；", line[start:end]):
            out.append((cut, start + match.end()))
            cut = start + match.end()
        out.append((cut, end))
    pieces: list[tuple[int, int]] = []
    for start, end in out:
        pieces.extend(_cut_long(line, start, end) if end - start > MAX_SENTENCE else [(start, end)])
    return [(s, e) for s, e in pieces if e > s]


def _cut_long(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """``line[start:end]`` in pieces of at most :data:`MAX_SENTENCE` characters, each cut
    after the last clause mark, else before the last space, of its second half (a hard cut
    when there is neither). Linear in the length of the span."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > MAX_SENTENCE:
        low, high = pos + MAX_SENTENCE // 2, pos + MAX_SENTENCE
        cut = max(line.rfind(mark, low, high) for mark in _CLAUSE_MARKS) + 1
        if cut <= low:
            cut = max(line.rfind(space, low, high) for space in _SPACES)
            if cut <= low:
                cut = high
        pieces.append((pos, cut))
        pos = cut
    pieces.append((pos, end))
    return pieces


def split_articles(text: str) -> list[ArticleInfo]:
    """Articles found by their bylines; an empty list when the text has none."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line.strip()))
        offset += len(line) + 1
    found: list[tuple[int, str, str, str]] = []  # (title line index, title, author, byline)
    for i, (_, line) in enumerate(lines):
        match = _BYLINE.match(line)
        if not match:
            continue
        title_index = _title_before(lines, i)
        if title_index is None:
            continue
        found.append((title_index, lines[title_index][1], match.group(1), line))
    found.extend(_news_items(lines))
    found.sort()
    articles: list[ArticleInfo] = []
    for n, (title_index, title, author, byline) in enumerate(found):
        start = lines[title_index][0]
        end = lines[found[n + 1][0]][0] if n + 1 < len(found) else len(text)
        affiliation = _affiliation(text[start:end]) if author else ""
        date = _item_date(lines[title_index][1])
        articles.append(
            ArticleInfo(
                index=n,
                title=title,
                start=start,
                end=end,
                author=author,
                affiliation=affiliation,
                byline=byline if author else "",
                date=date,
            )
        )
    return articles


_ITEM_HEADER = re.compile(r"^===\s*((?:19|20)\d{6})\s*[|｜]\s*(.+?)\s*$")
_BRACKET_TITLE = re.compile(r"^【([^【】]{2,80})】$")


def _news_items(lines: list[tuple[int, str]]) -> list[tuple[int, str, str, str]]:
    """Items of a news digest: ``=== 20231101 | title`` or ``【title】`` header lines."""
    items = []
    for i, (_, line) in enumerate(lines):
        match = _ITEM_HEADER.match(line) or _BRACKET_TITLE.match(line)
        if match:
            items.append((i, match.group(match.lastindex or 1), "", ""))
    return items


def _item_date(header: str) -> str:
    match = _ITEM_HEADER.match(header)
    if not match:
        return ""
    raw = match.group(1)
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"


def _title_before(lines: list[tuple[int, str]], i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        candidate = lines[j][1]
        if not candidate or candidate in _NOT_TITLE:
            continue
        if len(candidate) <= 60 and not candidate.endswith("。"):
            return j
        return None
    return None


def _affiliation(article_text: str) -> str:
    for line in reversed(article_text.strip().split("\n")[-6:]):
        match = _AFFILIATION.match(line.strip())
        if match:
            return _ROLE_TAIL.sub("", match.group(1)).strip("、，, ")
    return ""


def _article_finder(articles: Sequence[ArticleInfo]) -> Callable[[int], int]:
    """The index of the article that holds an offset (-1: none)."""
    if not articles:
        return lambda start: -1
    starts = [a.start for a in articles]
    # Articles as split_articles makes them follow each other without overlapping, so the
    # one holding a sentence is the last one starting before it (a bisection, not a scan).
    ordered = all(a.start <= a.end for a in articles) and all(
        a.end <= b.start for a, b in zip(articles[:-1], articles[1:], strict=True)
    )

    def article_of(start: int) -> int:
        if ordered:
            i = bisect.bisect_right(starts, start) - 1
            return articles[i].index if i >= 0 and start < articles[i].end else -1
        return next((a.index for a in articles if a.start <= start < a.end), -1)

    return article_of
