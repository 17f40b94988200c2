"""Bytes in, bytes out: BOMs, line endings, UTF-16/32, binary sniffing, atomic writes."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mojifix.textio import (
    BinaryInputError,
    DecodedText,
    UndecodableInputError,
    FileChangedError,
    UnrepresentableRepairError,
    decode_bytes,
    encode_text,
    file_version,
    is_binary,
    write_atomic,
)

TEXT = "Grüße, “quotes” and café\r\nsecond line\nthird\rlast"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_is_detected_stripped_and_restored(bom: bytes, encoding: str) -> None:
    data = bom + TEXT.encode(encoding)
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.bom) == (TEXT, encoding, bom)
    assert decoded.confidence == 1.0
    assert encode_text(decoded.text, decoded) == data
    changed = decoded.text.replace("café", "cafe")
    assert encode_text(changed, decoded) == bom + changed.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_utf16_and_utf32_are_recognised_by_their_nul_pattern(encoding: str) -> None:
    data = TEXT.encode(encoding)
    assert not is_binary(data)
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.bom) == (TEXT, encoding, b"")


def test_line_endings_survive_byte_for_byte() -> None:
    data = "a\r\nb\nc\rd\r\n\r\n".encode("utf-8") + "é".encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.text == "a\r\nb\nc\rd\r\n\r\né"
    assert encode_text(decoded.text, decoded) == data


def test_empty_and_ascii_take_the_fast_path() -> None:
    assert decode_bytes(b"") == DecodedText("", "ascii", b"", 1.0, (), "ascii")
    decoded = decode_bytes(b"plain\r\nascii\n")
    assert (decoded.text, decoded.encoding, decoded.reason) == ("plain\r\nascii\n", "ascii", "ascii")
    assert encode_text(decoded.text, decoded) == b"plain\r\nascii\n"


def test_strict_utf8_comes_before_legacy_detection() -> None:
    decoded = decode_bytes("naïve café".encode("utf-8"))
    assert (decoded.encoding, decoded.reason) == ("utf-8", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\x7fELF\x02\x01\x01\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"GIF89a\x01\x00\x01\x00",
        b"text with a NUL\x00 byte in it",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_data_is_rejected_with_a_one_line_message(data: bytes) -> None:
    assert is_binary(data)
    with pytest.raises(BinaryInputError) as info:
        decode_bytes(data)
    assert str(info.value) == "binary file"


def test_text_with_a_stray_control_byte_is_still_text() -> None:
    assert not is_binary(b"a form feed \x0c and an escape \x1b[0m and a bell \x07 " * 3)


def test_undecodable_bytes_raise_a_clear_error() -> None:
    # A UTF-8 BOM promises UTF-8, and these bytes are not UTF-8.
    with pytest.raises(UndecodableInputError, match="not decodable as utf-8"):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfd")


def test_a_repair_the_encoding_cannot_store_is_refused() -> None:
    decoded = decode_bytes("Привет, мир! Как дела?".encode("cp1251"))
    assert decoded.encoding == "cp1251"
    with pytest.raises(UnrepresentableRepairError) as info:
        encode_text(decoded.text + "\n中", decoded)
    assert info.value.encoding == "cp1251"
    assert info.value.character == "中"
    assert info.value.line == 2
    assert encode_text(decoded.text + "\n中", decoded, to_utf8=True).decode("utf-8").endswith("中")


def test_to_utf8_keeps_a_bom_only_if_the_input_had_a_unicode_bom() -> None:
    legacy = decode_bytes("Привет, мир! Как дела?".encode("cp1251"))
    assert encode_text(legacy.text, legacy, to_utf8=True) == legacy.text.encode("utf-8")
    wide = decode_bytes(codecs.BOM_UTF16_BE + "ok\r\n".encode("utf-16-be"))
    assert encode_text(wide.text, wide, to_utf8=True) == codecs.BOM_UTF8 + b"ok\r\n"


def test_unchanged_lines_keep_their_bytes_where_the_codec_has_duplicates() -> None:
    # 0x87 0x90 (NEC row 13) and 0x81 0xE0 (JIS) both decode to U+2252 in cp932; the
    # codec encodes the character back as 0x81 0xE0 only.
    data = "日本語のテキストです。\r\n".encode("cp932") + b"\x87\x90\r\n" + "変更する行\r\n".encode("cp932")
    decoded = decode_bytes(data)
    assert decoded.encoding == "cp932"
    assert decoded.text.encode("cp932") != data
    assert encode_text(decoded.text, decoded) == data
    changed = decoded.text.replace("変更する行", "変えた行")
    expected = data.replace("変更する行".encode("cp932"), "変えた行".encode("cp932"))
    assert encode_text(changed, decoded) == expected


def test_write_atomic_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["file.txt"]


def test_write_atomic_writes_through_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o604)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_write_atomic_cleans_up_and_keeps_the_original_on_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file.txt"]


def test_write_atomic_creates_a_missing_file_with_default_permissions(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    write_atomic(path, b"data")
    assert path.read_bytes() == b"data"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_write_atomic_refuses_to_overwrite_a_file_changed_since_it_was_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")
    version = file_version(path)
    path.write_bytes(b"someone else's edit")  # while mojifix was repairing "old"
    with pytest.raises(FileChangedError, match="changed during the run"):
        write_atomic(path, b"new", expected=version)
    assert path.read_bytes() == b"someone else's edit"
    assert os.listdir(tmp_path) == ["file.txt"]


def test_write_atomic_does_not_recreate_a_file_deleted_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")
    version = file_version(path)
    path.unlink()
    with pytest.raises(FileChangedError, match="disappeared during the run"):
        write_atomic(path, b"new", expected=version)
    assert os.listdir(tmp_path) == []


def test_write_atomic_writes_when_the_file_is_as_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")
    write_atomic(path, b"new", expected=file_version(path))
    assert path.read_bytes() == b"new"


def test_a_streamed_write_checks_the_file_it_read_from(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")

    def writer(handle: BinaryIO) -> bool:
        handle.write(path.read_bytes().upper())
        path.write_bytes(b"appended by a logger meanwhile")
        return True

    with pytest.raises(FileChangedError):
        write_atomic(path, writer)
    assert path.read_bytes() == b"appended by a logger meanwhile"
    assert os.listdir(tmp_path) == ["file.txt"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_and_write_back_exactly_or_raise_a_clear_error(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except (BinaryInputError, UndecodableInputError) as error:
        assert "\n" not in str(error)
        return
    assert encode_text(decoded.text, decoded) == data


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["utf-8", "utf-16", "utf-32", "gb18030"]))
def test_any_text_round_trips_through_unicode_encodings(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # lone surrogates
    try:
        decoded = decode_bytes(data)
    except BinaryInputError:
        assert "\x00" in text or any(ord(ch) < 32 for ch in text)
        return
    assert encode_text(decoded.text, decoded) == data
