"""Make mojibake from clean text at test time (seeded), for tests and benchmarks.

Mojibake is made the way real software makes it: the UTF-8 bytes of a clean text are
decoded with a wrong codec. ``strict`` decoding gives the lossless cases (every byte
survives, so the original can come back exactly); a decoder that meets bytes it cannot
decode loses them, which the lossy helpers model for the lossy-reconstruction work.

Other test modules and ``benchmarks/accuracy.py`` import this module; it has no
dependency beyond the standard library.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterator

FIXTURES = Path(__file__).parent / "fixtures"
PARAGRAPHS = FIXTURES / "clean_paragraphs.jsonl"
CLEAN_DIR = FIXTURES / "clean"

#: The codecs of the CJK engine, as UTF-8 is commonly mis-decoded with them.
CJK_CODECS: tuple[str, ...] = (
    "gbk", "gb18030", "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
)


def mis_decode(text: str, codec: str, written_as: str = "utf-8") -> str | None:
    """``text`` written as ``written_as`` and read as ``codec``; None when the wrong
    decoder would have to drop or replace bytes (not a lossless case)."""
    try:
        return text.encode(written_as).decode(codec)
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None


def mis_decode_chain(text: str, codecs: tuple[str, ...]) -> str | None:
    """Several layers: UTF-8 read as ``codecs[0]``, that text's UTF-8 read as
    ``codecs[1]``, and so on. None when any layer is lossy."""
    for codec in codecs:
        result = mis_decode(text, codec)
        if result is None:
            return None
        text = result
    return text


def lossy_mis_decode(text: str, codec: str, errors: str = "replace") -> str:
    """UTF-8 read as ``codec`` by a decoder that drops (``ignore``) or replaces
    (``replace``) what it cannot decode."""
    return text.encode("utf-8").decode(codec, errors=errors)


def equivalent_codecs(text: str, mojibake: str, codecs: tuple[str, ...] = CJK_CODECS) -> set[str]:
    """Every codec whose misreading of ``text`` gives the same ``mojibake`` (GBK and
    GB18030 agree on most bytes, Shift_JIS and CP932 too): any of them is a right
    explanation."""
    return {c for c in codecs if mis_decode(text, c) == mojibake}


def load_paragraphs(split: str | None = None, min_chars: int = 0) -> list[dict]:
    """Records of ``clean_paragraphs.jsonl`` (``text``, ``source``, ``language``,
    ``split`` ...), optionally of one split (``tune`` / ``held-out``)."""
    out = []
    with PARAGRAPHS.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if split is not None and record["split"] != split:
                continue
            if len(record["text"]) >= min_chars:
                out.append(record)
    return out


def load_clean_fixture_paragraphs(min_chars: int = 0) -> list[dict]:
    """Non-empty lines of the hand-written clean fixtures, as records like above."""
    out = []
    for path in sorted(CLEAN_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and len(line) >= min_chars:
                out.append({"text": line, "source": f"clean/{path.name}",
                            "language": path.stem, "split": "fixture"})
    return out


def all_clean(min_chars: int = 0) -> list[dict]:
    """Every clean paragraph: hand-written fixtures and the corpus paragraphs."""
    return load_clean_fixture_paragraphs(min_chars) + load_paragraphs(None, min_chars)


def lossless_cases(codecs: tuple[str, ...], records: list[dict]) -> Iterator[tuple[dict, str]]:
    """``(record, mojibake)`` for every record whose misreading through the chain of
    ``codecs`` is lossless and actually changes the text."""
    for record in records:
        mojibake = mis_decode_chain(record["text"], codecs)
        if mojibake is not None and mojibake != record["text"]:
            yield record, mojibake


def sample(records: list, k: int, seed: int) -> list:
    """A seeded sample of at most ``k`` records (all of them when there are fewer)."""
    if len(records) <= k:
        return list(records)
    return random.Random(seed).sample(records, k)


def corrupt_one_span(text: str, codec: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """Mis-decode one stretch of ``text`` (whole words, at least one non-ASCII
    character) and leave the rest clean: the mixed damage of a line where one field
    was decoded wrongly. Returns the damaged text and the stretch, or None."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if not w.isascii()]
    rng.shuffle(candidates)
    for i in candidates:
        j = min(len(words), i + 1 + rng.randrange(3))
        stretch = " ".join(words[i:j])
        damaged = mis_decode(stretch, codec)
        if damaged is not None and damaged != stretch:
            words[i:j] = [damaged]
            start = len(" ".join(words[:i])) + (1 if i else 0)
            return " ".join(words), (start, start + len(damaged))
    return None
