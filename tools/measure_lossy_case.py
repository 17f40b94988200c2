"""Measure how often a Latin-script capital follows a small letter inside a word, and
how often a word of another script stands in text of a Latin-script language.

The lossy scorer (``mojifix.lossy_score``) prices a capital letter with the plausibility
model's overall share of capitals (``upper_bits``); inside a word, right after a small
letter (``likÁr``), a capital is far rarer. This prints the shares, in bits, measured on
the *tuning* half of ``tests/fixtures/clean_paragraphs.jsonl`` (Latin-script letters
only), for ``lossy_score.MID_WORD_CAPITAL_BITS``; and the share of the words of the
paragraphs labelled with a Latin-script language that are written in another script
(rule of succession: ``(k + 1) / (n + 2)``), for ``lossy_score.FOREIGN_SCRIPT_BITS``;
and after each of ``. , ; : ? !`` between a word and a space, how many of the words
that follow begin with a capital and how many with a small letter, for
``lossy_score.NEXT_WORD_CASE``:

    python tools/measure_lossy_case.py
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

#: Labels of Latin-script paragraphs (as in benchmarks/accuracy_lossy.py).
LATIN_LABELS = frozenset(
    "cs czech da de en eo es et fi fr french ga hr croatian hu hungarian it lt lv mt pl "
    "polish pt ro romanian sk slovak sl slovene spanish sv tr turkish vi".split())
PARAGRAPHS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "clean_paragraphs.jsonl"


def _latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def main() -> int:
    counts: Counter[tuple[str, bool]] = Counter()
    words = foreign = 0
    after_mark: Counter[tuple[str, bool]] = Counter()
    with PARAGRAPHS.open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            if row["split"] != "tune":
                continue
            text = row["text"]
            if row["language"] in LATIN_LABELS:
                for m in re.finditer(r"(\w)([.,;:!?]) ([^\W\d_])", text):
                    after_mark[m.group(2), m.group(3).isupper()] += 1
                for word in re.findall(r"[^\W\d_]+", text):
                    words += 1
                    foreign += not unicodedata.name(word[0], "").startswith("LATIN")
            for a, b in zip(" " + text, text):
                if not _latin(b):
                    continue
                where = ("after a small letter" if _latin(a) and a.islower() else
                         "after a capital" if _latin(a) else "word start")
                counts[where, b.isupper()] += 1
    letters = sum(counts.values())
    capitals = sum(n for (_, upper), n in counts.items() if upper)
    print(f"all Latin letters: {capitals} capitals of {letters}: "
          f"{-math.log2(capitals / letters):.2f} bits")
    for where in ("after a small letter", "after a capital", "word start"):
        upper, total = counts[where, True], counts[where, True] + counts[where, False]
        print(f"{where}: {upper} capitals of {total}: {-math.log2(max(upper, 1) / total):.2f} bits")
    print("capital / small letter after a mark and a space: " + ", ".join(
        f"'{mark}' {after_mark[mark, True]}/{after_mark[mark, False]}" for mark in ".,;:?!"))
    share = (foreign + 1) / (words + 2)
    print(f"words of Latin-script paragraphs in another script: {foreign} of {words}: "
          f"{-math.log2(share):.2f} bits (rule of succession)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
