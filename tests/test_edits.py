"""EditTracker: rounds of edits compose into input-level spans that explain the output."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mojifix.edits import Edit, EditTracker
from mojifix.result import Layer

LAYER = (Layer("utf-8", "cp1252"),)


def _random_edits(rng: random.Random, text: str) -> list[Edit]:
    edits, position = [], 0
    while position < len(text):
        start = position + rng.randint(0, 6)
        if start > len(text):
            break
        end = min(len(text), start + rng.randint(0, 3))
        replacement = "".join(rng.choice("xyzé鈥") for _ in range(rng.randint(0, 3)))
        if start != end or replacement:
            edits.append(Edit(start, end, replacement, LAYER, rng.random()))
        position = end + rng.randint(1, 3)  # keep edits apart: order is then unambiguous
    return edits


def _naive(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9), st.text(alphabet="abcdef ", max_size=40), st.integers(1, 4))
def test_spans_explain_the_output(seed: int, text: str, rounds: int) -> None:
    rng = random.Random(seed)
    tracker = EditTracker(text)
    expected = text
    for _ in range(rounds):
        edits = _random_edits(rng, tracker.current)
        expected = _naive(expected, edits)
        tracker.apply(edits)
        assert tracker.current == expected
    spans = tracker.spans()
    rebuilt, position = [], 0
    for span in spans:
        assert span.start >= position, "spans overlap"
        assert text[span.start : span.end] == span.original
        assert tracker.current[span.out_start : span.out_end] == span.repaired
        rebuilt.append(text[position : span.start] + span.repaired)
        position = span.end
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == tracker.current


def test_unapplied_candidates_are_reported_once() -> None:
    tracker = EditTracker("ab QQ cd")
    candidate = Edit(3, 5, "Q", LAYER, 0.2)
    tracker.add_candidate(candidate)
    tracker.apply([Edit(0, 2, "x", LAYER, 0.9)])
    tracker.add_candidate(Edit(2, 4, "Q", LAYER, 0.2))  # the same, proposed again a round later
    unapplied = [s for s in tracker.spans() if not s.applied]
    assert len(unapplied) == 1
    assert unapplied[0].original == "QQ"


def test_many_edits_in_one_batch() -> None:
    text = "aé " * 50_000
    edits = [Edit(i * 3 + 1, i * 3 + 2, "e", LAYER, 0.9) for i in range(50_000)]
    tracker = EditTracker(text)
    tracker.apply(edits)
    assert tracker.current == "ae " * 50_000
    assert len(tracker.spans()) == 50_000


def test_adjacent_edits_and_later_rounds_merge_into_one_span() -> None:
    tracker = EditTracker("abcdef")
    tracker.apply([Edit(0, 2, "x", LAYER, 0.9), Edit(2, 4, "yy", LAYER, 0.8)])
    tracker.apply([Edit(1, 3, "z", (Layer("utf-8", "gbk"),), 0.7)])
    (span,) = tracker.spans()
    assert (span.original, span.repaired) == ("abcd", "xz")
    assert span.chain == (Layer("utf-8", "gbk"), Layer("utf-8", "cp1252"))
    assert span.confidence == 0.7
