"""Encoding detection: charset-normalizer, chardet and mojifix side by side, in one run.

Measured on the labelled corpus in ``../shared/peer/encodings/`` (596 real files in 57
encodings), judged exactly as its README says: a detection is right when it decodes the
file to the same text as the label (strict decoding, a leading U+FEFF ignored), or when
it names a documented superset of the label that decodes the file.

Three measurements, each for every detector:

* ``files``: the corpus as published;
* ``no-decl``: every ``<meta charset>`` / ``<?xml encoding?>`` value overwritten with
  ``x`` characters, so that detection rests on the text alone;
* ``snippets``: seeded random 40-character pieces of each file's text (each holding at
  least one non-ASCII character, the only kind a detector can get wrong), encoded back
  in the file's encoding; files of pure ASCII give no snippets.

Times are summed per detector with the detectors interleaved sample by sample (so
that load from other processes hits all alike), after a few untimed warm-up calls.

chardet is optional (its 7.x relicensing is disputed, so mojifix does not depend on
it): install it to get its column; without it the column is skipped with a message.

Usage:
    python benchmarks/detect.py [--corpus DIR] [--snippets-per-file 3] [--length 40]
                                [--seed 0] [--only files,no-decl,snippets]
                                [--detectors mojifix,charset-normalizer,chardet]
                                [--by family|prefix|both] [--failures DETECTOR]
"""

from __future__ import annotations

import argparse
import codecs
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "peer" / "encodings"

# The corpus README's documented supersets and the declaration pattern live with the
# tests' judge, so the benchmark and the tests count a detection right by the same rule.
sys.path.insert(0, str(ROOT / "tests"))
from encoding_judge import _DECLARATION_RE  # noqa: E402
from encoding_judge import is_right as judge_is_right  # noqa: E402

#: Names some detectors return that Python's codec registry does not know.
NAME_FIXES = {
    "windows-31j": "cp932",
    "maccyrillic": "mac-cyrillic",
    "x-mac-cyrillic": "mac-cyrillic",
    "macroman": "mac-roman",
    "maclatin2": "mac-latin2",
    "mac-centraleurope": "mac-latin2",
    "x-mac-ce": "mac-latin2",
    "windows-874": "cp874",
    "iso-8859-8-i": "iso8859-8",
}

@dataclass(frozen=True)
class Sample:
    family: str  # the expected encoding (corpus folder)
    prefix: str  # the corpus source (cd, cn, uc, cs, py)
    name: str
    data: bytes


def codec_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = NAME_FIXES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def strip_bom_char(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def is_right(data: bytes, detected: str | None, expected: str) -> bool:
    """The corpus README's criterion (the tests' judge), after mapping peers' names.

    Plain ASCII files also count as right for any reading that shows the same ASCII.
    """
    detected = codec_name(detected)
    if judge_is_right(data, detected, expected):
        return True
    if detected is None or expected != "ascii":
        return False
    got = decode(data, detected)
    return got is not None and got == data.decode("ascii", errors="replace")


def load_corpus(corpus: Path) -> list[Sample]:
    samples = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            prefix = path.name.split("-", 1)[0]
            samples.append(Sample(folder.name, prefix, path.name, path.read_bytes()))
    return samples


def without_declarations(samples: list[Sample]) -> list[Sample]:
    def blank(match: re.Match[bytes]) -> bytes:
        lead = match.group(1) or match.group(3)
        value = match.group(2) or match.group(4)
        return lead + b"x" * len(value)

    return [
        Sample(s.family, s.prefix, s.name, _DECLARATION_RE.sub(blank, s.data)) for s in samples
    ]


def snippets(samples: list[Sample], per_file: int, length: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    out = []
    for s in samples:
        text = decode(s.data, s.family)
        if text is None:
            continue
        text = strip_bom_char(text)
        positions = [i for i, ch in enumerate(text) if ch > "\x7f"]
        if not positions:
            continue
        for k in range(per_file):
            anchor = rng.choice(positions)
            start = max(0, min(len(text) - length, anchor - rng.randrange(length)))
            piece = text[start : start + length]
            try:
                data = piece.encode(s.family)
            except UnicodeEncodeError:
                continue
            out.append(Sample(s.family, s.prefix, f"{s.name}#{k}", data))
    return out


Detector = Callable[[bytes], "str | None"]


def make_detectors(names: list[str]) -> dict[str, Detector]:
    detectors: dict[str, Detector] = {}
    for name in names:
        if name == "mojifix":
            from mojifix.detect import detect

            def run_mojifix(data: bytes) -> str | None:
                found = detect(data)
                return found.encoding if found else None

            detectors[name] = run_mojifix
        elif name == "charset-normalizer":
            import charset_normalizer

            def run_cn(data: bytes) -> str | None:
                best = charset_normalizer.from_bytes(data).best()
                return best.encoding if best else None

            detectors[name] = run_cn
        elif name == "chardet":
            try:
                import chardet
            except ImportError:
                print("chardet is not installed: its column is skipped "
                      "(pip install 'chardet>=7' to include it)", file=sys.stderr)
                continue

            def run_chardet(data: bytes) -> str | None:
                return chardet.detect(data)["encoding"]

            detectors[f"chardet {chardet.__version__}"] = run_chardet
        else:
            raise SystemExit(f"unknown detector {name!r}")
    return detectors


@dataclass
class Outcome:
    right: dict[str, list[bool]]
    seconds: float
    failures: list[tuple[Sample, str | None]]


def measure(samples: list[Sample], detectors: dict[str, Detector]) -> dict[str, Outcome]:
    """Run every detector on every sample, interleaved sample by sample, so that a
    change in machine load (shared CI runners) weighs on all detectors alike.

    Each detector first sees a few samples untimed: one-time loading of its tables is
    not what this compares."""
    for run in detectors.values():
        for s in samples[:: max(1, len(samples) // 8)]:
            run(s.data)
    seconds = dict.fromkeys(detectors, 0.0)
    results: dict[str, list[str | None]] = {name: [] for name in detectors}
    for s in samples:
        for name, run in detectors.items():
            start = time.perf_counter()
            detected = run(s.data)
            seconds[name] += time.perf_counter() - start
            results[name].append(detected)
    outcomes = {}
    for name in detectors:
        right: dict[str, list[bool]] = defaultdict(list)
        failures = []
        for s, detected in zip(samples, results[name]):
            ok = is_right(s.data, detected, s.family)
            right[f"family:{s.family}"].append(ok)
            right[f"prefix:{s.prefix}"].append(ok)
            right["total"].append(ok)
            if not ok:
                failures.append((s, detected))
        outcomes[name] = Outcome(right, seconds[name], failures)
    return outcomes


def percent(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):5.1f}" if values else "    -"


def print_table(title: str, outcomes: dict[str, Outcome], by: str) -> None:
    names = list(outcomes)
    width = max(12, *(len(n) for n in names))
    keys = sorted(
        {k for o in outcomes.values() for k in o.right if k != "total"},
        key=lambda k: (k.split(":")[0] != "prefix", k),
    )
    if by != "both":
        keys = [k for k in keys if k.startswith(by + ":")]
    print(f"\n## {title}\n")
    header = f"| {'group':<22} | {'n':>4} | " + " | ".join(f"{n:>{width}}" for n in names) + " |"
    print(header)
    print("|" + "-" * 24 + "|" + "-" * 6 + "|" + "|".join("-" * (width + 2) for _ in names) + "|")
    first = outcomes[names[0]]
    for key in keys:
        count = len(first.right.get(key, []))
        cells = " | ".join(f"{percent(outcomes[n].right.get(key, [])):>{width}}" for n in names)
        print(f"| {key:<22} | {count:>4} | {cells} |")
    total = len(first.right["total"])
    cells = " | ".join(f"{percent(outcomes[n].right['total']):>{width}}" for n in names)
    print(f"| {'**total %**':<22} | {total:>4} | {cells} |")
    cells = " | ".join(
        f"{sum(outcomes[n].right['total']):>{width}}" for n in names
    )
    print(f"| {'right (count)':<22} | {total:>4} | {cells} |")
    cells = " | ".join(f"{outcomes[n].seconds:>{width}.2f}" for n in names)
    print(f"| {'time (s)':<22} | {'':>4} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--snippets-per-file", type=int, default=3)
    parser.add_argument("--length", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="files,no-decl,snippets")
    parser.add_argument("--detectors", default="mojifix,charset-normalizer,chardet")
    parser.add_argument("--by", default="prefix", choices=["family", "prefix", "both"])
    parser.add_argument("--failures", default="", help="list the failures of this detector")
    args = parser.parse_args()

    corpus = load_corpus(args.corpus)
    detectors = make_detectors(args.detectors.split(","))
    sets = {
        "files": ("Corpus files (as published)", corpus),
        "no-decl": ("Corpus files, declarations overwritten", without_declarations(corpus)),
        "snippets": (
            f"{args.length}-character snippets ({args.snippets_per_file} per file, seed {args.seed})",
            snippets(corpus, args.snippets_per_file, args.length, args.seed),
        ),
    }
    print(f"Python {sys.version.split()[0]}; corpus {args.corpus} ({len(corpus)} files)")
    for key in args.only.split(","):
        title, samples = sets[key]
        outcomes = measure(samples, detectors)
        print_table(title, outcomes, args.by)
        if args.failures:
            for name, outcome in outcomes.items():
                if name.startswith(args.failures):
                    print(f"\nFailures of {name} ({key}):")
                    for s, detected in outcome.failures:
                        print(f"  {s.family}/{s.name}: got {detected}")


if __name__ == "__main__":
    main()
