"""Make lossy mojibake on purpose: UTF-8 decoded with a CJK codec that loses bytes.

Each failure mode of the field notes ("How lossy decoders lose bytes") is produced with
Python's own codecs and a codec error handler, independently of mojifix's model:

- ``drop``: ``errors="ignore"``; ``replace``: ``errors="replace"``;
- ``whatwg``: U+FFFD for a bad lead byte, which takes the next byte along unless that
  byte is ASCII (kept);
- ``question``: ``?`` for a bad lead byte and the byte after it (swallowed);
- ``substitute``: ``・`` like ``whatwg`` (Japanese Windows tools).

``lost_characters`` tells which characters of the original lost at least one byte, by
decoding byte by byte and watching which bytes the decoder skipped or replaced.
"""

from __future__ import annotations

import codecs
import random
from functools import lru_cache

MODES = ("drop", "replace", "whatwg", "question", "substitute")


@lru_cache(maxsize=None)
def _leads(codec: str) -> frozenset[int]:
    leads = set()
    for x in range(0x81, 0x100):
        for y in range(0x40, 0x100):
            try:
                if len(bytes([x, y]).decode(codec)) == 1:
                    leads.add(x)
                    break
            except UnicodeDecodeError:
                continue
    return frozenset(leads)


def _consumed(codec: str, mode: str, data: bytes, start: int) -> int:
    if mode in ("drop", "replace"):
        return start + 1
    if data[start] in _leads(codec) and start + 1 < len(data):
        if mode == "question" or data[start + 1] >= 0x80:
            return start + 2
    return start + 1


def corrupt(text: str, codec: str, mode: str) -> tuple[str, set[int]]:
    """The lossy mojibake of ``text`` and the indices of characters that lost bytes."""
    observed, lost, _ = corrupt_detailed(text, codec, mode)
    return observed, lost


def corrupt_detailed(text: str, codec: str, mode: str) -> tuple[str, set[int], set[int]]:
    """Like :func:`corrupt`, plus the characters lost *without trace*: every byte dropped
    silently, so nothing in the mojibake stands for them (Big5 drops all of ``’``)."""
    data = text.encode("utf-8")
    owner: list[int] = []
    for index, ch in enumerate(text):
        owner.extend([index] * len(ch.encode("utf-8")))
    lost: set[int] = set()
    marker = {"drop": "", "replace": "\ufffd", "whatwg": "\ufffd", "question": "?",
              "substitute": "\u30fb"}[mode]

    dropped: list[int] = []

    def handler(err: UnicodeDecodeError) -> tuple[str, int]:
        end = _consumed(codec, mode, err.object, err.start)
        for i in range(err.start, end):
            lost.add(owner[i])
            dropped.append(i)
        return marker, end

    name = f"mojifix-test-{mode}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, lambda e: _HANDLERS[-1](e))
    _HANDLERS.append(handler)
    try:
        out = data.decode(codec, errors=name)
    finally:
        _HANDLERS.pop()
    traceless: set[int] = set()
    if not marker:
        gone = set(dropped)
        traceless = {i for i in lost
                     if all(b in gone for b, o in enumerate(owner) if o == i)}
    return out, lost, traceless


_HANDLERS: list = []


def matched(original: str, output: str) -> set[int]:
    """Indices of ``original`` that an optimal alignment (edit distance) keeps in ``output``.

    Unlike ``difflib``'s longest-block matching, which misaligns text where many
    characters changed, this never reports a character missing that is in its place.
    """
    return alignment(original, output)[1]


def alignment(original: str, output: str) -> tuple[int, set[int]]:
    """Edit distance from ``original`` to ``output``, and the indices an optimal
    alignment keeps (see :func:`matched`)."""
    n, m = len(original), len(output)
    prev = list(range(m + 1))
    rows = [prev]
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        a = original[i - 1]
        for j in range(1, m + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != output[j - 1]))
        rows.append(cur)
        prev = cur
    kept: set[int] = set()
    i, j = n, m
    while i and j:
        here = rows[i][j]
        if original[i - 1] == output[j - 1] and here == rows[i - 1][j - 1]:
            kept.add(i - 1)
            i, j = i - 1, j - 1
        elif here == rows[i - 1][j - 1] + 1:
            i, j = i - 1, j - 1
        elif here == rows[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return rows[n][m], kept


def intact_back(original: str, lost: set[int], output: str) -> int:
    """How many of the characters of ``original`` that lost no byte appear in ``output``
    in their order (longest common subsequence): all of them when a reconstruction does
    no resynchronisation damage around the losses."""
    intact = [ch for i, ch in enumerate(original) if i not in lost]
    prev = [0] * (len(output) + 1)
    for ch in intact:
        cur = [0]
        for j, other in enumerate(output, 1):
            cur.append(prev[j - 1] + 1 if ch == other else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def sample_paragraphs(texts: list[str], count: int, seed: int, min_len: int = 40,
                      max_len: int = 300) -> list[str]:
    """Deterministic paragraphs (non-empty lines) drawn from ``texts``."""
    rng = random.Random(seed)
    lines = [ln.strip() for t in texts for ln in t.splitlines() if len(ln.strip()) >= min_len]
    rng.shuffle(lines)
    return [ln[:max_len] for ln in lines[:count]]
