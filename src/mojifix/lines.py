"""Finding the line around a position: the unit most engines judge."""

from __future__ import annotations

import re


def line_span(text: str, index: int) -> tuple[int, int]:
    """``(start, end)`` of the line of ``text`` holding ``index``; ``end`` is past its
    newline (or the end of the text).

    >>> line_span("ab\\ncd\\nef", 4), line_span("ab\\ncd", 4)
    ((3, 6), (3, 5))
    """
    start = text.rfind("\n", 0, index) + 1
    newline = text.find("\n", index)
    return start, len(text) if newline < 0 else newline + 1


def cut_near(pattern: re.Pattern[str], text: str, low: int, high: int) -> int | None:
    """Where to cut ``text`` near ``high``: the end of the last match of ``pattern``
    within ``text[low:high]``, else of the first one after it; None when there is none.
    Long texts are cut at safe places this way (stream pieces, blocks of a long line).

    >>> cut_near(re.compile(" "), "ab cd ef gh", 0, 7), cut_near(re.compile(" "), "abcdef gh", 0, 3)
    (6, 7)
    """
    last = None
    for match in pattern.finditer(text, low, high):
        last = match
    if last is None:
        last = pattern.search(text, high)
    return None if last is None else last.end()
