"""Edits proposed by repair engines, and their composition into input-level spans.

Engines look at the *current* text (which earlier rounds may already have changed)
and propose ``Edit`` values in its coordinates. ``EditTracker`` applies them and keeps
track of where every changed region came from in the original input, so that a span
repaired in several rounds (nested mojibake) is reported once, with its whole chain.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from .result import Guess, Layer, RepairedSpan


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``.

    ``chain`` holds the mis-decodings this edit undoes, innermost (earliest) first.
    ``guesses`` index into ``replacement``.
    """

    start: int
    end: int
    replacement: str
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Region:
    orig_start: int
    orig_end: int
    cur_start: int
    cur_end: int
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    orig_start: int
    orig_end: int
    repaired: str
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...]
    notes: tuple[str, ...]


class EditTracker:
    """Apply rounds of edits to a text and report the result in input coordinates.

    >>> t = EditTracker("xÃƒÂ©y")
    >>> t.apply([Edit(1, 5, "Ã©", (Layer("utf-8", "cp1252"),), 0.9)])
    >>> t.apply([Edit(1, 3, "é", (Layer("utf-8", "latin-1"),), 0.8)])
    >>> t.current
    'xéy'
    >>> [(s.original, s.repaired, s.explanation) for s in t.spans()]
    [('ÃƒÂ©', 'é', 'utf-8 read as latin-1, then utf-8 read as cp1252')]
    """

    def __init__(self, original: str) -> None:
        self.original = original
        self.current = original
        self._regions: list[_Region] = []
        self._candidates: list[_Candidate] = []

    # -- coordinate mapping ------------------------------------------------------------
    def _delta_before(self, index: int) -> int:
        """Length change caused by the first ``index`` regions (current minus original)."""
        if index <= 0:
            return 0
        region = self._regions[index - 1]
        return region.cur_end - region.orig_end

    def to_original(self, position: int) -> int:
        """Map an offset in the current text to the input (region ends map to ends)."""
        starts = [r.cur_start for r in self._regions]
        index = bisect_right(starts, position)
        if index and position < self._regions[index - 1].cur_end:
            return self._regions[index - 1].orig_start
        return position - self._delta_before(index)

    # -- applying ----------------------------------------------------------------------
    def apply(self, edits: list[Edit]) -> None:
        """Apply non-overlapping edits given in current-text coordinates."""
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            self._apply_one(edit)

    def _apply_one(self, edit: Edit) -> None:
        regions = self._regions
        touching = [
            i
            for i, r in enumerate(regions)
            if r.cur_start <= edit.end and edit.start <= r.cur_end
        ]
        growth = len(edit.replacement) - (edit.end - edit.start)
        if touching:
            first, last = regions[touching[0]], regions[touching[-1]]
            cur_start = min(edit.start, first.cur_start)
            cur_end_old = max(edit.end, last.cur_end)
            before = self._delta_before(touching[0])
            after = self._delta_before(touching[-1] + 1)
            orig_start = first.orig_start if first.cur_start <= edit.start else edit.start - before
            orig_end = last.orig_end if last.cur_end >= edit.end else edit.end - after
            # Earlier rounds undid the outer layers; this edit undoes one beneath them.
            outer_chain: tuple[Layer, ...] = max((regions[i].chain for i in touching), key=len)
            chain = edit.chain + outer_chain
            confidence = min([edit.confidence] + [regions[i].confidence for i in touching])
            notes = tuple(dict.fromkeys(n for i in touching for n in regions[i].notes)) + edit.notes
            insert_at = touching[0]
            del regions[touching[0] : touching[-1] + 1]
        else:
            insert_at = bisect_right([r.cur_start for r in regions], edit.start)
            delta = self._delta_before(insert_at)
            cur_start, cur_end_old = edit.start, edit.end
            orig_start, orig_end = edit.start - delta, edit.end - delta
            chain, confidence, notes = edit.chain, edit.confidence, edit.notes
        guesses = tuple(
            replace(g, position=g.position + edit.start - cur_start) for g in edit.guesses
        )
        self.current = self.current[: edit.start] + edit.replacement + self.current[edit.end :]
        merged = _Region(
            orig_start, orig_end, cur_start, cur_end_old + growth, chain, confidence, guesses, notes
        )
        for i in range(insert_at, len(regions)):
            r = regions[i]
            regions[i] = replace(r, cur_start=r.cur_start + growth, cur_end=r.cur_end + growth)
        regions.insert(insert_at, merged)

    def add_candidate(self, edit: Edit) -> None:
        """Remember an edit that was found but not applied (too uncertain)."""
        start = self.to_original(edit.start)
        end = max(start, self.to_original(edit.end))
        self._candidates.append(
            _Candidate(start, end, edit.replacement, edit.chain, edit.confidence, edit.guesses, edit.notes)
        )

    # -- reporting ---------------------------------------------------------------------
    def spans(self) -> tuple[RepairedSpan, ...]:
        """All applied regions, plus unapplied candidates that no applied region covers."""
        out: list[RepairedSpan] = []
        for r in self._regions:
            original = self.original[r.orig_start : r.orig_end]
            repaired = self.current[r.cur_start : r.cur_end]
            if original == repaired:
                continue
            out.append(
                RepairedSpan(
                    r.orig_start, r.orig_end, r.cur_start, r.cur_end, original, repaired,
                    r.chain, r.confidence, r.guesses, r.notes,
                )
            )
        for c in self._candidates:
            if any(r.orig_start < c.orig_end and c.orig_start < r.orig_end for r in self._regions):
                continue
            out_start = self._to_current(c.orig_start)
            out.append(
                RepairedSpan(
                    c.orig_start, c.orig_end, out_start, out_start + (c.orig_end - c.orig_start),
                    self.original[c.orig_start : c.orig_end], c.repaired, c.chain, c.confidence,
                    c.guesses, c.notes, applied=False,
                )
            )
        out.sort(key=lambda s: (s.start, s.end))
        return tuple(out)

    def _to_current(self, orig_position: int) -> int:
        shift = 0
        for r in self._regions:
            if r.orig_end <= orig_position:
                shift = r.cur_end - r.orig_end
        return orig_position + shift
