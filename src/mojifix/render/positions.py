"""Line and column numbers for repaired spans, shared by every renderer.

Lines are counted the way editors and SARIF viewers count them: ``\\n``, ``\\r\\n`` and
a lone ``\\r`` each end a line. Lines and columns are 1-based, columns count Unicode
code points (Python string indices), and an end column is exclusive (the column just
after the last character), as in SARIF.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..result import Guess, Repair, RepairedSpan

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Map string offsets to (line, column) pairs in one text.

    >>> index = LineIndex("ab\\r\\ncd\\ne")
    >>> index.position(0), index.position(4), index.position(7), index.position(8)
    ((1, 1), (2, 1), (3, 1), (3, 2))
    >>> index.line_span(2)
    (4, 6)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = list(_LINE_BREAK_RE.finditer(text))
        self.starts = [0] + [m.end() for m in breaks]
        self.ends = [m.start() for m in breaks] + [len(text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding ``offset`` (an offset at a line's break belongs to it)."""
        return bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of ``offset``."""
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def line_start(self, line: int) -> int:
        return self.starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content, before its line break."""
        return self.ends[line - 1]

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) offsets of ``line``'s content without its line break."""
        return self.line_start(line), self.line_end(line)


@dataclass(frozen=True)
class GuessedCharacter:
    """A reconstructed character, placed in the repaired text."""

    offset: int  # into ``Change.fixed``
    text: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Change:
    """One repaired span with its place in the *original* text, ready to render."""

    line: int
    column: int
    end_line: int
    end_column: int
    original: str
    fixed: str
    chain: tuple[tuple[str, str], ...]
    explanation: str
    confidence: float
    applied: bool
    guessed: tuple[GuessedCharacter, ...]
    notes: tuple[str, ...]

    @property
    def rule_id(self) -> str:
        """A stable identifier of the kind of damage, e.g. ``mojibake/utf-8-as-gbk``."""
        if not self.chain:
            return "mojibake/other"
        return "mojibake/" + "+".join(f"{w}-as-{r}" for w, r in self.chain)


def _guessed(guesses: Sequence[Guess]) -> tuple[GuessedCharacter, ...]:
    return tuple(
        GuessedCharacter(g.position, g.text, g.confidence, tuple(g.alternatives)) for g in guesses
    )


def change_of(span: RepairedSpan, index: LineIndex) -> Change:
    """Place one span of ``index.text`` (the original text)."""
    line, column = index.position(span.start)
    end_line, end_column = index.position(span.end)
    return Change(
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        original=span.original,
        fixed=span.repaired,
        chain=tuple((layer.written_as, layer.read_as) for layer in span.chain),
        explanation=span.explanation,
        confidence=span.confidence,
        applied=span.applied,
        guessed=_guessed(span.guesses),
        notes=tuple(span.notes),
    )


def changes_of(repair: Repair | None) -> list[Change]:
    """Every span of ``repair`` (applied or not) as a ``Change``, in text order.

    >>> from mojifix import fix_and_explain
    >>> [(c.line, c.column, c.end_column, c.fixed) for c in changes_of(fix_and_explain("ok\\ncafÃ©"))]
    [(2, 4, 6, 'é')]
    """
    if repair is None or not repair.spans:
        return []
    index = LineIndex(repair.original)
    return [change_of(span, index) for span in repair.spans]
