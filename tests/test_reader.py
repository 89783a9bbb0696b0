"""Reading files: encodings, empty and binary files, missing paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import EmptyInputError, MissingInputError, UndecodableInputError
from kg.read.documents import decode_bytes, discover, read_document

TEXT = "内蒙古自贸试验区涵盖呼和浩特、满洲里、二连浩特三大片区。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decodes_chinese_encodings(data: bytes, encoding: str) -> None:
    text, used = decode_bytes(data, "x.txt")
    assert text == TEXT
    assert used == encoding


def test_binary_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    with pytest.raises(UndecodableInputError, match="image.txt"):
        read_document(path)


def test_undecodable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(bytes(range(0x80, 0xFF)) * 3)
    with pytest.raises(UndecodableInputError, match="bad.txt"):
        read_document(path)


def test_empty_file_is_reported_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\xef\xbb\xbf \n\n")
    with pytest.raises(EmptyInputError, match="empty.txt"):
        read_document(path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="nope"):
        discover([tmp_path / "nope"])


def test_discover_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("二", encoding="utf-8")
    (tmp_path / "1.md").write_text("一", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x00")
    assert [p.name for p in discover([tmp_path])] == ["1.md", "2.txt"]


def test_document_records_hash_and_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("标题在这里\n\n正文。", encoding="gbk")
    doc = read_document(path)
    assert doc.title == "标题在这里"
    assert len(doc.content_hash) == 64
    assert doc.encoding == "gb18030"
