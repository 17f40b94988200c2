"""Repair text of any size in bounded memory, without splitting a repair across chunks.

A repair never crosses the boundary between two ASCII characters: every mis-decoding that
mojifix undoes turns each non-ASCII UTF-8 sequence into non-ASCII characters (ASCII bytes
are never part of a multi-byte sequence), and engines work at most on one paragraph. So a
stream is cut at a paragraph break when there is one in reach, else at a line break, else
between two ASCII characters, and each piece is repaired on its own.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator

from .options import DEFAULT_OPTIONS, Options
from .pipeline import fix_and_explain
from .result import Repair

#: Pieces are this many characters or a little more; large enough that the per-piece
#: overhead is negligible, small enough that memory stays bounded.
DEFAULT_PIECE_CHARS = 1 << 20

#: A piece with no safe cut (megabytes without two adjacent ASCII characters) is cut
#: anyway at this many times the piece size, to keep memory bounded.
_HARD_LIMIT_FACTOR = 8

_ASCII_PAIR_RE = re.compile(r"[\x00-\x7f](?=[\x00-\x7f])")


def safe_cut(text: str, limit: int) -> int | None:
    """Where to cut ``text`` (near ``limit`` characters in) without splitting a repair.

    Looks back from ``limit`` for a paragraph break, a line break or two adjacent ASCII
    characters, then forward; None when the text has no safe place at all yet.

    >>> safe_cut("one para\\n\\ntwo para\\nmore", 15)
    10
    >>> safe_cut("line one\\nline two", 12)
    9
    >>> safe_cut("abc鈥檚def", 5)
    2
    """
    floor = limit // 2
    for separator in ("\n\n", "\n"):
        index = text.rfind(separator, floor, limit)
        if index >= 0:
            return index + len(separator)
    last = None
    for match in _ASCII_PAIR_RE.finditer(text, max(0, floor - 1), limit):
        last = match
    if last is not None:
        return last.end()
    ahead = _ASCII_PAIR_RE.search(text, limit)
    return ahead.end() if ahead is not None else None


def iter_repairs(
    chunks: Iterable[str],
    options: Options = DEFAULT_OPTIONS,
    *,
    piece_chars: int = DEFAULT_PIECE_CHARS,
) -> Iterator[Repair]:
    """Repair a stream of text chunks piece by piece; concatenated ``.text`` is the result.

    >>> "".join(r.text for r in iter_repairs(["cafÃ", "© ok\\n", "cafÃ© ok\\n" * 2], piece_chars=8))
    'café ok\\ncafé ok\\ncafé ok\\n'
    """
    pending = ""
    for chunk in chunks:
        pending += chunk
        while len(pending) > piece_chars:
            cut = safe_cut(pending, piece_chars)
            if cut is None:
                if len(pending) < _HARD_LIMIT_FACTOR * piece_chars:
                    break  # wait for more text: a safe place may come
                cut = piece_chars  # pathological: no ASCII at all in megabytes
            yield fix_and_explain(pending[:cut], options)
            pending = pending[cut:]
    if pending:
        yield fix_and_explain(pending, options)


@dataclass(frozen=True)
class StreamSummary:
    """What a streamed repair did, without keeping the text in memory."""

    characters: int
    repairs: int
    changed: bool


def fix_binary_stream(
    source: BinaryIO,
    target: BinaryIO,
    encoding: str = "utf-8",
    options: Options = DEFAULT_OPTIONS,
    *,
    chunk_bytes: int = 1 << 20,
) -> StreamSummary:
    """Read ``encoding`` bytes from ``source``, write the repaired text to ``target``.

    Decoding and encoding are incremental, so memory stays bounded by the piece size.
    Invalid bytes are carried through unchanged (``surrogateescape``).
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    encoder = codecs.getincrementalencoder(encoding)(errors="surrogateescape")

    def chunks() -> Iterator[str]:
        while True:
            data = source.read(chunk_bytes)
            if not data:
                yield decoder.decode(b"", final=True)
                return
            yield decoder.decode(data)

    characters = repairs = 0
    changed = False
    for repair in iter_repairs(chunks(), options):
        characters += len(repair.original)
        repairs += len(repair.applied_spans)
        changed = changed or repair.changed
        target.write(encoder.encode(repair.text))
    target.write(encoder.encode("", final=True))
    return StreamSummary(characters, repairs, changed)
