"""Edits proposed by repair engines, and their composition into input-level spans.

Engines look at the *current* text (which earlier rounds may already have changed)
and propose ``Edit`` values in its coordinates. ``EditTracker`` applies them and keeps
track of where every changed region came from in the original input, so that a span
repaired in several rounds (nested mojibake) is reported once, with its whole chain.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import NamedTuple

from .result import Guess, Layer, RepairedSpan



def splice(text: str, changes: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied (in order, disjoint).

    >>> splice("cafÃ© ok", [(3, 5, "é")])
    'café ok'
    """
    pieces, position = [], 0
    for start, end, replacement in changes:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def changed_spans(before: str, after: str) -> list[tuple[int, int]]:
    """Maximal stretches where two texts of one length differ.

    >>> changed_spans("cafÃ© ok", "cafe  ok")
    [(3, 5)]
    """
    spans: list[tuple[int, int]] = []
    start = None
    for i, (a, b) in enumerate(zip(before, after)):
        if a != b and start is None:
            start = i
        elif a == b and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(before)))
    return spans

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


class _Region(NamedTuple):
    """A changed stretch: where it came from in the input and where it is now.

    A tuple, not a dataclass: a batch of repairs on a large file makes tens of
    thousands of these, and every later batch shifts them."""

    orig_start: int
    orig_end: int
    cur_start: int
    cur_end: int
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...]
    notes: tuple[str, ...]


@dataclass
class _Pending:
    """The region of the latest edit while a batch is applied; the next edit may join it."""

    old_start: int
    old_end: int
    orig_start: int
    orig_end: int
    new_start: int
    new_end: int
    own_chain: tuple[Layer, ...]
    outer_chain: tuple[Layer, ...]
    confidence: float
    notes: tuple[str, ...]
    guesses: tuple[Guess, ...]

    def region(self) -> _Region:
        return _Region(self.orig_start, self.orig_end, self.new_start, self.new_end,
                       self.own_chain + self.outer_chain, self.confidence, self.guesses,
                       self.notes)


@dataclass(frozen=True)
class _Candidate:
    orig_start: int
    orig_end: int
    repaired: str
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...]
    notes: tuple[str, ...]


_by_start = attrgetter("start")


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
        self._starts: list[int] | None = []  # cur_start of every region, built lazily
        self._candidates: dict[_Candidate, None] = {}  # ordered set: rounds repeat them

    # -- coordinate mapping ------------------------------------------------------------
    def _delta_before(self, index: int) -> int:
        """Length change caused by the first ``index`` regions (current minus original)."""
        if index <= 0:
            return 0
        region = self._regions[index - 1]
        return region.cur_end - region.orig_end

    def to_original(self, position: int) -> int:
        """Map an offset in the current text to the input (region ends map to ends)."""
        if self._starts is None:
            self._starts = [r.cur_start for r in self._regions]
        index = bisect_right(self._starts, position)
        if index and position < self._regions[index - 1].cur_end:
            return self._regions[index - 1].orig_start
        return position - self._delta_before(index)

    # -- applying ----------------------------------------------------------------------
    def apply(self, edits: list[Edit]) -> None:
        """Apply non-overlapping edits given in current-text coordinates.

        One linear pass over the edits and the known regions: an edit that touches
        earlier-changed regions (or the region of the previous edit) merges with them, so
        a span repaired in several rounds is reported once with its whole chain.
        """
        old = self._regions
        self._starts = None
        if not old:
            self._apply_to_unchanged(edits)
            return
        text = self.current
        out: list[_Region] = []
        pieces: list[str] = []
        pending: _Pending | None = None
        index = position = shift = 0
        delta = 0  # current-minus-original offset of unchanged text at the scan point
        for edit in sorted(edits, key=_by_start):
            passed = False
            while index < len(old) and old[index].cur_end < edit.start:
                if pending is not None:
                    out.append(pending.region())
                    pending = None
                region = old[index]
                out.append(region if not shift else region._replace(
                    cur_start=region.cur_start + shift, cur_end=region.cur_end + shift))
                delta = region.cur_end - region.orig_end
                index += 1
                passed = True
            group: list[_Region] = []
            while index < len(old) and old[index].cur_start <= edit.end:
                group.append(old[index])
                index += 1
            joins_pending = pending is not None and not passed and edit.start <= pending.old_end
            if pending is not None and not joins_pending:
                out.append(pending.region())
                pending = None
            growth = len(edit.replacement) - (edit.end - edit.start)
            replacement_start = edit.start + shift
            own_chain = edit.chain
            if pending is not None:
                start_old, orig_start, new_start = pending.old_start, pending.orig_start, pending.new_start
                # A neighbour from the same round undoes the same layer: not an outer one.
                own_chain = tuple(dict.fromkeys(pending.own_chain + edit.chain))
                outer = [pending.outer_chain] + [r.chain for r in group]
                confidences = [pending.confidence] + [r.confidence for r in group]
                notes = pending.notes + tuple(n for r in group for n in r.notes)
                kept_guesses = pending.guesses
                last_end, last_orig_end = pending.old_end, pending.orig_end
            elif group:
                first = group[0]
                start_old = min(edit.start, first.cur_start)
                orig_start = first.orig_start if first.cur_start <= edit.start else edit.start - delta
                new_start = start_old + shift
                outer = [r.chain for r in group]
                confidences = [r.confidence for r in group]
                notes = tuple(n for r in group for n in r.notes)
                kept_guesses = ()
                last_end, last_orig_end = group[-1].cur_end, group[-1].orig_end
            else:
                start_old, orig_start, new_start = edit.start, edit.start - delta, edit.start + shift
                outer, confidences, notes, kept_guesses = [], [], (), ()
                last_end, last_orig_end = edit.end, edit.end - delta
            if group:
                last_end, last_orig_end = group[-1].cur_end, group[-1].orig_end
            old_end = max(edit.end, last_end)
            orig_end = last_orig_end if last_end >= edit.end else edit.end - (last_end - last_orig_end)
            shift += growth
            # Earlier rounds undid the outer layers; this edit undoes one beneath them.
            outer_chain: tuple[Layer, ...] = max(outer, key=len, default=())
            pending = _Pending(
                old_start=start_old, old_end=old_end, orig_start=orig_start, orig_end=orig_end,
                new_start=new_start, new_end=old_end + shift,
                own_chain=own_chain,
                outer_chain=outer_chain,
                confidence=min(confidences + [edit.confidence]),
                notes=tuple(dict.fromkeys(notes + edit.notes)),
                guesses=kept_guesses + tuple(
                    replace(g, position=g.position + replacement_start - new_start)
                    for g in edit.guesses
                ),
            )
            delta = old_end - orig_end
            pieces.append(text[position : edit.start])
            pieces.append(edit.replacement)
            position = edit.end
        if pending is not None:
            out.append(pending.region())
        if shift:
            out.extend(_Region(r.orig_start, r.orig_end, r.cur_start + shift, r.cur_end + shift,
                               r.chain, r.confidence, r.guesses, r.notes) for r in old[index:])
        else:
            out.extend(old[index:])
        pieces.append(text[position:])
        self.current = "".join(pieces)
        self._regions = out

    def _apply_to_unchanged(self, edits: list[Edit]) -> None:
        """:meth:`apply` for the first batch, when no region exists yet (input and current
        coordinates agree): edits that touch merge, nothing else to carry along. Most
        texts are repaired in one batch, so this is the path a large file takes."""
        text = self.current
        out: list[_Region] = []
        pieces: list[str] = []
        position = shift = 0
        # The open region: start, end (both input = current-text offsets), new start,
        # chain, confidence, notes, guesses.
        start = end = new_start = -1
        chain: tuple[Layer, ...] = ()
        confidence = 0.0
        notes: tuple[str, ...] = ()
        guesses: tuple[Guess, ...] = ()
        for edit in sorted(edits, key=_by_start):
            replacement_start = edit.start + shift
            if start >= 0 and edit.start <= end:
                end = max(end, edit.end)
                if edit.chain != chain:
                    chain = tuple(dict.fromkeys(chain + edit.chain))
                confidence = min(confidence, edit.confidence)
                if edit.notes:
                    notes = tuple(dict.fromkeys(notes + edit.notes))
            else:
                if start >= 0:
                    out.append(_Region(start, end, new_start, end + shift, chain, confidence,
                                       guesses, notes))
                start, end, new_start = edit.start, edit.end, replacement_start
                chain, confidence, guesses = edit.chain, edit.confidence, ()
                notes = edit.notes if len(edit.notes) < 2 else tuple(dict.fromkeys(edit.notes))
            if edit.guesses:
                guesses += tuple(replace(g, position=g.position + replacement_start - new_start)
                                 for g in edit.guesses)
            shift += len(edit.replacement) - (edit.end - edit.start)
            pieces.append(text[position:edit.start])
            pieces.append(edit.replacement)
            position = edit.end
        if start >= 0:
            out.append(_Region(start, end, new_start, end + shift, chain, confidence, guesses,
                               notes))
        pieces.append(text[position:])
        self.current = "".join(pieces)
        self._regions = out

    def add_candidate(self, edit: Edit) -> None:
        """Remember an edit that was found but not applied (too uncertain)."""
        start = self.to_original(edit.start)
        end = max(start, self.to_original(edit.end))
        candidate = _Candidate(
            start, end, edit.replacement, edit.chain, edit.confidence, edit.guesses, edit.notes
        )
        self._candidates[candidate] = None  # later rounds propose it again

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
        orig_starts = [r.orig_start for r in self._regions]
        for c in self._candidates:
            # Regions are disjoint and in order: only the last one starting before the
            # candidate's end can overlap it.
            index = bisect_right(orig_starts, c.orig_end - 1 if c.orig_end > c.orig_start
                                 else c.orig_start)
            if index and self._regions[index - 1].orig_end > c.orig_start and (
                    self._regions[index - 1].orig_start < c.orig_end):
                continue
            out_start = self._to_current(c.orig_start, orig_starts)
            out.append(
                RepairedSpan(
                    c.orig_start, c.orig_end, out_start, out_start + (c.orig_end - c.orig_start),
                    self.original[c.orig_start : c.orig_end], c.repaired, c.chain, c.confidence,
                    c.guesses, c.notes, applied=False,
                )
            )
        out.sort(key=lambda s: (s.start, s.end))
        return tuple(out)

    def _to_current(self, orig_position: int, orig_starts: list[int]) -> int:
        """Map an input offset outside every region to the current text."""
        index = bisect_right(orig_starts, orig_position)
        while index and self._regions[index - 1].orig_end > orig_position:
            index -= 1
        if not index:
            return orig_position
        region = self._regions[index - 1]
        return orig_position + region.cur_end - region.orig_end
