"""Measure where ``mojifix.legacy.LANGUAGE_MIN_PMI`` separates language from noise.

    python tools/measure_pair_threshold.py

Per script with pair statistics: positives are the sentence pieces of
``tests/fixtures/clean_paragraphs.jsonl`` written in it (what a correct repair gives
back); negatives are the pieces whose cp1252 bytes another code page reads as that script
(cp1251 and KOI8-R for Cyrillic, cp1253 Greek, cp1255 Hebrew, cp1256 Arabic, cp1250 and
cp1257 Latin: what a wrong "repair" of genuine text would give, its changed words). For
each threshold it prints the share of positives whose mean letter-pair PMI reaches it and
how many negatives do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mojifix.legacy import pair_evidence

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "clean_paragraphs.jsonl"
WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")


def mean_pmi(words: list[str]) -> float | None:
    """The mean PMI of the pairs with a non-ASCII member, best language, as the engine
    computes it (None without pair statistics)."""
    evidence = pair_evidence(words, "".join(words))
    return None if evidence is None else evidence[0] / evidence[1]


#: Scripts with pair statistics, and the code pages whose reading of cp1252 bytes gives
#: that script (the wrong "repairs" a threshold must turn away).
SCRIPTS = {
    "Cyrillic": (re.compile("[\u0400-\u04ff]"), ("cp1251", "koi8_r")),
    "Greek": (re.compile("[\u0370-\u03ff]"), ("cp1253",)),
    "Hebrew": (re.compile("[\u0590-\u05ff]"), ("cp1255",)),
    "Arabic": (re.compile("[\u0600-\u06ff]"), ("cp1256",)),
    "Latin": (re.compile("[\u00c0-\u024f]"), ("cp1250", "cp1257")),
}


def main() -> None:
    pieces = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        pieces += [p for p in re.split(r"(?<=[.!?;,])\s*", json.loads(line)["text"])
                   if len(p) >= 8 and WORD.search(p)]
    for name, (script, codecs) in SCRIPTS.items():
        positives: list[float] = []
        negatives: list[float] = []
        for piece in pieces:
            words = WORD.findall(piece)
            if all(script.search(w) for w in words):
                value = mean_pmi(words)
                if value is not None:
                    positives.append(value)
            try:
                data = piece.encode("cp1252")
            except UnicodeError:
                continue
            for codec in codecs:
                try:
                    misread = data.decode(codec)
                except UnicodeError:
                    continue
                changed = [w for w, o in zip(WORD.findall(misread), words) if w != o]
                if misread != piece and changed and all(script.search(w) for w in changed):
                    value = mean_pmi(changed)
                    if value is not None:
                        negatives.append(value)
        if not positives:
            continue
        print(f"{name}: {len(positives)} genuine pieces, {len(negatives)} misread cp1252 pieces")
        for threshold in (0.15, 0.1, 0.0, -0.1, -0.2, -0.3, -0.5):
            share = sum(v >= threshold for v in positives) / len(positives)
            print(f"  threshold {threshold:+.2f}: genuine pass {share:.1%}, "
                  f"misread pass {sum(v >= threshold for v in negatives)}")


if __name__ == "__main__":
    main()
