"""Text normalisation applied once, right after decoding.

Newspaper text from PDFs and web pages carries layout noise: words split across line
breaks, a character repeated at a column break (优势 / 势), doubled words (发展发展), spaces
around numbers (``2025 年``) and full-width digits. Everything downstream works on the
normalised text and its offsets.
"""

from __future__ import annotations

import re

__all__ = ["normalize_text", "replace_lone_surrogates", "CJK"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULLWIDTH: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" "), 0x00A0: ord(" ")})
_FULLWIDTH.update({0x2002: ord(" "), 0x2003: ord(" "), 0x2009: ord(" "), 0x200B: None})
_FULLWIDTH.update({0xFEFF: None})
# The characters _FULLWIDTH maps: str.translate looks every character of a text up in the
# table, in Python objects (a third of reading the corpus); a text has few of them.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULLWIDTH)) + "]")
_REPLACEMENT = {chr(cp): "" if to is None else chr(to) for cp, to in _FULLWIDTH.items()}

_PUNCT = "，。、；：！？“”‘’（）《》【】"
# Spaces between a CJK character and a digit or Latin word are typesetting (2025 年); a space
# between two CJK phrases separates them (a title and its subtitle) and stays.
# Each pattern is (?<=A)[ \t]+(?=B)|(?<=C)[ \t]+ (and |[ \t]+(?=D)) written to begin with
# the space it consumes, its look-behinds moved past it: a pattern that begins with a
# character class is searched for that character in C, one that begins with a
# look-behind is tried at every position of the text (on the corpus: the two rules 0.41 ->
# 0.08 s, the whole normalisation 0.51 -> 0.26 s). The same matches: tests/test_normalize.py.
_SPACE_BEFORE_CJK = re.compile(
    rf"[ \t](?:(?<=[^{CJK} \t][ \t])[ \t]*(?=[{CJK}{_PUNCT}%])|(?<=[{_PUNCT}][ \t])[ \t]*)"
)
_SPACE_AFTER_CJK = re.compile(
    rf"[ \t](?:(?<=[{CJK}{_PUNCT}][ \t])[ \t]*(?=[^{CJK} \t])|[ \t]*(?=[{_PUNCT}]))"
)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:https?://|/)[^)\s]*\)")
_DOUBLED_WORD = re.compile(rf"([{CJK}]{{2}})\1")
_DOUBLED_PARTICLE = re.compile(r"(的|了|是|和|与|在)\1")
_TERMINAL = tuple("。！？；：”’」』）)…!?;:")
_BULLET = re.compile(
    r"^\s*([-*•·●◆■□]|\d+[.、]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
)
# Header lines of news digests and Markdown: never part of a paragraph.
_HEADER = re.compile(r"^(=+|#+|【[^】]*】$|\[[^\]]*\]\(|来源[:：]|时间[:：]|发布时间)")
# A line shorter than this that ends without punctuation is a heading, not a broken line.
_MIN_BROKEN_LINE = 40


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD (a pair becomes its character),
    and how many were replaced. Such text comes from a decoder run with ``surrogatepass``
    or ``surrogateescape``, or from JSON with a ``\\ud800`` escape, and cannot be written as UTF-8."""
    if not _SURROGATE.search(text):
        return text, 0
    before = text.count("\ufffd")
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - before


def normalize_text(text: str) -> str:
    text = replace_lone_surrogates(text)[0]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRANSLATED.sub(lambda m: _REPLACEMENT[m.group()], text)  # text.translate(_FULLWIDTH)
    text = _MD_LINK.sub(r"\1", text)  # [查看原文](https://…) → 查看原文
    stripped = "\n".join(line.strip() for line in text.split("\n"))
    # Over the whole text at once rather than line by line: no match spans a line break
    # ([ \t]+), and a stripped line has no space at either end for one to border on.
    lines = _SPACE_AFTER_CJK.sub("", _SPACE_BEFORE_CJK.sub("", stripped)).split("\n")
    joined = _join_broken_lines(lines)
    out = "\n".join(joined)
    out = _DOUBLED_WORD.sub(r"\1", out)
    out = _DOUBLED_PARTICLE.sub(r"\1", out)
    return out.strip("\n") + "\n"


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Join a paragraph cut by a line break (with blank lines between) back together."""
    out: list[str] = []
    pending_blank = 0
    for line in lines:
        if not line:
            pending_blank += 1
            continue
        if out and _continues(out[-1], line):
            prev = out[-1]
            # A column break often repeats the last character (优势 / 势，).
            if line[0] == prev[-1] and len(line) > 1 and line[1] in "，。、；":
                line = line[1:]
            out[-1] = prev + line
        else:
            out.extend([""] * min(pending_blank, 1))
            out.append(line)
        pending_blank = 0
    return out


def _open_bracket(line: str) -> bool:
    return line.count("（") > line.count("）")


def _continues(prev: str, line: str) -> bool:
    if prev.endswith(_TERMINAL):
        return False
    if _open_bracket(prev) and re.match(rf"[{CJK}]", line) and "）" in line:
        return True  # （2018年7月25日辽宁省…常务 / 委员会第四次会议通过）: the bracket closes there
    # Headings are short and carry no comma; prose cut by a line break has one or is long.
    if len(prev) < _MIN_BROKEN_LINE and "，" not in prev:
        return False
    if _BULLET.match(prev) or _BULLET.match(line) or _HEADER.match(prev) or _HEADER.match(line):
        return False
    first = line[0]
    return bool(re.match(rf"[{CJK}]", first))
