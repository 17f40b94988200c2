"""Build ``src/mojifix/data/langmodels.json.gz`` from langdetect's language profiles.

Run with langdetect installed (``pip install langdetect``); it is a build-time source of
measured data only, not a dependency of mojifix. The profiles are character 1-, 2- and
3-gram counts measured on Wikipedia by Shuyo Nakatani's language-detection (Apache-2.0),
as shipped in the Python port ``langdetect`` (Apache-2.0).

For each alphabetic language this keeps what the encoding scorer needs:

* ``unigrams``: log-probability of every non-ASCII character in the profile;
* ``ascii_letters``: log-probability of each ASCII letter among the ASCII letters
  (case-folded), which tells the language of the text around the non-ASCII bytes;
* ``pairs``: pointwise mutual information of every character pair that has a non-ASCII
  member (log of how much more often the pair occurs than its characters predict).

CJK profiles are skipped: langdetect folds all kana, all hangul and clusters of hanzi
into single representatives, which erases exactly the information the scorer needs.
Indic and other scripts without a legacy single-byte codec in Python are skipped too.

Usage: python tools/build_langmodels.py
"""

from __future__ import annotations

import gzip
import json
import math
import os
import unicodedata
from collections import Counter
from pathlib import Path

import langdetect

SKIP = {"ja", "ko", "zh-cn", "zh-tw", "bn", "gu", "hi", "kn", "ml", "mr", "ne", "pa", "ta", "te"}
OUT = Path(__file__).resolve().parent.parent / "src" / "mojifix" / "data" / "langmodels.json.gz"


def script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def build(profile: dict) -> dict:
    freq: dict[str, int] = profile["freq"]
    n1, n2 = profile["n_words"][0], profile["n_words"][1]
    unigrams = {g: c for g, c in freq.items() if len(g) == 1 and g != " "}
    # Pairs are kept case-insensitive: a capital letter starts a word as often in one
    # language as another, and the profiles are too sparse to measure capital pairs.
    pairs: Counter[str] = Counter()
    for gram, count in freq.items():
        if len(gram) == 2:
            pairs[gram.lower()] += count
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for pair, count in pairs.items():
        left[pair[0]] += count
        right[pair[1]] += count
    # Unigrams are kept case-insensitive too: whether a word is capitalised or all
    # capitals says nothing about the encoding (the scorer looks at case changes inside
    # words instead), and all-capital headlines must not look improbable.
    folded: Counter[str] = Counter()
    for ch, count in unigrams.items():
        lower = ch.lower()
        folded[lower if len(lower) == 1 else ch] += count
    unigrams = dict(folded)
    scripts: Counter[str] = Counter()
    for ch, count in unigrams.items():
        if unicodedata.category(ch).startswith("L"):
            scripts[script_of(ch)] += count
    out_unigrams = {
        ch: round(math.log(count / n1), 2) for ch, count in unigrams.items() if ch >= "\x80"
    }
    out_pairs = {}
    for pair, count in pairs.items():
        if pair[0] < "\x80" and pair[1] < "\x80":
            continue
        pmi = math.log(count * n2 / (left[pair[0]] * right[pair[1]]))
        out_pairs[pair] = round(pmi, 2)
    # A letter the profile does not list was pruned as rarer than the rarest it keeps.
    floor = math.log(min(unigrams.values()) / n1) - math.log(2)
    letters = {ch: unigrams.get(ch, 0) for ch in "abcdefghijklmnopqrstuvwxyz"}
    total = sum(letters.values())
    ascii_letters = {
        ch: round(math.log(max(count, 1) / max(total, 1)), 2) for ch, count in letters.items()
    }
    return {
        "script": scripts.most_common(1)[0][0],
        "ascii_letters": ascii_letters,
        "unseen_letter": round(floor, 2),
        "unigrams": out_unigrams,
        "pairs": out_pairs,
    }


def main() -> None:
    folder = Path(langdetect.__file__).parent / "profiles"
    models = {}
    for name in sorted(os.listdir(folder)):
        if name in SKIP:
            continue
        with open(folder / name, encoding="utf-8") as handle:
            models[name] = build(json.load(handle))
    document = {
        "source": "langdetect 1.0.9 profiles (Wikipedia character n-grams), Apache-2.0",
        "models": models,
    }
    data = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as handle:
        handle.write(data.encode("utf-8"))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(models)} languages)")


if __name__ == "__main__":
    main()
