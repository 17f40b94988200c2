"""Reconstruct what a lossy wrong decoder threw away.

When UTF-8 is read with a multi-byte codec (GBK, Big5, Shift_JIS, ...), byte pairs the
codec cannot decode are lost: dropped silently, or replaced by U+FFFD, ``?`` or ``・``
(see :mod:`mojifix.lossy_modes`). Re-encoding the mojibake with that codec gives back
every byte that survived, in order, with gaps where bytes were lost.

This module rebuilds the original text from those bytes:

1. every observed character becomes its bytes under the wrong codec (*cells*); a marker
   character becomes a hole of one or two unknown bytes; a character the codec cannot
   encode stays as it is (it was never part of this mis-decoding);
2. a search walks the cells left to right. Where the bytes are valid UTF-8 they are
   decoded exactly, a whole run at a time, so nothing around a loss is damaged (no
   resynchronisation). Where the UTF-8 structure breaks, a character is completed with
   unknown bytes, drawn from a vocabulary of real characters (most probable first); every lost
   piece must be one the codec really fails on given the bytes after it
   (:func:`~mojifix.lossy_modes.piece_fits`), checked as soon as those bytes are known;
3. candidates are ranked by :class:`~mojifix.lossy_score.ContextModel` (language,
   words, typography), only the best few per position go on (a beam), and the search
   carries the state of open quotes through the paragraph, so an open ``“`` earlier
   wants a ``”``;
4. a character no reading explains is kept as it was, at the price of text the model
   did not expect; so genuine text on the same line never blocks a reconstruction;
5. each reconstructed character gets a confidence from the max-marginals of the search
   (the best full reading that uses it against the best readings that use a rival).

Failure modes compete on equal terms: every observed character that is a marker in some
mode (``?``, ``・``, U+FFFD) is scored in every reading, whether as the marker of a loss
or as itself.

Characters the evidence cannot decide become U+FFFD, the honest mark of loss.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Iterable

from . import plausibility
from .cjk import char_bytes
from .edits import Edit
from .lines import cut_near
from .lossy_modes import CodecTable, LossMode, codec_table, piece_fits
from .lossy_score import (RIGHT_CONTEXT, ContextModel, char_class, frequency_source,
                          guess_languages)
from .options import DEFAULT_OPTIONS, Options
from .result import Guess, Layer

if TYPE_CHECKING:  # cjk imports this module lazily; at run time the stretch is duck-typed
    from .cjk import Undecodable

REPLACEMENT = "\ufffd"

#: At most this many bytes are assumed silently dropped inside one character.
MAX_DROPPED_PER_CHAR = 3

#: Candidates kept per position after ranking by context (the rest cannot win against
#: them unless the quote state or the next position overturns their order, and the
#: top few already cover those cases).
TOP_CANDIDATES = 20

#: Search states kept per byte position (a beam).
BEAM = 32

#: Per shape of a lost character, the candidates that pass the byte checks (taken in
#: order of prior probability), and how many vocabulary entries are tried at most.
SHAPE_CANDIDATES = 24
BLIND_CANDIDATES = 16
SHAPE_TRIES = 3000

#: Quote pairing, as probabilities of the events (log-space in the search): a closing
#: quote with none open, one that closes the open quote, an opening quote while one is
#: open, a paragraph that ends with a quote still open (allowed: multi-paragraph
#: quotations leave it open). Most apostrophes stand inside words (don’t, Russia’s);
#: the share that ends a word (Russians’) is small, after a letter other than s tiny.
UNMATCHED_CLOSE = math.log(0.02)
CLOSES_OPEN = math.log(0.9)
END_APOSTROPHE = math.log(0.1)
RARE_END_APOSTROPHE = math.log(0.01)
NESTED_OPEN = math.log(0.3)
UNCLOSED_AT_END = math.log(0.5)

#: A character kept as it was although its bytes do not fit the mis-decoding: the odds
#: that text on a line of mojibake was never part of it (a genuine word beside a mangled
#: one). Its own frequency is scored on top.
UNEXPLAINED = math.log(1e-3)

#: Bytes of an observed character that a reading split between characters and could
#: not explain: a dead end, kept only so that the search never fails.
ORPHAN = math.log(1e-12)

#: How many characters of left context a score sees (enough for a long word).
TAIL = 24

_KNOWN, _HOLE, _OPTIONAL, _OPAQUE = 0, 1, 2, 3

#: Expansion kinds: an intact run, a character rebuilt with lost bytes, a marker read as
#: the character it also is, an observed character kept unexplained, orphaned bytes.
_RUN, _LOST, _LITERAL, _KEPT, _ORPHAN = 0, 1, 2, 3, 4

#: Failure modes whose marker takes the byte after a bad one along only when that byte
#: is not ASCII (a two-byte hole may be one byte).
_ASCII_KEPT = frozenset((LossMode.WHATWG, LossMode.SUBSTITUTE))

#: The characters that stand for lost bytes in some failure mode.
MARKERS = frozenset(m.marker for m in LossMode if m.marker)


@dataclass(frozen=True)
class Reconstruction:
    """The original text rebuilt from a lossy mis-decoding, and how much was guessed.

    ``guesses`` index into ``text``. ``lost`` counts original characters that lost at
    least one byte (guessed or marked U+FFFD), ``intact`` those decoded exactly,
    ``kept`` observed characters left as they were because no reading explains them.
    ``earlier_loss`` counts U+FFFD characters whose bytes survived: the loss happened
    before this mis-decoding and cannot be undone.
    """

    text: str
    codec: str
    mode: LossMode
    guesses: tuple[Guess, ...]
    intact: int
    lost: int
    lost_bytes: int
    earlier_loss: int
    score: float
    notes: tuple[str, ...] = field(default=())
    kept: int = 0
    #: (index of the first observed character, output text) of every step of the reading.
    pieces: tuple[tuple[int, str], ...] = field(default=(), repr=False)
    #: Observed-character index of every cell (for splitting intact runs).
    cell_sources: tuple[int, ...] = field(default=(), repr=False)
    #: How many bytes each guess stands for (parallel to ``guesses``).
    guess_bytes: tuple[int, ...] = field(default=(), repr=False)

    def sources(self) -> tuple[int, ...]:
        """For every character of ``text``, the index of the observed character it starts
        in (non-decreasing)."""
        return self._sources

    @cached_property
    def _sources(self) -> tuple[int, ...]:
        # Computed once: :meth:`part` asks for it per span, and a long line has as many
        # spans as it has repairs.
        out: list[int] = []
        for first_cell, text in self.pieces:
            if len(text) == 1:
                out.append(self.cell_sources[first_cell])
                continue
            cell = first_cell
            for ch in text:
                out.append(self.cell_sources[cell])
                cell += _utf8_width(ch)
        return tuple(out)

    @cached_property
    def _positions(self) -> tuple[int, ...]:
        """``guesses``' positions, in order (they are made left to right)."""
        return tuple(g.position for g in self.guesses)

    def _span(self, start: int, end: int) -> tuple[int, int]:
        """``(lo, hi)``: the characters of ``text`` rebuilt from observed ``start:end``."""
        sources = self.sources()
        return bisect_left(sources, start), bisect_left(sources, end)

    def part(self, start: int, end: int) -> tuple[str, tuple[Guess, ...]]:
        """The text rebuilt from observed characters ``start:end``, with its guesses."""
        lo, hi = self._span(start, end)
        if lo >= hi:
            return "", ()
        positions = self._positions
        guesses = tuple(
            Guess(g.position - lo, g.text, g.confidence, g.alternatives)
            for g in self.guesses[bisect_left(positions, lo):bisect_left(positions, hi)]
        )
        return self.text[lo:hi], guesses

    def part_lost_bytes(self, start: int, end: int) -> int:
        """How many bytes the guesses of :meth:`part` stand for."""
        lo, hi = self._span(start, end)
        positions = self._positions
        first, last = bisect_left(positions, lo), bisect_left(positions, hi)
        return sum(self.guess_bytes[first:last])

    @property
    def reconstructed(self) -> int:
        """How many lost characters were given a guess (not U+FFFD)."""
        return sum(1 for g in self.guesses if g.text != REPLACEMENT)

    @property
    def confidence(self) -> float:
        """Mean confidence over the lost characters (1.0 when nothing was lost)."""
        if not self.guesses:
            return 1.0
        return sum(g.confidence for g in self.guesses) / len(self.guesses)


def _utf8_width(ch: str) -> int:
    code = ord(ch)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


# -- vocabulary ---------------------------------------------------------------------------

_BASE_RANGES = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B
    (0x0300, 0x036F),  # combining marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic
    (0x0530, 0x058F),  # Armenian
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x0900, 0x0DFF),  # Indic scripts (Devanagari ... Sinhala)
    (0x0E00, 0x0E7F),  # Thai
    (0x10A0, 0x10FF),  # Georgian
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20BF),  # currency
    (0x2100, 0x215F),  # letterlike, number forms
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x26FF),  # shapes, misc symbols
    (0x2700, 0x27BF),  # dingbats
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0xFF01, 0xFF65),  # full-width forms
    (0x1F300, 0x1F64F),  # emoji
    (0x1F680, 0x1F6FF),
    (0x1F900, 0x1F9FF),
)

#: Characters of the frequency tables rarer than this are left out of the vocabulary.
VOCAB_MIN_PROB = 1e-7


def _assigned(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc")


class _Vocabulary:
    """Every character worth proposing for a lost position, indexed by its UTF-8 bytes.

    One vocabulary for all languages (the union of the frequency tables and the ranges
    above): the language of the context ranks the candidates, it does not choose them.
    ``bucket(length, position, byte)`` lists the characters of that UTF-8 length with
    that byte at that position, ``bucket(length, position, byte, position2, byte2)``
    those with two given bytes; ``bucket(length)`` all of that length.
    """

    def __init__(self, chars: Iterable[str]) -> None:
        self.buckets: dict[tuple[int, ...], list[str]] = {}
        for ch in sorted(chars):
            data = ch.encode("utf-8")
            size = len(data)
            self.buckets.setdefault((size,), []).append(ch)
            for pos, b in enumerate(data):
                self.buckets.setdefault((size, pos, b), []).append(ch)
                for pos2 in range(pos + 1, size):
                    self.buckets.setdefault((size, pos, b, pos2, data[pos2]), []).append(ch)

    def bucket(self, *key: int) -> list[str]:
        return self.buckets.get(key, [])


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    from .lossy_tables import LANGUAGES

    chars: set[str] = set()
    for lo, hi in _BASE_RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    source = frequency_source()
    for lang in LANGUAGES:
        chars.update(ch for ch, p in source.chars(lang).items()
                     if p >= VOCAB_MIN_PROB and len(ch) == 1)
    chars = {ch for ch in chars if not ch.isascii() and _assigned(ch)}
    chars.update(chr(b) for b in range(0x20, 0x7F))
    return _Vocabulary(chars)


# -- the template: observed characters as bytes and holes ---------------------------------

#: Maximal stretches of well-formed UTF-8 (RFC 3629: no overlongs, no surrogates).
_UTF8_RE = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)

#: Bytes that never occur in UTF-8: a character whose bytes hold one is not (only) lossy
#: UTF-8 of that codec.
_NOT_UTF8_RE = re.compile(rb"[\xc0\xc1\xf5-\xff]")

#: Stand-in byte for cells that are not known bytes: never part of well-formed UTF-8.
_NOT_A_BYTE = 0xFF

#: One well-formed UTF-8 character.
_UTF8_CHAR_RE = re.compile(
    rb"[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@lru_cache(maxsize=16)
def _encoder(codec: str) -> dict[str, bytes | None]:
    return {}


@dataclass
class _Template:
    observed: str
    probe: bytes  # known bytes; _NOT_A_BYTE elsewhere
    kinds: bytes
    src: list[int]  # observed index per cell, plus len(observed) at the end
    unit_start: bytes  # 1 where a cell begins an observed character
    hole: list[int]  # hole number per cell (-1 for none)
    literal: dict[int, str]  # hole cell -> the marker as a character ("?")
    suspect: bytes  # 1 for cells of an observed character that is a marker in some mode
    tail: bytes  # the bytes after the text (``after`` re-encoded), for look-ahead

    @property
    def n(self) -> int:
        return len(self.kinds)


def _template(observed: str, codec: str, mode: LossMode, after: str) -> _Template:
    cache = _encoder(codec)
    marker = mode.marker
    two_byte_holes = mode in (LossMode.WHATWG, LossMode.QUESTION, LossMode.SUBSTITUTE)
    probe = bytearray()
    kinds = bytearray()
    units = bytearray()
    suspect = bytearray()
    src: list[int] = []
    holes: list[int] = []
    literal: dict[int, str] = {}
    hole = 0
    for index, ch in enumerate(observed):
        if marker and ch == marker:
            if ch.isascii():
                literal[len(kinds)] = ch
            probe.append(_NOT_A_BYTE)
            kinds.append(_HOLE)
            units.append(1)
            suspect.append(1)
            src.append(index)
            holes.append(hole)
            if two_byte_holes:
                probe.append(_NOT_A_BYTE)
                kinds.append(_OPTIONAL)
                units.append(0)
                suspect.append(1)
                src.append(index)
                holes.append(hole)
            hole += 1
            continue
        data = char_bytes(cache, codec, ch)
        is_marker = ch in MARKERS
        if data is None or (len(data) > 1 and _NOT_UTF8_RE.search(data)):
            # Not encodable, or bytes that never occur in UTF-8: never part of this
            # mis-decoding, kept as it is.
            probe.append(_NOT_A_BYTE)
            kinds.append(_OPAQUE)
            units.append(1)
            suspect.append(is_marker)
            src.append(index)
            holes.append(-1)
            continue
        for k, b in enumerate(data):
            probe.append(b)
            kinds.append(_KNOWN)
            units.append(k == 0)
            suspect.append(is_marker)
            src.append(index)
            holes.append(-1)
    src.append(len(observed))
    try:
        tail = after[:2].encode(codec)
    except UnicodeEncodeError:
        tail = b""
    return _Template(observed, bytes(probe), bytes(kinds), src, bytes(units), holes, literal,
                     bytes(suspect), tail)


# -- expansions: what can stand at a cell -----------------------------------------------

@dataclass(frozen=True)
class _Expansion:
    text: str
    data: tuple[tuple[int, int], ...]  # (byte, piece) of a rebuilt char; piece -1: survived
    start: int  # first cell
    end: int  # next cell
    kind: int
    prior: float = 0.0  # ranking score (rebuilt and kept characters)


class _OverBudget(Exception):
    """A reading needed more work than it was given."""


class _Search:
    """The candidates at every cell of one template, for one codec and failure mode."""

    def __init__(self, template: _Template, mode: LossMode, table: CodecTable,
                 model: ContextModel, budget: int | None = None) -> None:
        self.t = template
        self.mode = mode
        self.table = table
        self.model = model
        self.vocabulary = _vocabulary()
        self._ranked: dict[tuple[int, ...], list[str]] = model_buckets(model)
        self._cache: dict[int, list[_Expansion]] = {}
        self.budget = budget  # vocabulary entries left to try (None: no limit)
        self._fits: dict[tuple[bytes, bytes, bool], bool] = {}
        self._right: dict[int, tuple[str, bool]] = {}

    # -- byte checks --

    def lookahead(self, index: int) -> bytes:
        """Up to three surviving bytes from cell ``index`` on (then the tail)."""
        t = self.t
        n = t.n
        end = min(n, index + 3)
        out = bytearray()
        kinds, probe = t.kinds, t.probe
        while index < end and kinds[index] == _KNOWN:
            out.append(probe[index])
            index += 1
        if index >= n and len(out) < 3:
            out.extend(t.tail[: 3 - len(out)])
        return bytes(out)

    def fits(self, piece: bytes, following: bytes, marked: bool) -> bool:
        key = (piece, following, marked)
        hit = self._fits.get(key)
        if hit is None:
            hit = self._fits[key] = piece_fits(self.table, self.mode, piece, following, marked)
        return hit

    def settle(self, pending: tuple[tuple[int, int], ...],
               exp: _Expansion) -> tuple[tuple[tuple[int, int], ...], bool]:
        """Check the lost pieces that end with ``exp`` (``pending``: from before it).

        Pieces inside a rebuilt character were checked while it was built; here are
        checked the piece carried over from the previous character (it may go on at the
        start of this one), and the piece at the end of this one. That last piece waits
        (is returned) when the next character may continue it: more dropped bytes at the
        same place, or the second byte of a marker's hole. Returns False when a piece is
        impossible for this codec and mode.
        """
        t = self.t
        if exp.kind != _LOST and exp.kind != _LITERAL:
            if not pending:
                return (), True
            if exp.kind == _RUN or t.kinds[exp.start] == _KNOWN:
                following = t.probe[exp.start : exp.start + 3]
            else:
                following = b""
            return (), self._check(pending, 0, len(pending), following)
        seq = pending + exp.data
        n = len(seq)
        last = seq[-1][1]
        trailing = n
        if last != -1 and self._continues(last, exp.end):
            trailing = n - 1
            while trailing > 0 and seq[trailing - 1][1] == last:
                trailing -= 1
        after = b"" if trailing < n else self.lookahead(exp.end)
        head = len(pending) + 1
        i = 0
        while i < trailing:
            piece = seq[i][1]
            j = i + 1
            while j < n and seq[j][1] == piece:
                j += 1
            if piece != -1 and (i < head or j == n):
                if not self._check(seq, i, j, after):
                    return (), False
            i = j
        return tuple(seq[trailing:]), True

    def _check(self, seq: tuple[tuple[int, int], ...], i: int, j: int, after: bytes) -> bool:
        """Does the lost piece ``seq[i:j]`` fit before the bytes that follow it?"""
        following = bytes(b for b, _ in seq[j : j + 3])
        if len(following) < 3:
            following = (following + after)[:3]
        return self.fits(bytes(b for b, _ in seq[i:j]), following, seq[i][1] >= 0)

    def _continues(self, piece: int, cell: int) -> bool:
        """Can the character that starts at ``cell`` continue lost piece ``piece``?"""
        t = self.t
        if cell >= t.n:
            return False
        if piece >= 0:
            return t.kinds[cell] == _OPTIONAL and t.hole[cell] == piece
        # Dropped bytes: the next character may start with more of them, which it does
        # only before a surviving continuation byte.
        return t.kinds[cell] == _KNOWN and 0x80 <= t.probe[cell] <= 0xBF

    def _may_continue(self, piece: bytes, number: int, cell: int) -> bool:
        """Can lost ``piece`` still fit if the character at ``cell`` continues it?"""
        table = self.table
        if number >= 0:
            # A marker's hole: a second byte follows only after a lead byte; or the hole
            # was this one byte.
            return bool(table.lead[piece[0]]) or self.fits(piece, self.lookahead(cell + 1), True)
        # Dropped bytes: each one fails before the next; the last one fails before the
        # surviving byte at ``cell`` or before a further dropped byte that fails there.
        for k in range(len(piece) - 1):
            if not table.fails(piece[k], piece[k + 1 : k + 4]):
                return False
        last = piece[-1]
        following = self.lookahead(cell)
        if table.fails(last, following):
            return True
        return any(table.fails(last, bytes([x]) + following)
                   for x in _dropped_before(table, following[:1]))

    def finish(self, pending: tuple[tuple[int, int], ...]) -> bool:
        """Check a lost piece that ends the text."""
        if not pending:
            return True
        return self._check(pending, 0, len(pending), self.t.tail)

    # -- candidates --

    def context_after(self, exp_end: int, data: tuple[tuple[int, int], ...],
                      after: str) -> tuple[str, bool]:
        """:meth:`right_context` of a rebuilt character ending at ``exp_end`` with bytes
        ``data``. A ``?`` takes the byte after a bad one along only after a lead byte:
        a character whose last lost byte is no lead and ends the marker's first byte
        leaves the hole one byte long, and the text after it is known (``si?w``: ``ą``
        of C4 85 is followed by ``w``, ``ę`` of C4 99 by a lost character)."""
        t = self.t
        if (self.mode is LossMode.QUESTION and exp_end < t.n and t.kinds[exp_end] == _OPTIONAL
                and data and data[-1][1] == t.hole[exp_end]
                and not self.table.lead[data[-1][0]]):
            return self.right_context(exp_end + 1, after)
        return self.right_context(exp_end, after)

    def right_context(self, index: int, after: str) -> tuple[str, bool]:
        """The surviving characters from cell ``index`` on, and whether there is one."""
        hit = self._right.get(index)
        if hit is not None:
            return hit
        t = self.t
        i = index
        if i < t.n and t.kinds[i] == _OPTIONAL and self.mode in _ASCII_KEPT:
            # The second byte of a marker's hole, which a character ending here leaves
            # to nothing (these decoders lose a bad byte alone before an ASCII one):
            # what survives after it is the right context (``ch峄・ c谩i``: ``cái``).
            i += 1
        if i >= t.n:
            hit = (after[:RIGHT_CONTEXT], True)
        else:
            # A marker character (read as itself in this mode) is not known text: what
            # stands there is scored where it is read, and the word before it judged
            # there, once (``politică?externă`` read with a literal ``?``).
            match = _UTF8_RE.match(t.probe, i, min(_run_limit(t, i), i + 36))
            text = match.group().decode("utf-8") if match else ""
            if match and match.end() == t.n:
                # The run ends the text: what follows it (or the end of the line) shows
                # where its last word ends.
                text += after or "\n"
            text = text[:RIGHT_CONTEXT]
            if t.kinds[i] == _OPAQUE:
                text = t.observed[t.src[i]]
            hit = (text, bool(text))
        self._right[index] = hit
        return hit

    def expansions(self, index: int, left: str, after: str) -> list[_Expansion]:
        """What can stand at cell ``index``: an intact run, or rebuilt characters.

        Cached per cell; ``left`` (the text before, on the first path that got here)
        only ranks the rebuilt candidates, the search scores them again on every path.
        """
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        t = self.t
        kind = t.kinds[index]
        found: list[_Expansion] = []
        if kind == _OPAQUE:
            ch = t.observed[t.src[index]]
            prior = math.log(self.model.unigram(ch)) if t.suspect[index] else 0.0
            found.append(_Expansion(ch, (), index, index + 1, _KEPT, prior))
        elif kind == _KNOWN and not t.suspect[index] and (
                match := _UTF8_RE.match(t.probe, index, _run_limit(t, index))) is not None:
            found.append(_Expansion(match.group().decode("utf-8"), (), index, match.end(), _RUN))
        else:
            found = self._rebuilt(index, left, after)
        self._cache[index] = found
        return found

    def _shapes(self, index: int) -> list[tuple[tuple[tuple[int, int], ...], int]]:
        """The shapes a character starting at ``index`` can take: its slots (a surviving
        byte, or -1 for a lost one, with the piece it belongs to) and its end cell."""
        t = self.t
        n = t.n
        kinds, probe, units, holes = t.kinds, t.probe, t.unit_start, t.hole
        drop = self.mode is LossMode.DROP
        out: list[tuple[tuple[tuple[int, int], ...], int]] = []

        def rec(c: int, slots: list[tuple[int, int]], length: int, dropped: int) -> None:
            size = len(slots)
            if length:
                if size == length:
                    out.append((tuple(slots), c))
                    return
            elif 2 <= size <= 4:
                out.append((tuple(slots), c))  # a lost lead: any length that fits
            if size >= 4:
                return
            if drop and dropped < MAX_DROPPED_PER_CHAR and (c >= n or units[c]) and (
                    slots or (c < n and kinds[c] == _KNOWN and 0x80 <= probe[c] <= 0xBF)):
                # Bytes dropped silently: only between observed characters.
                piece = -2 - c
                if not slots or slots[-1][1] in (-1, piece):
                    rec(c, slots + [(-1, piece)], length, dropped + 1)
            if c >= n:
                return
            kind = kinds[c]
            if kind == _KNOWN:
                b = probe[c]
                if not slots:
                    width = _utf8_length(b)
                    if width >= 2:
                        rec(c + 1, [(b, -1)], width, dropped)
                elif 0x80 <= b <= 0xBF:
                    rec(c + 1, slots + [(b, -1)], length, dropped)
            elif kind == _HOLE:
                rec(c + 1, slots + [(-1, holes[c])], length, dropped)
            elif kind == _OPTIONAL and slots and slots[-1][1] == holes[c]:
                rec(c + 1, slots, length, dropped)  # the hole was one byte
                rec(c + 1, slots + [(-1, holes[c])], length, dropped)

        if kinds[index] == _OPTIONAL:
            # Reached only when the hole's first byte ended the previous character: its
            # second byte starts this one (an ASCII character if '?' swallowed it).
            first = [(-1, holes[index])]
            if self.mode is LossMode.QUESTION:
                out.append((tuple(first), index + 1))
            rec(index + 1, first, 0, 0)
        else:
            rec(index, [], 0, 0)
        return [(slots, end) for slots, end in out
                if any(p != -1 for _, p in slots) and any(p >= -1 for _, p in slots)]

    def _rebuilt(self, index: int, left: str, after: str) -> list[_Expansion]:
        """Characters that start at ``index`` whose bytes are not all intact, ranked.

        For every shape, the characters of the vocabulary that match its surviving bytes
        are tried in order of prior probability until ``SHAPE_CANDIDATES`` of them pass
        the byte checks; the survivors of all shapes are then scored in context.
        """
        t = self.t
        n = t.n
        model = self.model
        unigram = model.unigram
        pool: dict[tuple[str, int], tuple[float, tuple[tuple[int, int], ...]]] = {}
        words: set[tuple[str, int]] = set()
        ascii_slot: set[int] = set()
        for slots, end in self._shapes(index):
            size = len(slots)
            known = [(pos, b) for pos, (b, p) in enumerate(slots) if p == -1]
            if len(known) >= 2:
                bucket = min((self._bucket(size, *known[i], *known[j])
                              for i in range(len(known)) for j in range(i + 1, len(known))),
                             key=len)
            elif known:
                bucket = self._bucket(size, *known[0])
            else:
                bucket = self._bucket(size)
            check = self._checker(slots, end)
            # Without a surviving byte only the prior and the neighbours choose: fewer
            # candidates can win. A lost ASCII character (the byte a ``?`` swallowed)
            # has few candidates, all of them tried: its neighbours choose among the
            # marks (``skalę, może``: ``,`` is rarer than 24 letters, and fits).
            wanted = len(bucket) if size == 1 else (
                SHAPE_CANDIDATES if known else BLIND_CANDIDATES)
            if size == 1:
                ascii_slot.add(end)
            valid = 0
            tries = bucket[:SHAPE_TRIES]
            if self.budget is not None:
                self.budget -= len(tries)
                if self.budget < 0:
                    raise _OverBudget
            for ch in tries:
                data = ch.encode("utf-8")
                if any(data[pos] != b for pos, b in known) or not check(data):
                    continue
                key = (ch, end)
                if key not in pool:
                    pool[key] = (unigram(ch), tuple((byte, p) for byte, (_, p) in zip(data, slots)))
                valid += 1
                if valid >= wanted:
                    break
            # The letters that make a known word with the neighbours go on whatever
            # their frequency (``rozk?adzie`` -> ``ł``, rarer than many letters).
            # So do the typographic marks of Western text in such text: where no byte
            # survives, the commonest characters of the size (kana, hanzi, by their
            # share of all text) crowd out a rarer mark that fits the place (``€`` in
            # ``(1271 €/m²)`` ranked 331st of the three-byte characters).
            right, right_known = self.right_context(end, after)
            for ch in chain(model.word_candidates(left, right, right_known),
                            model.mark_candidates()):
                data = ch.encode("utf-8")
                if (len(data) != size or (ch, end) in pool
                        or any(data[pos] != b for pos, b in known) or not check(data)):
                    continue
                pool[(ch, end)] = (unigram(ch), tuple((byte, p) for byte, (_, p) in zip(data, slots)))
                words.add((ch, end))
        # The likeliest by frequency go on to be scored in context.
        # (Counted in characters: one character may end at several cells.)
        ranked = sorted(pool.items(), key=lambda kv: -kv[1][0])
        likely = _first_distinct((ch for (ch, _), _ in ranked), 2 * TOP_CANDIDATES)
        chosen = [item for item in ranked
                  if item[0][0] in likely or item[0] in words
                  or (len(item[0][0]) == 1 and item[0][0].isascii() and item[0][1] in ascii_slot)]
        found: list[_Expansion] = []
        for (ch, end), (_, data) in chosen:
            right, right_known = self.context_after(end, data, after)
            found.append(_Expansion(ch, data, index, end, _LOST,
                                    model.score(ch, left, right, right_known)))
        found.sort(key=lambda e: -e.prior)
        best = _first_distinct((e.text for e in found), TOP_CANDIDATES)
        found = [e for e in found if e.text in best]
        kinds, units = t.kinds, t.unit_start
        literal = t.literal.get(index)
        if literal is not None:
            end = index + 2 if index + 1 < n and kinds[index + 1] == _OPTIONAL else index + 1
            found.append(_Expansion(literal, ((ord(literal), -1),), index, end, _LITERAL))
        if kinds[index] == _HOLE:
            # The marker stays a marker: a loss nothing here explains.
            end = index + 2 if index + 1 < n and kinds[index + 1] == _OPTIONAL else index + 1
            found.append(_Expansion(t.observed[t.src[index]], (), index, end, _KEPT,
                                    ORPHAN))
        elif kinds[index] == _KNOWN:
            if t.suspect[index]:
                # A character that is a marker in another mode, read as itself here.
                match = _UTF8_CHAR_RE.match(t.probe, index)
                if match is not None:
                    found.append(_Expansion(match.group().decode("utf-8"),
                                            tuple((b, -1) for b in match.group()), index,
                                            match.end(), _LITERAL))
            # Keep the observed character as it is, or give up on this one byte: the
            # search never runs into a dead end, and an intact character that shares
            # the unit of an unexplained byte still comes back.
            if units[index]:
                stop = index + 1
                while stop < n and not units[stop]:
                    stop += 1
                ch = t.observed[t.src[index]]
                prior = math.log(model.unigram(ch)) + UNEXPLAINED
                found.append(_Expansion(ch, (), index, stop, _KEPT, prior))
            found.append(_Expansion(REPLACEMENT, (), index, index + 1, _ORPHAN, ORPHAN))
        return found

    def _bucket(self, *key: int) -> list[str]:
        """Vocabulary bucket ``key``, most probable characters first (for this model)."""
        ranked = self._ranked.get(key)
        if ranked is None:
            unigram = self.model.unigram
            ranked = sorted(self.vocabulary.bucket(*key), key=lambda ch: -unigram(ch))
            self._ranked[key] = ranked
        return ranked

    def _checker(self, slots: tuple[tuple[int, int], ...], end: int):
        """A test of a character's bytes against the lost pieces of ``slots``.

        Every lost piece must be one the decoder fails on, given the bytes after it.
        A piece at the start may continue one of the previous character (checked by
        :meth:`settle` then), except dropped bytes, each of which is checked on its own;
        a piece at the end may go on in the next character (then only what can be known
        now is checked).
        """
        size = len(slots)
        spans: list[tuple[int, int, int]] = []
        i = 0
        while i < size:
            piece = slots[i][1]
            j = i + 1
            while j < size and slots[j][1] == piece:
                j += 1
            if piece != -1:
                spans.append((i, j, piece))
            i = j
        after = self.lookahead(end)
        fits = self.fits
        table = self.table
        continues = bool(spans) and spans[-1][1] == size and self._continues(spans[-1][2], end)

        def check(data: bytes) -> bool:
            for i, j, piece in spans:
                if j == size:
                    lost = data[i:]
                    if not continues:
                        if i == 0 and piece >= 0:
                            continue  # joined to the previous character's piece: settle()
                        if not fits(lost, after, piece >= 0):
                            return False
                    elif not self._may_continue(lost, piece, end):
                        return False
                    continue
                following = (data[j:] + after)[:3]
                if piece >= 0:
                    if i == 0:
                        continue
                    if not fits(data[i:j], following, True):
                        return False
                else:
                    rest = data[i:j] + following
                    for k in range(j - i):
                        if not table.fails(rest[k], rest[k + 1 : k + 4]):
                            return False
            return True

        return check


@lru_cache(maxsize=None)
def _dropped_before_cached(table: CodecTable, following: bytes) -> tuple[int, ...]:
    return tuple(x for x in range(0x80, 0xF5) if x not in (0xC0, 0xC1)
                 and table.fails(x, following))


def _dropped_before(table: CodecTable, following: bytes) -> tuple[int, ...]:
    """UTF-8 bytes (not ASCII) that a decoder drops when ``following`` comes next."""
    return _dropped_before_cached(table, following)


def model_buckets(model: ContextModel) -> dict[tuple[int, ...], list[str]]:
    """The vocabulary buckets sorted for ``model`` (kept with the model)."""
    ranked = getattr(model, "_lossy_buckets", None)
    if ranked is None:
        ranked = {}
        model._lossy_buckets = ranked  # type: ignore[attr-defined]
    return ranked


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _run_limit(t: _Template, index: int) -> int:
    """Intact runs stop before cells of marker characters (scored one by one)."""
    if not any(t.suspect):
        return t.n
    stop = t.suspect.find(1, index)
    return t.n if stop < 0 else stop


# -- quote pairing --------------------------------------------------------------------

_QUOTES = "\u201c\u201d\u2018\u2019\u201e\n"
_QUOTE_RE = re.compile("[\u201c\u201d\u2018\u2019\u201e\n'\"]")


def _quote_step(state: tuple[int, int], ch: str, left: str | None,
                right: str | None) -> tuple[tuple[int, int], float]:
    """Carry the open/closed state of double and single quotes over ``ch``.

    Returns the new state and the log-probability of ``ch`` *as a quote* given the
    state: a closing mark closes the quote that is open, so ``”`` is likely after an
    open ``“`` and unlikely without one, and ``’`` in a closing position (before a
    space or punctuation) competes with ``”`` only when no double quote is open.
    """
    double, single = state
    if ch in "'\"":
        # The typewriter marks are both quotes: an opening one before a word, a
        # closing one (or an apostrophe that ends a word) after one.
        if right is None:
            return state, 0.0
        if char_class(left) in "SO" and char_class(right) in "LDOK":
            ch = "\u201e" if ch == '"' else "\u2018"
        elif char_class(left) in "LDPCK" and char_class(right) in "SPC":
            ch = "\u201d" if ch == '"' else "\u2019"
        else:
            return state, 0.0
    if ch == "\u201c" and char_class(left) in "LDPC" and (
            right is not None and char_class(right) in "SPC"):
        # „…“ (German, Czech): after a word and before a space or a mark, “ closes
        # (and with no quote open it is a closing mark with none to close).
        return (0, single), (CLOSES_OPEN if double else UNMATCHED_CLOSE)
    if ch in "\u201c\u201e":
        return (1, single), (NESTED_OPEN if double else 0.0)
    if ch == "\u201d":
        return (0, single), (CLOSES_OPEN if double else UNMATCHED_CLOSE)
    if ch == "\u2018":
        return (double, 1), (NESTED_OPEN if single else 0.0)
    if ch == "\u2019" and right is not None and char_class(right) in "SPC":
        if single:
            return (double, 0), CLOSES_OPEN
        if char_class(left) in "PC":
            # Not after a letter: a closing single quote with none open.
            return state, UNMATCHED_CLOSE
        # An apostrophe ending a word: mostly the plural possessive (Russians’);
        # after other letters only elisions (goin’), rarer still.
        return state, (END_APOSTROPHE if (left or "").lower() == "s" else RARE_END_APOSTROPHE)
    if ch == "\n":
        return (0, 0), (UNCLOSED_AT_END if double else 0.0)
    return state, 0.0


def _quotes_over(state: tuple[int, int], text: str, left: str,
                 right: str | None) -> tuple[tuple[int, int], float]:
    """:func:`_quote_step` over every quote of ``text`` (``right``: what follows it)."""
    total = 0.0
    for match in _QUOTE_RE.finditer(text):
        i = match.start()
        before = text[i - 1] if i else (left[-1:] or None)
        after = text[i + 1] if i + 1 < len(text) else right
        state, penalty = _quote_step(state, text[i], before, after)
        total += penalty
    return state, total


def _initial_quotes(before: str) -> tuple[int, int]:
    paragraph = before[before.rfind("\n") + 1 :]
    state, _ = _quotes_over((0, 0), paragraph, "", None)
    return state


def _final_quote_penalty(state: tuple[int, int], after: str) -> float:
    paragraph = after.split("\n", 1)[0]
    closes_later = "\u201d" in paragraph
    if state[0] and not closes_later and ("\n" in after or not after):
        return UNCLOSED_AT_END
    if not state[0] and closes_later and "\u201c" not in paragraph.split("\u201d", 1)[0]:
        return UNMATCHED_CLOSE
    return 0.0


# -- the search -------------------------------------------------------------------------

@dataclass
class _Node:
    score: float
    back: tuple[tuple, _Expansion] | None
    tail: str  # the last characters of the best reading that reaches this state


def _search(template: _Template, mode: LossMode, model: ContextModel, codec: str,
            before: str, after: str, budget: int | None = None) -> tuple[float, list] | None:
    """Best reading of the template (Viterbi over cells, with a beam).

    A state is ``(cell, quote state, pending lost piece, deferred, last)``. ``deferred``
    says that the last character was rebuilt while the one after it was still unknown:
    its placement and its effect on the quotes are scored once the next one is chosen;
    ``last`` is that rebuilt character (words are scored over pairs of guesses).
    """
    search = _Search(template, mode, codec_table(codec), model, budget)
    pairs = model.judges_syllable_pairs
    n = template.n
    kinds = template.kinds
    start_key: tuple = (0, _initial_quotes(before), (), False, "")
    nodes: dict[tuple, _Node] = {start_key: _Node(0.0, None, before[-TAIL:])}
    by_cell: dict[int, list[tuple]] = {0: [start_key]}
    edges: dict[tuple, list[tuple[float, tuple, _Expansion]]] = {}
    end_char = after[:1] or None

    def relax(key: tuple, node: _Node, new_key: tuple, local: float, exp: _Expansion,
              tail: str) -> None:
        edges.setdefault(key, []).append((local, new_key, exp))
        score = node.score + local
        old = nodes.get(new_key)
        if old is None:
            by_cell.setdefault(new_key[0], []).append(new_key)
        if old is None or score > old.score:
            nodes[new_key] = _Node(score, (key, exp), tail)

    def settle_last(quotes: tuple[int, int], tail: str,
                    right: str | None) -> tuple[tuple[int, int], float]:
        """Score the deferred last character now that its right neighbour is known."""
        ch, left = tail[-1], tail[-2:-1] or None
        quotes, penalty = _quote_step(quotes, ch, left, right or " ")
        return quotes, penalty + model.placement(ch, left, right)

    for i in range(n):
        keys = by_cell.pop(i, None)
        if not keys:
            continue
        # Best first: the candidates of a cell are ranked (and cut) in the context of
        # the first reading that reaches it, so that should be the best one.
        keys.sort(key=lambda k: -nodes[k].score)
        if len(keys) > BEAM:
            keys = keys[:BEAM]
        for key in keys:
            node = nodes[key]
            _, quotes, pending, deferred, last = key
            if kinds[i] == _OPTIONAL and pending and pending[-1][1] == template.hole[i]:
                # The marker's hole was one byte: move on without consuming the cell.
                skip = _Expansion("", (), i, i + 1, _RUN)
                relax(key, node, (i + 1, quotes, pending, deferred, last), 0.0, skip, node.tail)
            for exp in search.expansions(i, node.tail, after):
                new_pending, ok = search.settle(pending, exp)
                if not ok:
                    continue
                local = 0.0
                state = quotes
                if deferred:
                    state, local = settle_last(quotes, node.tail, exp.text[0])
                right, right_known = (search.context_after(exp.end, exp.data, after)
                                      if exp.kind == _LOST
                                      else search.right_context(exp.end, after))
                right_char = right[:1] or None
                if exp.kind == _RUN:
                    state, penalty = _quotes_over(state, exp.text, node.tail,
                                                  right_char if right_known else None)
                    local += penalty
                    later = False
                elif exp.kind in (_KEPT, _ORPHAN):
                    state, penalty = _quote_step(state, exp.text, node.tail[-1:] or None,
                                                 right_char if right_known else None)
                    local += exp.prior + penalty
                    later = False
                else:
                    local += model.content(exp.text, node.tail, right if right_known else "",
                                           right_known)
                    later = not right_known
                    if right_known:
                        state, penalty = _quote_step(state, exp.text, node.tail[-1:] or None,
                                                     right_char or " ")
                        local += penalty + model.placement(exp.text, node.tail[-1:] or None,
                                                           right_char)
                # A rebuilt character stays in the state, so that the next one is chosen
                # with every candidate before it (words of two lost characters); a word
                # with a rebuilt letter stays in it until the word ends, so that readings
                # that differ in it are not merged before the word is judged.
                tail = (node.tail + exp.text)[-TAIL:]
                # (Not in CJK text, which has no spaces: there readings merge as soon
                # as they agree on the last character, as the scorer's window allows.
                # Keeping them apart along a whole run of CJK text overflows the beam:
                # on 16 tuning paragraphs read as gbk/cp949 with '?' for losses, 43 %
                # instead of 58 % rebuilt right, the '?' taken for genuine.)
                if exp.kind == _LOST:
                    last = _open_word(tail) if _is_word_char(exp.text) else exp.text
                elif exp.kind == _RUN and last and _is_word_char(last[-1]):
                    if exp.text.isalpha():
                        last = _open_word(tail)
                    elif pairs and _NEXT_SYLLABLE_RE.fullmatch(exp.text):
                        # A language whose syllables are judged in pairs (Vietnamese
                        # compounds): the syllable with the rebuilt letter stays in the
                        # state until the next one, which it may pair with, is judged
                        # (``bảng`` and ``bằng`` before a lost ``chữ``).
                        last = _open_pair(tail)
                    else:
                        last = ""
                else:
                    last = ""
                relax(key, node, (exp.end, state, new_pending, later, last), local, exp, tail)
    finals: dict[tuple, float] = {}
    for key in by_cell.get(n, ()):
        if not search.finish(key[2]):
            continue
        node = nodes[key]
        quotes, extra = key[1], 0.0
        if key[3]:
            quotes, extra = settle_last(quotes, node.tail, end_char)
        finals[key] = node.score + extra + _final_quote_penalty(quotes, after)
    if not finals:
        return None
    return _decode_best(nodes, finals, edges)


def _first_distinct(items: Iterable[str], count: int) -> set[str]:
    """The first ``count`` distinct items."""
    seen: set[str] = set()
    for item in items:
        if len(seen) >= count:
            break
        seen.add(item)
    return seen


def _is_word_char(ch: str) -> bool:
    """A letter of a script that spaces its words, or an apostrophe."""
    return (ch.isalpha() and ord(ch) < 0x2E80) or ch in "'\u2019"


#: An intact run that ends one syllable and begins the next (letters, a space, letters).
_NEXT_SYLLABLE_RE = re.compile(r"[^\W\d_]*'?[^\W\d_]* [^\W\d_]*")


def _open_pair(tail: str) -> str:
    """The word before the last space of ``tail`` and what follows it (``bảng ch``)."""
    current = _open_word(tail)
    rest = tail[: len(tail) - len(current)]
    if not rest.endswith(" "):
        return current
    return _open_word(rest[:-1]) + " " + current


def _open_word(tail: str) -> str:
    """The word ``tail`` ends with (letters and apostrophes)."""
    i = len(tail)
    while i > 0 and _is_word_char(tail[i - 1]):
        i -= 1
    return tail[i:]


def _decode_best(nodes: dict[tuple, _Node], finals: dict[tuple, float],
                 edges: dict[tuple, list[tuple[float, tuple, _Expansion]]]) -> tuple[float, list]:
    best_key = max(finals, key=finals.__getitem__)
    # Backward pass: the best completion score from every state (for max-marginals).
    backward: dict[tuple, float] = {key: total - nodes[key].score for key, total in finals.items()}
    for key in sorted(edges, key=lambda k: -k[0]):
        best = -math.inf
        for local, target, _ in edges[key]:
            rest = backward.get(target)
            if rest is not None and local + rest > best:
                best = local + rest
        if best > -math.inf:
            backward[key] = max(best, backward.get(key, -math.inf))
    path: list[tuple[tuple, _Expansion]] = []
    key = best_key
    while nodes[key].back is not None:
        prev_key, exp = nodes[key].back  # type: ignore[misc]
        path.append((prev_key, exp))
        key = prev_key
    path.reverse()
    steps = []
    for prev_key, exp in path:
        alternatives: dict[str, float] = {}
        if exp.kind in (_LOST, _LITERAL, _KEPT):
            forward = nodes[prev_key].score
            for alt_local, target, alt in edges.get(prev_key, ()):
                rest = backward.get(target)
                if rest is None or alt.kind not in (_LOST, _LITERAL, _KEPT):
                    continue
                total = forward + alt_local + rest
                if total > alternatives.get(alt.text, -math.inf):
                    alternatives[alt.text] = total
        steps.append((exp, alternatives, prev_key[0]))
    return finals[best_key], steps


def reconstruct(observed: str, codec: str, options: Options = DEFAULT_OPTIONS, *,
                before: str = "", after: str = "", mode: LossMode | None = None,
                languages: dict[str, float] | None = None,
                budget: int | None = None) -> Reconstruction | None:
    """Rebuild the original of ``observed``, UTF-8 that ``codec`` decoded lossily.

    ``before``/``after`` are the (already repaired) text around the span: they give the
    language and the state of open quotes. ``mode`` is the decoder's failure mode; by
    default every mode whose marker occurs is tried and the most plausible reading wins.
    Characters that do not fit are kept as they were (``Reconstruction.kept``).
    ``budget`` caps the work (vocabulary entries tried per failure mode); a reading
    that needs more gives None.

    >>> r = reconstruct("鈥淭he army 鈥 keep running!鈥 he said", "gbk")
    >>> r.text, r.lost, r.mode.value
    ('“The army — keep running!” he said', 2, 'drop')
    """
    modes = [mode] if mode is not None else candidate_modes(observed, codec)
    best: Reconstruction | None = None
    for candidate in modes:
        try:
            result = _reconstruct_mode(observed, codec, candidate, options, before, after,
                                       languages, budget)
        except _OverBudget:
            return None
        if result is not None and (best is None or result.score > best.score):
            best = result
    return best


def candidate_modes(observed: str, codec: str) -> list[LossMode]:
    """The failure modes worth trying for ``observed``: those whose marker occurs."""
    modes = [LossMode.DROP]
    if REPLACEMENT in observed:
        modes += [LossMode.REPLACE, LossMode.WHATWG]
    if "?" in observed:
        modes.append(LossMode.QUESTION)
    if "\u30fb" in observed:
        modes.append(LossMode.SUBSTITUTE)
    return modes


def _reconstruct_mode(observed: str, codec: str, mode: LossMode, options: Options,
                      before: str, after: str, languages: dict[str, float] | None,
                      budget: int | None = None) -> Reconstruction | None:
    template = _template(observed, codec, mode, after)
    sample = before[-300:] + _readable_sample(template) + after[:300]
    if languages is None:
        languages = guess_languages(sample)
    # Text written with combining marks (decomposed) loses marks: they are candidates.
    decomposed = any("\u0300" <= ch <= "\u036f" for ch in sample)
    model = _context_model(tuple(sorted((lang, round(w, 2)) for lang, w in languages.items()
                                        if w >= 0.05)), decomposed)
    found = _search(template, mode, model, codec, before, after, budget)
    if found is None:
        return None
    score, steps = found
    return _assemble(steps, score, codec, mode, options, template)


@lru_cache(maxsize=32)
def _context_model(languages: tuple[tuple[str, float], ...],
                   decomposed: bool = False) -> ContextModel:
    return ContextModel(dict(languages) or {"en": 1.0}, decomposed=decomposed)


def _readable_sample(t: _Template) -> str:
    """The observed text read back as UTF-8, losses skipped (for telling the language)."""
    return bytes(b if k == _KNOWN else 0x20 for b, k in zip(t.probe, t.kinds)).decode(
        "utf-8", errors="ignore")


def _assemble(steps: list, score: float, codec: str, mode: LossMode,
              options: Options, t: _Template) -> Reconstruction:
    out: list[str] = []
    guesses: list[Guess] = []
    pieces: list[tuple[int, str]] = []
    length = 0
    intact = lost = lost_bytes = earlier = kept = 0
    guess_bytes: list[int] = []
    for exp, alternatives, first_cell in steps:
        if not exp.text:
            continue
        text = exp.text
        if exp.kind == _RUN or exp.kind == _LITERAL:
            intact += len(text)
            earlier += text.count(REPLACEMENT)
        elif exp.kind in (_KEPT, _ORPHAN):
            kept += 1
        elif exp.kind == _LOST:
            lost += 1
            here = sum(1 for _, piece in exp.data if piece != -1)
            lost_bytes += here
            guess_bytes.append(here)
            ranked = _normalise(alternatives)
            confidence = ranked.get(text, 0.0)
            runners = tuple(
                (ch, round(p, 4)) for ch, p in sorted(ranked.items(), key=lambda kv: -kv[1])
                if ch != text
            )[:3]
            if not options.reconstruct_lost or confidence < options.min_guess_confidence:
                runners = ((text, round(confidence, 4)),) + runners[:2]
                text = REPLACEMENT
            guesses.append(Guess(length, text, round(confidence, 4), runners))
        out.append(text)
        pieces.append((first_cell, text))
        length += len(text)
    notes = _notes(lost, lost_bytes, intact, earlier, guesses, codec, mode)
    return Reconstruction("".join(out), codec, mode, tuple(guesses), intact, lost, lost_bytes,
                          earlier, score, notes, kept, tuple(pieces), tuple(t.src),
                          tuple(guess_bytes))


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exp = {ch: math.exp(s - top) for ch, s in scores.items()}
    total = sum(exp.values())
    return {ch: value / total for ch, value in exp.items()}


_HOW = {
    LossMode.DROP: "dropped silently",
    LossMode.REPLACE: "replaced by U+FFFD",
    LossMode.WHATWG: "replaced by U+FFFD",
    LossMode.QUESTION: "replaced by '?'",
    LossMode.SUBSTITUTE: "replaced by '\u30fb'",
}


def _notes(lost: int, lost_bytes: int, intact: int, earlier: int, guesses: Iterable[Guess],
           codec: str, mode: LossMode) -> tuple[str, ...]:
    notes: list[str] = []
    if lost:
        guesses = list(guesses)
        kept = sum(1 for g in guesses if g.text != REPLACEMENT)
        notes.append(
            f"{codec} {_HOW[mode]} {lost_bytes} byte{'s' * (lost_bytes != 1)}: "
            f"{lost} of {lost + intact} characters lost bytes; "
            f"{kept} reconstructed by guess, {lost - kept} marked U+FFFD"
        )
    if earlier:
        notes.append(
            f"{earlier} character{'s were' if earlier != 1 else ' was'} already lost before "
            "this mis-decoding (U+FFFD was encoded); the original is gone"
        )
    return tuple(notes)


# -- the CJK engine's hook ---------------------------------------------------------------

#: Prior odds against a lossy repair of a stretch that touches no repaired mojibake, in
#: bits: the same odds the CJK engine puts against any repair (``cjk.PRIOR_BITS``,
#: 1 in 4,096). Its surviving bytes and its best guesses must make the text that much
#: likelier under the plausibility model than the stretch as it stands.
LONE_PRIOR_BITS = 12.0

#: Confidence of a lossy repair of a stretch that touches repaired mojibake of the same
#: codec: the CJK engine has already shown the bytes around it to be mojibake.
ADJACENT_CONFIDENCE = 0.9



def repair_undecodable(stretch: Undecodable, options: Options = DEFAULT_OPTIONS) -> list[Edit]:
    """Edits for a stretch of a line whose bytes are not valid UTF-8 (the CJK hook).

    The whole line is rebuilt at once (so that quote pairing sees every lost quote of
    the line) and the part that comes from ``line[start:end]`` is proposed. Genuine
    text also re-encodes to invalid UTF-8, so a stretch is only repaired when the
    evidence is strong: it touches text the CJK engine repairs as mojibake of the same
    codec, or its rebuilt text is far more plausible than the stretch
    (``LONE_PRIOR_BITS``). Cheap tests come first: most stretches the engine hands over
    are genuine (every accented letter, curly quote or CJK word it leaves alone).

    >>> from types import SimpleNamespace as S
    >>> line = "the war 鈥 and more"
    >>> [e.replacement for e in repair_undecodable(S(line=line, line_offset=0, start=8,
    ...     end=9, codecs=("gbk",), repaired_left=False, repaired_right=False))]
    ['—']
    """
    line, start, end = stretch.line, stretch.start, stretch.end
    # Markers that are ASCII ('?') belong to the stretch they touch.
    while end < len(line) and line[end] == "?":
        end += 1
    while start > 0 and line[start - 1] == "?":
        start -= 1
    original = line[start:end]
    adjacent = stretch.repaired_left or stretch.repaired_right
    following = line[end : end + 1]
    # A wrong decoder mangles whole strings: a stretch is read with the codec the
    # engine found around it (first in ``codecs``; by default the commonest wrong
    # decoder), and with the others only when a marker of loss shows in it.
    marked = not MARKERS.isdisjoint(original)
    codecs = [codec for codec in (stretch.codecs if marked and not adjacent else stretch.codecs[:1])
              if _could_be_lossy(original, codec, following)]
    if not codecs:
        return []
    if not adjacent:
        lo, hi = max(0, start - LOCAL_CONTEXT), min(len(line), end + LOCAL_CONTEXT)
        codecs = list(_lone_candidates(line[lo:hi], start - lo, end - lo, tuple(codecs),
                                       options))
    for codec in codecs:
        found = _window_reconstruction(line, start, end, codec, options)
        if found is None:
            continue
        text, best, guesses, mode, lost_bytes, lost_note = found
        if not guesses or text == original:
            continue
        if adjacent:
            confidence = ADJACENT_CONFIDENCE
        else:
            confidence = _lone_confidence(line, start, end, best)
            if confidence < options.min_confidence:
                continue
        lost = len(guesses)
        notes = _notes(lost, lost_bytes, len(text) - lost, 0, guesses, codec, mode) + lost_note
        return [Edit(stretch.line_offset + start, stretch.line_offset + end, text,
                     (Layer("utf-8", codec),), confidence, guesses, notes)]
    return []


@lru_cache(maxsize=8192)
def _could_be_lossy(text: str, codec: str, following: str = "") -> bool:
    """Cheap test: can ``text`` be what ``codec`` made of UTF-8, losing bytes?

    Its bytes must all be bytes of UTF-8, and wherever the UTF-8 structure breaks,
    bytes the codec fails on must fit the gap, at a boundary between the codec's
    characters (a decoder loses bytes only between the characters it emits): a lead
    byte of the right length before orphaned continuation bytes, continuation bytes
    before whatever cut a sequence short. A stretch with a marker of loss passes when the
    bytes between its markers are UTF-8 as a decoder that marks every loss leaves them
    (:func:`_fits_around_markers`), or when it passes as a whole, the markers taken for
    genuine characters.

    >>> _could_be_lossy("鈥", "gbk", " x"), _could_be_lossy("’", "shift_jis", "s")
    (True, False)

    Japanese writes an ellipsis as ``・・・``: genuine text around such marks is no lossy
    UTF-8 of any codec, and is not searched for lost bytes.

    >>> _could_be_lossy("縺ｧ縺・", "cp932"), _could_be_lossy("行こう・・・。", "cp932")
    (True, False)
    """
    if not MARKERS.isdisjoint(text) and _fits_around_markers(text, codec):
        return True
    try:
        units = [ch.encode(codec) for ch in text]
        if following[:1].isascii():
            units.append(following[:1].encode(codec))
    except (UnicodeEncodeError, LookupError):
        return False
    if _NOT_UTF8_RE.search(b"".join(units)):
        return False
    lead_gap, cont_gap = _gap_tables(codec)
    need = 0  # continuation bytes the current sequence still needs
    orphans = 0  # continuation bytes seen after a lost lead (0: none lost)
    first = 0  # the first of them
    for unit in units:
        for k, b in enumerate(unit):
            boundary = k == 0
            if 0x80 <= b <= 0xBF:
                if need:
                    need -= 1
                elif orphans and orphans < 3:
                    orphans += 1
                elif boundary and lead_gap[0][b]:
                    orphans, first = 1, b  # a lead byte was lost before this one
                else:
                    return False
                continue
            if need and not (boundary and cont_gap[b]):
                return False  # a sequence cut short where nothing can be lost
            if orphans and not (lead_gap[orphans][first] or (boundary and cont_gap[b])):
                return False  # no lead of that length can be lost, nor the rest
            need = _utf8_length(b) - 1 if b >= 0x80 else 0
            orphans = 0
    return True


def _fits_around_markers(text: str, codec: str) -> bool:
    """Whether ``text`` can be UTF-8 that ``codec`` decoded marking every byte it lost
    with one kind of marker (``・``, U+FFFD, ``?``): then its bytes between two markers
    are well-formed UTF-8, except that a piece may begin with the continuation bytes of
    a sequence whose lead was lost (at most three) and end with a sequence cut short."""
    for marker in MARKERS.intersection(text):
        pieces = text.split(marker)
        last = len(pieces) - 1
        if all(_fits_between_holes(piece, codec, k > 0, k < last)
               for k, piece in enumerate(pieces)):
            return True
    return False


#: The start of a UTF-8 sequence that a lost byte cut short: a lead byte and fewer
#: continuation bytes than it needs (a complete one would be well-formed already).
_CUT_SHORT_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{0,2}")


def _fits_between_holes(piece: str, codec: str, hole_before: bool, hole_after: bool) -> bool:
    """Whether the bytes of ``piece`` are well-formed UTF-8 but for what a hole (a marker
    of loss) before or after it explains."""
    if not piece:
        return True
    try:
        data = piece.encode(codec)
    except UnicodeEncodeError:
        return False
    start = 0
    if hole_before:
        while start < min(3, len(data)) and 0x80 <= data[start] <= 0xBF:
            start += 1
    match = _UTF8_RE.match(data, start)
    end = match.end() if match is not None else start
    return end == len(data) or (hole_after and _CUT_SHORT_RE.fullmatch(data, end) is not None)


@lru_cache(maxsize=None)
def _gap_tables(codec: str) -> tuple[tuple[bytes, ...], bytes]:
    """Per following byte: can a UTF-8 lead byte (any; then of sequences of 2, 3, 4
    bytes) or a continuation byte have been lost right before it by ``codec``?"""
    table = codec_table(codec)
    groups = (range(0xC2, 0xF5), range(0xC2, 0xE0), range(0xE0, 0xF0), range(0xF0, 0xF5))
    lead_gap = tuple(bytes(any(table.fails(x, bytes([b])) for x in group) for b in range(256))
                     for group in groups)
    cont_gap = bytes(any(table.fails(y, bytes([b])) for y in range(0x80, 0xC0))
                     for b in range(256))
    return lead_gap, cont_gap


#: Characters on each side of a stretch in the quick first reading of it.
LOCAL_CONTEXT = 4


def _lone_confidence(line: str, start: int, end: int, best: str) -> float:
    """How sure that ``line[start:end]`` is lossy mojibake of ``best`` (with the best
    guesses for lost characters): the plausibility gain in bits, against
    ``LONE_PRIOR_BITS``."""
    left, right = line[max(0, start - 64) : start], line[end : end + 64]
    m = plausibility.model()
    gain = m.cost(_unmarked(line[start:end]), left, right) - m.cost(best, left, right)
    return plausibility.probability(gain - LONE_PRIOR_BITS)


def _unmarked(text: str) -> str:
    """``text`` without its markers of loss. The evidence that a stretch is mojibake is
    in the characters that survived: a reading does not gain by absorbing a ``?`` that
    genuine text may hold too, and a stretch of markers alone is no evidence of a codec."""
    return "".join(ch for ch in text if ch not in MARKERS)


#: Work allowed for the quick reading of a lone stretch (vocabulary entries tried): a
#: few lost characters need a few hundred; genuine text that merely fits the bytes of a
#: lenient codec (Big5, EUC-KR lose any byte 0x80-0xA0) can need far more, and is not
#: worth it.
LOCAL_BUDGET = 4000


@lru_cache(maxsize=8192)
def _intact_cost(text: str, codec: str) -> float:
    """What the characters whose UTF-8 survived intact in the bytes of ``text`` cost at
    least (bits): every reading keeps them, and no character costs less than nothing,
    so a reading gains at most the cost of the stretch minus this."""
    m = plausibility.model()
    data = "".join(ch for ch in text if ch not in MARKERS).encode(codec, errors="ignore")
    return sum(m.unigram(ch) for match in _UTF8_RE.finditer(data)
               for ch in match.group().decode("utf-8") if not ch.isascii())


@lru_cache(maxsize=8192)
def _lone_candidates(window: str, start: int, end: int, codecs: tuple[str, ...],
                     options: Options) -> tuple[str, ...]:
    """The codecs worth a whole-line reading for the lone stretch ``window[start:end]``,
    judged on the window alone (cached: most lone stretches are genuine words and marks
    that recur). A reading must be able to gain ``LONE_PRIOR_BITS`` (at most the cost
    of the stretch minus that of its intact characters), and a quick reading of the
    window must do so."""
    original = window[start:end]
    cost = plausibility.model().cost(_unmarked(original), window[:start], window[end:])
    if cost < LONE_PRIOR_BITS:
        return ()
    kept = []
    for codec in codecs:
        if cost - _intact_cost(original, codec) < LONE_PRIOR_BITS:
            continue
        best = _local_reading(window, start, end, codec, options)
        if best is not None and _lone_confidence(window, start, end, best) >= options.min_confidence:
            kept.append(codec)
    return tuple(kept)


@lru_cache(maxsize=4096)
def _local_reading(window: str, start: int, end: int, codec: str, options: Options) -> str | None:
    """The stretch ``window[start:end]`` read with its best guesses (None: no guess)."""
    result = reconstruct(window, codec, options, budget=LOCAL_BUDGET)
    if result is None:
        return None
    text, guesses = result.part(start, end)
    if not guesses:
        return None
    best = list(text)
    for g in guesses:
        if g.text == REPLACEMENT and g.alternatives:
            best[g.position] = g.alternatives[0][0]
    return "".join(best)


def _window_reconstruction(line: str, start: int, end: int, codec: str, options: Options):
    """Rebuild ``line[start:end]`` as part of the whole line (so that the quotes of the
    line pair up), or of its block when the line is longer than ``BLOCK_CHARS``:
    ``(text, text with the best guesses, guesses, mode, lost bytes, notes)``, or None."""
    if len(line) <= BLOCK_CHARS:
        return _cached_part(line, start, end, codec, options)
    cuts = _block_cuts(line)
    index = bisect_right(cuts, start) - 1
    low = cuts[index]
    high = cuts[index + 1] if index + 1 < len(cuts) else len(line)
    if end > high:
        return None  # never: blocks are cut between ASCII characters, outside stretches
    return _cached_part(line[low:high], start - low, end - low, codec, options)


#: The longest stretch of a line rebuilt as one piece. The search's work grows faster
#: than the length (one line of 50,000 characters of GBK mojibake took 30 s, the same
#: text in lines 0.3 s, and guessed worse), and quotes pair up within sentences: a
#: longer line is rebuilt block by block. Lines of ordinary text are far shorter.
BLOCK_CHARS = 4000

#: Where a long line may be cut into blocks: a space between two ASCII characters, the
#: first of them not a ``?`` (which may have swallowed the byte after it). No multi-byte
#: sequence spans ASCII, so no lost character is split between two blocks.
_BLOCK_CUT_RE = re.compile(r"(?<=[\x00-\x3e\x40-\x7f]) (?=[\x00-\x7f])")


@lru_cache(maxsize=8)
def _block_cuts(line: str) -> tuple[int, ...]:
    """Where the blocks of a long line start: at cuts (``_BLOCK_CUT_RE``) at most
    ``BLOCK_CHARS`` apart where the line allows, each block at least half as long."""
    cuts = [0]
    while len(line) - cuts[-1] > BLOCK_CHARS:
        cut = cut_near(_BLOCK_CUT_RE, line, cuts[-1] + BLOCK_CHARS // 2, cuts[-1] + BLOCK_CHARS)
        if cut is None:
            break
        cuts.append(cut)
    return tuple(cuts)


@lru_cache(maxsize=256)
def _cached_part(line: str, start: int, end: int, codec: str, options: Options):
    result = _line_reconstruction(line, codec, options)
    if result is None:
        return None
    text, guesses = result.part(start, end)
    lost_bytes = result.part_lost_bytes(start, end)
    best = list(text)
    for g in guesses:
        if g.text == REPLACEMENT and g.alternatives:
            best[g.position] = g.alternatives[0][0]
    notes = tuple(n for n in result.notes if "already lost" in n and REPLACEMENT in text)
    return text, "".join(best), guesses, result.mode, lost_bytes, notes


@lru_cache(maxsize=64)
def _line_reconstruction(line: str, codec: str, options: Options) -> Reconstruction | None:
    return reconstruct(line, codec, options)
