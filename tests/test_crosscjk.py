"""Legacy CJK text read as another CJK codec (field notes: GBK read as Big5 and back,
Shift_JIS read as GBK, EUC-KR read as GBK)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mojifix import Options, fix_and_explain, fix_text
from mojifix.crosscjk import MAX_BITS_PER_CHAR, find_cross_cjk_edits
from mojifix.plausibility import model

CLEAN = Path(__file__).parent / "fixtures" / "clean"
FILES = {"gbk": "zh-hans", "big5": "zh-hant", "shift_jis": "ja", "cp932": "ja", "euc_kr": "ko"}


def _lines(name: str) -> list[str]:
    text = (CLEAN / f"{name}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines()
            if len({ch for ch in line if ch >= "\x80"}) >= 8]


# Big5 read as GBK is lossy in practice (GBK has no pair for Big5's full-width comma,
# A1 41), so the lossless engine cannot show it on these lines.
@pytest.mark.parametrize("written, read", [
    ("gbk", "big5"), ("shift_jis", "gbk"), ("euc_kr", "gbk"), ("cp932", "cp949"),
])
def test_lines_come_back_and_name_both_codecs(written: str, read: str) -> None:
    cases = []
    for line in _lines(FILES[written]):
        try:
            cases.append((line, line.encode(written).decode(read)))
        except UnicodeError:
            continue  # a lossy reading: not this engine's case
    assert cases, "no lossless line for this pair"
    exact = 0
    for line, mojibake in cases:
        repair = fix_and_explain(mojibake)
        if repair.text == line:
            exact += 1
            assert all(span.chain[-1].read_as == read for span in repair.spans)
    assert exact / len(cases) >= 0.8, (exact, len(cases))


@pytest.mark.parametrize("name", ["zh-hans", "zh-hant", "ja", "ko"])
def test_genuine_cjk_lines_are_left_alone(name: str) -> None:
    for line in _lines(name):
        assert find_cross_cjk_edits(line, Options()) == []


@pytest.mark.parametrize("text", [
    "\u3000" * 30 + "読者数：",  # runs of one character read as anything
    "啊啊啊啊啊啊啊啊啊啊啊啊",
    "№ 丨 仡 伀 伃 伹 佖 侊 侒 侔 侚 俉 俍 俿 倞",  # a character table
    "㎎ ㎏ ㎜ ㎝ ㎡ ㏄",  # units that another reading turns into Cyrillic letters
])
def test_tables_and_repeats_are_not_language(text: str) -> None:
    assert fix_text(text) == text


def test_the_cost_bar_lies_above_genuine_text() -> None:
    """The bar was set on the tuning paragraphs; the hand-written fixtures (not used to
    set it) must all lie below it, line by line."""
    m = model()
    for name in ("zh-hans", "zh-hant", "ja", "ko"):
        for line in _lines(name):
            assert m.cost(line) <= MAX_BITS_PER_CHAR * len(line), line


def test_the_legacy_option_turns_it_off() -> None:
    mojibake = "こんにちは、世界。".encode("cp932").decode("gbk")
    assert fix_text(mojibake, Options(legacy=False)) == mojibake
    assert fix_text(mojibake) == "こんにちは、世界。"
