"""The one immutable options object that every entry point takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class Options:
    """How mojifix repairs text. All fields have safe defaults.

    - ``cjk_codecs``: the multi-byte codecs to consider as the wrong decoder of UTF-8.
    - ``latin``: repair UTF-8 read as single-byte Latin/Windows codecs (through ftfy).
    - ``legacy``: repair legacy CJK/Cyrillic bytes that were read as Latin-1/cp1252.
    - ``min_confidence``: repairs below this confidence are reported but not applied.
    - ``reconstruct_lost``: guess characters whose bytes a lossy decoder dropped; when
      False (or when a guess is not confident), a lost character becomes U+FFFD.
    - ``min_guess_confidence``: a reconstructed character less sure than this becomes U+FFFD.
    - ``max_layers``: how many rounds of nested mojibake to undo at most.

    >>> Options().with_(min_confidence=0.9).min_confidence
    0.9
    """

    cjk_codecs: tuple[str, ...] = CJK_CODECS
    latin: bool = True
    legacy: bool = True
    min_confidence: float = 0.5
    reconstruct_lost: bool = True
    min_guess_confidence: float = 0.5
    max_layers: int = 6

    def with_(self, **changes: Any) -> Options:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


DEFAULT_OPTIONS = Options()
