"""Reconstruct what a lossy wrong decoder threw away.

When UTF-8 is read with a multi-byte codec (GBK, Big5, Shift_JIS, ...), byte pairs the
codec cannot decode are lost: dropped silently, or replaced by U+FFFD, ``?`` or ``・``
(see :mod:`mojifix.lossy_modes`). Re-encoding the mojibake with that codec gives back
every byte that survived, in order, with gaps where bytes were lost.

This module rebuilds the original text from those bytes:

1. every observed character becomes its bytes under the wrong codec (*cells*); a marker
   character becomes a hole of one or two unknown bytes;
2. a search walks the cells left to right and emits original characters. A character
   whose bytes all survived is decoded exactly, so nothing around a loss is damaged
   (no resynchronisation). Where the UTF-8 structure breaks, the character is completed
   with unknown bytes, drawn from a vocabulary of real characters (a byte trie), and
   every lost piece must be one the codec really fails on given the byte after it
   (:func:`~mojifix.lossy_modes.piece_fits`);
3. candidates are scored by :class:`~mojifix.lossy_score.ContextModel` (language,
   words, typography) while the search carries the state of open quotes through the
   paragraph, so an open ``“`` earlier wants a ``”``;
4. each reconstructed character gets a confidence from the max-marginals of the search
   (the best full reading that uses it against the best readings that use a rival).

Characters the evidence cannot decide become U+FFFD, the honest mark of loss.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .lossy_modes import CodecTable, LossMode, codec_table, piece_fits
from .lossy_score import ContextModel, char_class, frequency_source, guess_languages
from .options import DEFAULT_OPTIONS, Options
from .result import Guess

REPLACEMENT = "\ufffd"

#: At most this many bytes are assumed silently dropped inside one character.
MAX_DROPPED_PER_CHAR = 3

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

_KNOWN, _HOLE, _OPTIONAL = 0, 1, 2


@dataclass(frozen=True)
class _Cell:
    kind: int
    byte: int  # -1 for unknown
    src: int  # index of the observed character this cell came from
    hole: int  # hole number for _HOLE/_OPTIONAL cells, -1 otherwise
    literal: str = ""  # for a marker that may also be a real character ("?")


@dataclass(frozen=True)
class Reconstruction:
    """The original text rebuilt from a lossy mis-decoding, and how much was guessed.

    ``guesses`` index into ``text``. ``lost`` counts original characters that lost at
    least one byte (guessed or marked U+FFFD), ``intact`` those decoded exactly.
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
    #: For every character of ``text``, the index of the observed character it starts in.
    sources: tuple[int, ...] = field(default=(), repr=False)

    def part(self, start: int, end: int) -> tuple[str, tuple[Guess, ...]]:
        """The text rebuilt from observed characters ``start:end``, with its guesses."""
        chosen = [i for i, src in enumerate(self.sources) if start <= src < end]
        if not chosen:
            return "", ()
        lo, hi = chosen[0], chosen[-1] + 1
        guesses = tuple(
            Guess(g.position - lo, g.text, g.confidence, g.alternatives)
            for g in self.guesses if lo <= g.position < hi
        )
        return self.text[lo:hi], guesses

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


# -- vocabulary trie ------------------------------------------------------------------

_BASE_RANGES = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B
    (0x0300, 0x036F),  # combining marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
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
    cat = unicodedata.category(ch)
    return cat not in ("Cn", "Co", "Cs", "Cc")


@lru_cache(maxsize=16)
def _trie(languages: tuple[str, ...]) -> dict[int, object]:
    """A byte trie of the UTF-8 of every character worth proposing for a lost position."""
    chars: set[str] = set()
    for lo, hi in _BASE_RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    source = frequency_source()
    for lang in languages:
        table = source.chars(lang)
        chars.update(ch for ch, p in table.items() if p >= VOCAB_MIN_PROB and len(ch) == 1)
    root: dict[int, object] = {}
    for ch in chars:
        if not _assigned(ch) or ch.isascii():
            continue
        node = root
        data = ch.encode("utf-8")
        for b in data[:-1]:
            node = node.setdefault(b, {})  # type: ignore[assignment]
        node[data[-1]] = ch
    for b in range(0x80):
        root[b] = chr(b)
    return root


# -- cells ----------------------------------------------------------------------------

def _cells(observed: str, codec: str, mode: LossMode) -> list[_Cell] | None:
    cells: list[_Cell] = []
    marker = mode.marker
    hole = 0
    two_byte_holes = mode in (LossMode.WHATWG, LossMode.QUESTION, LossMode.SUBSTITUTE)
    for index, ch in enumerate(observed):
        if marker and ch == marker:
            literal = ch if ch.isascii() else ""
            cells.append(_Cell(_HOLE, -1, index, hole, literal))
            if two_byte_holes:
                cells.append(_Cell(_OPTIONAL, -1, index, hole))
            hole += 1
            continue
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            return None
        cells.extend(_Cell(_KNOWN, b, index, -1) for b in data)
    return cells


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


# -- expansions: the original characters that can start at a cell -----------------------

@dataclass(frozen=True)
class _Expansion:
    char: str
    data: tuple[tuple[int, int], ...]  # (byte, piece id); piece id -1 for a surviving byte
    end: int  # next cell
    literal: bool = False  # a marker read as the character it also is


class _Search:
    def __init__(self, cells: list[_Cell], mode: LossMode, table: CodecTable,
                 trie: dict[int, object], tail: bytes):
        self.cells = cells
        self.mode = mode
        self.table = table
        self.trie = trie
        self.tail = tail
        self._cache: dict[int, list[_Expansion]] = {}

    def lookahead(self, index: int) -> bytes:
        """Up to three surviving bytes from cell ``index`` on (then the tail)."""
        out = bytearray()
        cells = self.cells
        while index < len(cells) and len(out) < 3:
            cell = cells[index]
            if cell.kind != _KNOWN:
                return bytes(out)
            out.append(cell.byte)
            index += 1
        if index >= len(cells):
            out.extend(self.tail[: 3 - len(out)])
        return bytes(out)

    def expansions(self, index: int) -> list[_Expansion]:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        found: list[_Expansion] = []
        forced = self._intact(index)
        if forced is not None:
            found.append(forced)
        else:
            cell = self.cells[index]
            if cell.kind == _HOLE and cell.literal:
                end = index + 1
                if end < len(self.cells) and self.cells[end].kind == _OPTIONAL:
                    end += 1
                found.append(_Expansion(cell.literal, ((ord(cell.literal), -1),), end, True))
            self._walk(self.trie, index, [], 0, found)
        self._cache[index] = found
        return found

    def _intact(self, index: int) -> _Expansion | None:
        cells = self.cells
        cell = cells[index]
        if cell.kind != _KNOWN:
            return None
        length = _utf8_length(cell.byte)
        if not length or index + length > len(cells):
            return None
        run = cells[index : index + length]
        if any(c.kind != _KNOWN for c in run):
            return None
        data = bytes(c.byte for c in run)
        try:
            char = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return _Expansion(char, tuple((b, -1) for b in data), index + length)

    def _walk(self, node: dict[int, object], index: int, acc: list[tuple[int, int]],
              dropped: int, found: list[_Expansion]) -> None:
        cells = self.cells
        drop = self.mode is LossMode.DROP
        at_root = not acc
        if index >= len(cells):
            # Silently dropped bytes at the very end of the text.
            if drop and not at_root and dropped < MAX_DROPPED_PER_CHAR:
                self._insert(node, index, acc, dropped, found)
            return
        cell = cells[index]
        if cell.kind == _KNOWN:
            b = cell.byte
            child = node.get(b)
            if child is not None and self._ok_to_append(acc, b, -1, index):
                self._step(child, index + 1, acc + [(b, -1)], dropped, found)
            # Bytes were dropped only where the surviving ones cannot continue.
            forced = (not at_root and child is None) or (at_root and 0x80 <= b <= 0xBF)
            if drop and forced and dropped < MAX_DROPPED_PER_CHAR:
                self._insert(node, index, acc, dropped, found)
            return
        if cell.kind == _OPTIONAL:
            # The hole was one byte only: go on without consuming this cell.
            self._walk(node, index + 1, acc, dropped, found)
        for byte, sub in node.items():
            if self._ok_to_append(acc, byte, cell.hole, index):
                self._step(sub, index + 1, acc + [(byte, cell.hole)], dropped, found)

    def _insert(self, node: dict[int, object], index: int, acc: list[tuple[int, int]],
                dropped: int, found: list[_Expansion]) -> None:
        piece = -2 - index
        for byte, sub in node.items():
            if self._ok_to_append(acc, byte, piece, index):
                self._step(sub, index, acc + [(byte, piece)], dropped + 1, found)

    def _step(self, node: object, index: int, acc: list[tuple[int, int]], dropped: int,
              found: list[_Expansion]) -> None:
        if isinstance(node, str):
            if any(piece >= -1 for _, piece in acc):  # at least one observed cell
                found.append(_Expansion(node, tuple(acc), index))
            return
        self._walk(node, index, acc, dropped, found)  # type: ignore[arg-type]

    def _ok_to_append(self, acc: list[tuple[int, int]], byte: int, piece: int, index: int) -> bool:
        """Prune early: is ``byte`` (lost when ``piece != -1``) possible after ``acc``?"""
        if piece != -1 and byte < 0x80:
            # ASCII always decodes; it is lost only when a '?'-style decoder swallows
            # it as the second byte of a pair.
            if piece < -1 or self.mode is not LossMode.QUESTION:
                return False
            if not acc or acc[-1][1] != piece:
                return False
        if not acc:
            return True
        last_piece = acc[-1][1]
        if last_piece == -1 or last_piece == piece:
            return True
        # The lost piece just ended; check it against the byte that follows.
        start = len(acc)
        while start > 0 and acc[start - 1][1] == last_piece:
            start -= 1
        lost = bytes(b for b, _ in acc[start:])
        following = bytes([byte])
        if piece == -1:
            following += self.lookahead(index + 1)[:2]
        return piece_fits(self.table, self.mode, lost, following, marked=last_piece >= 0)

    def settle(self, pending: tuple[tuple[int, int], ...],
               exp: _Expansion) -> tuple[tuple[tuple[int, int], ...], bool]:
        """Check every lost piece that ends within ``pending + exp``.

        Returns the trailing piece still waiting for its next byte, and False when a
        piece is impossible for this codec and mode.
        """
        seq = pending + exp.data
        n = len(seq)
        i = 0
        while i < n:
            piece = seq[i][1]
            if piece == -1:
                i += 1
                continue
            j = i
            while j < n and seq[j][1] == piece:
                j += 1
            if j == n:
                if exp.end < len(self.cells) and self.cells[exp.end].kind != _KNOWN:
                    return seq[i:], True
                following = self.lookahead(exp.end)
            else:
                following = bytes(b for b, _ in seq[j : j + 3])
                if len(following) < 3 and all(p == -1 for _, p in seq[j:]):
                    following += self.lookahead(exp.end)[: 3 - len(following)]
            lost = bytes(b for b, _ in seq[i:j])
            if not piece_fits(self.table, self.mode, lost, following, marked=piece >= 0):
                return (), False
            i = j
        return (), True


# -- the search ---------------------------------------------------------------------

def _quote_step(state: tuple[int, int], ch: str, left: str | None,
                right: str | None) -> tuple[tuple[int, int], float]:
    """Carry the open/closed state of double and single quotes over ``ch``.

    Returns the new state and the log-probability of ``ch`` *as a quote* given the
    state: a closing mark closes the quote that is open, so ``”`` is likely after an
    open ``“`` and unlikely without one, and ``’`` in a closing position (before a
    space or punctuation) competes with ``”`` only when no double quote is open.
    """
    double, single = state
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


def _initial_quotes(before: str) -> tuple[int, int]:
    state = (0, 0)
    paragraph = before[before.rfind("\n") + 1 :]
    for i, ch in enumerate(paragraph):
        right = paragraph[i + 1] if i + 1 < len(paragraph) else None
        state, _ = _quote_step(state, ch, paragraph[i - 1] if i else None, right)
    return state


def _final_quote_penalty(state: tuple[int, int], after: str) -> float:
    paragraph = after.split("\n", 1)[0]
    closes_later = "\u201d" in paragraph
    if state[0] and not closes_later and ("\n" in after or not after):
        return UNCLOSED_AT_END
    if not state[0] and closes_later and "\u201c" not in paragraph.split("\u201d", 1)[0]:
        return UNMATCHED_CLOSE
    return 0.0


def _known_text(cells: list[_Cell], index: int, limit: int = 12) -> tuple[str, bool]:
    """The surviving characters from cell ``index`` on, and whether there is one."""
    out = bytearray()
    i = index
    # The second byte of a marker's hole is usually empty: look past it.
    while i < len(cells) and cells[i].kind == _OPTIONAL:
        i += 1
    while i < len(cells) and cells[i].kind == _KNOWN and len(out) < limit * 3:
        out.append(cells[i].byte)
        i += 1
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as err:
        text = out[: err.start].decode("utf-8")
    return text[:limit], bool(text)


@dataclass
class _Node:
    score: float
    back: tuple[tuple, _Expansion, float] | None
    tail: str  # the last characters of the best reading that reaches this state


def _search(observed: str, codec: str, mode: LossMode, model: ContextModel,
            languages: tuple[str, ...], before: str, after: str) -> tuple[float, list] | None:
    cells = _cells(observed, codec, mode)
    if cells is None:
        return None
    try:
        tail = after[:2].encode(codec)
    except UnicodeEncodeError:
        tail = b""
    search = _Search(cells, mode, codec_table(codec), _trie(languages), tail)
    _LAST_CELLS[0] = cells
    n = len(cells)
    start_key: tuple = (0, _initial_quotes(before), ())
    nodes: dict[tuple, _Node] = {start_key: _Node(0.0, None, before[-TAIL:])}
    by_cell: dict[int, list[tuple]] = {0: [start_key]}
    edges: dict[tuple, list[tuple[float, tuple, _Expansion]]] = {}
    right_cache: dict[int, tuple[str, bool]] = {}
    for i in range(n):
        for key in by_cell.pop(i, ()):
            node = nodes[key]
            _, quotes, pending = key
            out = edges.setdefault(key, [])
            for exp in search.expansions(i):
                new_pending, ok = search.settle(pending, exp)
                if not ok:
                    continue
                right = right_cache.get(exp.end)
                if right is None:
                    right = _known_text(cells, exp.end) if exp.end < n else (after[:12], True)
                    right_cache[exp.end] = right
                right_text, right_known = right
                local = 0.0
                if exp.literal or any(piece != -1 for _, piece in exp.data):
                    local += model.score(exp.char, node.tail, right_text, right_known)
                new_quotes, penalty = _quote_step(
                    quotes, exp.char, node.tail[-1:] or None,
                    (right_text[:1] or " ") if right_known else None,
                )
                local += penalty
                new_key = (exp.end, new_quotes, new_pending)
                out.append((local, new_key, exp))
                score = node.score + local
                old = nodes.get(new_key)
                if old is None:
                    by_cell.setdefault(exp.end, []).append(new_key)
                if old is None or score > old.score:
                    nodes[new_key] = _Node(score, (key, exp, local), (node.tail + exp.char)[-TAIL:])
    finals = {
        key: nodes[key].score + _final_quote_penalty(key[1], after)
        for key in by_cell.get(n, ())
        if not key[2]
    }
    if not finals:
        return None
    return _decode_best(nodes, finals, edges)


_LAST_CELLS: list[list[_Cell]] = [[]]

#: How many characters of left context a score sees (enough for a long word).
TAIL = 24


def _decode_best(nodes: dict[tuple, _Node], finals: dict[tuple, float],
                 edges: dict[tuple, list[tuple[float, tuple, _Expansion]]]) -> tuple[float, list]:
    best_key = max(finals, key=finals.__getitem__)
    # Backward pass: the best completion score from every state (for max-marginals).
    backward: dict[tuple, float] = dict(finals)
    for key in sorted(edges, key=lambda k: -k[0]):
        best = -math.inf
        for local, target, _ in edges[key]:
            rest = backward.get(target)
            if rest is not None and local + rest > best:
                best = local + rest
        if best > -math.inf:
            backward[key] = best
    path: list[tuple[tuple, _Expansion]] = []
    key = best_key
    while nodes[key].back is not None:
        prev_key, exp, _ = nodes[key].back  # type: ignore[misc]
        path.append((prev_key, exp))
        key = prev_key
    path.reverse()
    steps = []
    for prev_key, exp in path:
        forward = nodes[prev_key].score
        alternatives: dict[str, float] = {}
        for alt_local, target, alt in edges.get(prev_key, ()):
            rest = backward.get(target)
            if rest is None or not (alt.literal or any(p != -1 for _, p in alt.data)):
                continue
            total = forward + alt_local + rest
            if total > alternatives.get(alt.char, -math.inf):
                alternatives[alt.char] = total
        steps.append((exp, alternatives, prev_key[0]))
    return finals[best_key], steps


def reconstruct(observed: str, codec: str, options: Options = DEFAULT_OPTIONS, *,
                before: str = "", after: str = "", mode: LossMode | None = None,
                languages: dict[str, float] | None = None) -> Reconstruction | None:
    """Rebuild the original of ``observed``, UTF-8 that ``codec`` decoded lossily.

    ``before``/``after`` are the (already repaired) text around the span: they give the
    language and the state of open quotes. ``mode`` is the decoder's failure mode; by
    default every mode whose marker occurs is tried and the most plausible wins.
    Returns None when the bytes do not fit lossy UTF-8 at all.

    >>> r = reconstruct("鈥淭he army 鈥 keep running!鈥 he said", "gbk")
    >>> r.text, r.lost, r.mode.value
    ('“The army — keep running!” he said', 2, 'drop')
    """
    modes = [mode] if mode is not None else candidate_modes(observed, codec)
    # A marker that occurs is evidence of its mode: the silent-drop reading is only the
    # fallback, when no marker mode explains the bytes.
    marked = [m for m in modes if m is not LossMode.DROP]
    for group in (marked, [m for m in modes if m is LossMode.DROP]):
        best: Reconstruction | None = None
        for candidate in group:
            result = _reconstruct_mode(observed, codec, candidate, options, before, after, languages)
            if result is not None and (best is None or result.score > best.score):
                best = result
        if best is not None:
            return best
    return None


def candidate_modes(observed: str, codec: str) -> list[LossMode]:
    """The failure modes worth trying for ``observed``: those whose marker occurs."""
    modes = [LossMode.DROP]
    if REPLACEMENT in observed:
        modes += [LossMode.REPLACE, LossMode.WHATWG]
    if "?" in observed:
        modes.append(LossMode.QUESTION)
    if "\u30fb" in observed and codec.replace("-", "_") in ("shift_jis", "cp932", "euc_jp"):
        modes.append(LossMode.SUBSTITUTE)
    return modes


def _reconstruct_mode(observed: str, codec: str, mode: LossMode, options: Options,
                      before: str, after: str,
                      languages: dict[str, float] | None) -> Reconstruction | None:
    if languages is None:
        sample = before[-300:] + _readable_sample(observed, codec, mode) + after[:300]
        languages = guess_languages(sample)
    lang_key = tuple(sorted(lang for lang, w in languages.items() if w >= 0.05))
    model = ContextModel(languages)
    found = _search(observed, codec, mode, model, lang_key, before, after)
    if found is None:
        return None
    score, steps = found
    cells = _LAST_CELLS[0]
    return _assemble(steps, score, codec, mode, options, cells)


def _readable_sample(observed: str, codec: str, mode: LossMode) -> str:
    """The observed text read back as UTF-8, losses skipped (for telling the language)."""
    marker = mode.marker
    try:
        data = b"".join(b" " if marker and ch == marker else ch.encode(codec) for ch in observed)
    except UnicodeEncodeError:
        return ""
    return data.decode("utf-8", errors="ignore")


def _assemble(steps: list, score: float, codec: str, mode: LossMode,
              options: Options, cells: list[_Cell]) -> Reconstruction:
    out: list[str] = []
    guesses: list[Guess] = []
    sources: list[int] = []
    intact = lost = lost_bytes = earlier = 0
    for exp, alternatives, first_cell in steps:
        sources.append(cells[first_cell].src)
        lost_here = sum(1 for _, piece in exp.data if piece != -1)
        if not lost_here:
            if exp.char == REPLACEMENT:
                earlier += 1
            intact += not exp.literal
            out.append(exp.char)
            continue
        lost += 1
        lost_bytes += lost_here
        ranked = _normalise(alternatives)
        confidence = ranked.get(exp.char, 0.0)
        runners = tuple(
            (ch, p) for ch, p in sorted(ranked.items(), key=lambda kv: -kv[1]) if ch != exp.char
        )[:3]
        text = exp.char
        if not options.reconstruct_lost or confidence < options.min_guess_confidence:
            runners = ((exp.char, confidence),) + runners[:2]
            text = REPLACEMENT
        guesses.append(Guess(len("".join(out)), text, round(confidence, 4), runners))
        out.append(text)
    # Count lost bytes of markers read literally: none; of dropped bytes: counted above.
    notes = _notes(lost, lost_bytes, intact, earlier, guesses, codec, mode)
    return Reconstruction("".join(out), codec, mode, tuple(guesses), intact, lost, lost_bytes,
                          earlier, score, notes, tuple(sources))


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exp = {ch: math.exp(s - top) for ch, s in scores.items()}
    total = sum(exp.values())
    return {ch: value / total for ch, value in exp.items()}


def _notes(lost: int, lost_bytes: int, intact: int, earlier: int, guesses: Iterable[Guess],
           codec: str, mode: LossMode) -> tuple[str, ...]:
    notes: list[str] = []
    if lost:
        guesses = list(guesses)
        kept = sum(1 for g in guesses if g.text != REPLACEMENT)
        how = {
            LossMode.DROP: "dropped silently",
            LossMode.REPLACE: "replaced by U+FFFD",
            LossMode.WHATWG: "replaced by U+FFFD",
            LossMode.QUESTION: "replaced by '?'",
            LossMode.SUBSTITUTE: "replaced by '\u30fb'",
        }[mode]
        notes.append(
            f"{codec} {how} {lost_bytes} byte{'s' * (lost_bytes != 1)}: "
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

#: A stretch nobody else repairs must be explained this much better (nats per
#: character, under the character frequencies) than it reads as it stands.
MIN_GAIN_PER_CHAR = 1.0


def repair_undecodable(stretch: "UndecodableLike", options: Options = DEFAULT_OPTIONS) -> list:
    """Edits for a stretch of a line whose bytes are not valid UTF-8 (the CJK hook).

    The whole line is reconstructed at once (so quote pairing sees every lost quote of
    the paragraph) and the part that comes from ``line[start:end]`` is proposed.
    Genuine CJK text also re-encodes to invalid UTF-8, so a stretch is only rebuilt
    when the evidence is strong: it touches text the engine repairs as mojibake of the
    same codec, or its surviving characters read far more plausibly than the stretch.
    """
    from .edits import Edit
    from .result import Layer

    line, start, end = stretch.line, stretch.start, stretch.end
    # Markers that are ASCII ('?') belong to the stretch they touch.
    while end < len(line) and line[end] == "?":
        end += 1
    while start > 0 and line[start - 1] == "?":
        start -= 1
    for codec in stretch.codecs[:1] if (stretch.repaired_left or stretch.repaired_right) else stretch.codecs:
        result = _line_reconstruction(line, codec, options)
        if result is None:
            continue
        text, guesses = result.part(start, end)
        original = line[start:end]
        if not text or text == original:
            continue
        if not (stretch.repaired_left or stretch.repaired_right):
            if not _plausible_gain(original, text, result):
                continue
        notes = _notes(*_counts(text, guesses, original, codec, result.mode), codec, result.mode)
        notes += tuple(n for n in result.notes if "already lost" in n and REPLACEMENT in text)
        confidence = _edit_confidence(guesses)
        return [Edit(stretch.line_offset + start, stretch.line_offset + end, text,
                     (Layer("utf-8", codec),), confidence, guesses, notes)]
    return []


class UndecodableLike:  # pragma: no cover - documentation of the duck type
    """What :func:`repair_undecodable` reads from the CJK engine's ``Undecodable``."""

    line: str
    line_offset: int
    start: int
    end: int
    codecs: tuple[str, ...]
    repaired_left: bool
    repaired_right: bool


@lru_cache(maxsize=64)
def _line_reconstruction(line: str, codec: str, options: Options) -> Reconstruction | None:
    return reconstruct(line, codec, options)


def _counts(text: str, guesses: tuple[Guess, ...], original: str, codec: str,
            mode: LossMode) -> tuple[int, int, int, int, tuple[Guess, ...]]:
    lost = len(guesses)
    return lost, lost, len(text) - lost, text.count(REPLACEMENT) - sum(
        1 for g in guesses if g.text == REPLACEMENT), guesses


def _edit_confidence(guesses: tuple[Guess, ...]) -> float:
    """The edit is as sure as the repair of its surviving bytes; guesses carry their own."""
    if not guesses:
        return 0.9
    kept = [g.confidence for g in guesses if g.text != REPLACEMENT]
    return 0.9 if not kept else max(0.5, min(0.9, sum(kept) / len(kept)))


def _plausible_gain(original: str, text: str, result: Reconstruction) -> bool:
    """Do the surviving characters read far better than the stretch as it stands?"""
    model = ContextModel(guess_languages(text))
    before = ContextModel(guess_languages(original))
    kept = [ch for ch in text if ch != REPLACEMENT and not ch.isascii()]
    seen = [ch for ch in original if not ch.isascii()]
    if not kept or not seen:
        return False
    gain = (sum(math.log(model.unigram(c)) for c in kept) / len(kept)
            - sum(math.log(before.unigram(c)) for c in seen) / len(seen))
    lost_share = len([c for c in text if c == REPLACEMENT]) / max(1, len(text))
    return gain >= MIN_GAIN_PER_CHAR and lost_share <= 0.5
