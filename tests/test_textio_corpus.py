"""Round trips over real files of every encoding family: read, repair, write back."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from encoding_judge import KNOWN_WRONG, Fixture, load_fixtures

from mojifix.textio import (
    UnrepresentableRepairError,
    decode_bytes,
    encode_text,
    fix_bytes,
    write_atomic,
)

FIXTURES = load_fixtures()

#: UTF-8 mojibake (read as Latin-1) that every Latin-1-like encoding can store, and
#: its repair.
MOJIBAKE, REPAIRED = "La cafÃ©tÃ©ria coÃ»te cher.", "La cafétéria coûte cher."


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_reading_and_writing_back_is_byte_exact(fixture: Fixture) -> None:
    decoded = decode_bytes(fixture.data)
    assert encode_text(decoded.text, decoded) == fixture.data


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_unchanged_lines_keep_their_bytes_when_one_line_changes(fixture: Fixture) -> None:
    """Change the last line of real files (in their own characters): every other byte
    of the file stays as it was, whatever the codec, BOM and line endings."""
    decoded = decode_bytes(fixture.data)
    head, sep, last = decoded.text.rpartition("\n")
    if not sep:
        pytest.xfail("single-line file")  # pragma: no cover - every fixture has lines
    changed = head + sep + last[::-1]
    data = encode_text(changed, decoded)
    if decoded.encoding.startswith(("utf-16", "utf-32")):
        newline = "\n".encode(decoded.encoding)
    else:
        newline = b"\n"
    original_head = fixture.data[: fixture.data.rfind(newline) + len(newline)]
    assert data.startswith(original_head)
    assert data[len(original_head) :] == last[::-1].encode(decoded.encoding)


@pytest.mark.parametrize(
    "fixture",
    [
        f
        for f in FIXTURES
        if f.id not in KNOWN_WRONG
        and f.expected in {"cp1252", "iso8859-1", "iso8859-15", "utf-8", "utf-8-sig",
                           "utf-16", "utf-32", "utf-16-le", "utf-32-be"}
    ],
    ids=lambda f: f.id,
)
def test_a_repaired_file_differs_only_in_the_repaired_span(fixture: Fixture) -> None:
    decoded = decode_bytes(fixture.data)
    text = decoded.text
    newline = "\r\n" if "\r\n" in text else "\n"
    corrupted = text + newline + MOJIBAKE + newline
    data = encode_text(corrupted, decoded)
    result = fix_bytes(data)
    assert result.changed
    assert result.decoded.encoding == decoded.encoding
    assert result.decoded.bom == decoded.bom
    assert result.repair.text == text + newline + REPAIRED + newline
    expected = fixture.data + (newline + REPAIRED + newline).encode(decoded.encoding)
    assert result.data == expected


def test_text_koi8_cannot_store_is_refused_and_can_be_converted() -> None:
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю.\n"
    decoded = decode_bytes(text.encode("koi8-r"))
    assert decoded.encoding == "koi8-r"
    with pytest.raises(UnrepresentableRepairError) as info:
        encode_text(text + "“quoted”\n", decoded)
    assert info.value.line == 2 and info.value.character == "“"
    assert encode_text(text + "“quoted”\n", decoded, to_utf8=True) == (text + "“quoted”\n").encode("utf-8")


def test_write_atomic_round_trip_of_a_legacy_file(tmp_path: Path) -> None:
    fixture = next(f for f in FIXTURES if f.expected == "cp1251")
    path = tmp_path / "legacy.txt"
    path.write_bytes(fixture.data + "\r\nÃ©tÃ©\r\n".encode("cp1251", errors="ignore"))
    os.chmod(path, 0o600)
    result = fix_bytes(path.read_bytes(), to_utf8=True)
    write_atomic(path, result.data)
    assert path.read_bytes() == result.data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().decode("utf-8") == result.repair.text
    assert not path.read_bytes().startswith(codecs.BOM_UTF8)
