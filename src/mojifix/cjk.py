"""UTF-8 read as a multi-byte CJK codec (GBK, GB18030, Big5, Shift_JIS, EUC-KR, ...).

One mechanism for every codec and every original language:

1. **Runs.** Every UTF-8 multi-byte sequence consists of bytes >= 0x80, and each of the
   wrong codec's characters that holds such a byte is non-ASCII, so all mojibake lies
   inside maximal runs of non-ASCII characters. Pure-ASCII lines are skipped by one
   ``str.isascii`` call, runs are found by one compiled regex.
2. **Re-encoding.** A run is encoded with the suspected codec (characters the codec
   cannot encode split it into pieces), keeping the byte offset of every character.
3. **Atoms.** In those bytes, the maximal stretches of valid UTF-8 are found by one
   bytes regex. Positions that are boundaries both of the codec's characters and of
   UTF-8 sequences cut a stretch into *atoms*: the smallest pieces that can be repaired
   on their own. An atom may swallow ASCII: ``檚`` is the last byte of ``’`` plus ``s``,
   so ``鈥檚`` (E2 80 | 99 73) is one atom that decodes to ``’s``. Touching atoms form a
   *cluster*; clusters are separated by characters whose bytes are not UTF-8.
4. **Decision.** For each cluster a small dynamic programme chooses, atom by atom,
   "genuine" or "mojibake", minimising the cost in bits of the resulting text under
   the measured character model (:mod:`mojifix.plausibility`) plus two priors:
   ``PRIOR_BITS`` for each repaired span and ``SWITCH_BITS`` for each place where a
   repaired span touches genuine non-ASCII text with no separator. The confidence of a
   repair is the posterior probability of the chosen reading against leaving the
   cluster as it is.
   A cluster is also judged with a second, earlier layer undone (``EARLIER_LAYERS``).
5. **Codec.** Each run is read with the codec whose repairs gain the most bits (the
   first of ``options.cjk_codecs`` on a tie: GBK before GB18030, Shift_JIS before CP932).

Characters whose bytes are not valid UTF-8 (a lead byte whose continuation a lossy
decoder dropped, U+FFFD, ``・``) are handed, with their context, to
:func:`reconstruct_undecodable`, the single place where lossy reconstruction plugs in;
on its own this engine leaves them exactly as they are.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, mul
from typing import Any, Iterator, NamedTuple, Sequence

from .edits import Edit, splice
from .latin import SIBLING_PRIOR_BITS, ftfy_page_reading, sibling_only
from .lines import line_span
from .options import Options
from .plausibility import (CJK_PAIR_WEIGHT, CLASSES, CONTEXT_REACH, LETTER_CLASSES, CharModel,
                           Closing, State, char_class, closing_context, log_odds, model,
                           probability)
from .result import Layer

#: Prior odds against mojibake, in bits, paid once per repaired span. Most text that
#: reaches mojifix is clean, and most non-ASCII runs whose bytes happen to form valid
#: UTF-8 are genuine; we put the prior odds of a given candidate span being mojibake at
#: 1 in 2**12 (about 1 in 4,000). A repair must therefore make the text at least 4,000
#: times likelier under the character model to be applied. The value was chosen on the
#: tuning half of the clean-paragraph fixture and checked on the held-out half.
PRIOR_BITS = 12.0

#: The prior, in bits, for a span of a codec whose mojibake other runs of the same line
#: already show with confidence. A wrong decoder mangles a whole string: once a line is
#: known to have been read with a codec, every other non-ASCII character of that line is
#: mojibake too, unless the line was put together from differently decoded pieces. We
#: put such mixed lines at 1 in 32 of the lines with mojibake, so the prior now favours
#: the repair: -5 bits (odds of 32 to 1).
CONTEXT_PRIOR_BITS = -5.0

#: How much evidence, in bits beyond their own priors, the other runs of a line must
#: give before the line counts as read with their codec. Two marginal candidates (the
#: same rare character that just clears the prior, twice in a line) must not lend each
#: other certainty: the others must be mojibake at odds of at least 16 to 1 (4 bits)
#: after their prior.
LINE_EVIDENCE_BITS = 4.0

#: Extra prior, in bits, against reading a run of a line with another codec than the
#: one the rest of the line was confidently read with: one string decoded two wrong ways
#: is as unlikely as mojibake in the first place, so it costs ``PRIOR_BITS`` again.
CODEC_SWITCH_BITS = PRIOR_BITS

#: Prior cost, in bits, of a repaired span touching genuine non-ASCII text with nothing
#: in between. A wrong decoder mangles whole strings (fields, lines, files), so
#: mojibake meets genuine text at ASCII (spaces, markup, punctuation) or at a character
#: the codec cannot produce; a boundary inside a run of non-ASCII characters happens
#: only where two differently decoded strings were joined with no separator. We put
#: that at 1 in 2**12 boundaries.
SWITCH_BITS = 12.0

#: Extra prior, in bits, against a repair that would be one character standing alone
#: (``ж``, ``é``, ``ο``, ``¹`` between spaces or tags, or on a line of its own). The
#: character model scores a lone character by its unigram frequency alone, and for these
#: two characters of evidence it is not calibrated: a rare genuine ideograph, hangul
#: syllable or symbol standing alone (in a character table, a ruby annotation) often
#: decodes to a common Latin, Greek or Cyrillic letter or symbol. Such a repair must
#: therefore clear the prior twice, unless the line is otherwise mojibake of the same
#: codec (then ``CONTEXT_PRIOR_BITS`` applies, and the word-script term of the model
#: decides: ``胁`` for ``в`` between Cyrillic words).
ISOLATED_LETTER_BITS = PRIOR_BITS

#: A run made only of box-drawing and block characters (``├┤``, ``┼┐``, ``╨░``) is
#: line art far more often than mojibake, though DOS code pages (cp866, cp850, cp852)
#: turn UTF-8 lead bytes into exactly these. The character model, which sees two rare
#: symbols against one letter, cannot tell; so such a run is never repaired on its own
#: evidence, only when other runs of its line are confidently the same codec's
#: mojibake (``╨Я╤А╨╕╨▓╨╡╤В ╨╜╨░`` for ``Привет на``).
_LINE_ART_RE = re.compile("[\u2500-\u259f]+")

#: Single-byte codecs that text may have been wrongly read with *before* its UTF-8 was
#: read with a CJK codec (``Straße`` -> ``StraÃŸe`` -> ``Stra脙鸥e``). The intermediate
#: text is mojibake itself, so the character model cannot be asked whether it is
#: plausible; a cluster is therefore also judged with both layers undone at once.
EARLIER_LAYERS: tuple[str, ...] = ("cp1252", "latin-1")

#: Unapplied candidates are reported only down to this confidence; below it the
#: evidence for mojibake is too weak to be worth mentioning. Measured on the tuning half
#: of the clean paragraphs: genuine text yields candidates in 36 of 1,179 paragraphs,
#: 31 of them below 0.3 (median 0.12), so this floor keeps the report of a clean text
#: quiet while candidates near the threshold (where a user should look) still show.
REPORT_FLOOR = 0.3
#: The same floor as log-odds in bits (``probability(_REPORT_FLOOR_BITS) == REPORT_FLOOR``).
_REPORT_FLOOR_BITS = log_odds(REPORT_FLOOR)

_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")
_RUN_RE = re.compile(r"[^\x00-\x7f]+")
#: A UTF-8 lead byte followed by a continuation byte: without one, no atom can exist.
_MULTIBYTE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
#: Maximal stretches of well-formed UTF-8 (RFC 3629: no overlongs, no surrogates).
_UTF8_UNIT = (
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})"
)
_UTF8_RE = re.compile(_UTF8_UNIT + rb"+")
#: The same stretches, except those of a single ASCII byte (no atom fits in them): the
#: lookahead only refuses to start at an ASCII byte that no character follows, a
#: position where ``_UTF8_RE``'s maximal match is that byte alone.
_UTF8_WIDE_RE = re.compile(rb"(?![\x00-\x7f](?!" + _UTF8_UNIT + rb"))" + _UTF8_UNIT + rb"+")

_GENUINE, _REPAIRED, _SEPARATOR = 0, 1, 2


@dataclass(frozen=True)
class Undecodable:
    """Characters of a non-ASCII run whose bytes, re-encoded with the codec that
    explains the rest of the run, are not valid UTF-8: what a lossy decoder leaves
    (a lead byte without its continuation, U+FFFD, ``・``) or simply genuine text.

    ``line[start:end]`` is the stretch; ``codecs`` the codecs to consider, the one
    that explains neighbouring repairs first; ``repaired_left`` / ``repaired_right``
    say whether the characters touching the stretch are being repaired as mojibake;
    ``line_offset`` is where ``line`` starts in the text the engine was given.
    """

    line: str
    line_offset: int
    start: int
    end: int
    codecs: tuple[str, ...]
    repaired_left: bool
    repaired_right: bool


def reconstruct_undecodable(stretch: Undecodable, options: Options) -> list[Edit]:
    """Edits that repair a stretch whose bytes are not valid UTF-8 (lossy mojibake).

    This is where lossy reconstruction plugs in (:func:`mojifix.lossy.repair_undecodable`):
    the bytes that survived are decoded, the lost ones guessed from the codec's byte
    constraints and the context, and genuine text is left alone.

    >>> [(e.replacement, e.guesses[0].alternatives[0][0]) for e in reconstruct_undecodable(
    ...     Undecodable("war鈥 ", 0, 3, 4, ("gbk",), False, False), Options())]
    [('…', '’')]
    """
    evidence = _lossy_evidence(stretch)
    if evidence is None:
        return []
    from .lossy import repair_undecodable

    edits = repair_undecodable(stretch, options)
    if evidence == "lone":
        edits = [replace(e, notes=e.notes + (LONE_NOTE,)) for e in edits]
    return edits


#: Note on a repair of a lossy remnant with no surviving mojibake beside it: such a
#: repair stands only if the same text holds intact mojibake of the same codec.
LONE_NOTE = "no intact mojibake beside it: repaired because the text has some from this codec"


#: Characters lossy decoders leave for bytes they could not decode.
_LOSS_MARKERS = frozenset("\ufffd\u30fb\uff65")
_LOSS_MARKER_RE = re.compile("[" + "".join(sorted(_LOSS_MARKERS)) + "]")


def _is_wide_script(ch: str) -> bool:
    """Ideographs, kana, hangul and full-width forms: the stuff CJK text is made of."""
    return ch >= "\u2e80" and not ("\ud800" <= ch <= "\uf8ff") and ch not in _LOSS_MARKERS


def _lossy_evidence(stretch: Undecodable) -> str | None:
    """What says a stretch may be lossy mojibake, if anything (the search is costly).

    Lost bytes leave their stretch next to mojibake that survived (the neighbours are
    being repaired), or mark it (U+FFFD, ``・``), or leave it standing alone amid
    non-CJK text (a lone ``鈥`` between English words). A stretch inside a run of
    ideographs, kana or hangul that nothing around it repairs is genuine CJK text,
    which is almost always undecodable as UTF-8: skipping it keeps clean CJK text fast.
    """
    if stretch.repaired_left or stretch.repaired_right:
        return "touching"
    text = stretch.line[stretch.start : stretch.end]
    if _LOSS_MARKER_RE.search(text):
        return "marker"
    if len(text) > _LONE_STRETCH_CHARS:
        return None
    before = stretch.line[stretch.start - 1] if stretch.start else ""
    after = stretch.line[stretch.end] if stretch.end < len(stretch.line) else ""
    if (before and _is_wide_script(before)) or (after and _is_wide_script(after)):
        return None
    return "lone"


#: A lossy remnant with no surviving mojibake beside it is one or two characters (a lead
#: byte left of a dropped pair, at most a character before it): longer stretches among
#: non-CJK text are words of a genuine CJK phrase.
_LONE_STRETCH_CHARS = 3


# -- re-encoding ------------------------------------------------------------------------

_byte_cache: dict[str, dict[str, bytes | None]] = {}


def _encoder(codec: str) -> dict[str, bytes | None]:
    cache = _byte_cache.get(codec)
    if cache is None:
        cache = _byte_cache[codec] = {}
    return cache


def char_bytes(cache: dict[str, bytes | None], codec: str, ch: str) -> bytes | None:
    """``ch`` encoded with ``codec`` (None when it cannot be), memoised in ``cache``."""
    data = cache.get(ch, b"")
    if data == b"":
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            data = None
        cache[ch] = data
    return data


_piece_res: dict[str, re.Pattern[str]] = {}


def _piece_re(codec: str) -> re.Pattern[str]:
    """A regex for maximal stretches of characters that ``codec`` can encode, built on
    first use from the codec's own table (every one- and two-byte sequence it decodes)."""
    pattern = _piece_res.get(codec)
    if pattern is None:
        if _is_gb18030(codec):
            pattern = re.compile(r"[^\x00-\x7f]+")  # GB18030 encodes every code point
        else:
            chars = set(_decoded_chars(codec, range(0x80, 0x100), range(0x40, 0x100)))
            chars.update(_c1_undo(codec))
            pattern = re.compile("[" + _char_class_ranges(chars) + "]+")
        _piece_res[codec] = pattern
    return pattern


@lru_cache(maxsize=None)
def _decoded_chars(codec: str, leads: range, trails: range) -> frozenset[str]:
    """The non-ASCII characters ``codec`` decodes from a byte of ``leads`` alone or
    followed by a byte of ``trails``."""
    chars = set()
    for lead in leads:
        for data in [bytes([lead])] + [bytes([lead, t]) for t in trails]:
            try:
                decoded = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if len(decoded) == 1 and not decoded.isascii():
                chars.add(decoded)
    return frozenset(chars)


_c1_undos: dict[str, dict[str, str]] = {}


def _c1_undo(codec: str) -> dict[str, str]:
    """The cp1252 characters that stand for C1 controls this codec decodes bytes to.

    CP932 decodes byte 0x80 as U+0080 (``ﾑ\x80`` is ``р`` read as CP932). The Latin
    engine, which runs first, reads such a control as cp1252 mis-read as Latin-1 and
    turns it into ``€``; re-encoding maps it back to its byte, so the CJK repair still
    sees the bytes the wrong decoder saw. A cp1252 character that the codec itself has
    elsewhere (``Œ`` is byte 0xBC in ISO-8859-15) stands for that byte instead."""
    table = _c1_undos.get(codec)
    if table is None:
        table = {}
        for byte in range(0x80, 0xA0):
            try:
                if bytes([byte]).decode(codec) != chr(byte):
                    continue
            except UnicodeDecodeError:
                continue
            stand_in = bytes([byte]).decode("cp1252", errors="ignore")
            try:
                stand_in.encode(codec)
            except UnicodeEncodeError:
                table[stand_in] = chr(byte)
        _c1_undos[codec] = table
    return table


def _char_class_ranges(chars: set[str]) -> str:
    """A regex character class body for a set of characters, as ranges."""
    points = sorted(ord(c) for c in chars)
    parts: list[str] = []
    start = prev = points[0]
    for cp in points[1:] + [-1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) if start == prev
                     else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = cp
    return "".join(parts)


def _pieces(run: str, codec: str) -> Iterator[tuple[int, bytes, Sequence[int]]]:
    """Stretches of ``run`` that ``codec`` encodes and whose bytes hold a UTF-8 lead byte
    followed by a continuation byte: ``(first char index, bytes, byte offset of every
    char boundary, including the end)``.

    Stretches come from one regex, bytes from one ``str.encode`` call per stretch; the
    common case of two bytes per character needs no per-character work at all."""
    cache = _encoder(codec)
    undo = _c1_undo(codec)
    for match in _piece_re(codec).finditer(run):
        piece = match.group()
        if undo:
            piece = piece.translate({ord(k): v for k, v in undo.items()})
        try:
            data = piece.encode(codec)
        except UnicodeEncodeError:
            # A character the table did not list (a codec with several byte sequences
            # for one character): split the stretch the slow way.
            yield from _pieces_per_char(piece, match.start(), codec, cache)
            continue
        if not _MULTIBYTE_RE.search(data):
            continue
        if len(data) == 2 * len(piece):
            yield match.start(), data, range(0, len(data) + 1, 2)
            continue
        offsets = [0]
        for ch in piece:
            offsets.append(offsets[-1] + len(char_bytes(cache, codec, ch) or b""))
        yield match.start(), data, offsets


def _pieces_per_char(run: str, base: int, codec: str, cache: dict[str, bytes | None]
                     ) -> Iterator[tuple[int, bytes, Sequence[int]]]:
    start = 0
    chunks: list[bytes] = []
    offsets: list[int] = [0]
    for i, ch in enumerate(run):
        data = char_bytes(cache, codec, ch)
        if data is None:
            if chunks:
                yield base + start, b"".join(chunks), offsets
            start, chunks, offsets = i + 1, [], [0]
            continue
        chunks.append(data)
        offsets.append(offsets[-1] + len(data))
    if chunks:
        yield base + start, b"".join(chunks), offsets


class _Cluster(NamedTuple):
    """Touching atoms, in char indices of the run: ``bounds`` are the atom edges.

    A named tuple, not a dataclass: clean CJK text makes a cluster every few characters
    for every codec, and building a frozen dataclass cost a fifth of reading it."""

    bounds: tuple[int, ...]
    decoded: tuple[str, ...]


class _Memo(dict):
    """A memo that empties itself when what it holds passes a budget, in characters or
    bytes of its keys: short recurring keys (mojibake runs) stay, while the long unique
    runs of clean CJK text cannot pile up. Lookups are plain ``dict.get``."""

    __slots__ = ("weight", "budget")

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.weight = 0
        self.budget = budget

    def put(self, key: Any, value: Any, weight: int) -> Any:
        if self.weight + weight > self.budget:
            self.clear()
        self[key] = value
        self.weight += weight
        return value

    def clear(self) -> None:
        super().clear()
        self.weight = 0


_cluster_cache = _Memo(1 << 20)  # bytes of pieces


def _clusters(data: bytes, offsets: Sequence[int]) -> tuple[_Cluster, ...]:
    """Atoms of one piece, grouped into clusters (see the module docstring).

    They depend on the bytes and the character boundaries only, so codecs that give a
    piece the same bytes (GBK and GB18030, Big5 and Big5-HKSCS, Shift_JIS and CP932,
    EUC-KR and CP949, mostly) find them once."""
    key = (data, None if isinstance(offsets, range) else tuple(offsets))
    hit = _cluster_cache.get(key)
    if hit is None:
        hit = _cluster_cache.put(key, tuple(_find_clusters(data, offsets)), len(data))
    return hit


def _find_clusters(data: bytes, offsets: Sequence[int]) -> list[_Cluster]:
    if not _MULTIBYTE_RE.search(data):
        return []
    uniform = isinstance(offsets, range)
    char_at = None if uniform else {offset: i for i, offset in enumerate(offsets)}
    out: list[_Cluster] = []
    for match in _UTF8_WIDE_RE.finditer(data):
        lo, hi = match.span()
        if hi - lo < 2:
            continue
        # Only character boundaries can be atom edges: visit those, not every byte.
        if uniform:
            candidates: Iterator[int] | list[int] = iter(range(lo + (lo & 1), hi + 1, 2))
        else:
            candidates = offsets[bisect_left(offsets, lo):bisect_right(offsets, hi)]
        bounds = [pos for pos in candidates if pos == hi or not 0x80 <= data[pos] <= 0xBF]
        if len(bounds) < 2:
            continue
        decoded = tuple(data[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:]))
        if char_at is None:
            out.append(_Cluster(tuple(b // 2 for b in bounds), decoded))
        else:
            out.append(_Cluster(tuple(char_at[b] for b in bounds), decoded))
    return out


# -- the decision -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Decision:
    start: int  # char index in the run
    end: int
    repaired: tuple[bool, ...]
    gain: float  # bits: cost as it is minus cost of the best reading (priors included)
    all_gain: float  # the same for repairing every atom of the cluster
    bounds: tuple[int, ...]
    decoded: tuple[str, ...]
    #: A single-byte codec that the repaired text was, before, wrongly read with too
    #: (UTF-8 read as cp1252, then that text's UTF-8 read as GBK), or None.
    earlier: str | None = None


def _isolated_letter(line: str, begin: int, end: int, decoded: tuple[str, ...]) -> bool:
    """Whether the repair would be a single character standing alone: no letter
    touches it on either side (a word of one letter, a lone symbol between spaces or
    tags)."""
    if len(decoded) != 1 or len(decoded[0]) != 1:
        return False
    before = line[begin - 1] if begin > 0 else " "
    after = line[end] if end < len(line) else " "
    return char_class(before) not in LETTER_CLASSES and char_class(after) not in LETTER_CLASSES


def _decide(m: CharModel, run: str, cluster: _Cluster, shift: int, line: str,
            run_start: int, left_glued: bool, right_glued: bool, prior: float
            ) -> _Decision | None:
    """Choose, atom by atom, which readings of a cluster make the likeliest text.

    ``cluster`` is in the char indices of its piece, which starts at ``shift`` in the
    run. The choice depends on the cluster's text and readings and on what the model
    sees around it (its state before, the :func:`~mojifix.plausibility.closing_context`
    after, the glue and the prior), not on where it stands: it is memoised on those, so
    the same mojibake in the same surroundings (``鈥檚`` after a letter, before a space)
    is judged once."""
    bounds = cluster.bounds
    first, last = shift + bounds[0], shift + bounds[-1]
    relative = bounds if bounds[0] == 0 else tuple(b - bounds[0] for b in bounds)
    # Inside a run of letters (the common case in CJK text: a cluster between two
    # ideographs), everything the model sees around the cluster is the letter just
    # before it, whether a letter precedes that one, and the class of the letter just
    # after: they fix the state before (the letter, its class, whether a word begins
    # there) and the closing context, and neither side can be an isolated letter. The
    # judgement is then memoised on those, without computing the state and the context.
    local = None
    if first >= 2 and last < len(run):
        closing = char_class(run[last])
        if closing in LETTER_CLASSES and char_class(run[first - 1]) in LETTER_CLASSES:
            local = (run[first - 1:last], char_class(run[first - 2]) in LETTER_CLASSES,
                     closing, relative, cluster.decoded, left_glued, right_glued, prior)
        judgement = _local_judgements.get(local)
        if judgement is not None:
            return _decision(judgement, first, last, bounds, shift, cluster)
    begin, end = run_start + first, run_start + last
    if prior >= PRIOR_BITS and _isolated_letter(line, begin, end, cluster.decoded):
        prior += ISOLATED_LETTER_BITS
    key = (run[first:last], relative,
           cluster.decoded, m.state_before(line, begin), closing_context(line, end),
           left_glued, right_glued, prior)
    judgement = _judgements.get(key)
    if judgement is None:
        if len(_judgements) >= _JUDGEMENT_CACHE_SIZE:
            _judgements.clear()
        judgement = _judgements[key] = _judge(m, *key)
    if local is not None:
        if len(_local_judgements) >= _JUDGEMENT_CACHE_SIZE:
            _local_judgements.clear()
        _local_judgements[local] = judgement
    return _decision(judgement, first, last, bounds, shift, cluster)


def _decision(judgement: _Judgement, first: int, last: int, bounds: tuple[int, ...],
              shift: int, cluster: _Cluster) -> _Decision | None:
    """The decision for a cluster, or None when it repairs nothing and is no candidate
    worth reporting either (most clusters of clean CJK text: no object is made)."""
    repaired, gain, all_gain, earlier, deeper = judgement
    if all_gain < _REPORT_FLOOR_BITS and not any(repaired):
        return None
    if earlier is not None:
        return _Decision(first, last, repaired, gain, all_gain, (first, last), (deeper,), earlier)
    return _Decision(first, last, repaired, gain, all_gain,
                     bounds if shift == 0 else tuple(shift + b for b in bounds), cluster.decoded)


_JUDGEMENT_CACHE_SIZE = 1 << 17
#: Bits that rule a reading out (far beyond any prior).
_NEVER_BITS = 1000.0
_Judgement = tuple[tuple[bool, ...], float, float, "str | None", "str | None"]
_judgements: dict[tuple, _Judgement] = {}
_local_judgements: dict[tuple, _Judgement] = {}


def _judge(m: CharModel, text: str, bounds: tuple[int, ...], decoded: tuple[str, ...],
           before: State, closing: Closing, left_glued: bool, right_glued: bool,
           prior: float) -> _Judgement:
    """The work of :func:`_decide` for a cluster ``text`` with atom edges ``bounds``
    (from 0): ``(repaired per atom, gain, all_gain, earlier layer, its reading)``."""
    originals = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    genuine, after = m.cost_from(before, text)
    genuine += m.closing_from(after, closing)
    # Any reading with a repair pays the prior, and a switch at every side where
    # genuine non-ASCII text touches the repaired span: when leaving the cluster as it
    # is costs less than that, no repair can win and the search is skipped.
    least = prior + SWITCH_BITS * ((2 if left_glued and right_glued else 1)
                                   if left_glued or right_glued else 0)
    if genuine <= least:
        return (False,) * len(originals), 0.0, genuine - least, None, None
    # An atom whose reading holds a letter nobody writes (``Ʉ``) is never repaired.
    attested = {reading: m.attested(reading) for reading in decoded}
    if not any(attested.values()):
        return (False,) * len(originals), 0.0, -_NEVER_BITS, None, None
    # DP state: (model state, mode) -> cost; one dict per atom for walking back.
    Key = tuple[State, int]
    start: Key = (before, _GENUINE if left_glued else _SEPARATOR)
    steps: list[dict[Key, tuple[float, Key, bool]]] = []
    states: dict[Key, float] = {start: 0.0}
    for original, reading in zip(originals, decoded):
        step: dict[Key, tuple[float, Key, bool]] = {}
        for key, cost in states.items():
            model_state, mode = key
            keep, keep_state = m.cost_from(model_state, original)
            keep += cost + (SWITCH_BITS if mode == _REPAIRED else 0.0)
            branches = [((keep_state, _GENUINE), keep, False)]
            if attested[reading]:
                fix, fix_state = m.cost_from(model_state, reading)
                fix += cost + (0.0 if mode == _REPAIRED else prior)
                fix += SWITCH_BITS if mode == _GENUINE else 0.0
                branches.append(((fix_state, _REPAIRED), fix, True))
            for new_key, value, repaired in branches:
                if new_key not in step or value < step[new_key][0]:
                    step[new_key] = (value, key, repaired)
        steps.append(step)
        states = {key: value[0] for key, value in step.items()}

    def finish(key: Key, cost: float) -> float:
        model_state, mode = key
        extra = SWITCH_BITS if mode == _REPAIRED and right_glued else 0.0
        return cost + m.closing_from(model_state, closing) + extra

    best_key = min(states, key=lambda k: finish(k, states[k]))
    best_cost = finish(best_key, states[best_key])
    choices: list[bool] = []
    key = best_key
    for step in reversed(steps):
        _, key, repaired = step[key]
        choices.append(repaired)
    choices.reverse()

    fixed, after = m.cost_from(before, "".join(decoded))
    if not all(attested.values()):
        fixed += _NEVER_BITS  # repairing every atom is not an option
    fixed += prior + (SWITCH_BITS if left_glued else 0.0) + (SWITCH_BITS if right_glued else 0.0)
    fixed += m.closing_from(after, closing)
    joined = "".join(decoded)
    for earlier in EARLIER_LAYERS:
        try:
            deeper = joined.encode(earlier).decode("utf-8")
        except UnicodeError:
            continue
        if deeper == joined or not m.attested(deeper):
            continue
        cost, after = m.cost_from(before, deeper)
        cost += prior + (SWITCH_BITS if left_glued else 0.0) + (SWITCH_BITS if right_glued else 0.0)
        cost += m.closing_from(after, closing)
        if cost < best_cost:
            return (True,), genuine - cost, genuine - cost, earlier, deeper
    return tuple(choices), genuine - best_cost, genuine - fixed, None, None


@dataclass(frozen=True)
class _RunReading:
    codec: str
    gain: float
    #: The decisions that matter: those that repair something, and those that are
    #: candidates worth reporting (``REPORT_FLOOR``); the rest only count in
    #: ``clusters``, ``complete`` and ``covered``.
    decisions: tuple[_Decision, ...]
    covered: frozenset[int]  # char indices of the run inside some atom
    clusters: int = 0  # clusters judged
    complete: bool = False  # every cluster judged was repaired whole


_atom_cache = _Memo(1 << 20)  # characters of runs


def _atoms_of(run: str, codec: str) -> tuple[tuple[int, int, tuple[_Cluster, ...]], ...]:
    """``(piece start, piece end, clusters)`` of a run under a codec. They depend on the
    run and the codec only, and the same runs recur (``鈥檚`` in every line of a GBK
    mojibake page), so they are cached."""
    key = (codec, run)
    hit = _atom_cache.get(key)
    if hit is None:
        hit = tuple(
            (start, start + len(offsets) - 1, _clusters(data, offsets))
            for start, data, offsets in _pieces(run, codec)
        )
        hit = tuple(piece for piece in hit if piece[2])
        if _atom_cache.weight + len(run) > _atom_cache.budget:
            _atom_intern.clear()
        # Codecs that agree on a run's bytes (GBK and GB18030, Big5 and Big5-HKSCS,
        # Shift_JIS and CP932, EUC-KR and CP949, mostly) get the very same object, so
        # that a line reads such a run once for all of them (see ``_choose_readings``).
        hit = _atom_cache.put(key, _atom_intern.setdefault(hit, hit), len(run))
    return hit


_atom_intern: dict[tuple[tuple[int, int, tuple[_Cluster, ...]], ...],
                   tuple[tuple[int, int, tuple[_Cluster, ...]], ...]] = {}


_empty_readings: dict[str, _RunReading] = {}


def _empty_reading(codec: str) -> _RunReading:
    """The reading of a run in which a codec finds no atom (the common case)."""
    reading = _empty_readings.get(codec)
    if reading is None:
        reading = _empty_readings[codec] = _RunReading(codec, 0.0, (), frozenset())
    return reading


_RunContext = tuple[str, bool, "tuple[int, int] | None"] | None


def _left_context(line: str, run_start: int) -> _RunContext:
    """Everything the judgement of a run's clusters can see of ``line[:run_start]``:
    the character just before the run, whether the one before it is a letter, and the
    distance and class of the nearest letter within ``CONTEXT_REACH`` (None past a line
    break). :meth:`~mojifix.plausibility.CharModel.state_before`, the glue and the
    isolated-letter test read nothing else there."""
    if run_start <= 0:
        return None
    nearest = None
    for i in range(run_start - 1, max(-1, run_start - 1 - CONTEXT_REACH), -1):
        ch = line[i]
        if ch in "\r\n":
            break
        cls = char_class(ch)
        if cls in LETTER_CLASSES:
            nearest = (run_start - 1 - i, cls)
            break
    return (line[run_start - 1],
            run_start >= 2 and char_class(line[run_start - 2]) in LETTER_CLASSES, nearest)


def _right_context(line: str, run_end: int) -> tuple[int, "tuple[int, int] | None"] | None:
    """Everything the judgement of a run's clusters can see of ``line[run_end:]``: the
    class of its first character and the distance and class of the nearest letter
    within ``CONTEXT_REACH`` (None at the end of the line or a line break); what
    :func:`~mojifix.plausibility.closing_context`, the glue and the isolated-letter
    test read there."""
    if run_end >= len(line) or line[run_end] in "\r\n":
        return None
    nearest = None
    for i in range(run_end, min(len(line), run_end + CONTEXT_REACH)):
        ch = line[i]
        if ch in "\r\n":
            break
        cls = char_class(ch)
        if cls in LETTER_CLASSES:
            nearest = (i - run_end, cls)
            break
    return char_class(line[run_end]), nearest


_readings = _Memo(1 << 18)  # characters of runs


def _read_run(m: CharModel, line: str, run_start: int, run: str, codec: str,
              prior: float = PRIOR_BITS) -> _RunReading:
    """The reading of ``run`` under ``codec``: a decision per cluster.

    A run that is a single cluster (mojibake such as ``鈥檚`` between two words, which
    recurs on every line) is memoised whole, on the run and the summary of the line
    around it that its decision can see: there the work per run outweighs the work per
    cluster. A longer run of clean CJK text is unique; its clusters are memoised one by
    one (:func:`_decide`), and summarising its surroundings would be wasted."""
    atoms = _atoms_of(run, codec)
    if len(atoms) != 1 or len(atoms[0][2]) != 1:
        return _read_run_in(m, line, run_start, run, codec, prior)
    key = (codec, run, prior, _left_context(line, run_start),
           _right_context(line, run_start + len(run)))
    reading = _readings.get(key)
    if reading is None:
        reading = _readings.put(key, _read_run_in(m, line, run_start, run, codec, prior),
                                len(run))
    return reading


def _read_run_in(m: CharModel, line: str, run_start: int, run: str, codec: str,
                 prior: float) -> _RunReading:
    decisions: list[_Decision] = []
    covered: set[int] = set()
    judged = 0
    complete = True
    # A cluster inside a run of ideographs, kana or hangul whose cost bound stays under
    # ``limit`` cannot be repaired nor reported (:func:`_interior_bounds`): no judging.
    # (Less a millionth of a bit: the sums are of floats.)
    limit = prior + 2 * SWITCH_BITS + _REPORT_FLOOR_BITS - 1e-6
    bounds: tuple[list[float], list[float], list[float]] | None = None
    for piece_start, piece_end, clusters in _atoms_of(run, codec):
        for cluster in clusters:
            start = piece_start + cluster.bounds[0]
            end = piece_start + cluster.bounds[-1]
            if 0 < start and end < len(run):
                if bounds is None:
                    bounds = _interior_bounds(m, run)
                if _interior_settled(bounds, start, end, limit):
                    judged += 1
                    covered.update(range(start, end))
                    complete = False
                    continue
            left_glued = start > piece_start or _letter_at(line, run_start + start - 1)
            right_glued = end < piece_end or _letter_at(line, run_start + end)
            decision = _decide(m, run, cluster, piece_start, line, run_start, left_glued,
                               right_glued, prior)
            judged += 1
            covered.update(range(start, end))
            if decision is None:
                complete = False
                continue
            decisions.append(decision)
            if not all(decision.repaired):
                complete = False
    gain = sum(d.gain for d in decisions if any(d.repaired))
    return _RunReading(codec, gain, tuple(decisions), frozenset(covered), judged,
                       complete and judged > 0)


#: The classes of the letters that CJK text runs together with no space between words.
_RUN_TOGETHER = frozenset(CLASSES.index(name)
                          for name in ("HAN", "HIRAGANA", "KATAKANA", "HANGUL"))
#: The most a letter pair of these scripts costs beyond the second letter's unigram
#: cost: pairs get ``CJK_PAIR_WEIGHT``, so an unseen pair keeps the rest of the
#: unigram's probability (one bit at a weight of one half).
_PAIR_SLACK_BITS = -math.log2(1.0 - CJK_PAIR_WEIGHT)
#: The weight of any other character: a cluster that holds one, or touches one, is
#: judged in full.
_NOT_INTERIOR = 1e9


class _InteriorTables:
    """Per character, its class and an upper bound on its own cost after a letter of
    ``_RUN_TOGETHER`` (see :func:`_interior_bounds`), filled in on first sight; and the
    model's class transitions as one flat list, indexed ``previous * len(CLASSES) + next``."""

    def __init__(self, m: CharModel) -> None:
        self.model = m
        self.classes: dict[str, int] = _Lookup(lambda ch: m.entry(ch)[0])
        self.costs: dict[str, float] = _Lookup(self._cost)
        self.transitions = [bits for row in m.transition for bits in row]

    def _cost(self, ch: str) -> float:
        cls, bits = self.model.entry(ch)
        return bits + _PAIR_SLACK_BITS if cls in _RUN_TOGETHER else _NOT_INTERIOR


class _Lookup(dict):
    """A dict that computes a missing value with ``make`` (so that ``map`` over its
    ``__getitem__`` stays in C for every character seen before)."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


@lru_cache(maxsize=4)
def _interior_tables(m: CharModel) -> _InteriorTables:
    return _InteriorTables(m)


def _interior_bounds(m: CharModel, run: str) -> tuple[list[float], list[float], list[float]]:
    """For ``run``: per character, a bound on its own cost (``_NOT_INTERIOR`` unless it
    is an ideograph, kana or hangul), and running sums of those costs and of the class
    transitions into each character (``sums[i]`` covers characters before ``i``).

    Why a cluster between two such letters needs no judging when the sums say so: glued
    to letters on both sides, any repair of it pays ``prior + 2 * SWITCH_BITS``. Left as
    it is, it costs, per character, the class transition into it plus its letter-pair
    cost, which is at most its unigram cost plus ``_PAIR_SLACK_BITS`` (hangul is scored
    by unigram alone), and
    then the transition out to the next letter; no word or script term applies between
    two letters. When that is below the repair's price less the report floor,
    :func:`_judge` finds genuine cheaper than any repair and :func:`_decision` reports
    nothing: most clusters of clean CJK text are settled by a few subtractions.
    ``tests/test_cjk_fastpath.py`` checks the bound against the full judgement."""
    hit = _bounds_memo.get(run)
    if hit is not None and hit[0] is m:
        return hit[1]
    tables = _interior_tables(m)
    costs = list(map(tables.costs.__getitem__, run))
    classes = list(map(tables.classes.__getitem__, run))
    width = len(CLASSES)
    entering = [0.0, *map(tables.transitions.__getitem__,
                          map(add, map(mul, classes[:-1], repeat(width)), classes[1:]))]
    bounds = costs, [0.0, *accumulate(costs)], [0.0, *accumulate(entering)]
    _bounds_memo.put(run, (m, bounds), len(run))
    return bounds


#: The bounds of recent runs: a run is read with several codecs in a row.
_bounds_memo = _Memo(1 << 16)


def _interior_settled(bounds: tuple[list[float], list[float], list[float]], start: int,
                      end: int, limit: float) -> bool:
    """Whether the cluster ``run[start:end]`` lies between two letters of CJK text and
    costs, at most, less than ``limit`` bits as it is (see :func:`_interior_bounds`)."""
    costs, cost_sums, entering_sums = bounds
    return (0 < start and end < len(costs) and costs[start - 1] < _NOT_INTERIOR
            and costs[end] < _NOT_INTERIOR
            and (cost_sums[end] - cost_sums[start]) + (entering_sums[end + 1]
                                                        - entering_sums[start]) < limit)


def _letter_at(line: str, index: int) -> bool:
    """Whether ``line[index]`` is a non-ASCII letter: one the codec cannot produce
    touching a repaired span is genuine text glued to mojibake, like any other."""
    if index < 0 or index >= len(line) or line[index] < "\x80":
        return False
    return char_class(line[index]) in LETTER_CLASSES


def _spans(decision: _Decision) -> Iterator[tuple[int, int, str]]:
    """Maximal repaired stretches of a decision: (start, end, replacement), run indices."""
    bounds, decoded = decision.bounds, decision.decoded
    i = 0
    n = len(decision.repaired)
    while i < n:
        if not decision.repaired[i]:
            i += 1
            continue
        j = i
        while j < n and decision.repaired[j]:
            j += 1
        yield bounds[i], bounds[j], "".join(decoded[i:j])
        i = j


def _undecodable_stretches(run: str, covered: frozenset[int]) -> Iterator[tuple[int, int]]:
    i, n = 0, len(run)
    while i < n:
        if i in covered:
            i += 1
            continue
        j = i
        while j < n and j not in covered:
            j += 1
        yield i, j
        i = j


def _choose_readings(m: CharModel, line: str, runs: list[tuple[int, str]],
                     codecs: tuple[str, ...]) -> list[_RunReading | None]:
    """The reading of every run of a line, with the line as context.

    First every run is read on its own, with every codec. The codec that explains the
    most (``gain``) over the line is its *line codec*. Runs are then read again: with
    the line codec and ``CONTEXT_PRIOR_BITS`` where *other* runs of the line already
    are confident mojibake of it (``LINE_EVIDENCE_BITS``; a run's own evidence never
    counts twice), and the
    reading that gains most wins, the line codec on a tie; another codec pays
    ``CODEC_SWITCH_BITS``.
    """
    alone: list[dict[str, _RunReading] | None] = []
    evidence: dict[str, float] = {}
    for run_start, run in runs:
        groups = _run_groups(run, codecs)
        if not groups:
            alone.append(None)  # no codec finds an atom: every reading is empty
            continue
        # ``readings`` maps a codec to a reading that may carry another codec of its
        # group (same atoms, same reading); the chosen one is relabelled below.
        readings: dict[str, _RunReading] = {}
        prior = _NEVER_BITS if _LINE_ART_RE.fullmatch(run) else PRIOR_BITS
        for members in groups:
            reading = _read_run(m, line, run_start, run, members[0], prior)
            for codec in members:
                if _acceptable(reading, codec, run):
                    readings[codec] = reading
        alone.append(readings)
        for codec, reading in readings.items():
            if reading.gain > 0:
                evidence[codec] = evidence.get(codec, 0.0) + reading.gain
    line_codec = max(codecs, key=lambda c: evidence.get(c, 0.0)) if evidence else None
    order = ((line_codec,) if line_codec else ()) + tuple(c for c in codecs if c != line_codec)
    chosen: list[_RunReading | None] = []
    for (run_start, run), readings in zip(runs, alone):
        if readings is None:
            chosen.append(_empty_reading(order[0]))
            continue
        candidates = dict(readings)
        if line_codec is not None:
            own = readings.get(line_codec)
            if (own is not None and own.clusters
                    and evidence[line_codec] - max(own.gain, 0.0) > LINE_EVIDENCE_BITS):
                again = _read_run(m, line, run_start, run, line_codec, CONTEXT_PRIOR_BITS)
                if _acceptable(again, line_codec, run):
                    candidates[line_codec] = again
        # The first codec of ``order`` with the highest score wins. Codecs without a
        # reading all score as an empty one, so only the first of them can win.
        ranks = _ranks(order)
        missing = next((c for c in order if c not in candidates), None)
        best_codec, best, best_score, best_rank = None, None, 0.0, len(order)
        for codec, reading in [*candidates.items(), (missing, None)]:
            if codec is None:
                continue
            score = reading.gain if reading is not None else 0.0
            if line_codec is not None and codec != line_codec:
                score -= CODEC_SWITCH_BITS
            rank = ranks[codec]
            if best_codec is None or score > best_score or (score == best_score
                                                             and rank < best_rank):
                best_codec, best, best_score, best_rank = codec, reading, score, rank
        if best is not None and best_score <= 0 < best.gain and line_codec:
            best_codec, best = line_codec, candidates.get(line_codec)
        if best is None:
            best = _empty_reading(best_codec)
        elif best.codec != best_codec:
            best = replace(best, codec=best_codec)
        chosen.append(best)
    return chosen


def _acceptable(reading: _RunReading, codec: str, run: str) -> bool:
    """Whether a reading may stand. A single-byte code page turns every byte into a
    character, so its mojibake is a whole run that re-encodes to UTF-8 (``Г¶Гџ``,
    ``п÷я─п╦``), apart from characters the code page cannot have produced (text that
    another engine already repaired). A reading that repairs only part of the rest is a
    coincidence in text that is garbled some other way (ftfy's "hopeless garble")."""
    if is_multi_byte(codec) or not any(any(d.repaired) for d in reading.decisions):
        return True
    only = sibling_only(codec)
    if only is not None and not only.search(run):
        return False  # read the same by an ftfy code page: the Latin engine's call
    # A span that ftfy's own code pages read as other UTF-8 (``ÅŸ``: Turkish ``ş`` in
    # cp1252, ``ž`` in Latin-9) is ambiguous, and the commoner decoder has the prior: this
    # reading stands only if the model prefers it to theirs by ``SIBLING_PRIOR_BITS`` (as
    # the Latin engine's sibling re-read asks of a line ftfy repaired).
    ours: list[tuple[int, int, str]] = []
    theirs: list[tuple[int, int, str]] = []
    for decision in reading.decisions:
        for start, end, text in _spans(decision):
            ours.append((start, end, text))
            ftfy_reading = ftfy_page_reading(run[start:end])
            theirs.append((start, end, text if ftfy_reading is None else ftfy_reading[1]))
    if theirs != ours:
        m = model()
        if m.cost(splice(run, ours)) + SIBLING_PRIOR_BITS >= m.cost(splice(run, theirs)):
            return False
    if not reading.complete:
        return False
    # Punctuation beside the mojibake may be genuine (a ’ that ftfy already repaired);
    # a letter left over means the run is not this code page's mojibake.
    covered = reading.covered
    return not any(ch.isalpha() and i not in covered
                   for match in _piece_re(codec).finditer(run)
                   for i, ch in enumerate(match.group(), match.start()))


@lru_cache(maxsize=256)
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    return {codec: rank for rank, codec in enumerate(order)}


_group_cache = _Memo(1 << 20)  # characters of runs


def _run_groups(run: str, codecs: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The codecs that find atoms in ``run``, grouped by identical atoms (in the order
    of ``codecs``): one reading of the run serves a whole group."""
    key = (codecs, run)
    groups = _group_cache.get(key)
    if groups is None:
        # Keyed on identity (interned atoms), holding the atoms so that no identity is
        # reused should the memo empty itself midway.
        by_atoms: dict[int, tuple[object, list[str]]] = {}
        leads = _single_byte_leads(codecs)
        single_byte_possible = leads is not None and leads.search(run) is not None
        for codec in codecs:
            if not is_multi_byte(codec):
                if not single_byte_possible:
                    continue  # no UTF-8 lead byte in any code page: no atom (CJK text)
                if not _single_byte_pair_re(codec).search(run):
                    continue  # no lead byte before a continuation byte (a Cyrillic word)
            elif not _multi_byte_starter_re(codec).search(run):
                continue  # no character begins with a lead byte (a Cyrillic word in GBK)
            atoms = _atoms_of(run, codec)
            if atoms:
                by_atoms.setdefault(id(atoms), (atoms, []))[1].append(codec)
        groups = tuple(tuple(members) for _, members in by_atoms.values())
        _group_cache.put(key, groups, len(run))
    return groups


@lru_cache(maxsize=64)
def _single_byte_leads(codecs: tuple[str, ...]) -> re.Pattern[str] | None:
    """The characters that the single-byte code pages among ``codecs`` give a UTF-8 lead
    byte (C2-F4): a run without one holds no atom for any of them, which one search
    tells for all of them at once (a run of clean CJK text, for a dozen code pages)."""
    chars = _single_byte_lead_chars(codecs)
    return re.compile("[" + _char_class_ranges(chars) + "]") if chars else None


@lru_cache(maxsize=64)
def _single_byte_pair_re(codec: str) -> re.Pattern[str]:
    """Two characters that a single-byte code page gives a UTF-8 lead byte and then a
    continuation byte: the least an atom of it holds. Most words of the script a code
    page is made for hold none (``привет`` is all lead bytes in cp1251), and one search
    tells so without encoding the run."""
    leads = _single_byte_lead_chars((codec,))
    continuations = {bytes([value]).decode(codec, errors="ignore") for value in range(0x80, 0xC0)}
    continuations |= set(_c1_undo(codec))
    continuations.discard("")
    if not leads or not continuations:
        return re.compile("(?!)")
    return re.compile("[" + _char_class_ranges(leads) + "][" + _char_class_ranges(continuations)
                      + "]")


def _single_byte_lead_chars(codecs: tuple[str, ...]) -> set[str]:
    """What the single-byte code pages among ``codecs`` make of the UTF-8 lead bytes."""
    chars = {bytes([value]).decode(codec, errors="ignore")
             for codec in codecs if not is_multi_byte(codec) for value in range(0xC2, 0xF5)}
    chars.discard("")
    return chars


def _later_layer_edit(m: CharModel, line: str, offset: int, run_start: int, run: str,
                      codecs: tuple[str, ...]) -> Edit | None:
    """A run that is CJK mojibake whose UTF-8 was read once more as a single-byte codec
    (``à`` -> ``脿`` -> ``è„¿``), when no other engine undid that later layer: the
    run is read back through ``EARLIER_LAYERS``, the result must be explained entirely
    as mojibake of one CJK codec, and the final text is judged against the run."""
    if _NOT_EARLIER_LAYER_RE.search(run):
        return None  # a character no earlier layer's code page has (any Cyrillic word)
    for outer in EARLIER_LAYERS:
        try:
            middle = run.encode(outer).decode("utf-8")
        except UnicodeError:
            continue
        if middle == run or middle.isascii():
            continue
        virtual = line[:run_start] + middle + line[run_start + len(run):]
        runs = [(match.start(), match.group()) for match in _RUN_RE.finditer(middle)]
        runs = [(run_start + start, text) for start, text in runs]
        pieces: list[str] = []
        position = run_start
        codec = None
        for (start, text), reading in zip(runs, _choose_readings(m, virtual, runs, codecs)):
            if reading is None or reading.gain <= 0 or len(reading.covered) != len(text):
                break
            if codec not in (None, reading.codec):
                break
            if not reading.complete:
                break
            codec = reading.codec
            pieces.append(virtual[position:start])
            replaced = list(text)
            for decision in reading.decisions:
                for a, b, repaired in _spans(decision):
                    replaced[a] = repaired
                    for k in range(a + 1, b):
                        replaced[k] = ""
                if not all(decision.repaired):
                    break
            else:
                pieces.append("".join(replaced))
                position = start + len(text)
                continue
            break
        else:
            if codec is None:
                continue
            pieces.append(virtual[position:run_start + len(middle)])
            final = "".join(pieces)
            before = m.state_before(line, run_start)
            end = run_start + len(run)
            genuine, state = m.cost_from(before, run)
            genuine += m.closing_cost(state, line, end)
            fixed, state = m.cost_from(before, final)
            fixed += m.closing_cost(state, line, end) + PRIOR_BITS
            return Edit(offset + run_start, offset + end, final,
                        (Layer("utf-8", codec), Layer("utf-8", outer)),
                        probability(genuine - fixed))
    return None


#: A character that none of ``EARLIER_LAYERS`` can encode.
_NOT_EARLIER_LAYER_RE = re.compile("[^" + re.escape("".join(sorted(
    {chr(c) for c in range(0x100)}
    | {bytes([b]).decode(codec, "ignore") for b in range(0x80, 0x100) for codec in EARLIER_LAYERS}
    - {""}))) + "]")


_codec_orders: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}


def _codec_order(codecs: tuple[str, ...], first: str) -> tuple[str, ...]:
    """``codecs`` with ``first`` moved to the front."""
    order = _codec_orders.get((codecs, first))
    if order is None:
        order = _codec_orders[codecs, first] = (first,) + tuple(c for c in codecs if c != first)
    return order


@lru_cache(maxsize=None)
def is_multi_byte(codec: str) -> bool:
    """Whether ``codec`` reads some pair of high bytes as one character (GBK, Big5...).

    >>> is_multi_byte("gbk"), is_multi_byte("koi8_r")
    (True, False)
    """
    return any(len(bytes([lead, trail]).decode(codec, errors="replace")) == 1
               for lead in range(0x80, 0x100) for trail in (0x40, 0xA1))


@lru_cache(maxsize=64)
def _multi_byte(codecs: tuple[str, ...]) -> tuple[str, ...]:
    """The codecs whose lossy failures :mod:`mojifix.lossy` models: a single-byte code
    page loses no byte it reads (undefined ones come through as C1 controls)."""
    return tuple(c for c in codecs if is_multi_byte(c))


def _line_edits(line: str, offset: int, options: Options, m: CharModel,
                lone: list[Undecodable] | None = None, lossy: bool = True) -> list[Edit]:
    """The edits of one line. Stretches whose only evidence of loss is that they stand
    alone go to ``lone`` when given, for the caller to reconstruct only if the text
    shows intact mojibake of some codec (see :func:`find_cjk_edits`)."""
    edits: list[Edit] = []
    codecs = options.model_codecs
    runs = [(match.start(), match.group()) for match in _RUN_RE.finditer(line)]
    for (run_start, run), best in zip(runs, _choose_readings(m, line, runs, codecs)):
        if best is None:
            continue
        repaired_at: set[int] = set()
        layer = (Layer("utf-8", best.codec),)
        for decision in best.decisions:
            if any(decision.repaired):
                confidence = probability(decision.gain)
                chain = layer if decision.earlier is None else (
                    Layer("utf-8", decision.earlier),) + layer
                for start, end, text in _spans(decision):
                    repaired_at.update(range(start, end))
                    edits.append(Edit(offset + run_start + start, offset + run_start + end,
                                      text, _commonest_chain(chain, run[start:end], text),
                                      confidence))
                continue
            confidence = probability(decision.all_gain)
            if REPORT_FLOOR <= confidence < options.min_confidence:
                edits.append(Edit(offset + run_start + decision.start,
                                  offset + run_start + decision.end,
                                  "".join(decision.decoded), layer, confidence))
        if not repaired_at:
            later = _later_layer_edit(m, line, offset, run_start, run, codecs)
            if later is not None:
                if later.confidence >= REPORT_FLOOR:
                    edits.append(later)
                if later.confidence >= options.min_confidence:
                    continue
        if not lossy:
            continue
        if repaired_at:
            order = _multi_byte(_codec_order(codecs, best.codec))
            covered = best.covered
        else:
            order, covered = _multi_byte(codecs), frozenset()
        for start, end in _undecodable_stretches(run, covered):
            stretch = Undecodable(line, offset, run_start + start, run_start + end, order,
                                  start - 1 in repaired_at, end in repaired_at)
            if lone is not None and _lossy_evidence(stretch) == "lone":
                lone.append(stretch)
                continue
            edits.extend(reconstruct_undecodable(stretch, options))
    return edits


def _commonest_chain(chain: tuple[Layer, ...], original: str, text: str
                     ) -> tuple[Layer, ...]:
    """The chain of a repair, named after ftfy's own code page when that reads the span
    the same (``é›…`` is ``雅`` in cp1256 and in cp1252 alike: the explanation names the
    far commoner cp1252)."""
    if len(chain) != 1 or is_multi_byte(chain[0].read_as):
        return chain
    ftfy_reading = ftfy_page_reading(original)
    if ftfy_reading is None or ftfy_reading[1] != text:
        return chain
    return (Layer("utf-8", ftfy_reading[0]),)


def _codecs_with_evidence(edits: list[Edit], options: Options) -> set[str]:
    """The codecs that confident repairs of intact mojibake (not lone remnants, not
    guesses) in ``edits`` were read with."""
    return {
        layer.read_as
        for e in edits
        if LONE_NOTE not in e.notes and not e.guesses and e.confidence >= options.min_confidence
        for layer in e.chain
    }


_starter_res: dict[tuple[str, ...], tuple[re.Pattern[str], ...]] = {}


def _gb18030_first_lead() -> int:
    """The first supplementary code point that GB18030 encodes starting with a UTF-8
    lead byte (0xC2 or more); its four-byte encoding is monotonic in the code point."""
    low, high = 0x10000, 0x10FFFF
    while low < high:
        middle = (low + high) // 2
        if chr(middle).encode("gb18030")[0] >= 0xC2:
            high = middle
        else:
            low = middle + 1
    return low


def _starter_res_for(codecs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Regexes that find a character able to begin an atom: one that some codec
    encodes starting with a UTF-8 lead byte (0xC2-0xF4), or a Latin-1/cp1252 lead byte
    followed by a continuation byte (a later single-byte layer, ``è„¿``). A line with
    neither holds no mojibake of these codecs and no partial UTF-8 sequence either, so
    clean English, European and most punctuation-only lines are skipped at C speed.

    Two patterns, not one alternation: a single character class is searched by the
    regex engine's fast charset scan, an alternation tries every branch at every
    position (several times slower on clean text)."""
    patterns = _starter_res.get(codecs)
    if patterns is None:
        chars: set[str] = set()
        astral = False
        # A single-byte code page gives a lead byte a character of its own, often a
        # common letter or dash: there an atom needs the continuation character too.
        single_leads: set[str] = set()
        single_continuations: set[str] = set()
        for codec in codecs:
            if not is_multi_byte(codec):
                single_leads |= _single_byte_lead_chars((codec,))
                single_continuations.update(bytes([b]).decode(codec, "ignore") or chr(b)
                                            for b in range(0x80, 0xC0))
                single_continuations.update(_c1_undo(codec))
                continue
            chars |= _multi_byte_starters(codec)
            astral = astral or _is_gb18030(codec)
        leads = "".join(chr(b) for b in range(0xC2, 0xF5))
        continuations = "".join(sorted({bytes([b]).decode(c, "ignore") or chr(b)
                                        for b in range(0x80, 0xC0) for c in EARLIER_LAYERS}))
        single = _char_class_ranges(chars) if chars else ""
        if astral:
            single += _GB18030_ASTRAL_STARTERS
        found = ([re.compile("[" + single + "]")] if single else []) + [
                 re.compile("[" + re.escape(leads) + "][" + re.escape(continuations) + "]")]
        single_leads.discard("")
        single_continuations.discard("")
        if single_leads and single_continuations:
            found.append(re.compile("[" + _char_class_ranges(single_leads) + "]["
                                    + _char_class_ranges(single_continuations) + "]"))
        patterns = _starter_res[codecs] = tuple(found)
    return patterns


def _is_gb18030(codec: str) -> bool:
    return codec.replace("-", "").replace("_", "").lower() == "gb18030"


#: GB18030 writes a supplementary character as four bytes whose first byte grows with
#: the code point (0x90-0xE3): only the highest planes start with a UTF-8 lead byte.
#: Emoji (0x95...) never do. (A character class range.)
_GB18030_ASTRAL_STARTERS = re.escape(chr(_gb18030_first_lead())) + "-\U0010ffff"


def _multi_byte_starters(codec: str) -> frozenset[str]:
    """The characters of the BMP that a multi-byte ``codec`` encodes starting with a
    UTF-8 lead byte (0xC2-0xF4): only there can an atom of it begin. The C1 stand-ins
    of ``_c1_undo`` re-encode to 0x80-0x9F, continuation bytes: they are no starters."""
    return _decoded_chars(codec, range(0xC2, 0xF5), range(0x30, 0x100))


@lru_cache(maxsize=64)
def _multi_byte_starter_re(codec: str) -> re.Pattern[str]:
    """One of :func:`_multi_byte_starters` (or, for GB18030, a high-plane character): a
    run without one holds no atom of ``codec`` (a Cyrillic or Greek word, which the
    CJK codecs encode with a continuation byte first), which one search tells."""
    chars = _multi_byte_starters(codec)
    single = _char_class_ranges(set(chars)) if chars else ""
    if _is_gb18030(codec):
        single += _GB18030_ASTRAL_STARTERS
    return re.compile("[" + single + "]") if single else re.compile("(?!)")


def triggers(codecs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Patterns one of which matches every text this engine would change with these
    codecs (see :mod:`mojifix.gate`): a line without a starter is never read."""
    return _starter_res_for(codecs)


def _starter_lines(text: str, patterns: tuple[re.Pattern[str], ...]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every line of ``text`` (``end`` past its newline) that holds
    a match of one of ``patterns``, in order. The patterns scan the whole text at C
    speed; only lines with a match cost any Python work."""
    pending = [pattern.search(text) for pattern in patterns]
    position = 0
    while True:
        starts = [match.start() for match in pending if match is not None]
        if not starts:
            return
        start, end = line_span(text, min(starts))
        yield start, end
        position = end
        pending = [match if match is None or match.start() >= position
                   else pattern.search(text, position)
                   for pattern, match in zip(patterns, pending)]


def find_cjk_edits(text: str, options: Options, only_lines: re.Pattern[str] | None = None,
                   lossy: bool = True) -> list[Edit]:
    """Propose edits that undo UTF-8 read as one of ``options.model_codecs`` (in the
    lines that match ``only_lines``, when given). ``lossy=False`` leaves out the search
    for lost bytes, for a caller that keeps only the readings of single-byte code pages
    (which lose no byte)."""
    if text.isascii() or not options.model_codecs:
        return []
    m = model()
    edits: list[Edit] = []
    lone: list[Undecodable] = []
    lines_read = 0
    for start, end in _starter_lines(text, _starter_res_for(options.model_codecs)):
        if only_lines is not None and not only_lines.search(text, start, end):
            continue
        lines_read += 1
        edits.extend(_line_edits(text[start:end], start, options, m, lone, lossy))
    edits = _demote_chance_findings(edits, lines_read, options)
    # A lone remnant's repair stands only beside intact mojibake of its codec elsewhere
    # in the text: where there is none (clean text), the costly search is skipped.
    if lone and _codecs_with_evidence(edits, options):
        for stretch in lone:
            edits.extend(reconstruct_undecodable(stretch, options))
        edits.sort(key=lambda edit: edit.start)
    edits = _drop_lone_repairs_without_evidence(edits, options)
    return _doubt_unsupported_repairs(text, edits, options, m)


#: Note on repairs left unapplied by :func:`_demote_chance_findings`.
CHANCE_NOTE = ("left alone: the text has so many lines that this codec's strongest "
               "evidence in it is what chance alone gives some line")


def _demote_chance_findings(edits: list[Edit], lines_read: int, options: Options
                            ) -> list[Edit]:
    """Demote a codec's repairs when none of them beats the prior by ``log2`` of the
    number of lines read.

    Every candidate must beat ``PRIOR_BITS``, odds of 1 in 4,096 against mojibake; a
    text of many lines offers as many chances to be fooled, and a clean word list of
    580,000 lines gave some 200 marginal "repairs" spread over five codecs (``习习 3
    ad`` -> ``ϰϰ``), which then passed for evidence that made its lone rare characters
    look like lossy remnants. Real mojibake of a codec has at least one repair far
    above the prior; so a codec stands in a text only if its strongest intact repair
    gains ``log2(lines)`` bits more than the prior asks: the chance of one false alarm
    per text, not per line, stays at the prior's odds (a Bonferroni bound). Short texts
    (a line, a paragraph, a page) are unaffected. Demoted repairs are still reported.
    """
    if lines_read < 2:
        return edits
    needed = math.log2(lines_read)
    best: dict[str, float] = {}
    for edit in edits:
        if edit.confidence >= options.min_confidence and not edit.guesses and (
                LONE_NOTE not in edit.notes):
            bits = log_odds(edit.confidence)
            for layer in edit.chain:
                best[layer.read_as] = max(best.get(layer.read_as, -math.inf), bits)
    weak = {codec for codec, bits in best.items() if bits < needed}
    if not weak:
        return edits
    return [replace(e, confidence=min(e.confidence, REPORT_FLOOR), notes=e.notes + (CHANCE_NOTE,))
            if e.confidence >= options.min_confidence and all(
                layer.read_as in weak for layer in e.chain) else e
            for e in edits]


def _drop_lone_repairs_without_evidence(edits: list[Edit], options: Options) -> list[Edit]:
    """Keep a lone lossy repair only where the text shows intact mojibake of its codec.

    A lone ``鈥`` between English words is a remnant when the same text also holds
    ``鈥檚``; a lone kanji in a Japanese page with no mojibake anywhere is genuine.
    """
    if not any(LONE_NOTE in e.notes for e in edits):
        return edits
    codecs_seen = _codecs_with_evidence(edits, options)
    return [
        e for e in edits
        if LONE_NOTE not in e.notes or any(layer.read_as in codecs_seen for layer in e.chain)
    ]


#: Notes on repairs left unapplied by :func:`_doubt_unsupported_repairs`.
WORD_EDGE_NOTE = ("left alone: one letter at the edge of an ASCII word, the word it would "
                  "make is in no word list, and nothing else in the text was read as this codec")
UNSEEN_NOTE = ("left alone: it gives one character no measured text has, and nothing "
               "else in the text was read as this codec")
#: Every note of a repair demoted for what the rest of the text shows (or lacks).
DOUBT_NOTES = (WORD_EDGE_NOTE, UNSEEN_NOTE, CHANCE_NOTE)


def _doubt_unsupported_repairs(text: str, edits: list[Edit], options: Options,
                               m: CharModel) -> list[Edit]:
    """Demote the weakest kinds of repair when nothing else in the text supports them.

    Two kinds are doubted: a repair into one Latin letter glued to one side of an ASCII
    word, and a repair into one character that none of the measured text holds.

    CJK text glues a character to the front or back of an ASCII word (``脱Windows``,
    ``用Python``), and a character read as another CJK codec's mojibake of UTF-8 gives
    one Latin letter (``æWindows``): the character model alone cannot tell these from
    ``caf茅``. What can: the word the repair would make being one that people write
    (the word lists of :mod:`mojifix.lossy_tables`), or the same codec's mojibake
    elsewhere in the text. The doubt arises only where the line holds CJK text that
    nothing repairs (``脱QWERTYキーボード``): a line read with the wrong codec has no
    genuine CJK text left. Inside an ASCII word (``Bl酶bx``) the rule applies only on
    such a line too (``restart_after_crashがoff``, Japanese). A single-byte code page leaves no non-ASCII
    character of its line unmangled: German ``»Überschreibung« ist unmöglich`` is no
    Mac Roman mojibake, and its ``»Ü`` is no ``Ȇ``.

    A lone ideograph between tags (``<rb>飽</rb>``, ruby in a Japanese page) reads as
    some rare symbol (``˰``) under another codec; the model prices a character it never
    saw at its class floor, which can undercut a genuine but rare ideograph. A repair
    into such a character explains one unknown by another, and stands only with the
    codec's mojibake elsewhere in the text. Demoted repairs are still reported.
    """
    sure = [e for e in edits if e.confidence >= options.min_confidence and not e.guesses]
    edge = [e for e in sure if _lone_letter_at_word_edge(text, e)]
    unseen = [e for e in sure if len(e.replacement) == 1 and e.end - e.start == 1
              and not e.replacement.isascii() and not m.measured(e.replacement)]
    if not edge and not unseen:
        return edits
    # Support from the other repairs first (cheap); the word and line checks only for
    # candidates of codecs nothing else supports.
    candidate_ids = {id(e) for e in edge + unseen}
    supported = {layer.read_as for e in sure if id(e) not in candidate_ids for layer in e.chain}
    pending_edge = [e for e in edge if not any(l.read_as in supported for l in e.chain)]
    pending_unseen = [e for e in unseen if not any(l.read_as in supported for l in e.chain)]
    if not pending_edge and not pending_unseen:
        return edits
    by_start = sorted(sure, key=lambda e: e.start)
    starts = [e.start for e in by_start]
    notes = {id(e): UNSEEN_NOTE for e in pending_unseen}
    for e in pending_edge:
        if id(e) not in notes and _genuine_text_on_its_line(text, e, by_start, starts) and (
                not _known_word(_word_after(text, e, by_start, starts))):
            notes[id(e)] = WORD_EDGE_NOTE
    pending = pending_edge + pending_unseen
    supported |= {layer.read_as for e in pending if id(e) not in notes for layer in e.chain}
    demote = {id(e): notes[id(e)] for e in pending
              if id(e) in notes and not any(l.read_as in supported for l in e.chain)}
    if not demote:
        return edits
    return [replace(e, confidence=min(e.confidence, REPORT_FLOOR),
                    notes=e.notes + (demote[id(e)],)) if id(e) in demote else e
            for e in edits]


def _edits_within(by_start: list[Edit], starts: list[int], start: int, end: int) -> list[Edit]:
    """The edits of ``by_start`` (sorted by start; ``starts`` their starts) that begin in
    ``[start, end)``."""
    return by_start[bisect_left(starts, start):bisect_left(starts, end)]


def _lone_letter_at_word_edge(text: str, edit: Edit) -> bool:
    if len(edit.replacement) != 1 or edit.replacement.isascii() or not edit.replacement.isalpha():
        return False
    if not unicodedata.name(edit.replacement, "").startswith("LATIN"):
        return False
    before = text[edit.start - 1] if edit.start > 0 else " "
    after = text[edit.end] if edit.end < len(text) else " "
    ascii_before = before.isascii() and before.isalpha()
    ascii_after = after.isascii() and after.isalpha()
    # An ASCII letter on one side at least, and no other letter on either side (Japanese
    # glues a particle between two ASCII words too: ``crashがoff``).
    return (ascii_before or ascii_after) and (ascii_before or not before.isalpha()) and (
        ascii_after or not after.isalpha())


def _genuine_text_on_its_line(text: str, edit: Edit, by_start: list[Edit],
                              starts: list[int]) -> bool:
    """Whether the line of ``edit`` holds, outside every edit, text that its codec would
    have mangled too: for a multi-byte codec an ideograph, kana or hangul, or a non-ASCII
    letter of the script the repair replaces (Serbian ``Зoo архива`` read as Big5 would
    not have kept ``архива``, but genuine accented words beside a mangled ideograph are a
    mixed line, which is common); any non-ASCII character for a single-byte one
    (``»Überschreibung alter Dateien« ist unmöglich`` read as Mac Roman would not have
    kept ``«`` and ``ö``)."""
    start, end = line_span(text, edit.start)
    repaired = [(e.start, e.end) for e in _edits_within(by_start, starts, start, end)]
    single_byte = not any(is_multi_byte(layer.read_as) for layer in edit.chain)
    own_scripts = {char_class(ch) for ch in text[edit.start:edit.end]
                   if char_class(ch) in LETTER_CLASSES}
    return any((not ch.isascii() if single_byte
                else _is_wide_script(ch) or (not ch.isascii() and char_class(ch) in own_scripts))
               and not any(a <= i < b for a, b in repaired)
               for i, ch in enumerate(text[start:end], start))


def _word_after(text: str, edit: Edit, by_start: list[Edit], starts: list[int]) -> str:
    """The word around ``edit`` once it and the other edits inside that word apply."""
    start = edit.start
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = edit.end
    while end < len(text) and text[end].isalpha():
        end += 1
    pieces, position = [], start
    for e in _edits_within(by_start, starts, start, end):
        if e.start < position or e.end > end:
            continue
        pieces += [text[position:e.start], e.replacement]
        position = e.end
    pieces.append(text[position:end])
    return "".join(pieces)


def _known_word(word: str) -> bool:
    """Whether some Latin-script language's word list holds ``word`` (any case)."""
    from .lossy_score import LATIN_LANGUAGES, frequency_source

    source = frequency_source()
    forms = {word.lower(), word.casefold()}
    return any(source.word_prob(form, lang) > 0 for lang in LATIN_LANGUAGES for form in forms)
