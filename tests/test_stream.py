"""Streaming repair gives the same text as repairing everything at once."""

from __future__ import annotations

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
