"""The CJK engine's fast paths must never skip text the full analysis could repair."""

from __future__ import annotations

import random

from mojifix.cjk import _starter_lines, _starter_res_for, find_cjk_edits
from mojifix.options import CJK_CODECS, Options


def _starts_with_utf8_lead(ch: str, codec: str) -> bool:
    try:
        data = ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return 0xC2 <= data[0] <= 0xF4


def test_every_character_that_can_begin_an_atom_is_a_starter() -> None:
    # An atom begins at a character whose bytes start with a UTF-8 lead byte: the
    # starter class must hold every such character of every codec, BMP and beyond.
    single, _ = _starter_res_for(CJK_CODECS)
    rng = random.Random(7)
    points = list(range(0x80, 0x10000)) + rng.sample(range(0x10000, 0x110000), 20000)
    points += [0x1F600, 0xA9CEF, 0xA9CF0, 0x10FFFF]
    missing = [
        (codec, hex(cp))
        for cp in points
        if not 0xD800 <= cp <= 0xDFFF and not single.fullmatch(chr(cp))
        for codec in CJK_CODECS
        if _starts_with_utf8_lead(chr(cp), codec)
    ]
    assert missing == []


def test_curly_quotes_euro_and_emoji_are_not_starters() -> None:
    text = "It’s “fine” — really… €5 😀🎉 naïve café\nsecond line\n"
    assert list(_starter_lines(text, _starter_res_for(CJK_CODECS))) == []
    assert find_cjk_edits(text, Options()) == []


def test_starter_lines_are_the_lines_holding_a_match() -> None:
    lines = ["plain\n", "It鈥檚 here\n", "€ only\n", "Ã© later layer\n", "茅", ]
    text = "".join(lines)
    found = [text[a:b] for a, b in _starter_lines(text, _starter_res_for(CJK_CODECS))]
    assert found == ["It鈥檚 here\n", "Ã© later layer\n", "茅"]
