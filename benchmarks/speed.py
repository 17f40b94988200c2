"""Throughput of mojifix against ftfy on the same data, in one run.

    python benchmarks/speed.py                  # 10 MB per data set, 10,000-file tree, 1 GB file
    python benchmarks/speed.py --mb 2 --files 2000 --big-mb 100   # a quicker look
    python benchmarks/speed.py --mb 0 --files 0 --big-mb 0 --line-mb 0 \
        --corpus ../shared/peer/encodings --codecs gb2312,big5,euc_kr,shift_jis,euc_jp

Prints MB/s for ``mojifix.fix_text`` and ``ftfy.fix_encoding`` (ftfy's encoding repair
only, the fair peer) and their ratio for each data set; the wall time of
``mojifix --check`` on a generated tree of small files; the seconds of the mojibake sets
as lines and as one long line; and the peak RSS of streaming a large file through
``mojifix.stream.fix_binary_stream`` in a child process.

The data sets are generated from the clean fixture paragraphs, and generated text holds
only what its generator puts in. ``--corpus DIR`` also times real files: every folder of
DIR named after a Python codec (the layout of the labelled encoding corpus) is decoded
with it, its files joined, and each codec's text timed once, after a warm-up on a
little generated text of every set (which loads the models and tables); a second run
would time the memos of the first. Real Japanese blogs showed a cost that no generated
set did: their ``・・・`` ellipses were taken for marks of lost bytes.
Targets (issue 7): clean text >= 20x ftfy, GBK mojibake >= 5 MB/s, the tree in <= 5 s on
2 cores, the large file in <= 256 MB RSS.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

import mojifix

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "fixtures" / "clean"


def _paragraphs(*names: str) -> list[str]:
    paragraphs = []
    for name in names:
        text = (CLEAN / f"{name}.txt").read_text(encoding="utf-8")
        paragraphs += [p.strip() + "\n\n" for p in text.split("\n\n") if p.strip()]
    return paragraphs


def _fill(paragraphs: list[str], megabytes: float, seed: int) -> str:
    """``megabytes`` of paragraphs drawn at random, each line numbered (``(17.0) ...``) so that
    no two lines of the data set are equal: mojifix memoises work per line and per run
    (recurring mojibake is judged once, as it should be), and a set made by repeating a
    few hundred paragraphs verbatim would measure those memos, not the engines. Without
    the numbers the GBK set ran ten times faster than real text of its kind."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    pieces, size = [], 0
    while size < target:
        lines = rng.choice(paragraphs).split("\n")
        piece = "\n".join(f"({len(pieces)}.{k}) {line}" if line else line
                          for k, line in enumerate(lines))
        pieces.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(pieces)


def build_data_sets(megabytes: float) -> dict[str, str]:
    """The five data sets of issue 7, generated from the clean fixtures (seeded)."""
    english = [p for p in _paragraphs("en") if "MISUT" not in p]
    chinese = _paragraphs("zh-hans", "zh-hant")
    mixed = _paragraphs(*sorted(p.stem for p in CLEAN.glob("*.txt")))
    latin = _paragraphs("en", "fr", "de", "es", "pt")
    cp1252 = [p.encode("utf-8").decode("sloppy-windows-1252") for p in latin]
    gbk = [p.encode("utf-8").decode("gbk", errors="ignore") for p in english]
    return {
        "clean English (curly quotes)": _fill(english, megabytes, 1),
        "clean Chinese": _fill(chinese, megabytes, 2),
        "clean mixed languages": _fill(mixed, megabytes, 3),
        "UTF-8 read as cp1252": _fill(cp1252, megabytes, 4),
        "UTF-8 read as GBK (seed-like)": _fill(gbk, megabytes, 5),
    }


def throughput(function: Callable[[str], str], text: str, runs: int = 2) -> float:
    """MB/s of ``function`` over ``text`` (UTF-8 megabytes), best of ``runs`` runs."""
    size = len(text.encode("utf-8")) / 1_000_000
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return size / best


def corpus_texts(root: Path, codecs: list[str] | None) -> dict[str, str]:
    """The real files of ``root``, one text per codec folder (decoded with that codec;
    files it cannot decode are left out)."""
    texts = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if codecs is not None and folder.name not in codecs:
            continue
        parts = []
        for path in sorted(folder.iterdir()):
            try:
                parts.append(path.read_bytes().decode(folder.name))
            except (UnicodeDecodeError, LookupError):
                continue
        if parts:
            texts[f"real {folder.name} files ({len(parts)})"] = "\n".join(parts)
    return texts


def check_tree(files: int) -> tuple[float, int]:
    """Seconds for ``mojifix --check`` on a tree of ``files`` small files, and its exit code."""
    rng = random.Random(7)
    samples = _paragraphs(*sorted(p.stem for p in CLEAN.glob("*.txt")))
    broken = [p.encode("utf-8").decode("sloppy-windows-1252") for p in _paragraphs("fr", "de")]
    folder = Path(tempfile.mkdtemp(prefix="mojifix-tree-"))
    try:
        for index in range(files):
            sub = folder / f"d{index % 50:02d}"
            sub.mkdir(exist_ok=True)
            body = "".join(rng.choice(samples) for _ in range(3))
            if index % 20 == 0:
                body += rng.choice(broken)
            (sub / f"f{index:05d}.txt").write_text(body, encoding="utf-8")
        command = [sys.executable, "-m", "mojifix", "--check", "--quiet", str(folder)]
        start = time.perf_counter()
        completed = subprocess.run(command, capture_output=True)
        return time.perf_counter() - start, completed.returncode
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: The child reports its own peak RSS in kB: VmHWM of /proc/self/status where there is
#: one (Linux). ``ru_maxrss`` is the fallback only: Linux carries the parent's high-water
#: mark across fork and exec into it, so after the 10 MB data sets it printed the
#: parent's ~850 MB, not the child's own peak.
_STREAM_CHILD = """
import resource, sys
from mojifix.stream import fix_binary_stream
with open(sys.argv[1], 'rb') as source, open(sys.argv[2], 'wb') as target:
    fix_binary_stream(source, target)
try:
    with open('/proc/self/status') as status:
        print(next(int(line.split()[1]) for line in status if line.startswith('VmHWM:')))
except (OSError, StopIteration):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def stream_peak_rss(megabytes: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of streaming a file of ``megabytes`` through mojifix."""
    # A corpus-like file: clean English with one paragraph of mojibake in about fifty.
    data = build_data_sets(0.2)
    clean = data["clean English (curly quotes)"]
    broken = data["UTF-8 read as cp1252"][:4000]
    block = (clean + broken).encode("utf-8")
    folder = Path(tempfile.mkdtemp(prefix="mojifix-big-"))
    try:
        source, target = folder / "big.txt", folder / "out.txt"
        with source.open("wb") as handle:
            written = 0
            while written < megabytes * 1_000_000:
                handle.write(block)
                written += len(block)
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _STREAM_CHILD, str(source), str(target)],
            check=True, capture_output=True, text=True,
        )
        elapsed = time.perf_counter() - start
        # The child reports its own peak: RUSAGE_CHILDREN would also count the
        # earlier --check run and its workers.
        peak_kb = int(child.stdout.split()[-1])
        return elapsed, peak_kb / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def long_line_seconds(megabytes: float) -> list[tuple[str, float, float]]:
    """``(data set, seconds as lines, seconds as one line)`` for the mojibake sets, the
    same text with its line breaks turned into spaces: a long line must cost what its
    text costs in lines, not the square of its length."""
    rows = []
    data = build_data_sets(megabytes)
    for name in ("UTF-8 read as cp1252", "UTF-8 read as GBK (seed-like)"):
        text = data[name]
        timings = []
        for variant in (text, text.replace("\n", " ")):
            start = time.perf_counter()
            mojifix.fix_text(variant)
            timings.append(time.perf_counter() - start)
        rows.append((name, timings[0], timings[1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes per data set (0: skip)")
    parser.add_argument("--files", type=int, default=10_000, help="files in the tree (0: skip)")
    parser.add_argument("--big-mb", type=int, default=1024, help="size of the large file (0: skip)")
    parser.add_argument("--line-mb", type=float, default=0.3,
                        help="size of the text run as one long line (0: skip)")
    parser.add_argument("--corpus", type=Path, help="a folder of real files, one folder per codec")
    parser.add_argument("--codecs", help="only these codec folders of --corpus (comma-separated)")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"mojifix {mojifix.__version__}, ftfy {ftfy.__version__}")
    print()
    if args.mb:
        print(f"| data ({args.mb:g} MB each) | mojifix MB/s | ftfy.fix_encoding MB/s | ratio |")
        print("|---|---:|---:|---:|")
        for name, text in build_data_sets(args.mb).items():
            ours = throughput(mojifix.fix_text, text)
            peer = throughput(ftfy.fix_encoding, text)
            print(f"| {name} | {ours:.1f} | {peer:.1f} | {ours / peer:.1f}x |", flush=True)
        print()
    if args.corpus:
        codecs = args.codecs.split(",") if args.codecs else None
        for text in build_data_sets(0.05).values():
            mojifix.fix_text(text)
        print("| real text | MB | mojifix MB/s | ftfy.fix_encoding MB/s | ratio |")
        print("|---|---:|---:|---:|---:|")
        for name, text in corpus_texts(args.corpus, codecs).items():
            ours = throughput(mojifix.fix_text, text, runs=1)
            peer = throughput(ftfy.fix_encoding, text, runs=1)
            size = len(text.encode("utf-8")) / 1_000_000
            print(f"| {name} | {size:.2f} | {ours:.2f} | {peer:.1f} | {ours / peer:.2f}x |",
                  flush=True)
        print()
    if args.files:
        seconds, code = check_tree(args.files)
        print(f"`mojifix --check` on {args.files} files: {seconds:.2f} s (exit code {code})")
    if args.line_mb:
        for name, lines, one in long_line_seconds(args.line_mb):
            print(f"{name}, {args.line_mb:g} MB: {lines:.2f} s as lines, {one:.2f} s as one line")
    if args.big_mb:
        seconds, peak = stream_peak_rss(args.big_mb)
        print(f"streaming a {args.big_mb} MB file: {seconds:.1f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
