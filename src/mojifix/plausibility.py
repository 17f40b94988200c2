"""How plausible is a piece of text as real writing, and how sure is a repair?

The model is a *class-bigram, character-unigram* language model measured on real text:

    cost(c_i | c_{i-1}) = T[class(c_{i-1})][class(c_i)] + U(c_i | class(c_i))
                          (+ S[class of the previous word's letters][class(c_i)]
                             when c_i begins a word)

in bits (negative log2 probability). Characters fall into a few dozen classes (script
letters, digits, spaces, punctuation, CJK punctuation, marks, symbols, emoji, controls,
private use, unassigned...); ``T`` says how often one class follows another in running
text, ``U`` how common a character is within its class (for alphabets: how common it is
after the previous letter of its word, from letter pairs), and ``S`` how often a word in
one script follows a word in another (a lone Greek letter after Chinese words is odd,
after Greek words it is an article). The tables are built by
``scripts/build_plausibility_tables.py`` from wordfreq's word lists (letters, emoji) and
from real paragraphs of the labelled encoding corpus (class transitions, punctuation,
spacing), and shipped in ``mojifix/data/charmodel.json.gz`` (see ``data/README.md`` for
sources and licences). They are loaded lazily, on first use.

Characters the tables never saw get a cost from measured fallbacks: a compatibility
variant (half-width katakana, full-width Latin) costs what its NFKC form costs; a capital (wordfreq folds case) costs its small letter plus the measured
capital-to-small ratio, ``ß`` what its folded form ``ss`` costs, an accented letter
(Esperanto ``ŝ``) its base letter plus the measured cost of an accent; an ideograph or hangul syllable costs what the rarest seen characters
of its *frequency tier* in the legacy character sets cost (GB2312 level 1/2, JIS X 0208
level 1/2, Big5 frequent/less-frequent, KS X 1001): those sets were ordered by
frequency when they were made, so the tier is measured data too.

A repair is judged by comparing two hypotheses about the observed text: it is genuine,
or it is the mis-decoding of the repaired text. With the model above the log-likelihood
ratio is ``cost(observed) - cost(repaired)`` bits; a prior (how rare mojibake is, in
bits) is subtracted and the result turned into a probability.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

#: Character classes of the model. ``EDGE`` stands for the start or end of a line.
CLASSES: tuple[str, ...] = (
    "EDGE", "SPACE", "DIGIT", "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC",
    "THAI", "OTHER_LETTER", "HAN", "HIRAGANA", "KATAKANA", "HALFWIDTH_KANA", "HANGUL",
    "FULLWIDTH_ALNUM", "MARK", "PUNCT", "CJK_PUNCT", "SYMBOL", "EMOJI", "FORMAT", "CONTROL",
    "PRIVATE_USE", "UNASSIGNED",
)
_CLASS_ID = {name: i for i, name in enumerate(CLASSES)}
EDGE = 0

#: Classes whose characters make words. A word's first letter is also scored against
#: the class of the previous word's letters (``S`` in the module docstring).
LETTER_CLASSES: frozenset[int] = frozenset(_CLASS_ID[name] for name in (
    "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "THAI", "OTHER_LETTER",
    "HAN", "HIRAGANA", "KATAKANA", "HALFWIDTH_KANA", "HANGUL", "FULLWIDTH_ALNUM",
))

#: How far to look back or ahead for the neighbouring word's letters.
CONTEXT_REACH = 64

#: The model's state after some text: (class of the last character, class of the last
#: letter, ``EDGE`` for none, the last character when it is a letter that began a word,
#: so far of one letter, else ``""``, and the last character itself).
State = tuple[int, int, str, str]

#: What the model needs to know of the text after a place: ``None`` at the end of a
#: line, else ``(class of the next character, class of the next letter within
#: CONTEXT_REACH, or None)``.
Closing = Optional[tuple[int, Optional[int]]]

#: Classes whose letters are scored by letter pairs (see ``pair_cost``).
PAIR_CLASSES: frozenset[int] = frozenset(_CLASS_ID[name] for name in (
    "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "THAI", "OTHER_LETTER",
    "HAN", "HIRAGANA", "KATAKANA",
))
_CJK_PAIR_CLASSES = frozenset(_CLASS_ID[name] for name in ("HAN", "HIRAGANA", "KATAKANA"))

#: Interpolation weight of the letter-pair estimate against the letter's unigram. In an
#: alphabet, the word lists measure pairs of common letters well and every pair of
#: letters in running text lies inside a word, so pairs get most of the weight (an unseen
#: pair keeps a tenth of the unigram's probability, 3.3 bits more). Chinese and Japanese
#: run words together with no space: with words of about two characters, about half of
#: the adjacent pairs of running text lie inside a word, so pairs there get half.
PAIR_WEIGHT = 0.9
CJK_PAIR_WEIGHT = 0.5

#: Prior odds against a repair, in bits, used by :func:`repair_confidence` when the
#: caller gives none. Such callers (the Latin engine) bring a repair their own detector
#: already chose: ftfy applies an encoding fix only when its badness test flags the line
#: and the bytes decode, and on its own negative test cases it flags none. We credit that
#: decision with odds of 2**10 to 1 (a false-positive rate under 1 in 1,000), so the
#: model lowers the confidence only where it finds the repaired text clearly less
#: plausible. The CJK engine, which has no detector but this model, passes its own
#: prior (see ``mojifix.cjk``).
DETECTOR_PRIOR_BITS = -10.0

_SCRIPT_PREFIXES = (
    ("LATIN", "LATIN"), ("GREEK", "GREEK"), ("COPTIC", "GREEK"), ("CYRILLIC", "CYRILLIC"),
    ("ARMENIAN", "ARMENIAN"), ("HEBREW", "HEBREW"), ("ARABIC", "ARABIC"), ("THAI", "THAI"),
    ("HIRAGANA", "HIRAGANA"), ("KATAKANA", "KATAKANA"), ("HANGUL", "HANGUL"),
    ("CJK", "HAN"),
)


def _classify(ch: str) -> int:
    cp = ord(ch)
    category = unicodedata.category(ch)
    if ch in "\t " or category == "Zs":
        return _CLASS_ID["SPACE"]
    if category == "Cn" or category == "Cs":
        return _CLASS_ID["UNASSIGNED"]
    if category == "Co":
        return _CLASS_ID["PRIVATE_USE"]
    if category == "Cc" or category in ("Zl", "Zp"):
        return _CLASS_ID["CONTROL"]
    if category == "Cf":
        return _CLASS_ID["FORMAT"]
    if category[0] == "M":
        return _CLASS_ID["MARK"]
    if 0xFF61 <= cp <= 0xFF9F:
        return _CLASS_ID["HALFWIDTH_KANA"]
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return _CLASS_ID["FULLWIDTH_ALNUM"]
    if category == "Nd":
        # Digits of other scripts are rare outside them; running text is measured with
        # ASCII digits, so the others count as symbols.
        return _CLASS_ID["DIGIT"] if cp < 0x80 or 0xFF10 <= cp <= 0xFF19 else _CLASS_ID["SYMBOL"]
    if category[0] == "L":
        if cp == 0x30FC:  # the prolonged sound mark lives in katakana and hiragana words
            return _CLASS_ID["KATAKANA"]
        if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF:
            return _CLASS_ID["HAN"]
        name = unicodedata.name(ch, "")
        for prefix, cls in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                return _CLASS_ID[cls]
        return _CLASS_ID["OTHER_LETTER"]
    if category[0] == "P":
        if 0x3000 <= cp <= 0x303F or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFF65 or cp == 0x30FB:
            return _CLASS_ID["CJK_PUNCT"]
        return _CLASS_ID["PUNCT"]
    if 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF:
        return _CLASS_ID["CJK_PUNCT"]
    if cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF:
        return _CLASS_ID["EMOJI"]
    return _CLASS_ID["SYMBOL"]


_class_cache: dict[str, int] = {}


def char_class(ch: str) -> int:
    """The model's class of one character, as an index into :data:`CLASSES`.

    >>> [CLASSES[char_class(c)] for c in "a茅’ﾃ\\x85"]
    ['LATIN', 'HAN', 'PUNCT', 'HALFWIDTH_KANA', 'CONTROL']
    """
    cls = _class_cache.get(ch)
    if cls is None:
        cls = _class_cache[ch] = _classify(ch)
    return cls


# -- frequency tiers of the legacy character sets -------------------------------------

def _tier_of(ch: str) -> int:
    """1 for the common tier of any legacy CJK set that holds ``ch``, 2 for a rarer tier,
    3 when no national standard's main tiers hold it (GBK/CP949/HKSCS extensions)."""
    best = 3
    for codec, tiers in _TIER_RANGES:
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(data) != 2:
            continue
        value = data[0] << 8 | data[1]
        for tier, low, high in tiers:
            if low <= value <= high:
                best = min(best, tier)
    return best


#: (codec, ((tier, first, last), ...)): GB2312 level 1 = rows 16-55 (B0A1-D7F9), level 2
#: = rows 56-87; JIS X 0208 level 1 = rows 16-47 (EUC B0A1-CFD3), level 2 = rows 48-84;
#: Big5 frequent = A440-C67E, less frequent = C940-F9D5; KS X 1001 hangul = B0A1-C8FE,
#: hanja = CAA1-FDFE.
_TIER_RANGES: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...] = (
    ("gb2312", ((1, 0xB0A1, 0xD7F9), (2, 0xD8A1, 0xF7FE))),
    ("euc_jp", ((1, 0xB0A1, 0xCFD3), (2, 0xD0A1, 0xF4A6))),
    ("big5", ((1, 0xA440, 0xC67E), (2, 0xC940, 0xF9D5))),
    ("euc_kr", ((1, 0xB0A1, 0xC8FE), (2, 0xCAA1, 0xFDFE))),
)


@lru_cache(maxsize=4096)
def _base_letter(ch: str) -> str | None:
    """The base letter of an accented letter (``ŭ`` -> ``u``), or None."""
    if len(ch) != 1:
        return None
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) == 2 and unicodedata.category(parts[1]) == "Mn" and parts[0].isalpha():
        return parts[0]
    return None


# -- the model -----------------------------------------------------------------------

class CharModel:
    """Costs in bits from the shipped tables (see the module docstring)."""

    def __init__(self, table: dict) -> None:
        names = table["classes"]
        if tuple(names) != CLASSES:
            raise ValueError("character model table was built for other classes")
        self.transition: list[list[float]] = table["transitions"]
        self.script: list[list[float]] = table["script"]
        self.floor: list[float] = [table["unigram"][name]["floor"] for name in names]
        self.tier_cost: dict[str, dict[str, float]] = table["tiers"]
        self.upper_bits: float = table["upper_bits"]
        self.accent_bits: float = table["accent_bits"]
        self._single: dict[str, float] = {}
        self._single_floor: dict[int, float] = {}
        for name, data in table["single_words"].items():
            self._single_floor[_CLASS_ID[name]] = data["floor"]
            self._single.update(data["costs"])
        self._single_cache: dict[str, float] = {}
        self._pairs: dict[str, dict[str, float]] = {}
        for first, row in table["bigrams"].items():
            parsed: dict[str, float] = {}
            for item in row.split(",")[:-1]:
                parsed[item[0]] = int(item[1:]) / 10
            self._pairs[first] = parsed
        self._pair_cache: dict[tuple[str, str], float] = {}
        self._unigram: dict[str, float] = {}
        for name in names:
            for tenths, chars in table["unigram"][name]["costs"].items():
                bits = int(tenths) / 10
                for ch in chars:
                    self._unigram[ch] = bits
        self._cost_cache: dict[str, tuple[int, float]] = {}
        self._scripts: frozenset[str] | None = None

    def unigram(self, ch: str) -> float:
        """Cost of ``ch`` within its class, in bits."""
        return self.entry(ch)[1]

    def entry(self, ch: str) -> tuple[int, float]:
        """``(class, within-class cost)`` of one character, cached."""
        hit = self._cost_cache.get(ch)
        if hit is not None:
            return hit
        cls = char_class(ch)
        bits = self._unigram.get(ch)
        if bits is None:
            bits = self._unseen(ch, cls)
        self._cost_cache[ch] = (cls, bits)
        return cls, bits

    def measured(self, ch: str) -> bool:
        """Whether the tables say anything of ``ch``: it, its lower case, its width or
        accent variant, or its frequency tier (CJK) is measured, so that its cost is not
        just the floor of its class.

        >>> [model().measured(ch) for ch in "éÂｶ鈥˰"]
        [True, True, True, True, False]
        """
        return ch in self._unigram or self._unseen_cost(ch, char_class(ch))[1]

    def attested(self, text: str) -> bool:
        """Whether every non-ASCII Latin letter of ``text`` occurs in the measured tables
        (or is a width, case, compatibility or accent variant of one that does).

        Mojibake repairs give back letters that people write; a "repair" into ``Ʉ`` or
        ``ʯ`` (kaomoji read as CP932) explains noise by noise. Only Latin letters are
        checked: the tables cover them in dozens of languages, so one missing from all
        of them is rare indeed, while other scripts' tables are thinner.

        Letters and digits of other scripts are checked by script: a script none of
        the tables holds (NKo ``߄`` from kaomoji read as Shift_JIS) is not attested.

        >>> model().attested("Grüße, ŭ, aᵢ, 中文"), model().attested("ɄD")
        (True, False)
        >>> model().attested("ﾃｶ ℝ ٤"), model().attested("߄t")
        (True, False)

        A private-use character is defined by a font, not by any language: ``ÔÇ£`` (a
        curly quote read as cp850) read once more as Mac Roman is U+F0A3, noise again.

        >>> model().attested("\uf0a3")
        False
        """
        for ch in text:
            if ch < "\x80" or ch in self._unigram:
                continue
            if not ch.isalpha():
                if ch.isalnum() and not self._script_attested(ch):
                    return False
                if unicodedata.category(ch) == "Co":
                    return False
                continue
            if not self._script_attested(ch):
                return False
            if not unicodedata.name(ch, "").startswith("LATIN"):
                continue
            if all(c < "\x80" or c in self._unigram
                   for c in unicodedata.normalize("NFKC", ch).casefold()):
                continue
            parts = unicodedata.normalize("NFD", ch)
            if parts[0] in self._unigram and all(
                    unicodedata.category(p) == "Mn" for p in parts[1:]):
                continue
            return False
        return True

    def _script_attested(self, ch: str) -> bool:
        """Whether the tables hold a letter or digit of the script of ``ch``: a word of
        its Unicode name (after compatibility folding: ``ﾃ`` is KATAKANA, ``٤`` is an
        ARABIC-INDIC digit) begins the name of one of theirs."""
        scripts = self._scripts
        if scripts is None:
            scripts = self._scripts = frozenset(
                word for c in self._unigram if not c.isascii() and c.isalnum()
                for word in _NAME_WORD.split(unicodedata.name(c, "?").split(" ", 1)[0]))
        folded = unicodedata.normalize("NFKC", ch)
        return all(c.isascii() or not scripts.isdisjoint(
            _NAME_WORD.split(unicodedata.name(c, "?"))) for c in folded)

    def _unseen(self, ch: str, cls: int) -> float:
        return self._unseen_cost(ch, cls)[0]

    def _unseen_cost(self, ch: str, cls: int) -> tuple[float, bool]:
        """The cost of a character the tables lack, and whether it comes from what they
        say of a variant of it (its frequency tier, its other width, its lower case, its
        base letter) rather than the floor of its class."""
        name = CLASSES[cls]
        if name in ("HAN", "HANGUL"):
            tier = self.tier_cost.get(name, {}).get(str(_tier_of(ch)))
            return (self.floor[cls], False) if tier is None else (tier, True)
        if 0xFF00 <= ord(ch) <= 0xFFEF:
            # A half-width or full-width form is the same character in another width.
            folded = unicodedata.normalize("NFKC", ch)
            if len(folded) == 1 and folded in self._unigram:
                return self._unigram[folded], True
        folded = ch.casefold()
        if folded != ch and all(c in self._unigram for c in folded):
            extra = self.upper_bits if ch != ch.lower() else 0.0
            return sum(self._unigram[c] for c in folded) + extra, True
        if folded != ch and len(folded) == 1:
            return self.entry(folded)[1] + self.upper_bits, self.measured(folded)
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 2 and parts[0] in self._unigram and unicodedata.category(parts[1]) == "Mn":
            return self._unigram[parts[0]] + self.accent_bits, True
        return self.floor[cls], False

    def pair_cost(self, prev: str, ch: str) -> float:
        """Cost of letter ``ch`` after letter ``prev`` of the same word (``prev`` is
        ``"^"`` + class name at the start of a word), interpolated with the unigram."""
        key = (prev, ch)
        hit = self._pair_cache.get(key)
        if hit is None:
            uni = 2.0 ** -self.entry(ch)[1]
            row = self._pairs.get(prev)
            bits = row.get(ch) if row is not None else None
            weight = CJK_PAIR_WEIGHT if self.entry(ch)[0] in _CJK_PAIR_CLASSES else PAIR_WEIGHT
            if row is None:
                hit = -math.log2((1.0 - weight) * uni) if weight < 0.9 else self.entry(ch)[1]
            elif bits is None:
                hit = -math.log2((1.0 - weight) * uni)
            else:
                hit = -math.log2(weight * 2.0 ** -bits + (1.0 - weight) * uni)
            # An accented letter the word lists seldom show (Esperanto ŭ) pairs at
            # least as well as its base letter does, plus the measured accent.
            base = _base_letter(ch)
            if base is not None:
                hit = min(hit, self.pair_cost(prev, base) + self.accent_bits)
            base = _base_letter(prev)
            if base is not None:
                hit = min(hit, self.pair_cost(base, ch))
            self._pair_cache[key] = hit
        return hit

    def single_letter_delta(self, ch: str) -> float:
        """Bits to add when letter ``ch`` turns out to be a word on its own: its cost
        among single-letter words minus its cost among letters (``в`` gets cheaper,
        a lone ``ж`` or a lone ideograph dearer)."""
        hit = self._single_cache.get(ch)
        if hit is None:
            cls, bits = self.entry(ch)
            alone = self._single.get(ch)
            if alone is None:
                folded = ch.lower()
                alone = self._single.get(folded) if folded != ch else None
                if alone is None:
                    alone = self._single_floor.get(cls, bits)
                else:
                    alone += self.upper_bits
            if cls in PAIR_CLASSES:
                bits = self.pair_cost("^" + CLASSES[cls], ch)
            hit = self._single_cache[ch] = alone - bits
        return hit

    def cost(self, text: str, left: str = "", right: str = "") -> float:
        """Cost of ``text`` in bits, given the text before it and after it (empty for
        the edge of a line). The cost of ``left`` itself is not counted.

        >>> m = model()
        >>> m.cost("’s", "It", " fine") < m.cost("檚", "It", " fine")
        True
        """
        total, state = self.cost_from(self.state_before(left, len(left)), text)
        return total + self.closing_cost(state, right, 0)

    def state_before(self, text: str, pos: int) -> State:
        """The model's state after ``text[:pos]`` (only the last few characters count)."""
        if pos <= 0 or text[pos - 1] in "\r\n":
            return (EDGE, EDGE, "", "")
        last = char_class(text[pos - 1])
        pending = ""
        if last in LETTER_CLASSES and (pos < 2 or char_class(text[pos - 2]) not in LETTER_CLASSES):
            pending = text[pos - 1]
        for i in range(pos - 1, max(-1, pos - 1 - CONTEXT_REACH), -1):
            ch = text[i]
            if ch in "\r\n":
                break
            cls = char_class(ch)
            if cls in LETTER_CLASSES:
                return (last, cls, pending, text[pos - 1])
        return (last, EDGE, pending, text[pos - 1])

    def cost_from(self, state: State, text: str) -> tuple[float, State]:
        """Cost of ``text`` in bits after a given state; also the state after it."""
        transition = self.transition
        script = self.script
        entry = self.entry
        prev, letter, pending, last = state
        total = 0.0
        for ch in text:
            cls, bits = entry(ch)
            if cls in PAIR_CLASSES:
                if prev == cls:
                    bits = self.pair_cost(last, ch)
                elif prev not in LETTER_CLASSES:
                    bits = self.pair_cost("^" + CLASSES[cls], ch)
            total += transition[prev][cls] + bits
            if cls in LETTER_CLASSES:
                if prev not in LETTER_CLASSES:
                    total += script[letter][cls]
                    pending = ch
                else:
                    pending = ""
                letter = cls
            elif pending:
                total += self.single_letter_delta(pending)
                pending = ""
            prev = cls
            last = ch
        return total, (prev, letter, pending, last)

    def closing_cost(self, state: State, text: str, pos: int) -> float:
        """Cost, in bits, of how ``text[pos:]`` continues what ended in ``state``: the
        class transition into its first character and the script of its next word."""
        return self.closing_from(state, closing_context(text, pos))

    def closing_from(self, state: State, context: Closing) -> float:
        """:meth:`closing_cost` from the :func:`closing_context` of the text that
        follows (callers judging many readings before one place compute it once)."""
        prev, letter, pending, _ = state
        if context is None:
            return self.transition[prev][EDGE] + (self.single_letter_delta(pending) if pending else 0.0)
        first, next_letter = context
        total = self.transition[prev][first]
        if first in LETTER_CLASSES and prev in LETTER_CLASSES:
            return total
        if pending:
            total += self.single_letter_delta(pending)
        if next_letter is not None:
            return total + self.script[letter][next_letter]
        return total


#: Splits Unicode names into words (``ARABIC-INDIC DIGIT FOUR``: ARABIC, INDIC, ...).
_NAME_WORD = re.compile("[ -]")


def closing_context(text: str, pos: int) -> Closing:
    """The :data:`Closing` context of ``text[pos:]``."""
    if pos >= len(text) or text[pos] in "\r\n":
        return None
    first = char_class(text[pos])
    if first in LETTER_CLASSES:
        return first, first
    for i in range(pos + 1, min(len(text), pos + CONTEXT_REACH)):
        ch = text[i]
        if ch in "\r\n":
            break
        cls = char_class(ch)
        if cls in LETTER_CLASSES:
            return first, cls
    return first, None


@lru_cache(maxsize=1)
def model() -> CharModel:
    """The shipped model, loaded on first use."""
    raw = resources.files("mojifix.data").joinpath("charmodel.json.gz").read_bytes()
    return CharModel(json.loads(gzip.decompress(raw)))


def probability(log2_odds: float) -> float:
    """Turn log-odds in bits into a probability in [0, 1].

    >>> probability(0.0), round(probability(10.0), 4)
    (0.5, 0.999)
    """
    if log2_odds > 60:
        return 1.0
    if log2_odds < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -log2_odds))


def log_odds(confidence: float) -> float:
    """The inverse of :func:`probability`: a confidence as log-odds in bits (infinite
    at certainty).

    >>> log_odds(0.5), round(log_odds(probability(10.0)), 6), log_odds(1.0)
    (0.0, 10.0, inf)
    """
    if confidence >= 1.0:
        return math.inf
    if confidence <= 0.0:
        return -math.inf
    return math.log2(confidence / (1.0 - confidence))


def log_likelihood_ratio(before: str, after: str, left: str = "", right: str = "") -> float:
    """Bits of evidence that ``after`` (not ``before``) is the genuine text."""
    m = model()
    return m.cost(before, left, right) - m.cost(after, left, right)


def repair_confidence(before: str, after: str, left: str = "", right: str = "",
                      prior_bits: float = DETECTOR_PRIOR_BITS) -> float:
    """Confidence in [0, 1] that ``after`` is the text ``before`` was meant to be.

    ``left``/``right`` are the characters around the span (empty: line edge);
    ``prior_bits`` are the prior odds against a repair, in bits (the default is for a
    repair that a detector already chose, see ``DETECTOR_PRIOR_BITS``).

    >>> repair_confidence("cafÃ©", "café") > 0.5
    True
    >>> repair_confidence("caf茅", "café", prior_bits=12) > 0.9
    True
    >>> repair_confidence("茅台", "é\u0328", prior_bits=12) < 0.01
    True
    """
    return probability(log_likelihood_ratio(before, after, left, right) - prior_bits)


def mean_cost(texts: Iterable[str]) -> float:
    """Average cost per character over some lines (a diagnostic for the tables)."""
    m = model()
    total = chars = 0.0
    for text in texts:
        total += m.cost(text)
        chars += len(text)
    return total / chars if chars else 0.0
