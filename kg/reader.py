"""Find source files and decode them into :class:`~kg.model.Document` records.

Chinese government texts come as UTF-8 (with or without BOM), GB18030/GBK or UTF-16; all
of them are decoded here. A binary or undecodable file is an error naming the file; an
empty one is a warning, because a folder of documents with one empty file should still
build.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import EmptyInputError, MissingInputError, UndecodableInputError
from .model import Document
from .normalize import normalize_text

__all__ = ["SUPPORTED_SUFFIXES", "decode_bytes", "discover", "read_document", "read_stdin"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".text")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_DATE = re.compile(r"(20\d{2}|19\d{2})(?:[-年./](\d{1,2})[-月./](\d{1,2})|(\d{2})(\d{2})\b)")


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Raises :class:`UndecodableInputError` for binary data or text in no supported encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise _undecodable(name, exc) from exc
    if b"\x00" in data and not _looks_utf16(data):
        raise UndecodableInputError(
            f"{name}: looks like a binary file (it contains NUL bytes); "
            "give a plain-text file in UTF-8, GB18030/GBK or UTF-16"
        )
    try:
        text = data.decode("utf-8")
        if _mostly_text(text):
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any byte string, UTF-16 any even-length one: keep the reading
    # that looks most like Chinese text.
    candidates = []
    for encoding in ("gb18030", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            candidates.append((_plausibility(text), encoding, text))
    if candidates:
        score, encoding, text = max(candidates)
        if score >= 0.2:
            return text, encoding
    raise UndecodableInputError(
        f"{name}: cannot be decoded as UTF-8, GB18030/GBK or UTF-16; "
        "convert it to UTF-8 (e.g. `iconv -f <encoding> -t utf-8`)"
    )


_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
    "，。、；：？！“”《》（）"
)


def _plausibility(text: str) -> float:
    """Share of characters that are ASCII or among the commonest in Chinese text.

    A wrong reading (GBK bytes as UTF-16) also yields CJK characters, but rare ones.
    """
    sample = text[:5000]
    good = sum(1 for ch in sample if ch in _COMMON or ch.isdigit() or ch in " \n\r\t")
    return good / max(1, len(sample))


def _undecodable(name: str, exc: UnicodeDecodeError) -> UndecodableInputError:
    return UndecodableInputError(
        f"{name}: starts with a byte-order mark but is not valid {exc.encoding} "
        f"(byte {exc.start}); re-save it as UTF-8"
    )


def _looks_utf16(data: bytes) -> bool:
    # UTF-16 without BOM: Chinese and ASCII text alike put NULs at regular positions.
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text[:20000] if ch < " " and ch not in "\n\r\t\f")
    return bad <= max(2, len(text[:20000]) // 1000)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted, de-duplicated list of files."""
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise MissingInputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.add(child)
        else:
            found.add(path)
    return sorted(found, key=lambda p: (p.name, str(p)))


def read_document(path: Path, display_name: str | None = None) -> Document:
    """Read and normalise one file. Empty files raise :class:`EmptyInputError`."""
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise MissingInputError(f"{path}: no such file; check the path") from exc
    except OSError as exc:
        raise MissingInputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return document_from_bytes(data, name=name, path=str(path))


def read_stdin() -> Document:
    return document_from_bytes(sys.stdin.buffer.read(), name="stdin.txt", path="-")


def document_from_bytes(data: bytes, *, name: str, path: str) -> Document:
    text, encoding = decode_bytes(data, name)
    normalized = normalize_text(text)
    if not normalized.strip():
        raise EmptyInputError(f"{name}: is empty; skipped")
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    return Document(
        path=path,
        name=name,
        text=normalized,
        content_hash=digest,
        encoding=encoding,
        title=_guess_title(normalized, name),
        date=_guess_date(normalized[:400]),
    )


def _guess_title(text: str, name: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#=").strip()
        if 4 <= len(line) <= 80:
            return line
    return name


def _guess_date(head: str) -> str:
    match = _DATE.search(head)
    if not match:
        return ""
    groups = [g for g in match.groups() if g is not None]
    year, month, day = (int(g) for g in groups)
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def iter_documents(paths: Iterable[Path]) -> Iterator[Document]:
    for path in paths:
        yield read_document(path)
