"""How plausible is a piece of text as real writing, and how sure is a repair?

This first model uses ftfy's badness heuristic only; the CJK engine replaces it with a
frequency-based model built from measured data.
"""

from __future__ import annotations

from ftfy.badness import badness


def repair_confidence(before: str, after: str) -> float:
    """Confidence in [0, 1] that ``after`` is the text ``before`` was meant to be.

    >>> repair_confidence("cafÃ©", "café") > 0.5
    True
    """
    bad_before = badness(before)
    bad_after = badness(after)
    if bad_before <= bad_after:
        return 0.5
    return 0.5 + 0.5 * (bad_before - bad_after) / (bad_before + 1)
