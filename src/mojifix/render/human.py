"""The diff people read: changed lines before and after, changed characters marked.

Built from the repair's spans, not by diffing text again: each span knows where it
sits in the input and in the output, so the highlighted characters are exactly what
mojifix changed. A span's common prefix and suffix (if any) are not highlighted.

The same rows render two ways:

- ``terminal_lines``: rich ``Text`` for a terminal. Removed characters are bold
  reverse red, repaired ones bold reverse green, *guessed* (reconstructed) ones also
  underlined in yellow, uncertain candidates that were not applied underlined in
  yellow. Bold, reverse and underline survive ``NO_COLOR``, so the marks stay visible
  without colour.
- ``plain_lines``: text without escape codes for logs and pipes, with a marker line
  under each changed line: ``^`` repaired, ``?`` guessed, ``~`` not applied.

Invisible and unsafe characters are shown as placeholders (see ``visible``), very
long lines are cut around the changes, and ``max_hunks`` summarises long files.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from ..report import FileResult
from ..result import Repair, RepairedSpan
from .positions import LineIndex
from .visible import visible, visible_segments

#: Lines longer than this many characters are cut around their changes...
LONG_LINE = 240
#: ...keeping this many characters on each side of each change.
CONTEXT = 60


class Role(enum.Enum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"
    GUESSED = "guessed"
    UNCERTAIN = "uncertain"
    ELIDED = "elided"


@dataclass(frozen=True)
class Piece:
    text: str
    role: Role
    placeholder: bool = False


@dataclass(frozen=True)
class Row:
    """One printed line: ``kind`` is ``-``/``+``/``!`` (a text line), ``note`` or ``more``."""

    kind: str
    number: int | None
    pieces: tuple[Piece, ...]


@dataclass
class _Hunk:
    old_first: int
    old_last: int
    new_first: int
    new_last: int
    spans: list[RepairedSpan]

    @property
    def applied(self) -> bool:
        return any(span.applied for span in self.spans)


def _trim(span: RepairedSpan) -> tuple[int, int]:
    """Lengths of the common prefix and suffix of a span's original and repaired text."""
    a, b = span.original, span.repaired
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _hunks(repair: Repair, old: LineIndex, new: LineIndex) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    for span in repair.spans:
        old_first = old.line_of(span.start)
        old_last = old.line_of(max(span.start, span.end - 1))
        new_first = new.line_of(span.out_start)
        new_last = new.line_of(max(span.out_start, span.out_end - 1))
        if hunks and old_first <= hunks[-1].old_last:
            hunk = hunks[-1]
            hunk.old_last = max(hunk.old_last, old_last)
            hunk.new_last = max(hunk.new_last, new_last)
            hunk.spans.append(span)
        else:
            hunks.append(_Hunk(old_first, old_last, new_first, new_last, [span]))
    return hunks


def _windows(length: int, marks: list[tuple[int, int, Role]]) -> list[tuple[int, int]]:
    """Which parts of a line of ``length`` characters to show."""
    if length <= LONG_LINE:
        return [(0, length)]
    if not marks:
        return [(0, 2 * CONTEXT)]
    windows: list[tuple[int, int]] = []
    for start, end, _ in sorted(marks, key=lambda m: m[0]):
        lo, hi = max(0, start - CONTEXT), min(length, end + CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows


def _pieces(line: str, marks: list[tuple[int, int, Role]]) -> tuple[Piece, ...]:
    """Split ``line`` into pieces by the marked ranges (later marks win)."""
    roles = [Role.SAME] * len(line)
    for start, end, role in marks:
        for i in range(max(0, start), min(len(line), end)):
            roles[i] = role
    pieces: list[Piece] = []
    windows = _windows(len(line), marks)
    if windows[0][0] > 0:
        pieces.append(Piece("…", Role.ELIDED))
    for number, (lo, hi) in enumerate(windows):
        if number:
            pieces.append(Piece("…", Role.ELIDED))
        i = lo
        while i < hi:
            j = i
            while j < hi and roles[j] is roles[i]:
                j += 1
            role = roles[i]
            for text, is_placeholder in visible_segments(line[i:j], in_change=role is not Role.SAME):
                pieces.append(Piece(text, role, is_placeholder))
            i = j
    if windows[-1][1] < len(line):
        pieces.append(Piece("…", Role.ELIDED))
    return tuple(pieces)


def _line_marks(
    index: LineIndex, line: int, ranges: Iterable[tuple[int, int, Role]]
) -> tuple[str, list[tuple[int, int, Role]]]:
    start, end = index.line_span(line)
    marks = [
        (max(a, start) - start, min(b, end) - start, role)
        for a, b, role in ranges
        if a < end and b > start or (a == b and start <= a <= end)
    ]
    return index.text[start:end], marks


def _note(span: RepairedSpan, index: LineIndex, *, explain: bool) -> Row | None:
    if span.applied and not explain:
        return None
    line, column = index.position(span.start)
    text = f'↳ {line}:{column} "{visible(span.original)}" → "{visible(span.repaired)}"  '
    text += f"{span.explanation}, confidence {span.confidence:.2f}"
    if not span.applied:
        text += " — not applied (below --min-confidence)"
    for guess in span.guesses:
        text += f'; guessed "{visible(guess.text)}" ({guess.confidence:.2f}'
        alternatives = ", ".join(f'"{visible(t)}" {p:.2f}' for t, p in guess.alternatives[:3])
        text += f"; or {alternatives})" if alternatives else ")"
    if explain and span.notes:
        text += "; " + "; ".join(span.notes)
    return Row("note", None, (Piece(text, Role.SAME),))


def file_rows(repair: Repair, *, explain: bool = False, max_hunks: int | None = None) -> list[Row]:
    """The rows that show ``repair``: hunks of changed lines, then notes."""
    old, new = LineIndex(repair.original), LineIndex(repair.text)
    hunks = _hunks(repair, old, new)
    rows: list[Row] = []
    shown = hunks if max_hunks is None else hunks[:max_hunks]
    for hunk in shown:
        old_ranges: list[tuple[int, int, Role]] = []
        new_ranges: list[tuple[int, int, Role]] = []
        for span in hunk.spans:
            prefix, suffix = _trim(span)
            role = Role.REMOVED if span.applied else Role.UNCERTAIN
            old_ranges.append((span.start + prefix, span.end - suffix, role))
            if span.applied:
                new_ranges.append((span.out_start + prefix, span.out_end - suffix, Role.ADDED))
                for guess in span.guesses:
                    at = span.out_start + guess.position
                    new_ranges.append((at, at + len(guess.text), Role.GUESSED))
        sign = "-" if hunk.applied else "!"
        for line in range(hunk.old_first, hunk.old_last + 1):
            text, marks = _line_marks(old, line, old_ranges)
            rows.append(Row(sign, line, _pieces(text, marks)))
        if hunk.applied:
            for line in range(hunk.new_first, hunk.new_last + 1):
                text, marks = _line_marks(new, line, new_ranges)
                rows.append(Row("+", line, _pieces(text, marks)))
        for span in hunk.spans:
            note = _note(span, old, explain=explain)
            if note is not None:
                rows.append(note)
    hidden = hunks[len(shown) :]
    if hidden:
        lines = sum(h.old_last - h.old_first + 1 for h in hidden)
        more = f"… {lines} more changed line{'s' if lines != 1 else ''} not shown (-v shows all)"
        rows.append(Row("more", None, (Piece(more, Role.SAME),)))
    return rows


def describe(result: FileResult) -> str:
    """One line about a file's repairs, e.g. "3 repairs (utf-8 read as gbk), 1 guessed".

    Chains are listed by how often they occur; the encoding is named when the file
    is not UTF-8 without BOM.
    """
    parts: list[str] = []
    repair = result.repair
    if repair is not None:
        applied = repair.applied_spans
        if applied:
            chains = Counter(span.explanation for span in applied)
            listed = ", ".join(
                chain if count == 1 else f"{chain} ×{count}" for chain, count in chains.most_common()
            )
            parts.append(f"{len(applied)} repair{'s' if len(applied) != 1 else ''} ({listed})")
        guessed = sum(len(span.guesses) for span in applied)
        if guessed:
            parts.append(f"{guessed} guessed character{'s' if guessed != 1 else ''}")
        uncertain = len(repair.unapplied_spans)
        if uncertain:
            parts.append(f"{uncertain} uncertain, not applied")
    encoding = result.encoding
    if encoding and (encoding.replace("_", "-").lower() not in ("utf-8", "ascii") or result.bom):
        parts.append(encoding + (" with BOM" if result.bom else ""))
    if result.message:
        parts.append(result.message)
    return "; ".join(parts)


# -- terminal -------------------------------------------------------------------------

_STYLES = {
    ("-", Role.SAME): "red",
    ("-", Role.REMOVED): "bold red reverse",
    ("-", Role.UNCERTAIN): "bold yellow underline",
    ("!", Role.SAME): "",
    ("!", Role.UNCERTAIN): "bold yellow underline",
    ("+", Role.SAME): "green",
    ("+", Role.ADDED): "bold green reverse",
    ("+", Role.GUESSED): "bold yellow reverse underline",
}
_SIGN_STYLES = {"-": "bold red", "+": "bold green", "!": "bold yellow"}


def _number_width(rows: list[Row]) -> int:
    return max((len(str(row.number)) for row in rows if row.number is not None), default=1)


def terminal_lines(result: FileResult, rows: list[Row]) -> list[Text]:
    """Styled lines for a rich console (print each with ``soft_wrap=True``)."""
    width = _number_width(rows)
    title = Text()
    title.append(visible(result.path, in_change=False), style="bold")
    details = describe(result)
    if details:
        title.append("  " + details, style="dim")
    out = [title]
    for row in rows:
        line = Text()
        if row.kind in ("note", "more"):
            line.append(" " * (width + 3) + row.pieces[0].text, style="dim")
            out.append(line)
            continue
        line.append(f"{row.number:>{width}} ", style="dim")
        line.append(row.kind + " ", style=_SIGN_STYLES[row.kind])
        for piece in row.pieces:
            style = "dim" if piece.role is Role.ELIDED else _STYLES.get((row.kind, piece.role), "")
            if piece.placeholder:
                style = (style + " dim").strip()
            line.append(piece.text, style=style)
        out.append(line)
    return out


# -- plain ----------------------------------------------------------------------------

_MARKS = {Role.ADDED: "^", Role.GUESSED: "?", Role.UNCERTAIN: "~", Role.REMOVED: "^"}


def _marker_line(prefix: str, pieces: tuple[Piece, ...]) -> str | None:
    marks = []
    for piece in pieces:
        mark = _MARKS.get(piece.role)
        for char in piece.text:
            if char == "\t":
                marks.append("\t")
            else:
                marks.append((mark or " ") * cell_len(char))
    line = "".join(marks).rstrip()
    if not line.strip():
        return None
    return " " * len(prefix) + line


def plain_lines(result: FileResult, rows: list[Row]) -> list[str]:
    """Lines without escape codes; a marker line follows each ``+`` and ``!`` line."""
    width = _number_width(rows)
    details = describe(result)
    out = [visible(result.path, in_change=False) + (f": {details}" if details else "")]
    for row in rows:
        if row.kind in ("note", "more"):
            out.append(" " * (width + 3) + row.pieces[0].text)
            continue
        prefix = f"{row.number:>{width}} {row.kind} "
        out.append(prefix + "".join(piece.text for piece in row.pieces))
        if row.kind in ("+", "!"):
            marker = _marker_line(prefix, row.pieces)
            if marker is not None:
                out.append(marker)
    return out
