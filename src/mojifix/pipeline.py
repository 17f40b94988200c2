"""The repair pipeline: run the engines in rounds until nothing more changes.

Each engine is a pure function ``(text, options) -> list[Edit]``. A round runs every
enabled engine once; nested mojibake (several layers) is undone one layer per round.
Edits below ``options.min_confidence`` are not applied but reported.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from . import cjk, crosscjk, cyrillic, dos, latin, legacy, lossy_latin
from .cjk import find_cjk_edits
from .crosscjk import find_cross_cjk_edits
from .cyrillic import find_cyrillic_swap_edits
from .dos import find_dos_edits
from .edits import Edit, EditTracker
from .gate import combine
from .latin import find_latin_edits
from .legacy import find_legacy_edits
from .lossy_latin import find_latin_lossy_edits
from .options import DEFAULT_OPTIONS, Options
from .result import Repair

Engine = Callable[[str, Options], list[Edit]]


def _engines(options: Options) -> list[Engine]:
    engines: list[Engine] = []
    if options.legacy:
        # Before the Latin engine: legacy mojibake (``ÄãºÃ``) often holds byte pairs
        # that are valid UTF-8, which ftfy would decode first and so garble the rest.
        # The legacy engine leaves every line that UTF-8 explains best to the others.
        engines.append(find_legacy_edits)
        # Cyrillic read with another Cyrillic code page, for the same reason: ftfy would
        # take the byte triples that happen to be UTF-8 (``зҐ\xad``) for its own.
        engines.append(find_cyrillic_swap_edits)
    if options.dos_codecs:
        # Before ftfy, which knows cp437 only and reads the letters between the box
        # drawing of cp850/cp852/cp866 mojibake as cp1252, garbling the rest.
        engines.append(find_dos_edits)
    if options.latin:
        # Before ftfy: once it marks a cut UTF-8 sequence with U+FFFD, the bytes that
        # survived are gone and the lost character can no longer be rebuilt.
        if options.reconstruct_lost:
            engines.append(find_latin_lossy_edits)
        engines.append(find_latin_edits)
    if options.model_codecs:
        engines.append(find_cjk_edits)
    if options.legacy:
        # Last: a line of CJK text read as another CJK codec is all real characters,
        # which the engines above leave alone unless they are their kind of mojibake.
        engines.append(find_cross_cjk_edits)
    return engines


#: For each engine, the patterns one of which matches every text it would change
#: (its own quick scans). An engine missing here (a plug-in, a test double) turns the
#: gate off: then every engine runs on every non-ASCII text, as it must.
_TRIGGERS: dict[Engine, Callable[[Options], tuple[re.Pattern[str], ...]]] = {
    find_legacy_edits: lambda options: legacy.triggers(),
    find_latin_lossy_edits: lambda options: (lossy_latin.TRIGGER,),
    find_latin_edits: lambda options: latin.triggers(),
    find_cjk_edits: lambda options: cjk.triggers(options.model_codecs),
    find_cross_cjk_edits: lambda options: (crosscjk.TRIGGER,),
    find_cyrillic_swap_edits: lambda options: (cyrillic.TRIGGER,),
    find_dos_edits: dos.triggers,
}


@lru_cache(maxsize=16)
def _gate(engines: tuple[Engine, ...], options: Options) -> re.Pattern[str] | None:
    """One pattern that matches a text exactly when some engine's triggers do
    (:mod:`mojifix.gate`): when it finds nothing, no engine would change anything, and
    clean text costs a single scan. None when an engine declares no triggers."""
    triggers: list[re.Pattern[str]] = []
    for engine in engines:
        source = _TRIGGERS.get(engine)
        if source is None:
            return None
        triggers += source(options)
    return combine(triggers)


def may_hold_mojibake(text: str, options: Options = DEFAULT_OPTIONS) -> bool:
    """False when no engine could change ``text``: the fast path for clean text.

    >>> may_hold_mojibake("“Curly” quotes, café, Straße, 😀"), may_hold_mojibake("cafÃ©")
    (False, True)
    """
    if text.isascii():
        return False
    gate = _gate(tuple(_engines(options)), options)
    return gate is None or gate.search(text) is not None


def fix_and_explain(text: str, options: Options = DEFAULT_OPTIONS) -> Repair:
    """Repair the mojibake in ``text`` and explain every change.

    >>> repair = fix_and_explain("cafÃ© itâ€™s")
    >>> repair.text
    'café it’s'
    >>> [(s.original, s.repaired, s.explanation) for s in repair.spans]
    [('Ã©', 'é', 'utf-8 read as cp1252'), ('â€™', '’', 'utf-8 read as cp1252')]
    """
    if not isinstance(text, str):
        raise TypeError(f"fix_and_explain() takes str, not {type(text).__name__}")
    if not may_hold_mojibake(text, options):
        return Repair(text, text)
    tracker = _run_rounds(text, options, keep_candidates=True)
    return Repair(text, tracker.current, tracker.spans())


def _run_rounds(text: str, options: Options, keep_candidates: bool) -> EditTracker:
    """Run the engines in rounds until nothing changes; the tracker holds the result.

    ``keep_candidates`` records the edits too uncertain to apply, for the explanation;
    :func:`fix_text` wants the text only and skips that bookkeeping."""
    tracker = EditTracker(text)
    engines = _engines(options)
    for _ in range(options.max_layers):
        changed = False
        for engine in engines:
            edits = engine(tracker.current, options)
            sure = [e for e in edits if e.confidence >= options.min_confidence]
            if keep_candidates and len(sure) < len(edits):
                for edit in edits:
                    if edit.confidence < options.min_confidence:
                        tracker.add_candidate(edit)
            if sure:
                tracker.apply(sure)
                changed = True
        if not changed:
            break
    return tracker


def fix_text(text: str, options: Options = DEFAULT_OPTIONS) -> str:
    """Repair the mojibake in ``text`` and change nothing else.

    >>> fix_text("cafÃ© itâ€™s")
    'café it’s'
    >>> fix_text("“Café” ﬁne ＡＢ &amp;\\r\\n")
    '“Café” ﬁne ＡＢ &amp;\\r\\n'
    """
    if not isinstance(text, str):
        raise TypeError(f"fix_text() takes str, not {type(text).__name__}")
    if not may_hold_mojibake(text, options):
        return text
    return _run_rounds(text, options, keep_candidates=False).current
