"""Lossy mojibake: bytes lost by the wrong decoder, rebuilt from what survived."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from lossy_corrupt import MODES, corrupt, corrupt_detailed, intact_back
from mojifix.lossy import REPLACEMENT, reconstruct, repair_undecodable
from mojifix.lossy_latin import find_latin_lossy_edits
from mojifix.lossy_modes import CodecTable, LossMode, lossy_decode
from mojifix.options import CJK_CODECS, Options

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "000_754b26462f8bc4f8.txt"

ENGLISH = (
    "“It’s over,” she said — and the army’s retreat… began. ‘Never,’ he replied. "
    "The café’s naïve owner paid 5 €."
)


def _clean(name: str) -> str:
    return (FIXTURES / "clean" / f"{name}.txt").read_text(encoding="utf-8")


def _lines(name: str, low: int, high: int) -> list[str]:
    return [ln.strip()[:high] for ln in _clean(name).splitlines()
            if len(ln.strip()) >= low and not ln.isascii()]


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


@pytest.mark.parametrize("codec", CJK_CODECS + ("cp1252",))
def test_codec_table_rows_match_pair_by_pair_decoding(codec: str) -> None:
    table = CodecTable(codec)
    for x in range(0x80, 0x100, 7):
        for y in range(256):
            try:
                ok = len(bytes([x, y]).decode(codec)) == 1
            except UnicodeDecodeError:
                ok = False
            assert table.pair_ok(x, y) == (ok and not table.single[x]), (hex(x), hex(y))


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


def test_big5_silent_drops_of_curly_quotes_leave_no_trace() -> None:
    # E2 80 99: Big5 has no pair E2 80, and 80 and 99 start nothing: all three vanish.
    observed, lost, traceless = corrupt_detailed("it’s", "big5", "drop")
    assert observed == "its" and lost == traceless == {2}
    result = reconstruct(observed, "big5")
    assert result is not None and result.text == "its" and not result.guesses


# -- reconstruction -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("observed", "expected"),
    [
        ("鈥淭he army 鈥 keep running!鈥 he said", "“The army — keep running!” he said"),
        ("鈥楻USSIA IS RETREATING鈥", "‘RUSSIA IS RETREATING’"),
        ("the city鈥檚 name means 鈥渞aisin.鈥", "the city’s name means “raisin.”"),
        ("鈥淗i,鈥� she said", "“Hi,” she said"),
        # '?' stood for the lost byte and swallowed the space after it.
        ("鈥淗i,鈥?she said", "“Hi,” she said"),
    ],
)
def test_gbk_losses_rebuilt_as_an_editor_would(observed: str, expected: str) -> None:
    result = reconstruct(observed, "gbk")
    assert result is not None
    assert result.text == expected
    assert result.lost == len(result.guesses) >= 1
    assert all(g.confidence >= 0.5 and g.alternatives for g in result.guesses)
    assert result.notes and "lost bytes" in result.notes[0]


def test_substitute_mode_through_shift_jis() -> None:
    text = "He said “no” and left — fast."
    observed, lost = corrupt(text, "shift_jis", "substitute")
    assert "\u30fb" in observed and lost
    result = reconstruct(observed, "shift_jis")
    assert result is not None and result.mode is LossMode.SUBSTITUTE
    assert result.text == text


def test_genuine_question_mark_stays() -> None:
    observed, lost = corrupt("¿Dónde está la biblioteca? Mañana vamos.", "big5", "drop")
    assert not lost
    result = reconstruct(observed, "big5")
    assert result is not None and result.text == "¿Dónde está la biblioteca? Mañana vamos."


def _samples() -> list[tuple[str, str]]:
    rng = random.Random(11)
    latin = [ln for name in ("en", "fr", "de", "es") for ln in _lines(name, 40, 160)]
    cjk = [ln for name in ("zh-hans", "zh-hant", "ja", "ko") for ln in _lines(name, 15, 40)]
    return [("latin", rng.choice(latin)), ("cjk", rng.choice(cjk))]


SAMPLES = _samples()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("codec", CJK_CODECS)
def test_every_intact_character_comes_back(codec: str, mode: str) -> None:
    """No resynchronisation damage: whatever survived is decoded exactly, in order."""
    for _, text in SAMPLES:
        observed, lost = corrupt(text, codec, mode)
        if mode == "question":
            # A genuine '?' among the '?' that mark losses cannot be told from them.
            lost |= {i for i, ch in enumerate(text) if ch == "?"}
        result = reconstruct(observed, codec)
        assert result is not None, observed
        assert intact_back(text, lost, result.text) == len(text) - len(lost), (
            observed, result.text)


@pytest.mark.parametrize(
    ("codec", "share"),
    # GBK and Shift_JIS keep a byte of every lost mark; Big5 and EUC-KR lose all three
    # bytes of a curly quote (traceless when dropped, context alone behind markers).
    [("gbk", 0.8), ("shift_jis", 0.8), ("big5", 0.6), ("euc_kr", 0.6)],
)
def test_english_losses_rebuilt(codec: str, share: float) -> None:
    for mode in ("drop", "replace", "question"):
        observed, lost, traceless = corrupt_detailed(ENGLISH, codec, mode)
        result = reconstruct(observed, codec)
        assert result is not None
        right = sum(1 for i in lost - traceless if ENGLISH[i] in result.text)
        assert right >= share * len(lost - traceless), (mode, observed, result.text)


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


def test_heavy_damage_keeps_survivors_and_marks_doubt() -> None:
    text = _clean("zh-hans").splitlines()[2]
    observed, lost = corrupt(text, "big5", "replace")
    data = text.encode()
    lost_bytes = len(data) - sum(len(ch.encode()) for i, ch in enumerate(text) if i not in lost)
    assert lost_bytes >= len(data) / 3  # a third of the bytes (and more) are gone
    result = reconstruct(observed, "big5")
    assert result is not None
    assert intact_back(text, lost, result.text) == len(text) - len(lost)
    doubtful = [g for g in result.guesses if g.confidence < Options().min_guess_confidence]
    assert doubtful and all(g.text == REPLACEMENT for g in doubtful)
    assert all(result.text[g.position] == g.text for g in result.guesses)
    assert f"of {result.lost + result.intact} characters lost bytes" in result.notes[0]


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
    assert edit.notes and "lost bytes" in edit.notes[0]
    closing = line.index("鈥 she")
    edits = repair_undecodable(_Stretch(line, 0, closing, closing + 1, ("gbk",), False, False))
    assert [e.replacement for e in edits] == ["”"]


@pytest.mark.parametrize("genuine", ["黑料社", "茅台酒", "東京は晴れ", "안녕하세요", "’", "é", "—"])
def test_hook_leaves_genuine_text_alone(genuine: str) -> None:
    line = f"x {genuine} y\n"
    stretch = _Stretch(line, 0, 2, 2 + len(genuine), CJK_CODECS, False, False)
    assert repair_undecodable(stretch) == []


@pytest.mark.parametrize("name", ["zh-hans", "zh-hant", "ja", "ko"])
def test_genuine_cjk_never_reconstructed(name: str) -> None:
    """Every non-ASCII run of the clean CJK fixtures, offered to the hook as a stretch
    with every codec first in turn, stays as it is."""
    import re

    for line in _clean(name).splitlines(keepends=True):
        for match in re.finditer(r"[^\x00-\x7f]+", line):
            for k, codec in enumerate(CJK_CODECS):
                order = (codec,) + CJK_CODECS[:k] + CJK_CODECS[k + 1 :]
                stretch = _Stretch(line, 0, match.start(), match.end(), order, False, False)
                assert repair_undecodable(stretch) == [], (codec, match.group())


# -- UTF-8 read as a single-byte code page, with loss --------------------------------

@pytest.mark.parametrize(
    ("mojibake", "original", "lost"),
    [
        ("He said â€œhiâ€� and left", "”", "â€�"),
        ("The ICR has been upgraded to â€œbb+â€? from â€œbbâ€?", "”", "â€?"),
        ("Europa, Asia, Ă�frica, Norte, AmĂ©rica Central", "África", "Ă�frica"),
        ("Slovenčina je úradný jazyk Slovenska.".encode().decode("cp1252", errors="replace"),
         "Slovenčina", "Ä�"),
    ],
)
def test_latin_losses_rebuilt(mojibake: str, original: str, lost: str) -> None:
    edits = find_latin_lossy_edits(mojibake, Options())
    rebuilt = [e for e in edits if e.guesses]
    assert rebuilt and all(e.chain[0].written_as == "utf-8" for e in rebuilt)
    text = mojibake
    for edit in sorted(edits, key=lambda e: -e.start):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    assert original in text and lost not in text
    assert all(g.alternatives for e in rebuilt for g in e.guesses)


@pytest.mark.parametrize(
    "text",
    [
        "Why? Ã© ok?",  # genuine question marks
        "Ã¢â€�â€™(Ã¢Å’Â£Ã‹â€ºÃ¢Å’Â£)Ã¢â€�Å½",  # layered: left to the Latin engine
        "Il a dit : « où ? » — rien.",  # clean text
    ],
)
def test_latin_engine_leaves_other_text_alone(text: str) -> None:
    assert [e for e in find_latin_lossy_edits(text, Options()) if e.guesses] == []


# -- the seed ---------------------------------------------------------------------------

def test_fix_text_repairs_the_seed() -> None:
    """Through the whole pipeline: intact mojibake repaired by the CJK engine, every lost
    character rebuilt through its hook, ``黑料社`` untouched (see the fixture's README)."""
    from mojifix import fix_and_explain, fix_text

    seed = SEED.read_text(encoding="utf-8")
    expected = (FIXTURES / "seed" / "expected.txt").read_text(encoding="utf-8")
    assert fix_text(seed) == expected
    guessed = [span for span in fix_and_explain(seed).applied_spans if span.guesses]
    assert sum(len(span.guesses) for span in guessed) == 17
    assert all(str(span.chain[-1]) == "utf-8 read as gbk" for span in guessed)
    assert all(g.alternatives for span in guessed for g in span.guesses)


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


# -- word evidence ----------------------------------------------------------------------

#: Sentences written for these tests (not from the benchmark's paragraphs): each has
#: letters and marks whose whole UTF-8 a heavy-loss codec swallows.
WORDED = (
    ("tr", "Bakanlık “terör örgütü” diye nitelendirdi ve liderliği üstlendi."),
    ("pl", "W rozkładzie jazdy nie było zmian, więc wszyscy czekali."),
    ("tr", "İmparatorluğu yıkıldıktan sonra çiftliği satıldı."),
)


@pytest.mark.parametrize("mode", ("replace", "whatwg", "question"))
@pytest.mark.parametrize("lang,text", WORDED)
def test_known_words_decide_whole_lost_letters(lang: str, text: str, mode: str) -> None:
    # Big5 loses all of ``ğ``, ``ł`` and ``“``: only the words around them tell which
    # letter or mark it was, and a mark must not be glued to a known word as a letter.
    observed, lost, traceless = corrupt_detailed(text, "big5", mode)
    assert lost and not traceless
    result = reconstruct(observed, "big5", languages={lang: 1.0})
    assert result is not None
    assert result.text == text, (observed, result.text)


def test_word_candidates_come_from_the_word_list() -> None:
    from mojifix.lossy_score import ContextModel

    model = ContextModel({"pl": 1.0})
    assert "ł" in model.word_candidates("w rozk", "adzie jazdy")
    assert model.word_candidates("w ", " jazdy") == ()


def test_a_word_ending_the_text_counts_as_complete() -> None:
    text = "Czynniki wpływają na stosunki społeczne"
    observed, lost, _ = corrupt_detailed(text, "big5", "replace")
    result = reconstruct(observed, "big5", languages={"pl": 1.0})
    assert result is not None and result.text.endswith("społeczne")


def test_letters_the_word_lists_fold_away_are_rebuilt() -> None:
    # wordfreq folds case: its German list spells ``Straße`` as ``strasse``.
    text = "Die Straße führt zu einem großen Park."
    observed, lost, traceless = corrupt_detailed(text, "big5", "replace")
    assert lost and not traceless
    result = reconstruct(observed, "big5", languages={"de": 1.0})
    assert result is not None and result.text == text


# -- letter trigrams, quotes of the language, capitals ----------------------------------

def test_letter_trigrams_decide_letters_of_words_the_list_lacks() -> None:
    # ``poprawiające`` is not among the Polish words kept: only the letters around the
    # lost ``ą`` (``jąc`` is common Polish, ``jłc`` is not) tell which letter it was.
    from mojifix.lossy_tables import word_table

    text = "Odpowiadający za projekt inżynierowie przedstawiają poprawiające wydajność rozwiązania."
    assert "poprawiające" not in word_table("pl")
    for mode in ("replace", "whatwg", "question"):
        observed, lost, traceless = corrupt_detailed(text, "big5", mode)
        assert lost and not traceless
        result = reconstruct(observed, "big5", languages={"pl": 1.0})
        assert result is not None and result.text == text, (mode, result and result.text)


def test_letter_model_prefers_the_letters_of_the_language() -> None:
    from mojifix.lossy_score import letter_model, letter_stream

    polish = letter_model("pl")
    assert polish.ratio("ą", "aj", "cy") > 10 * polish.ratio("ł", "aj", "cy")
    turkish = letter_model("tr")
    assert turkish.ratio("ğ", "li", "in") > turkish.ratio("ş", "li", "in")
    # The smoothed trigram probabilities are distributions.
    total = sum(polish.prob(c, "aj") for c in polish.uni)
    assert abs(total - 1.0) < 1e-6
    assert letter_stream("Ain’t ", True) == "t_" and letter_stream(", ab", False) == "_"


@pytest.mark.parametrize("lang,text", (
    ("cs", "Babička říkala, že „pravda vítězí“ a pak odešla domů."),
    ("de", "Er sagte nur „vielleicht“ und ging nach Hause."),
))
def test_quotes_follow_the_language(lang: str, text: str) -> None:
    # Big5 loses all of „ and “: Czech and German open with „ and close with “.
    for mode in ("replace", "whatwg"):
        observed, lost, _ = corrupt_detailed(text, "big5", mode)
        assert lost
        result = reconstruct(observed, "big5", languages={lang: 1.0})
        assert result is not None and result.text == text, (mode, result and result.text)


def test_english_quotes_stay_english() -> None:
    text = "She said “maybe” and went home."
    observed, _, _ = corrupt_detailed(text, "big5", "replace")
    result = reconstruct(observed, "big5", languages={"en": 1.0})
    assert result is not None and result.text == text


def test_a_sentence_begins_with_a_capital() -> None:
    text = "Bolo to dlhé leto. Čakali sme na dážď celé týždne, lebo čakanie bolo dlhé."
    for mode in ("replace", "whatwg", "question"):
        observed, lost, _ = corrupt_detailed(text, "big5", mode)
        result = reconstruct(observed, "big5", languages={"sk": 1.0})
        assert result is not None and result.text == text, (mode, result and result.text)


@pytest.mark.parametrize("mode", ("drop", "replace"))
def test_vietnamese_syllables_are_chosen_with_their_neighbours(mode: str) -> None:
    # ``ch?`` reads chỉ, chủ, chữ, ... (GBK keeps ``ch`` and the first two bytes of the
    # vowel): the syllable beside it decides (``chữ cái``, ``chủ yếu`` are words).
    from mojifix import lossy_score
    from mojifix.lossy_tables import compounds

    assert "chữ cái" in compounds("vi") and "chủ yếu" in compounds("vi")
    assert not compounds("fr")
    text = "Các em học sinh đang học bảng chữ cái và tập viết chủ yếu ở nhà."
    observed, lost, traceless = corrupt_detailed(text, "gbk", mode)
    assert lost and not traceless
    result = reconstruct(observed, "gbk", languages={"vi": 1.0})
    assert result is not None and result.text == text, result and result.text
    # The syllables alone do not decide it.
    model = lossy_score.ContextModel({"vi": 1.0})
    assert model.compound_gain("ữ", "bảng ch", " cái và") > model.compound_gain("ỉ", "bảng ch", " cái và")


def test_vietnamese_compounds_count_across_a_lost_space() -> None:
    # ``?`` mode swallows the byte after a bad lead: the space after ``chữ`` goes with
    # the vowel's last byte, so the syllables beside it are judged where the space is
    # rebuilt (``chữ cái``, ``chủ yếu`` are words; ``chỉ cái``, ``chỉ yếu`` are not).
    from mojifix import lossy_score

    text = "Các em học sinh đang học bảng chữ cái và tập viết chủ yếu ở nhà."
    observed, lost, traceless = corrupt_detailed(text, "big5", "question")
    assert " " in {text[i] for i in lost} and not traceless
    result = reconstruct(observed, "big5", languages={"vi": 1.0})
    assert result is not None and result.text == text, result and result.text
    model = lossy_score.ContextModel({"vi": 1.0})
    assert model.content(" ", "bảng chữ", "cái và") > model.content(" ", "bảng chỉ", "cái và")


@pytest.mark.parametrize("codec,mode", (("big5", "replace"), ("euc_kr", "whatwg"),
                                        ("euc_jp", "question")))
def test_decomposed_text_gets_its_combining_marks_back(codec: str, mode: str) -> None:
    # Vietnamese written with combining marks (``a`` + U+0301 for ``á``): the lossy
    # decoder loses whole marks (the dot below survives, so the text is known to be
    # decomposed); each lost one is judged as the letter it makes.
    import unicodedata

    text = unicodedata.normalize("NFD", "Học sinh đọc sách và học bài cho các em.")
    observed, lost, traceless = corrupt_detailed(text, codec, mode)
    assert lost and not traceless
    result = reconstruct(observed, codec, languages={"vi": 1.0})
    assert result is not None
    assert unicodedata.normalize("NFC", result.text) == unicodedata.normalize("NFC", text)
    assert result.text == text  # the marks come back as marks, not precomposed letters


def test_a_capital_right_after_a_small_letter_is_rare() -> None:
    # Both bytes of ``ő`` lost: any two-byte letter fits, and ``á`` is commoner in
    # Hungarian than ``ő``; only its capital (``likÁr``) made it win inside a word.
    from mojifix import lossy_score

    model = lossy_score.ContextModel({"hu": 1.0})
    assert model.content("Á", "maradék tojáslik", "r összev") < model.content(
        "ő", "maradék tojáslik", "r összev")
    text = "Ha van még egy kis maradék tojáslikőr összeveszik a gyerekek rajta."
    observed, lost, _ = corrupt_detailed(text, "euc_kr", "replace")
    assert lost
    result = reconstruct(observed, "euc_kr", languages={"hu": 1.0})
    assert result is not None and "Á" not in result.text, result and result.text


def test_no_letter_or_mark_of_a_script_the_text_is_not_written_in() -> None:
    # Two U+FFFD for the three bytes of ``–`` (EUC-KR, browser style) also read as two
    # bytes lost each: a Cyrillic ``с`` or an Arabic comma fit those bytes, but words of
    # another script are all but absent from Swedish or Romanian text.
    from mojifix import lossy_score

    model = lossy_score.ContextModel({"sv": 1.0})
    assert model.content("с", "Till detta bidrog ", " och") < model.content(
        "–", "Till detta bidrog ", " och")
    assert model.content("\u060c", "en dansk", " Sunet") < model.content("ä", "en dansk", " Sunet")
    text = "Turismen i Sverige i slutet av 1800-talet. Till detta bidrog – och järnvägen."
    observed, lost, _ = corrupt_detailed(text, "euc_kr", "whatwg")
    assert lost
    result = reconstruct(observed, "euc_kr", languages={"sv": 1.0})
    assert result is not None and result.text == text, result and result.text


def test_a_question_mark_read_as_itself_judges_the_word_before_it_once() -> None:
    # Shift_JIS with '?' for losses: ``ă`` (C4 83) keeps C4 as half-width ``ﾄ``; the
    # '?' stands for 83 and the space after it. Read instead as a dropped byte and a
    # genuine '?', the word before the '?' used to be judged twice (by the rebuilt
    # ``ă`` and by the '?'), so ``politică?externă`` beat ``politică externă``.
    text = "Au fost difuzate emisiuni de politică externă a postului de radio."
    observed, lost, _ = corrupt_detailed(text, "cp932", "question")
    assert "?" in observed and lost
    result = reconstruct(observed, "cp932", languages={"ro": 1.0})
    assert result is not None and result.text == text, result and result.text


@pytest.mark.parametrize("codec,mode", (("gb18030", "substitute"), ("big5", "whatwg")))
def test_a_one_byte_hole_leaves_the_text_after_it_as_right_context(codec: str, mode: str) -> None:
    # Browser-style markers take the byte after a bad one along only if it is not ASCII:
    # ``chữ`` before a space loses one byte, and the syllable after the marker (``cái``,
    # ``yếu``) is known text that judges it (``chữ cái``, ``chủ yếu`` are compounds).
    text = "Các em học sinh đang học bảng chữ cái và tập viết chủ yếu ở nhà."
    observed, lost, traceless = corrupt_detailed(text, codec, mode)
    assert lost and not traceless
    result = reconstruct(observed, codec, languages={"vi": 1.0})
    assert result is not None and result.text == text, result and result.text


def test_a_rebuilt_mark_fits_the_case_of_the_word_after_it() -> None:
    # '?' for a lost ``ď`` and the comma after it: ``.`` and ``,`` both fit the bytes;
    # a small letter after it says comma, a capital full stop (measured shares).
    from mojifix import lossy_score

    model = lossy_score.ContextModel({"sk": 1.0})
    assert model.content(",", "vrátiť im loď", " z ktorej") > model.content(".", "vrátiť im loď", " z ktorej")
    assert model.content(".", "vrátiť im loď", " Z ktorej") > model.content(",", "vrátiť im loď", " Z ktorej")
    text = "Chceli ich vrátiť im loď, z ktorej vystúpili."
    observed, lost, _ = corrupt_detailed(text, "shift_jis", "question")
    assert lost
    result = reconstruct(observed, "shift_jis", languages={"sk": 1.0})
    assert result is not None and result.text == text, result and result.text


def test_a_rebuilt_syllable_waits_for_the_next_one_it_pairs_with() -> None:
    # EUC-JP drops the last byte of ``ả`` in ``bảng`` and of ``ữ`` in ``chữ``: ``bằng``
    # is the commoner syllable, and only ``chữ``, rebuilt later, makes ``bảng chữ`` a
    # compound. The two readings must not be merged before ``chữ`` is judged.
    text = "Tiếng Việt dùng chữ Latinh, dựa trên các bảng chữ cái của nhóm ngôn ngữ Rôman."
    observed, lost, _ = corrupt_detailed(text, "euc_jp", "drop")
    assert lost
    result = reconstruct(observed, "euc_jp", languages={"vi": 1.0})
    assert result is not None and "các bảng chữ cái" in result.text, result and result.text


@pytest.mark.parametrize("text", [
    "avez-vous déjà validé\xa0?",
    "Aucun spécificateur de chemin fourni. Quel fichier doit être supprimé\xa0?",
    "Le paquet %s est-il installé\xa0?",
])
def test_french_no_break_space_before_a_question_mark_is_no_cut_sequence(text: str) -> None:
    """French puts a no-break space before ``?``; ``é\\xa0?`` is also E9 A0 plus a lost
    byte (``預``). Real gettext strings: the line's other ``é`` stand before ASCII
    letters, so the line is written in the code page itself, not UTF-8 read with it."""
    from mojifix import fix_text

    assert fix_text(text) == text


@pytest.mark.parametrize("text,lang", [
    ("Přijdu zítra ve středě, pokud to půjde a nebude pršet.", "cs"),
    ("Viņš dzimis Rīgā, bet visu mūžu dzīvoja Parīzē.", "lv"),
])
def test_a_swallowed_ascii_mark_competes_with_every_ascii_character(text: str, lang: str) -> None:
    # Shift_JIS with '?' for losses: the '?' of a bad lead byte swallows the ASCII byte
    # after it (``ę,`` -> ``ﾄ?``). ``,`` is rarer than two dozen letters: a
    # lost ASCII character must be chosen among all of them by its neighbours, not
    # among the commonest few (``.``). A typewriter quote there is a quote: it closes
    # one that is open, or ends a word as an apostrophe does (rarely).
    observed, lost, _ = corrupt_detailed(text, "shift_jis", "question")
    assert any(text[i] == "," for i in lost)
    result = reconstruct(observed, "shift_jis", languages={lang: 1.0})
    assert result is not None and result.text == text, result and result.text


def test_a_language_wordfreq_lacks_gets_its_letters_from_langdetect() -> None:
    # Estonian has no wordfreq list: its letters and letter trigrams come from
    # langdetect's profile (``lossy_tables.PROFILE_LANGUAGES``). Without them the text
    # is guessed Finnish or Slovene, and the lost ``Ü`` is not rebuilt.
    from mojifix.lossy_score import guess_languages

    text = "Tartu Ülikool on Eesti vanim ülikool, mis asutati aastal 1632 Rootsi kuninga poolt."
    assert max(guess_languages(text).items(), key=lambda kv: kv[1])[0] == "et"
    for codec in ("big5", "euc_kr"):
        observed, lost, traceless = corrupt_detailed(text, codec, "replace")
        assert "Ü" in {text[i] for i in lost - traceless}
        result = reconstruct(observed, codec)
        assert result is not None and result.text == text, result and result.text


@pytest.mark.parametrize("codec", ("big5", "euc_jp"))
def test_a_lost_apostrophe_inside_a_word_beats_a_no_break_space(codec: str) -> None:
    # Browser-style markers: ``’`` (E2 80 99) before a letter leaves two markers, which
    # also read as one two-byte character (a no-break space, C2 A0, splitting ``l
    # anglais``). Most apostrophes stand before a letter (measured), unlike the
    # punctuation the class model lumps them with.
    text = "UTF-8 (abréviation de l’anglais Universal Character Set) est un codage."
    observed, lost, _ = corrupt_detailed(text, codec, "whatwg")
    assert "’" in {text[i] for i in lost}
    result = reconstruct(observed, codec)
    assert result is not None and result.text == text, result and result.text


@pytest.mark.parametrize("text,lang", [
    ("Eesti on väike riik, kuid tal on pikk ja huvitav ajalugu.", "et"),
    ("Ma ei tea, mis see on, aga see ei ole minu asi.", "et"),
    ("Suomi on pieni maa, mutta sillä on pitkä ja kiinnostava historia.", "fi"),
    ("En tiedä mikä se on, mutta se ei ole minun asiani.", "fi"),
])
def test_a_language_without_a_word_list_is_told_by_its_spelling(text: str, lang: str) -> None:
    # Estonian shares its commonest words with Finnish (on, ja, ei), which only the
    # Finnish list knows: Estonian, with letters and no words, judges every word by its
    # letter model at full weight, or the Finnish list outvotes it on ``on`` alone.
    from mojifix.lossy_score import guess_languages

    weights = guess_languages(text)
    assert max(weights, key=weights.__getitem__) == lang, weights


def test_a_question_mark_after_a_byte_that_is_no_lead_hides_nothing_after_it() -> None:
    # Shift_JIS with '?': ``ę`` (C4 99) loses 99, a lead byte, and the space after it
    # (``si?w``); ``ą`` (C4 85) would lose 85 alone, no lead, and leave ``w`` right
    # after it: that reading must be judged with ``w`` beside it (``siąw``), not as if
    # the next character were lost too.
    text = "Należałoby przyjrzeć się w jaki sposób zmiany w rolnictwie wpływają na nas."
    observed, lost, _ = corrupt_detailed(text, "shift_jis", "question")
    assert "siﾄ?w" in observed and any(text[i] == " " for i in lost)
    result = reconstruct(observed, "shift_jis", languages={"pl": 1.0})
    assert result is not None and result.text == text, result and result.text


def test_names_inside_a_sentence_do_not_tell_its_language() -> None:
    # Danish names in a Romanian sentence: two long words of the Danish list outvoted
    # the short Romanian ones once the lost letters were gone (the language is told
    # from what survived), and ``În`` came back as ``ăn``.
    from mojifix.lossy_score import guess_languages

    text = "În limba daneză: Kongeriget Danmark. Este un stat suveran."
    weights = guess_languages("n limba danez : Kongeriget Danmark. Este un stat suveran.")
    assert max(weights, key=weights.__getitem__) == "ro", weights
    observed, lost, _ = corrupt_detailed(text, "big5", "replace")
    assert {"Î", "ă"} <= {text[i] for i in lost}
    result = reconstruct(observed, "big5")
    assert result is not None and result.text == text, result and result.text


@pytest.mark.parametrize("codec,mode", [("big5", "whatwg"), ("euc_kr", "question"),
                                        ("euc_jp", "substitute")])
def test_a_lost_letter_inside_a_compound_beats_a_separator(codec: str, mode: str) -> None:
    # ``illesztőprogram``: the tables know ``program`` but not the compound, nor
    # ``illesztő``. A separator (``illeszt’program``) left ``program`` whole and won; a
    # word of a compounding language is likelier a compound with a known part than two
    # words glued by a rare mark.
    text = "Letöltheted a nyomtató új illesztőprogram csomagját a gyártó oldaláról."
    observed, lost, _ = corrupt_detailed(text, codec, mode)
    assert "ő" in {text[i] for i in lost}
    result = reconstruct(observed, codec, languages={"hu": 1.0})
    assert result is not None and "illesztőprogram" in result.text, result and result.text


def test_compounds_are_weighed_by_how_often_the_language_writes_them() -> None:
    # Polish writes compounds apart: two Polish words glued (``fizjologiąspołecznego``)
    # must not outweigh a lost ``ę`` and space between them.
    from mojifix.lossy_score import ContextModel, compound_share

    assert compound_share("pl") == 0.0 < compound_share("hu") < compound_share("de")
    assert ContextModel({"pl": 1.0})._compound_word("fizjologi", "ą", "społecznego") == 0.0
    assert ContextModel({"hu": 1.0})._compound_word("illeszt", "ő", "program") > 1.0


@pytest.mark.parametrize("codec,mode", [("big5", "replace"), ("euc_kr", "whatwg"),
                                        ("big5", "substitute")])
def test_a_lost_euro_sign_is_a_candidate_although_kana_are_commoner(codec: str, mode: str) -> None:
    # No byte of ``€`` (E2 82 AC) survives: by their share of all text, hundreds of
    # three-byte characters (kana, hanzi) come before it and it was never scored; a dash
    # that fits the place badly won. The marks of Western text are always candidates.
    text = "El precio medio de la vivienda usada es de 1850 €/m² en la capital."
    observed, lost, _ = corrupt_detailed(text, codec, mode)
    assert "€" in {text[i] for i in lost}
    result = reconstruct(observed, codec)
    assert result is not None and result.text == text, result and result.text


@pytest.mark.parametrize("codec", ["gbk", "shift_jis", "cp949"])
def test_parts_of_a_reconstruction_match_a_scan_of_every_character(codec: str) -> None:
    """A span's part of a reconstruction is found by bisection over a computed-once map
    of output characters to observed ones (a long line has as many spans as repairs,
    and rescanning per span made one line of 100 kB take minutes). It must match the
    plain scan: every output character whose source lies in the span."""
    text = ("It’s a “test” — of ‘quotes’ … and “more” ones, said the café’s owner. " * 6)
    observed = lossy_decode(text.encode("utf-8"), codec, LossMode.DROP)
    result = reconstruct(observed, codec)
    assert result is not None and result.guesses
    sources = result.sources()
    assert list(sources) == sorted(sources)
    positions = [g.position for g in result.guesses]
    assert positions == sorted(positions)
    for start in range(0, len(observed), 7):
        for end in (start + 1, start + 5, start + 40):
            chosen = [i for i, src in enumerate(sources) if start <= src < end]
            text_part, guesses = result.part(start, end)
            lo = chosen[0] if chosen else 0
            assert text_part == "".join(result.text[i] for i in chosen)
            assert [g.position + lo for g in guesses] == [
                p for p in positions if chosen and chosen[0] <= p <= chosen[-1]]
            assert result.part_lost_bytes(start, end) == sum(
                n for g, n in zip(result.guesses, result.guess_bytes)
                if start <= sources[g.position] < end)


def test_a_long_line_is_rebuilt_block_by_block_like_its_sentences() -> None:
    """A line longer than ``BLOCK_CHARS`` is rebuilt in blocks cut between ASCII
    characters (the search's work grows faster than the length): every intact character
    still comes back, and the lost ones are guessed as in shorter lines."""
    from mojifix import fix_text
    from mojifix.lossy import BLOCK_CHARS

    sentence = "It’s “done” — she said, and the team’s plan worked. "
    observed = lossy_decode((sentence * 200).encode("utf-8"), "gbk", LossMode.DROP)
    assert len(observed) > 2 * BLOCK_CHARS
    repaired = fix_text(observed)
    assert repaired.count("It’s") == 200 and repaired.count("team’s") == 200
    assert repaired.count("\ufffd") <= 20


@pytest.mark.parametrize("codec", CJK_CODECS)
def test_every_marked_loss_passes_the_quick_test_of_its_codec(codec: str) -> None:
    # _could_be_lossy lets a stretch with markers through only when the bytes between
    # them are UTF-8 as a decoder that marks every loss leaves them. Any text corrupted
    # that way must pass, or its repair would never be tried.
    from corrupt import load_clean_fixture_paragraphs
    from mojifix.lossy import MARKERS, _could_be_lossy

    texts = [row["text"] for row in load_clean_fixture_paragraphs(min_chars=20)]
    tried = 0
    for text in texts:
        for mode in ("replace", "whatwg", "question", "substitute"):
            observed, lost = corrupt(text, codec, mode)
            if not lost or MARKERS.isdisjoint(observed):
                continue
            tried += 1
            assert _could_be_lossy(observed, codec), (mode, observed)
    assert tried > 60


def test_a_japanese_ellipsis_of_middle_dots_is_no_evidence_of_loss() -> None:
    # ``・・・`` (and ``・`` between the words of a foreign name) is everyday Japanese: the
    # text around it is no lossy UTF-8 of any codec, so no lost-byte search is run on
    # it (one such line used to cost a second of search, for nothing).
    from mojifix.cjk import find_cjk_edits
    from mojifix.lossy import _could_be_lossy

    lines = ["明日また買いに行こう・・・。", "あの洋服のシワがむかつく・・・・ってさっき言ってました。",
             "それはシャンボール・ミュジニー・レ・ザムルーズ"]
    assert [codec for line in lines for codec in CJK_CODECS
            if _could_be_lossy(line, codec)] == []
    text = "".join(f"<p>{line}</p>\n" for line in lines)
    assert [e for e in find_cjk_edits(text, Options()) if e.confidence >= 0.5] == []


@pytest.mark.parametrize("lang", ["pl", "el"])
def test_blanked_word_lookup_built_per_length_matches_one_whole_index(lang: str) -> None:
    # The letters that fill a blank are looked up in an index built per word length,
    # when first needed; it must answer as one index of every word would.
    from mojifix.lossy_score import _slot_fillers, frequency_source

    whole: dict[str, list[str]] = {}
    for word in frequency_source().words(lang):
        for i, ch in enumerate(word):
            if not ch.isascii():
                whole.setdefault(word[:i] + "\0" + word[i + 1:], []).append(ch)
    assert len(whole) > 1000
    assert [key for key, chars in whole.items() if _slot_fillers(lang, key) != tuple(chars)] == []
    assert _slot_fillers(lang, "qqq\0qqq") == ()
