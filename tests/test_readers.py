"""Reading a corpus: HTML, .docx and .pdf, missing optional libraries, unreadable files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.inputs import read_inputs
from kg.cli import main
from kg.errors import EmptyInputError, UndecodableInputError, UnsupportedInputError
from kg.read.documents import discover, discover_sources, html_text, read_document

from .conftest import SEED_FILE

TEXT = "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。"


def make_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is ``text`` (a CID font with a ToUnicode map)."""
    chars = sorted(set(text))
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    shown = "".join(f"{cid[ch]:04X}" for ch in text)
    content = f"BT /F1 12 Tf 72 720 Td <{shown}> Tj ET".encode("ascii")
    cmap = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(chars)} beginbfchar",
            *[f"<{cid[ch]:04X}> <{ord(ch):04X}>" for ch in chars],
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# -- HTML (standard library) ----------------------------------------------------------


def test_html_keeps_visible_text_title_first_and_honours_the_declared_charset() -> None:
    page = (
        '<html><head><meta charset="gb2312"><title>山东自贸试验区</title>'
        "<style>p {color: red}</style><script>var x = '不要';</script></head>"
        "<body><h1>条例</h1><p>第一条&nbsp;" + TEXT + "</p><p>第二条</p></body></html>"
    ).encode("gb18030")
    text, encoding = html_text(page, "page.html")
    assert encoding == "gb18030"
    lines = text.splitlines()
    assert lines[0] == "山东自贸试验区"
    assert "条例" in lines and any(TEXT in line for line in lines)
    assert "不要" not in text and "color" not in text


def test_html_file_is_read_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "notice.htm"
    path.write_bytes(f"<html><body><p>{TEXT}</p></body></html>".encode())
    doc = read_document(path)
    assert TEXT in doc.text
    assert doc.encoding == "utf-8"


# -- .docx and .pdf (optional libraries) ------------------------------------------------


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("中国（山东）自由贸易试验区条例", level=1)
    document.add_paragraph("第一条 为了推进自贸试验区建设，制定本条例。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "片区"
    table.cell(0, 1).text = "面积"
    table.cell(1, 0).text = "济南片区"
    table.cell(1, 1).text = "37.99平方公里"
    document.add_paragraph("第二条 附则。")
    path = tmp_path / "regulation.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.title == "中国（山东）自由贸易试验区条例"
    order = [doc.text.index(s) for s in ("第一条", "济南片区", "37.99平方公里", "第二条")]
    assert order == sorted(order)
    assert doc.encoding == "docx"


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf(TEXT))
    doc = read_document(path)
    assert TEXT in doc.text
    assert doc.encoding == "pdf"


def test_pdf_without_text_is_empty_with_a_hint(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(TEXT).replace(b"Tj", b"Tz"))  # no text drawn: like a scan
    with pytest.raises(EmptyInputError, match="scan.pdf.*OCR"):
        read_document(path)


@pytest.mark.parametrize(
    ("suffix", "module", "package", "extra"),
    [(".pdf", "pypdf", "pypdf", "pdf"), (".docx", "docx", "python-docx", "docx")],
)
def test_missing_library_is_named_with_the_extra(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    suffix: str,
    module: str,
    package: str,
    extra: str,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    path = tmp_path / f"file{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(UnsupportedInputError) as info:
        read_document(path)
    message = str(info.value)
    assert f"file{suffix}" in message and package in message and f"ftz-kg[{extra}]" in message


def test_corrupt_docx_and_pdf_are_undecodable(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    for name in ("broken.docx", "broken.pdf"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not really a zip" * 10)
        with pytest.raises(UndecodableInputError, match=name):
            read_document(tmp_path / name)


def test_folders_yield_rich_formats_too(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.docx", "d.pdf", "e.png"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "b.html", "c.docx", "d.pdf"]
    sources = discover_sources([tmp_path, tmp_path / "e.png"])
    assert [(s.path.name, s.explicit) for s in sources][-1] == ("e.png", True)
    assert not any(s.explicit for s in sources if s.path.name != "e.png")


# -- unreadable files in a folder ------------------------------------------------------


def _mixed_folder(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    (folder / "scan.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "sub" / "bad.txt").write_bytes(bytes(range(0x80, 0xFF)) * 3)
    return folder


def test_unreadable_files_in_a_folder_are_one_warning(tmp_path: Path) -> None:
    documents, warnings = read_inputs([_mixed_folder(tmp_path)])
    assert [d.name for d in documents] == ["seed.txt"]
    assert len(warnings) == 1
    assert "scan.txt" in warnings[0] and "bad.txt" in warnings[0] and "2 unreadable" in warnings[0]


def test_cli_names_unreadable_files_in_one_line_and_builds(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "warning:" in line]
    assert len(lines) == 1 and "scan.txt" in lines[0] and "bad.txt" in lines[0]
    assert (tmp_path / "out" / "kg.ttl").exists()


def test_cli_strict_fails_on_unreadable_files_in_a_folder(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out), "--strict"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[") and "scan.txt" in lines[0]
    assert not (out / "kg.ttl").exists()


def test_named_file_needing_a_missing_library_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "plan.pdf" in lines[0] and "pypdf" in lines[0]
