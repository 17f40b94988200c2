"""The CJK engine on hand-picked real examples: UTF-8 read as GBK & co."""

from __future__ import annotations

from pathlib import Path

import pytest

import mojifix.cjk as cjk
from mojifix import Layer, fix_and_explain, fix_text
from mojifix.options import Options

SEED = Path(__file__).parents[1] / "seeds" / "000_754b26462f8bc4f8.txt"


@pytest.mark.parametrize(
    ("mojibake", "expected"),
    [
        ("It鈥檚 fine", "It’s fine"),
        ("caf茅", "café"),
        ("鈥淭he Russian army", "“The Russian army"),
        ("the war鈥檚 principal front lines", "the war’s principal front lines"),
        ("Moscow鈥檚 worst defeat", "Moscow’s worst defeat"),
    ],
)
def test_short_real_examples(mojibake: str, expected: str) -> None:
    repair = fix_and_explain(mojibake)
    assert repair.text == expected
    assert all(span.chain == (Layer("utf-8", "gbk"),) for span in repair.applied_spans)
    assert all(0.5 <= span.confidence <= 1.0 for span in repair.applied_spans)


def test_nbsp_in_a_line_of_gbk_mojibake() -> None:
    line = "KYIV/HRAKOVE, Ukraine聽 Moscow abandoned the war鈥檚 principal front"
    assert fix_text(line) == "KYIV/HRAKOVE, Ukraine\u00a0 Moscow abandoned the war’s principal front"


@pytest.mark.parametrize(
    "genuine",
    ["黑料社", "茅台", "茅台 ", "Moutai 茅台", "茅台酒", "我喜欢茅台酒。", "小 说", "亢", "慰", "一 僚"],
)
def test_genuine_chinese_stays(genuine: str) -> None:
    assert fix_text(genuine) == genuine


def test_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    fixed = fix_text(text)
    assert fixed.splitlines()[0] == "黑料社"
    # Every intact piece of mojibake is repaired ...
    for mojibake in ("鈥檚", "鈥淭", "鈥渟", "鈥渞"):
        assert mojibake not in fixed
    assert "Russia’s attack" in fixed and "“The Russian army" in fixed
    # ... and the lossy spots (a lead byte whose partner GBK dropped) are rebuilt as
    # guesses, or marked U+FFFD when guessing is off; never left as mojibake.
    assert "campaigns — a months-long" in fixed
    unguessed = fix_text(text, Options(reconstruct_lost=False))
    assert "campaigns \ufffd a months-long" in unguessed
    assert "鈥" not in unguessed
    assert fixed.count("\n") == text.count("\n")


def test_chinese_paragraph_then_mojibake_paragraph() -> None:
    chinese = "台北看守所昨天抽查前總統陳水扁的房舍，引來扁的強烈不滿。"
    english = "It’s a naïve café, isn’t it? Это русский текст."
    mojibake = english.encode("utf-8").decode("gbk")
    assert fix_text(chinese + "\n\n" + mojibake) == chinese + "\n\n" + english


def test_only_the_broken_spans_of_a_line_change() -> None:
    line = "黑料社: Russia鈥檚 attack, 东京 and café"
    assert fix_text(line) == "黑料社: Russia’s attack, 东京 and café"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Über den Wolken, naïve café", "shift_jis"),
        ("Это русский текст.", "gbk"),
        ("Ελληνικά γράμματα και ένα 😀", "gb18030"),
        ("Ελληνικά γράμματα και ένα 😀", "gbk"),
        ("한국어a", "gb18030"),
        ("Über den Wolken, naïve café", "cp949"),
    ],
)
def test_other_languages_through_one_codec(text: str, codec: str) -> None:
    mojibake = text.encode("utf-8").decode(codec)
    repair = fix_and_explain(mojibake)
    assert repair.text == text
    assert {layer.read_as for span in repair.applied_spans for layer in span.chain} <= {
        c for c in ("gbk", "gb18030", "cp949", "euc_kr", "shift_jis", "cp932")
        if _same(text, c, mojibake)
    }


def _same(text: str, codec: str, mojibake: str) -> bool:
    try:
        return text.encode("utf-8").decode(codec) == mojibake
    except UnicodeDecodeError:
        return False


def test_two_layers_gbk_then_cp1252() -> None:
    text = "It’s a naïve café"
    layered = text.encode("utf-8").decode("gbk").encode("utf-8").decode("cp1252")
    repair = fix_and_explain(layered)
    assert repair.text == text
    chains = {tuple(str(layer) for layer in span.chain) for span in repair.applied_spans}
    assert ("utf-8 read as gbk", "utf-8 read as cp1252") in chains


def test_two_layers_cp1252_then_gbk() -> None:
    text = "Die Straße führt über die Brücke"
    layered = text.encode("utf-8").decode("cp1252").encode("utf-8").decode("gbk")
    assert fix_text(layered) == text


def test_lossy_text_is_rebuilt_or_marked() -> None:
    lossy = "He said 鈥渉ello鈥 and left 鈥 fast."
    assert fix_text(lossy) == "He said “hello” and left — fast."
    no_guessing = Options(reconstruct_lost=False)
    assert fix_text(lossy, no_guessing) == "He said “hello\ufffd and left \ufffd fast."
    guessed = [g for span in fix_and_explain(lossy).spans for g in span.guesses]
    assert [g.text for g in guessed] == ["”", "—"]
    assert all(g.alternatives for g in guessed)


def test_undecodable_stretches_reach_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, tuple[str, ...], bool, bool]] = []

    def hook(stretch: cjk.Undecodable, options: Options) -> list:
        seen.append((stretch.line[stretch.start : stretch.end], stretch.codecs,
                     stretch.repaired_left, stretch.repaired_right))
        return []

    monkeypatch.setattr(cjk, "reconstruct_undecodable", hook)
    fix_text("the war鈥檚 front 鈥 and more")
    assert ("鈥", Options().cjk_codecs, False, False) in seen


def test_low_confidence_candidates_are_reported_not_applied() -> None:
    repair = fix_and_explain("caf茅", Options(min_confidence=0.999999))
    assert repair.text == "caf茅"
    assert [span.repaired for span in repair.unapplied_spans] == ["é"]


def test_codecs_can_be_switched_off() -> None:
    assert fix_text("It鈥檚 fine", Options(cjk_codecs=())) == "It鈥檚 fine"
    assert fix_text("It鈥檚 fine", Options(cjk_codecs=("big5",))) == "It鈥檚 fine"


def test_a_reading_into_letters_nobody_writes_is_no_repair() -> None:
    """Kaomoji in half-width katakana and Cyrillic re-encode as CP932 to valid UTF-8
    (``ﾉД`` -> ``ɄD``), but no language writes ``Ʉ``: the reading explains noise by noise."""
    for text in ("(ﾉД`)", "ヽ(ﾉД`)ノ", "(´Д`)ﾉ ok"):
        assert fix_text(text) == text


def test_a_reading_into_a_script_nobody_writes_is_no_repair() -> None:
    """``ﾟд`` re-encodes as Shift_JIS to the UTF-8 of NKo ``߄`` and ``t``: no table holds
    a letter or digit of that script (from a real Japanese blog, euc_jp corpus file)."""
    text = "道元に喝ッ！ …( ﾟдﾟ)ﾊｯ!、思わず、道元に喝を入れてしまった"
    assert fix_text(text) == text


@pytest.mark.parametrize(("genuine", "prefix"), [
    ("<title>脱QWERTYキーボード</title>", "脱"),  # "leaving QWERTY keyboards" (euc_jp: æ)
    ("卯Pythonの入門", "卯"),  # gbk would read 卯 as î
    ("<b>辰Mario</b>のゲーム", "辰"),  # euc_jp would read 辰 as ä
])
def test_a_lone_letter_at_a_word_edge_needs_a_known_word(genuine: str, prefix: str) -> None:
    """A CJK character glued to the front or back of an ASCII word is how CJK text
    writes a prefix (``脱Windows``); read as mojibake it would give one Latin letter
    (``æWindows``). Alone in the text, such a repair stands only where the word it makes
    is one people write; it is still reported, unapplied, with why it was left."""
    repair = fix_and_explain(genuine)
    assert repair.text == genuine
    assert [span.original for span in repair.unapplied_spans] == [prefix]
    assert all("word" in " ".join(span.notes) for span in repair.unapplied_spans)


@pytest.mark.parametrize(("mojibake", "expected"), [
    ("caf茅", "café"),  # a known word
    ("Zo毛 Smith", "Zoë Smith"),
    ("Bl酶bx", "Bløbx"),  # inside a word: no CJK text writes a character there
    ("MISUT脗 AJIKKO is a manga title.", "MISUTÂ AJIKKO is a manga title."),  # no CJK text
    (" 卯Python ", " îPython "),  # nothing on the line says CJK either
    ("脱QWERTY, it鈥檚 fine", "脱QWERTY, it’s fine"),  # other mojibake, but of GBK, not EUC-JP
    ("Qu茅becx, it鈥檚 fine", "Québecx, it’s fine"),  # an unknown word, with GBK beside it
])
def test_lone_letters_with_support_are_still_repaired(mojibake: str, expected: str) -> None:
    assert fix_text(mojibake) == expected


def test_a_lone_repair_into_a_character_no_table_has_needs_support() -> None:
    """Ruby markup of a Japanese page puts single kanji between tags; ``飽`` read as
    EUC-JP mojibake would be ``˰``, a character the tables never saw. Alone, that repair
    is reported and left; beside other EUC-JP mojibake it would stand."""
    genuine = '<ruby><rb>飽</rb><rp>（</rp><rt>あ</rt><rp>）</rp></ruby>'
    repair = fix_and_explain(genuine)
    assert repair.text == genuine
    assert [span.original for span in repair.unapplied_spans] == ["飽"]
    assert cjk.UNSEEN_NOTE in repair.unapplied_spans[0].notes
    # An accented capital the tables know only in lower case is measured all the same.
    assert fix_text("MISUT脗 AJIKKO") == "MISUTÂ AJIKKO"


# -- many lines, many chances: the text-level bound ----------------------------------------

def _edit_at(start: int, codec: str, bits: float) -> "Edit":
    from mojifix.edits import Edit
    from mojifix.plausibility import probability
    from mojifix.result import Layer

    return Edit(start, start + 2, "x", (Layer("utf-8", codec),), probability(bits))


def test_weak_findings_of_a_codec_in_a_long_text_are_demoted() -> None:
    from mojifix.cjk import CHANCE_NOTE, _demote_chance_findings

    weak = [_edit_at(0, "gbk", 5.0), _edit_at(10, "gbk", 6.0), _edit_at(20, "euc_jp", 40.0)]
    kept = _demote_chance_findings(weak, lines_read=10, options=Options())
    assert kept == weak  # log2(10) = 3.3 bits: a short text keeps them all
    demoted = _demote_chance_findings(weak, lines_read=100_000, options=Options())
    assert [CHANCE_NOTE in e.notes for e in demoted] == [True, True, False]
    assert all(e.confidence < 0.5 for e in demoted[:2])
    # One strong repair of the codec carries its weaker ones.
    mixed = [_edit_at(0, "gbk", 5.0), _edit_at(10, "gbk", 30.0)]
    assert _demote_chance_findings(mixed, lines_read=100_000, options=Options()) == mixed


def test_real_mojibake_in_a_long_text_is_still_repaired() -> None:
    clean = Path(__file__).parent / "fixtures" / "clean"
    clean_lines = [line for path in sorted(clean.glob("*.txt"))
                   for line in path.read_text(encoding="utf-8").splitlines(keepends=True)]
    original = "It’s fine, said the reporter’s friend.\n"
    text = "".join(clean_lines * 80) + original.encode("utf-8").decode("gbk")
    assert len(text.splitlines()) > 5000
    assert fix_text(text).endswith(original)


def test_guillemet_before_a_capital_is_no_mac_roman_mojibake() -> None:
    """A real German gettext string: ``»Ü`` (C8 86 in Mac Roman) reads as ``Ȇ``, but the
    line keeps ``«`` and ``ö``, which Mac Roman mojibake would have mangled too."""
    text = "»Zeitstempel« und »Überschreibung alter Dateien« ist gleichzeitig unmöglich"
    assert fix_text(text) == text


@pytest.mark.parametrize("text", [
    "restart_after_crashがoffであるためシャットダウンします",  # a particle between ASCII words
    # Serbian (shared-mime-info): a Cyrillic З typed before Latin ``oo`` reads as Big5
    # ``ǵoo``, but the Cyrillic word beside it was left alone by the same reading.
    "Зoo архива",
])
def test_one_letter_glued_to_ascii_beside_genuine_letters_stays(text: str) -> None:
    """Real gettext strings: the line keeps letters outside every repair that a wrong
    decoder would have mangled too, so a lone letter glued to ASCII needs more support."""
    assert fix_text(text) == text
