"""The one immutable options object that every entry point takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

#: Multi-byte codecs that UTF-8 is commonly mis-decoded with (see field notes).
CJK_CODECS: tuple[str, ...] = (
    "gbk",
    "gb18030",
    "big5",
    "big5hkscs",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
)

#: Single-byte code pages that UTF-8 is read with in the field (see field notes) and that
#: ftfy either does not know (koi8_r, koi8_u, cp1256, cp1255, cp874, iso8859_15) or does
#: not repair in every script (cp1251 and mac_roman readings of text outside their own
#: script, such as German read as cp1251 or Russian read as mac_roman): mojifix judges
#: their readings with the same model as the multi-byte ones. ISO-8859-15 reads most
#: bytes as Latin-1 does; it repairs only runs holding one of the eight characters where
#: they differ (``latin.SIBLING_CODECS``). cp1258 is re-read by the Latin engine as a
#: sibling of cp1252 where ftfy repairs part of a line; it can be added here through the
#: option, but is not by default: on ftfy's negative cases it turned genuine text
#: (Romanian, Swedish names) into repairs.
SINGLE_BYTE_CODECS: tuple[str, ...] = (
    "koi8_r",
    "cp1256",
    "cp1251",
    "mac_roman",
    "iso8859_15",
    "koi8_u",
    "cp1255",
    "cp874",
)

#: DOS code pages that UTF-8 is read with (consoles, zip file names; see field notes).
#: Their mojibake is read before ftfy's (see :mod:`mojifix.dos`), which knows cp437 only.
DOS_CODECS: tuple[str, ...] = ("cp437", "cp850", "cp852", "cp866")


@lru_cache(maxsize=None)
def shares_cp1252_letters(codec: str) -> bool:
    """Whether a single-byte ``codec`` has, above 0x7F, a letter that cp1252 has too.

    >>> shares_cp1252_letters("cp850"), shares_cp1252_letters("cp866")
    (True, False)
    """
    cp1252 = {bytes([value]).decode("cp1252", "ignore") for value in range(0x80, 0x100)}
    return any(ch.isalpha() and ch in cp1252
               for ch in (bytes([value]).decode(codec, "ignore") for value in range(0x80, 0x100)))


@dataclass(frozen=True)
class Options:
    """How mojifix repairs text. All fields have safe defaults.

    - ``cjk_codecs``: the multi-byte codecs to consider as the wrong decoder of UTF-8.
    - ``single_byte_codecs``: single-byte code pages judged by the same model (beyond
      the ones ftfy repairs); they lose ties to ``cjk_codecs``.
    - ``dos_codecs``: DOS code pages, judged by the same model, last; lines holding box
      drawing (their mojibake's tell) are read with them before ftfy's engine.
    - ``latin``: repair UTF-8 read as single-byte Latin/Windows codecs (through ftfy).
    - ``legacy``: repair legacy CJK/Cyrillic bytes that were read as Latin-1/cp1252,
      and legacy CJK text read as another CJK codec (GBK as Big5, Shift_JIS as GBK).
    - ``min_confidence``: repairs below this confidence are reported but not applied.
    - ``reconstruct_lost``: guess characters whose bytes a lossy decoder dropped; when
      False (or when a guess is not confident), a lost character becomes U+FFFD.
    - ``min_guess_confidence``: a reconstructed character less sure than this becomes U+FFFD.
    - ``max_layers``: how many rounds of nested mojibake to undo at most.

    >>> Options().with_(min_confidence=0.9).min_confidence
    0.9
    """

    cjk_codecs: tuple[str, ...] = CJK_CODECS
    single_byte_codecs: tuple[str, ...] = SINGLE_BYTE_CODECS
    dos_codecs: tuple[str, ...] = DOS_CODECS
    latin: bool = True
    legacy: bool = True
    min_confidence: float = 0.5
    reconstruct_lost: bool = True
    min_guess_confidence: float = 0.5
    max_layers: int = 6

    @property
    def model_codecs(self) -> tuple[str, ...]:
        """Every codec the model-based engine tries, multi-byte ones first (ties), then
        the DOS code pages that have no Latin letter of cp1252 (cp866): the others read
        the cp1252 mojibake that ftfy declined as their own (``Ã©`` is ``Ǹ`` in cp850),
        so they are tried only on lines with box drawing, before ftfy (:mod:`mojifix.dos`)."""
        codecs = tuple(self.cjk_codecs)
        codecs += tuple(c for c in self.single_byte_codecs if c not in codecs)
        return codecs + tuple(c for c in self.dos_codecs
                              if c not in codecs and not shares_cp1252_letters(c))

    def with_(self, **changes: Any) -> Options:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


DEFAULT_OPTIONS = Options()
