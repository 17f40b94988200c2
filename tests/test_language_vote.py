"""The language vote of the word model never fails, whatever the text."""

from __future__ import annotations

import json
from pathlib import Path

from mojifix.lossy_score import guess_languages

PARAGRAPHS = Path(__file__).parent / "fixtures" / "clean_paragraphs.jsonl"


def test_words_no_table_can_spell_do_not_break_the_vote() -> None:
    """A Japanese blog paragraph with Latin words (``it@RIETI``, ``メジャーvsインディーズ``)
    gives words whose letters no Latin-script letter model holds: their likelihood is
    zero, and a log of it used to raise (found by the Latin engine's A0 check on this
    paragraph read as Latin-1)."""
    lines = PARAGRAPHS.read_text(encoding="utf-8").splitlines()
    text = next(record["text"] for record in map(json.loads, lines)
                if "it@RIETI" in record["text"])
    weights = guess_languages(text)
    assert weights and abs(sum(weights.values()) - 1.0) < 0.01
