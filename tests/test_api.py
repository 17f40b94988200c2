"""The public API: fix_text repairs mojibake and nothing else; fix_and_explain explains."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

import mojifix
from mojifix import Layer, Options, Repair, fix_and_explain, fix_text


def test_all_exports_exist() -> None:
    for name in mojifix.__all__:
        assert hasattr(mojifix, name), name


@pytest.mark.parametrize(
    "text",
    [
        "“Curly quotes” and ‘single’ ones",
        "Full-width ＡＢＣ，１２３！",
        "Ligatures: ﬁne ﬂow",
        "\ufeffA byte-order mark stays",
        "Windows line\r\nendings\r\n",
        "Old Mac line\rendings\r",
        "HTML &amp; entities &lt;b&gt; stay",
        unicodedata.normalize("NFD", "NFD: café naïve Å"),
        unicodedata.normalize("NFC", "NFC: café naïve Å"),
        "Tabs\tand\x0bvertical tabs\x0cform feeds",
        "",
        "plain ascii",
    ],
)
def test_non_mojibake_is_kept_exactly(text: str) -> None:
    assert fix_text(text) == text


def test_repairs_only_the_mojibake_and_keeps_the_rest() -> None:
    text = "\ufeff“Café” ﬁne ＡＢ &amp; Ã©\r\n"
    assert fix_text(text) == "\ufeff“Café” ﬁne ＡＢ &amp; é\r\n"


def test_issue_example() -> None:
    assert fix_text("cafÃ© itâ€™s\n") == "café it’s\n"


def test_fix_and_explain_spans_point_into_input_and_output() -> None:
    text = "Le cafÃ© est prÃªt, itâ€™s fine."
    repair = fix_and_explain(text)
    assert isinstance(repair, Repair)
    assert repair.text == fix_text(text)
    assert repair.changed
    assert len(repair.spans) == 3
    for span in repair.spans:
        assert text[span.start : span.end] == span.original
        assert repair.text[span.out_start : span.out_end] == span.repaired
        assert span.chain == (Layer("utf-8", "cp1252"),)
        assert 0.0 <= span.confidence <= 1.0
        assert span.applied


def test_two_layers_are_explained_innermost_first() -> None:
    twice = "é".encode("utf-8").decode("latin-1").encode("utf-8").decode("cp1252")
    repair = fix_and_explain(f"caf{twice}")
    assert repair.text == "café"
    (span,) = repair.spans
    assert len(span.chain) == 2
    assert span.chain[-1].read_as == "cp1252"


def test_result_values_are_frozen() -> None:
    repair = fix_and_explain("cafÃ©")
    with pytest.raises(dataclasses.FrozenInstanceError):
        repair.text = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        repair.spans[0].confidence = 1.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Options().min_confidence = 0.1  # type: ignore[misc]


def test_unchanged_text_has_no_spans() -> None:
    repair = fix_and_explain("Nothing to see here — really.")
    assert not repair.changed
    assert repair.spans == ()
    assert repair.confidence == 1.0


def test_min_confidence_one_applies_nothing_but_reports() -> None:
    text = "cafÃ©"
    strict = Options(min_confidence=1.01)
    repair = fix_and_explain(text, strict)
    assert repair.text == text
    assert repair.spans and not any(span.applied for span in repair.spans)
    assert repair.spans[0].repaired == "é"


def test_disabling_latin_engine_leaves_latin_mojibake() -> None:
    assert fix_text("cafÃ©", Options(latin=False, cjk_codecs=(), single_byte_codecs=())) == "cafÃ©"


def test_bytes_are_rejected_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        fix_text(b"caf\xc3\xa9")  # type: ignore[arg-type]


def test_each_span_gets_its_own_depth_of_chain() -> None:
    once = "é".encode("utf-8").decode("cp1252")
    twice = once.encode("utf-8").decode("cp1252")
    repair = fix_and_explain(f"{once}lan vital and {twice}t{twice}")
    assert repair.text == "élan vital and été"
    depths = {span.original: len(span.chain) for span in repair.spans}
    assert depths[once] == 1
    assert max(depths.values()) == 2


def test_embedded_mojibake_is_explained_with_its_own_code_page() -> None:
    """ftfy repairs mojibake embedded in otherwise correct text (its
    ``decode_inconsistent_utf8`` step) with whatever code page fits the piece: a real
    Debian changelog line holds Polish read as cp1250 beside a genuine ``ł``, and its
    explanation must say cp1250, not cp1252."""
    repair = fix_and_explain("s/twĂłĹź/ (fix by Michał Łomnicki)")
    assert repair.text == "s/twóş/ (fix by Michał Łomnicki)"
    assert [span.explanation for span in repair.spans] == ["utf-8 read as cp1250"]


@pytest.mark.parametrize("text", [
    "Il est allé à Paris, voilà une idée.",  # French à is a word: the space stays
    "Xem clip hài, phim hài mới hay nhất",  # Vietnamese à inside a syllable
])
def test_a_space_that_replaced_byte_a0_is_judged_by_words(text: str) -> None:
    """UTF-8 read as cp1252 (or cp1250), then every no-break space turned into an ASCII
    space and double spaces folded: ``à`` (C3 A0) lost its second byte to a space."""
    codec = "cp1252" if "Paris" in text else "cp1250"
    mojibake = text.encode("utf-8").decode(codec).replace("\xa0 ", " ").replace("\xa0", " ")
    assert fix_text(mojibake) == text


def test_a_genuine_capital_before_a_space_is_no_lost_byte_a0() -> None:
    """ftfy restores byte A0 after ``Ã`` on a line it repairs for another reason (here a
    C1 control): Portuguese ``MAÇÃ do`` became ``MAÇà do``. The word as it was is known
    and likelier, so it stays."""
    text = "SÃO PAULO \x97 A prefeitura anunciou que a MAÇÃ do festival"
    assert fix_text(text) == "SÃO PAULO — A prefeitura anunciou que a MAÇÃ do festival"


def test_a_rare_result_stands_when_its_line_is_plainly_the_same_mojibake() -> None:
    """ftfy reads the whole line as one cp1252 transcode; ``ℕ`` alone looks unlikely,
    but the line's other repairs are evidence for it too."""
    text = "Set notation: A ∩ B ⊆ A ∪ B, ∅ ⊂ ℕ, ¬(p ∧ q) ⇔ (¬p ∨ ¬q)."
    assert fix_text(text.encode("utf-8").decode("cp1252")) == text
