"""Find source files and decode them into :class:`~kg.model.Document` records.

Chinese government texts come as UTF-8 (with or without BOM), GB18030/GBK or UTF-16; all
of them are decoded here. A binary or undecodable file is an error naming the file; an
empty one is a warning, because a folder of documents with one empty file should still
build.

Word (.docx), PDF and HTML files are read too: HTML with the standard library, .docx with
python-docx and .pdf with pypdf when they are installed (the ``docx`` and ``pdf`` extras);
without them such a file raises :class:`UnsupportedInputError` naming the library.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import (
    EmptyInputError,
    InputError,
    InputWarning,
    MissingInputError,
    UndecodableInputError,
    UnsupportedInputError,
)
from ..model import Document
from .dates import document_date
from .normalize import normalize_text, replace_lone_surrogates

__all__ = [
    "SUPPORTED_SUFFIXES",
    "RICH_SUFFIXES",
    "DOCUMENT_SUFFIXES",
    "KnownDocument",
    "Source",
    "decode_bytes",
    "loaded",
    "discover",
    "discover_sources",
    "document_from_bytes",
    "document_from_text",
    "read_document",
    "read_stdin",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".text")
# Formats with markup or a binary container; their text is pulled out before normalising.
RICH_SUFFIXES = (".html", ".htm", ".docx", ".pdf")
DOCUMENT_SUFFIXES = SUPPORTED_SUFFIXES + RICH_SUFFIXES

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(
    data: bytes, name: str = "<input>", *, notes: list[str] | None = None
) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    UTF-16 without a byte-order mark is recognised by its NUL bytes. A UTF-8 file with a
    few invalid bytes is read with U+FFFD in their place and a note naming the first
    byte's offset (appended to ``notes``, or given as an :class:`InputWarning`).

    Raises :class:`UndecodableInputError` for binary data or text in no supported encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise _undecodable(name, exc) from exc
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise UndecodableInputError(
                f"{name}: looks like a binary file (it contains NUL bytes); "
                "give a plain-text file in UTF-8, GB18030/GBK or UTF-16"
            )
        return utf16
    lenient: tuple[str, str] | None = None
    try:
        text = data.decode("utf-8")
        if _mostly_text(text):
            return text, "utf-8"
    except UnicodeDecodeError as exc:
        lenient = _mostly_utf8(data, exc, name)
        if lenient is not None and lenient[1] == "clear":
            _note(notes, _invalid_utf8_note(name, data, exc))
            return lenient[0], "utf-8"
        first_error = exc
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
    if lenient is not None:  # a few bad bytes in a text no other encoding reads
        _note(notes, _invalid_utf8_note(name, data, first_error))
        return lenient[0], "utf-8"
    raise UndecodableInputError(
        f"{name}: cannot be decoded as UTF-8, GB18030/GBK or UTF-16; "
        "convert it to UTF-8 (e.g. `iconv -f <encoding> -t utf-8`)"
    )


def _note(notes: list[str] | None, message: str) -> None:
    """Report a problem a reader worked around: into ``notes``, else as a Python warning."""
    if notes is None:
        warnings.warn(message, InputWarning, stacklevel=3)
    else:
        notes.append(message)


_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _mostly_utf8(data: bytes, exc: UnicodeDecodeError, name: str) -> tuple[str, str] | None:
    """The UTF-8 reading of ``data`` with U+FFFD for its invalid bytes, when they are few.

    Returns ``(text, "clear")`` when valid multi-byte characters outnumber the invalid bytes
    twenty to one (a UTF-8 file with a damaged byte: GBK text read as UTF-8 fails most of
    its bytes), ``(text, "weak")`` when there is at most one bad byte per thousand but no
    such evidence (used only if no other encoding reads the file), else None.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(escaped))
    text = data.decode("utf-8", errors="replace")
    if not _mostly_text(text):
        return None
    if bad * 20 <= len(_NON_ASCII.findall(escaped)):
        return text, "clear"
    if bad <= max(1, len(data) // 1000):
        return text, "weak"
    return None


def _invalid_utf8_note(name: str, data: bytes, exc: UnicodeDecodeError) -> str:
    bad = len(_ESCAPED.findall(data.decode("utf-8", errors="surrogateescape")))
    return (
        f"{name}: is not valid UTF-8 at byte {exc.start} ({bad} invalid byte(s) in all, "
        "read as U+FFFD); re-save the file as UTF-8 if characters are missing"
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark, known by its NUL bytes: ASCII characters (line
    breaks, digits) put a NUL in the high byte, which is the odd byte in little-endian
    order and the even one in big-endian. Both readings are tried, the one the NUL pattern
    suggests first; the one that looks like text wins. None for anything else (binary)."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    best: tuple[float, int, str, str] | None = None
    for rank, encoding in enumerate(order):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _mostly_text(text):
            continue
        score = _plausibility(text) + _ascii_share(text)
        if score >= 0.2 and (best is None or score > best[0]):
            best = (score, -rank, encoding, text)
    return (best[3], best[2]) if best else None


def _ascii_share(text: str) -> float:
    """Share of printable ASCII characters: a wrong UTF-16 reading yields almost none."""
    sample = text[:5000]
    return sum(1 for ch in sample if " " <= ch <= "~") / max(1, len(sample))


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


# The control characters (below " ") other than \n \r \t \f: counted in C, not per character.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    head = text[:20000]
    bad = len(_CONTROL.findall(head))
    return bad <= max(2, len(head) // 1000)


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read, and whether the user named it (else it was found in a folder).

    A named file that cannot be read is an error; one found in a folder is skipped with a
    warning, so that one bad file does not stop a corpus build.
    """

    path: Path
    explicit: bool


@dataclass(frozen=True, slots=True)
class KnownDocument:
    """A file that a previous build read, unchanged since (same size, times and inode):
    what a build needs to know about it without reading it again. :meth:`load` reads it."""

    path: str
    name: str
    content_hash: str
    encoding: str
    title: str = ""
    date: str = ""

    def load(self) -> Document:
        # What its first reading noted was reported then.
        document = read_document(Path(self.path), notes=[])
        if document.content_hash != self.content_hash:
            raise InputError(f"{self.path}: changed while the build was running; build again")
        return document


def loaded(document: Document | KnownDocument) -> Document:
    """The document itself, read now if it was only known."""
    return document.load() if isinstance(document, KnownDocument) else document


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted, de-duplicated list of files."""
    return [source.path for source in discover_sources(paths)]


def discover_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Like :func:`discover`, remembering which files were named rather than found."""
    found: dict[Path, bool] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise MissingInputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and child.suffix.lower() in DOCUMENT_SUFFIXES:
                    found.setdefault(child, False)
        else:
            found[path] = True
    ordered = sorted(found, key=lambda p: (p.name, str(p)))
    return [Source(path, found[path]) for path in ordered]


def read_document(
    path: Path, display_name: str | None = None, *, notes: list[str] | None = None
) -> Document:
    """Read and normalise one file. Empty files raise :class:`EmptyInputError`.

    Plain text in any supported encoding, HTML, and (with their optional libraries) .docx
    and .pdf. What the reader worked around (invalid bytes replaced) is appended to
    ``notes``, or given as an :class:`InputWarning` when ``notes`` is None.
    """
    name = display_name or path.name
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise MissingInputError(f"{path}: no such file; check the path") from exc
    except OSError as exc:
        raise MissingInputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if suffix in (".html", ".htm"):
        text, encoding = html_text(data, name, notes=notes)
        return document_from_text(text, name=name, path=str(path), encoding=encoding, notes=notes)
    if suffix == ".docx":
        text = docx_text(data, name)
        return document_from_text(text, name=name, path=str(path), encoding="docx", notes=notes)
    if suffix == ".pdf":
        text = pdf_text(data, name)
        return document_from_text(text, name=name, path=str(path), encoding="pdf", notes=notes)
    return document_from_bytes(data, name=name, path=str(path), notes=notes)


def read_stdin(*, notes: list[str] | None = None) -> Document:
    return document_from_bytes(sys.stdin.buffer.read(), name="stdin.txt", path="-", notes=notes)


def document_from_bytes(
    data: bytes, *, name: str, path: str, notes: list[str] | None = None
) -> Document:
    text, encoding = decode_bytes(data, name, notes=notes)
    return document_from_text(text, name=name, path=path, encoding=encoding, notes=notes)


def document_from_text(
    text: str,
    *,
    name: str,
    path: str,
    encoding: str = "utf-8",
    notes: list[str] | None = None,
) -> Document:
    """A :class:`Document` from already decoded text (``encoding`` records the source).

    Lone surrogates (half of a UTF-16 pair, which no file can hold) become U+FFFD, with a
    note."""
    text, surrogates = replace_lone_surrogates(text)
    if surrogates:
        _note(
            notes,
            f"{name}: {surrogates} lone surrogate(s) (half of a UTF-16 pair) replaced by U+FFFD; "
            "check how the text was decoded",
        )
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
        date=document_date(normalized, name),
    )


def _guess_title(text: str, name: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#=").strip()
        if 4 <= len(line) <= 80:
            return line
    return name


def iter_documents(paths: Iterable[Path]) -> Iterator[Document]:
    for path in paths:
        yield read_document(path)


# -- HTML, .docx, .pdf ------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Elements whose end starts a new line of text; everything else flows inline.
# fmt: off
_BLOCK_TAGS = frozenset([
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr",
    "ul", "title",
])
# fmt: on
# Elements whose content is not text a reader sees.
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head"])


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_text(
    data: bytes, name: str = "<input>", *, notes: list[str] | None = None
) -> tuple[str, str]:
    """The visible text of an HTML page (its <title> first) and the encoding used."""
    text, encoding = "", ""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        # Pages labelled gb2312/gbk routinely contain GB18030-only characters.
        if charset in ("gb2312", "gbk", "gb_2312-80"):
            charset = "gb18030"
        try:
            text, encoding = data.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            text = ""
    if not encoding:
        text, encoding = decode_bytes(data, name, notes=notes)
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    title = "".join(parser.title).strip()
    body = "".join(parser.parts)
    lines = [line.strip() for line in body.splitlines()]
    out = "\n".join(line for line in lines if line)
    return (f"{title}\n\n{out}" if title else out), encoding


def _optional(module: str, package: str, extra: str, name: str, suffix: str) -> Any:
    """Import an optional reader library, or say which one to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UnsupportedInputError(
            f"{name}: reading {suffix} files needs {package}, which is not installed; "
            f"install it (pip install '{package}' or pip install 'ftz-kg[{extra}]') "
            "or convert the file to .txt"
        ) from exc


def docx_text(data: bytes, name: str = "<input>") -> str:
    """The text of a Word document: paragraphs and table rows in document order."""
    docx = _optional("docx", "python-docx", "docx", name, ".docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError and its own errors
        raise UndecodableInputError(
            f"{name}: is not a readable .docx file ({type(exc).__name__}); "
            "re-save it from Word or convert it to .txt"
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: one line per row, cells separated by tabs
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append("\t".join(c for c in cells if c))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def pdf_text(data: bytes, name: str = "<input>") -> str:
    """The text layer of a PDF, page by page. A scan without one reads as empty."""
    pypdf = _optional("pypdf", "pypdf", "pdf", name, ".pdf")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UndecodableInputError(
                f"{name}: is an encrypted PDF; remove the password and build again"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UndecodableInputError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError and assorted parsing errors
        raise UndecodableInputError(
            f"{name}: is not a readable PDF ({type(exc).__name__}); "
            "re-export it or convert it to .txt"
        ) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise EmptyInputError(
            f"{name}: has no text layer (a scanned image?); skipped. Run OCR on it first"
        )
    return text
