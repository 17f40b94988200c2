"""UTF-8 read with a DOS code page: console output, zip file names, old batch files.

Every DOS code page draws boxes with the bytes that UTF-8 uses as lead bytes of two-byte
sequences (C0-DF): ``é`` (C3 A9) comes out as ``├®`` in cp850, ``П`` (D0 9F) as ``╨Я``
in cp866, and a line of such mojibake is full of box-drawing characters glued to
letters. ftfy knows cp437 only; on a line read with cp850, cp852 or cp866 it takes the
letters between the boxes for cp1252 mojibake and garbles the rest. So the lines that hold
box drawing are read here first, by the model-based engine (:mod:`mojifix.cjk`) with
the DOS code pages alone; the runs it does not explain stay for the other engines.
A run of box drawing alone is line art unless its line is mojibake (see ``cjk``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .cjk import find_cjk_edits, triggers as model_triggers
from .edits import Edit
from .lines import line_span
from .options import Options

#: Box drawing and block elements: what DOS code pages make of UTF-8 lead bytes.
BOX_DRAWING_RE = re.compile("[\u2500-\u259f]")


@lru_cache(maxsize=16)
def evidence_re(options: Options) -> re.Pattern[str]:
    """What shows that a DOS code page read a line: box drawing, or a three-byte UTF-8
    sequence as one of the code pages that ftfy's share letters with shows it (its
    character for a lead byte E0-EF, then two for continuation bytes 80-BF).

    A line of English read as cp437 holds no box drawing, only punctuation: ``’`` (E2 80
    99) comes out as ``ΓÇÖ``, ``“`` as ``ΓÇ£``, and as ``ÔÇÖ`` in cp850 and cp852; no
    other engine reads these (ftfy's cp437 needs box drawing too). cp866 is left out:
    the model engine reads it anyway, and its lead and continuation characters are
    common Cyrillic letters.

    >>> bool(evidence_re(Options()).search("ItΓÇÖs")), bool(evidence_re(Options()).search("Straße"))
    (True, False)
    """
    shared = [c for c in options.dos_codecs if c not in options.model_codecs]
    leads = {bytes([b]).decode(c) for c in shared for b in range(0xE0, 0xF0)}
    continuations = {bytes([b]).decode(c) for c in shared for b in range(0x80, 0xC0)}
    three_byte = ("|[" + re.escape("".join(sorted(leads))) + "]["
                  + re.escape("".join(sorted(continuations))) + "]{2}") if shared else ""
    return re.compile("[\u2500-\u259f]" + three_byte)


@lru_cache(maxsize=16)
def _with_every_dos_codec(options: Options) -> Options:
    """``options`` whose model codecs include every DOS code page (the model engine
    after ftfy leaves out those that share Latin letters with cp1252)."""
    return options.with_(single_byte_codecs=options.single_byte_codecs + tuple(
        c for c in options.dos_codecs if c not in options.single_byte_codecs))


def triggers(options: Options) -> tuple[re.Pattern[str], ...]:
    """Patterns one of which matches every text this engine would change (see
    :mod:`mojifix.gate`)."""
    return model_triggers(_with_every_dos_codec(options).model_codecs) if options.dos_codecs else ()


def find_dos_edits(text: str, options: Options) -> list[Edit]:
    """Propose edits that undo UTF-8 read as one of ``options.dos_codecs``, in the lines
    that hold box drawing or a DOS form of a three-byte sequence (:func:`evidence_re`).

    That is the evidence that a DOS code page read the line: a line keeps its edits only
    if one of them repairs it. Otherwise its letters are some other
    engine's mojibake beside genuine line art (cp850 would read ``│ cafÃ© │`` as
    ``cafǸ``; it is cp1252's ``café``)."""
    evidence = evidence_re(options)
    if not options.dos_codecs or evidence.search(text) is None:
        return []
    # Every codec of the model competes, so that the line codec is the one that explains
    # the line best: KOI8-R also turns UTF-8 continuation bytes into box drawing, and a
    # run of its mojibake that happens to read as cp437 must lose to its KOI8-R reading.
    # Only the DOS readings are kept; the others wait for the model engine after ftfy.
    dos = set(options.dos_codecs)
    # (Lost bytes are rebuilt for multi-byte codecs only, whose readings are dropped
    # here: that search is skipped.)
    edits = [edit for edit in find_cjk_edits(text, _with_every_dos_codec(options),
                                             only_lines=evidence, lossy=False)
             if all(layer.read_as in dos for layer in edit.chain)]
    evidenced = {line_span(text, edit.start) for edit in edits
                 if evidence.search(text, edit.start, edit.end)}
    return [edit for edit in edits if line_span(text, edit.start) in evidenced]
