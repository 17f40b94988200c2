"""Lossy chains: how much of UTF-8 text read lossily by a CJK codec mojifix gets back.

For every codec of ``CJK_CODECS`` and every failure mode of the field notes (silent
drop, U+FFFD per byte, browser-style U+FFFD, ``?`` swallowing the next byte, ``・``;
made by ``tests/lossy_corrupt.py`` with Python's own codecs), clean paragraphs are
corrupted and rebuilt with ``mojifix.lossy.reconstruct`` (codec given, failure mode
detected). The paragraphs come from ``tests/fixtures/clean/`` and the held-out half of
``tests/fixtures/clean_paragraphs.jsonl`` (real text of the labelled encoding corpus),
drawn with a fixed seed, in two groups: Latin-script text and CJK text.

Per chain and group it prints: exact repairs; the character error rate (edit distance /
length); the share of characters that lost bytes, and of those the share lost *without
trace* (every byte dropped silently: nothing in the mojibake stands for them, so they
cannot be rebuilt); the share of the others rebuilt correctly (optimal alignment); and
the share of the characters whose bytes all survived that came back, in their order
(longest common subsequence). Targets (issue 4): every intact
character comes back; lost characters rebuilt correctly in >= 90 % of cases in
Latin-script text and >= 40 % in CJK text.

    python benchmarks/accuracy_lossy.py            # 8 paragraphs per chain and group
    python benchmarks/accuracy_lossy.py --quick    # 2 per chain and group, under a minute
    python benchmarks/accuracy_lossy.py --codecs gbk,big5 --modes drop,question
    python benchmarks/accuracy_lossy.py --split tune   # the tuning half, for development
    python benchmarks/accuracy_lossy.py --groups latin --per-chain 1000  # every paragraph

``rows(...)`` returns the measurements; ``benchmarks/accuracy.py`` shows them as its
``lossy`` suite (through ``benchmarks/lossy_accuracy.py``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from lossy_corrupt import MODES, alignment, corrupt_detailed, intact_back  # noqa: E402

from mojifix.lossy import reconstruct  # noqa: E402
from mojifix.options import CJK_CODECS  # noqa: E402

CLEAN = ROOT / "tests" / "fixtures" / "clean"
PARAGRAPHS = ROOT / "tests" / "fixtures" / "clean_paragraphs.jsonl"
LATIN_FILES = ("en", "fr", "de", "es", "pt", "vi", "is", "pl-cs", "tr")
CJK_FILES = ("zh-hans", "zh-hant", "ja", "ko")
#: Language labels of Latin-script paragraphs in the corpus (it spells some out).
LATIN_LABELS = frozenset(
    "cs czech da de en eo es et fi fr french ga hr croatian hu hungarian it lt lv mt pl "
    "polish pt ro romanian sk slovak sl slovene spanish sv tr turkish vi".split())
CJK_LABELS = frozenset(("zh", "zh-hant", "ja", "ko"))
LIMITS = {"latin": (40, 300), "cjk": (20, 120)}


def _fixture_lines(names: tuple[str, ...]) -> list[str]:
    lines = []
    for name in names:
        path = CLEAN / f"{name}.txt"
        if path.exists():
            lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return lines


def _corpus_lines(labels: frozenset[str], split: str = "held-out") -> list[str]:
    lines = []
    with PARAGRAPHS.open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            if row["split"] == split and row["language"] in labels:
                lines.append(row["text"].strip())
    return lines


def paragraphs(group: str, count: int, seed: int = 4, split: str = "held-out") -> list[str]:
    """``count`` paragraphs of one group (``latin`` or ``cjk``), drawn with ``seed``.

    ``split="held-out"`` (the reported figures): the clean fixtures and the held-out
    half of the corpus paragraphs. ``split="tune"``: the tuning half only, for
    developing the model without looking at the paragraphs it is judged on.
    """
    labels = LATIN_LABELS if group == "latin" else CJK_LABELS
    pool = _corpus_lines(labels, split)
    if split == "held-out":
        pool += _fixture_lines(LATIN_FILES if group == "latin" else CJK_FILES)
    low, high = LIMITS[group]
    pool = sorted({ln[:high] for ln in pool if len(ln) >= low and not ln.isascii()})
    random.Random(seed).shuffle(pool)
    return pool[:count]


def measure(texts: list[str], codec: str, mode: str) -> dict[str, float]:
    """Totals for one chain over some paragraphs (see the module docstring)."""
    totals = dict.fromkeys(("paragraphs", "exact", "chars", "errors", "lost", "traceless",
                            "rebuilt", "intact", "intact_back"), 0)
    for text in texts:
        observed, lost, traceless = corrupt_detailed(text, codec, mode)
        result = reconstruct(observed, codec)
        out = result.text if result is not None else observed
        distance, kept = alignment(text, out)
        totals["paragraphs"] += 1
        totals["exact"] += out == text
        totals["chars"] += len(text)
        totals["errors"] += distance
        totals["lost"] += len(lost)
        totals["traceless"] += len(traceless)
        totals["rebuilt"] += len((lost - traceless) & kept)
        totals["intact"] += len(text) - len(lost)
        totals["intact_back"] += intact_back(text, lost, out)
    return totals


def rows(per_chain: int = 8, codecs: tuple[str, ...] = CJK_CODECS,
         modes: tuple[str, ...] = MODES, seed: int = 4,
         split: str = "held-out", group_names: tuple[str, ...] = ("latin", "cjk"),
         ) -> list[tuple[str, str, dict[str, float]]]:
    """``(chain, group, totals)`` for every codec, failure mode and script group."""
    groups = {group: paragraphs(group, per_chain, seed, split) for group in group_names}
    out = []
    for codec in codecs:
        for mode in modes:
            for group, texts in groups.items():
                out.append((f"utf-8 read as {codec} ({mode})", group, measure(texts, codec, mode)))
    return out


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


HEADER = ("chain", "text", "exact", "CER", "lost bytes", "no trace", "rebuilt right",
          "intact back")


def table_rows(measured: list[tuple[str, str, dict[str, float]]]) -> list[tuple[str, ...]]:
    """Printable rows: one per chain and group, then one total per group."""
    lines: list[tuple[str, ...]] = []
    totals: dict[str, dict[str, float]] = {}
    for chain, group, t in measured:
        lines.append(_line(chain, group, t))
        total = totals.setdefault(group, dict.fromkeys(t, 0))
        for key, value in t.items():
            total[key] += value
    for group, t in totals.items():
        lines.append(_line("all lossy chains", group, t))
    return lines


def _line(chain: str, group: str, t: dict[str, float]) -> tuple[str, ...]:
    traced = t["lost"] - t["traceless"]
    return (chain, group, _share(t["exact"], t["paragraphs"]), _share(t["errors"], t["chars"]),
            _share(t["lost"], t["chars"]), _share(t["traceless"], t["lost"]),
            _share(t["rebuilt"], traced), _share(t["intact_back"], t["intact"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 paragraphs per chain and group (under a minute)")
    parser.add_argument("--per-chain", type=int, default=None)
    parser.add_argument("--codecs", default=",".join(CJK_CODECS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--split", choices=("held-out", "tune"), default="held-out",
                        help="paragraphs to measure on: held-out (reported) or tune")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--groups", default="latin,cjk",
                        help="script groups to measure (latin, cjk)")
    args = parser.parse_args(argv)
    per_chain = args.per_chain or (2 if args.quick else 8)
    started = time.perf_counter()
    measured = rows(per_chain, tuple(args.codecs.split(",")), tuple(args.modes.split(",")),
                    args.seed, args.split, tuple(args.groups.split(",")))
    lines = [HEADER] + table_rows(measured)
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    for n, line in enumerate(lines):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(f"\n{per_chain} paragraphs per chain and group; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
