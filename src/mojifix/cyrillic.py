"""Cyrillic text read with another Cyrillic code page: ``оПХБЕР`` for ``Привет``.

cp1251 (Windows), KOI8-R (Unix, e-mail) and cp866 (DOS) all give the Cyrillic alphabet
the upper half of a byte, in different orders (KOI8-R with the cases swapped against
cp1251), and most letters of one are letters of another. Text written in one and read with the other keeps every
byte and stays Cyrillic, but turns into capitals with a small letter in front
(``оПХБЕР``) or the reverse: no other engine sees anything odd in it, and nothing is
lost, so the repair is exact.

1. **Lines.** Only lines with at least :data:`MIN_LETTERS` Cyrillic letters are looked at
   (:data:`TRIGGER` is the engine's entry in :mod:`mojifix.gate`), and first only those
   that look misread: as many capitals as small letters (KOI8-R and cp1251 turn each
   other's small letters, most of any text, into capitals), a small letter before a
   capital inside a word (a capitalised word swapped, ``оПХБЕР``), or box drawing
   glued to a letter (cp1251 read as cp866). Regex counts: clean text costs no scoring.
2. **Scoring.** For each pair of :data:`PAIRS`, the line's bytes under the code page it
   was read with are scored as language under both code pages with the detector's
   models (:func:`mojifix.scoring.reading_scores`: letter frequencies, letter pairs,
   case and structure). The gain is how much likelier, in bits, the bytes are as text of
   the other code page.
3. **Decision.** The repaired line must read as language (:data:`LANGUAGE_FLOORS`), and
   a wrong decoder mangles a whole text, so lines are judged together: a line of at
   least :data:`MIN_LETTERS_ALONE` letters whose gain beats :data:`PRIOR_BITS` is
   repaired, and once one is, the other lines (whatever their case) are scored too and
   beat a lower bar with the same pair (:data:`CONTEXT_PRIOR_BITS`): a one-word heading
   cannot prove itself.

Each repair is explained as ``Layer(written_as=<code page written>, read_as=<code page
read>)``.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .edits import Edit
from .options import Options
from .plausibility import probability
from .result import Layer
from .scoring import is_utf8_beyond_ascii, reading_scores

#: ``(written_as, read_as)``: the code pages text is written in and wrongly read with:
#: Windows and KOI8-R, Windows and DOS (``ЏаЁўҐв`` for ``Привет`` written in cp866,
#: ``╧ЁштхЄ`` for cp1251 on a DOS console), each way round.
PAIRS: tuple[tuple[str, str], ...] = (("cp1251", "koi8_r"), ("koi8_r", "cp1251"),
                                      ("cp866", "cp1251"), ("cp1251", "cp866"))

#: Prior odds against a line being swapped, in bits. Whole genuine lines of the corpus
#: (``tests/fixtures/clean_paragraphs.jsonl``, both halves) gain -36 bits at most from a
#: swap; short genuine strings of capitals gain up to 8 (``ЭВМ``: acronyms read either
#: way are noise). 24 leaves those 16 bits (odds of 65,000 to 1); mojibake lines of two
#: words and more gain 25 bits and far more.
PRIOR_BITS = 24.0

#: The bar for a line of a text where another line beats :data:`PRIOR_BITS` with the
#: same pair: more likely swapped than not, with a margin for noise.
CONTEXT_PRIOR_BITS = 4.0

#: Lines with fewer Cyrillic letters are not looked at: too little to judge.
MIN_LETTERS = 3

#: A line must have this many Cyrillic letters, counted once per distinct run of
#: non-ASCII characters, to be repaired on its own evidence: strings of a few letters
#: (``ББ фБ``) swap into something as plausible (``аа Та``), and a run repeated
#: (``'ЉЊЈЁЂ', ..., 'ЉЊЈЁЂ'`` in a test of CPython's tokenizer) is no more evidence
#: than the run once.
MIN_LETTERS_ALONE = 8

#: What a repaired line must score as language, in nats per byte (the detector's full
#: score under the code page it was written in), per code page. Genuine lines of 8+
#: Cyrillic letters of the clean corpus and fixtures score at worst -2.68 in cp1251,
#: -2.88 in KOI8-R and -3.40 in cp866 (whose letters and box drawing the models know
#: less well); random strings of 8 to 60 Cyrillic letters at best -4.07, -4.07 and
#: -3.53. Each floor lies between, nearer the genuine side where the gap allows.
LANGUAGE_FLOORS: dict[str, float] = {"cp1251": -3.0, "koi8_r": -3.0, "cp866": -3.45}

#: A Cyrillic letter of the basic block, as every one of the code pages gives them (also
#: what the lines' letters are counted by).
TRIGGER = re.compile("[\u0400-\u045f]")
_RUN_RE = re.compile("[^\x00-\x7f]+")


def _cyrillic_class(test: str) -> str:
    """A character class of the Cyrillic block's characters for which ``str.<test>``."""
    return "[" + "".join(chr(c) for c in range(0x400, 0x500) if getattr(chr(c), test)()) + "]"


_CAPITALS = re.compile(_cyrillic_class("isupper"))
_SMALL = re.compile(_cyrillic_class("islower"))
_SMALL_THEN_CAPITAL = re.compile(_cyrillic_class("islower") + _cyrillic_class("isupper"))
_BOX_BY_LETTER = re.compile("[\u2500-\u259f][\u0400-\u045f]|[\u0400-\u045f][\u2500-\u259f]")


@lru_cache(maxsize=None)
def _swap_table(written: str, read: str) -> dict[int, str]:
    """What each character of ``read``'s upper half was written as in ``written``."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        try:
            seen = bytes([byte]).decode(read)
            meant = bytes([byte]).decode(written)
        except UnicodeDecodeError:
            continue
        if seen != meant:
            table[ord(seen)] = meant
    return table


def find_cyrillic_swap_edits(text: str, options: Options) -> list[Edit]:
    """Propose edits that undo cp1251 text read as KOI8-R, and KOI8-R read as cp1251.

    >>> [(e.replacement, str(e.chain[0])) for e in find_cyrillic_swap_edits(
    ...     "оПХБЕР, ЙЮЙ ДЕКЮ? яЕЦНДМЪ УНПНЬЮЪ ОНЦНДЮ.", Options())][:2]
    [('Привет', 'cp1251 read as koi8_r'), ('как', 'cp1251 read as koi8_r')]
    """
    if text.isascii() or TRIGGER.search(text) is None:
        return []
    lines: list[tuple[int, str, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        letters = len(TRIGGER.findall(line))
        if letters >= MIN_LETTERS:
            lines.append((offset, line.rstrip("\r\n"), letters))
        offset += len(line)
    # Scoring costs far more than counting: first only the lines whose case looks
    # swapped (most Cyrillic text is small letters, and both swaps turn small letters
    # into capitals); the rest only once one of them is confidently swapped.
    gains = {start: _gains(line) for start, line, letters in lines
             if letters >= MIN_LETTERS_ALONE and _looks_misread(line)
             and _letters_of_distinct_runs(line) >= MIN_LETTERS_ALONE}
    confident = {max(g, key=g.__getitem__) for g in gains.values()
                 if max(g.values()) > PRIOR_BITS}
    if not confident:
        return []
    edits: list[Edit] = []
    for start, line, _ in lines:
        line_gains = gains.get(start) or _gains(line)
        pair = max(line_gains, key=line_gains.__getitem__)
        prior = CONTEXT_PRIOR_BITS if pair in confident else PRIOR_BITS
        if line_gains[pair] > prior:
            edits.extend(_line_edits(start, line, pair, probability(line_gains[pair] - prior)))
    return edits


def _letters_of_distinct_runs(line: str) -> int:
    """The Cyrillic letters of ``line``, each distinct run of non-ASCII characters
    counted once (mojibake glues letters, symbols and no-break spaces into long runs)."""
    return sum(len(TRIGGER.findall(run)) for run in set(_RUN_RE.findall(line)))


def _looks_misread(line: str) -> bool:
    """As many capitals as small letters, a small letter followed by a capital inside a
    word (``оПХБЕР``, where a swap met a capitalised word), or box drawing glued to a
    letter (``╧ЁштхЄ``: DOS turns the capitals of cp1251 into box drawing)."""
    return (_SMALL_THEN_CAPITAL.search(line) is not None or _BOX_BY_LETTER.search(line)
            is not None or len(_CAPITALS.findall(line)) >= len(_SMALL.findall(line)))


def _gains(line: str) -> dict[tuple[str, str], float]:
    """For each pair, the bits by which the line's bytes under the code page it was read
    with read likelier as the code page it was written in; ``-inf`` where the reading
    cannot give the line, the bytes do not read as language (``LANGUAGE_FLOORS``), or
    the line is UTF-8 read as one of the code pages (``РџСЂРёРІРµС‚``, ``ц█sland``): the
    other engines' kind, which a swap would only garble. The line is encoded once per
    code page and scored once per reading."""
    gains = dict.fromkeys(PAIRS, -math.inf)
    data: dict[str, bytes] = {}
    for codec in _CODE_PAGES:
        try:
            data[codec] = line.encode(codec)
        except UnicodeEncodeError:
            continue
    if any(is_utf8_beyond_ascii(raw) for raw in data.values()):
        return gains
    for read, writers in _WRITERS_BY_READING.items():
        raw = data.get(read)
        if raw is None:
            continue  # a character the reading cannot give: not this mojibake
        scores = reading_scores(raw, (read, *writers))
        for written in writers:
            if scores[written] >= LANGUAGE_FLOORS[written] * len(raw):
                gains[written, read] = (scores[written] - scores[read]) / math.log(2)
    return gains


_CODE_PAGES = tuple(dict.fromkeys(codec for pair in PAIRS for codec in pair))
_WRITERS_BY_READING: dict[str, tuple[str, ...]] = {
    read: tuple(written for written, other in PAIRS if other == read)
    for read in dict.fromkeys(read for _, read in PAIRS)}


def _line_edits(start: int, line: str, pair: tuple[str, str], confidence: float) -> list[Edit]:
    """One edit per stretch of characters the swap changes."""
    repaired = line.translate(_swap_table(*pair))
    chain = (Layer(*pair),)
    edits: list[Edit] = []
    i = 0
    while i < len(line):
        if line[i] == repaired[i]:
            i += 1
            continue
        j = i
        while j < len(line) and line[j] != repaired[j]:
            j += 1
        edits.append(Edit(start + i, start + j, repaired[i:j], chain, confidence))
        i = j
    return edits
