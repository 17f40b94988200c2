"""Accuracy of the legacy engine: legacy text read as a single-byte codec.

    python benchmarks/accuracy_legacy.py            # every clean paragraph of 40+ chars
    python benchmarks/accuracy_legacy.py --split held-out --limit 200

For every chain (legacy codec read as cp1252/latin-1, and as cp1254), clean paragraphs of the
languages that codec writes (``tests/fixtures/clean`` and ``clean_paragraphs.jsonl``)
are encoded with the legacy codec and decoded with the single-byte one (bytes cp1252
leaves undefined become C1 controls, as browsers decode them); ``mojifix.fix_text``
must give the paragraph back exactly. Paragraphs with fewer than 20 non-ASCII
characters (English with one ``…``) are counted apart: one stray character is no
evidence. False positives: paragraphs of the clean corpus that ``fix_text`` changes,
and the legacy engine's own edits on them (whatever the other engines do).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from mojifix import DEFAULT_OPTIONS, fix_text
from mojifix.legacy import find_legacy_edits

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "fixtures" / "clean"
PARAGRAPHS = ROOT / "tests" / "fixtures" / "clean_paragraphs.jsonl"

#: (legacy codec, languages of the corpus labels it writes)
CHAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gbk", ("zh", "zh-hans")),
    ("gb18030", ("zh", "zh-hans")),
    ("big5", ("zh-hant",)),
    ("shift_jis", ("ja",)),
    ("cp932", ("ja",)),
    ("euc_jp", ("ja",)),
    ("euc_kr", ("ko",)),
    ("cp949", ("ko",)),
    ("cp1251", ("ru", "russian", "bulgarian", "bg", "uk")),
    ("koi8_r", ("ru", "russian")),
    ("cp1250", ("pl", "polish", "pl-cs", "czech", "cs", "slovak", "sk", "hungarian", "hu",
                "croatian", "hr", "slovene", "sl", "romanian", "ro")),
    ("cp1253", ("greek", "el")),
    ("tis-620", ("th",)),
    ("cp1255", ("hebrew", "he")),
    ("cp1256", ("arabic", "ar")),
)


def read_as_cp1252(data: bytes, reader: str = "cp1252") -> str:
    """``data`` as a browser decodes windows-1252 (or ``reader``, another Windows code
    page): undefined bytes become C1 controls."""
    return "".join(bytes([b]).decode(reader, errors="ignore") or chr(b) for b in data)


#: The code pages legacy bytes are read with: Western and Turkish Windows.
READERS = ("cp1252", "cp1254")


def load_records(split: str | None) -> list[dict]:
    records = []
    for path in sorted(CLEAN.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append({"text": line, "language": path.stem, "split": "fixture"})
    if PARAGRAPHS.exists():
        with PARAGRAPHS.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle]
    if split:
        records = [r for r in records if r.get("split") in (split, "fixture")]
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "held-out"), help="one half of the corpus")
    parser.add_argument("--limit", type=int, default=0, help="at most N paragraphs per chain")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--readers", default=",".join(READERS),
                        help="code pages to read the legacy bytes with (comma-separated)")
    args = parser.parse_args()
    records = load_records(args.split)
    started = time.perf_counter()

    print(f"{'chain':28} {'cases':>6} {'exact':>7}   {'few non-ASCII':>13} {'exact':>7}")
    for reader, (codec, languages) in [(reader, chain) for reader in args.readers.split(",")
                                       for chain in CHAINS]:
        texts = [r["text"] for r in records if r.get("language") in languages
                 and len(r["text"]) >= 40]
        if args.limit and len(texts) > args.limit:
            texts = random.Random(args.seed).sample(texts, args.limit)
        rich = [0, 0]
        poor = [0, 0]
        for text in texts:
            try:
                mojibake = read_as_cp1252(text.encode(codec), reader)
            except UnicodeEncodeError:
                continue
            if mojibake == text:
                continue
            bucket = rich if sum(ch > "\x7f" for ch in text) >= 20 else poor
            bucket[0] += 1
            bucket[1] += fix_text(mojibake) == text
        if not rich[0] and not poor[0]:
            continue
        print(f"{codec + ' read as ' + reader:28} {rich[0]:6d} {_pct(rich):>7}   "
              f"{poor[0]:13d} {_pct(poor):>7}")

    changed = engine = 0
    for record in records:
        text = record["text"]
        if [e for e in find_legacy_edits(text, DEFAULT_OPTIONS)
                if e.confidence >= DEFAULT_OPTIONS.min_confidence]:
            engine += 1
        if fix_text(text) != text:
            changed += 1
    print(f"\nclean paragraphs: {len(records)}; legacy-engine false positives: {engine}; "
          f"changed by fix_text (all engines): {changed}")
    print(f"({time.perf_counter() - started:.1f} s, Python {sys.version.split()[0]})")


def _pct(bucket: list[int]) -> str:
    return f"{100 * bucket[1] / bucket[0]:.1f}%" if bucket[0] else "-"


if __name__ == "__main__":
    main()
