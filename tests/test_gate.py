"""The clean-text gate: one scan that must agree exactly with the engines' own triggers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mojifix import Options, fix_text
from mojifix.gate import combine, leading_class, solo_starts
from mojifix.pipeline import _engines, _gate, _run_rounds, may_hold_mojibake

DEFAULT = Options()


def _default_triggers() -> list[re.Pattern[str]]:
    from mojifix import cjk, crosscjk, cyrillic, latin, legacy, lossy_latin

    return (list(legacy.triggers()) + [lossy_latin.TRIGGER] + list(latin.triggers())
            + list(cjk.triggers(DEFAULT.model_codecs)) + [crosscjk.TRIGGER, cyrillic.TRIGGER])


def test_every_default_trigger_can_be_joined() -> None:
    """Otherwise the gate silently falls back to running every engine on clean text."""
    for pattern in _default_triggers():
        assert leading_class(pattern.pattern) is not None, pattern.pattern[:60]
    assert _gate(tuple(_engines(DEFAULT)), DEFAULT) is not None


#: Characters the triggers care about, and the ASCII around them.
_ALPHABET = st.sampled_from(
    list("ab Z?.\n\t1") + ["\ufffd", "\xa0", "\x81", "\x9d", "©", "é", "Ã", "Â", "â", "€",
                           "™", "’", "“", "—", "…", "Ä", "º", "ç", "П", "р", "и", "ø",
                           "鈥", "檚", "淭", "聽", "東", "京", "ﾉ", "Д", "α", "ß", "😀", "・",
                           "³", "°", "£", "õ", "\x85", "×", "¿", "Œ", "û", "_", "-"])


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_gate_matches_exactly_when_a_trigger_does(text: str) -> None:
    triggers = _default_triggers()
    gate = combine(triggers)
    assert gate is not None
    assert (gate.search(text) is not None) == any(p.search(text) for p in triggers)


@pytest.mark.parametrize("text, repaired", [
    ("ÄãºÃ£¬ÊÀ½ç", "你好，世界"),  # legacy GBK read as Latin-1
    ("cafÃ© ok", "café ok"),  # UTF-8 read as cp1252
    ("He said â€œhiâ€� and left", "He said “hi” and left"),  # lossy cp1252
    ("It鈥檚 fine", "It’s fine"),  # UTF-8 read as GBK
])
def test_each_engines_mojibake_passes_the_gate(text: str, repaired: str) -> None:
    assert may_hold_mojibake(text)
    assert fix_text(text) == repaired


def test_gate_skips_clean_text_with_typography_accents_and_emoji() -> None:
    text = "“Curly” quotes — café, naïve, Straße, 10 °C ± 2, £5, €3… 😀\n" * 50
    assert not may_hold_mojibake(text)
    assert fix_text(text) == text


def test_gate_changes_no_result() -> None:
    """With and without the gate, the pipeline gives the same text (mixed inputs)."""
    samples = ["“Curly” quotes — café", "Привет мир", "東京は晴れ", "cafÃ© and It鈥檚",
               "naïve résumé ½ ¼", "Ïðèâåò", "a\ufffdb é? ok"]
    for text in samples:
        assert fix_text(text) == _run_rounds(text, DEFAULT, keep_candidates=False).current


def test_options_that_disable_engines_shrink_the_gate() -> None:
    latin_only = Options(cjk_codecs=(), legacy=False)
    assert may_hold_mojibake("cafÃ©", latin_only)
    assert not may_hold_mojibake("It鈥檚 fine", latin_only)
    assert fix_text("It鈥檚 fine", latin_only) == "It鈥檚 fine"


def test_an_engine_without_triggers_turns_the_gate_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import mojifix.pipeline as pipeline

    real = pipeline._engines
    monkeypatch.setattr(pipeline, "_engines", lambda options: [*real(options), lambda t, o: []])
    assert may_hold_mojibake("“Curly” quotes — café")


@pytest.mark.parametrize(("pattern", "solo", "not_solo"), [
    ("[ab][\\x80-\\xff]", "", "ab"),  # needs a non-ASCII character next: never solo
    ("[ab]x", "ab", ""),  # ASCII may follow
    ("[ab](?:[éè]{2}|(?:[x]?[\\x80-\\xff]){3})", "", "ab"),  # non-ASCII within two
    ("[ab](?:(?:[x]?[y]?[\\x80-\\xff]){3})", "ab", ""),  # ... or only at the third
    ("[ab](?:[\\x80-\\xff]|(?<=[b]))", "b", "a"),  # a look-behind picks the first character
    ("[ab](?:[\\x80-\\xff]|(?<=[q][a])x)", "a", "b"),
    ("[ab](?:[\\x80-\\xff]|\\b)", "ab", ""),  # unmodelled zero-width: assume it holds
    ("[ab](?=x)[\\x80-\\xff]", "", "ab"),
])
def test_solo_starts_are_the_first_characters_that_can_match_before_ascii(
        pattern: str, solo: str, not_solo: str) -> None:
    test = solo_starts([re.compile(pattern)])
    passes = re.compile(f"[\\s\\S](?:{test})") if test else None
    for first in solo:
        # in the context the pattern's look-behinds want
        assert passes is not None and passes.search("q" + first), (pattern, first)
    for first in not_solo:
        assert passes is None or not passes.search("q" + first), (pattern, first)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_ALPHABET, max_size=10).map("".join))
def test_the_prefilter_lets_through_every_match(text: str) -> None:
    """Where a trigger matches, the gate's cheap filter before the triggers passes."""
    triggers = _default_triggers()
    solo = solo_starts(triggers)
    near = re.compile(f"[\\s\\S](?:(?=[\\s\\S]?[^\\x00-\\x7f])|{solo})")
    for pattern in triggers:
        for match in pattern.finditer(text):
            assert near.match(text, match.start()), (pattern.pattern[:40], text)
