"""mojifix: find and repair mojibake, text decoded with the wrong character encoding.

>>> import mojifix
>>> mojifix.fix_text("cafÃ© itâ€™s")
'café it’s'
"""

from __future__ import annotations

from .options import CJK_CODECS, DEFAULT_OPTIONS, DOS_CODECS, SINGLE_BYTE_CODECS, Options
from .pipeline import fix_and_explain, fix_text
from .result import Guess, Layer, Repair, RepairedSpan
from .textio import BytesRepair, DecodedText, fix_bytes

__version__ = "0.1.0"

__all__ = [
    "BytesRepair",
    "CJK_CODECS",
    "SINGLE_BYTE_CODECS",
    "DOS_CODECS",
    "DEFAULT_OPTIONS",
    "DecodedText",
    "Guess",
    "Layer",
    "Options",
    "Repair",
    "RepairedSpan",
    "__version__",
    "fix_and_explain",
    "fix_bytes",
    "fix_text",
]
