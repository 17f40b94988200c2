"""Every test case of ftfy's own suite, run through mojifix.fix_text.

Cases ftfy passes must pass here; ftfy's known failures run as strict xfail unless
mojifix repairs them, in which case they are listed in ``FIXED_BEYOND_FTFY`` and must pass.
Data: tests/fixtures/ftfy/ (Apache 2.0, Robyn Speer, see LICENSE.txt there).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mojifix import Options, fix_text

CASE_DIR = Path(__file__).parent / "fixtures" / "ftfy"
LOST = "\ufffd"
NO_GUESSING = Options(reconstruct_lost=False)

#: Labels of ftfy known failures that mojifix repairs correctly.
FIXED_BEYOND_FTFY: frozenset[str] = frozenset({
    # UTF-8 read as mac_roman: the model-based engine reads the whole run "√π" as "ù".
    "Italian UTF-8 / MacRoman mojibake that looks like math",
    # A space that replaced byte A0 inside a Vietnamese syllable (hĂ i -> hài): the word
    # lists say whether the space was the A0 byte or a word boundary.
    "A-with-grave in Vietnamese",
    # C1 controls inside Spanish words: Mac Roman read as Latin-1 (tur\x92stico ->
    # turístico), chosen over ftfy's cp1252 by the character and word models.
    "Latin-1 / MacRoman mixup in Spanish",
    "Latin-1 / MacRoman mixup in Spanish, 2 characters",
})


def _load_cases() -> list[dict[str, str]]:
    cases = []
    for path in sorted(CASE_DIR.glob("*.json")):
        cases.extend(json.loads(path.read_text(encoding="utf-8")))
    return cases


CASES = _load_cases()


def _expected(case: dict[str, str]) -> str:
    return case.get("fixed-encoding", case["fixed"])


def test_case_counts() -> None:
    assert len(CASES) == 161
    assert sum(case["expect"] == "pass" for case in CASES) == 151


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case["label"],
            marks=(
                []
                if case["expect"] == "pass" or case["label"] in FIXED_BEYOND_FTFY
                else [pytest.mark.xfail(strict=True, reason="ftfy known failure")]
            ),
        )
        for case in CASES
    ],
)
def test_ftfy_case(case: dict[str, str]) -> None:
    expected = _expected(case)
    if LOST in expected:
        # ftfy marks characters whose bytes were lost with U+FFFD; so does mojifix when
        # told not to guess. By default it rebuilds them: every other character must
        # still match, and each U+FFFD must have become one character.
        assert fix_text(case["original"], NO_GUESSING) == expected
        guessed = fix_text(case["original"])
        assert len(guessed) == len(expected)
        assert all(e in (g, LOST) for g, e in zip(guessed, expected))
    else:
        assert fix_text(case["original"]) == expected
