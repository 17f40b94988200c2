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
from functools import lru_cache, partial
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

#: Letters written two ways for one sound: Romanian s and t with a comma below (the
#: standard) or a cedilla (what legacy code pages and older text use). The profiles
#: measured whichever their text used; both spellings count as one letter.
_SPELLING_VARIANTS = {0x219: "\u015f", 0x218: "\u015e", 0x21B: "\u0163", 0x21A: "\u0162"}
_PAIR_NORMALIZATION.update(_SPELLING_VARIANTS)


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


@dataclass(frozen=True)
class _Tiers:
    """A legacy character set's frequency tiers, the model of one CJK language.

    ``tiers`` are ranges of two-byte codes (lead byte * 256 + trail byte) with the
    share of running text their members take and how many members there are;
    ``punctuation`` ranges hold the set's punctuation; ``beyond`` gives characters
    outside the set a share: ``(codec, first, last, share, members)``, where a codec
    admits the letters (category Lo) that it encodes in two bytes and no codec the code
    points ``first``..``last``.
    """

    codec: str
    tiers: tuple[tuple[int, int, float, int], ...]
    punctuation: tuple[tuple[int, int], ...]
    beyond: tuple[tuple[str | None, int, int, float, int], ...] = ()


def _tiered(
    codec: str,
    tiers: tuple[tuple[int, int, float], ...],
    beyond: tuple[tuple[str | None, int, int, float], ...],
    ch: str,
) -> float:
    """Log-probability of ``ch`` under a ``_Tiers`` model, its shares already logs."""
    data = ch.encode(codec, "ignore")
    if len(data) == 2:
        value = data[0] << 8 | data[1]
        for first, last, logp in tiers:
            if first <= value <= last:
                return logp
    for other, first, last, logp in beyond:
        if other is None:
            if first <= ord(ch) <= last:
                return logp
        elif len(ch.encode(other, "ignore")) == 2 and category(ch) == "Lo":
            return logp
    return _generic(ch)


#: GB2312 level 1 (3,755 common hanzi) and level 2; GBK's other hanzi beyond them.
_SIMPLIFIED_CHINESE = _Tiers(
    "gb2312",
    ((0xB000, 0xD7FF, 0.97, 3755), (0xD800, 0xF7FF, 0.02, 3008)),
    ((0xA100, 0xA1FF), (0xA300, 0xA3FF)),
    (("gbk", 0, 0, 0.005, 14000),),
)
#: Big5's frequent and less-frequent hanzi blocks.
_TRADITIONAL_CHINESE = _Tiers(
    "big5",
    ((0xA440, 0xC67E, 0.97, 5401), (0xC940, 0xF9D5, 0.02, 7652)),
    ((0xA140, 0xA1FE),),
)
#: JIS X 0208: hiragana, katakana, level 1 and level 2 kanji; half-width katakana.
_JAPANESE = _Tiers(
    "euc_jp",
    ((0xA400, 0xA4FF, 0.40, 83), (0xA500, 0xA5FF, 0.08, 86),
     (0xB000, 0xCFFF, 0.45, 2965), (0xD000, 0xF4FF, 0.01, 3390)),
    ((0xA100, 0xA1FF), (0xA300, 0xA3FF)),
    ((None, 0xFF61, 0xFF9F, 0.005, 63),),
)
#: KS X 1001's 2,350 hangul syllables and its hanja; the other modern syllables.
_KOREAN = _Tiers(
    "euc_kr",
    ((0xB000, 0xC8FF, 0.95, 2350), (0xCA00, 0xFDFF, 0.01, 4888)),
    ((0xA100, 0xA1FF), (0xA300, 0xA3FF)),
    ((None, 0xAC00, 0xD7A3, 0.001, 8822),),
)


def _tier_model(name: str, spec: _Tiers) -> LanguageModel:
    tiers = tuple((first, last, _share(share, members))
                  for first, last, share, members in spec.tiers)
    tiers += tuple((first, last, PUNCTUATION) for first, last in spec.punctuation)
    beyond = tuple((codec, first, last, _share(share, members))
                   for codec, first, last, share, members in spec.beyond)
    table = _tier_table(spec.codec, tiers, beyond)
    get = table.get

    def unigram(ch: str) -> float:
        value = get(ch)
        return _generic(ch) if value is None else value

    return LanguageModel(name, "CJK", unigram)


#: Trail bytes of the two-byte codes the tier tables enumerate (every CJK codec here
#: uses no other), each followed by a line feed: no codec takes 0x0A as a trail byte,
#: so a code that does not decode costs its own segment only.
_TRAILS = (*range(0x40, 0x7F), *range(0x80, 0xFF))
_ROW_TEMPLATE = b"".join(bytes((0, trail, 0x0A)) for trail in _TRAILS)


def _row(codec: str, lead: int) -> list[tuple[int, str]]:
    """The two-byte codes with ``lead`` that ``codec`` decodes to one character that
    it encodes back to the same code."""
    data = _ROW_TEMPLATE.replace(b"\x00", bytes((lead,)))
    segments = data.decode(codec, "replace").split("\n")
    row = [
        (lead << 8 | trail, ch)
        for trail, ch in zip(_TRAILS, segments)
        if len(ch) == 1 and ch != "\ufffd"
    ]
    codes = b"".join(value.to_bytes(2, "big") for value, _ in row)
    if "".join(ch for _, ch in row).encode(codec, "ignore") == codes:
        return row  # the whole row round-trips (all but a few rows of Big5)
    return [(value, ch) for value, ch in row if ch.encode(codec, "ignore") == value.to_bytes(2, "big")]


def _tier_table(
    codec: str,
    tiers: tuple[tuple[int, int, float], ...],
    beyond: tuple[tuple[str | None, int, int, float], ...],
) -> dict[str, float]:
    """Every character to which ``_tiered`` gives a tier's (or a range beyond's)
    share, with that share: the tiers' rows of codes decoded a row at a time (about
    20 ms for the four models, against some microseconds per character looked up one
    by one, which snippets of many files in turn kept paying).

    A character counts where its own encoding lies (a code that decodes to a character
    encoding elsewhere does not place it), so the table agrees with ``_tiered`` on
    every code point.
    """
    table: dict[str, float] = {}
    leads = sorted({lead for first, last, _ in tiers for lead in range(first >> 8, (last >> 8) + 1)})
    for lead in leads:
        row = _row(codec, lead)
        for first, last, logp in tiers:  # the first tier holding a code decides
            if first >> 8 <= lead <= last >> 8:
                for value, ch in row:
                    if first <= value <= last and ch not in table:
                        table[ch] = logp
    for other, first, last, logp in beyond:
        if other is None:
            for code in range(first, last + 1):
                table.setdefault(chr(code), logp)
            continue
        for lead in range(0x81, 0xFF):
            for _, ch in _row(other, lead):
                if ch not in table and category(ch) == "Lo":
                    table[ch] = logp
    return table


@lru_cache(maxsize=1)
def cjk_models() -> tuple[LanguageModel, ...]:
    """The models of Chinese (simplified and traditional), Japanese and Korean."""
    return (
        _tier_model("zh-Hans", _SIMPLIFIED_CHINESE),
        _tier_model("zh-Hant", _TRADITIONAL_CHINESE),
        _tier_model("ja", _JAPANESE),
        _tier_model("ko", _KOREAN),
    )


def _profile_unigram(table: dict[str, float], unseen_letter: float) -> Callable[[str], float]:
    table = dict(table)
    for variant, letter in _SPELLING_VARIANTS.items():
        # One letter, two spellings: its probability is the sum of both.
        a, b = table.get(chr(variant).lower()), table.get(letter.lower())
        if a is not None or b is not None:
            merged = math.log(sum(math.exp(v) for v in (a, b) if v is not None))
            table[chr(variant).lower()] = table[letter.lower()] = round(merged, 2)
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
        key = key.replace("i\u0307", "i").translate(_SPELLING_VARIANTS)
        if len(key) != 2 or key.isascii():
            continue
        out[key] = max(pmi, out.get(key, pmi))
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
