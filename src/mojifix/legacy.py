"""Legacy text read as a single-byte codec: ``ÄãºÃ`` for ``你好``, ``Ïðèâåò`` for ``Привет``.

Text written in a legacy encoding (GBK, Big5, Shift_JIS, EUC-JP, EUC-KR, cp1251,
KOI8-R, cp1250, cp1253, TIS-620, cp1255, cp1256) and decoded as Latin-1 or cp1252
keeps every byte: a single-byte reader turns each byte into one character. So the
damage can be undone exactly, and one mechanism serves every pair of codecs:

1. **Prefilter.** The characters of the reading codec's upper half (bytes 0x80-0xFF;
   the bytes cp1252 leaves undefined come through as the C1 controls U+0081 ..., as
   browsers decode them) form a character class. One regex scan flags the lines where
   such characters cluster (three in a row, four with trail bytes between, a C1 control,
   a symbol inside a word); clean text, accented Latin and CJK text rarely get further.
2. **Runs.** In a flagged line, a run is a maximal stretch of upper-half characters, each
   optionally followed by one ASCII character of 0x40-0x7E: the trail bytes of the
   double-byte codecs (``ƒJƒ^ƒJƒi`` is カタカナ in Shift_JIS) lie in that range.
3. **Re-encoding.** A run is encoded back with the reading codec (one byte per
   character, so byte offsets are character offsets) and decoded strictly with each
   candidate legacy codec, UTF-8 included; a run that does not decode as a whole is cut
   at the bytes that fail, and the pieces are tried on their own.
4. **Decision.** Every candidate is scored in the context of its line with the measured
   character model of :mod:`mojifix.plausibility`, corrected by the letter-pair
   statistics of :mod:`mojifix.langmodel`: the log-likelihood ratio ``cost(run as it is)
   - cost(decoded run)`` in bits. A wrong decoder mangles a whole string, so a line is
   explained by one (reading, legacy codec) pair, the one whose repairs gain most, and
   each repair must beat ``PRIOR_BITS`` less what the rest of the line already shows.
   A line that UTF-8 explains best is left to the Latin engine; a repair must also read
   like language, not like a likelier kind of noise (see :func:`_reads_like_language`).

Each repair is explained as ``Layer(written_as=<legacy codec>, read_as=<reading codec>)``.

Cyrillic code pages read as each other (cp1251 as KOI8-R, ``оПХБЕР``) keep the text
Cyrillic: :mod:`mojifix.cyrillic` repairs them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

import ftfy

from .edits import Edit, changed_spans
from .options import Options
from .langmodel import UNSEEN_PAIR, models_by_script, normalize_for_pairs
from .plausibility import CLASSES, CharModel, char_class, model, probability
from .result import Layer
from .scoring import SAMPLE_BYTES, is_utf8_beyond_ascii, reading_scores

#: Prior odds against a line being legacy text read as a single-byte codec, in bits.
#: A repair must make the line at least 2**PRIOR_BITS times likelier under the character
#: model. Chosen on the tuning half of the clean-paragraph fixture (see
#: ``benchmarks/accuracy_legacy.py``), checked on the held-out half.
PRIOR_BITS = 30.0

#: Prior odds, in bits, *for* reading another run of a line the same way once the rest
#: of the line is confidently explained: a wrong decoder mangles whole strings, so a run
#: of a line that is legacy mojibake is more likely mojibake too than not. Reached only
#: when the other runs' evidence exceeds ``PRIOR_BITS + LINE_BITS``.
LINE_BITS = 4.0

#: What genuine text costs at most, in bits per character: the costliest paragraph of
#: 20+ characters in the clean corpus (``tests/fixtures``) under the character model.
GENUINE_BITS_PER_CHAR = 12.6

#: How many bits beyond ``GENUINE_BITS_PER_CHAR`` a repaired span may cost on average
#: (edges of short spans, rare names). Correct repairs of the tuning half spend at most
#: 32; decodings of hopeless garbles 40 and more.
NOISE_SPAN_BITS = 40.0

#: How common, on average, the ideographs, kana and hangul of a repair must be: their
#: mean cost within their class in bits. Correct repairs of the clean corpus stay below
#: 11.5 but for a handful of lines (12.1 at most); GBK or EUC-KR readings of random
#: accented letters lie at 11.8 and above.
COMMON_CJK_BITS = 11.5

#: The mean pointwise mutual information (nats) of a repaired line's letter pairs must
#: reach this, by script: real language has positive mutual information between
#: neighbouring letters, letters at random none, but the profiles were pruned (Russian
#: ``чт`` is missing), so a short genuine line may fall below zero. Measured by
#: ``tools/measure_pair_threshold.py`` on the sentence pieces of the clean corpus against
#: cp1252 pieces that another code page reads as the script: for Cyrillic, Greek, Hebrew
#: and Arabic, -0.2 lets 99.7-100 % of genuine pieces through (90.6-100 % at 0.15) and
#: no more misreads than 0.15 does (they begin at -0.5); Latin misreads (French read as
#: cp1250) stay Latin-like, and there every step down lets more of them in, so Latin
#: keeps 0.15.
LANGUAGE_MIN_PMI: dict[str, float] = {"LATIN": 0.15}
LANGUAGE_MIN_PMI_OTHER = -0.2

#: The fewest mis-decoded characters a line's repairs must cover to be applied with a
#: double-byte codec (two characters: ``ÄãºÃ`` for ``你好``).
MIN_EVIDENCE_CHARS = 4

#: The same for single-byte legacy codecs, of which one repair must also span four:
#: random strings of accented letters (``àáøí``, ``àáî çàð``) read as Cyrillic syllables
#: too often; six letters with a four-letter word among them seldom do.
MIN_EVIDENCE_CHARS_SINGLE_BYTE = 6

#: Prior odds, in bits, against a line being text of a legacy codec of the reading's
#: own script (cp1250 read as cp1252), to be beaten by how much likelier the line's
#: bytes are as language in the legacy codec than as they are (encoding detection's
#: language models, see :func:`_reread_edits`). Genuine lines of the tuning half of the
#: clean-paragraph fixture gain at most 12.9 bits by such a re-read (an English line
#: whose ``±`` cp1250 reads as ``ą``); two bits more are asked. See
#: ``benchmarks/accuracy_legacy.py`` for the held-out half.
REREAD_BITS = 15.0

#: Characters of a reading codec that tell, after a letter, of text in a legacy codec
#: of the reading's own script: the letter the legacy codec gives the same byte is at
#: least five times as frequent (after a letter) in some language that codec writes as
#: the character itself in any language the reading codec writes. Measured on wordfreq
#: 3 word lists (cs sk pl hu sl sh ro against fr es pt de it nl sv da nb fi is ca en tr
#: vi lv lt; Romanian ș/ț counted as the ş/ţ cp1250 has): ``ő`` 0.66 % in Hungarian
#: against ``õ`` 0.096 % in Portuguese, ``ł`` 1.4 % against ``³`` never, ``ţ`` 0.9 %
#: against Icelandic ``þ`` 0.045 %. ``û`` for ``ű`` (ratio 6.8) is left out: French
#: words (``brûlée``) in English text would send every such line to the scorer.
#: Commoner ones (``è`` for ``č``, ``ø`` for ``ř``) would open every French or Danish
#: line; Czech lines are found by their C1 controls and runs. Measured by
#: ``tools/measure_reread_signals.py``.
REREAD_SIGNALS: dict[str, str] = {"cp1252": "³£¹¥¿¯¾¼ªºþÞ\u0178\u0153\u0152õÕ"}

#: Characters of a reading codec that tell of a legacy codec of its own script when they
#: stand *inside* a word, between two letters: the languages the reading writes put
#: them only at word ends (Italian ``così``, ``più``; French ``où``), while Czech ``ě``
#: and ``ů`` (the same bytes in cp1250) stand inside words (``dìtmi`` for ``dětmi``).
#: They only pick lines for the re-read; the language models still decide.
REREAD_INNER_SIGNALS: dict[str, str] = {"cp1252": "ìùÌÙ"}

#: The most a re-read is trusted whose every change puts one accent on a letter for
#: another (``õ`` -> ``ő``, ``û`` -> ``ű``, ``ñ`` -> ``ń``) while nothing else in the text
#: re-read shows a misreading: genuine text is written that way (Hungarian through
#: Latin-1 keyboards and fonts is full of ``õ`` and ``û``) with the very bytes cp1250
#: text read as cp1252 has, so the language models' preference for the re-read is no
#: evidence. Below the default ``min_confidence``: reported, never applied by default.
ACCENT_SWAP_CONFIDENCE = 0.3
#: Note on a line re-read that changes fewer than ``MIN_EVIDENCE_CHARS`` characters:
#: reported at ``ACCENT_SWAP_CONFIDENCE``; the text as a whole may still repair it.
FEW_CHANGES_NOTE = ("not applied: it changes too few characters of the line to tell its "
                    "language; the text as a whole may still show the misreading")
ACCENT_SWAP_NOTE = ("not applied: it only swaps accents (õ for ő), which genuine text "
                    "written without the letter does too, and nothing else shows a misreading")

#: Unapplied candidates are reported only down to this confidence.
REPORT_FLOOR = 0.05

#: Legacy codecs tried under each reading codec, in families: the first member of a
#: family that decodes a run strictly stands for the family (GBK before GB18030,
#: Shift_JIS before CP932, EUC-KR before CP949, TIS-620 before cp874). The order of the
#: families breaks ties.
READINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "cp1252": (
        ("gbk", "gb18030"),
        ("big5", "big5hkscs"),
        ("shift_jis", "cp932"),
        ("euc_jp",),
        ("euc_kr", "cp949"),
        ("cp1251",),
        ("koi8_r",),
        ("cp1250",),
        ("cp1253",),
        ("tis-620", "cp874"),
        ("cp1255",),
        ("cp1256",),
    ),
}
#: A Turkish Windows reads with cp1254 (field notes: Shift_JIS read as cp1254), which
#: differs from cp1252 in six letters (Ğ İ Ş ğ ı ş for Ð Ý Þ ð ý þ) and eight undefined
#: bytes; the same legacy codecs are tried under it.
READINGS["cp1254"] = READINGS["cp1252"]

#: UTF-8 competes with the legacy codecs of every reading: a line that UTF-8 explains
#: best is UTF-8 read as a single-byte codec, the Latin engine's work, and is left alone
#: (it wins ties, being the commoner mistake).
UTF8_FAMILY: tuple[str, ...] = ("utf-8",)

#: Latin-1 punctuation that stands inside genuine words.
_IN_WORD = "\u00b7\u00ad"

#: Bytes that may follow a lead byte as the trail of a double-byte character and are
#: ASCII: GBK, Big5 and Shift_JIS use 0x40-0x7E.
_TRAIL = "\\x40-\\x7e"


@dataclass(frozen=True)
class Reading:
    """A single-byte codec that legacy bytes were decoded with.

    ``to_byte`` maps each upper-half character to its byte; ``suspect`` flags lines worth
    a closer look; ``run`` finds the runs of a flagged line.
    """

    name: str
    to_byte: dict[str, str]  # character -> the Latin-1 character of its byte
    table: dict[int, str]  # str.translate table: the line as Latin-1 bytes, or U+FFFD
    suspect: re.Pattern[str]
    run: re.Pattern[str]
    families: tuple[tuple[str, ...], ...]
    c1_only: frozenset[str]  # characters only a Latin-1 reading produces
    rereads: tuple[str, ...]  # legacy codecs of the reading's own script
    reread: re.Pattern[str] | None  # a tell-tale character of their text (REREAD_SIGNALS)
    seed: re.Pattern[str]  # ``suspect`` without the re-read signals: runs worth decoding


def _upper_half(name: str) -> dict[str, str]:
    """Upper-half characters of a single-byte codec, mapped to their bytes (as Latin-1
    characters). Undefined bytes come through as C1 controls, as browsers decode them."""
    table: dict[str, str] = {}
    for value in range(0x80, 0x100):
        byte = bytes([value])
        try:
            ch = byte.decode(name)
        except UnicodeDecodeError:
            ch = chr(value)
        table[ch] = chr(value)
    return table


@lru_cache(maxsize=None)
def reading(name: str) -> Reading:
    """The reading codec ``name`` with its tables and patterns, built once."""
    to_byte = _upper_half(name)
    c1_only: frozenset[str] = frozenset()
    if name == "cp1252":
        # A Latin-1 reader gives every byte 0x80-0x9F as a C1 control; accept both.
        c1 = {chr(v): chr(v) for v in range(0x80, 0xA0)}
        c1_only = frozenset(ch for ch in c1 if ch not in to_byte)
        to_byte = {**c1, **to_byte}
    high = _char_class(to_byte)
    run = re.compile(f"(?:{high}[{_TRAIL}]?)+")
    # Three upper-half characters in a row (a word of a single-byte script), four with
    # trail bytes between them (two double-byte characters), a C1 control (a byte the
    # reading leaves undefined), or a Latin-1 symbol inside a Latin word before a letter
    # or another upper-half character (``spo³eczny`` is cp1250 read as cp1252,
    # ``d¨¦finit`` GBK). Accented Latin words rarely have more than two such characters
    # close together; the middle dot (Catalan ``col·lecció``) and the soft hyphen do
    # stand inside words, and typographic punctuation (’ ” —) after them. Written with
    # one leading class, so that the regex engine scans for it quickly.
    symbol = _char_class(ch for ch in to_byte if not ch.isalpha()
                         and "\xa0" < ch <= "\xff" and ch not in _IN_WORD)
    suspect = seed = re.compile(
        f"{high}(?:{high}{{2}}|(?:[{_TRAIL}]?{high}){{3}}|(?<=[\\x80-\\x9f])"
        f"|(?<=[A-Za-z]{symbol})(?:[A-Za-z]|{high}))"
    )
    # Latin-1 characters that the reading cannot produce must not pass as their bytes.
    table = {ord(ch): "\ufffd" for ch in map(chr, range(0x80, 0x100)) if ch not in to_byte}
    table.update((ord(ch), byte) for ch, byte in to_byte.items() if ch != byte)
    rereads = tuple(family[0] for family in READINGS[name]
                    if _letter_script(family[0]) == _letter_script(name))
    reread = None
    if rereads and REREAD_SIGNALS.get(name):
        # A tell-tale character after a letter (see ``REREAD_SIGNALS``).
        signals = _char_class(REREAD_SIGNALS[name])
        reread = re.compile(f"{signals}(?<=[^\\W\\d_]{signals})")
        # One pattern, one leading class: lines are picked (and the pipeline's gate
        # opened) by either kind of evidence.
        inner = REREAD_INNER_SIGNALS.get(name)
        inside = (f"|(?<={_char_class(inner)})(?<=[^\\W\\d_].)(?=[^\\W\\d_])"
                  if inner else "")
        suspect = re.compile(f"{high}(?:{suspect.pattern[len(high):]}"
                             f"|(?<={signals})(?<=[^\\W\\d_].){inside})")
    return Reading(name, to_byte, table, suspect, run, (UTF8_FAMILY,) + READINGS[name],
                   c1_only, rereads, reread, seed)


def _byte_reads_as(byte: str, codec: str) -> str:
    return byte.encode("latin-1").decode(codec, errors="replace")


@lru_cache(maxsize=None)
def _letter_script(codec: str) -> int:
    """The character class (script) most letters of ``codec``'s upper half are in."""
    counts: dict[int, int] = {}
    for ch in bytes(range(0x80, 0x100)).decode(codec, errors="replace"):
        if ch.isalpha():
            counts[char_class(ch)] = counts.get(char_class(ch), 0) + 1
    return max(counts, key=counts.__getitem__)


def _char_class(chars: Iterable[str]) -> str:
    return "[" + re.escape("".join(sorted(set(chars)))) + "]"


# -- candidates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """``line[start:end]`` read back as ``codec``: ``replacement``; ``gain`` is the
    log-likelihood ratio in bits (positive: the replacement is the likelier text)."""

    start: int
    end: int
    replacement: str
    codec: str
    gain: float


def _decoded_pieces(data: bytes, family: tuple[str, ...]) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, text, codec)`` for the stretches of ``data`` that a member of the
    family decodes strictly: the whole run when it can, else the pieces between the
    bytes that fail."""
    for codec in family:
        try:
            yield 0, len(data), data.decode(codec), codec
            return
        except UnicodeDecodeError:
            continue
    codec = family[0]
    pos = 0
    while pos < len(data):
        try:
            text = data[pos:].decode(codec)
        except UnicodeDecodeError as error:
            if error.start:
                yield pos, pos + error.start, data[pos:pos + error.start].decode(codec), codec
            pos += error.start + 1
            continue
        yield pos, len(data), text, codec
        return


def _trim(original: str, replacement: str) -> tuple[int, int, str]:
    """Drop the characters a repair leaves unchanged at either end: ``(cut at start,
    cut at end, shorter replacement)``."""
    head = 0
    limit = min(len(original), len(replacement))
    while head < limit and original[head] == replacement[head]:
        head += 1
    tail = 0
    while (tail < limit - head and original[-1 - tail] == replacement[-1 - tail]):
        tail += 1
    return head, tail, replacement[head:len(replacement) - tail]


def _gain(m: CharModel, line: str, start: int, end: int, replacement: str) -> float:
    """Bits of evidence that ``replacement`` rather than ``line[start:end]`` belongs
    there: the character model's costs in context, corrected by letter pairs."""
    left = line[start - 1] if start else " "
    right = line[end] if end < len(line) else " "
    original = line[start:end]
    before = m.state_before(line, start)
    kept, state = m.cost_from(before, _fold_capitals(left, original, right))
    kept += m.closing_cost(state, line, end)
    fixed, state = m.cost_from(before, _fold_capitals(left, replacement, right))
    fixed += m.closing_cost(state, line, end)
    return (kept - fixed) + (_pair_bits(left + replacement + right)
                             - _pair_bits(left + original + right))


_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _fold_capitals(left: str, text: str, right: str) -> str:
    """``text`` with its all-capital words written as capitalised words.

    The character model prices every capital letter on its own, but capitals come in
    whole words (``ООО``, ``ЛУКОЙЛ``, headlines): a word in capitals is scored as the
    same word capitalised, so only the case *inside* a word (``рТЙЧЕФ``) counts against
    a text. ``left``/``right`` are the characters around ``text``: a word that goes on
    outside ``text`` is folded only if it is in capitals there too.

    >>> _fold_capitals(" ", "ООО ЛУКОЙЛ рТЙЧЕФ", " ")
    'Ооо Лукойл рТЙЧЕФ'
    """
    if not any(ch.isupper() for ch in text):
        return text
    whole = left + text + right
    folded = _WORD_RE.sub(lambda w: w[0] if not w[0].isupper() else w[0][0] + w[0][1:].lower(),
                          whole)
    return folded[len(left):len(folded) - len(right)]


_LN2 = math.log(2)


@lru_cache(maxsize=8192)
def _pair_bits(text: str) -> float:
    """Letter-pair evidence for ``text`` in bits: the pointwise mutual information of its
    adjacent characters (pairs with a non-ASCII member) under the best-fitting language
    model of its script (:mod:`mojifix.langmodel`), 0 for scripts without pair
    statistics. Added to the character model's unigram costs, this turns them into
    bigram costs: it tells ``привет`` from ``опхбер``, which have like letters."""
    models = _pair_models(text)
    if not models:
        return 0.0
    normalized = normalize_for_pairs(text)
    pairs = [normalized[i:i + 2] for i in range(len(normalized) - 1)
             if normalized[i] >= "\x80" or normalized[i + 1] >= "\x80"]
    if not pairs:
        return 0.0
    best = max(sum(table.get(pair, UNSEEN_PAIR) for pair in pairs) for table in models)
    return best / _LN2


_SCRIPT_OF_CLASS = {CLASSES.index(name): name for name in
                    ("LATIN", "GREEK", "CYRILLIC", "HEBREW", "ARABIC", "THAI")}


def _pair_models(text: str) -> list[Mapping[str, float]]:
    """Pair tables of the languages written in the script most of ``text``'s letters
    are in (none for scripts the language models have no pairs for)."""
    script = _main_script(text)
    if script is None:
        return []
    return [lm.pairs for lm in models_by_script().get(script, ()) if lm.pairs]


def _main_script(text: str) -> str | None:
    """The script most of ``text``'s letters are in, among those with pair statistics."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch >= "\x80" or ch.isalpha():
            script = _SCRIPT_OF_CLASS.get(char_class(ch))
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def pair_evidence(words: list[str], script_text: str) -> tuple[float, int, str] | None:
    """``(summed PMI, pairs, script)`` of the letter pairs with a non-ASCII member of
    ``words`` (joined by spaces) under the best-fitting pair table of the main script of
    ``script_text``; None when that script has no tables or the words no such pair."""
    script = _main_script(script_text)
    models = [lm.pairs for lm in models_by_script().get(script, ()) if lm.pairs] if (
        script is not None) else []
    if not models:
        return None
    normalized = normalize_for_pairs(" " + " ".join(words) + " ")
    pairs = [normalized[i:i + 2] for i in range(len(normalized) - 1)
             if normalized[i] >= "\x80" or normalized[i + 1] >= "\x80"]
    if not pairs:
        return None
    return max(sum(t.get(p, UNSEEN_PAIR) for p in pairs) for t in models), len(pairs), script


def _pairs_read_like_language(words: list[str], script_text: str) -> bool:
    """Whether the letter pairs of ``words`` reach ``LANGUAGE_MIN_PMI`` of their script
    on average (true where there is nothing to measure)."""
    evidence = pair_evidence(words, script_text)
    if evidence is None:
        return True
    total, count, script = evidence
    return total >= LANGUAGE_MIN_PMI.get(script, LANGUAGE_MIN_PMI_OTHER) * count


@dataclass(frozen=True)
class _Run:
    """A run of a line (``line[start:end]``), its bytes under the reading, and whether
    it shows the reading's tell-tale pattern on its own (a *seed*)."""

    start: int
    end: int
    data: bytes
    seed: bool


def _runs(line: str, read: Reading) -> list[_Run]:
    out = []
    for match in read.run.finditer(line):
        run = match.group()
        data = run.translate(read.table).encode("latin-1")
        seed = read.seed.search(line, match.start(), match.end()) is not None
        out.append(_Run(match.start(), match.end(), data, seed))
    return out


def _run_candidates(m: CharModel, line: str, run: _Run,
                    family: tuple[str, ...]) -> Iterator[Candidate]:
    for lo, hi, text, codec in _decoded_pieces(run.data, family):
        original = line[run.start + lo:run.start + hi]
        head, tail, replacement = _trim(original, text)
        if head + tail >= len(original) and not replacement:
            continue
        start = run.start + lo + head
        end = run.start + hi - tail
        yield Candidate(start, end, replacement, codec, _gain(m, line, start, end, replacement))


def family_candidates(m: CharModel, line: str, runs: list[_Run],
                      family: tuple[str, ...]) -> list[Candidate]:
    """The family's strict readings of every run of ``line``, scored in place; none at
    all unless the reading of some seed run gains (most families are dismissed after
    scoring a seed or two)."""
    found = [c for run in runs if run.seed for c in _run_candidates(m, line, run, family)]
    if not any(c.gain > 0 for c in found):
        return []
    found += [c for run in runs if not run.seed for c in _run_candidates(m, line, run, family)]
    return found


# -- the decision -------------------------------------------------------------------------

def _layout(line: str, found: list[Candidate], chosen: list[bool]) -> tuple[str, list[int]]:
    """``line`` with the chosen candidates applied, and where each candidate (applied
    or not) starts in it. ``found`` is sorted and its candidates do not overlap."""
    pieces: list[str] = []
    starts: list[int] = []
    position = length = 0
    for cand, use in zip(found, chosen):
        pieces.append(line[position:cand.start])
        length += cand.start - position
        starts.append(length)
        piece = cand.replacement if use else line[cand.start:cand.end]
        pieces.append(piece)
        length += len(piece)
        position = cand.end
    pieces.append(line[position:])
    return "".join(pieces), starts


@dataclass(frozen=True)
class Repair:
    """One run of a line read back: its gain in the line as repaired (bits) and the
    prior it has to beat there."""

    candidate: Candidate
    gain: float
    prior: float

    @property
    def confidence(self) -> float:
        return probability(self.gain - self.prior)


@dataclass(frozen=True)
class LineReading:
    """The best explanation of a line by one (reading, legacy family) pair."""

    reading: str
    family: str
    repairs: tuple[Repair, ...]
    explained: float  # bits: the sum of the gains of the repaired runs
    evidence: float  # bits: the sum of the gains of all its runs, repaired or not


#: How often the candidates of a line are judged again in the line as the others left it.
ROUNDS = 3


def _priors(gains: list[float]) -> list[float]:
    """The prior each run must beat: ``PRIOR_BITS`` less the evidence of the other runs
    of the line, at least ``-LINE_BITS`` (see there) and at most ``PRIOR_BITS``."""
    total = sum(gains)
    return [min(PRIOR_BITS, max(-LINE_BITS, PRIOR_BITS - (total - g))) for g in gains]


def _read_line(m: CharModel, line: str, found: list[Candidate], reading_name: str,
               family: str) -> LineReading | None:
    """Choose the runs to read back, each judged in the line as the other choices leave
    it (a short Cyrillic word is judged between Cyrillic words, not between mojibake),
    until the choice settles.

    Pairs compete on what they explain (the gains of the runs they repair). The prior
    of each run is paid by the evidence of the others, where all runs count, those left
    alone too: a wrong decoder mangles a whole string, so what the line would lose if it
    had all been read this way speaks against reading any of it so (a line of genuine
    Russian with a few acronyms is not KOI8-R read as cp1251 because the acronyms look
    better in small letters).
    """
    found = sorted(found, key=lambda c: c.start)
    gains = [c.gain for c in found]
    if not any(g > 0 for g in gains):
        return None
    chosen = [g > min(0.0, p) for g, p in zip(gains, _priors(gains))]
    for _ in range(ROUNDS):
        text, starts = _layout(line, found, chosen)
        for i, (cand, use, start) in enumerate(zip(found, chosen, starts)):
            if use:
                end = start + len(cand.replacement)
                gains[i] = -_gain(m, text, start, end, line[cand.start:cand.end])
            else:
                gains[i] = _gain(m, text, start, start + cand.end - cand.start,
                                 cand.replacement)
        priors = _priors(gains)
        settled = [g > min(0.0, p) for g, p in zip(gains, priors)]
        if settled == chosen:
            break
        chosen = settled
    priors = _priors(gains)
    repairs = tuple(Repair(c, g, p) for c, g, p, use in zip(found, gains, priors, chosen)
                    if use and g > min(0.0, p))
    if not repairs:
        return None
    return LineReading(reading_name, family, repairs, sum(g for g in gains if g > 0), sum(gains))


def read_line(line: str, m: CharModel | None = None) -> LineReading | None:
    """The (reading, legacy family) pair that explains ``line`` best, or None.

    A reading whose seed runs all decode as UTF-8 is skipped: that is UTF-8 read as a
    single-byte codec, the Latin engine's work. UTF-8 also competes as a family, so a
    line that it explains best is left alone even where some runs do not decode.
    """
    m = m or model()
    best: LineReading | None = None
    for name in READINGS:
        read = reading(name)
        if not read.seed.search(line) or _rival(name).search(line):
            continue
        try:
            if is_utf8_beyond_ascii(line.translate(read.table).encode("latin-1")):
                continue  # the whole line: the commonest case, checked at once
        except UnicodeEncodeError:
            pass
        runs = _runs(line, read)
        if all(is_utf8_beyond_ascii(run.data) for run in runs if run.seed):
            continue
        for family in read.families:
            found = family_candidates(m, line, runs, family)
            if not found:
                continue
            result = _read_line(m, line, found, name, family[0])
            if result is not None and (best is None or result.explained > best.explained):
                best = result
    return best


def _read_as(read: Reading, original: str) -> str:
    if read.name == "cp1252" and (
        all(ch < "\u0100" for ch in original) or any(ch in read.c1_only for ch in original)
    ):
        return "latin-1"
    return read.name


def _line_edits(line: str, offset: int, options: Options, m: CharModel,
                whole: _WholeText | None = None) -> list[Edit]:
    edits = _reading_edits(line, offset, options, m)
    if any(edit.confidence >= options.min_confidence for edit in edits):
        return edits
    return _reread_edits(line, offset, options, whole) or edits


def _reading_edits(line: str, offset: int, options: Options, m: CharModel) -> list[Edit]:
    best = read_line(line, m)
    if best is None or best.family == UTF8_FAMILY[0]:
        return []
    if any(r.confidence >= options.min_confidence for r in best.repairs):
        if (_too_little(line, best) or _glued_to_foreign_letters(line, best)
                or _reads_like_noise(m, line, best) or not _reads_like_language(m, line, best)
                or _utf8_explains_better(m, line, best)):
            return []
    read = reading(best.reading)
    edits: list[Edit] = []
    for repair in best.repairs:
        cand, confidence = repair.candidate, repair.confidence
        if confidence < REPORT_FLOOR:
            continue
        layer = Layer(cand.codec, _read_as(read, line[cand.start:cand.end]))
        edits.append(Edit(offset + cand.start, offset + cand.end, cand.replacement,
                          (layer,), confidence))
    return edits


def _too_little(line: str, best: LineReading) -> bool:
    """Whether the repairs rest on too little: fewer than ``MIN_EVIDENCE_CHARS``
    characters, or distinct characters (a three-letter string like ``ãúð`` reads as some
    word of some language too often), or less than half of the line's upper-half
    characters. A wrong decoder
    mangles a whole string; a reading that explains a word here and there of a line
    full of such characters is chance."""
    read = reading(best.reading)
    applied = [r.candidate for r in best.repairs if r.gain > r.prior]
    chars = sum(c.end - c.start for c in applied)
    decoded = sum(len(c.replacement) for c in applied)
    high = sum(1 for ch in line if ch in read.to_byte)
    # One character repeated is one character of evidence (``¢¢¢¢¢¢``, a test string of
    # CPython, reads as EUC-JP ``□□□``).
    if len({ch for c in applied for ch in line[c.start:c.end]}) < MIN_EVIDENCE_CHARS:
        return True
    # A double-byte reading must pair the bytes right at every character, a further
    # constraint that a single-byte one (any byte is a letter) lacks: it needs fewer.
    if decoded < chars or not all(line[c.start:c.end].isalpha() for c in applied):
        return chars < MIN_EVIDENCE_CHARS or 2 * chars <= high
    # Letters read as other letters: letter statistics are all the evidence there is.
    longest = max(c.end - c.start for c in applied)
    return (chars < MIN_EVIDENCE_CHARS_SINGLE_BYTE or longest < MIN_EVIDENCE_CHARS
            or 2 * chars <= high)


def _glued_to_foreign_letters(line: str, best: LineReading) -> bool:
    """Whether a repair touches a letter the reading codec cannot produce (``و—¥و``:
    UTF-8 read as cp1256, where cp1252 symbols stand between Arabic letters). Text that
    went through the reading has none; one glued to the run says the run is something
    else's, though a line may well hold such letters apart from the mojibake (a clean
    value beside a mangled one)."""
    read = reading(best.reading)
    for repair in best.repairs:
        if repair.gain <= repair.prior:
            continue
        cand = repair.candidate
        for index in (cand.start - 1, cand.end):
            if 0 <= index < len(line):
                ch = line[index]
                if ch >= "\x80" and ch not in read.to_byte and ch.isalpha():
                    return True
    return False


def _reads_like_noise(m: CharModel, line: str, best: LineReading) -> bool:
    """Whether the repaired spans cost more than genuine text does, by more than
    ``NOISE_SPAN_BITS`` per span on average, beyond ``GENUINE_BITS_PER_CHAR``.

    A hopeless garble of Latin-1 symbols is so unlikely that almost any decoding of its
    bytes (rare kanji, half-width katakana) is likelier still; that makes the decoding
    more plausible than the garble, not plausible as text.
    """
    applied = [r.candidate for r in best.repairs if r.gain > r.prior]
    if not applied:
        return False
    excess = 0.0
    for cand in applied:
        cost, state = m.cost_from(m.state_before(line, cand.start), cand.replacement)
        cost += m.closing_cost(state, line, cand.end)
        excess += cost - GENUINE_BITS_PER_CHAR * len(cand.replacement)
    return excess / len(applied) > NOISE_SPAN_BITS


def _reads_like_language(m: CharModel, line: str, best: LineReading) -> bool:
    """Whether the repaired text reads like a language rather than letters drawn at
    random, which a codec permutes into other random letters just as likely.

    - Ideographs, kana and hangul must be common ones on average (at most
      ``COMMON_CJK_BITS`` within their class): the legacy character sets put common
      characters where text's bytes fall, random bytes land on rare ones.
    - Letters of a script with pair statistics must follow each other as in a
      language: a mean pointwise mutual information of at least ``LANGUAGE_MIN_PMI``
      (by script)
      over the pairs with a non-ASCII member of the words the repairs touch.
    """
    applied = [r.candidate for r in best.repairs if r.gain > r.prior]
    if not applied:
        return True
    replaced = "".join(c.replacement for c in applied)
    ideographic = [m.unigram(ch) for ch in replaced if char_class(ch) in _CJK_CLASSES]
    if ideographic and sum(ideographic) / len(ideographic) > COMMON_CJK_BITS:
        return False
    repaired, starts = _layout(line, applied, [True] * len(applied))
    # The repaired spans, out to the ends of the words they touch.
    pieces = []
    for cand, start in zip(applied, starts):
        end = start + len(cand.replacement)
        while start > 0 and repaired[start - 1].isalpha():
            start -= 1
        while end < len(repaired) and repaired[end].isalpha():
            end += 1
        pieces.append(repaired[start:end])
    return _pairs_read_like_language(pieces, replaced)


_CJK_CLASSES = frozenset(CLASSES.index(name) for name in
                         ("HAN", "HANGUL", "HIRAGANA", "KATAKANA", "HALFWIDTH_KANA"))


def _utf8_explains_better(m: CharModel, line: str, best: LineReading) -> bool:
    """Whether ``line`` is UTF-8 read as a single-byte codec after all, with the
    variants strict UTF-8 misses (lost bytes, CESU-8, MacRoman, ...): ftfy's encoding
    repair re-decodes the whole line, or makes a likelier line than the legacy reading
    does. Then the line is the Latin engine's."""
    fixed, plan = ftfy.fix_encoding_and_explain(line)
    if fixed == line:
        return False
    if any(step[0] == "decode" and step[1].startswith("utf-8") for step in plan or ()):
        return True
    ours, _ = _layout(line, [r.candidate for r in best.repairs], [True] * len(best.repairs))
    return _gain(m, line, 0, len(line), fixed) >= _gain(m, line, 0, len(line), ours)


def _reread_edits(line: str, offset: int, options: Options,
                  whole: _WholeText | None = None) -> list[Edit]:
    """Edits that read ``line`` back with a legacy codec of the reading's own script
    (see ``REREADS``), when the whole line reads as likelier language that way.

    The runs and gains of :func:`read_line` say little here: the re-read changes a
    letter here and there into another letter (``megfelelõ`` for ``megfelelő``), and
    whether that is right depends on the language of the whole line. So the line's
    bytes are scored under both codecs with the language models of encoding detection
    (:func:`mojifix.scoring.reading_scores`: letters and letter pairs per language,
    with the ASCII letters around them saying which language it is), and the re-read
    must win by ``REREAD_BITS``. Lines that are UTF-8 read as a single-byte codec are
    left to the Latin engine, and the repaired words must read like a language.

    A line of a longer text is not scored when the text as a whole (``whole``) reads
    better as it is: a wrong decoder mangles whole texts, and genuine Estonian or
    French, whose lines are full of ``õ`` or ``œ``, costs one score instead of one
    per line.
    """
    for name in READINGS:
        read = reading(name)
        codecs = [codec for codec in read.rereads if not _reads_better_as_is(whole, name, codec)]
        if not codecs or _foreign(read.name).search(line) or not read.suspect.search(line):
            continue  # characters the reading cannot produce: not its mojibake
        data = line.translate(read.table).encode("latin-1")
        if is_utf8_beyond_ascii(data):
            continue  # UTF-8 read as the reading codec: the Latin engine's (checked cheaply)
        for codec in codecs:
            scores = reading_scores(data, (read.name, codec))
            bits = (scores[codec] - scores[read.name]) / _LN2
            confidence = probability(bits - REREAD_BITS)
            if not confidence >= options.min_confidence:
                continue
            text = data.decode(codec, errors="replace")
            if "\ufffd" in text or ftfy.fix_encoding(line) != line:
                continue
            found = [Candidate(start, end, text[start:end], codec, bits)
                     for start, end in changed_spans(line, text)]
            applied = LineReading(name, codec, tuple(Repair(c, bits, REREAD_BITS) for c in found),
                                  bits, bits)
            if not found or not _words_read_like_language(text):
                continue
            notes: tuple[str, ...] = ()
            if not _shows_misreading(line, text):
                # Only accents swapped (õ for ő): what writers do too. Reported, not
                # applied; the text as a whole may still show the misreading.
                confidence, notes = min(confidence, ACCENT_SWAP_CONFIDENCE), (ACCENT_SWAP_NOTE,)
            elif sum(c.end - c.start for c in found) < MIN_EVIDENCE_CHARS:
                # One letter in a short line (Sardinian ``Fenìtziu`` as Czech
                # ``Fenětziu``): the language models' preference rests on too little.
                confidence, notes = min(confidence, ACCENT_SWAP_CONFIDENCE), (FEW_CHANGES_NOTE,)
            return [Edit(offset + c.start, offset + c.end, c.replacement,
                         (Layer(codec, _read_as(read, line[c.start:c.end])),), confidence,
                         notes=notes)
                    for c in found]
    return []


@lru_cache(maxsize=None)
def _rival(name: str) -> re.Pattern[str]:
    """A character another reading codec produces and ``name`` cannot (``Ð`` of cp1252
    for cp1254, ``Ğ`` of cp1254 for cp1252): a line holding one was not read with
    ``name``. Never matches when ``name`` is the only reading."""
    own = reading(name).to_byte
    others = {ch for other in READINGS if other != name for ch in reading(other).to_byte
              if ch not in own}
    return re.compile("[" + re.escape("".join(sorted(others))) + "]" if others else "(?!)")


@lru_cache(maxsize=None)
def _foreign(name: str) -> re.Pattern[str]:
    """A character the reading codec ``name`` cannot produce."""
    read = reading(name)
    return re.compile("[^\\x00-\\x7f" + re.escape("".join(sorted(read.to_byte))) + "]")


_NON_ASCII_WORD_RE = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")


def _words_read_like_language(text: str) -> bool:
    """Whether the words of ``text`` that hold a non-ASCII letter follow each other's
    letters as in a language: the test of :func:`_reads_like_language`, over every
    such word of a re-read line, not only the changed ones (a re-read changes a letter
    here and there; the words around it say which language the line is in)."""
    words = _NON_ASCII_WORD_RE.findall(text)
    return _pairs_read_like_language(words, "".join(words))


@lru_cache(maxsize=4096)
def _accent_swap(before: str, after: str) -> bool:
    """Whether ``before`` stands for ``after`` as one accented letter for another of the
    same base letter and case (``õ`` for ``ő``, ``û`` for ``ű``, ``ñ`` for ``ń``).

    >>> _accent_swap("õ", "ő"), _accent_swap("è", "č"), _accent_swap("³", "ł")
    (True, False, False)
    """
    one, other = unicodedata.normalize("NFD", before), unicodedata.normalize("NFD", after)
    return (len(one) > 1 and len(other) > 1 and one[0] == other[0] and one[0].isalpha()
            and unicodedata.category(one[1]) == unicodedata.category(other[1]) == "Mn")


def _shows_misreading(before: str, after: str) -> bool:
    """Whether a re-read of ``before`` (giving ``after``, of the same length) changes
    some character that is not merely an accent swap (``_accent_swap``).

    A re-read that only puts ``ő`` for ``õ`` and ``ű`` for ``û`` turns plausible text
    into plausible text: writers whose keyboard or code page lacked the letter typed
    the nearest one (Hungarian through Latin-1 is full of ``õ``), and those bytes are
    the very ones cp1250 text read as cp1252 gives. The language models prefer the
    re-read either way, so their margin is no evidence; a character that the original
    reading makes implausible is (``³`` inside a word for ``ł``, ``è`` for ``č``, a C1
    control), and one such change anywhere in the text re-read is enough.

    >>> _shows_misreading("fekvõ erdõ", "fekvő erdő"), _shows_misreading("spo³eczny", "społeczny")
    (False, True)
    """
    return any(a != b and not _accent_swap(a, b) for a, b in zip(before, after))


def find_legacy_edits(text: str, options: Options) -> list[Edit]:
    """Propose edits that undo legacy text read as a single-byte codec.

    >>> [(e.replacement, str(e.chain[0])) for e in find_legacy_edits("ÄãºÃ£¬ÊÀ½ç", Options())]
    [('你好，世界', 'gbk read as latin-1')]
    """
    if text.isascii():
        return []
    m = model()
    edits: list[Edit] = []
    whole = _WholeText(text) if "\n" in text.rstrip("\n") else None
    for offset, line in _suspect_lines(text):
        edits.extend(_line_edits(line, offset, options, m, whole))
    if whole is not None and whole.used:
        # A line whose re-read only swaps accents was reported, not repaired: the text
        # as a whole may show the misreading and repair it.
        taken = {edit.start for edit in edits
                 if ACCENT_SWAP_NOTE not in edit.notes and FEW_CHANGES_NOTE not in edit.notes}
        edits.extend(_text_reread_edits(whole, options, taken))
    return edits


class _WholeText:
    """A multi-line text's re-read evidence, computed once and only when asked: for a
    reading codec, its lines that the codec can produce and that hold non-ASCII
    characters (up to ``SAMPLE_BYTES`` of them, enough to decide on) as bytes, and per
    legacy codec how many bits likelier they are as that codec's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.used = False
        self._samples: dict[str, tuple[list[tuple[int, str]], list[bytes], bool]] = {}
        self._bits: dict[tuple[str, str], float | None] = {}

    def sample(self, name: str) -> tuple[list[tuple[int, str]], list[bytes], bool]:
        """``(lines, their bytes, whether the text holds more such lines)``."""
        if name not in self._samples:
            read, foreign = reading(name), _foreign(name)
            lines: list[tuple[int, str]] = []
            data: list[bytes] = []
            size = 0
            more = False
            for offset, line in _lines(self.text):
                if line.isascii() or foreign.search(line):
                    continue
                if size >= SAMPLE_BYTES:
                    more = True
                    break
                lines.append((offset, line))
                data.append(line.translate(read.table).encode("latin-1"))
                size += len(line)
            self._samples[name] = (lines, data, more)
        return self._samples[name]

    def bits(self, name: str, codec: str) -> float | None:
        """How much likelier (bits) the sample is as ``codec`` than as ``name``; None
        when fewer than two lines make it up (then each line speaks for itself)."""
        self.used = True
        key = (name, codec)
        if key not in self._bits:
            lines, data, _ = self.sample(name)
            if len(lines) < 2:
                self._bits[key] = None
            else:
                scores = reading_scores(b"".join(data), (name, codec))
                self._bits[key] = (scores[codec] - scores[name]) / _LN2
        return self._bits[key]


def _reads_better_as_is(whole: _WholeText | None, name: str, codec: str) -> bool:
    if whole is None:
        return False
    bits = whole.bits(name, codec)
    return bits is not None and bits < 0


def _text_reread_edits(whole: _WholeText, options: Options, taken: set[int]) -> list[Edit]:
    """The re-read of :func:`_reread_edits`, decided for a whole text at once.

    A wrong decoder mangles a whole file, and a line of it may hold too little to tell
    (``značilnosti`` read as ``znaèilnosti``, one letter in 80): when the lines of the
    text that hold non-ASCII characters read as likelier language under the legacy
    codec by ``REREAD_BITS`` all together, each of them that does not read better as
    it is on its own is read back, unless another repair already starts on it.
    """
    for name in READINGS:
        read = reading(name)
        for codec in read.rereads:
            bits = whole.bits(name, codec)
            if bits is None:
                continue
            confidence = probability(bits - REREAD_BITS)
            if not confidence >= options.min_confidence:
                continue
            lines, data, more = whole.sample(name)
            texts = [piece.decode(codec, errors="replace") for piece in data]
            joined = "".join(texts)
            if "\ufffd" in joined or not _words_read_like_language(joined):
                continue
            if not _shows_misreading("".join(line for _, line in lines), joined):
                continue  # only accents swapped all through the text: its lines speak alone
            if more:
                foreign = _foreign(name)
                lines = [(offset, line) for offset, line in _lines(whole.text)
                         if not line.isascii() and not foreign.search(line)]
                data = [line.translate(read.table).encode("latin-1") for _, line in lines]
                texts = [piece.decode(codec, errors="replace") for piece in data]
            edits: list[Edit] = []
            for (offset, line), piece, decoded in zip(lines, data, texts):
                spans = changed_spans(line, decoded)
                if not spans or any(offset <= start < offset + len(line) for start in taken):
                    continue
                own = reading_scores(piece, (read.name, codec))
                if own[codec] < own[read.name] or ftfy.fix_encoding(line) != line:
                    continue
                edits += [Edit(offset + start, offset + end, decoded[start:end],
                               (Layer(codec, _read_as(read, line[start:end])),), confidence)
                          for start, end in spans]
            return edits
    return []


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of every line, its newline kept; lazily (callers stop early)."""
    offset = 0
    while offset < len(text):
        end = text.find("\n", offset) + 1 or len(text)
        yield offset, text[offset:end]
        offset = end


def _suspect_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of the lines that some reading's prefilter flags.

    A few regex scans over the whole text (one per kind of prefilter) find candidate
    lines; only those are checked with each reading's own prefilter. Clean text costs
    the scans and nothing more.
    """
    flagged: dict[int, int] = {}
    for quick in _quick_patterns():
        position = 0
        while True:
            match = quick.search(text, position)
            if match is None:
                break
            start = text.rfind("\n", 0, match.start()) + 1
            newline = text.find("\n", match.end() - 1)
            end = len(text) if newline < 0 else newline + 1
            flagged[start] = end
            position = end
    patterns = list(_quick_patterns())
    for start in sorted(flagged):
        line = text[start:flagged[start]]
        if any(pattern.search(line) for pattern in patterns):
            yield start, line


def triggers() -> tuple[re.Pattern[str], ...]:
    """Patterns one of which matches every text this engine would change (see
    :mod:`mojifix.gate`): each reading's prefilter, by which :func:`find_legacy_edits`
    picks its lines (a whole-text re-read, too, only follows a picked line).

    >>> any(p.search("ÄãºÃ£¬ÊÀ½ç") for p in triggers()), any(p.search("café") for p in triggers())
    (True, False)
    """
    return _quick_patterns()


@lru_cache(maxsize=1)
def _quick_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(reading(name).suspect for name in READINGS)
