"""Finding the line around a position: the unit most engines judge."""

from __future__ import annotations


def line_span(text: str, index: int) -> tuple[int, int]:
    """``(start, end)`` of the line of ``text`` holding ``index``; ``end`` is past its
    newline (or the end of the text).

    >>> line_span("ab\\ncd\\nef", 4), line_span("ab\\ncd", 4)
    ((3, 6), (3, 5))
    """
    start = text.rfind("\n", 0, index) + 1
    newline = text.find("\n", index)
    return start, len(text) if newline < 0 else newline + 1
