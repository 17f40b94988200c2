"""Which encoding are these bytes written in?

Pure core: bytes in, a ``Detection`` value out; no files, no printing.

The order of evidence follows how sure each kind is:

1. a byte-order mark (certain);
2. NUL-byte patterns of BOM-less UTF-16/UTF-32 (ASCII-range characters put their zero
   byte in a fixed column);
3. pure ASCII, and the escape sequences of the stateful ISO-2022 / HZ encodings;
4. strict UTF-8 (multi-byte UTF-8 is very unlikely to occur by chance in legacy text);
5. a charset declared in the data (``<meta charset>``, ``<?xml encoding?>``), honoured
   when it (or the member of its family browsers use) decodes all of the data into
   characters real text holds (no C1 controls, private use or U+FFFD);
6. statistics: every legacy encoding that decodes the data is a candidate, and the
   readings are ranked by how plausible they are as real writing (see
   ``mojifix.scoring``); a declaration that did not pass step 5 still counts there as
   strong evidence.

Where several encodings of a family decode the data, the name reported is the one the
WHATWG Encoding Standard (what browsers do) uses for that family's labels: ``cp1252`` for
ISO-8859-1, ``cp932`` for Shift_JIS, ``cp949`` for EUC-KR, ``cp874`` for TIS-620; the
narrower name is kept when the wider one would not decode.

>>> detect("Привет, мир".encode("cp1251")).encoding
'cp1251'
>>> detect(b"plain text").encoding
'ascii'
>>> detect("caf\\u00e9".encode("utf-16-le")).encoding
'utf-16-le'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .scoring import MULTI_BYTE, rank_encodings

#: Byte-order marks, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Encodings that read ordinary text the same way: a declaration of one is honoured
#: by detecting any other (the multi-byte families come from ``mojifix.scoring``).
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("gbk", "gb18030", "gb2312"),
    *MULTI_BYTE[1:],
    ("cp1252", "iso8859-1"),
    ("cp1254", "iso8859-9"),
    ("cp874", "tis-620", "iso8859-11"),
)

#: How sure a declaration that decodes the data makes a detection.
DECLARED_CONFIDENCE = 0.95

#: Characters no real text holds: C1 controls, private use, unassigned, lone
#: surrogates. A declared encoding whose reading has them is not believed.
_IMPLAUSIBLE_RE = re.compile("[\x80-\x9f\ue000-\uf8ff\ufffd]")

#: How many runners-up a detection reports, and how likely they must be at least.
MAX_ALTERNATIVES = 5
MIN_ALTERNATIVE = 0.001

#: Declared labels Python's codec registry does not know, mapped as browsers map them.
_LABEL_ALIASES = {
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-874": "cp874",
    "iso-8859-8-i": "iso8859-8",
    "gb_2312-80": "gb2312",
    "x-gbk": "gbk",
    "x-euc-jp": "euc_jp",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
    "x-mac-ce": "mac-latin2",
    "unicode-1-1-utf-8": "utf-8",
}

_DECLARATION_RE = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']?([A-Za-z0-9._:-]{1,40})"""
    rb"""|<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)

#: Escape sequences that announce the stateful 7-bit encodings.
_ISO2022_JP_RE = re.compile(rb"\x1b\$[@B]|\x1b\$\(D|\x1b\(J|\x1b\(I")
_ISO2022_KR_RE = re.compile(rb"\x1b\$\)C")
_HZ_RE = re.compile(rb"~\{[\x21-\x7e]{2}")


@dataclass(frozen=True)
class Detection:
    """The encoding of some bytes, how sure, and the runners-up.

    ``encoding`` is a Python codec name (``codecs.lookup(name).name``) for the data
    *after* ``bom``. ``confidence`` is in [0, 1]; ``alternatives`` holds other encodings
    that decode the data, with their confidences, best first. ``reason`` names the
    evidence: "bom", "nul-pattern", "ascii", "escape", "utf-8", "declaration" or
    "statistics".
    """

    encoding: str
    bom: bytes
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    reason: str = "statistics"


def detect_bom(data: bytes) -> tuple[str, bytes] | None:
    """Return ``(encoding, bom)`` when ``data`` starts with a Unicode byte-order mark.

    A UTF-32-LE BOM is only believed when the rest decodes as UTF-32-LE; otherwise
    ``FF FE 00 00`` is a UTF-16-LE BOM followed by a NUL character.

    >>> detect_bom(codecs.BOM_UTF8 + b"x")
    ('utf-8', b'\\xef\\xbb\\xbf')
    >>> detect_bom(b"x") is None
    True
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            if encoding == "utf-32-le" and not _decodes(data[len(bom):], encoding):
                continue
            return encoding, bom
    return None


def detect_utf16_32(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16/UTF-32 by where its NUL bytes stand.

    Text in UTF-16 has, for every character below U+0100 (spaces, line breaks,
    digits, Latin letters), a zero byte in the high half: the NULs gather in the odd
    columns (LE) or the even ones (BE). UTF-32 has two zero bytes in every BMP
    character. Legacy text and UTF-8 contain no NULs at all.

    >>> detect_utf16_32("hello".encode("utf-16-be"))
    'utf-16-be'
    >>> detect_utf16_32("日本語 text".encode("utf-32-le"))
    'utf-32-le'
    >>> detect_utf16_32(b"no nul here") is None
    True
    """
    if b"\x00" not in data or len(data) < 2:
        return None
    candidates: list[str] = []
    if len(data) % 4 == 0:
        columns = [data[i::4].count(0) for i in range(4)]
        quarter = len(data) // 4
        # Every BMP character has a zero high byte; ASCII-range ones have two zeros.
        if columns[3] == quarter and columns[2] >= quarter // 2:
            candidates.append("utf-32-le")
        if columns[0] == quarter and columns[1] >= quarter // 2:
            candidates.append("utf-32-be")
    half = len(data) // 2
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        # The NULs must sit in one column only, and in a good share of its bytes.
        if odd >= max(1, half // 8) and even <= odd // 16:
            candidates.append("utf-16-le")
        if even >= max(1, half // 8) and odd <= even // 16:
            candidates.append("utf-16-be")
    for encoding in candidates:
        if _decodes(data, encoding):
            return encoding
    return None


def find_declaration(data: bytes) -> str | None:
    """The charset the data declares in its first 4 KiB, as a Python codec name.

    >>> find_declaration(b'<?xml version="1.0" encoding="Shift_JIS"?>')
    'shift_jis'
    >>> find_declaration(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    'cp1251'
    >>> find_declaration(b"<p>no declaration</p>") is None
    True
    """
    match = _DECLARATION_RE.search(data, 0, 4096)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    return normalize_label(label)


def normalize_label(label: str) -> str | None:
    """Map a charset label to a Python codec name, or None when unknown.

    >>> normalize_label("Windows-31J"), normalize_label("ISO-8859-1"), normalize_label("nope")
    ('cp932', 'iso8859-1', None)
    """
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        if label.startswith("x-"):
            return normalize_label(label[2:])
        return None


def detect(data: bytes) -> Detection | None:
    """Detect the encoding of ``data``; None when no known encoding decodes it.

    >>> detect("日本語のテキストです。".encode("euc_jp")).encoding
    'euc_jp'
    >>> detect(b"\\xff\\xfe" + "hi".encode("utf-16-le")).bom
    b'\\xff\\xfe'
    """
    found = detect_bom(data)
    if found is not None:
        return Detection(found[0], found[1], 1.0, (), "bom")
    wide = detect_utf16_32(data)
    if wide is not None:
        return Detection(wide, b"", 0.99, (), "nul-pattern")
    if data.isascii():
        return _detect_seven_bit(data)
    if _decodes(data, "utf-8"):
        return Detection("utf-8", b"", 1.0, (), "utf-8")
    return _detect_legacy(data)


def _detect_seven_bit(data: bytes) -> Detection:
    if b"\x1b" in data:
        if _ISO2022_KR_RE.search(data) and _decodes(data, "iso2022_kr"):
            return Detection("iso2022_kr", b"", 0.99, (), "escape")
        if _ISO2022_JP_RE.search(data):
            for encoding in ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp_2004"):
                if _decodes(data, encoding):
                    return Detection(encoding, b"", 0.99, (), "escape")
    if b"~{" in data and _HZ_RE.search(data) and _decodes(data, "hz"):
        if data.decode("hz") != data.decode("ascii"):
            return Detection("hz", b"", 0.9, (("ascii", 0.1),), "escape")
    return Detection("ascii", b"", 1.0, (), "ascii")


def _detect_legacy(data: bytes) -> Detection | None:
    declared = find_declaration(data)
    if declared is not None:
        honoured = _honour_declaration(data, declared)
        if honoured is not None:
            return honoured
    ranking = rank_encodings(data, declared=declared)
    winner: str | None = None
    confidence = 0.0
    alternatives: list[tuple[str, float]] = []
    for name, score in ranking.candidates:
        if winner is not None and (score < MIN_ALTERNATIVE or len(alternatives) >= MAX_ALTERNATIVES):
            break
        encoding = _verify(data, name)
        if encoding is None:
            continue
        if winner is None:
            winner, confidence = encoding, score
        elif encoding != winner:
            alternatives.append((encoding, score))
    if winner is None:
        return None
    declared_member = declared is not None and _same_family(declared, winner)
    reason = "declaration" if declared_member else "statistics"
    return Detection(winner, b"", confidence, tuple(alternatives), reason)


def _honour_declaration(data: bytes, declared: str) -> Detection | None:
    """Believe a declared charset when it (or its family's widest member, as browsers
    do) decodes all of ``data`` into plausible characters.

    ``ascii`` is not believed this way: it is many tools' default label, and a file
    that declares it while holding non-ASCII bytes is known to be mislabelled.
    """
    if declared == "ascii":
        return None
    members = next((family for family in FAMILIES if declared in family), (declared,))
    for member in members:
        text = _decode(data, member)
        if text is not None:
            if _IMPLAUSIBLE_RE.search(text):
                continue
            return Detection(member, b"", DECLARED_CONFIDENCE, (), "declaration")
    return None


def _verify(data: bytes, name: str) -> str | None:
    """The encoding (``name`` or a superset in its family) that decodes all of ``data``."""
    for family in MULTI_BYTE:
        if name in family:
            for member in family[family.index(name) :]:
                if _decodes(data, member):
                    return member
            return None
    return name if _decodes(data, name) else None


def _same_family(declared: str, encoding: str) -> bool:
    if declared == encoding:
        return True
    return any(declared in family and encoding in family for family in FAMILIES)


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decodes(data: bytes, encoding: str) -> bool:
    return _decode(data, encoding) is not None
