"""Language models for ranking decodings: how often real text uses each character.

A model gives log-probabilities for characters and pairs of characters. Scores are
computed over the non-ASCII characters of a text (ASCII reads the same in every
candidate encoding, so it cannot tell them apart).

The CJK models here come from the legacy character sets' own frequency tiers, which
their standards committees ordered by measured usage: GB2312 level 1 (3,755 common
hanzi) and level 2, Big5's frequent and less-frequent blocks, JIS X 0208 level 1 (2,965
kanji) and level 2, KS X 1001's 2,350 hangul syllables. Each character of a tier gets the
tier's share of running text spread evenly over its members.

``language_models()`` is the single place the scorer gets its frequencies from.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from importlib import resources
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

from unicodedata import category

#: Log-probability of a character the model has never seen, by general category.
#: Punctuation and digits are common in every language; an unknown letter is rare.
UNSEEN_LETTER = -14.0
UNSEEN_OTHER = -9.0
PUNCTUATION = -6.0


#: Pointwise mutual information of a pair of characters that the model's profile does
#: not list: such pairs were pruned as rare, so assume them well below chance.
UNSEEN_PAIR = -3.0


@dataclass(frozen=True)
class LanguageModel:
    """Character statistics of one language (or one writing system's usage).

    ``unigram(ch)`` returns a log-probability; ``pairs`` holds pointwise mutual
    information for character pairs with a non-ASCII member (how much more often the
    pair occurs than its characters alone predict), where measured. ``script`` is the
    writing system of the language's letters (first word of their Unicode names).
    """

    name: str
    script: str
    unigram: Callable[[str], float]
    pairs: Mapping[str, float] | None = None
    ascii_letters: tuple[float, ...] | None = None  # log P of a..z among ASCII letters

    def score(self, unigrams: Counter[str], bigrams: Counter[str]) -> float:
        """Log-likelihood of the non-ASCII characters counted in ``unigrams``/``bigrams``.

        ``bigrams`` must be counted on text normalised like the profiles
        (``normalize_for_pairs``).
        """
        unigram = self.unigram
        total = 0.0
        for ch, count in unigrams.items():
            if ch >= "\x80":
                total += count * unigram(ch)
        if self.pairs is not None:
            table = self.pairs
            for pair, count in bigrams.items():
                if pair[0] >= "\x80" or pair[1] >= "\x80":
                    total += count * table.get(pair, UNSEEN_PAIR)
        return total


#: The profiles count non-letters of ASCII and General Punctuation as a space.
_PAIR_NORMALIZATION = {
    **{code: " " for code in range(0x80) if not chr(code).isalpha()},
    **{code: " " for code in range(0x2000, 0x2070)},
    0xA0: " ", 0xAB: " ", 0xB0: " ", 0xBB: " ",
    # ``"İ".lower()`` is two characters (i + combining dot); one keeps pairs aligned.
    0x130: "i",
}


def normalize_for_pairs(text: str) -> str:
    """Map characters the way the measured profiles did before counting pairs.

    Pairs are case-insensitive; non-letters of ASCII and General Punctuation count as
    a space. The length never changes (Turkish ``İ`` becomes ``i``).

    >>> normalize_for_pairs("Ą, “B”"), normalize_for_pairs("İş")
    ('ą   b ', 'iş')
    """
    return text.translate(_PAIR_NORMALIZATION).lower()


def _two_bytes(ch: str, codec: str) -> tuple[int, int] | None:
    data = ch.encode(codec, "ignore")  # empty when the charset lacks it (no exception)
    return (data[0], data[1]) if len(data) == 2 else None


def _generic(ch: str) -> float:
    cat = category(ch)
    if cat[0] in "PZN":
        return PUNCTUATION
    return UNSEEN_LETTER if cat[0] in "LM" else UNSEEN_OTHER


def _share(share: float, members: int) -> float:
    return math.log(share / members)


@lru_cache(maxsize=65536)
def _simplified_chinese(ch: str) -> float:
    code = _two_bytes(ch, "gb2312")
    if code is not None:
        lead = code[0]
        if 0xB0 <= lead <= 0xD7:
            return _share(0.97, 3755)
        if 0xD8 <= lead <= 0xF7:
            return _share(0.02, 3008)
        if lead in (0xA1, 0xA3):
            return PUNCTUATION
    if _two_bytes(ch, "gbk") is not None and category(ch) == "Lo":
        return _share(0.005, 14000)
    return _generic(ch)


@lru_cache(maxsize=65536)
def _traditional_chinese(ch: str) -> float:
    code = _two_bytes(ch, "big5")
    if code is not None:
        value = code[0] << 8 | code[1]
        if 0xA440 <= value <= 0xC67E:
            return _share(0.97, 5401)
        if 0xC940 <= value <= 0xF9D5:
            return _share(0.02, 7652)
        if 0xA140 <= value <= 0xA1FE:
            return PUNCTUATION
    return _generic(ch)


@lru_cache(maxsize=65536)
def _japanese(ch: str) -> float:
    code = _two_bytes(ch, "euc_jp")
    if code is not None:
        lead = code[0]
        if lead == 0xA4:
            return _share(0.40, 83)
        if lead == 0xA5:
            return _share(0.08, 86)
        if 0xB0 <= lead <= 0xCF:
            return _share(0.45, 2965)
        if 0xD0 <= lead <= 0xF4:
            return _share(0.01, 3390)
        if lead in (0xA1, 0xA3):
            return PUNCTUATION
    if 0xFF61 <= ord(ch) <= 0xFF9F:  # half-width katakana
        return _share(0.005, 63)
    return _generic(ch)


@lru_cache(maxsize=65536)
def _korean(ch: str) -> float:
    code = _two_bytes(ch, "euc_kr")
    if code is not None:
        lead = code[0]
        if 0xB0 <= lead <= 0xC8:
            return _share(0.95, 2350)
        if 0xCA <= lead <= 0xFD:
            return _share(0.01, 4888)
        if lead in (0xA1, 0xA3):
            return PUNCTUATION
    if 0xAC00 <= ord(ch) <= 0xD7A3:
        return _share(0.001, 8822)
    return _generic(ch)


@lru_cache(maxsize=1)
def cjk_models() -> tuple[LanguageModel, ...]:
    """The models of Chinese (simplified and traditional), Japanese and Korean."""
    return (
        LanguageModel("zh-Hans", "CJK", _simplified_chinese),
        LanguageModel("zh-Hant", "CJK", _traditional_chinese),
        LanguageModel("ja", "CJK", _japanese),
        LanguageModel("ko", "CJK", _korean),
    )


def _profile_unigram(table: dict[str, float], unseen_letter: float) -> Callable[[str], float]:
    get = table.get

    def unigram(ch: str) -> float:
        value = get(ch)
        if value is None:
            lower = ch.lower()
            value = get(lower) if len(lower) == 1 else None
        if value is not None:
            return value
        return unseen_letter if category(ch)[0] in "LM" else _generic(ch)

    return unigram


def _aligned_pairs(pairs: dict[str, float]) -> dict[str, float]:
    """The profile's pairs keyed as ``normalize_for_pairs`` spells them: the build
    lower-cased ``İ`` into two characters, which no two-character key matches."""
    out: dict[str, float] = {}
    for key, pmi in pairs.items():
        if len(key) != 2:
            key = key.replace("i\u0307", "i")
            if len(key) != 2 or key.isascii():
                continue
            pmi = max(pmi, out.get(key, pmi))
        out[key] = pmi
    return out


def _alphabetic_models() -> dict[str, LanguageModel]:
    """Models measured from Wikipedia by langdetect (see data/README-langmodels.md)."""
    raw = resources.files("mojifix").joinpath("data", "langmodels.json.gz").read_bytes()
    document = json.loads(gzip.decompress(raw))
    return {
        name: LanguageModel(
            name,
            entry["script"],
            _profile_unigram(entry["unigrams"], entry["unseen_letter"]),
            _aligned_pairs(entry["pairs"]),
            tuple(entry["ascii_letters"][ch] for ch in "abcdefghijklmnopqrstuvwxyz"),
        )
        for name, entry in document["models"].items()
    }


@lru_cache(maxsize=1)
def language_models() -> Mapping[str, LanguageModel]:
    """All language models, loaded once.

    >>> models = language_models()
    >>> models["ru"].script, models["ja"].script
    ('CYRILLIC', 'CJK')
    """
    return {**_alphabetic_models(), **{model.name: model for model in cjk_models()}}


@lru_cache(maxsize=1)
def models_by_script() -> Mapping[str, tuple[LanguageModel, ...]]:
    """The language models grouped by the script of their letters."""
    grouped: dict[str, list[LanguageModel]] = {}
    for model in language_models().values():
        grouped.setdefault(model.script, []).append(model)
    return {script: tuple(models) for script, models in grouped.items()}
