"""Repair text of any size in bounded memory, without splitting a repair across chunks.

A repair never crosses the boundary between two ASCII characters: every mis-decoding that
mojifix undoes turns each non-ASCII UTF-8 sequence into non-ASCII characters (ASCII bytes
are never part of a multi-byte sequence), and engines work at most on one paragraph. So a
stream is cut at a paragraph break when there is one in reach, else at a line break, else
between two ASCII characters, and each piece is repaired on its own.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .lines import cut_near
from .options import DEFAULT_OPTIONS, Options
from .pipeline import fix_and_explain
from .result import Repair
from .textio import SNIFF_BYTES, UndecodableInputError, decode_bytes, is_binary, write_atomic

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
    return cut_near(_ASCII_PAIR_RE, text, max(0, floor - 1), limit)


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
    errors: str = "surrogateescape",
) -> StreamSummary:
    """Read ``encoding`` bytes from ``source``, write the repaired text to ``target``.

    Decoding and encoding are incremental, so memory stays bounded by the piece size.
    Invalid bytes are carried through unchanged (``surrogateescape``) or, with
    ``errors="strict"``, raise ``UnicodeDecodeError``.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    encoder = codecs.getincrementalencoder(encoding)(errors=errors)

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


#: Files at least this large are streamed by ``repair_large_file`` instead of read whole.
LARGE_FILE_BYTES = 32 << 20

#: Only UTF-8 files are streamed: they re-encode byte-exact, and corpora this large are
#: UTF-8. Legacy encodings keep the whole-file path, which preserves unchanged lines'
#: original bytes even where a codec's mapping does not round-trip.
_STREAMED_ENCODINGS = ("utf-8", "ascii")


@dataclass(frozen=True)
class LargeFileResult:
    """What streaming one large file found (spans are counted, not kept)."""

    encoding: str
    bom: bytes
    summary: StreamSummary


def is_streamable(path: Path, size: int) -> bool:
    """Whether ``repair_large_file`` should handle this file (large, UTF-8 or ASCII).

    Raises ``BinaryInputError`` for a binary file, like ``decode_bytes``.
    """
    if size < LARGE_FILE_BYTES:
        return False
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if is_binary(head):
        decode_bytes(head)  # raises BinaryInputError with the usual message
    return _head_encoding(path)[0] in _STREAMED_ENCODINGS


def _head_encoding(path: Path) -> tuple[str, bytes]:
    """Detect the encoding from the first megabyte, cut at a line end."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    cut = head.rfind(b"\n") + 1
    for sample in (head, head[:cut]) if cut else (head,):
        try:
            decoded = decode_bytes(sample)
        except UndecodableInputError:
            continue
        return decoded.encoding, decoded.bom
    return "unknown", b""


def repair_large_file(
    path: Path, options: Options = DEFAULT_OPTIONS, *, write: bool = False
) -> LargeFileResult:
    """Repair a large UTF-8 file in bounded memory; with ``write``, replace it atomically.

    The file is read once; with ``write`` the repaired bytes go to a temporary file that
    replaces the original only if something changed. Bytes that are not UTF-8 after the
    first megabyte raise ``UndecodableInputError`` and leave the file untouched.
    """
    encoding, bom = _head_encoding(path)
    summary: list[StreamSummary] = []

    def stream_into(target: BinaryIO) -> bool:
        with path.open("rb") as source:
            source.seek(len(bom))
            target.write(bom)
            try:
                summary.append(fix_binary_stream(source, target, encoding, options, errors="strict"))
            except UnicodeDecodeError as error:
                raise UndecodableInputError(f"not decodable as {encoding}: {error.reason}") from None
        return summary[-1].changed

    if write:
        write_atomic(path, stream_into)
    else:
        with open(os.devnull, "wb") as sink:
            stream_into(sink)
    return LargeFileResult(encoding, bom, summary[-1])
