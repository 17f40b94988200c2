"""How lossy decoders lose bytes: the failure modes, and byte tables to check them.

When a multi-byte decoder (GBK, Big5, Shift_JIS, ...) meets bytes it cannot decode,
real tools do one of a few things (see the field notes):

* ``DROP``: the bad byte vanishes silently (Python's ``errors="ignore"``, iconv ``-c``);
  decoding resumes at the next byte, so a space after a lost lead byte survives.
* ``REPLACE``: one U+FFFD per bad byte, decoding resumes at the next byte (Python's
  ``errors="replace"``).
* ``WHATWG``: one U+FFFD per bad sequence; a lead byte followed by an ASCII byte loses
  only itself (the ASCII byte is kept), followed by a non-ASCII byte it takes that byte
  with it (browsers, the Encoding Standard).
* ``QUESTION``: ``?`` for the bad lead byte **and the byte after it**, so a space or a
  ``)`` after the lost character vanishes too (database drivers, old Windows tools).
* ``SUBSTITUTE``: ``・`` in place of the bad sequence, consuming like ``WHATWG``
  (Japanese Windows tools).

A reconstruction never trusts one mode blindly: for every lost piece it proposes, it
checks with :func:`piece_fits` that the decoder, in that mode, would have failed on
exactly those bytes given the byte that followed them. The check is table driven (two
bytes of look-ahead), so it is exact for the double-byte codecs and a close
approximation for GB18030's rare four-byte sequences.
"""

from __future__ import annotations

import codecs
from enum import Enum
from functools import lru_cache


class LossMode(str, Enum):
    """What a lossy decoder put where it could not decode (see module docstring)."""

    DROP = "drop"
    REPLACE = "replace"
    WHATWG = "whatwg"
    QUESTION = "question"
    SUBSTITUTE = "substitute"

    @property
    def marker(self) -> str:
        """The character the decoder emitted for lost bytes ('' when it emitted nothing).

        >>> LossMode.QUESTION.marker, LossMode.DROP.marker
        ('?', '')
        """
        return _MARKERS[self]


_MARKERS = {
    LossMode.DROP: "",
    LossMode.REPLACE: "\ufffd",
    LossMode.WHATWG: "\ufffd",
    LossMode.QUESTION: "?",
    LossMode.SUBSTITUTE: "\u30fb",
}


class CodecTable:
    """Which bytes a double-byte codec decodes alone, which start a pair, which pairs work.

    Built once per codec by asking the codec itself, so it follows Python's tables
    exactly (including unassigned pairs inside valid ranges).
    """

    def __init__(self, codec: str) -> None:
        self.codec = codecs.lookup(codec).name
        single = bytearray(256)
        lead = bytearray(256)
        pairs: list[bytes] = []
        for x in range(256):
            try:
                if len(bytes([x]).decode(self.codec)) == 1:
                    single[x] = 1
                    pairs.append(b"")
                    continue
            except UnicodeDecodeError:
                pass
            row = self._row(x)
            if any(row):
                lead[x] = 1
            pairs.append(row)
        self.single = bytes(single)
        self.lead = bytes(lead)
        self._pairs = pairs
        #: Codecs with sequences longer than two bytes (EUC-JP's JIS X 0212, GB18030).
        self.long_sequences = self.codec in ("gb18030", "euc_jp", "euc_jis_2004", "euc_jisx0213")

    def _row(self, x: int) -> bytes:
        """Which bytes ``y`` make ``x y`` one character. One decode of all the pairs,
        each followed by a space (a bad pair shows as U+FFFD first); pair by pair when
        that does not split into one reading per pair."""
        others = [y for y in range(256) if y != 0x20]
        data = b" ".join(bytes([x, y]) for y in others) + b" "
        readings = data.decode(self.codec, errors="replace").split(" ")[:-1]
        row = bytearray(256)
        if len(readings) == len(others):
            for y, reading in zip(others, readings):
                row[y] = len(reading) == 1 and reading != "\ufffd"
            others = [0x20]
        for y in others:
            try:
                if len(bytes([x, y]).decode(self.codec)) == 1:
                    row[y] = 1
            except UnicodeDecodeError:
                pass
        return bytes(row)

    def pair_ok(self, x: int, y: int) -> bool:
        """True when the two bytes ``x y`` decode as one character."""
        row = self._pairs[x]
        return bool(row) and bool(row[y])

    def fails(self, x: int, following: bytes) -> bool:
        """True when the decoder, standing at byte ``x`` followed by ``following``, fails at ``x``.

        >>> t = codec_table("gbk")
        >>> t.fails(0x9D, b" "), t.fails(0x9D, b"s"), t.fails(0x61, b" ")
        (True, False, False)
        """
        if self.single[x]:
            return False
        if self.lead[x] and following and self.pair_ok(x, following[0]):
            return False
        if not self.long_sequences:
            return True
        # Three- and four-byte sequences (EUC-JP's 0x8F, GB18030): ask the codec.
        try:
            (bytes([x]) + following[:3]).decode(self.codec)
        except UnicodeDecodeError as err:
            return err.start == 0
        return False


@lru_cache(maxsize=None)
def codec_table(codec: str) -> CodecTable:
    """The (cached) byte table of ``codec``."""
    return CodecTable(codec)


def piece_fits(table: CodecTable, mode: LossMode, piece: bytes, following: bytes,
               marked: bool) -> bool:
    """Could a decoder in ``mode`` have lost exactly ``piece`` before ``following``?

    ``marked`` says whether the piece stood behind one marker character (one U+FFFD,
    ``?`` or ``・``); unmarked pieces are bytes dropped silently (``DROP`` mode, where
    every byte is lost on its own).

    >>> t = codec_table("gbk")
    >>> piece_fits(t, LossMode.DROP, b"\\x9d", b" x", marked=False)
    True
    >>> piece_fits(t, LossMode.QUESTION, b"\\x9d ", b"x", marked=True)
    True
    >>> piece_fits(t, LossMode.WHATWG, b"\\x9d ", b"x", marked=True)
    False
    """
    if not piece:
        return False
    if not marked or mode in (LossMode.DROP, LossMode.REPLACE):
        if marked and len(piece) != 1:
            return False
        rest = piece + following
        return all(table.fails(rest[i], rest[i + 1 : i + 4]) for i in range(len(piece)))
    x = piece[0]
    if len(piece) == 2:
        if not table.lead[x] or table.pair_ok(x, piece[1]):
            return False
        if mode is LossMode.QUESTION:
            return True
        return piece[1] >= 0x80  # WHATWG-style: an ASCII byte would have been kept
    if len(piece) != 1 or not table.fails(x, following[:3]):
        return False
    if not table.lead[x] or not following:
        return True
    # A lead byte lost alone: only when the next byte was kept (ASCII, WHATWG-style).
    return mode is not LossMode.QUESTION and following[0] < 0x80


def _lead_error_end(table: CodecTable, mode: LossMode, data: bytes, start: int) -> int:
    if mode in (LossMode.DROP, LossMode.REPLACE):
        return start + 1
    if table.lead[data[start]] and start + 1 < len(data):
        if mode is LossMode.QUESTION or data[start + 1] >= 0x80:
            return start + 2
    return start + 1


def lossy_decode(data: bytes, codec: str, mode: LossMode) -> str:
    """Decode ``data`` with ``codec`` the way a lossy decoder in ``mode`` would.

    >>> lossy_decode("“Hi” there".encode(), "gbk", LossMode.DROP)
    '鈥淗i鈥 there'
    >>> lossy_decode("“Hi” there".encode(), "gbk", LossMode.QUESTION)
    '鈥淗i鈥?there'
    """
    table = codec_table(codec)
    out: list[str] = []
    pos = 0
    marker = mode.marker
    while pos < len(data):
        try:
            out.append(data[pos:].decode(table.codec))
            break
        except UnicodeDecodeError as err:
            out.append(data[pos : pos + err.start].decode(table.codec))
            bad = pos + err.start
            end = _lead_error_end(table, mode, data, bad)
            out.append(marker)
            pos = end
    return "".join(out)
