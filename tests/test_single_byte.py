"""UTF-8 read as single-byte code pages beyond ftfy's reach (koi8_r, cp1256, and cp1251 /
mac_roman readings of other scripts), judged by the model-based engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from mojifix import SINGLE_BYTE_CODECS, Options, fix_and_explain, fix_text

CLEAN = Path(__file__).parent / "fixtures" / "clean"


@pytest.mark.parametrize("text, codec", [
    ("Привет, как дела? Всё хорошо.", "koi8_r"),
    ("Größe und Übermaß: schöne Grüße aus München.", "cp1251"),
    ("Привет, как дела? Всё хорошо.", "mac_roman"),
    ("Café déjà vu — “naïve” façade.", "cp1256"),
    ("你好，世界。", "cp1256"),
])
def test_repairs_and_names_the_code_page(text: str, codec: str) -> None:
    mojibake = text.encode("utf-8").decode(codec)
    repair = fix_and_explain(mojibake)
    assert repair.text == text
    assert any(f"utf-8 read as {codec}" in span.explanation for span in repair.spans)


def _fixture_lines() -> list[str]:
    lines = []
    for path in sorted(CLEAN.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines()
                  if len(line) >= 20 and not line.isascii()]
    return lines


@pytest.mark.parametrize("codec", SINGLE_BYTE_CODECS)
def test_most_fixture_lines_come_back_exactly(codec: str) -> None:
    """Every clean fixture line (18 languages and math) that the code page can decode,
    read as that code page: at least 80 % must come back exactly (measured: 84-100 %)."""
    cases = []
    for line in _fixture_lines():
        try:
            cases.append((line, line.encode("utf-8").decode(codec)))
        except UnicodeDecodeError:
            continue
    assert len(cases) >= 30
    exact = sum(fix_text(mojibake) == line for line, mojibake in cases)
    assert exact / len(cases) >= 0.8


def test_a_partial_reading_is_no_repair() -> None:
    """ftfy's "hopeless garble": pieces of it decode under several code pages, the whole
    runs under none, so nothing changes."""
    garble = "ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â"
    assert fix_text(garble) == garble


def test_the_option_turns_them_off() -> None:
    mojibake = "Привет".encode("utf-8").decode("koi8_r")
    assert fix_text(mojibake, Options(single_byte_codecs=())) == mojibake


@pytest.mark.parametrize("text", ["東京は日本の首都です。", "今年七月二十日，聯合國人權組織"])
def test_cjk_text_read_as_cp1256_comes_back_whole(text: str) -> None:
    """UTF-8 CJK read as cp1256 leaves cp1252 symbols between Arabic letters
    (``و—¥و``); the legacy engine must not take those symbols for Shift_JIS bytes read
    as cp1252, since a letter its reading cannot produce is glued to them."""
    mojibake = text.encode("utf-8").decode("cp1256")
    assert fix_text(mojibake) == text
