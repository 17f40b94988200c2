"""The measured plausibility model behind the CJK engine's decisions."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mojifix.plausibility import (
    CLASSES, char_class, log_likelihood_ratio, model, probability, repair_confidence,
)


def test_classes_of_characters() -> None:
    names = [CLASSES[char_class(c)] for c in "a é Ж λ 中 か カ ｶ 한 ’ 。 😀 \u0301 \x85 \ue000 \u0378"]
    assert names == [
        "LATIN", "SPACE", "LATIN", "SPACE", "CYRILLIC", "SPACE", "GREEK", "SPACE", "HAN",
        "SPACE", "HIRAGANA", "SPACE", "KATAKANA", "SPACE", "HALFWIDTH_KANA", "SPACE",
        "HANGUL", "SPACE", "PUNCT", "SPACE", "CJK_PUNCT", "SPACE", "EMOJI", "SPACE", "MARK",
        "SPACE", "CONTROL", "SPACE", "PRIVATE_USE", "SPACE", "UNASSIGNED",
    ]


def test_common_characters_cost_less_than_rare_ones() -> None:
    m = model()
    assert m.unigram("的") < m.unigram("茅") < m.unigram("檚")
    assert m.unigram("e") < m.unigram("é") < m.unigram("ŝ")
    assert m.unigram("и") < m.unigram("щ")


def test_unseen_characters_fall_back_on_measured_data() -> None:
    m = model()
    # A capital costs its small letter plus the measured capital-to-small difference.
    assert m.unigram("Ŝ") == pytest.approx(m.unigram("ŝ") + m.upper_bits)
    # ß, which wordfreq folds into "ss", costs what "ss" costs.
    assert m.unigram("ß") == pytest.approx(2 * m.unigram("s"))
    # Half-width katakana cost what their full-width forms cost within their class.
    assert m.unigram("ｶ") == pytest.approx(m.unigram("カ"))
    # An ideograph of GB2312 level 1 is dearer than none only up to its tier's bound;
    # one outside every national standard's tiers is dearer still.
    assert m.unigram("丂") > m.tier_cost["HAN"]["1"]


def test_context_matters() -> None:
    m = model()
    # An ideograph glued to Latin letters is odd; the same between ideographs is not.
    assert m.cost("茅", "caf", "") - m.cost("茅", "中", "") > 5
    # A Greek letter after Chinese words is odd, after Greek words it is not.
    assert m.cost("ο", "中文 ", "") - m.cost("ο", "λόγος ", "") > 5


def test_log_likelihood_ratio_and_confidence() -> None:
    assert log_likelihood_ratio("It鈥檚", "It’s") > 20
    assert log_likelihood_ratio("茅台", "é\u0328", "我喜欢", "酒") < 0
    for before, after in [("caf茅", "café"), ("茅台", "é\u0328"), ("", "")]:
        confidence = repair_confidence(before, after, prior_bits=12)
        assert 0.0 <= confidence <= 1.0
    assert repair_confidence("caf茅", "café", prior_bits=12) > repair_confidence(
        "caf茅", "café", prior_bits=30)


def test_probability_is_a_logistic_in_bits() -> None:
    assert probability(0) == 0.5
    assert probability(1) == pytest.approx(2 / 3)
    assert probability(-1) == pytest.approx(1 / 3)
    assert probability(1000) == 1.0 and probability(-1000) == 0.0


def test_tables_load_lazily_without_wordfreq() -> None:
    code = (
        "import sys, mojifix, mojifix.plausibility as p\n"
        "assert p.model.cache_info().currsize == 0\n"
        "mojifix.fix_text('It\\u9225\\u6a9a fine')\n"
        "assert p.model.cache_info().currsize == 1\n"
        "assert 'wordfreq' not in sys.modules, 'wordfreq imported at run time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
