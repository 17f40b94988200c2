"""Cyrillic text read with another Cyrillic code page: cp1251, KOI8-R and cp866."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mojifix import Layer, fix_and_explain, fix_text
from mojifix.cyrillic import find_cyrillic_swap_edits
from mojifix.options import Options

PARAGRAPHS = Path(__file__).parent / "fixtures" / "clean_paragraphs.jsonl"
PAIRS = [("cp1251", "koi8_r"), ("koi8_r", "cp1251"), ("cp866", "cp1251"), ("cp1251", "cp866")]


def _cyrillic_paragraphs() -> list[tuple[str, str]]:
    with PARAGRAPHS.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [(row["split"], row["text"]) for row in rows
            if len(re.findall("[а-яА-ЯёЁ]", row["text"])) >= 20]


@pytest.mark.parametrize(("written", "read"), PAIRS)
def test_a_sentence_read_with_the_other_code_page_comes_back(written: str, read: str) -> None:
    text = "Привет, как дела? Сегодня хорошая погода, и мы пошли гулять в парк."
    mojibake = text.encode(written).decode(read)  # оПХБЕР, ЙЮЙ ДЕКЮ? / ЏаЁўҐв, Є Є ...
    repair = fix_and_explain(mojibake)
    assert repair.text == text
    assert {span.chain for span in repair.applied_spans} == {(Layer(written, read),)}
    assert all(span.confidence > 0.99 for span in repair.applied_spans)


@pytest.mark.parametrize(("written", "read"), PAIRS)
def test_paragraphs_of_the_corpus_come_back(written: str, read: str) -> None:
    cases = [text for _, text in _cyrillic_paragraphs()][:120]
    wrong = []
    for text in cases:
        try:
            mojibake = text.encode(written).decode(read)
        except UnicodeError:
            continue
        if fix_text(mojibake) != text:
            wrong.append(text[:60])
    assert len(wrong) <= len(cases) // 50, wrong


def test_genuine_cyrillic_text_is_left_alone() -> None:
    changed = [text[:60] for _, text in _cyrillic_paragraphs()
               if find_cyrillic_swap_edits(text, Options())]
    assert changed == []


@pytest.mark.parametrize("genuine", [
    "МГУ", "ЭВМ", "ЖЭК", "МВД РФ", "СССР и США", "ВНИМАНИЕ!", "ООО «Ромашка»", "Ёжик",
    "┌──────┐\n│ ящик │\n└──────┘",  # box drawing, which KOI8-R's upper half holds
])
def test_short_genuine_strings_are_left_alone(genuine: str) -> None:
    assert fix_text(genuine) == genuine


def test_a_short_line_counts_on_its_neighbours() -> None:
    """A heading too short to be sure of alone is read like the lines around it."""
    lines = ["Москва", "Сегодня хорошая погода, и мы пошли гулять в парк.",
             "Завтра будет дождь, поэтому мы останемся дома и будем читать."]
    text = "\n".join(lines)
    mojibake = text.encode("cp1251").decode("koi8_r")
    assert fix_text(mojibake) == text


def test_utf8_read_as_cp1251_is_left_to_the_other_engines() -> None:
    """The swap engine runs before ftfy; UTF-8 read as cp1251 (``РџСЂРёРІРµС‚``) is not
    its kind and comes back through the engines for UTF-8."""
    text = "Привет, как дела? Сегодня хорошая погода."
    assert fix_text(text.encode("utf-8").decode("cp1251")) == text


@pytest.mark.parametrize("change", [str.upper, str.title, str.swapcase, str.lower])
def test_genuine_text_in_any_case_is_left_alone(change) -> None:  # type: ignore[no-untyped-def]
    """Caps-lock text (``пРИВЕТ``) and headings in capitals look swapped by case alone."""
    changed = [text[:60] for _, text in _cyrillic_paragraphs()
               if find_cyrillic_swap_edits(change(text), Options())]
    assert changed == []


def test_a_repeated_word_is_no_more_evidence_than_the_word_once() -> None:
    """Serbian capitals in a test of CPython's tokenizer: ten letters, five distinct,
    all capitals; the cp866 reading ``КМгиА`` must not pass for a repair."""
    line = "expected_tokens = [(3, '\"ЉЊЈЁЂ\"', (1, 0), (1, 7), '\"ЉЊЈЁЂ\"')]\n"
    text = "literal = '\"ЉЊЈЁЂ\"'\n" + line
    assert fix_text(text) == text
