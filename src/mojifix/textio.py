"""Bytes in, bytes out: decode files for repair and write them back faithfully.

This is the I/O layer between raw bytes and the pure text core:

* ``decode_bytes`` turns bytes into text plus everything needed to write that text back
  byte for byte: the encoding, the byte-order mark, and how sure the detection is.
  Order of evidence: BOM, then strict UTF-8, then legacy detection (``mojifix.detect``).
  Line endings are never translated, so CRLF, LF, CR and mixed endings survive.
* ``encode_text`` writes text back in the same encoding and BOM. Lines that did not
  change keep their original bytes even where the codec has several byte sequences for
  one character (Big5 and CP932 duplicates, ISO-2022 escapes).
* ``fix_bytes`` = decode, ``mojifix.fix_and_explain``, encode.
* ``write_atomic`` replaces a file's content through a temporary file in the same
  folder, keeping its permissions, and writes through symlinks instead of replacing them.
  It refuses when the file changed or disappeared since it was read (``file_version``):
  a repair of old content must not overwrite a newer edit or bring a deleted file back.

Converting to UTF-8 (``to_utf8=True``) keeps a byte-order mark only when the input had
a Unicode one (UTF-8, UTF-16 or UTF-32): such files were made by tools that look for a
BOM, and a UTF-16 file that loses its BOM on conversion would confuse them. Legacy
files (GBK, cp1252, ...) never had one and get none.

>>> result = fix_bytes("It鈥檚 fine".encode("utf-8"))
>>> result.decoded.encoding
'utf-8'
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, NamedTuple

from .detect import detect, detect_bom
from .options import DEFAULT_OPTIONS, Options
from .pipeline import fix_and_explain
from .result import Repair

#: How much of the data the binary sniffer looks at.
SNIFF_BYTES = 8192

#: Signatures of common binary formats that may not show a NUL byte early on.
BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",  # zip, jar, docx, xlsx, odt, epub, wheel
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x7fELF",
    b"MZ",  # Windows executables
    b"\xca\xfe\xba\xbe",  # Java class, Mach-O fat binary
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",
    b"\x00asm",  # WebAssembly
    b"SQLite format 3\x00",
    b"OggS",
    b"ID3",  # MP3
    b"RIFF",  # WAV, AVI, WebP
    b"\x00\x00\x01\x00",  # ICO
    b"II*\x00",  # TIFF
    b"MM\x00*",
)

#: Control bytes that text files use (tab, line feed, vertical tab, form feed, carriage
#: return, shift-out/shift-in and escape for ISO-2022 and terminal colours, SUB as the
#: DOS end-of-file mark).
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x0e\x0f\x1b\x1a")
_OTHER_CONTROLS = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)


class BinaryInputError(ValueError):
    """The data is not text (NUL bytes, a known binary format, control bytes)."""

    def __init__(self, message: str = "binary file") -> None:
        super().__init__(message)


class UndecodableInputError(ValueError):
    """The data is not valid in its declared encoding or in any encoding mojifix knows."""


class UnrepresentableRepairError(ValueError):
    """A repair produced characters that the file's encoding cannot store.

    ``encoding`` is the file's encoding, ``character`` the first offending character and
    ``position`` its offset in the repaired text. Nothing is written lossy: the caller
    may report the file, or convert it with ``to_utf8=True``.
    """

    def __init__(self, encoding: str, character: str, position: int, line: int) -> None:
        self.encoding = encoding
        self.character = character
        self.position = position
        self.line = line
        super().__init__(
            f"repair not representable in {encoding}: {character!r} "
            f"(U+{ord(character):04X}) at line {line}"
        )


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with what is needed to write it back byte-exact.

    ``text`` excludes the BOM; ``encoding`` is a Python codec name (for BOM'd UTF-16/32
    the byte order is explicit: ``utf-16-le``); ``bom`` is the mark the data started
    with (``b""`` if none); ``confidence`` and ``alternatives`` come from detection
    (1.0 and ``()`` for BOM, UTF-8 and ASCII); ``reason`` names the evidence
    (see ``mojifix.detect.Detection``); ``raw`` is the original data.
    """

    text: str
    encoding: str
    bom: bytes
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    reason: str = "utf-8"
    raw: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class BytesRepair:
    """The outcome of ``fix_bytes``: what was read, what was repaired, what to write."""

    decoded: DecodedText
    repair: Repair
    data: bytes
    changed: bool


def is_binary(data: bytes) -> bool:
    """True when ``data`` does not look like text.

    NUL bytes mean binary unless they form the pattern of UTF-16/UTF-32 (with or without
    a BOM); so do the signatures of common binary formats and a high share of control
    bytes that text never uses.

    >>> is_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), is_binary(b"hello\\n"), is_binary(b"")
    (True, False, False)
    >>> is_binary("text".encode("utf-16"))
    False
    """
    if not data:
        return False
    head = data[:SNIFF_BYTES]
    found = detect_bom(head)
    if found is not None and found[0] != "utf-8":
        return False
    if head.startswith(BINARY_SIGNATURES):
        return True
    if b"\x00" in head:
        return not _is_wide_unicode(data)
    # Text may hold a stray control byte; a tenth of them is no longer text.
    controls = len(head) - len(head.translate(None, _OTHER_CONTROLS))
    return controls * 10 > len(head)


def _is_wide_unicode(data: bytes) -> bool:
    from .detect import detect_utf16_32

    return detect_utf16_32(data) is not None


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data``: BOM, then strict UTF-8, then legacy detection.

    Raises ``BinaryInputError`` for binary data and ``UndecodableInputError`` when
    no encoding decodes the data strictly.

    >>> decode_bytes(b"").text
    ''
    >>> d = decode_bytes(codecs.BOM_UTF8 + b"caf\\xc3\\xa9\\r\\n")
    >>> d.text, d.encoding, d.bom
    ('café\\r\\n', 'utf-8', b'\\xef\\xbb\\xbf')
    >>> decode_bytes("Привет, мир!".encode("cp1251")).encoding
    'cp1251'
    """
    if not data:
        return DecodedText("", "ascii", b"", 1.0, (), "ascii", data)
    if is_binary(data):
        raise BinaryInputError()
    if data.isascii() and b"\x00" not in data and b"\x1b" not in data and b"~{" not in data:
        return DecodedText(data.decode("ascii"), "ascii", b"", 1.0, (), "ascii", data)
    detection = detect(data)
    if detection is None:
        found = detect_bom(data)
        encoding = found[0] if found else "utf-8 or any known encoding"
        raise UndecodableInputError(f"not decodable as {encoding}")
    body = data[len(detection.bom) :]
    try:
        text = body.decode(detection.encoding)
    except UnicodeDecodeError as error:
        raise UndecodableInputError(
            f"not decodable as {detection.encoding}: byte 0x{body[error.start]:02x} "
            f"at offset {error.start + len(detection.bom)}"
        ) from None
    return DecodedText(
        text,
        detection.encoding,
        detection.bom,
        detection.confidence,
        detection.alternatives,
        detection.reason,
        data,
    )


def encode_text(text: str, like: DecodedText, *, to_utf8: bool = False) -> bytes:
    """Encode ``text`` the way ``like`` was encoded (same codec and BOM).

    Line endings are whatever ``text`` holds (decoding never translated them). Lines
    equal to the original keep their original bytes. With ``to_utf8`` the result is
    UTF-8, with a UTF-8 BOM only if the input had a Unicode BOM.

    Raises ``UnrepresentableRepairError`` when the encoding cannot store a character.

    >>> d = decode_bytes("Привет\\r\\nмир\\n".encode("cp1251"))
    >>> encode_text(d.text, d) == d.raw
    True
    >>> encode_text("ok", decode_bytes(codecs.BOM_UTF16_LE + "x".encode("utf-16-le")), to_utf8=True)
    b'\\xef\\xbb\\xbfok'
    """
    if to_utf8:
        bom = codecs.BOM_UTF8 if like.bom else b""
        return bom + _encode(text, "utf-8")
    if text == like.text and like.raw:
        return like.raw
    encoding = "utf-8" if like.encoding == "ascii" else like.encoding
    body = _encode(text, encoding)
    original = like.raw[len(like.bom) :]
    if like.raw and encoding == like.encoding and _encode_or_none(like.text, encoding) != original:
        body = _splice_lines(text, like, encoding) or body
    return like.bom + body


def _encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        position = error.start
        line = text.count("\n", 0, position) + 1
        raise UnrepresentableRepairError(encoding, text[position], position, line) from None


def _encode_or_none(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


def _splice_lines(text: str, like: DecodedText, encoding: str) -> bytes | None:
    """Re-encode only the lines that changed; keep the original bytes of the others.

    Needed where the codec maps several byte sequences to one character, so that
    re-encoding an unchanged line could change its bytes. Works for the ASCII-compatible
    codecs, where a line feed byte never occurs inside a multi-byte character.
    """
    original = like.raw[len(like.bom) :]
    if encoding.startswith(("utf-16", "utf-32")):
        return None
    old_lines = original.split(b"\n")
    new_lines = text.split("\n")
    if len(old_lines) != len(new_lines):
        return None
    out: list[bytes] = []
    for old_bytes, new_line in zip(old_lines, new_lines):
        try:
            old_line = old_bytes.decode(encoding)
        except UnicodeDecodeError:
            return None
        out.append(old_bytes if old_line == new_line else _encode(new_line, encoding))
    return b"\n".join(out)


def fix_bytes(
    data: bytes, options: Options = DEFAULT_OPTIONS, *, to_utf8: bool = False
) -> BytesRepair:
    """Decode ``data``, repair its mojibake, and encode it back.

    The output keeps the input's encoding, BOM and line endings, byte for byte outside
    the repaired spans (``to_utf8=True`` converts to UTF-8 instead). Raises
    ``BinaryInputError``, ``UndecodableInputError`` or ``UnrepresentableRepairError``.

    >>> r = fix_bytes("caf\\u00c3\\u00a9\\r\\n".encode("utf-16"))
    >>> r.decoded.encoding, r.repair.text, r.changed
    ('utf-16-le', 'café\\r\\n', True)
    >>> r.data == codecs.BOM_UTF16_LE + "café\\r\\n".encode("utf-16-le")
    True
    """
    decoded = decode_bytes(data)
    repair = fix_and_explain(decoded.text, options)
    if repair.changed or to_utf8:
        output = encode_text(repair.text, decoded, to_utf8=to_utf8)
    else:
        output = data
    return BytesRepair(decoded, repair, output, output != data)


class FileVersion(NamedTuple):
    """What tells one state of a file from another without reading it again: the
    same inode with the same size and modification time (nanoseconds)."""

    device: int
    inode: int
    size: int
    modified_ns: int


def file_version(path: Path) -> FileVersion:
    """The :class:`FileVersion` of ``path`` (through symlinks) now; OSError if missing."""
    return _version_of(os.stat(path))


def _version_of(info: os.stat_result) -> FileVersion:
    return FileVersion(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class FileChangedError(OSError):
    """The file changed or disappeared between reading it and writing its repair."""


def _check_unchanged(target: Path, expected: FileVersion) -> None:
    try:
        now = file_version(target)
    except FileNotFoundError:
        raise FileChangedError("disappeared during the run") from None
    if now != expected:
        raise FileChangedError("changed during the run")


def write_atomic(path: Path, data: bytes | Callable[[BinaryIO], bool], *,
                 expected: FileVersion | None = None) -> None:
    """Replace the content of ``path`` with ``data`` atomically.

    ``data`` is the new content, or a function that writes it to the handle it gets
    (for content too large to hold in memory) and returns False to abandon the write,
    leaving the file untouched.

    The bytes go to a temporary file in the same folder, are flushed to disk, get the
    original file's permission bits (and owner, where allowed), and then replace the
    file in one ``os.replace``: readers see the old or the new content, never a part.
    A symlink is resolved and its target written; the link itself stays. Hard links
    are split (the path gets a new inode). On any error the temporary file is removed
    and the original is untouched.

    ``expected`` is the :class:`FileVersion` the caller read ``data`` from; when the
    file is no longer that version just before the replacement, nothing is written and
    :class:`FileChangedError` says why. A writer function reads the file itself, so
    the version at the start of this call is expected then.
    """
    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if expected is None and info is not None and not isinstance(data, bytes):
        expected = _version_of(info)
    mode = stat.S_IMODE(info.st_mode) if info else 0o666 & ~_umask()
    fd, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            elif not data(handle):
                raise _Abandoned()
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
            if info is not None and hasattr(os, "fchown"):
                try:
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                except OSError:
                    pass  # Only root may give files away; keeping ours is fine.
        if expected is not None:
            _check_unchanged(target, expected)
        os.replace(temp_name, target)
    except BaseException as error:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(error, _Abandoned):
            return
        raise
    _fsync_directory(target.parent)


class _Abandoned(Exception):
    """The writer of ``write_atomic`` decided there is nothing to write."""


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
