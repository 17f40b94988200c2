"""Streaming repair gives the same text as repairing everything at once."""

from __future__ import annotations

import codecs
import io
import random

import pytest

from mojifix import fix_text
from mojifix.stream import fix_binary_stream, iter_repairs, safe_cut

MOJIBAKE_LINES = [
    "Le cafÃ© est prÃªt, itâ€™s fine.\n",
    "Plain ASCII line.\n",
    "\n",
    "ÃƒÂ©lan and naÃ¯ve\n",
    "“Curly” and ‘clean’ text — kept.\n",
]


def _document(seed: int, lines: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(MOJIBAKE_LINES) for _ in range(lines))


@pytest.mark.parametrize("piece_chars", [16, 57, 200, 10_000])
def test_pieces_join_to_the_whole_repair(piece_chars: int) -> None:
    text = _document(seed=piece_chars, lines=300)
    rng = random.Random(1)
    chunks, position = [], 0
    while position < len(text):
        step = rng.randint(1, 40)
        chunks.append(text[position : position + step])
        position += step
    streamed = "".join(r.text for r in iter_repairs(chunks, piece_chars=piece_chars))
    assert streamed == fix_text(text)


def test_a_huge_single_line_is_cut_between_ascii_characters() -> None:
    line = "word cafÃ© " * 5000
    pieces = list(iter_repairs([line], piece_chars=1000))
    assert len(pieces) > 10
    assert "".join(p.text for p in pieces) == "word café " * 5000


def test_safe_cut_never_cuts_inside_non_ascii_runs() -> None:
    text = "ab" + "鈥檚" * 50 + "cd"
    # Nothing safe in reach behind the limit: the first safe place ahead is between c and d.
    assert safe_cut(text, 30) == len(text) - 1
    assert safe_cut("abcdefghijklmnop" + "鈥檚" * 50, 30) == 15
    assert safe_cut("鈥檚" * 50 + "c", 30) is None


def test_binary_stream_round_trip_keeps_invalid_bytes_and_encoding() -> None:
    data = "cafÃ© ok\r\n".encode("utf-8") * 1000 + b"\xff tail"
    target = io.BytesIO()
    summary = fix_binary_stream(io.BytesIO(data), target, chunk_bytes=333)
    assert target.getvalue() == "café ok\r\n".encode("utf-8") * 1000 + b"\xff tail"
    assert summary.repairs == 1000 and summary.changed


def test_large_file_is_checked_and_repaired_by_streaming(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    import mojifix.stream as stream
    from mojifix.cli import main

    monkeypatch.setattr(stream, "LARGE_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    body = "Le cafÃ© est prÃªt.\r\n" * 400 + "clean line\n" * 100
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    path.chmod(0o640)
    assert stream.is_streamable(path, path.stat().st_size)

    checked = CliRunner().invoke(main, ["--check", "-j", "1", str(path)])
    assert checked.exit_code == 1
    assert path.read_bytes() == codecs.BOM_UTF8 + body.encode("utf-8")

    written = CliRunner().invoke(main, ["--write", "-j", "1", str(path)])
    assert written.exit_code == 0
    assert path.read_bytes() == codecs.BOM_UTF8 + body.replace("Ã©", "é").replace("Ãª", "ê").encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert CliRunner().invoke(main, ["--check", "-j", "1", str(path)]).exit_code == 0


def test_large_file_with_bad_bytes_later_is_left_untouched(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import mojifix.stream as stream
    from mojifix.textio import UndecodableInputError

    monkeypatch.setattr(stream, "LARGE_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    data = "cafÃ© ok\n".encode("utf-8") * 200_000 + b"\xff\xfe broken\n"
    path.write_bytes(data)
    with pytest.raises(UndecodableInputError):
        stream.repair_large_file(path, write=True)
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["big.txt"]
