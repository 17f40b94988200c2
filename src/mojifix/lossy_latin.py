"""Lost bytes in UTF-8 read as a single-byte code page: ``â€�`` is ``”``, not ``�``.

A Windows code page leaves a few bytes undefined (cp1252: 0x81, 0x8D, 0x8F, 0x90,
0x9D). A strict decoder turns them into U+FFFD, a database or converter into ``?``;
the UTF-8 sequence they belonged to is then cut: ``”`` (E2 80 9D) read as cp1252 becomes
``â€�``, ``Á`` (C3 81) becomes ``Ã?``. ftfy marks such sequences with U+FFFD; this
engine rebuilds them with :func:`mojifix.lossy.reconstruct`, the codec's single-byte
table saying which bytes can have been lost (only the undefined ones), and the context
choosing among them (quote pairing, words: ``Ã?frica`` is ``África``).

Each guess is put back as the intact mojibake it would have been (``Ñ\x81`` for
``с``) and ftfy repairs the patched line, exactly as the Latin engine would have
repaired it had nothing been lost (layers, a space that was 0xA0, ...); the result is
kept only when it reads better than ftfy's repair of the line as it is. So the engine
must run before the Latin engine, which would otherwise replace the cut sequence by
U+FFFD and so erase the surviving bytes (``E2 80``) that constrain the lost one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy code pages)

from . import plausibility
from .edits import Edit
from .lossy import REPLACEMENT, Reconstruction, reconstruct
from .lossy_modes import LossMode, codec_table
from .options import Options
from .result import Guess, Layer

#: Single-byte code pages with undefined bytes (so a strict decoder loses bytes), in the
#: order they are tried: the commonest wrong decoders of UTF-8 first.
CODECS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257")

_MARKERS = {LossMode.REPLACE: "\ufffd", LossMode.QUESTION: "?"}


#: UTF-8 lead bytes and how many continuation bytes each announces.
_LEADS = ((range(0xC2, 0xE0), 1), (range(0xE0, 0xF0), 2), (range(0xF0, 0xF5), 3))


def _codec_chars(codec: str, values: range) -> str:
    """What ``codec`` makes of each of these bytes (the undefined ones left out)."""
    return "".join(bytes([b]).decode(codec, errors="ignore") for b in values)


@lru_cache(maxsize=None)
def _pattern(codec: str) -> re.Pattern[str]:
    """A UTF-8 sequence as ``codec`` shows it, with a marker where a byte was lost:
    a lead character, then continuation characters or markers, at least one marker,
    and at most as many characters as the lead announces."""
    table = codec_table(codec)
    lost = "".join(f"\\x{b:02x}" for b in range(0x80, 0xC0) if not table.single[b])
    if not lost:
        return re.compile(r"(?!x)x")
    cont = re.escape(_codec_chars(codec, range(0x80, 0xC0)))
    mark = "[\ufffd?]"
    alternatives = []
    for lead_range, more in _LEADS:
        lead = re.escape(_codec_chars(codec, lead_range))
        # ``more`` continuation positions, at least one of them a marker.
        for k in range(more):
            alternatives.append(f"[{lead}][{cont}]{{{k}}}{mark}(?:[{cont}]|{mark}){{0,{more - k - 1}}}")
    return re.compile("|".join(alternatives))


#: What every line this engine repairs holds: a loss marker right after a non-ASCII
#: character. It begins with the (rare) marker, so the regex engine scans for it fast,
#: and :mod:`mojifix.gate` can join it to the other engines' triggers.
TRIGGER = re.compile("[\ufffd?](?<=[^\x00-\x7f][\ufffd?])")


def find_latin_lossy_edits(text: str, options: Options) -> list[Edit]:
    """Edits that rebuild UTF-8 sequences a single-byte code page read with loss.

    >>> [e.replacement for e in find_latin_lossy_edits("He said â€œhiâ€� and left", Options())]
    ['“', '”']
    """
    if text.isascii() or not options.latin or TRIGGER.search(text) is None:
        return []
    edits: list[Edit] = []
    position = 0
    for line in text.splitlines(keepends=True):
        if TRIGGER.search(line):
            edits.extend(_line_edits(line, position, options))
        position += len(line)
    return edits


def _line_edits(line: str, offset: int, options: Options) -> list[Edit]:
    """Rebuild the cut sequences of a line with the first code page that shows some, put
    each guess back as the intact mojibake it would have been (``Ñ�`` becomes ``Ñ\x81``),
    let ftfy repair the patched line as the Latin engine would, and keep the result only
    when it reads better (plausibility model) than ftfy's repair of the line as it is,
    which marks the loss with U+FFFD. A cut sequence inside layered mojibake, say, is
    better left alone."""
    for codec in CODECS:
        spans = [m.span() for m in _pattern(codec).finditer(line)]
        if not spans:
            continue
        if _genuine_upper_half(line, codec):
            continue
        # U+FFFD is loss itself; a ``?`` is punctuation unless the line shows that it was
        # misread: intact mojibake of the code page elsewhere (``â€œbbâ€?``). French puts
        # a no-break space before ``?``, and ``signé\xa0?`` alone is no cut ``預``.
        modes = [mode for mode, marker in sorted(_MARKERS.items(), key=lambda kv: kv[0].value)
                 if any(marker in line[a:b] for a, b in spans)
                 and (mode is not LossMode.QUESTION or _intact_re(codec).search(line))]
        readings = [r for r in (_reading(line, codec, mode, options) for mode in modes) if r]
        if not readings:
            continue
        result = max(readings, key=lambda r: r.score)
        return _patched_edits(line, offset, spans, result, codec)
    return []


@lru_cache(maxsize=None)
def _intact_re(codec: str) -> re.Pattern[str]:
    """Intact UTF-8 multi-byte sequences as ``codec`` shows them (``â€œ``, ``Ã©``)."""
    cont = re.escape(_codec_chars(codec, range(0x80, 0xC0)))
    return re.compile("|".join(f"[{re.escape(_codec_chars(codec, leads))}][{cont}]{{{more}}}"
                               for leads, more in _LEADS))


@lru_cache(maxsize=None)
def _sequence_re(codec: str) -> re.Pattern[str]:
    """UTF-8 sequences as ``codec`` shows them, cut by a loss marker or intact."""
    return re.compile(f"{_pattern(codec).pattern}|{_intact_re(codec).pattern}")


_NON_ASCII_RE = re.compile("[^\x00-\x7f\ufffd]")


def _genuine_upper_half(line: str, codec: str) -> bool:
    """Whether ``line`` holds a non-ASCII character outside every UTF-8 sequence (intact
    or cut) as ``codec`` shows it: ``é`` before ``j`` in ``déjà`` is a letter of text
    written in the code page itself, not a byte of UTF-8. A wrong decoder mangles a
    whole string, so such a line is genuine, and a ``?`` in it is punctuation: French
    puts a no-break space before it, and ``validé\xa0?`` is not a cut ``預``."""
    return _NON_ASCII_RE.search(_sequence_re(codec).sub("", line)) is not None


def _patched_edits(line: str, offset: int, spans: list[tuple[int, int]],
                   result: Reconstruction, codec: str) -> list[Edit]:
    patched: list[str] = []
    guessed: list[tuple[int, int, tuple[Guess, ...], int]] = []  # span, guesses, lost bytes
    position = 0
    for start, end in spans:
        text, guesses = result.part(start, end)
        if not guesses or len(text) != len(guesses) or REPLACEMENT in text:
            continue  # not rebuilt, or not confidently: ftfy marks the loss
        try:
            intact = text.encode("utf-8").decode(_SLOPPY[codec])
        except (UnicodeError, LookupError):
            continue
        patched.append(line[position:start])
        patched.append(intact)
        position = end
        guessed.append((start, end, guesses, result.part_lost_bytes(start, end)))
    if not guessed:
        return []
    patched.append(line[position:])
    ours, _ = ftfy.fix_encoding_and_explain("".join(patched))
    theirs = ftfy.fix_encoding(line)
    model = plausibility.model()
    if ours == theirs or model.cost(ours) >= model.cost(theirs):
        return []
    return _diff_edits(line, offset, ours, guessed, codec)


def _diff_edits(line: str, offset: int, fixed: str,
                guessed: list[tuple[int, int, tuple[Guess, ...], int]], codec: str) -> list[Edit]:
    """Edits from the line to its repair, each with the guesses of the cut sequences it
    covers (found in its replacement in order)."""
    edits: list[Edit] = []
    matcher = SequenceMatcher(None, line, fixed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = fixed[j1:j2]
        guesses: list[Guess] = []
        lost_bytes = 0
        search_from = 0
        for start, end, found, count in guessed:
            if not (i1 <= start and end <= i2):
                continue
            for g in found:
                at = replacement.find(g.text, search_from)
                if at < 0:
                    continue
                guesses.append(Guess(at, g.text, g.confidence, g.alternatives))
                search_from = at + 1
            lost_bytes += count
        left, right = line[max(0, i1 - 64) : i1], line[i2 : i2 + 64]
        # Cut UTF-8 sequences with a marker of loss are the detector: the repair is
        # judged as the Latin engine's are.
        confidence = plausibility.repair_confidence(line[i1:i2], replacement, left, right)
        notes: tuple[str, ...] = ()
        if guesses:
            notes = (f"{codec} lost {lost_bytes} byte{'s' * (lost_bytes != 1)}; "
                     f"{len(guesses)} lost character{'s' * (len(guesses) != 1)} "
                     "reconstructed by guess",)
        edits.append(Edit(offset + i1, offset + i2, replacement, (Layer("utf-8", codec),),
                          confidence, tuple(guesses), notes))
    return edits


#: ftfy's decoders that give every byte a character (undefined ones as C1 controls).
_SLOPPY = {codec: f"sloppy-windows-{codec[2:]}" for codec in CODECS}


@lru_cache(maxsize=256)
def _reading(line: str, codec: str, mode: LossMode, options: Options) -> Reconstruction | None:
    return reconstruct(line, codec, options, mode=mode)
