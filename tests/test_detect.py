"""Encoding detection on real files of every encoding family, and on constructed cases."""

from __future__ import annotations

import codecs
import random

import pytest
from encoding_judge import KNOWN_WRONG, Fixture, is_right, load_fixtures, without_declaration

from mojifix.detect import (
    Detection,
    detect,
    detect_utf16_32,
    find_declaration,
    normalize_label,
)

FIXTURES = load_fixtures()

def _params() -> list[object]:
    return [
        pytest.param(
            fixture,
            id=fixture.id,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[fixture.id])
            if fixture.id in KNOWN_WRONG
            else (),
        )
        for fixture in FIXTURES
    ]


def test_fixtures_cover_every_encoding_family() -> None:
    families = {fixture.expected for fixture in FIXTURES}
    assert len(families) >= 55
    for encoding in ("utf-16-le", "utf-32-be", "gb2312", "big5", "shift_jis", "euc_kr",
                     "cp1251", "koi8-r", "iso8859-7", "tis-620", "iso2022_jp", "hz"):
        assert encoding in families


@pytest.mark.parametrize("fixture", _params())
def test_detects_fixture_as_published(fixture: Fixture) -> None:
    found = detect(fixture.data)
    assert found is not None
    assert is_right(fixture.data, found.encoding, fixture.expected), found


@pytest.mark.parametrize("fixture", _params())
def test_detects_fixture_from_its_text_alone(fixture: Fixture) -> None:
    data = without_declaration(fixture.data)
    found = detect(data)
    assert found is not None
    assert found.reason != "declaration"
    assert is_right(data, found.encoding, fixture.expected), found


def test_most_short_snippets_are_detected_right() -> None:
    """40-character pieces of each fixture's text (seeded), each with non-ASCII."""
    rng = random.Random(5)
    right = total = 0
    for fixture in FIXTURES:
        text = fixture.data.decode(fixture.expected).lstrip("\ufeff")
        positions = [i for i, ch in enumerate(text) if ch > "\x7f"]
        if not positions:
            continue
        for _ in range(3):
            anchor = rng.choice(positions)
            start = max(0, min(len(text) - 40, anchor - rng.randrange(40)))
            data = text[start : start + 40].encode(fixture.expected)
            found = detect(data)
            total += 1
            right += found is not None and is_right(data, found.encoding, fixture.expected)
    assert total > 200
    assert right / total >= 0.88, f"{right}/{total}"


def test_detection_reports_confidence_and_alternatives_that_decode() -> None:
    data = "Съешь же ещё этих мягких французских булок, да выпей чаю.".encode("cp1251")
    found = detect(data)
    assert found == Detection(found.encoding, b"", found.confidence, found.alternatives, "statistics")
    assert found.encoding == "cp1251"
    assert 0.5 < found.confidence <= 1.0
    names = [name for name, _ in found.alternatives]
    assert found.encoding not in names
    assert len(names) == len(set(names))
    confidences = [confidence for _, confidence in found.alternatives]
    assert confidences == sorted(confidences, reverse=True)
    for name in names:
        data.decode(name)  # every alternative decodes the data


def test_a_short_ambiguous_text_is_less_sure_than_a_long_clear_one() -> None:
    short = detect("Ж".encode("cp1251"))
    long = detect(("Жили-были дед да баба. " * 20).encode("cp1251"))
    assert short is not None and long is not None
    assert short.confidence < long.confidence


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("日本語のテキストです。漢字と仮名が混ざっています。", "shift_jis"),
        ("日本語のテキストです。漢字と仮名が混ざっています。", "euc_jp"),
        ("中文测试文本，这是一个简单的例子，用来检测编码。", "gb2312"),
        ("中文測試文本，這是一個簡單的例子，用來檢測編碼。", "big5"),
        ("한국어 텍스트입니다. 인코딩을 감지하는 예입니다.", "euc_kr"),
        ("Съешь же ещё этих мягких французских булок.", "koi8-r"),
        ("Съешь же ещё этих мягких французских булок.", "cp866"),
        ("Съешь же ещё этих мягких французских булок.", "iso8859-5"),
        ("Съешь же ещё этих мягких французских булок.", "mac-cyrillic"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "iso8859-2"),
        ("Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.", "iso8859-7"),
        ("דג סקרן שט בים מאוכזב ולפתע מצא חברה.", "cp1255"),
        ("نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر.", "cp1256"),
        ("เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน", "tis-620"),
        ("Pijamalı hasta yağız şoföre çabucak güvendi.", "cp1254"),
        ("Le cœur déçu mais l’âme plutôt naïve, Louÿs rêva de crapaüter.", "cp1252"),
    ],
)
def test_detects_pangrams(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    found = detect(data)
    assert found is not None
    assert is_right(data, found.encoding, encoding), found


@pytest.mark.parametrize("encoding", ["iso8859-3", "iso8859-9", "cp1254"])
def test_turkish_with_dotted_capital_i(encoding: str) -> None:
    # "İ".lower() is two characters; letter pairs after it must stay aligned (they once
    # shifted every later byte of the reading, and iso8859-3 Turkish read as iso8859-2).
    text = "İstanbul'da ılık bir rüzgâr esiyordu; öğrenciler Çamlıca'ya gitti ve İzmir'e döndü."
    data = text.encode(encoding)
    found = detect(data)
    assert found is not None
    assert is_right(data, found.encoding, encoding), found


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_wide_unicode_by_nul_pattern(encoding: str) -> None:
    data = "Plain text, ASCII mostly: café 東京\r\n".encode(encoding)
    assert detect_utf16_32(data) == encoding
    found = detect(data)
    assert (found.encoding, found.reason) == (encoding, "nul-pattern")


def test_nul_bytes_that_are_no_utf16_pattern_are_not_wide_unicode() -> None:
    assert detect_utf16_32(b"abc\x00def\x00\x00ghij") is None


@pytest.mark.parametrize("encoding", ["iso2022_jp", "iso2022_kr", "hz"])
def test_seven_bit_escape_encodings(encoding: str) -> None:
    text = {"hz": "中文文本", "iso2022_kr": "한국어 텍스트"}.get(encoding, "日本語のテキスト")
    data = text.encode(encoding)
    found = detect(data)
    assert found is not None and found.reason == "escape"
    assert found.encoding == encoding


def test_pure_ascii_and_utf8() -> None:
    assert detect(b"just ascii\n").encoding == "ascii"
    assert detect("naïve".encode("utf-8")).encoding == "utf-8"
    assert detect(codecs.BOM_UTF8 + b"x") == Detection("utf-8", codecs.BOM_UTF8, 1.0, (), "bom")


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("Shift_JIS", "shift_jis"),
        ("windows-1251", "cp1251"),
        ("x-sjis", "cp932"),
        ("Windows-31J", "cp932"),
        ("x-mac-cyrillic", "mac-cyrillic"),
        ("ks_c_5601-1987", "euc_kr"),
        ("utf8", "utf-8"),
        ("no-such-charset", None),
    ],
)
def test_normalize_label(label: str, codec: str | None) -> None:
    assert normalize_label(label) == codec


def test_declarations_in_xml_and_html() -> None:
    assert find_declaration(b'<?xml version="1.0" encoding="EUC-JP"?>') == "euc_jp"
    assert find_declaration(b"<meta charset='koi8-r'>") == "koi8-r"
    assert find_declaration(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />') == "gb2312"


def test_a_declaration_is_honoured_through_its_family() -> None:
    # TIS-620 declared, but the bullet 0x95 exists only in Windows-874, the encoding
    # browsers use for the label; Python's tis-620 reads it as a C1 control.
    body = "<p>• ภาษาไทย</p>".encode("cp874")
    assert b"\x95" in body
    data = b'<meta charset="tis-620">' + body
    found = detect(data)
    assert (found.encoding, found.reason) == ("cp874", "declaration")


def test_a_declaration_that_does_not_fit_is_ignored() -> None:
    data = b'<meta charset="utf-8">' + "Привет, как дела у тебя сегодня?".encode("cp1251")
    found = detect(data)
    assert (found.encoding, found.reason) == ("cp1251", "statistics")


def test_cjk_tier_tables_agree_with_the_tier_definitions() -> None:
    """The CJK models look characters up in tables built a row of codes at a time;
    they must give what the tier definitions (``langmodel._tiered``) give, on the
    characters of every tier, the ranges beyond, one-way Big5 codes and the rest."""
    from functools import partial

    from mojifix import langmodel

    specs = (langmodel._SIMPLIFIED_CHINESE, langmodel._TRADITIONAL_CHINESE,
             langmodel._JAPANESE, langmodel._KOREAN)
    rng = random.Random(5)
    points = [*range(0x80, 0x10000), *rng.sample(range(0x10000, 0x30000), 2000)]
    for model, spec in zip(langmodel.cjk_models(), specs, strict=True):
        tiers = tuple((first, last, langmodel._share(share, members))
                      for first, last, share, members in spec.tiers)
        tiers += tuple((first, last, langmodel.PUNCTUATION) for first, last in spec.punctuation)
        beyond = tuple((codec, first, last, langmodel._share(share, members))
                       for codec, first, last, share, members in spec.beyond)
        reference = partial(langmodel._tiered, spec.codec, tiers, beyond)
        wrong = [hex(cp) for cp in points
                 if not 0xD800 <= cp < 0xE000 and model.unigram(chr(cp)) != reference(chr(cp))]
        assert not wrong, (model.name, wrong[:5])
    # Tiers do order characters: a common hanzi is likelier than a rare one.
    zh = langmodel.cjk_models()[0]
    assert zh.unigram("的") > zh.unigram("亍") > zh.unigram("丂")  # level 1, level 2, GBK
