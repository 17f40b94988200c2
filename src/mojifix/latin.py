"""UTF-8 read as single-byte Latin/Windows codecs, repaired through ftfy.

ftfy is the best tool for this family (cp1252, latin-1, cp1250, cp1251, mac_roman,
cp437, ...). mojifix calls only its *encoding* repairs, never the cosmetic ones of
``ftfy.fix_text`` (quote uncurling, width folding, NFC, HTML unescaping, newline
changes), and turns ftfy's whole-line plan into span-level edits in mojifix's terms.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Iterator

import ftfy

from .edits import Edit, changed_spans, splice
from .lines import line_span
from .options import DOS_CODECS, Options
from .result import Layer

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

#: ftfy's internal codec names, spelled as Python codec names.
_CODEC_NAMES = {
    "sloppy-windows-1250": "cp1250",
    "sloppy-windows-1251": "cp1251",
    "sloppy-windows-1252": "cp1252",
    "sloppy-windows-1253": "cp1253",
    "sloppy-windows-1254": "cp1254",
    "sloppy-windows-1257": "cp1257",
    "windows-1250": "cp1250",
    "windows-1251": "cp1251",
    "windows-1252": "cp1252",
    "windows-1253": "cp1253",
    "windows-1254": "cp1254",
    "windows-1257": "cp1257",
    "macroman": "mac_roman",
    "utf-8-variants": "utf-8",
    "iso-8859-2": "iso8859-2",
}

#: Steps of ftfy's plan that undo a mis-decoding without an encode/decode pair.
_APPLY_LAYERS = {
    "fix_c1_controls": Layer("cp1252", "latin-1"),
    "decode_inconsistent_utf8": Layer("utf-8", "cp1252"),
    "fix_partial_utf8_punct_in_1252": Layer("utf-8", "cp1252"),
}
_APPLY_NOTES = {
    "restore_byte_a0": "a space that replaced byte 0xA0 was restored",
    "replace_lossy_sequences": "bytes lost before the mis-decoding are marked with U+FFFD",
}

#: The single-byte codecs ftfy knows as wrong decoders of UTF-8.
SINGLE_BYTE_CODECS = (
    "latin-1", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257",
    "iso8859-2", "mac_roman", "cp437",
)

#: The code pages whose mojibake this engine looks for: ftfy's, and cp1258 (Vietnamese
#: Windows), which the field notes list among the wrong decoders of UTF-8 and which the
#: engine re-reads itself (``TĂ´i`` for ``Tôi``).
READ_CODECS = SINGLE_BYTE_CODECS + ("cp1258",)


def _char_class(codecs: tuple[str, ...], byte_values: range) -> str:
    """A regex character class of what these bytes become in any of these codecs."""
    chars = {
        bytes([value]).decode(codec, errors="ignore") for codec in codecs for value in byte_values
    }
    return "[" + re.escape("".join(sorted(c for c in chars if c))) + "]"


def _build_suspect_res() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """Regexes that every piece of UTF-8-read-as-single-byte mojibake must match.

    UTF-8 writes each non-ASCII character as a lead byte followed by one (lead C2-DF), two
    (E0-EF) or three (F0-F4) continuation bytes (80-BF); a single-byte decoder turns each
    byte into one character. So mojibake contains, for some codec, a lead character followed
    by the right number of continuation characters. A no-break space (A0) turned into a
    plain space after a cp1252/cp1251 lead (``Ã `` for ``à``) is ftfy's other signal; C1
    controls and U+FFFD mark bytes that had no character or were lost.

    Returns quick patterns (the union over all codecs, each a character-class pair or
    single class, which the regex engine scans at hundreds of MB/s) and precise per-codec
    patterns that are only run on the lines the quick ones flag. Clean text thus stays
    on a fast path.
    """
    lead_a0 = _char_class(("cp1252", "cp1251"), range(0xC2, 0xE0)) + " "
    lost = "[\\x80-\\x9f\\ufffd]"
    # Three patterns that each start with a character class: the regex engine then
    # skips ahead at C speed, which an alternation of them would prevent.
    quick = (
        re.compile(
            _char_class(READ_CODECS, range(0xC2, 0xF5))
            + _char_class(READ_CODECS, range(0x80, 0xC0))
        ),
        re.compile(lead_a0),
        re.compile(lost),
    )
    precise = [re.compile(f"{lead_a0}|{lost}")]
    for codec in READ_CODECS:
        cont = _char_class((codec,), range(0x80, 0xC0))
        precise.append(
            re.compile(
                _char_class((codec,), range(0xC2, 0xE0)) + cont
                + "|" + _char_class((codec,), range(0xE0, 0xF0)) + cont * 2
                + "|" + _char_class((codec,), range(0xF0, 0xF5)) + cont * 3
            )
        )
    return quick, tuple(precise)


_QUICK_RES, _PRECISE_RES = _build_suspect_res()


def triggers() -> tuple[re.Pattern[str], ...]:
    """Patterns one of which matches every text this engine would change (see
    :mod:`mojifix.gate`): the quick scans of :func:`suspect_lines`."""
    return _QUICK_RES


def suspect_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, line)`` for the lines that may hold single-byte mojibake.

    >>> list(suspect_lines("clean\\ncafÃ© ok\\nalso clean"))
    [(6, 'cafÃ© ok\\n')]
    """
    position = 0
    quick = list(_QUICK_RES)
    while True:
        hits = []
        for pattern in list(quick):
            match = pattern.search(text, position)
            if match is None:
                quick.remove(pattern)  # no match further on either
            else:
                hits.append(match.start())
        if not hits:
            return
        start, end = line_span(text, min(hits))
        line = text[start:end]
        if any(pattern.search(line) for pattern in _PRECISE_RES):
            yield start, line
        position = end


def codec_name(ftfy_name: str) -> str:
    """Spell one of ftfy's codec names as the Python codec it stands for.

    >>> codec_name("sloppy-windows-1252")
    'cp1252'
    """
    return _CODEC_NAMES.get(ftfy_name, ftfy_name)


def chain_from_plan(plan: list[tuple[str, str]]) -> tuple[tuple[Layer, ...], tuple[str, ...]]:
    """Turn ftfy's repair plan (outermost layer first) into layers, innermost first.

    >>> chain_from_plan([("encode", "sloppy-windows-1252"), ("decode", "utf-8")])
    ((Layer(written_as='utf-8', read_as='cp1252'),), ())
    """
    layers: list[Layer] = []
    notes: list[str] = []
    pending: str | None = None
    for action, parameter in plan:
        if action == "encode":
            pending = codec_name(parameter)
        elif action == "decode" and pending is not None:
            layers.append(Layer(codec_name(parameter), pending))
            pending = None
        elif parameter in _APPLY_LAYERS:
            layers.append(_APPLY_LAYERS[parameter])
        elif parameter in _APPLY_NOTES:
            notes.append(_APPLY_NOTES[parameter])
    return tuple(reversed(layers)), tuple(notes)


_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


def _replay_on_runs(line: str, plan: list[tuple[str, str]], fixed: str) -> list[tuple[int, int, str]] | None:
    """Replay an encode/decode plan on each run of non-ASCII characters.

    ASCII is unchanged by every codec ftfy re-encodes with, and no UTF-8 sequence contains
    an ASCII byte, so when the plan is only encode/decode steps, repairing each non-ASCII
    run on its own gives the same line as ftfy did, with exact, minimal spans and no
    quadratic diffing. Returns None when the plan has other steps or the replay disagrees.
    """
    if any(action not in ("encode", "decode") for action, _ in plan):
        return None
    changes: list[tuple[int, int, str]] = []
    pieces: list[str] = []
    position = 0
    for match in _NON_ASCII_RUN_RE.finditer(line):
        run: str | bytes = match.group()
        try:
            for action, codec in plan:
                if action == "encode":
                    run = run.encode(codec)  # type: ignore[union-attr]
                else:
                    run = run.decode(codec)  # type: ignore[union-attr]
        except (UnicodeError, LookupError):
            return None
        assert isinstance(run, str)
        pieces.append(line[position : match.start()])
        pieces.append(run)
        position = match.end()
        if run != match.group():
            changes.append((match.start(), match.end(), run))
    pieces.append(line[position:])
    return changes if "".join(pieces) == fixed else None


@lru_cache(maxsize=1 << 16)
def _span_confidence(before: str, after: str) -> float:
    """The plausibility model's confidence in one span repair (the same pairs recur a lot)."""
    from .plausibility import repair_confidence

    return repair_confidence(before, after)


def _line_edits(offset: int, line: str, fixed: str, plan: list[tuple[str, str]]) -> list[Edit]:
    chain, notes = chain_from_plan(plan)
    changes = _replay_on_runs(line, plan, fixed)
    if changes is None:
        matcher = SequenceMatcher(None, line, fixed, autojunk=False)
        changes = [
            (i1, i2, fixed[j1:j2])
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    # A plan that re-encodes the whole line and decodes it as UTF-8 read the line as a
    # unit: its spans share one hypothesis (this line is mojibake of that code page),
    # so the line's evidence as a whole is a floor for each span's own. A rare result
    # (``ℕ``) then stands when the rest of its line is plainly the same mojibake.
    line_floor = 0.0
    if len(changes) > 1 and ("decode", "utf-8") in plan and any(
            step == "encode" for step, _ in plan):
        line_floor = _span_confidence(line, fixed)
    edits = []
    for start, end, replacement in changes:
        span_chain, span_notes = chain, notes
        if len(chain) > 1 and len(changes) > 1:
            # A line-wide plan covers its deepest span; a shallower span gets its own.
            alone, alone_plan = ftfy.fix_encoding_and_explain(line[start:end], config=_FTFY_CONFIG)
            if alone == replacement:
                span_chain, span_notes = chain_from_plan([(a, p) for a, p in alone_plan])
        edits.append(
            Edit(
                offset + start, offset + end, replacement, span_chain,
                max(line_floor, _span_confidence(line[start:end], replacement)), (),
                span_notes,
            )
        )
    return edits


#: Code pages ftfy does not try that agree with one it does on all but a few bytes, so
#: that ftfy takes UTF-8 read with them for its own. ISO-8859-15 (Latin-9, the default of
#: many European Unix systems) has € Š š Ž ž Œ œ Ÿ where Latin-1 has ¤ ¦ ¨ ´ ¸ ¼ ½ ¾,
#: and ftfy reads those as the cp1252 bytes of the same characters: ``fÃŒr`` comes out
#: as ``fÌr`` (C3 8C), not ``für`` (C3 BC). cp1258 (Vietnamese Windows) has ``Ă`` for C3
#: and a few combining tones where cp1252 has letters: ftfy repairs the runs cp1252 also
#: reads and leaves ``TĂ´i`` for ``Tôi``.
SIBLING_CODECS: dict[str, tuple[str, ...]] = {
    "cp1252": ("iso8859_15", "cp1258"),
    "latin-1": ("iso8859_15", "cp1258"),
    "cp1250": ("cp1258",),
}


@lru_cache(maxsize=None)
def _siblings(page: str) -> tuple[str, ...]:
    """The code pages a line ftfy read with ``page`` is re-read with: its siblings, and
    the code pages ftfy would only have tried after it. ftfy takes the first of its
    pages that reads a line as UTF-8, so Baltic cp1257 mojibake (``Ć©`` for ``é``)
    comes out as cp1250's ``Ʃ``: the later pages were never weighed. The DOS pages are
    the DOS engine's.

    >>> _siblings("cp1250")
    ('cp1258', 'cp1251', 'cp1253', 'cp1254', 'cp1257', 'iso8859-2', 'mac_roman')
    """
    later = SINGLE_BYTE_CODECS[SINGLE_BYTE_CODECS.index(page) + 1:] if (
        page in SINGLE_BYTE_CODECS) else ()
    return tuple(dict.fromkeys(SIBLING_CODECS.get(page, ()) + tuple(
        c for c in later if c not in DOS_CODECS)))


#: Prior odds against a sibling's reading of a line that ftfy's code page also reads, in
#: bits: 1 in 256. cp1252 and Latin-1 are by far the commoner wrong decoders (the field
#: notes list them first, Latin-9 not at all), and a short line such as ``ÄŒeÅ¡tina``
#: (``Čeština`` in cp1252, ``ļeština`` in Latin-9) must not flip on a few bits of the
#: character model; a line with ``ü``, ``ø`` or ``…`` against ``Ì``, ``Þ`` or U+2029
#: gains far more (15 to 40 bits per character).
SIBLING_PRIOR_BITS = 8.0


def _prefer_sibling(line: str, offset: int, edits: list[Edit]) -> list[Edit]:
    """ftfy's edits of one line, or the line's mojibake read with a sibling code page of
    the one ftfy chose, when that explains the line better by ``SIBLING_PRIOR_BITS``.

    The line is one hypothesis, as in ftfy's own whole-line plans. Under it, every
    non-ASCII run that ftfy changed must read as UTF-8 with the sibling (a run that only
    ftfy's code page explains, such as ``â€™``, whose ``€`` Latin-9 would have as byte
    A4, rules the sibling out), and so is read every other run that does (``fÃŒr``,
    which ftfy left alone)."""
    layers = {layer for edit in edits for layer in edit.chain}
    if not layers or any(not _siblings(layer.read_as) for layer in layers) or not any(
            layer.written_as == "utf-8" for layer in layers):
        return edits
    from .plausibility import model

    ftfy_line = splice(line, [(e.start - offset, e.end - offset, e.replacement)
                                 for e in edits])
    pages = {layer.read_as for layer in layers}
    runs: list[tuple[tuple[int, int], bool]] | None = None  # (span, touched by ftfy)
    best: tuple[float, str, list[tuple[int, int, str]]] | None = None
    ftfy_cost: float | None = None
    for sibling in sorted({s for page in pages for s in _siblings(page)}):
        # A sibling reads the line otherwise only through a character it puts at another
        # byte than ftfy's page: one search skips the rest (most lines, most siblings).
        if not any(_distinct_re((page,), sibling).search(line) for page in pages):
            continue
        # A run ftfy changed that holds a character the sibling lacks rules it out.
        lacking = _lacking_re(sibling)
        if any(lacking.search(line, e.start - offset, e.end - offset) for e in edits):
            continue
        if runs is None:
            runs = [(match.span(), any(e.start - offset < match.end()
                                       and match.start() < e.end - offset for e in edits))
                    for match in _NON_ASCII_RUN_RE.finditer(line)]
        readings = []
        for (start, end), touched in runs:
            try:
                readings.append((start, end, line[start:end].encode(sibling).decode("utf-8")))
            except UnicodeError:
                if touched:
                    break
        else:
            ours = splice(line, readings)
            if ours == ftfy_line:
                continue
            if ftfy_cost is None:
                ftfy_cost = model().cost(ftfy_line)
            cost = model().cost(ours) + SIBLING_PRIOR_BITS
            if cost < ftfy_cost and (best is None or cost < best[0]):
                best = (cost, sibling, readings)
    if best is None:
        return edits
    _, sibling, readings = best
    return [Edit(offset + start, offset + end, reading, (Layer("utf-8", sibling),),
                 _span_confidence(line[start:end], reading))
            for start, end, reading in readings if reading != line[start:end]]


#: ftfy's own code pages, the commonest wrong decoders of UTF-8, in the order a reading
#: is named after them.
FTFY_PAGES = ("cp1252", "latin-1")


def ftfy_page_reading(text: str) -> tuple[str, str] | None:
    """How one of ftfy's own code pages reads ``text`` as UTF-8: ``(page, reading)``, or
    None when neither encodes it to valid UTF-8.

    >>> ftfy_page_reading("ÅŸ"), ftfy_page_reading("Ð¿"), ftfy_page_reading("ok")
    (('cp1252', 'ş'), ('cp1252', 'п'), ('cp1252', 'ok'))
    >>> ftfy_page_reading("Ãx") is None
    True
    """
    for page in FTFY_PAGES:
        try:
            return page, text.encode(page).decode("utf-8")
        except UnicodeError:
            continue
    return None


@lru_cache(maxsize=None)
def sibling_only(codec: str) -> re.Pattern[str] | None:
    """For a sibling code page (see ``SIBLING_CODECS``), the characters it alone gives
    its bytes; None for any other codec. Another engine reading UTF-8 with the sibling
    must leave every run without one of them to ftfy, whose code pages read it the same
    way and whose judgement (``DrÃ¥ber`` beside a genuine ``–`` stays) stands.

    >>> bool(sibling_only("iso8859_15").fullmatch("€")), sibling_only("koi8_r")
    (True, None)
    """
    pages = tuple(sorted(page for page, siblings in SIBLING_CODECS.items() if codec in siblings))
    return _distinct_re(pages, codec) if pages else None


@lru_cache(maxsize=None)
def _lacking_re(codec: str) -> re.Pattern[str]:
    """The non-ASCII characters of ftfy's code pages that ``codec`` cannot encode."""
    chars = {bytes([value]).decode(page, errors="ignore")
             for page in SINGLE_BYTE_CODECS for value in range(0x80, 0x100)}
    lacking = sorted(c for c in chars if c and not _encodes(c, codec))
    return re.compile("[" + re.escape("".join(lacking)) + "]") if lacking else re.compile("(?!)")


def _encodes(text: str, codec: str) -> bool:
    """Whether ``codec`` can encode ``text``."""
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=None)
def _distinct_re(codecs: tuple[str, ...], sibling: str) -> re.Pattern[str]:
    """The characters that ``sibling`` has for a byte that ``codecs`` decode otherwise:
    ``€ Š š Ž ž Œ œ Ÿ`` for Latin-9 against cp1252 and Latin-1."""
    chars = set()
    for value in range(0x80, 0x100):
        ch = bytes([value]).decode(sibling, errors="ignore")
        if ch and any(bytes([value]).decode(codec, errors="ignore") != ch for codec in codecs):
            chars.add(ch)
    if not chars:
        return re.compile("(?!)")  # the same characters at the same bytes: never
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def find_latin_edits(text: str, options: Options) -> list[Edit]:
    """Propose edits that undo UTF-8 read as a single-byte codec, one line at a time."""
    edits: list[Edit] = []
    for offset, line in suspect_lines(text):
        fixed, plan = ftfy.fix_encoding_and_explain(line, config=_FTFY_CONFIG)
        if fixed == line:
            # ftfy leaves the C1 controls cp1252 does not define (Mac Roman's è, 8F).
            edits.extend(_declined_line_edits(line, offset)
                         or _prefer_c1_code_page(line, offset, [], options))
        else:
            steps = [(step[0], step[1]) for step in plan]
            line_edits = _prefer_sibling(line, offset, _line_edits(offset, line, fixed, steps))
            line_edits = _prefer_c1_code_page(line, offset, line_edits, options)
            line_edits = _space_that_was_byte_a0(line, offset, line_edits)
            if ("apply", "decode_inconsistent_utf8") in steps:
                line_edits = [_explain_embedded(edit, line, offset) for edit in line_edits]
            edits.extend(line_edits)
    return edits


def _space_that_was_byte_a0(line: str, offset: int, edits: list[Edit]) -> list[Edit]:
    """Let a repair whose last byte was A0 take in the space after it when the words
    read better so.

    Some tools turn the no-break space (byte A0 in Latin code pages) into an ASCII space.
    ftfy restores the byte but keeps the space when it stands between two letters, as
    French writes ``à`` as a word (``Ã Paris`` is ``à Paris``, the NBSP folded into the
    space after it). Vietnamese writes ``à`` inside syllables: ``hĂ i`` is ``hài``, the
    space *was* the A0 byte. Which it is, is a question of words: the word model of the
    line's languages judges the two words against the one, and the edit takes the
    space in only when the one word wins. It also judges the restoration itself: a
    genuine capital before a space (``a MAÇÃ do``, Portuguese) is no lost A0, and stays
    when its word is known and likelier than the restored one (``MAÇà``)."""
    if not any(_ends_in_byte_a0(e.replacement) for e in edits):
        return edits
    changes = [(e.start - offset, e.end - offset, e.replacement) for e in edits]
    starts = [c[0] for c in changes]  # edits are sorted and do not overlap
    repaired: str | None = None  # the whole line repaired, the words' context
    result: list[Edit | None] = list(edits)
    for index, edit in enumerate(edits):
        start, end = edit.start - offset, edit.end - offset
        if not _ends_in_byte_a0(edit.replacement):
            continue
        # The A0 restored at all? Portuguese capitals are genuine (``a MAÇÃ do``): the
        # word as it was, if a word list has it and it is the likelier, stays.
        head = _repaired_before(line, changes, starts, start)
        was = _WORD_END_RE.search(head + line[start:end].rstrip(" \xa0")).group()
        now = _WORD_END_RE.search(head + edit.replacement).group()
        restored = "\xa0" not in line[start:end]  # an intact A0 byte is no doubt
        if restored and was and was != now:
            if repaired is None:
                repaired = splice(line, changes)
            if _first_word_wins(was, now, repaired):
                result[index] = None
                continue
        if not (edit.replacement[-1].isalpha() and line[end:end + 1] == " "
                and line[end + 1:end + 2].isalpha()):
            continue  # a no-break space (C2 A0) is no letter to glue a word to
        first = _WORD_END_RE.search(_repaired_before(line, changes, starts, end)).group()
        second = _WORD_START_RE.match(_repaired_after(line, changes, starts, end + 1)).group()
        if repaired is None:
            repaired = splice(line, changes)
        if _one_word_wins(first, second, repaired):
            result[index] = replace(edit, end=edit.end + 1)
    return [edit for edit in result if edit is not None]


#: How far the word checks above look from a repair for the word it touches: no word
#: is longer. Splicing the whole line per repair made a long line cost the square of
#: its length (a 300 kB line of French mojibake took minutes).
_WORD_REACH = 200


def _repaired_before(line: str, changes: list[tuple[int, int, str]], starts: list[int],
                     pos: int) -> str:
    """The ``_WORD_REACH`` characters of ``line`` before ``pos`` (further back where a
    change straddles that edge), with the changes that end by ``pos`` applied."""
    low = max(0, pos - _WORD_REACH)
    first = bisect_right(starts, low) - 1
    if first >= 0 and changes[first][1] > low:
        low = changes[first][0]  # not inside a change
    else:
        first += 1
    last = bisect_right(starts, pos)
    return splice(line[low:pos], [(a - low, b - low, r) for a, b, r in changes[first:last]
                                  if b <= pos])


def _repaired_after(line: str, changes: list[tuple[int, int, str]], starts: list[int],
                    pos: int) -> str:
    """The ``_WORD_REACH`` characters of ``line`` from ``pos`` on (further where a change
    straddles that edge), with the changes that start there or later applied."""
    high = min(len(line), pos + _WORD_REACH)
    first = bisect_left(starts, pos)
    last = bisect_left(starts, high)
    if last > first and changes[last - 1][1] > high:
        high = changes[last - 1][1]
    return splice(line[pos:high], [(a - pos, b - pos, r) for a, b, r in changes[first:last]])


def _first_word_wins(first: str, second: str, context: str) -> bool:
    """Whether word ``first`` is in a word list and likelier than ``second`` in the
    languages ``context`` is most likely written in."""
    from .lossy_score import frequency_source, guess_languages, word_likelihood

    if not _in_some_word_list(first.lower()):
        return False  # cheap: the languages of the line need not be guessed
    ours = theirs = 0.0
    known = False
    for language, weight in guess_languages(context).items():
        ours += weight * word_likelihood(first.lower(), language)
        theirs += weight * word_likelihood(second.lower(), language)
        known = known or frequency_source().word_prob(first.lower(), language) > 0
    return known and ours > theirs


_WORD_END_RE = re.compile(r"[^\W\d_]*\Z")
_WORD_START_RE = re.compile(r"[^\W\d_]*")


def _one_word_wins(first: str, second: str, context: str) -> bool:
    """Whether ``first + second`` is likelier as one word than as two, under the word
    model (word lists with a letter-by-letter backoff for unknown words) of the languages
    ``context`` is most likely written in. ftfy's reading (two words) stands unless the
    one word is in a word list: the letter backoff alone does not price a word boundary,
    and would glue ``là quell'uomo`` into ``làquell``."""
    from .lossy_score import frequency_source, guess_languages, word_likelihood

    word = (first + second).lower()
    if not _in_some_word_list(word):
        return False
    split = joined = 0.0
    known = False
    for language, weight in guess_languages(context).items():
        split += weight * (word_likelihood(first.lower(), language)
                           * word_likelihood(second.lower(), language))
        joined += weight * word_likelihood(word, language)
        known = known or frequency_source().word_prob(word, language) > 0
    return known and joined > split


@lru_cache(maxsize=1 << 14)
def _in_some_word_list(word: str) -> bool:
    """Whether a Latin-script language's word list holds ``word`` (a necessary condition
    of the word checks above, which then weigh it in the line's own languages). The words
    these checks ask about are Latin-script words; asking every language would load every
    word list (some 130 MB), asking these loads the ones the Latin lines need anyway."""
    from .lossy_score import LATIN_LANGUAGES, frequency_source

    source = frequency_source()
    return any(source.word_prob(word, language) > 0 for language in LATIN_LANGUAGES)


def _ends_in_byte_a0(text: str) -> bool:
    """Whether the UTF-8 of ``text`` ends with byte A0 (``à`` is C3 A0)."""
    return bool(text) and text[-1].encode("utf-8", "surrogatepass").endswith(b"\xa0")


#: Prior odds against re-reading a line that ftfy left alone, in bits (1 in 65,536):
#: twice the most that a genuine line gained in the probes (7.7 bits, Czech
#: ``plná\xa0– čeká`` among 369,444 non-ASCII lines of the corpus paragraphs and a third
#: of the gettext catalogues), while 322 of the 346 corpus words that ftfy leaves alone
#: as cp1252 mojibake gain more.
DECLINED_PRIOR_BITS = 16.0


def _declined_line_edits(line: str, offset: int) -> list[Edit]:
    """Edits for a line that ftfy left alone although every non-ASCII run of it reads as
    UTF-8 through one of the code pages ftfy knows.

    ftfy leaves short strings alone on purpose: ``ÅŸehir`` (Turkish ``şehir``),
    ``Å’uvre`` (``Œuvre``) might be genuine, and ``é›…é›…`` could be French. Its badness
    heuristic also misses much of what the other code pages make of UTF-8: Polish
    ``mĂłwi`` (cp1250), Slovene ``raÄŤun`` (cp1250), Hungarian ``jĂł ĂĄllapot``
    (ISO-8859-2), Greek-locale ``Γ©`` (cp1253). The character and word models can tell:
    the line is one hypothesis per code page (every non-ASCII run must read as UTF-8
    with it), the best reading must cost ``DECLINED_PRIOR_BITS`` less than the line as it
    is, and a code page other than ftfy's own two (cp1252, Latin-1, by far the commonest)
    pays ``SIBLING_PRIOR_BITS`` more, so it wins only where it explains the line better,
    and must give back a telling character (see :func:`_telling`): what it reads as
    two-byte symbols alone (``Āø`` as a cedilla in cp1257, one of ftfy's negative cases:
    someone's name) is no evidence of that code page.
    Beside genuine text (``Bremer/Mccoy – DrÃ¥ber``, one of ftfy's negative cases) some
    run does not read as UTF-8, the line is inconsistent, and ftfy's caution stands."""
    runs = [match.span() for match in _NON_ASCII_RUN_RE.finditer(line)]
    if not runs or any(end - start < 2 for start, end in runs):
        # A lone non-ASCII character is one byte in any of these code pages, and no
        # UTF-8 (the common case in clean text: ``é`` between ASCII letters).
        return []
    words: list[int] | None = None
    best: tuple[float, str, list[tuple[int, int, str]]] | None = None
    line_bits = 0.0
    for codec in DECLINED_CODECS:
        readings = _runs_as_utf8(line, runs, codec)
        if readings is None:
            continue
        if words is None:
            words = [i for i, token in enumerate(_ASCII_SPACE_RE.split(line))
                     if not token.isascii()]
            line_bits = _reading_bits(line, words)
        bits = _reading_bits(splice(line, readings), words)
        if codec not in FTFY_PAGES:
            if not any(_telling(ch) for *_, text in readings for ch in text):
                continue
            bits += SIBLING_PRIOR_BITS
        if bits + DECLINED_PRIOR_BITS < line_bits and (best is None or bits < best[0]):
            best = (bits, codec, readings)
    if best is None:
        return []
    _, codec, readings = best
    return [Edit(offset + start, offset + end, text, (Layer("utf-8", codec),),
                 _span_confidence(line[start:end], text))
            for start, end, text in readings]


#: The code pages a line ftfy declined is re-read with: ftfy's own two first (ties go to
#: them), then the others of ``READ_CODECS``. Not the DOS code pages: their mojibake is
#: the DOS engine's, which tells it from genuine line art (``├┤a┼┐a``, one of ftfy's
#: negative cases) by more than a line's reading.
DECLINED_CODECS: tuple[str, ...] = tuple(c for c in dict.fromkeys(FTFY_PAGES + READ_CODECS)
                                         if c not in DOS_CODECS)


def _telling(ch: str) -> bool:
    """Whether a character read back from UTF-8 tells of its code page: a non-ASCII
    letter, or a character of three bytes or more (``—`` from ``β€”``, three characters
    of the page in the one order UTF-8 writes them). A two-byte symbol (``¸`` from two
    letters, ``Āø``) happens by chance."""
    return (ch.isalpha() and not ch.isascii()) or ord(ch) >= 0x800


def _runs_as_utf8(line: str, runs: list[tuple[int, int]], codec: str
                  ) -> list[tuple[int, int, str]] | None:
    """Every run of ``line`` read as UTF-8 through ``codec`` (``(start, end, reading)``),
    or None when one of them does not encode, is no valid UTF-8, reads as itself or as
    something nobody writes (``Ôôô`` is a private-use character in Mac Roman)."""
    from .plausibility import model

    readings = []
    for start, end in runs:
        run = line[start:end]
        try:
            reading = run.encode(codec).decode("utf-8")
        except UnicodeError:
            return None
        if reading == run or not model().attested(reading):
            return None
        readings.append((start, end, reading))
    return readings


#: ftfy's reading of C1 controls: cp1252 text read as Latin-1 (its plan may apply it
#: twice, which changes nothing more).
_C1_LAYER = _APPLY_LAYERS["fix_c1_controls"]

#: Prior odds against another code page than cp1252 for a line of C1 controls, in bits
#: (as for a sibling of ftfy's code page): cp1252 is by far the commonest, and its curly
#: quotes (``\x93Hello\x94``, ``it\x92s``) must not flip on a few bits of the model.
C1_PRIOR_BITS = SIBLING_PRIOR_BITS


def _prefer_c1_code_page(line: str, offset: int, edits: list[Edit], options: Options
                         ) -> list[Edit]:
    """ftfy's edits of a line of C1 controls, or the line read with the code page that
    explains it best.

    Text written in a single-byte code page and read as Latin-1 keeps its bytes 80-9F as
    C1 controls, which ftfy reads as cp1252 (``\x93`` is ``“``). But Mac Roman and the DOS
    code pages put their accented small letters there: Spanish ``tur\x92stico`` is Mac
    Roman ``turístico``, not ``tur’stico``. The line is one hypothesis (written in one
    code page, read as Latin-1), so every other byte of it is re-read too (Mac Roman
    ``¿`` came through as ``À``). Each reading is scored by the character model and by
    the word model of its languages over the words that hold non-ASCII bytes (the
    character model alone finds ``daughterís`` likelier than ``daughter’s``); a code page
    other than cp1252 must beat it by ``C1_PRIOR_BITS``. With no edits (ftfy left the
    line: its C1 controls are bytes cp1252 leaves undefined), the line as it is stands
    for ftfy's reading, each control must touch a letter (accented letters stand inside
    words; ftfy's ``intentional \x81`` stays), and the best code page must stand out
    among the others by the prior."""
    if any(not edit.chain or any(layer != _C1_LAYER for layer in edit.chain)
           for edit in edits) or not _C1_RE.search(line):
        return edits
    if not edits and not all(_touches_a_letter(line, m.start()) for m in _C1_RE.finditer(line)):
        return edits  # a control standing alone has no context to be read by
    try:
        data = line.encode("latin-1")
    except UnicodeEncodeError:
        return edits  # characters beyond Latin-1: not one code page read as Latin-1
    ftfy_line = splice(line, [(e.start - offset, e.end - offset, e.replacement)
                                 for e in edits])
    words = [i for i, token in enumerate(_ASCII_SPACE_RE.split(line)) if not token.isascii()]
    best_line, best_codec = ftfy_line, None
    best_bits = _reading_bits(ftfy_line, words) - C1_PRIOR_BITS
    runner_up = math.inf  # the best reading of other text than the best one's
    for codec in dict.fromkeys(SINGLE_BYTE_CODECS + options.single_byte_codecs
                               + options.dos_codecs):
        if codec in ("latin-1", "cp1252"):
            continue
        try:
            reading = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _C1_RE.search(reading) or reading == ftfy_line:
            continue
        bits = _reading_bits(reading, words)
        if bits < best_bits:
            if best_codec is not None and reading != best_line:
                runner_up = best_bits
            best_line, best_codec, best_bits = reading, codec, bits
        elif reading != best_line:
            runner_up = min(runner_up, bits)
    # Where ftfy read nothing, the controls themselves are no contender: some code page
    # must stand out among the others by the prior, or the line is left (a lone ``\x81``
    # reads as anything).
    if best_codec is None or (not edits and best_bits + C1_PRIOR_BITS > runner_up):
        return edits
    return [Edit(offset + start, offset + end, best_line[start:end],
                 (Layer(best_codec, "latin-1"),),
                 _span_confidence(line[start:end], best_line[start:end]))
            for start, end in changed_spans(line, best_line)]


def _reading_bits(reading: str, words: list[int]) -> float:
    """Cost in bits of a reading of a line: the character model's, plus the word
    model's for the space-separated tokens at ``words`` (edge punctuation stripped), in
    the languages the reading is most likely written in."""
    import math

    from .lossy_score import guess_languages, word_likelihood
    from .plausibility import model

    languages = guess_languages(reading)
    tokens = _ASCII_SPACE_RE.split(reading)
    bits = model().cost(reading)
    for index in words:
        token = tokens[index].strip(_EDGE_PUNCTUATION).lower()
        if token:
            likelihood = sum(weight * word_likelihood(token, language)
                             for language, weight in languages.items())
            bits -= math.log2(max(likelihood, 1e-300))
    return bits


#: What separates the tokens the word model sees: ASCII whitespace only, which every
#: reading of a line keeps in place (a no-break space may be another character in
#: another code page, and the tokens of the readings must stay aligned).
_ASCII_SPACE_RE = re.compile("[ \t\n\r\f\v]")

#: ASCII punctuation stripped from the edges of a token before the word model sees it.
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}<>"


_C1_RE = re.compile("[\x80-\x9f]")


def _touches_a_letter(line: str, index: int) -> bool:
    """Whether the character at ``index`` has a letter right before or after it."""
    return (index > 0 and line[index - 1].isalpha()) or (
        index + 1 < len(line) and line[index + 1].isalpha())


_EMBEDDED_CHAIN = (_APPLY_LAYERS["decode_inconsistent_utf8"],)


def _explain_embedded(edit: Edit, line: str, offset: int) -> Edit:
    """The edit with the chain of ftfy's own repair of its piece, when ftfy's
    embedded-mojibake step made it: that step repairs each piece with whatever code page
    fits (Polish read as cp1250 beside genuine text), so its placeholder chain (cp1252)
    may be wrong. The sibling re-read above judges the line on the placeholder, as ftfy
    read it; only the explanation changes here."""
    if edit.chain != _EMBEDDED_CHAIN:
        return edit
    alone, plan = ftfy.fix_encoding_and_explain(line[edit.start - offset:edit.end - offset],
                                                config=_FTFY_CONFIG)
    if alone != edit.replacement:
        return edit
    chain, notes = chain_from_plan([(step[0], step[1]) for step in plan])
    return replace(edit, chain=chain, notes=edit.notes + notes) if chain else edit
