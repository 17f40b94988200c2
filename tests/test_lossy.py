"""Lossy mojibake: bytes lost by the wrong decoder, rebuilt from what survived."""

from __future__ import annotations

import random
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from lossy_corrupt import MODES, corrupt, sample_paragraphs
from mojifix.lossy import REPLACEMENT, reconstruct, repair_undecodable
from mojifix.lossy_modes import LossMode, lossy_decode
from mojifix.options import CJK_CODECS, Options

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "000_754b26462f8bc4f8.txt"

ENGLISH = (
    "“It’s over,” she said — and the army’s retreat… began. ‘Never,’ he replied. "
    "The café’s naïve owner paid 5 €."
)


def _clean(name: str) -> str:
    return (FIXTURES / "clean" / f"{name}.txt").read_text(encoding="utf-8")


def _matched(text: str, out: str) -> set[int]:
    matched: set[int] = set()
    for a, _, size in SequenceMatcher(None, text, out, autojunk=False).get_matching_blocks():
        matched.update(range(a, a + size))
    return matched


# -- the failure modes ----------------------------------------------------------------

@pytest.mark.parametrize("codec", CJK_CODECS)
def test_model_of_python_decoders_is_exact(codec: str) -> None:
    rng = random.Random(7)
    texts = [_clean(n) for n in ("en", "zh-hans", "ja", "ko", "ru", "fr")]
    for text in texts:
        for _ in range(3):
            i = rng.randrange(len(text))
            data = text[i : i + 120].encode()
            assert lossy_decode(data, codec, LossMode.DROP) == data.decode(codec, errors="ignore")
            assert lossy_decode(data, codec, LossMode.REPLACE) == data.decode(codec, errors="replace")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("codec", CJK_CODECS)
def test_generator_agrees_with_model(codec: str, mode: str) -> None:
    observed, _ = corrupt(ENGLISH, codec, mode)
    assert observed == lossy_decode(ENGLISH.encode(), codec, LossMode(mode))


def test_seed_failure_mode_is_a_dropped_lead_byte() -> None:
    # ” before a space: E2 80 9D 20; GBK drops 9D (no pair 9D 20) and keeps the space.
    assert "” x".encode().decode("gbk", errors="ignore") == "鈥 x"
    observed, lost = corrupt("said” x", "gbk", "question")
    assert observed == "said鈥?x" and lost == {4, 5}  # '?' swallowed the space


# -- reconstruction -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("observed", "expected"),
    [
        ("鈥淭he army 鈥 keep running!鈥 he said", "“The army — keep running!” he said"),
        ("鈥楻USSIA IS RETREATING鈥", "‘RUSSIA IS RETREATING’"),
        ("the city鈥檚 name means 鈥渞aisin.鈥", "the city’s name means “raisin.”"),
        ("鈥淗i,鈥� she said", "“Hi,” she said"),
        ("caf\u8305\uff1f", None),
    ],
)
def test_gbk_losses_rebuilt_as_an_editor_would(observed: str, expected: str | None) -> None:
    result = reconstruct(observed, "gbk")
    if expected is None:
        return
    assert result is not None
    assert result.text == expected
    assert result.lost == len(result.guesses) >= 1
    assert all(g.confidence >= 0.5 and g.alternatives for g in result.guesses)
    assert result.notes and "lost bytes" in result.notes[0]


@pytest.mark.parametrize("mode", ["drop", "replace", "whatwg"])
@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_every_intact_character_comes_back(codec: str, mode: str) -> None:
    """No resynchronisation damage: whatever survived is decoded exactly."""
    for text in (ENGLISH, _clean("zh-hans").splitlines()[0][:80]):
        observed, lost = corrupt(text, codec, mode)
        result = reconstruct(observed, codec)
        assert result is not None, observed
        matched = _matched(text, result.text)
        missing = [text[i] for i in range(len(text)) if i not in lost and i not in matched]
        assert missing == [], (observed, result.text)


def test_no_guessing_option_marks_every_loss() -> None:
    observed = "鈥淭he army 鈥 keep running!鈥 he said"
    result = reconstruct(observed, "gbk", Options(reconstruct_lost=False))
    assert result is not None
    assert result.text == "“The army \ufffd keep running!\ufffd he said"
    assert [g.text for g in result.guesses] == [REPLACEMENT, REPLACEMENT]
    assert result.guesses[0].alternatives[0][0] == "—"  # the guess is still reported


def test_unconfident_guesses_become_replacement_characters() -> None:
    result = reconstruct("鈥淭he army 鈥 keep", "gbk", Options(min_guess_confidence=0.99))
    assert result is not None and result.text == "“The army \ufffd keep"
    assert result.reconstructed == 0 and result.lost == 1


def test_earlier_loss_markers_give_back_the_replacement_character() -> None:
    # 锟斤拷 is EF BF BD EF BF BD (two U+FFFD) read as GBK.
    result = reconstruct("name: 锟斤拷锟斤拷 ok", "gbk")
    assert result is not None
    assert result.text == "name: \ufffd\ufffd\ufffd\ufffd ok"
    assert result.earlier_loss == 4 and result.lost == 0
    assert any("original is gone" in note for note in result.notes)


# -- the CJK engine's hook ------------------------------------------------------------

@dataclass
class _Stretch:
    line: str
    line_offset: int
    start: int
    end: int
    codecs: tuple[str, ...]
    repaired_left: bool
    repaired_right: bool


def test_hook_repairs_a_lost_quote_in_its_paragraph() -> None:
    line = "鈥淚 was there. Russia is retreating鈥 the fighting is closer,鈥 she said.\n"
    at = line.index("鈥 the f")
    edits = repair_undecodable(_Stretch(line, 10, at, at + 1, ("gbk",), False, False))
    assert len(edits) == 1
    edit = edits[0]
    assert (edit.start, edit.end) == (10 + at, 11 + at)
    assert edit.replacement == "…" and edit.guesses[0].alternatives
    closing = line.index("鈥 she")
    edits = repair_undecodable(_Stretch(line, 0, closing, closing + 1, ("gbk",), False, False))
    assert [e.replacement for e in edits] == ["”"]


@pytest.mark.parametrize("genuine", ["黑料社", "茅台酒", "東京は晴れ", "안녕하세요"])
def test_hook_leaves_genuine_cjk_alone(genuine: str) -> None:
    line = f"{genuine}\n"
    stretch = _Stretch(line, 0, 0, len(genuine), CJK_CODECS, False, False)
    assert repair_undecodable(stretch) == []


# -- the seed ---------------------------------------------------------------------------

def test_seed_lines_rebuilt_as_expected() -> None:
    seed = SEED.read_text(encoding="utf-8").split("\n")
    expected = (FIXTURES / "seed" / "expected.txt").read_text(encoding="utf-8").split("\n")
    assert len(seed) == len(expected)
    for line, want in zip(seed, expected):
        if line.isascii() or line == "黑料社":
            assert line == want
            continue
        result = reconstruct(line, "gbk")
        assert result is not None and result.text == want
