"""Rank the legacy encodings that could have produced some bytes.

Every legacy encoding that decodes the bytes strictly yields a candidate text; they
differ only where the bytes are not ASCII. A candidate is scored by the log-likelihood
(in nats) of its non-ASCII characters and their neighbours under two kinds of evidence:

* **structure**, the same for every script: control characters, unassigned and private
  code points, symbols glued to letters, a letter of another script or a capital after
  a small letter inside a word, a combining mark that follows no letter. Wrong decodings
  are full of these; real text almost never is.
* **language**: character frequencies and pair statistics measured on real text, one
  model per language (``mojifix.langmodel``); the best-fitting language counts.

Cost is kept independent of file size and low per file:

* only a bounded sample is scored: the lines that hold non-ASCII bytes, up to
  ``SAMPLE_BYTES``;
* single-byte encodings are scored from byte statistics counted once per sample: a
  byte's character under each encoding is a table lookup, so the 35 single-byte
  candidates cost a few table sums each. A first pass scores every candidate with its
  best language's character frequencies; only the best few get the full score with
  pairs;
* multi-byte encodings (CJK) decode the sample and are scored on character frequencies.
"""

from __future__ import annotations

import codecs
import math
from array import array
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache, reduce
from operator import add, itemgetter, mul, or_
from typing import Callable, Iterable, Sequence

from .plausibility import model as plausibility_model
from .langmodel import (
    UNSEEN_PAIR,
    LanguageModel,
    cjk_models,
    models_by_script,
    normalize_for_pairs,
)

#: How many bytes of non-ASCII lines are scored at most.
SAMPLE_BYTES = 4096

#: Smaller samples, tried in turn, each deciding when one reading wins it with at
#: least the given confidence (most files: a few lines of text say which script and
#: language they are in); the rest get the full sample. Measured on the 317 longer
#: files of the corpus with declarations removed: no winner differs from the full
#: sample's (at 2 KiB with 0.9 one did; at 1 KiB a GB2312 page whose first lines
#: read as ISO-8859-5 with confidence 1.0 did, so there is no 1 KiB stage).
QUICK_SAMPLES: tuple[tuple[int, float], ...] = ((2048, 0.99),)

#: How many single-byte candidates get the full (pair) score after the first pass.
FINALISTS = 5

#: Log-weights of the structural evidence, in nats. They encode how rare each event is
#: in real text (a C1 control character practically never; a symbol between two letters
#: seldom); their scale matches the language models' per-character log-probabilities.
IMPOSSIBLE = -14.0
SYMBOL_IN_WORD = -5.0
SCRIPT_CHANGE_IN_WORD = -6.0
CASE_CHANGE_IN_WORD = -3.0
STRAY_MARK = -7.0
#: Each writing system beyond the first among a text's letters: texts mixing scripts
#: exist (Russian with English names), but a single stray letter of another script
#: is better explained as a wrong decoding.
EXTRA_SCRIPT = -8.0

#: How much less likely than the best reading (log-odds per 20 characters, the scale of
#: the confidences) a reading may be left unscored: it would get a confidence below
#: 1/1000, too little to be reported as an alternative.
NEGLIGIBLE = math.log(1000)

#: Single-byte encodings, in order of preference when two decode the data identically
#: (the WHATWG name of a family first).
SINGLE_BYTE: tuple[str, ...] = (
    "cp1252", "iso8859-1", "iso8859-15", "mac-roman", "cp437", "cp850",
    "cp1250", "iso8859-2", "cp852", "mac-latin2", "iso8859-16", "iso8859-3",
    "cp1254", "iso8859-9",
    "cp1257", "iso8859-13", "iso8859-4", "iso8859-10",
    "cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "cp855", "mac-cyrillic",
    "cp1253", "iso8859-7",
    "cp1255", "iso8859-8",
    "cp1256", "iso8859-6",
    "cp874", "tis-620", "iso8859-11",
    "cp1258",
)  # fmt: skip

#: Multi-byte families: the first member that decodes the sample represents the family.
MULTI_BYTE: tuple[tuple[str, ...], ...] = (
    ("gbk", "gb18030"),
    ("big5", "cp950", "big5hkscs"),
    ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213"),
    ("euc_jp", "euc_jis_2004", "euc_jisx0213"),
    ("cp949", "euc_kr"),
    ("johab",),
)

#: Encodings a declaration names interchangeably: browsers decode every label of a
#: group with its widest member (WHATWG Encoding Standard), so a file declaring
#: "iso-8859-1" or "tis-620" is honoured by whichever member reads it best.
DECLARATION_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        *MULTI_BYTE,
        ("gb2312", "gbk", "gb18030"),
        ("cp1252", "iso8859-1", "ascii"),
        ("cp1254", "iso8859-9"),
        ("cp874", "tis-620", "iso8859-11"),
    )
)

_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_MARKUP_RE = re.compile(rb"<[!?/]?[A-Za-z][^<>]{0,400}>|&[#A-Za-z0-9]{1,10};")
_UTF8_SEQUENCE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SMALL = tuple(range(0x61, 0x7B))
_CAPITALS = tuple(range(0x41, 0x5B))
_ZEROS = (0,) * 26
#: Non-ASCII bytes after a small letter, a capital, and before them, in the order of
#: the edge codes of ``ByteStats`` (side * 2 + is-capital).
_BYTE_EDGE_RES = tuple(
    re.compile(pattern)
    for pattern in (
        rb"(?<=[a-z])[\x80-\xff]",
        rb"(?<=[A-Z])[\x80-\xff]",
        rb"[\x80-\xff](?=[a-z])",
        rb"[\x80-\xff](?=[A-Z])",
    )
)
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_EDGE_RE = re.compile(r"[A-Za-z][^\x00-\x7f]|[^\x00-\x7f][A-Za-z]")


#: Writing systems told apart by name (the first word of a letter's Unicode name).
SCRIPTS = frozenset(
    "LATIN CYRILLIC GREEK HEBREW ARABIC THAI CJK ARMENIAN GEORGIAN DEVANAGARI BENGALI "
    "TAMIL TELUGU KANNADA MALAYALAM GUJARATI GURMUKHI ORIYA SINHALA LAO TIBETAN KHMER "
    "MYANMAR ETHIOPIC SYRIAC THAANA COPTIC RUNIC OGHAM CHEROKEE MONGOLIAN YI".split()
)
_CJK_WORDS = frozenset(
    "CJK HIRAGANA KATAKANA HANGUL BOPOMOFO HALFWIDTH IDEOGRAPHIC".split()
)

# --- character classes -------------------------------------------------------------


@lru_cache(maxsize=65536)
def char_class(ch: str) -> tuple[str, str]:
    """``(category, script)`` of a character; the script is the first word of its name.

    >>> char_class("ж"), char_class("A"), char_class("\\u0301"), char_class("º")
    (('Ll', 'CYRILLIC'), ('Lu', 'LATIN'), ('Mn', ''), ('Lo', ''))
    """
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    script = name.split(" ", 1)[0] if name else ""
    if script in _CJK_WORDS:
        script = "CJK"
    elif " LATIN " in f" {name} ":
        script = "LATIN"
    elif script not in SCRIPTS:
        script = ""  # signs shared by scripts: º, ª, µ, modifier letters
    return category, script


@lru_cache(maxsize=65536)
def unigram_penalty(ch: str) -> float:
    """Structural log-weight of one character: controls and unassigned are impossible."""
    category, _ = char_class(ch)
    if category in ("Cc", "Cn", "Co", "Cs"):
        return 0.0 if ch in "\t\n\r\x0c" else IMPOSSIBLE
    return 0.0


@lru_cache(maxsize=262144)
def pair_penalty(pair: str) -> float:
    """Structural log-weight of two adjacent characters.

    >>> pair_penalty("ab"), pair_penalty("aЖ"), pair_penalty("a±"), pair_penalty("eÏ")
    (0.0, -6.0, -5.0, -3.0)
    """
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


# --- sampling ----------------------------------------------------------------------


def take_sample(data: bytes, limit: int = SAMPLE_BYTES) -> bytes:
    """The lines of ``data`` that hold non-ASCII bytes, up to about ``limit`` bytes.

    The sample ends after an ASCII byte below 0x30, which no stateless CJK encoding
    uses as a trailing byte, so it never cuts a multi-byte character in two.

    >>> take_sample(b"ascii only\\nna\\xefve\\nmore ascii\\n", limit=8)
    b'na\\xefve\\n'
    """
    if len(data) <= limit:
        return data
    parts: list[bytes] = []
    total = 0
    position = 0
    while total < limit:
        match = _HIGH_BYTE_RE.search(data, position)
        if match is None:
            break
        line_start = data.rfind(b"\n", 0, match.start()) + 1
        # Long lines start a little before their first non-ASCII byte, at a safe cut.
        low = max(line_start, match.start() - 64)
        start = _safe_cut(data, low, match.start(), default=low)
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end + 1
        end = min(end, start + limit - total + 512)
        end = _safe_cut(data, max(match.end(), end - 512), end)
        parts.append(data[start:end])
        total += end - start
        position = end
    sample = b"".join(parts)
    if len(sample) > limit:
        sample = sample[: _safe_cut(sample, max(0, limit - 512), limit)]
    return sample


def _safe_cut(data: bytes, low: int, high: int, default: int | None = None) -> int:
    """The last offset in (low, high] right after a byte below 0x30, else ``default``
    (``high`` when not given)."""
    if high >= len(data):
        return len(data)
    for end in range(high, low, -1):
        if data[end - 1] < 0x30:
            return end
    return high if default is None else default


def strip_markup(sample: bytes) -> bytes:
    """Blank out HTML/XML tags and entities: ASCII that says nothing about the text.

    Tags and entities hold no byte a multi-byte encoding uses inside a character
    (``<``, ``>``, ``&``, ``;`` are all below 0x40), so this never splits one.

    >>> strip_markup(b'<p class="x">caf\\xe9 &amp; th\\xe9</p>')
    b' caf\\xe9   th\\xe9 '
    """
    return _MARKUP_RE.sub(b" ", sample)


@dataclass(frozen=True)
class ByteStats:
    """Counts of the non-ASCII bytes of a sample, and of byte pairs around them.

    The distinct pairs are kept concatenated as bytes, so that one C-level decode
    turns all of them into any single-byte encoding's characters at once. They are
    counted only when a single-byte reading gets a full score.
    """

    sample: bytes  # markup stripped, embedded UTF-8 set aside
    high: tuple[int, ...]
    high_bytes: bytes  # the same, as bytes
    high_counts: tuple[int, ...]
    edges: tuple[int, ...]
    edge_counts: tuple[int, ...]
    chars: int
    ascii_letters: int
    letter_counts: tuple[int, ...]  # a..z, case-folded
    embedded: int  # UTF-8 sequences set aside (see ``of``)

    @classmethod
    def of(cls, sample: bytes) -> ByteStats:
        """Count a sample whose markup is already stripped (``strip_markup``)."""
        # Valid UTF-8 sequences inside data that is not UTF-8 are most likely UTF-8
        # text pasted into a legacy file, often already mojibake (``Ã©``): they are
        # for the repair engines to read, and would only mislead the choice of the
        # legacy encoding (a reading that makes ``Ã©`` look like ``Ă©`` is no better).
        # Genuine single-byte text seldom forms such sequences: every single-byte
        # reading pays ``EMBEDDED_UTF8`` for each. Multi-byte candidates decode the raw
        # sample instead (their own characters often look like UTF-8).
        sample, embedded = _UTF8_SEQUENCE_RE.subn(b" ", sample)
        counts = Counter(sample)
        high = tuple(b for b in counts if b >= 0x80)
        # Where a non-ASCII byte touches an ASCII letter, as (side, case, byte) codes:
        # enough for the first pass to see letters of another script glued to Latin.
        edges: dict[int, int] = {}
        for kind, pattern in enumerate(_BYTE_EDGE_RES):
            base = kind * 128 - 0x80
            for byte, count in Counter(b"".join(pattern.findall(sample))).items():
                edges[base + byte] = count
        high_counts = tuple(map(counts.__getitem__, high))
        get = counts.get
        letters = tuple(map(add, map(get, _SMALL, _ZEROS), map(get, _CAPITALS, _ZEROS)))
        return cls(
            sample,
            high,
            bytes(high),
            high_counts,
            tuple(edges),
            tuple(edges.values()),
            sum(high_counts),
            sum(letters),
            letters,
            embedded,
        )

    @cached_property
    def context(self) -> dict[str, float]:
        """``_context_penalties``, computed when a Latin reading is first scored in full."""
        return _context_penalties(self)

    def by_context(self, script: str) -> list[tuple[float, int]]:
        """The languages of ``script`` (``models_by_script`` order) as ``(context
        penalty, index)``, best context first; only Latin-script languages have one."""
        cache: dict[str, list[tuple[float, int]]] = self.__dict__.setdefault("_by_context", {})
        order = cache.get(script)
        if order is None:
            models = models_by_script().get(script, ())
            if script == "LATIN":
                context = self.context
                order = sorted(
                    ((context.get(model.name, 0.0), m) for m, model in enumerate(models)),
                    key=lambda item: -item[0],
                )
            else:
                order = [(0.0, m) for m in range(len(models))]
            cache[script] = order
        return order

    @cached_property
    def take_high(self) -> Callable[[Sequence[float]], Sequence[float]]:
        """Pick each present non-ASCII byte's entry from a table indexed by byte - 0x80."""
        return _getter([b - 0x80 for b in self.high])

    @cached_property
    def take_edges(self) -> Callable[[Sequence[float]], Sequence[float]]:
        """Pick each present edge code's entry from a table indexed by edge code."""
        return _getter(list(self.edges))

    @cached_property
    def _pair_table(self) -> tuple[bytes, tuple[int, ...]]:
        # Every adjacent pair as a native 16-bit number: the pairs at even offsets,
        # then those at odd ones, counted in C. A pair holds a non-ASCII byte when
        # either byte has its high bit set, whatever the byte order.
        sample = self.sample
        even = memoryview(sample[: len(sample) & ~1]).cast("H")
        odd = memoryview(sample[1 : 1 + ((len(sample) - 1) & ~1)]).cast("H")
        counts = Counter(even)
        counts.update(odd)
        keys = [pair for pair in counts if pair & 0x8080]
        return array("H", keys).tobytes(), tuple(map(counts.__getitem__, keys))

    @property
    def pairs(self) -> bytes:
        """The distinct pairs with a non-ASCII byte, concatenated."""
        return self._pair_table[0]

    @property
    def pair_counts(self) -> tuple[int, ...]:
        """How often each pair occurs, in the order of ``pairs``."""
        return self._pair_table[1]


def _getter(index: list[int]) -> Callable[[Sequence[float]], Sequence[float]]:
    """A C-level gather of ``table[i] for i in index`` (``itemgetter`` returns a bare
    item, not a tuple, for one index)."""
    if len(index) >= 2:
        return itemgetter(*index)
    if index:
        single = index[0]
        return lambda table: (table[single],)
    return lambda table: ()


# --- single-byte encodings ---------------------------------------------------------

#: How many languages of a script get the full score for one candidate encoding.
LANGUAGES_PER_CANDIDATE = 2

#: The letters around the non-ASCII bytes say which language a Latin-script text is
#: in: a reading whose accented letters belong to another language than its ASCII
#: letters pays for the difference in how well each language explains those ASCII
#: letters, at most this much per non-ASCII character (texts do quote other
#: languages).
CONTEXT_CAP = 3.0

#: What a single-byte reading pays for each UTF-8 sequence it sets aside: about a rare
#: character's log-probability.
EMBEDDED_UTF8 = -12.0

#: What a full score can add to a first-pass score, per non-ASCII byte, in nats: pairs'
#: pointwise mutual information minus their structural penalties. Measured on the
#: corpus and its snippets: 99 % of readings gain less than 1.25, the most 4.35 (a
#: one-letter snippet). A reading whose first pass trails a fully scored one by more
#: than this allowance is not scored in full.
MAX_PAIR_GAIN = 4.5

#: Over a whole sample the gain grows more slowly than its length (pairs that favour
#: a reading in one word disfavour it in another): measured on the same readings
#: (samples of 2 and 4 KiB), it stays below 37.2 * sqrt(characters). With a fifth
#: for safety, the allowance is also at most this times the square root.
PAIR_GAIN_SCALE = 45.0


@dataclass(frozen=True)
class _SingleByte:
    name: str
    undefined: frozenset[int]
    table: str  # all 256 bytes decoded ("\ufffd" where undefined), for charmap_decode
    normalized: str  # the same, normalised like the profiles' pairs
    script: str  # the script of its letters, whose language models score it
    models: tuple[LanguageModel, ...]
    unigram_scores: tuple[tuple[float, ...], ...]  # per model, indexed by byte - 0x80
    best_unigram: tuple[float, ...]
    edge_scores: tuple[float, ...]  # indexed by ByteStats edge codes
    scripts: tuple[str, ...]  # the script of each byte's letter ("" for non-letters)
    script_bits: tuple[int, ...]  # the same as one bit per script (``_SCRIPT_BITS``)
    # Byte pairs read as native 16-bit numbers after ``bytes.translate``: with
    # ``pair_classes`` they key ``pair_structure`` (the structural weight of the pair),
    # with ``non_ascii`` they key ``unseen`` (what a pair no profile lists scores).
    pair_classes: bytes
    pair_structure: dict[int, float]
    non_ascii: bytes
    unseen: dict[int, float]


def _pair_key(a: int, b: int) -> int:
    """The number a two-byte pair ``a b`` reads as through ``memoryview.cast("H")``."""
    return int.from_bytes(bytes((a, b)), sys.byteorder)


def _structure_class(ch: str) -> tuple[str, str]:
    """What ``pair_penalty`` looks at in a character: letters by case and script,
    combining marks, symbols, and the rest."""
    category, script = char_class(ch)
    if category[0] == "L":
        return (category if category in ("Ll", "Lu") else "L", script)
    if category == "Mn" or category[0] == "S":
        return (category if category == "Mn" else "S", "")
    return ("", "")


def _pair_tables(table: str, normalized: str) -> tuple[bytes, dict[int, float], bytes, dict[int, float]]:
    codes: dict[tuple[str, str], int] = {}
    members: list[str] = []
    pair_classes = bytearray()
    for ch in table:
        key = _structure_class(ch)
        if key not in codes:
            codes[key] = len(codes)
            members.append(ch)
        pair_classes.append(codes[key])
    structure = {
        _pair_key(i, j): pair_penalty(a + b)
        for i, a in enumerate(members)
        for j, b in enumerate(members)
    }
    non_ascii = bytes(ch >= "\x80" for ch in normalized)
    unseen = {_pair_key(i, j): UNSEEN_PAIR if i or j else 0.0 for i in (0, 1) for j in (0, 1)}
    return bytes(pair_classes), structure, non_ascii, unseen


@lru_cache(maxsize=None)
def _single_byte(name: str) -> _SingleByte:
    high = bytes(range(0x80, 0x100)).decode(name, errors="replace")
    undefined = frozenset(0x80 + i for i, ch in enumerate(high) if ch == "\ufffd")
    scripts: Counter[str] = Counter()
    for ch in high:
        category, script = char_class(ch)
        if category[0] == "L" and script:
            scripts[script] += 1
    grouped = models_by_script()
    script = scripts.most_common(1)[0][0]
    if script not in grouped:
        script = "LATIN"
    models = grouped[script]
    structure = [unigram_penalty(ch) for ch in high]
    unigram_scores = tuple(
        tuple(s + model.unigram(ch) for s, ch in zip(structure, high)) for model in models
    )
    columns = list(zip(*unigram_scores))
    best = tuple(max(column) for column in columns)
    edge_scores = tuple(
        [pair_penalty("a" + ch) for ch in high]
        + [pair_penalty("A" + ch) for ch in high]
        + [pair_penalty(ch + "a") for ch in high]
        + [pair_penalty(ch + "A") for ch in high]
    )
    letter_scripts = tuple(
        char_class(ch)[1] if char_class(ch)[0][0] == "L" else "" for ch in high
    )
    table = bytes(range(0x80)).decode("ascii") + high
    normalized = normalize_for_pairs(table)
    return _SingleByte(
        name, undefined, table, normalized, script, models, unigram_scores, best,
        edge_scores, letter_scripts, tuple(map(_script_bit, letter_scripts)),
        *_pair_tables(table, normalized),
    )  # fmt: skip


def _script_mix(scripts: Iterable[str], ascii_letters: int) -> float:
    present = set(scripts)
    present.discard("")
    if ascii_letters:
        present.add("LATIN")
    return EXTRA_SCRIPT * max(0, len(present) - 1)


@lru_cache(maxsize=256)
def _is_single_byte(name: str) -> bool:
    try:
        return len(bytes(range(256)).decode(name, errors="replace")) == 256 and codecs.lookup(
            name
        ).name not in ("utf-8", "utf-16", "utf-32")
    except LookupError:
        return False


def _dot(counts: Sequence[int], scores: Iterable[float]) -> float:
    total: float = sum(map(mul, counts, scores))
    return total


_SCRIPT_BITS: dict[str, int] = {"": 0, "LATIN": 1}


def _script_bit(script: str) -> int:
    """One bit per writing system (0 for none), handed out as scripts turn up."""
    if script not in _SCRIPT_BITS:
        _SCRIPT_BITS[script] = 1 << (len(_SCRIPT_BITS) - 1)
    return _SCRIPT_BITS[script]


def _first_pass(stats: ByteStats, codec: _SingleByte) -> float:
    if not codec.undefined.isdisjoint(stats.high):
        return -math.inf
    take = stats.take_high
    # ``_script_mix`` on bits: the writing systems present, LATIN for ASCII letters.
    scripts = reduce(or_, take(codec.script_bits), 1 if stats.ascii_letters else 0)  # type: ignore[arg-type]
    return (
        EMBEDDED_UTF8 * stats.embedded
        + _dot(stats.high_counts, take(codec.best_unigram))
        + _dot(stats.edge_counts, stats.take_edges(codec.edge_scores))
        + EXTRA_SCRIPT * max(0, scripts.bit_count() - 1)
    )


def _context_penalties(stats: ByteStats) -> dict[str, float]:
    """For each Latin-script language, how much worse it explains the ASCII letters
    than the language that explains them best (capped, see ``CONTEXT_CAP``)."""
    present = [i for i, count in enumerate(stats.letter_counts) if count]
    counts = [stats.letter_counts[i] for i in present]
    take = _getter(present)  # letters the sample lacks add nothing to any fit
    fits = {
        model.name: _dot(counts, take(model.ascii_letters))
        for model in models_by_script().get("LATIN", ())
        if model.ascii_letters is not None
    }
    if not fits:
        return {}
    best = max(fits.values())
    cap = CONTEXT_CAP * stats.chars
    return {name: max(fit - best, -cap) for name, fit in fits.items()}


def _best_languages(stats: ByteStats, codec: _SingleByte) -> list[tuple[float, int]]:
    """The ``LANGUAGES_PER_CANDIDATE`` languages whose character frequencies (and
    context) fit the reading best, as ``(score, model index)``, best first.

    Pairs are scored only in these. Languages are tried in order of their context
    penalty: a language's score is at most its context plus the best-per-byte bound of
    the first pass, so once that bound falls below the languages already kept, no later
    language can enter (the result is the same as scoring them all).
    """
    take, counts = stats.take_high, stats.high_counts
    bound = _dot(counts, take(codec.best_unigram))
    kept: list[tuple[float, int]] = []
    for penalty, m in stats.by_context(codec.script):
        if len(kept) >= LANGUAGES_PER_CANDIDATE and bound + penalty < kept[-1][0]:
            break
        kept.append((_dot(counts, take(codec.unigram_scores[m])) + penalty, m))
        kept.sort(reverse=True)
        del kept[LANGUAGES_PER_CANDIDATE:]
    return kept


def _letter_pairs(stats: ByteStats, codec: _SingleByte) -> tuple[list[str], list[float]]:
    """The sample's distinct pairs read by ``codec`` and normalised like the profiles,
    and what each scores when a profile does not list it.

    A pair whose non-ASCII member is punctuation (normalised to a space) is no letter
    pair: the profiles do not measure it, and it says nothing either way.
    """
    text = codecs.charmap_decode(stats.pairs, "strict", codec.normalized)[0]
    normalized = list(map(add, text[::2], text[1::2]))
    flags = memoryview(stats.pairs.translate(codec.non_ascii)).cast("H")
    return normalized, list(map(codec.unseen.__getitem__, flags))


@lru_cache(maxsize=None)
def _best_pairs(script: str) -> dict[str, float]:
    """For every pair some language of ``script`` lists, the most any language of the
    script gives it (``UNSEEN_PAIR`` at least)."""
    best: dict[str, float] = {}
    for model in models_by_script().get(script, ()):
        for pair, pmi in (model.pairs or {}).items():
            if pmi > best.get(pair, UNSEEN_PAIR):
                best[pair] = pmi
    return best


def _pair_bound(stats: ByteStats, codec: _SingleByte, pairs: tuple[list[str], list[float]]) -> float:
    """The most a full score can add to the first pass: its letter pairs in the best
    language for each pair. (The first pass already takes each character in its best
    language and counts the structural weight of its edges with ASCII letters, which
    the pairs' structural weights include; both only lose in the full score.)"""
    normalized, unseen = pairs
    return _dot(stats.pair_counts, map(_best_pairs(codec.script).get, normalized, unseen))


def _full_score(
    stats: ByteStats,
    codec: _SingleByte,
    pairs: tuple[list[str], list[float]] | None = None,
) -> float:
    take = stats.take_high
    unigrams = _best_languages(stats, codec)
    classes = memoryview(stats.pairs.translate(codec.pair_classes)).cast("H")
    structure = (
        EMBEDDED_UTF8 * stats.embedded
        + _dot(stats.pair_counts, map(codec.pair_structure.__getitem__, classes))
        + _script_mix(take(codec.scripts), stats.ascii_letters)  # type: ignore[arg-type]
    )
    normalized, unseen = pairs or _letter_pairs(stats, codec)
    best = -math.inf
    for unigram, m in unigrams:
        table = codec.models[m].pairs or {}
        language = _dot(stats.pair_counts, map(table.get, normalized, unseen))
        best = max(best, unigram + language)
    return structure + best


# --- multi-byte encodings ----------------------------------------------------------


@lru_cache(maxsize=131072)
def _cjk_char(ch: str) -> tuple[float, str, float, ...]:
    """What the multi-byte scores need of one character, looked up once: its
    structural weight, the script of its letter ("" for non-letters), and its
    log-probability in each CJK model (``cjk_models()`` order)."""
    category, script = char_class(ch)
    return (
        unigram_penalty(ch),
        script if category[0] == "L" else "",
        *(model.unigram(ch) for model in cjk_models()),
    )


@dataclass(frozen=True)
class _MultiByteReading:
    counts: list[int]  # of each distinct non-ASCII character
    structure: float
    unigrams: tuple[tuple[float, ...], ...]  # per CJK model, per character


def _multibyte_stats(text: str) -> _MultiByteReading:
    """Non-ASCII characters and counts, and the structural score, of a decoded sample."""
    counts = Counter(text)
    keys = [ch for ch in counts if ch >= "\x80"]
    numbers = list(map(counts.__getitem__, keys))
    columns = list(zip(*map(_cjk_char, keys))) or [()] * (2 + len(cjk_models()))
    structure = _dot(numbers, columns[0])
    edges = Counter(_EDGE_RE.findall(text))
    structure += _dot(list(edges.values()), map(pair_penalty, edges))
    ascii_letters = len(_ASCII_LETTER_RE.findall(text, 0, 4096))
    structure += _script_mix(columns[1], ascii_letters)
    return _MultiByteReading(numbers, structure, tuple(columns[2:]))


def _score_multibyte(reading: _MultiByteReading) -> float:
    return reading.structure + max(_dot(reading.counts, column) for column in reading.unigrams)


def _multibyte_first_pass(reading: _MultiByteReading) -> float:
    return reading.structure + _dot(reading.counts, map(max, *reading.unigrams))


# --- ranking -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """Candidates best first as ``(encoding, confidence)``, and the sample size."""

    candidates: tuple[tuple[str, float], ...]
    chars: int


def is_utf8_beyond_ascii(data: bytes) -> bool:
    """Whether ``data`` holds non-ASCII bytes and all of it is strict UTF-8. A line whose
    bytes (under the code page it was read with) are so is UTF-8 read as a single-byte
    code page: the Latin engine's kind, whatever another reading would score.

    >>> is_utf8_beyond_ascii("é".encode()), is_utf8_beyond_ascii(b"abc"), is_utf8_beyond_ascii(b"\\xe9")
    (True, False, False)
    """
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def reading_scores(data: bytes, names: Iterable[str]) -> dict[str, float]:
    """The full plausibility score (log-likelihood in nats, see the module docstring)
    of ``data`` read with each single-byte encoding of ``names``; ``-inf`` where the
    encoding leaves a byte of ``data`` undefined.

    Text is scored whole up to ``SAMPLE_BYTES`` (longer text: its sample), with no
    markup stripping: this is for comparing readings of lines of text, as the legacy
    engine does.

    >>> scores = reading_scores("Příliš žluťoučký kůň".encode("cp1250"), ["cp1252", "cp1250"])
    >>> scores["cp1250"] > scores["cp1252"]
    True
    """
    stats = ByteStats.of(take_sample(data))
    scores: dict[str, float] = {}
    for name in names:
        codec = _single_byte(name)
        if codec.undefined.intersection(stats.high):
            scores[name] = -math.inf
        else:
            scores[name] = _full_score(stats, codec)
    return scores


def rank_encodings(data: bytes, *, declared: str | None = None) -> Ranking:
    """Rank the legacy encodings that decode ``data``, best first.

    Candidates are checked against the sample only; the caller verifies the winner on
    the whole data. ``declared`` (the encoding the data names for itself) wins unless
    another reading is clearly more plausible.

    >>> rank_encodings("Привет, как дела?".encode("koi8-r")).candidates[0][0]
    'koi8-r'
    >>> rank_encodings("中文测试文本，这是一个例子。".encode("gbk")).candidates[0][0]
    'gbk'

    Most data is decided by a smaller sample (``QUICK_SAMPLES``): only when no reading
    of it wins clearly is the full sample scored.
    """
    for limit, clear in QUICK_SAMPLES:
        if len(data) <= limit:
            break
        quick = _rank_sample(take_sample(data, limit), declared)
        if quick.candidates and quick.candidates[0][1] >= clear:
            return quick
    return _rank_sample(take_sample(data), declared)


def _rank_sample(sample: bytes, declared: str | None) -> Ranking:
    sample = strip_markup(sample)
    stats = ByteStats.of(sample)
    first: dict[str, float] = {}
    seen: dict[str, str] = {}
    declared_as: set[str] = set()
    if declared is not None:
        declared_as = set().union(*(g for g in DECLARATION_GROUPS if declared in g), {declared})
    names = SINGLE_BYTE
    if declared is not None and declared not in SINGLE_BYTE and _is_single_byte(declared):
        names = SINGLE_BYTE + (declared,)
    for name in names:
        codec = _single_byte(name)
        # Encodings that read this sample identically are one candidate: the first in
        # order of preference stands for them.
        reading = codecs.charmap_decode(stats.high_bytes, "strict", codec.table)[0]
        if reading in seen:
            if name in declared_as:
                declared_as.add(seen[reading])
            continue
        seen[reading] = name
        first[name] = _first_pass(stats, codec)
    ordered = sorted(
        (name for name in first if first[name] > -math.inf),
        key=lambda name: first[name],
        reverse=True,
    )
    scores: dict[str, float] = {}
    readings: dict[str, _MultiByteReading] = {}
    for family in MULTI_BYTE:
        for name in family:
            try:
                text = sample.decode(name)
            except UnicodeDecodeError:
                continue
            readings[name] = _multibyte_stats(text)
            break
    # Scoring each reading in every CJK language costs more than its best-language
    # bound; only the two most promising readings get the full score.
    promising = list(readings)
    if len(promising) > 2:
        promising.sort(key=lambda name: _multibyte_first_pass(readings[name]), reverse=True)
    for name in promising[:2] + [name for name in promising[2:] if name in declared_as]:
        scores[name] = _score_multibyte(readings[name])
    finalists = ordered[:FINALISTS]
    finalists += [name for name in ordered[FINALISTS:] if name in declared_as]
    allowance = min(MAX_PAIR_GAIN * stats.chars, PAIR_GAIN_SCALE * math.sqrt(stats.chars))
    for name in finalists:  # best first pass first
        # A reading whose first pass plus what pairs could add stays below a reading
        # already scored (or a multi-byte one) cannot win: skip its full score. The
        # allowance is a measured bound, cheap to check; the pair bound is exact, and
        # skips only readings that would be too unlikely to be reported.
        top = max(scores.values(), default=-math.inf)
        if first[name] + allowance < top and name not in declared_as:
            continue
        codec = _single_byte(name)
        pairs = _letter_pairs(stats, codec)
        if name not in declared_as and first[name] + _pair_bound(stats, codec, pairs) < (
            top - NEGLIGIBLE * max(20, stats.chars) / 20
        ):
            continue
        scores[name] = _full_score(stats, codec, pairs)
    honoured = [name for name in scores if name in declared_as]
    if honoured:
        declared = max(honoured, key=scores.__getitem__)
        best = max(scores.values())
        # A declaration is strong evidence; overrule it only when the declared reading
        # is worse by more than one impossible character per twenty.
        if scores[declared] >= best + IMPOSSIBLE * max(1.0, stats.chars / 20):
            scores[declared] = best + 1.0
    fallbacks = {name: first.get(name, -math.inf) for name in first}
    fallbacks.update({name: -math.inf for name in promising if name not in scores})
    return Ranking(
        _confidences(scores, stats.chars, fallbacks, _tie_breaks(stats, scores)), stats.chars
    )


def _tie_breaks(stats: ByteStats, scores: dict[str, float]) -> dict[str, float]:
    """For single-byte readings tied at the top, how rare their characters are (bits,
    lower is commoner) under the shared character model of ``mojifix.plausibility``.

    The language profiles count letters only, so two readings that differ in a symbol
    (``¤`` in ISO-8859-1 against ``€`` in ISO-8859-15 on byte 0xA4) score alike; the
    character model, measured on real text, knows which symbol text uses.
    """
    if not scores:
        return {}
    top = max(scores.values())
    tied = [name for name, score in scores.items() if score == top and name in SINGLE_BYTE]
    if len(tied) < 2:
        return {}
    cost = plausibility_model().unigram
    return {
        name: _dot(stats.high_counts, [cost(_single_byte(name).table[b]) for b in stats.high])
        for name in tied
    }


_PREFERENCE = {name: i for i, name in enumerate(SINGLE_BYTE)}


def _confidences(
    scores: dict[str, float],
    chars: int,
    first: dict[str, float],
    tie_breaks: dict[str, float] | None = None,
) -> tuple[tuple[str, float], ...]:
    if not scores:
        return ()
    preference = _PREFERENCE
    tie_breaks = tie_breaks or {}
    ordered = sorted(
        scores.items(),
        key=lambda item: (-item[1], tie_breaks.get(item[0], 0.0), preference.get(item[0], -1)),
    )
    top = ordered[0][1]
    # Log-odds per character, rescaled to a sample of 20 characters, keep the
    # confidence honest for snippets and long files alike.
    scale = 20.0 / max(20, chars)
    weights = [(name, math.exp(max(-50.0, (score - top) * scale))) for name, score in ordered]
    total = sum(weight for _, weight in weights)
    ranked = [(name, round(weight / total, 4)) for name, weight in weights]
    # Candidates dropped after the first pass stay available as fallbacks.
    rest = sorted(
        (name for name in first if name not in scores),
        key=lambda name: (-first[name], preference.get(name, -1)),
    )
    return tuple(ranked) + tuple((name, 0.0) for name in rest)
