"""The labelled encoding corpus's rule for a right detection, and fixture loading.

A detection is right when it decodes the data to the same text as the label (strict
decoding, one leading U+FEFF ignored on both sides), or when it names a documented
superset of the label that decodes the data (see tests/fixtures/encodings/README.md).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "encodings"

#: Fixtures mojifix is known to detect wrongly, and why. Tests mark them strict xfail:
#: when one starts passing, the test says so and the entry must go.
KNOWN_WRONG = {
    "big5hkscs/py-big5hkscs.txt": "23 bytes of rare HKSCS characters; too little text",
    "cp1252/cd-_mozilla_bug421271_text.html": "two '£' in English text (£825, £2) read as cp932 half-width katakana",
    "cp1258/uc-vi-windows-1258.txt": "no Vietnamese tone-mark statistics (the profile folds them)",
    "euc_kr/py-euc_kr.txt": "KS X 1001 8-byte jamo sequences; read as EUC-JP",
    "iso8859-3/uc-eo-iso-8859-3.txt": "no Esperanto model",
}

SUPERSETS: dict[str, set[str]] = {
    "gb2312": {"gbk", "gb18030"},
    "gbk": {"gb18030"},
    "big5": {"cp950", "big5hkscs"},
    "shift_jis": {"cp932"},
    "euc_jp": {"euc_jis_2004"},
    "euc_kr": {"cp949"},
    "tis-620": {"cp874"},
    "iso8859-11": {"cp874"},
    "iso2022_jp": {"iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_ext"},
    "utf-16": {"utf-16-le", "utf-16-be"},
    "utf-32": {"utf-32-le", "utf-32-be"},
}


@dataclass(frozen=True)
class Fixture:
    expected: str  # the folder: a Python codec name
    name: str
    data: bytes

    @property
    def id(self) -> str:
        return f"{self.expected}/{self.name}"


def load_fixtures() -> list[Fixture]:
    return [
        Fixture(folder.name, path.name, path.read_bytes())
        for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir())
        for path in sorted(folder.iterdir())
    ]


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def is_right(data: bytes, detected: str | None, expected: str) -> bool:
    if detected is None:
        return False
    detected = codecs.lookup(detected).name
    got = _decode(data, detected)
    if got is None:
        return False
    want = _decode(data, expected)
    if want is not None and _strip_bom(got) == _strip_bom(want):
        return True
    return detected in SUPERSETS.get(expected, ())


_DECLARATION_RE = re.compile(
    rb"""(<\?xml[^>]{0,200}?encoding\s*=\s*["']?)([A-Za-z0-9._:-]+)"""
    rb"""|(<meta[^>]{0,300}?charset\s*=\s*["']?)([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def without_declaration(data: bytes) -> bytes:
    """Overwrite declared charset names with ``x`` so that only the text is evidence."""

    def blank(match: re.Match[bytes]) -> bytes:
        lead = match.group(1) or match.group(3)
        value = match.group(2) or match.group(4)
        return lead + b"x" * len(value)

    return _DECLARATION_RE.sub(blank, data)
