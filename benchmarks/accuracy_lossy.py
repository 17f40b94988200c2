"""Lossy chains: how much of UTF-8 text read lossily by a CJK codec mojifix gets back.

For every codec of ``CJK_CODECS`` and every failure mode (``tests/lossy_corrupt.py``),
clean paragraphs (``tests/fixtures/clean/``) are corrupted and rebuilt with
``mojifix.lossy.reconstruct`` (codec given, failure mode detected). Per chain and
script group (Latin-script text vs CJK text) it prints: exact repairs, character error
rate (edit distance / length), the share of characters that lost bytes, the share of
those rebuilt correctly, and the share of intact characters that came back.

    python benchmarks/accuracy_lossy.py [--per-chain N] [--codecs gbk,big5] [--modes drop]

``rows(...)`` returns the table for ``benchmarks/accuracy.py``.
"""

from __future__ import annotations

import argparse
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lossy_corrupt import MODES, corrupt, sample_paragraphs  # noqa: E402

from mojifix.lossy import reconstruct  # noqa: E402
from mojifix.options import CJK_CODECS  # noqa: E402

CLEAN = ROOT / "tests" / "fixtures" / "clean"
LATIN = ("en", "fr", "de", "es", "pt", "vi", "is", "pl-cs", "tr")
CJK = ("zh-hans", "zh-hant", "ja", "ko")


def _texts(names: tuple[str, ...]) -> list[str]:
    return [(CLEAN / f"{name}.txt").read_text(encoding="utf-8") for name in names
            if (CLEAN / f"{name}.txt").exists()]


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def measure(paragraphs: list[str], codec: str, mode: str) -> dict[str, float]:
    exact = chars = errors = lost = lost_ok = intact = intact_ok = 0
    for text in paragraphs:
        observed, lost_at = corrupt(text, codec, mode)
        result = reconstruct(observed, codec)
        out = result.text if result is not None else observed
        exact += out == text
        chars += len(text)
        errors += _distance(text, out)
        matched: set[int] = set()
        for a, _, size in SequenceMatcher(None, text, out, autojunk=False).get_matching_blocks():
            matched.update(range(a, a + size))
        lost += len(lost_at)
        lost_ok += len(lost_at & matched)
        intact += len(text) - len(lost_at)
        intact_ok += len(matched - lost_at)
    n = max(1, len(paragraphs))
    return {
        "exact": exact / n,
        "cer": errors / max(1, chars),
        "lost_share": lost / max(1, chars),
        "lost_ok": lost_ok / lost if lost else 1.0,
        "intact_ok": intact_ok / max(1, intact),
        "lost": lost,
    }


def rows(per_chain: int = 12, codecs: tuple[str, ...] = CJK_CODECS,
         modes: tuple[str, ...] = MODES, seed: int = 4) -> list[tuple[str, str, dict[str, float]]]:
    groups = {"latin": sample_paragraphs(_texts(LATIN), per_chain, seed),
              "cjk": sample_paragraphs(_texts(CJK), per_chain, seed, min_len=20, max_len=120)}
    out = []
    for codec in codecs:
        for mode in modes:
            for group, paragraphs in groups.items():
                out.append((f"utf-8 read as {codec} ({mode})", group, measure(paragraphs, codec, mode)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-chain", type=int, default=12)
    parser.add_argument("--codecs", default=",".join(CJK_CODECS))
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args(argv)
    table = rows(args.per_chain, tuple(args.codecs.split(",")), tuple(args.modes.split(",")))
    print(f"{'chain':40} {'text':6} {'exact':>6} {'CER':>6} {'lost':>6} {'lost ok':>8} {'intact ok':>9}")
    totals: dict[str, list[float]] = {}
    for chain, group, m in table:
        print(f"{chain:40} {group:6} {m['exact']:6.0%} {m['cer']:6.1%} {m['lost_share']:6.1%} "
              f"{m['lost_ok']:8.0%} {m['intact_ok']:9.1%}")
        t = totals.setdefault(group, [0, 0, 0.0])
        t[0] += m["lost"]
        t[1] += m["lost"] * m["lost_ok"]
        t[2] = min(t[2] or 1.0, m["intact_ok"])
    for group, (lost, ok, worst) in totals.items():
        print(f"{group}: lost characters rebuilt correctly {ok / max(1, lost):.0%} of {int(lost)}; "
              f"worst intact recovery {worst:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
