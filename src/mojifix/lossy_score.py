"""Score candidate characters for a lost position: how likely is ``c`` here?

The evidence and where it comes from:

* **character classes** (:mod:`mojifix.plausibility`, the CJK engine's measured model):
  how often a class follows another (a closing quote after a letter, an ideograph after
  hiragana), each character's share of its class (punctuation, spacing, symbols and
  digits measured on real paragraphs, letters on wordfreq), the script of a word after
  the previous word's, and what a capital costs. So the lossy scorer and the CJK engine
  judge text with the same numbers.
* **language** (:mod:`mojifix.lossy_tables`, per-language tables from wordfreq, read
  through :func:`frequency_source`, the single switch for them): which language the
  context is in, a letter's share among that language's letters (the plausibility model
  averages all languages, ``ň`` is a Slovak letter), and the words a candidate makes
  with its neighbours (``caf?`` -> ``café``, ``?好`` -> ``你好``), judged by a word
  model with a letter backoff (:data:`NOVEL_WORD`): a known word gains its measured
  probability over spelling it letter by letter, so a letter that completes one wins,
  and a mark that leaves one whole (a quote before ``terör``) beats a letter glued to
  it (``şterör``). In CJK text, the pairs of characters inside wordfreq's words count
  too (``中国`` in ``中国人民``).
* **typography**: where a mark may stand, read off its Unicode category (an opening
  quote before a word, a closing one after it, a spaced dash between spaces), and, in
  Western text, how the measured mass of the typographic marks splits among them
  (:data:`TYPOGRAPHIC_SHARE`: the corpus behind the plausibility model holds no English).
* **quote pairing** lives in the reconstruction's search (``lossy.py``), which carries
  the open/closed state of double and single quotes through the paragraph.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Mapping, Protocol

from . import lossy_tables

#: Relative frequency of typographic marks in running text that uses them, best first.
#: Word lists strip punctuation, so these shares follow the conventions of edited
#: English/Western text (AP, Chicago): the apostrophe is by far the most common mark,
#: quotes come in pairs, the spaced or closed em dash marks a break, the en dash ranges.
#: Marks not listed share :data:`OTHER_MARK`.
TYPOGRAPHIC_SHARE: Mapping[str, float] = {
    "\u2019": 0.30,  # ’ apostrophe / closing single quote
    "\u201d": 0.14,  # ” closing double quote
    "\u201c": 0.14,  # “ opening double quote
    "\u2014": 0.09,  # — em dash
    "\u2013": 0.03,  # – en dash (mostly ranges, between digits)
    "\u2026": 0.015,  # … ellipsis
    "\u2018": 0.04,  # ‘ opening single quote
    "\u00a0": 0.03,  # no-break space
    "\u2022": 0.02,  # • bullet
    "\u00b7": 0.01,  # · middle dot
    "\u201e": 0.01,  # „ German/Polish opening quote
    "\u00ab": 0.01,  # « guillemets
    "\u00bb": 0.01,  # »
    "\u2032": 0.005,  # ′ prime
    "\u2033": 0.005,  # ″ double prime
    "\u20ac": 0.005,  # € euro sign
    "\u2122": 0.003,  # ™
    "\u00a9": 0.003,  # ©
    "\u00ae": 0.002,  # ®
    "\u2030": 0.001,  # ‰
}
OTHER_MARK = 0.00005

#: The double quotes each language opens and closes with (Unicode CLDR 47,
#: ``delimiters/quotationStart`` and ``quotationEnd``). TYPOGRAPHIC_SHARE follows English
#: (“…”); in a language that writes „…“ or „…” the language's marks take the shares of
#: the English ones they stand for, and the English ones theirs.
CLDR_QUOTES: Mapping[str, str] = {
    **dict.fromkeys(("en", "es", "pt", "tr", "vi", "da", "nb", "id", "lv"), "\u201c\u201d"),
    **dict.fromkeys(("cs", "de", "sk", "sl", "is", "lt", "bg", "mk", "et"), "\u201e\u201c"),
    **dict.fromkeys(("pl", "ro", "hu", "sh"), "\u201e\u201d"),
    **dict.fromkeys(("fr", "it", "ca", "el", "ru", "uk", "fa"), "\u00ab\u00bb"),
    **dict.fromkeys(("sv", "fi", "he"), "\u201d\u201d"),
    "nl": "\u2018\u2019",
    "ar": "\u201d\u201c",
}

#: How much less likely a mark is where its category says it does not belong.
MISPLACED = 0.02

#: An ellipsis standing alone between spaces is a rarer style than one after a word.
SPACED_ELLIPSIS = 0.3

#: Word evidence is a word model with a letter backoff: a word is either one of the
#: table's words (probability as measured) or a novel word spelt letter by letter, with
#: this weight (``P(w) = P_table(w) + NOVEL_WORD * P_letters(w)``). A candidate that
#: completes a known word gains the word's probability over the letter-by-letter
#: probability of the rest of it; one that leaves a known word whole (a quote before
#: ``terör``) keeps that word's gain, which a letter glued to it (``şterör``) loses.
NOVEL_WORD = 0.1

#: The shortest part of a compound word (:func:`compound_share`).
COMPOUND_PART = 4

#: In a language written a syllable at a time (Vietnamese), how much likelier a
#: syllable is when it makes a word of the compound list with the syllable beside it
#: (``chữ cái``, not ``chỉ cái``). The list has no frequencies: set on the tuning half.
COMPOUND_GAIN = 30.0

#: How much rarer a capital is right after a small letter (``likÁr``) than the share of
#: capitals among all letters says: 8.79 bits against 3.65 over the Latin-script letters
#: of the tuning half of the clean paragraphs (``tools/measure_lossy_case.py``).
MID_WORD_CAPITAL_BITS = 8.79 - 3.65

#: A word in a script none of the context's languages writes, in text of a Latin-script
#: language: 0 of the 4,238 words of the tuning half's Latin-script paragraphs
#: (``tools/measure_lossy_case.py``, rule of succession: 1 in 4,240). The plausibility
#: model's script transitions are measured over text of every language (a Latin word in
#: Russian text is common), so a Cyrillic ``с`` or an Arabic comma stood for a lost
#: dash in Swedish.
FOREIGN_SCRIPT_BITS = 12.05

#: After these marks, a word and a space: how many of the next words begin with a
#: capital and how many with a small letter, counted in the tuning half's Latin-script
#: paragraphs (``tools/measure_lossy_case.py``); and of all words, the share that begin
#: with a capital (1,909 of 7,088). A rebuilt mark before a known word is weighed by
#: how well the case of that word follows it (``loď, z ktorej``, not ``loď. z``), with
#: the rule of succession for the counts.
NEXT_WORD_CASE: Mapping[str, tuple[int, int]] = {
    ".": (113, 10), ",": (28, 266), ";": (0, 3), ":": (8, 4), "?": (2, 2), "!": (0, 0)}
WORD_START_CAPITAL = 1909 / 7088

#: Of the apostrophes (``’`` and ``'``) after a letter in the tuning half's Latin-script
#: paragraphs, how many stand before a letter: 34 of 38 (the rest before a space, a
#: digit, a mark). The
#: class model of :mod:`mojifix.plausibility` gives any punctuation a letter after it
#: 9.7 % of the time (a full stop, a comma are followed by a space), which made a lost
#: ``’`` in ``l’anglais`` lose to a no-break space. Applied as the Bayesian update of
#: that class transition by these counts (one pseudo-count at the class rate).
APOSTROPHE_BEFORE_LETTER = (34, 38)

#: Scripts whose letters and marks are named after them (``ARABIC COMMA``).
_NAMED_SCRIPTS = ("CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "DEVANAGARI", "ARMENIAN")

#: Weight of single-character frequency against the frequency of the CJK words a
#: candidate makes (a backoff weight).
CJK_BACKOFF = 1e-3

#: Weight of a character pair seen inside words against a word of its own.
PAIR_WEIGHT = 1.0

#: How many known characters after a lost one the search shows the scorer.
RIGHT_CONTEXT = 12

#: Letter-by-letter evidence is only as sure as a word of this many letters: beyond
#: it the product of letter frequencies says more about length than about the word.
MAX_WORD_LETTERS = 12

#: The frequency tables keep characters at least this frequent (see lossy_tables).
ABSENT_BELOW = 1e-7

#: How much of its measured frequency a CJK-only mark keeps in text that is not CJK
#: (quoted Chinese or Japanese in a Western paragraph).
CJK_ELSEWHERE = 0.01

#: Floor for characters no table knows (not ruled out, just unlikely).
UNSEEN = 1e-12

LATIN_LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "sk", "tr", "vi", "sv",
                   "da", "nb", "fi", "is", "ro", "hu", "sl", "sh", "lt", "lv", "ca", "id", "et")


class FrequencySource(Protocol):
    """Where character and word frequencies come from (swap in one place)."""

    def char_prob(self, ch: str, lang: str) -> float: ...

    def word_prob(self, word: str, lang: str) -> float: ...

    def pair_prob(self, pair: str, lang: str) -> float: ...

    def chars(self, lang: str) -> Mapping[str, float]: ...

    def words(self, lang: str) -> Mapping[str, float]: ...


class TableSource:
    """Frequencies shipped with mojifix (``lossy_tables``: measured by wordfreq)."""

    def char_prob(self, ch: str, lang: str) -> float:
        table = lossy_tables.char_table(lang)
        prob = table.get(ch)
        if prob is None:
            folded = lossy_tables.simplified(lang).get(ch)
            prob = table.get(folded, 0.0) if folded else 0.0
        return prob

    def word_prob(self, word: str, lang: str) -> float:
        table = lossy_tables.word_table(lang)
        prob = table.get(word)
        if prob is None:
            mapping = lossy_tables.simplified(lang)
            if not mapping:
                return 0.0
            folded = "".join(mapping.get(ch, ch) for ch in word)
            prob = table.get(folded, 0.0) if folded != word else 0.0
        return prob

    def pair_prob(self, pair: str, lang: str) -> float:
        table = lossy_tables.pair_table(lang)
        prob = table.get(pair)
        if prob is None:
            mapping = lossy_tables.simplified(lang)
            folded = "".join(mapping.get(ch, ch) for ch in pair) if mapping else pair
            prob = table.get(folded, 0.0) if folded != pair else 0.0
        return prob

    def chars(self, lang: str) -> Mapping[str, float]:
        return lossy_tables.char_table(lang)

    def words(self, lang: str) -> Mapping[str, float]:
        return lossy_tables.word_table(lang)


class LetterModel:
    """Letter trigrams of one language (``lossy_tables.ngram_table``), smoothed by
    Witten-Bell interpolation: a context seen followed by ``T`` different letters ``C``
    times in all leaves ``T / (C + T)`` of its mass to the shorter context. Counts are in
    units of the tables' pruning thresholds (a sequence kept is a sequence seen at least
    once at that scale), so the smoothing follows from the data, not from a constant.

    Text is read as a stream of small letters and apostrophes with ``_`` for whatever
    else stands between words.
    """

    def __init__(self, lang: str):
        table = lossy_tables.ngram_table(lang)
        tri_unit = lossy_tables.MIN_TRIGRAM_PROB
        bi_unit = lossy_tables.MIN_BIGRAM_PROB
        self.tri = {k: v / tri_unit for k, v in table["tri"].items()}
        self.bi = {k: v / bi_unit for k, v in table["bi"].items()}
        self.tri_ctx: dict[str, list[float]] = {}
        for key, count in self.tri.items():
            entry = self.tri_ctx.setdefault(key[:2], [0.0, 0])
            entry[0] += count
            entry[1] += 1
        self.bi_ctx: dict[str, list[float]] = {}
        uni: dict[str, float] = {}
        for key, count in self.bi.items():
            entry = self.bi_ctx.setdefault(key[0], [0.0, 0])
            entry[0] += count
            entry[1] += 1
            uni[key[1]] = uni.get(key[1], 0.0) + count
        total = sum(uni.values()) or 1.0
        self.uni = {k: v / total for k, v in uni.items()}

    def __bool__(self) -> bool:
        return bool(self.tri)

    def unigram(self, c: str) -> float:
        return self.uni.get(c, 0.0)

    def bigram(self, c: str, b: str) -> float:
        """``P(c | b)``."""
        low = self.uni.get(c, 0.0)
        ctx = self.bi_ctx.get(b)
        if ctx is None:
            return low
        count, types = ctx
        return (self.bi.get(b + c, 0.0) + types * low) / (count + types)

    def prob(self, c: str, ab: str) -> float:
        """``P(c | ab)`` (``ab`` one or two symbols)."""
        low = self.bigram(c, ab[-1])
        ctx = self.tri_ctx.get(ab) if len(ab) == 2 else None
        if ctx is None:
            return low
        count, types = ctx
        return (self.tri.get(ab + c, 0.0) + types * low) / (count + types)

    def ratio(self, x: str, left: str, right: str) -> float:
        """How much likelier letter ``x`` is between ``left`` and ``right`` (letter
        streams, see :func:`letter_stream`) than on its own: the trigrams it takes part
        in against the letters' own frequencies (1.0 when the model does not know ``x``).
        """
        px = self.uni.get(x)
        if not px:
            return 1.0
        context = left[-2:] or "_"
        if context[-1] == "_":
            context = "_"
        value = self.prob(x, context) / px
        prev = (left[-1:] or "_") + x
        for c in right[:2]:
            pc = self.uni.get(c)
            if not pc:
                break
            value *= self.prob(c, prev) / pc
            if c == "_":
                break
            prev = prev[-1] + c
        return value


@lru_cache(maxsize=64)
def letter_model(lang: str) -> LetterModel:
    """The letter trigram model of ``lang`` (empty for Chinese, Japanese, Korean).

    >>> m = letter_model("pl")
    >>> m.ratio("ą", "aj", "cy") > m.ratio("ł", "aj", "cy")
    True
    """
    return LetterModel(lang)


def letter_stream(text: str, tail: bool) -> str:
    """``text`` as the letter models read it: small letters and apostrophes between
    letters as they are, anything else ``_`` (runs of it once); the last two symbols
    of it (``tail``) or the first two.

    >>> letter_stream("Ain’t ", True), letter_stream("Ain’t ", False)
    ('t_', 'ai')
    """
    if any(_is_mark(c) for c in text):
        text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    seq = reversed(text) if tail else iter(text)
    for ch in seq:
        if ch.isalpha():
            sym = ch.lower() if ch != "\u0130" else "i"
            if len(sym) != 1:
                sym = "_"
        elif ch in "'\u2019":
            sym = "'"
        else:
            sym = "_"
        if sym == "_" and out and out[-1] == "_":
            continue
        out.append(sym)
        if len(out) == 2 or (not tail and sym == "_"):
            break
    if tail:
        out.reverse()
    return "".join(out)


@lru_cache(maxsize=1)
def frequency_source() -> FrequencySource:
    """The frequency source every score reads: the one place to switch it."""
    return TableSource()


# -- language of the surrounding text ---------------------------------------------------

@lru_cache(maxsize=8192)
def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "DEVANAGARI"):
        if name.startswith(script):
            return script.lower()
    return None


_SCRIPT_LANGUAGES: Mapping[str, tuple[str, ...]] = {
    "latin": LATIN_LANGUAGES,
    "cyrillic": ("ru", "uk", "bg", "mk"),
    "greek": ("el",),
    "arabic": ("ar", "fa"),
    "hebrew": ("he",),
    "devanagari": ("hi",),
}


def guess_languages(text: str) -> dict[str, float]:
    """Weights of the languages ``text`` is most likely written in (they sum to 1).

    Kana means Japanese, hangul Korean, other ideographs Chinese; among languages that
    share a script, the words of the text vote by their measured frequencies.

    >>> max(guess_languages("the war is over").items(), key=lambda kv: kv[1])[0]
    'en'
    """
    scripts: dict[str, int] = {}
    for ch in text:
        script = _script(ch)
        if script:
            scripts[script] = scripts.get(script, 0) + 1
    if scripts.get("kana"):
        scripts["kana"] += scripts.pop("han", 0)
    total = sum(scripts.values())
    if not total:
        return {"en": 1.0}
    weights: dict[str, float] = {}
    for script, count in scripts.items():
        share = count / total
        if script == "kana":
            weights["ja"] = weights.get("ja", 0.0) + share
        elif script == "han":
            weights["zh"] = weights.get("zh", 0.0) + share
        elif script == "hangul":
            weights["ko"] = weights.get("ko", 0.0) + share
        elif script in _SCRIPT_LANGUAGES:
            for lang, w in _vote(text, _SCRIPT_LANGUAGES[script]).items():
                weights[lang] = weights.get(lang, 0.0) + share * w
    return weights


def _vote(text: str, languages: tuple[str, ...]) -> dict[str, float]:
    if len(languages) == 1:
        return {languages[0]: 1.0}
    found = _words(text)
    # A capitalised word inside a sentence is mostly a name, and names cross languages
    # (``Kongeriget Danmark`` in a Romanian sentence): they vote only when the text has
    # little else.
    common = [w for i, w in enumerate(found) if not (i and w[:1].isupper())]
    words = [_fold(w) for w in (common if len(common) >= 3 else found)][:200]
    if not words:
        return {languages[0]: 1.0}
    # A word no table can spell (kana among Latin words: a letter model gives 0) must
    # not break the vote: it counts as the least likely, in every language alike.
    logs = {lang: sum(math.log(max(_vote_likelihood(w, lang), _LEAST_LIKELIHOOD))
                      for w in words) for lang in languages}
    best = max(logs.values())
    exp = {lang: math.exp(max(value - best, -50.0)) for lang, value in logs.items()}
    norm = sum(exp.values())
    return {lang: value / norm for lang, value in exp.items() if value / norm > 1e-3}


#: Floor of a word's likelihood in the language vote (log of zero is undefined).
_LEAST_LIKELIHOOD = 1e-300


def _vote_likelihood(word: str, lang: str) -> float:
    """``P(word)`` for the language vote: :func:`word_likelihood`; for a language whose
    table holds no words (langdetect's letters only), every word is spelt by its letter
    model, at full weight (what a word list would know is not there to be known)."""
    if lossy_tables.word_table(lang):
        return word_likelihood(word, lang)
    return spelling_prob(word, lang)


def letters_prob(word: str, lang: str) -> float:
    """Probability of ``word`` (lower case) spelt letter by letter in ``lang``: the
    product of its letters' frequencies (letters the table lacks count as rarer than
    its rarest), over at most ``MAX_WORD_LETTERS`` letters.

    >>> letters_prob("ağ", "tr") > letters_prob("ağ", "fr")
    True
    """
    return _letters_prob(word, lang)


@lru_cache(maxsize=65536)
def _letters_prob(word: str, lang: str) -> float:
    source = frequency_source()
    prob = 1.0
    for ch in word[:MAX_WORD_LETTERS]:
        if ch.isalpha():
            prob *= source.char_prob(ch, lang) or ABSENT_BELOW / 2
    return prob


@lru_cache(maxsize=65536)
def spelling_prob(word: str, lang: str) -> float:
    """Probability of ``word`` (lower case) spelt by the letter model of ``lang``
    (:class:`LetterModel`: each letter given the two before it, the word padded with
    ``_``), the same model that scores rebuilt letters; the letters' own frequencies
    (:func:`letters_prob`) where the language has no letter model.

    >>> spelling_prob("chữ", "vi") > spelling_prob("chx", "vi")
    True
    """
    letters = letter_model(lang)
    if not letters:
        return letters_prob(word, lang)
    stream = "_" + "".join("'" if c in "'\u2019" else c for c in word) + "_"
    prob = 1.0
    for i in range(1, len(stream)):
        context = stream[max(0, i - 2):i]
        if context[-1] == "_":
            context = "_"
        prob *= letters.prob(stream[i], context) or ABSENT_BELOW / 2
    return prob


@lru_cache(maxsize=64)
def compound_share(lang: str) -> float:
    """How often ``lang`` writes closed compounds: the share of the long words of its
    table that are two words of the table glued (:func:`_split_share`) beyond the share
    that split so by chance, taken as the median over :data:`LATIN_LANGUAGES` (most of
    them write compounds apart: English 0.031). German 0.16, Hungarian 0.09, Polish 0.
    The weight of the compound reading of a word the table does not know.

    >>> compound_share("de") > compound_share("hu") > compound_share("pl") == 0.0
    True
    """
    shares = sorted(_split_share(other) for other in LATIN_LANGUAGES)
    return max(0.0, _split_share(lang) - shares[len(shares) // 2])


@lru_cache(maxsize=64)
def _split_share(lang: str) -> float:
    """The share of the words of 8 letters or more of ``lang``'s table that split into
    two words of the table of :data:`COMPOUND_PART` letters or more."""
    words = frequency_source().words(lang)
    long = compounds = 0
    for word in words:
        if len(word) < 2 * COMPOUND_PART or not word.isalpha():
            continue
        long += 1
        compounds += any(word[:i] in words and word[i:] in words
                         for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1))
    return compounds / long if long else 0.0


@lru_cache(maxsize=64)
def novel_share(lang: str) -> float:
    """The share of running text in ``lang`` that its word table does not cover (the
    table's measured ``coverage``): the weight of a word spelt by the letter model
    against the table's words. :data:`NOVEL_WORD` where the table does not say.

    >>> 0.0 < novel_share("vi") < novel_share("en") < 1.0
    True
    """
    coverage = lossy_tables.coverage(lang)
    return 1.0 - coverage if 0.0 < coverage < 1.0 else NOVEL_WORD


def word_likelihood(word: str, lang: str) -> float:
    """``P(word)`` in ``lang`` under the word model with letter backoff (``NOVEL_WORD``).

    >>> word_likelihood("liderliği", "tr") > word_likelihood("liderlişi", "tr")
    True
    """
    return frequency_source().word_prob(word, lang) + NOVEL_WORD * letters_prob(word, lang)


def _words(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch.isalpha() or (current and ch in "'\u2019"):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


# -- typography ---------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def char_class(ch: str | None) -> str:
    """One letter for the role a neighbour plays: Space, Letter, Digit, Open, Close,
    Punct, or K for the letters of scripts written without spaces (Han, kana, hangul
    runs), beside which closing marks and dashes stand with no space.

    >>> [char_class(c) for c in (None, " ", "a", "7", "(", "\u201d", ",", "字")]
    ['S', 'S', 'L', 'D', 'O', 'C', 'P', 'K']
    """
    if ch is None or ch.isspace():
        return "S"
    cat = unicodedata.category(ch)
    if cat[0] in "LM":
        return "K" if _script(ch) in ("han", "kana", "hangul") else "L"
    if cat == "Nd" or cat[0] == "N":
        return "D"
    if cat in ("Ps", "Pi"):
        return "O"
    if cat in ("Pe", "Pf"):
        return "C"
    return "P"


def _placement(ch: str, left: str, right: str | None) -> float:
    """How well a mark fits between neighbours of class ``left`` and ``right``:
    :data:`MISPLACED` for each side on which it fits none of its places (a dash between
    ``(`` and ``)`` twice: ``(–)`` is no likelier than ``(€)``).

    ``right`` is None when the right neighbour is itself unknown.

    >>> _placement("\u2013", "O", "C") < _placement("\u2013", "L", "C") < 1.0
    True
    >>> _placement("\u2122", "S", "P") < _placement("\u2122", "L", "S") == 1.0
    True
    """
    def fit(*places: tuple[str, str]) -> float:
        sides = max((left in lefts) + (right is None or right in rights)
                    for lefts, rights in places)
        return MISPLACED ** (2 - sides)

    if ch == "\u2019":  # apostrophe or closing single quote
        return fit(("L", "L"), ("LDPCK", "SPCK"), ("S", "D"))
    cat = unicodedata.category(ch)
    if cat == "Pi" or cat == "Ps":
        return fit(("SOPK", "LDOK"))
    if cat == "Pf" or cat == "Pe":
        return fit(("LDPCK", "SPCK"))
    if cat == "Pd":
        if ch in "\u2014\u2015":
            return fit(("S", "S"), ("LDPCK", "LDOK"))
        if ch == "\u2013":
            return fit(("S", "S"), ("D", "D"), ("LK", "LK"))
        return fit(("LDK", "LDK"))
    if ch == "\u2026":
        factor = fit(("LDCK", "SPCOK"))
        return SPACED_ELLIPSIS if factor < 1.0 and left == "S" and right in ("S", None) else factor
    if cat == "Zs" or cat == "Cf":
        return fit(("LDPCOK", "LDPCOK"))
    if ch in "\u2032\u2033\u2034\u2030\u2031":  # primes, per mille: after numbers
        return fit(("D", "SPCD"))
    if ch in "\u2022\u00b7\u25cf":
        return fit(("S", "S"), ("K", "K"))
    if ch in "\u2122\u00ae":  # trade marks follow the name they mark
        return fit(("LDC", "SPCK"))
    return 1.0


#: Where each language's text mostly lives: the class whose transitions give the
#: language's prior over character classes.
_HOME_CLASS = {"zh": "HAN", "ja": "HIRAGANA", "ko": "HANGUL", "ru": "CYRILLIC",
               "uk": "CYRILLIC", "bg": "CYRILLIC", "el": "GREEK", "ar": "ARABIC",
               "fa": "ARABIC", "he": "HEBREW"}

_LN2 = math.log(2)


class ContextModel:
    """Score characters for lost positions in one stretch of text of known languages.

    The probability of a character after its left neighbour is the measured class
    transition times the character's share of its class, both from
    :mod:`mojifix.plausibility` (class bigrams and punctuation measured on real
    paragraphs, letters on wordfreq); within a class of letters the languages of the
    context refine the share (``é`` is commoner in French than in German), and the words
    a candidate makes with its neighbours are added as evidence (``café``, ``你好``).
    Among the typographic marks of Western text, the measured share of the class is split
    by :data:`TYPOGRAPHIC_SHARE` in proportion to how much of the text is Latin-script.
    """

    def __init__(self, languages: Mapping[str, float], source: FrequencySource | None = None,
                 decomposed: bool = False):
        from .plausibility import CLASSES, model

        self.languages = dict(languages) or {"en": 1.0}
        self.source = source or frequency_source()
        self.chars = model()
        self._class_id = {name: i for i, name in enumerate(CLASSES)}
        self._within_cache: dict[str, tuple[int, float]] = {}
        self._unigram_cache: dict[str, float] = {}
        self._mass: dict[tuple[str, int], float] = {}
        self._gain_cache: dict[str, float] = {}
        self._cjk_cache: dict[tuple[str, str, str], float] = {}
        self._ratio_cache: dict[tuple[str, str, str], float] = {}
        self._placement_cache: dict[tuple, float] = {}
        self._foreign_cache: dict[str, bool] = {}
        #: The scripts the context's languages write.
        self._written = {script for script, langs in _SCRIPT_LANGUAGES.items()
                         if any(lang in langs for lang in self.languages)}
        for lang, scripts in (("zh", ("han",)), ("ja", ("han", "kana")), ("ko", ("hangul", "han"))):
            if lang in self.languages:
                self._written.update(scripts)
        #: The text is written with combining marks (some survived): a lost character
        #: may be one, scored as the letter it makes with the letter before it.
        self.decomposed = decomposed
        self._compound_langs = {lang: lossy_tables.compounds(lang) for lang in self.languages
                                if lossy_tables.compounds(lang)}
        self.cjk_share = sum(w for lang, w in self.languages.items() if lang in ("zh", "ja", "ko"))
        self.latin = sum(w for lang, w in self.languages.items() if lang in LATIN_LANGUAGES)
        #: The same as a share of the weights (at most 1).
        self._latin_share = min(1.0, self.latin / (sum(self.languages.values()) or 1.0))
        # TYPOGRAPHIC_SHARE follows English convention for dashes (the em dash marks a
        # break); most other languages mark it with a spaced en dash. Outside English
        # the dashes' share is split as in the measured paragraphs of the plausibility
        # model (some forty languages, no English).
        english = self.languages.get("en", 0.0) / (self.latin or 1.0)
        dashes = TYPOGRAPHIC_SHARE["\u2014"] + TYPOGRAPHIC_SHARE["\u2013"]
        measured = {ch: 2.0 ** -self.chars.entry(ch)[1] for ch in "\u2014\u2013"}
        self._shares = dict(TYPOGRAPHIC_SHARE)
        self._shares.update(self._quote_shares())
        #: How much of the text writes ``“`` as its closing quote (German, Czech: „…“).
        self.closing_left_quote = min(1.0, sum(
            w for lang, w in self.languages.items()
            if lang in LATIN_LANGUAGES and CLDR_QUOTES.get(lang, "")[1:] == "\u201c"
        ) / (self.latin or 1.0))
        for ch, value in measured.items():
            self._shares[ch] = english * TYPOGRAPHIC_SHARE[ch] + (1 - english) * dashes * (
                value / sum(measured.values()))
        punct = self._class_id["PUNCT"]
        self._marks_mass = sum(
            2.0 ** -bits for ch in TYPOGRAPHIC_SHARE
            for cls, bits in [self.chars.entry(ch)] if cls == punct)
        self._marks_share = sum(
            share for ch, share in TYPOGRAPHIC_SHARE.items() if self.chars.entry(ch)[0] == punct)
        from .plausibility import LETTER_CLASSES

        self._letters = LETTER_CLASSES
        main = max(self.languages, key=self.languages.__getitem__)
        self._home = self._class_id[_HOME_CLASS.get(main, "LATIN")]
        transition = self.chars.transition
        prior = [0.0] * len(CLASSES)
        total = sum(self.languages.values()) or 1.0
        for lang, weight in self.languages.items():
            home = self._class_id[_HOME_CLASS.get(lang, "LATIN")]
            for cls in range(len(CLASSES)):
                prior[cls] += weight / total * 2.0 ** -transition[home][cls]
        self._class_prior = prior

    @property
    def judges_syllable_pairs(self) -> bool:
        """Some language of the context is judged by pairs of syllables (compounds)."""
        return bool(self._compound_langs)

    def _foreign(self, ch: str) -> bool:
        """``ch`` belongs to a script none of the context's languages writes (kana, han,
        hangul, or a script its Unicode name begins with)."""
        hit = self._foreign_cache.get(ch)
        if hit is None:
            script = _script(ch)
            if script is None:
                name = unicodedata.name(ch, "")
                script = next((s.lower() for s in _NAMED_SCRIPTS if name.startswith(s + " ")),
                              None)
            hit = self._foreign_cache[ch] = script is not None and script not in self._written
        return hit

    def _quote_shares(self) -> dict[str, float]:
        """The shares of the double quotes in the context's languages (CLDR_QUOTES)."""
        latin = {lang: w for lang, w in self.languages.items() if lang in LATIN_LANGUAGES}
        total = sum(latin.values())
        if not total:
            return {}
        english = "\u201c\u201d"
        marks = "\u201c\u201d\u201e"
        out = dict.fromkeys(marks, 0.0)
        for lang, weight in latin.items():
            convention = CLDR_QUOTES.get(lang, english)
            shares = {ch: TYPOGRAPHIC_SHARE[ch] for ch in marks}
            if convention[0] == "\u201e":
                # „ takes the opening share of “; the closing mark keeps the closing share.
                shares["\u201e"], shares["\u201c"] = TYPOGRAPHIC_SHARE["\u201c"], TYPOGRAPHIC_SHARE["\u201e"]
                if convention[1] == "\u201c":
                    shares["\u201c"], shares["\u201d"] = TYPOGRAPHIC_SHARE["\u201d"], TYPOGRAPHIC_SHARE["\u201e"]
            for ch in marks:
                out[ch] += weight / total * shares[ch]
        return out

    def _class_mass(self, lang: str, cls: int) -> float:
        key = (lang, cls)
        mass = self._mass.get(key)
        if mass is None:
            from .plausibility import char_class as model_class

            mass = sum(p for ch, p in self.source.chars(lang).items()
                       if len(ch) == 1 and model_class(ch) == cls)
            self._mass[key] = mass
        return mass

    def within(self, ch: str) -> tuple[int, float]:
        """``(class, probability of ch within its class)`` for this text."""
        hit = self._within_cache.get(ch)
        if hit is not None:
            return hit
        from .plausibility import LETTER_CLASSES

        cls, bits = self.chars.entry(ch)
        prob = 2.0 ** -bits
        if cls in LETTER_CLASSES:
            # A letter the language's table lacks is rarer than its rarest entry (the
            # tables keep characters down to ABSENT_BELOW); capitals are looked up folded.
            num = den = 0.0
            key = ch.lower()
            for lang, weight in self.languages.items():
                mass = self._class_mass(lang, cls)
                if mass:
                    num += weight * (self.source.char_prob(key, lang) or ABSENT_BELOW / 2)
                    den += weight * mass
            if den:
                language = num / den
                if key != ch:
                    language *= 2.0 ** -self.chars.upper_bits
                prob = language
        elif self.latin and self._marks_share and cls != self._class_id["SYMBOL"] and (
                ch in TYPOGRAPHIC_SHARE or 0x2000 <= ord(ch) <= 0x206F):
            # Typographic marks of Western text: the measured mass of the listed marks,
            # split by convention; the rest of General Punctuation (en quad, reference
            # mark, ...) shares OTHER_MARK. The mass split is the punctuation's: the
            # listed symbols (``€ © ™ ®``) keep their measured share of the symbol class
            # (``€`` 0.0059 there; the punctuation split made it 0.0002).
            share = self._shares.get(ch, OTHER_MARK)
            conventional = self._marks_mass * share / self._marks_share
            prob = self.latin * conventional + (1 - self.latin) * prob
        if _cjk_only(ch):
            # Ideographic space, CJK and full-width punctuation: common in the measured
            # text only because CJK text is; elsewhere they hardly occur.
            prob *= max(self.cjk_share, CJK_ELSEWHERE)
        hit = self._within_cache[ch] = (cls, prob)
        return hit

    def unigram(self, ch: str) -> float:
        """Probability of ``ch`` as one character of this text (no neighbours known)."""
        cached = self._unigram_cache.get(ch)
        if cached is None:
            cls, prob = self.within(ch)
            cached = self._unigram_cache[ch] = max(self._class_prior[cls] * prob, UNSEEN)
        return cached

    def _last_letter_class(self, left: str) -> int:
        for ch in reversed(left):
            if ch in "\r\n":
                break
            cls = self.chars.entry(ch)[0]
            if cls in self._letters:
                return cls
        return self._home

    def _class_of(self, ch: str | None) -> int:
        if ch is None or ch in "\r\n":
            return 0  # EDGE
        return self.chars.entry(ch)[0]

    def word_evidence(self, ch: str, left: str, right: str, right_known: bool = True) -> float:
        """What the words ``ch`` makes with its neighbours add to its probability (0
        when none is known).

        ``left`` and ``right`` are the known neighbouring characters, nearest last/first.
        A word of the tables adds its probability over the letter-by-letter probability
        of the rest of it (the word model of :data:`NOVEL_WORD`). A word is judged once,
        when it is complete: when the text after ``ch`` is lost (``right_known`` False)
        or the word runs on into lost text, the character that ends it judges it
        (:meth:`boundary_gain`), or the next rebuilt letter.
        """
        if not (ch.isalpha() or ch in "'\u2019" or ch in _MARK_SET):
            return 0.0
        total = 0.0
        if _script(ch) in ("han", "kana", "hangul"):
            key = (ch, left[-2:], right[:2])
            cached = self._cjk_cache.get(key)
            if cached is None:
                if len(self._cjk_cache) > 200_000:
                    self._cjk_cache.clear()  # bounded: the model outlives one text
                cached = self._cjk_cache[key] = self._cjk_evidence(ch, left[-2:], right[:2])
            return cached
        if not right_known:
            return 0.0
        before = _word_tail(left)
        after = _word_head(right)
        if not before and not after:
            return 0.0
        if right and after == right and len(right) < RIGHT_CONTEXT:
            return 0.0  # the word runs on into lost text: judged where it ends
        if not _case_fits(before, ch, after):
            return 0.0  # ``thỦ`` is not the word ``thủ``
        total = self._known_word(before, ch, after)
        if not total and ("'" in before or "'" in after or "\u2019" in before + after):
            # A suffix after an apostrophe (``Çiftliği'nin``, ``PKK’dan``): the part of
            # the word ``ch`` stands in.
            before = re.split("['\u2019]", before)[-1]
            after = re.split("['\u2019]", after)[0]
            if before or after:
                total = self._known_word(before, ch, after)
        if not total and self.latin and ch.isalpha() and before.isalpha() and after.isalpha():
            total = self._compound_word(before, ch, after)
        if total and not before and ch.isupper() and not _sentence_start(left):
            total *= 2.0 ** -self.chars.upper_bits  # ``Și`` is ``și`` with a capital
        elif total and not before and ch.islower() and _sentence_begins(left) and (
                not _word_head(right)[:1].isupper()):
            total *= 2.0 ** -self.chars.upper_bits  # and a sentence begins with one
        return total

    def _cjk_evidence(self, ch: str, left: str, right: str) -> float:
        """The CJK words and pairs ``ch`` makes with up to two characters each side."""
        total = 0.0
        for lang in ("zh", "ja", "ko"):
            weight = self.languages.get(lang)
            if not weight:
                continue
            best = 0.0
            for k in (1, 2):
                if len(left) >= k and all(_script(c) in ("han", "kana", "hangul") for c in left[-k:]):
                    best = max(best, self.source.word_prob(left[-k:] + ch, lang))
                if len(right) >= k and all(_script(c) in ("han", "kana", "hangul") for c in right[:k]):
                    best = max(best, self.source.word_prob(ch + right[:k], lang))
            # Pairs inside longer words (``中国`` in ``中国人民``), on each side.
            for pair in (left[-1:] + ch, ch + right[:1]):
                if len(pair) == 2:
                    best = max(best, PAIR_WEIGHT * self.source.pair_prob(pair, lang))
            total += weight * best
        return total / CJK_BACKOFF

    def _known_word(self, before: str, ch: str, after: str) -> float:
        """The gain of the word ``before + ch + after`` if the tables know it."""
        word = _fold(before + ch + after)
        total = weights = 0.0
        for lang, weight in self.languages.items():
            weights += weight
            known = self.source.word_prob(word, lang)
            if known:
                total += weight * known / (novel_share(lang) * spelling_prob(word, lang))
        return total / weights if weights else 0.0

    def _compound_word(self, before: str, ch: str, after: str) -> float:
        """The gain of ``before + ch + after`` as a compound (``illesztő`` + ``program``)
        when the tables do not know it whole: two parts of :data:`COMPOUND_PART` letters
        or more, at least one a word of the tables (its probability there), the other
        one too or spelt by the letter model. A novel word is such a compound with the
        share :func:`compound_share` of its language. Without this a lost letter between a
        novel stem and a known word lost to a separator that leaves the known word whole
        (``illeszt’program``), as if words were glued by rare marks rather than letters.

        >>> ContextModel({"hu": 1.0})._compound_word("illeszt", "ő", "program") > 1.0
        True
        >>> ContextModel({"hu": 1.0})._compound_word("illeszt", "ő", "prxgrqm")
        0.0
        """
        word = _fold(before + ch + after)
        key = "\0compound\0" + word
        cached = self._gain_cache.get(key)
        if cached is not None:
            return cached
        total = weights = 0.0
        for lang, weight in self.languages.items():
            weights += weight
            table = 1.0 - novel_share(lang)
            best = 0.0
            for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
                first = self.source.word_prob(word[:i], lang) / table
                second = self.source.word_prob(word[i:], lang) / table
                if first or second:
                    best = max(best, (first or spelling_prob(word[:i], lang))
                               * (second or spelling_prob(word[i:], lang)))
            if best:
                total += weight * compound_share(lang) * best / spelling_prob(word, lang)
        gain = self._gain_cache[key] = total / weights if weights else 0.0
        return gain

    def mark_candidates(self) -> tuple[str, ...]:
        """The typographic marks of :data:`TYPOGRAPHIC_SHARE` of three UTF-8 bytes (where
        kana and hanzi, common in all text, crowd the candidates) when the text is
        written in a Latin script (none otherwise): candidates for a lost character
        whatever their share of all text.

        >>> "\u20ac" in ContextModel({"es": 1.0}).mark_candidates()
        True
        >>> ContextModel({"zh": 1.0}).mark_candidates()
        ()
        """
        return tuple(ch for ch in TYPOGRAPHIC_SHARE if ch >= "\u0800") if self.latin else ()

    def word_candidates(self, left: str, right: str, right_known: bool = True) -> tuple[str, ...]:
        """The letters beyond ASCII that make a word of the tables with the word
        fragments around them (``left``/``right``: known text, nearest last/first), in
        the case the fragments call for.

        >>> ContextModel({"pl": 1.0}).word_candidates("w rozk", "adzie d")
        ('ł',)
        """
        before = _word_tail(left)
        after = _word_head(right) if right_known else ""
        if not before and not after:
            return ()
        key = _fold(before + "\0" + after)
        found: list[str] = []
        if before and (before[-1].isalpha() or _is_mark(before[-1])) and (
                self.decomposed or _decomposed(left, right)):
            # Decomposed text: a combining mark that the letter before it takes in
            # (``a`` + U+0301) and that makes a known word so.
            whole = unicodedata.normalize("NFC", before)
            for mark in _MARKS:
                joined = unicodedata.normalize("NFC", before + mark)
                if len(joined) != len(whole) or joined == whole:
                    continue
                word = _fold(before + mark + after)
                if any(word in self.source.words(lang) for lang in self.languages):
                    found.append(mark)
                elif not right_known and any(
                        unicodedata.normalize("NFD", joined[-1]) in _stacked(lang)
                        for lang in self.languages):
                    # The next character is lost too: a mark that begins a letter
                    # of two marks (``u`` + U+031B of ``ữ``).
                    found.append(mark)
        for lang in self.languages:
            table = self.source.words(lang)
            for ch in _FOLDED_APART:
                # Letters the tables cannot hold (folded to something else: ``ß``).
                if _fold(before + ch + after) in table and _case_fits(before, ch, after):
                    found.append(ch)
            for ch in _slot_fillers(lang, key):
                if not _case_fits(before, ch, after):
                    ch = ch.upper()
                    if len(ch) != 1 or not _case_fits(before, ch, after):
                        continue
                if ch not in found:
                    found.append(ch)
                if not before and ch.islower():
                    # The first letter of a word may be a capital (a sentence, a name).
                    upper = ch.upper()
                    if len(upper) == 1 and upper not in found:
                        found.append(upper)
        return tuple(found)

    def word_gain(self, word: str) -> float:
        """How much likelier the word model makes ``word`` than spelling it letter by
        letter (1.0 for a word the tables do not know)."""
        key = _fold(word)
        gain = self._gain_cache.get(key)
        if gain is None:
            gain = 0.0
            total = 0.0
            for lang, weight in self.languages.items():
                known = self.source.word_prob(key, lang)
                gain += weight * (1.0 + known / (novel_share(lang) * spelling_prob(key, lang)))
                total += weight
            gain = self._gain_cache[key] = gain / total if total else 1.0
        return gain

    def boundary_gain(self, ch: str, left: str, right: str) -> float:
        """A character that is not part of a word ends the word before it and begins
        none: the words it leaves whole keep their gain (:meth:`word_gain`), which a
        letter glued to them would lose. ``right`` is empty when not known yet. An
        apostrophe counts both ways: it joins words the tables know (``don't``) and
        otherwise stands between a word and a suffix (``Kolombiya’ya``)."""
        if ch.isalpha() or _is_mark(ch) or _script(ch) in ("han", "kana", "hangul"):
            return 1.0
        gain = 1.0
        cat = unicodedata.category(ch)
        if ch == "\u201c" and self.closing_left_quote and _word_tail(left):
            cat = "Pf"  # „…“: after a word, “ closes the quote
        before = _word_tail(left) if cat not in ("Ps", "Pi") else ""
        if before and not before.isascii() or len(before) > 1:
            gain *= self.word_gain(before)
        # Only a space, a dash, an opening mark, a slash or an apostrophe stands right
        # before a word; after ``?`` or ``)`` a letter does not begin one.
        opens = cat in ("Zs", "Pd", "Ps", "Pi", "Cf") or ch in "'\u2019/"
        after = _word_head(right) if opens else ""
        if after and not after.isascii() or len(after) > 1:
            gain *= self.word_gain(after)
        return gain

    def score(self, ch: str, left: str, right: str, right_known: bool) -> float:
        """Log-score of ``ch`` between ``left`` text and ``right`` text (nearest chars first).

        ``right_known`` is False when the character right after ``ch`` is itself lost.
        """
        return self.content(ch, left, right if right_known else "", right_known) + self.placement(
            ch, left[-1:] or None, (right[:1] or None) if right_known else "")

    def content(self, ch: str, left: str, right: str, right_known: bool = True) -> float:
        """Log-probability of ``ch`` after ``left``: the class transition, its share of
        the class, and the words it makes with its neighbours (``right_known`` False:
        the character after ``ch`` is itself lost). A combining mark that the letter
        before it takes in (decomposed text: ``o`` + U+0302) is scored as the letter
        they make (``ô``)."""
        if ch in _MARK_SET and left and (self.decomposed or _decomposed(left, right)):
            composed = _composed(left, ch)
            if composed is not None:
                letter, stem = composed
                return self.content(letter, stem, right, right_known)
        cls, prob = self.within(ch)
        if ch != ch.lower() or ch != ch.upper():
            prob *= self._case_factor(ch, left, right)
        before = self._class_of(left[-1] if left else None)
        bits = self.chars.transition[before][cls]
        foreign = self.latin and self._foreign(ch)
        if cls in self._letters and before not in self._letters:
            # A word begins: its script after the previous word's (measured), or after
            # the script of the context's language when no word came before.
            switch = self.chars.script[self._last_letter_class(left)][cls]
            if foreign and switch < FOREIGN_SCRIPT_BITS:
                # In a script none of the context's (Latin-script) languages writes.
                switch = -math.log2(self._latin_share * 2.0 ** -FOREIGN_SCRIPT_BITS
                                    + (1 - self._latin_share) * 2.0 ** -switch)
            bits += switch
        elif foreign and cls not in self._letters:
            # A mark of such a script (``،``) in text of a Latin-script language.
            bits += -math.log2(self._latin_share * 2.0 ** -FOREIGN_SCRIPT_BITS
                               + 1 - self._latin_share)
        prob *= 2.0 ** -bits
        if cls in self._letters and not _script(ch) in ("han", "kana", "hangul"):
            prob *= self.letter_ratio(ch, left, right)
        counts = NEXT_WORD_CASE.get(ch)
        if counts and right_known and right[:1] == " " and right[1:2].isalpha() and (
                right[1] != right[1].lower() or right[1] != right[1].upper()):
            capital = (counts[0] + 1) / (counts[0] + counts[1] + 2)
            if right[1].isupper():
                prob *= capital / WORD_START_CAPITAL
            else:
                prob *= (1 - capital) / (1 - WORD_START_CAPITAL)
        evidence = self.word_evidence(ch, left, right, right_known)
        if evidence and not _script(ch) in ("han", "kana", "hangul"):
            # A known word: its probability over its spelling by the letter model,
            # which the letter's own score follows (:meth:`word_gain`). A letter the
            # tables spell otherwise (``ß`` as ``ss``) is scored as that spelling.
            folded = _fold(ch)
            if folded != ch.lower():
                evidence *= max(prob, math.prod(self.unigram(c) for c in folded))
            else:
                evidence *= prob
        if self.latin:
            prob *= self.boundary_gain(ch, left, right)
        if self._compound_langs and right_known and ch.isalpha():
            gain = self.compound_gain(ch, left, right)
            prob *= gain
            evidence *= gain
        elif self._compound_langs and right_known and ch == " ":
            # A rebuilt space between two syllables (``?`` swallows the byte after a
            # bad lead): the pair it separates is judged here, as nowhere else.
            prob *= self.space_compound_gain(left, right)
        return math.log(max(prob + evidence, UNSEEN))

    def space_compound_gain(self, left: str, right: str) -> float:
        """:data:`COMPOUND_GAIN` when the syllables on either side of a space make a
        compound of the list (both whole: the right one ends within ``right``), and
        again when the syllable before it, ending in a letter beyond ASCII (lost with
        the space), makes one with the syllable before that."""
        previous = _word_tail(left)
        if not previous:
            return 1.0
        syllables = []
        following = _word_head(right)
        if following and not (following == right and len(right) < RIGHT_CONTEXT + 1):
            syllables.append(_fold(previous) + " " + _fold(following))
        rest = left[: len(left) - len(previous)]
        earlier = _word_tail(rest[:-1]) if rest.endswith(" ") else ""
        if earlier and not previous[-1].isascii():
            # The syllable before the space lost its last character with the space (its
            # right was unknown there): its pair with the syllable before it is judged
            # here too.
            syllables.append(_fold(earlier) + " " + _fold(previous))
        if not syllables:
            return 1.0
        total = weights = 0.0
        for lang, weight in self.languages.items():
            pairs = self._compound_langs.get(lang)
            gain = 1.0
            for pair in syllables:
                if pairs and pair in pairs:
                    gain *= COMPOUND_GAIN
            total += weight * gain
            weights += weight
        return total / weights if weights else 1.0

    def compound_gain(self, ch: str, left: str, right: str) -> float:
        """For syllable-written languages: :data:`COMPOUND_GAIN` for each syllable
        beside the one ``ch`` completes with which it makes a compound of the list,
        judged once both syllables are whole (known, or rebuilt on the left)."""
        before = _word_tail(left)
        after = _word_head(right)
        if after == right and len(right) < RIGHT_CONTEXT + 1:
            return 1.0  # the syllable runs on into lost text: judged where it ends
        syllable = _fold(before + ch + after)
        rest = left[: len(left) - len(before)]
        previous = _word_tail(rest[:-1]) if rest.endswith(" ") else ""
        tail = right[len(after):]
        following = _word_head(tail[1:]) if tail.startswith(" ") else ""
        if following and len(after) + 1 + len(following) >= len(right):
            following = ""  # not known to be whole
        total = 0.0
        weights = 0.0
        for lang, weight in self.languages.items():
            gain = 1.0
            pairs = self._compound_langs.get(lang)
            if pairs:
                if previous and _fold(previous) + " " + syllable in pairs:
                    gain *= COMPOUND_GAIN
                if following and syllable + " " + _fold(following) in pairs:
                    gain *= COMPOUND_GAIN
            total += weight * gain
            weights += weight
        return total / weights if weights else 1.0

    def letter_ratio(self, ch: str, left: str, right: str) -> float:
        """What the letters around ``ch`` say of it (:class:`LetterModel`), over the
        languages of the context; ``right`` holds the known letters after it only."""
        x = ch.lower() if ch != "\u0130" else "i"
        if len(x) != 1 or not x.isalpha():
            return 1.0
        lstate = letter_stream(left[-4:], True)
        rstate = letter_stream(right[:3], False) if right else ""
        key = (x, lstate, rstate)
        hit = self._ratio_cache.get(key)
        if hit is None:
            num = den = 0.0
            for lang, weight in self.languages.items():
                letters = letter_model(lang)
                if letters:
                    num += weight * letters.ratio(x, lstate, rstate)
                    den += weight
            hit = num / den if den else 1.0
            if len(self._ratio_cache) > 200_000:
                self._ratio_cache.clear()
            self._ratio_cache[key] = hit
        return hit

    def _case_factor(self, ch: str, left: str, right: str) -> float:
        """Inside a word of capitals (``IŞİD``) a capital is the rule and a small letter
        the exception: the measured capital-to-small ratio is turned round. So it is for
        the first letter of a sentence (after ``.``, ``!`` or ``?`` and a space). Right
        after a small letter a capital is rarer still (:data:`MID_WORD_CAPITAL_BITS`)."""
        if _sentence_begins(left) and not _word_head(right)[:1].isupper():
            ratio = 2.0 ** self.chars.upper_bits
            return ratio if ch.isupper() else 1.0 / ratio
        neighbours = [c for c in (_word_tail(left)[-1:] + _word_head(right)[:1]) if c.isalpha()]
        if neighbours and all(c.isupper() for c in neighbours) and (
                len(_word_tail(left)) >= 2 or _word_head(right)):
            ratio = 2.0 ** self.chars.upper_bits
            return ratio if ch.isupper() else 1.0 / ratio
        if ch.isupper() and left[-1:].isalpha() and left[-1:].islower():
            return 2.0 ** -MID_WORD_CAPITAL_BITS
        return 1.0

    def placement(self, ch: str, left: str | None, right: str | None) -> float:
        """Log-factor for how ``ch`` joins what follows it, and where a mark stands
        between two characters (None: the edge of the text; ``""`` for ``right``: not
        known yet, so only the left side counts)."""
        if ch in _MARK_SET and left and left.isalpha():
            joined = unicodedata.normalize("NFC", left + ch)
            ch = joined if len(joined) == 1 else left  # the letter the mark joins
        key = (ch, left, right)
        hit = self._placement_cache.get(key)
        if hit is None:
            if len(self._placement_cache) > 200_000:
                self._placement_cache.clear()  # bounded: the model outlives one text
            hit = self._placement_cache[key] = self._placement_uncached(ch, left, right)
        return hit

    def _placement_uncached(self, ch: str, left: str | None, right: str | None) -> float:
        right_class = None if right == "" else char_class(right)
        factor = _placement(ch, char_class(left), right_class)
        if ch == "\u201c" and self.closing_left_quote:
            c = self.closing_left_quote
            if factor < 1.0 and _placement("\u201d", char_class(left), right_class) == 1.0:
                # „…“: after a word and before a space or a mark, “ closes the quote.
                factor = max(factor, c)
            elif factor == 1.0 and not _word_tail(left or ""):
                # Where a quote opens, “ is as rare among „…“ writers as „ among “…”
                # writers (the shares the two conventions swap).
                factor = 1 - c + c * TYPOGRAPHIC_SHARE["\u201e"] / TYPOGRAPHIC_SHARE["\u201c"]
        total = 0.0 if factor == 1.0 else math.log(factor)
        if right != "":
            cls = self.within(ch)[0]
            after = self._class_of(right)
            bits = self.chars.transition[cls][after]
            if (ch in "\u2019'" and after == self._class_id["LATIN"] and self.latin
                    and char_class(left) == "L"):
                # After a letter, an apostrophe mostly stands inside a word (measured,
                # see APOSTROPHE_BEFORE_LETTER), unlike the punctuation of its class.
                generic = 2.0 ** -bits
                hits, seen = APOSTROPHE_BEFORE_LETTER
                measured = (hits + generic) / (seen + 1)
                share = self._latin_share
                bits = -math.log2(share * measured + (1 - share) * generic)
            total -= _LN2 * bits
        return total


@lru_cache(maxsize=64)
def _prefix_table(lang: str) -> dict[str, float]:
    """For every beginning of a word of ``lang``'s table, the summed frequency of the
    words that begin so (built when first needed)."""
    out: dict[str, float] = {}
    for word, prob in frequency_source().words(lang).items():
        for k in range(1, len(word) + 1):
            out[word[:k]] = out.get(word[:k], 0.0) + prob
    return out


#: Small letters that case folding turns into other letters (``ß`` -> ``ss``, final
#: ``ς`` -> ``σ``): wordfreq's lists hold them only folded.
_FOLDED_APART = tuple(chr(c) for c in range(0xA0, 0x2000)
                      if chr(c).islower() and chr(c).casefold() != chr(c))


def _slot_fillers(lang: str, key: str) -> tuple[str, ...]:
    """The letters beyond ASCII that fill the blank (``\\0``) of ``key`` to make a word
    of ``lang``'s table (``"rozk\\0adzie"`` -> ``ł``)."""
    return _slot_index(lang, len(key)).get(key, ())


@lru_cache(maxsize=1024)
def _slot_index(lang: str, length: int) -> dict[str, tuple[str, ...]]:
    """For every word of ``lang``'s table of ``length`` characters and every letter of
    it beyond ASCII, the word with that letter blanked -> the letters that fill the blank.

    Built per word length, when a blank of that length is first looked up: a lost letter
    is looked up in a few lengths, and a whole index of a Cyrillic or Greek table (every
    word holds such letters) costs a third of a second, paid in full by a Japanese page
    whose unreadable bytes happen to read as Cyrillic."""
    index: dict[str, list[str]] = {}
    for word in _words_by_length(lang).get(length, ()):
        for i, ch in enumerate(word):
            if not ch.isascii():
                index.setdefault(word[:i] + "\0" + word[i + 1 :], []).append(ch)
    return {key: tuple(chars) for key, chars in index.items()}


@lru_cache(maxsize=64)
def _words_by_length(lang: str) -> dict[int, list[str]]:
    """The words of ``lang``'s table that hold a letter beyond ASCII, by length."""
    out: dict[int, list[str]] = {}
    for word in frequency_source().words(lang):
        if not word.isascii():
            out.setdefault(len(word), []).append(word)
    return out


def _cjk_only(ch: str) -> bool:
    """Punctuation and spacing used in CJK text only (ideographic space, CJK brackets
    and stops, full-width forms, the katakana middle dot)."""
    code = ord(ch)
    return 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF65 or code == 0x30FB


def _case_fits(before: str, ch: str, after: str) -> bool:
    """Is ``ch`` in the case its word's other letters call for: all small, all
    capitals, or a capital first and small letters after it?

    >>> _case_fits("th", "ủ", ""), _case_fits("th", "Ủ", ""), _case_fits("", "É", "té")
    (True, False, True)
    """
    letters = [c for c in before + ch + after if c.isalpha()]
    if not ch.isalpha() or len(letters) < 2:
        return True
    rest = letters[1:]
    if all(c.islower() for c in rest):
        return ch.islower() or not before
    return all(c.isupper() for c in letters)


def _fold(word: str) -> str:
    """``word`` as the tables spell it: case-folded as wordfreq folds it (``ß`` is
    ``ss``, ``ς`` is ``σ``; a dotted capital I is a plain ``i``, as in Turkish),
    apostrophes straight.

    >>> _fold("İmparatorluğu’nun")
    "imparatorluğu'nun"
    """
    if any(_is_mark(c) for c in word):
        word = unicodedata.normalize("NFC", word)
    return word.replace("\u0130", "i").casefold().replace("\u2019", "'")


def _sentence_begins(left: str) -> bool:
    """Does a word after ``left`` begin a sentence: a space after ``.``, ``!`` or
    ``?`` (stricter than :func:`_sentence_start`, which also lets a capital follow a
    quote or a colon, or begin the text: a span of text may begin mid-sentence)?

    >>> _sentence_begins("it ended. "), _sentence_begins("it ended."), _sentence_begins("")
    (True, False, False)
    """
    if not left or not left[-1].isspace():
        return False
    stripped = left.rstrip()
    return bool(stripped) and stripped[-1] in ".!?"


def _sentence_start(left: str) -> bool:
    """Does a capital after ``left`` begin a sentence (or the text)?

    >>> _sentence_start("it ended. "), _sentence_start("in the ")
    (True, False)
    """
    stripped = left.rstrip()
    return not stripped or stripped[-1] in ".!?:\"\u201c\u201d\u00bb\u00ab\n"


#: The combining diacritics that stand as themselves in normalised text (not U+0340,
#: U+0341 and the others that normalisation replaces).
_MARKS = tuple(chr(c) for c in range(0x300, 0x370)
               if unicodedata.normalize("NFC", chr(c)) == chr(c))


_MARK_SET = frozenset(_MARKS)


def _decomposed(left: str, right: str) -> bool:
    """Is the text around a lost character written with combining marks (some stand in
    it)? Only then is a lost character taken for one: precomposed text has none.

    >>> _decomposed("to", "i"), _decomposed("Chu\u0301ng to", "i")
    (False, True)
    """
    return any(_is_mark(c) for c in left) or any(_is_mark(c) for c in right)


def _composed(left: str, mark: str) -> tuple[str, str] | None:
    """The letter that ``mark`` makes with the letter (and marks) ending ``left``, and
    the text before that letter; None when they make no single letter.

    >>> _composed("to", "\u0302")
    ('ô', 't')
    """
    i = len(left)
    while i > 0 and _is_mark(left[i - 1]):
        i -= 1
    if i == 0 or not left[i - 1].isalpha():
        return None
    joined = unicodedata.normalize("NFC", left[i - 1:] + mark)
    if len(joined) != 1:
        return None
    return joined, left[: i - 1]


@lru_cache(maxsize=64)
def _stacked(lang: str) -> frozenset[str]:
    """The decomposed beginnings (a letter and one or more marks, short of the whole)
    of ``lang``'s letters that carry two or more marks (``u`` + U+031B of ``ữ``)."""
    out: set[str] = set()
    for ch in frequency_source().chars(lang):
        parts = unicodedata.normalize("NFD", ch)
        for k in range(2, len(parts)):
            out.add(parts[:k])
    return frozenset(out)


def _is_mark(ch: str) -> bool:
    """A combining diacritic (U+0300-U+036F) of decomposed Latin, Greek or Cyrillic
    text (Vietnamese ``a`` + U+0301 for ``á``): part of the word it stands in."""
    return "\u0300" <= ch <= "\u036f"


def _word_tail(text: str) -> str:
    i = len(text)
    while i > 0 and (text[i - 1].isalpha() or _is_mark(text[i - 1]) or (
            text[i - 1] in "'\u2019" and i > 1 and text[i - 2].isalpha())):
        i -= 1
    return text[i:]


def _word_head(text: str) -> str:
    i = 0
    while i < len(text) and (text[i].isalpha() or (i and _is_mark(text[i])) or (
            text[i] in "'\u2019" and i + 1 < len(text) and text[i + 1].isalpha())):
        i += 1
    return text[:i]
