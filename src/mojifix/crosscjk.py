"""Legacy CJK text read as another CJK codec: GBK read as Big5 (``斕疑ㄛ岍賜`` for
``你好，世界``), Big5 read as GBK, Shift_JIS read as GBK (``偙傫偵偪偼`` for ``こんにちは``),
EUC-KR read as GBK (``救崇窍技夸`` for ``안녕하세요``).

The field notes list these among the pairs real text goes through. Both codecs are
double-byte, and ASCII passes through both unchanged, so as long as the wrong decoder
met no invalid pair the damage is lossless and the same for every line:

1. **Lines.** Only lines holding a character of a double-byte codec are looked at
   (:data:`TRIGGER`, also the engine's entry in :mod:`mojifix.gate`).
2. **Re-encoding.** The line, or each piece of it between characters the reader could
   not have produced (U+FFFD of a lossy reading, text in another script), is encoded
   with every *reader* codec and decoded strictly with every *writer* codec of another
   family.
3. **Decision.** Each candidate is judged with the measured character model of
   :mod:`mojifix.plausibility`: the log-likelihood ratio of the piece as decoded against
   the piece as it is, less :data:`PRIOR_BITS`. Mojibake of this kind is made of real
   ideographs, kana or hangul, but of rare ones in an order no language uses; genuine
   text is made of common ones. The best (reader, writer) pair wins.

Each repair is explained as ``Layer(written_as=<writer>, read_as=<reader>)``.
"""

from __future__ import annotations

import re
from typing import Iterator

from .edits import Edit
from .lines import line_span
from .options import Options
from .plausibility import model, probability
from .result import Layer

#: Codecs a tool decodes with, and codecs text is written in: each family's common
#: member first, then its wider superset (GB18030 decodes all of GBK, Big5-HKSCS all of
#: Big5), which is named only when the narrower one cannot decode the bytes. A reader
#: and a writer of the same family are never paired.
READERS: tuple[str, ...] = ("gbk", "big5", "cp932", "cp949")
WRITERS: tuple[str, ...] = ("gbk", "gb18030", "big5", "big5hkscs", "cp932", "cp949", "euc_jp")
_FAMILY = {"gbk": "zh-cn", "gb18030": "zh-cn", "big5": "zh-tw", "big5hkscs": "zh-tw",
           "cp932": "ja", "euc_jp": "ja", "cp949": "ko"}

#: Prior odds against a line being CJK text read as another CJK codec, in bits: the same
#: bar as for legacy text read as a single-byte codec (``mojifix.legacy.PRIOR_BITS``),
#: since a repair swaps every character of the line. Checked on the clean paragraphs
#: and whole files of the labelled corpus (``tests/test_crosscjk.py``).
PRIOR_BITS = 30.0

#: Characters that some reader decodes from a pair of bytes: where a line has none,
#: nothing here applies.
TRIGGER = re.compile("[\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")

#: Where a piece ends: characters no double-byte reader gives (U+FFFD of a lossy
#: reading, line breaks).
_PIECE_RE = re.compile("[^\ufffd\r\n]+")

#: Pieces with fewer distinct non-ASCII characters are too little evidence: runs of one
#: character (ideographic spaces, ``啊啊啊``, box drawing) read as anything.
MIN_CHARS = 4

#: The most a decoded piece may cost per character, in bits, to read as language:
#: just above the 99th percentile (11.42) of the 411 Chinese, Japanese and Korean
#: paragraphs of the tuning half of ``tests/fixtures/clean_paragraphs.jsonl``. Character
#: tables and symbol lists decode into strings of rare characters, far above it.
MAX_BITS_PER_CHAR = 11.5

#: A long decoded line is first judged by its start: noise there (more than the bar plus
#: this slack per character) rules the line out without costing the rest.
_SAMPLE_CHARS = 48
_SAMPLE_SLACK_BITS = 3.0

#: The scripts text written in each family is made of (beside ASCII and punctuation);
#: a reading that yields mostly other letters (Cyrillic from a table of units,
#: half-width katakana) is not a repair.
_NATIVE = {
    "zh-cn": re.compile("[㐀-鿿豈-﫿]"),
    "zh-tw": re.compile("[㐀-鿿豈-﫿]"),
    "ja": re.compile("[぀-ヿ㐀-鿿豈-﫿]"),
    "ko": re.compile("[가-힣㐀-鿿豈-﫿]"),
}


def find_cross_cjk_edits(text: str, options: Options) -> list[Edit]:
    """Propose edits that undo legacy CJK text read as another CJK codec.

    >>> [(e.replacement, str(e.chain[0])) for e in find_cross_cjk_edits(
    ...     "偙傫偵偪偼丄悽奅丅", Options())]
    [('こんにちは、世界。', 'cp932 read as gbk')]
    >>> [str(e.chain[0]) for e in find_cross_cjk_edits("斕疑ㄛ岍賜﹝踏毞毞ァ", Options())]
    ['gbk read as big5']
    """
    if text.isascii() or TRIGGER.search(text) is None:
        return []
    edits: list[Edit] = []
    for start, end in _trigger_lines(text):
        for piece in _PIECE_RE.finditer(text, start, end):
            edit = _piece_edit(text, piece.start(), piece.end())
            if edit is not None:
                edits.append(edit)
    return edits


def _trigger_lines(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    while True:
        match = TRIGGER.search(text, position)
        if match is None:
            return
        start, end = line_span(text, match.start())
        yield start, end
        position = end


def _piece_edit(text: str, start: int, end: int) -> Edit | None:
    piece = text[start:end]
    if len({ch for ch in piece if ch >= "\x80"}) < MIN_CHARS or not TRIGGER.search(piece):
        return None
    m = model()
    piece_cost: float | None = None  # computed once some candidate reads like language
    best: tuple[float, str, str, str] | None = None
    # A decoding a writer of the same family gave before was judged before (the wider
    # member of a family mostly decodes the same bytes to the same text): skipped.
    seen: set[tuple[str, str]] = set()
    for reader in READERS:
        try:
            data = piece.encode(reader)
        except UnicodeEncodeError:
            continue
        for writer in WRITERS:
            if _FAMILY[writer] == _FAMILY[reader]:
                continue
            try:
                decoded = data.decode(writer)
            except UnicodeDecodeError:
                continue
            if decoded == piece or (decoded, _FAMILY[writer]) in seen:
                continue
            seen.add((decoded, _FAMILY[writer]))
            if not _mostly_native(decoded, _FAMILY[writer]):
                continue
            if len(decoded) > 2 * _SAMPLE_CHARS and m.cost(decoded[:_SAMPLE_CHARS]) > (
                    MAX_BITS_PER_CHAR + _SAMPLE_SLACK_BITS) * _SAMPLE_CHARS:
                continue  # a long line whose start is already noise
            cost = m.cost(decoded)
            if cost > MAX_BITS_PER_CHAR * len(decoded):
                continue
            if piece_cost is None:
                piece_cost = m.cost(piece)
            gain = piece_cost - cost
            if best is None or gain > best[0]:
                best = (gain, decoded, writer, reader)
    if best is None or best[0] - PRIOR_BITS <= 0:
        return None
    gain, decoded, writer, reader = best
    # Trim what the repair leaves as it is (ASCII around the damage).
    lead = 0
    while lead < min(len(piece), len(decoded)) and piece[lead] == decoded[lead]:
        lead += 1
    tail = 0
    while (tail < min(len(piece), len(decoded)) - lead
           and piece[-1 - tail] == decoded[-1 - tail]):
        tail += 1
    return Edit(start + lead, end - tail, decoded[lead:len(decoded) - tail],
                (Layer(writer, reader),), probability(gain - PRIOR_BITS))


#: Non-ASCII letters (``\w`` without digits and underscore).
_LETTER_RE = re.compile(r"(?![\x00-\x7f])[^\W\d_]")


def _mostly_native(decoded: str, family: str) -> bool:
    """Whether at least half the non-ASCII letters of ``decoded`` belong to the scripts
    of the writer's family (two regex counts, no per-character Python work)."""
    letters = len(_LETTER_RE.findall(decoded))
    return letters > 0 and 2 * len(_NATIVE[family].findall(decoded)) >= letters


def _reads_like_language(decoded: str, family: str) -> bool:
    """Whether a decoded piece looks like text of its writer's family: mostly letters of
    its own scripts, at a cost per character that genuine text of those languages has.

    >>> _reads_like_language("こんにちは、世界。", "ja"), _reads_like_language("Х Ц М Н", "ja")
    (True, False)
    """
    return (_mostly_native(decoded, family)
            and model().cost(decoded) <= MAX_BITS_PER_CHAR * len(decoded))

