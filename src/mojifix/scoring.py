"""Rank candidate decodings of the same bytes by how plausible each is as real writing.

Every legacy encoding that decodes some bytes strictly yields a candidate text; they
differ only where the bytes are not ASCII. A candidate is scored by the log-likelihood
of its non-ASCII characters and their neighbours under two kinds of evidence:

* **structure**, the same for every script: control characters, unassigned and private
  code points, symbols glued to letters, a letter of another script or a case change in
  the middle of a word, a combining mark that follows no letter. Wrong decodings are full
  of these; real text almost never is.
* **language**: character unigram and bigram frequencies measured on real text, one
  model per language; the best-fitting language counts (see ``language_models``).

Only the characters around non-ASCII bytes are looked at, and only a bounded sample of
them, so the cost does not grow with the size of a file.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Mapping

from .langmodel import LanguageModel, models_by_script, normalize_for_pairs

#: Sample size: how many characters around non-ASCII bytes are scored at most.
SAMPLE_CHARS = 6000

#: Log-weights of the structural evidence, in nats. They encode how rare each event is
#: in real text (a C1 control character practically never; a symbol between two letters
#: seldom); their scale matches the language models' per-character log-probabilities.
IMPOSSIBLE = -14.0
SYMBOL_IN_WORD = -5.0
SCRIPT_CHANGE_IN_WORD = -6.0
CASE_CHANGE_IN_WORD = -3.0
STRAY_MARK = -7.0

_NON_ASCII_RE = re.compile(r".?[^\x00-\x7f]+.?", re.DOTALL)


@lru_cache(maxsize=65536)
def char_class(ch: str) -> tuple[str, str]:
    """``(category, script)`` of a character; the script is the first word of its name.

    >>> char_class("ж"), char_class("A"), char_class("\\u0301")
    (('Ll', 'CYRILLIC'), ('Lu', 'LATIN'), ('Mn', 'COMBINING'))
    """
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    script = name.split(" ", 1)[0] if name else ""
    if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"):
        script = "CJK"
    return category, script


@lru_cache(maxsize=65536)
def _unigram_penalty(ch: str) -> float:
    category, _ = char_class(ch)
    if category in ("Cc", "Cn", "Co", "Cs"):
        return 0.0 if ch in "\t\n\r\x0c" else IMPOSSIBLE
    return 0.0


@lru_cache(maxsize=262144)
def _pair_penalty(pair: str) -> float:
    """Structural log-weight of two adjacent characters (at least one non-ASCII)."""
    a, b = pair[0], pair[1]
    cat_a, script_a = char_class(a)
    cat_b, script_b = char_class(b)
    letter_a, letter_b = cat_a[0] == "L", cat_b[0] == "L"
    if cat_b == "Mn" and not (letter_a or cat_a == "Mn"):
        return STRAY_MARK
    if letter_a and letter_b:
        if script_a != script_b:
            return SCRIPT_CHANGE_IN_WORD
        if cat_a == "Ll" and cat_b == "Lu":
            return CASE_CHANGE_IN_WORD
        return 0.0
    if (letter_a and cat_b[0] == "S") or (cat_a[0] == "S" and letter_b):
        return SYMBOL_IN_WORD
    return 0.0


def sample(text: str, limit: int = SAMPLE_CHARS) -> list[str]:
    """The stretches of ``text`` that hold non-ASCII characters, with one neighbour each.

    >>> sample("abc Привет xyz ok")
    [' Привет ']
    """
    runs: list[str] = []
    total = 0
    for match in _NON_ASCII_RE.finditer(text):
        run = match.group()
        runs.append(run)
        total += len(run)
        if total >= limit:
            break
    return runs


def score_text(text: str) -> float:
    """Log-likelihood-style plausibility of ``text`` (higher is more plausible).

    >>> score_text("Привет, мир") > score_text("Ïðèâåò, ìèð")
    True
    """
    return score_runs(sample(text))


def score_runs(runs: list[str]) -> float:
    """Score pre-sampled stretches (see ``sample``).

    The language part is the best score among the models of the script most of the
    non-ASCII letters belong to; a script without a model is scored by structure and
    by the generic character classes alone.
    """
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    normalized: Counter[str] = Counter()
    for run in runs:
        unigrams.update(run)
        bigrams.update(run[i : i + 2] for i in range(len(run) - 1))
        flat = normalize_for_pairs(run)
        normalized.update(flat[i : i + 2] for i in range(len(flat) - 1))
    structure = 0.0
    scripts: Counter[str] = Counter()
    for ch, count in unigrams.items():
        if ch >= "\x80":
            structure += count * _unigram_penalty(ch)
            category, script = char_class(ch)
            if category[0] == "L":
                scripts[script] += count
    for pair, count in bigrams.items():
        structure += count * _pair_penalty(pair)
    script = scripts.most_common(1)[0][0] if scripts else ""
    models = models_by_script().get(script) or models_by_script()["LATIN"]
    language = max(model.score(unigrams, normalized) for model in models)
    return structure + language


def rank_texts(
    texts: Mapping[str, str], *, declared: str | None = None
) -> list[tuple[str, float]]:
    """Rank candidate decodings, best first, with a confidence for each.

    ``texts`` maps encoding names to the text each decodes to. The confidences are a
    softmax over the scores divided by the number of scored characters: they say how
    much better one reading explains the text per character, so a long text with a
    clear winner gives a confidence near 1 and a short ambiguous one does not.
    ``declared`` (the encoding the data names for itself) wins unless another reading
    is clearly more plausible.

    >>> rank_texts({"cp1251": "Привет", "cp1252": "Ïðèâåò"})[0][0]
    'cp1251'
    """
    scores: dict[str, float] = {}
    length = 1
    for encoding, text in texts.items():
        runs = sample(text)
        length = max(length, sum(len(run) for run in runs))
        scores[encoding] = score_runs(runs)
    if declared is not None and declared in scores:
        best = max(scores.values())
        # A declaration is strong evidence; overrule it only when the declared reading
        # is worse by more than a rare event per twenty characters.
        if scores[declared] >= best + IMPOSSIBLE * max(1.0, length / 20):
            scores[declared] = best + 1.0
    return _confidences(scores, length)


def _confidences(scores: dict[str, float], length: int) -> list[tuple[str, float]]:
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    top = ordered[0][1]
    # Per-character log-odds, rescaled to a sample of 20 characters, keep the
    # confidence honest for both snippets and long files.
    scale = 20.0 / max(20, length)
    weights = [(name, math.exp(max(-50.0, (score - top) * scale))) for name, score in ordered]
    total = sum(weight for _, weight in weights)
    return [(name, round(weight / total, 4)) for name, weight in weights]
