"""Result values: what a repair changed, why, and how sure mojifix is.

Everything the library decides is returned as frozen values, so that renderers
(diffs, JSON, SARIF, GitHub annotations) can turn the same value into different
output without re-running the repair.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layer:
    """One mis-decoding: bytes written as ``written_as`` were decoded as ``read_as``.

    >>> str(Layer("utf-8", "gbk"))
    'utf-8 read as gbk'
    """

    written_as: str
    read_as: str

    def __str__(self) -> str:
        return f"{self.written_as} read as {self.read_as}"


@dataclass(frozen=True)
class Guess:
    """A character the wrong decoder threw away and mojifix reconstructed.

    ``position`` is an offset into the repaired span's text (``RepairedSpan.repaired``).
    ``alternatives`` holds the runners-up with their probabilities, best first.
    """

    position: int
    text: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class RepairedSpan:
    """One repaired stretch of text.

    ``start``/``end`` index the input, ``out_start``/``out_end`` the output.
    ``chain`` lists the mis-decodings in the order they happened, so the first
    layer is the innermost damage (e.g. utf-8 read as gbk, then utf-8 read as cp1252).
    ``applied`` is False for a candidate that was found but not applied because its
    confidence was below the threshold; such spans have ``out_start == out_end`` range
    covering the unchanged original text.
    """

    start: int
    end: int
    out_start: int
    out_end: int
    original: str
    repaired: str
    chain: tuple[Layer, ...]
    confidence: float
    guesses: tuple[Guess, ...] = ()
    notes: tuple[str, ...] = ()
    applied: bool = True

    @property
    def explanation(self) -> str:
        """The chain as words, innermost layer first.

        >>> RepairedSpan(0, 2, 0, 1, "Ã©", "é", (Layer("utf-8", "latin-1"),), 0.9).explanation
        'utf-8 read as latin-1'
        """
        if not self.chain:
            return "; ".join(self.notes) or "repaired"
        return ", then ".join(str(layer) for layer in self.chain)

    @property
    def lost_characters(self) -> int:
        """How many characters of this span were lost and had to be guessed."""
        return len(self.guesses)


@dataclass(frozen=True)
class Repair:
    """The outcome of ``fix_and_explain``: the repaired text and every span changed.

    ``spans`` holds applied repairs and, with ``applied=False``, candidates that were
    found but judged too uncertain to apply.
    """

    original: str
    text: str
    spans: tuple[RepairedSpan, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        """True when the repaired text differs from the input."""
        return self.text != self.original

    @property
    def applied_spans(self) -> tuple[RepairedSpan, ...]:
        """The spans that changed the text."""
        return tuple(span for span in self.spans if span.applied)

    @property
    def unapplied_spans(self) -> tuple[RepairedSpan, ...]:
        """Candidates that were reported but left alone for lack of confidence."""
        return tuple(span for span in self.spans if not span.applied)

    @property
    def confidence(self) -> float:
        """The lowest confidence among the applied repairs (1.0 when nothing changed)."""
        applied = self.applied_spans
        return min((span.confidence for span in applied), default=1.0)
