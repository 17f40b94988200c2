"""fix_bytes: decode, repair, write back in the same encoding, BOM and line endings."""

from __future__ import annotations

import codecs

import pytest

import mojifix
from mojifix import BytesRepair, fix_bytes
from mojifix.textio import BinaryInputError, UnrepresentableRepairError

MOJIBAKE = "cafÃ© itâ€™s"  # UTF-8 read as cp1252
REPAIRED = "café it’s"


def test_fix_bytes_is_exported() -> None:
    assert mojifix.fix_bytes is fix_bytes
    assert "fix_bytes" in mojifix.__all__ and "BytesRepair" in mojifix.__all__


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_utf8_file_keeps_bom_and_line_endings(bom: bytes, newline: str) -> None:
    text = newline.join(["first line", MOJIBAKE, "last"]) + newline
    result = fix_bytes(bom + text.encode("utf-8"))
    assert isinstance(result, BytesRepair)
    assert result.changed
    assert result.data == bom + text.replace(MOJIBAKE, REPAIRED).encode("utf-8")
    assert result.decoded.bom == bom


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_unicode_with_bom_round_trips(encoding: str) -> None:
    text = f"line one\r\n{MOJIBAKE}\r\n"
    result = fix_bytes(text.encode(encoding))
    assert result.data.decode(encoding) == text.replace(MOJIBAKE, REPAIRED)
    assert result.data[:2] == text.encode(encoding)[:2]


def test_nothing_to_repair_returns_the_input_unchanged() -> None:
    data = "Привет, мир! Всё хорошо.\r\n".encode("cp1251")
    result = fix_bytes(data)
    assert not result.changed
    assert result.data is data
    assert result.decoded.encoding == "cp1251"


def test_to_utf8_converts_a_legacy_file() -> None:
    data = "Привет, мир! Всё хорошо.\r\n".encode("cp1251")
    result = fix_bytes(data, to_utf8=True)
    assert result.changed
    assert result.data == "Привет, мир! Всё хорошо.\r\n".encode("utf-8")


def test_binary_input_raises() -> None:
    with pytest.raises(BinaryInputError):
        fix_bytes(b"\x00\x01\x02\x03binary\x00")


def test_a_repair_a_legacy_encoding_cannot_store_is_reported_not_written() -> None:
    # A French cp1252 file holding UTF-8-as-cp1252 mojibake of Polish words: the
    # repaired "ł" and "ń" do not exist in cp1252.
    data = (
        "Le café est très bon, n’est-ce pas ? Voilà, à bientôt… "
        "\r\nPozdrowienia: Å‚adny dzieÅ„\r\n"
    ).encode("cp1252")
    decoded = mojifix.textio.decode_bytes(data)
    assert decoded.encoding == "cp1252"
    with pytest.raises(UnrepresentableRepairError):
        fix_bytes(data)
    converted = fix_bytes(data, to_utf8=True)
    assert "ładny dzień" in converted.data.decode("utf-8")
