"""How often mojifix repairs mojibake exactly, and how often it touches clean text.

Run from the repository root::

    python benchmarks/accuracy.py            # every suite
    python benchmarks/accuracy.py lossless   # suites whose name starts with this

Cases are made at run time from the clean paragraphs in ``tests/fixtures`` (see
``tests/corrupt.py``): each paragraph of at least ``MIN_CHARS`` characters is written
as UTF-8 and read with a wrong codec (a chain of them for layered cases); a case is
*lossless* when the wrong decoder needed to drop nothing. ftfy's ``fix_encoding`` runs
on the same cases as the peer column.

Suites are registered in ``SUITES``: a suite is a name and a function returning rows
(tables) to print. Another suite (for example lossy chains) is added with
``register(Suite(...))`` from its own module, imported at the bottom of this file.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import ftfy  # noqa: E402

import corrupt  # noqa: E402
from mojifix import DOS_CODECS, SINGLE_BYTE_CODECS, fix_text  # noqa: E402

MIN_CHARS = 40

#: Chains of the model-based engine: one layer per codec (multi-byte, then the
#: single-byte and DOS code pages beyond ftfy), layered damage both ways round, cp1258 (a
#: sibling of cp1252 that the Latin engine re-reads), the other code pages ftfy knows
#: (where its badness heuristic or its first-page-wins order falls short, the Latin
#: engine re-reads lines), and the two code pages ftfy itself covers best, for comparison.
LOSSLESS_CHAINS: tuple[tuple[str, ...], ...] = tuple((c,) for c in corrupt.CJK_CODECS) + (
    ("gbk", "cp1252"),
    ("cp1252", "gbk"),
    ("shift_jis", "cp1252"),
    ("euc_kr", "latin-1"),
) + tuple((c,) for c in SINGLE_BYTE_CODECS + DOS_CODECS) + (("cp1258",), ("cp1250",),
    ("iso8859-2",), ("cp1253",), ("cp1254",), ("cp1257",), ("cp1252",), ("latin-1",))


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]


@dataclass(frozen=True)
class Suite:
    name: str
    run: Callable[[], list[Table]]


SUITES: list[Suite] = []


def register(suite: Suite) -> Suite:
    """Add a suite to the benchmark (other modules call this)."""
    SUITES.append(suite)
    return suite


def chain_name(chain: tuple[str, ...]) -> str:
    return ", then ".join(f"utf-8 read as {codec}" for codec in chain)


def _ftfy(text: str) -> str:
    return ftfy.fix_encoding(text)


def lossless_suite() -> list[Table]:
    records = corrupt.all_clean(MIN_CHARS)
    rows: list[tuple[object, ...]] = []
    total = exact_all = ftfy_all = 0
    for chain in LOSSLESS_CHAINS:
        cases = list(corrupt.lossless_cases(chain, records))
        exact = sum(fix_text(mojibake) == record["text"] for record, mojibake in cases)
        peer = sum(_ftfy(mojibake) == record["text"] for record, mojibake in cases)
        languages = len({record["language"] for record, _ in cases})
        rows.append((chain_name(chain), len(cases), languages, _pct(exact, len(cases)),
                     _pct(peer, len(cases))))
        total += len(cases)
        exact_all += exact
        ftfy_all += peer
    rows.append(("all lossless chains", total, "", _pct(exact_all, total), _pct(ftfy_all, total)))
    return [Table(f"Lossless chains (paragraphs of {MIN_CHARS}+ characters)",
                  ("chain", "cases", "languages", "mojifix exact", "ftfy exact"), rows)]


def false_positive_suite() -> list[Table]:
    groups = {
        "corpus paragraphs, tuning half": corrupt.load_paragraphs("tune"),
        "corpus paragraphs, held-out half": corrupt.load_paragraphs("held-out"),
        "hand-written clean fixtures (lines)": corrupt.load_clean_fixture_paragraphs(),
    }
    rows: list[tuple[object, ...]] = []
    for name, records in groups.items():
        ours = [r for r in records if fix_text(r["text"]) != r["text"]]
        peer = [r for r in records if _ftfy(r["text"]) != r["text"]]
        languages = len({r["language"] for r in records})
        rows.append((name, len(records), languages, len(ours), len(peer)))
        for record in ours[:5]:
            print(f"  false positive in {record['source']}: {record['text'][:80]!r}",
                  file=sys.stderr)
    return [Table("False positives on clean text", ("clean text", "paragraphs", "languages",
                                                    "mojifix changed", "ftfy changed"), rows)]


CORPUS = ROOT.parent / "shared" / "peer" / "encodings"


@dataclass
class _Tally:
    """Texts run through every engine: how many, how long, how many changed and where
    (each change is listed on stderr for a person to judge)."""

    files: int = 0
    chars: int = 0
    touched: int = 0
    spans: int = 0

    def add(self, text: str, label: str) -> None:
        from mojifix import fix_and_explain

        self.files += 1
        self.chars += len(text)
        changed = fix_and_explain(text).applied_spans
        if changed:
            self.touched += 1
            self.spans += len(changed)
            print(f"  {label}: " + ", ".join(
                f"{span.original!r} -> {span.repaired!r} ({span.explanation})"
                for span in changed[:3]), file=sys.stderr)


def whole_file_suite() -> list[Table]:
    """Every file of the labelled corpus, decoded whole (markup, tables, kaomoji and
    all): how many repairs mojifix (every engine) would apply to text that is clean.
    Needs ``shared/peer/encodings`` beside the repository; skipped without it."""
    import csv

    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        print(f"  (no corpus at {CORPUS}: whole-file suite skipped)", file=sys.stderr)
        return []
    rows = []
    for split in ("tune", "held-out"):
        tally = _Tally()
        for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
            if ("tune" if int(row["sha256"][:8], 16) % 2 == 0 else "held-out") != split:
                continue
            try:
                text = (CORPUS / row["path"]).read_bytes().decode(row["encoding"])
            except (UnicodeDecodeError, LookupError):
                continue
            tally.add(text, f"whole-file false positive in {row['path']}")
        rows.append((f"corpus files, {split} half", tally.files, f"{tally.chars:,}",
                     tally.touched, tally.spans))
    return [Table("False positives of every engine on whole clean files",
                  ("clean text", "files", "characters", "files touched", "spans changed"),
                  rows)]


#: Legacy CJK text read as another CJK codec (field notes), for the cross-CJK engine.
CROSS_PAIRS: tuple[tuple[str, str], ...] = (
    ("gbk", "big5"), ("shift_jis", "gbk"), ("euc_kr", "gbk"), ("cp932", "cp949"),
    ("euc_kr", "big5"),
)
CJK_LANGUAGES = frozenset({"zh", "zh-hans", "zh-hant", "ja", "ko"})
#: The languages each writer codec is used for: Japanese written as GBK is no real case.
WRITER_LANGUAGES = {"gbk": {"zh", "zh-hans", "zh-hant"}, "big5": {"zh", "zh-hans", "zh-hant"},
                    "shift_jis": {"ja"}, "cp932": {"ja"}, "euc_kr": {"ko"}}


def cross_cjk_suite() -> list[Table]:
    """Chinese, Japanese and Korean paragraphs written in one CJK codec and read with
    another; only lossless readings (the wrong decoder met no invalid pair), and only
    paragraphs with at least 8 distinct non-ASCII characters (a stray curly quote in
    English text read this way is not what the engine is for)."""
    records = [r for r in corrupt.all_clean(MIN_CHARS) if r["language"] in CJK_LANGUAGES
               and len({ch for ch in r["text"] if ch >= "\x80"}) >= 8]
    rows: list[tuple[object, ...]] = []
    for written, read in CROSS_PAIRS:
        cases = []
        for record in records:
            if record["language"] not in WRITER_LANGUAGES[written]:
                continue
            try:
                mojibake = record["text"].encode(written).decode(read)
            except UnicodeError:
                continue
            if mojibake != record["text"]:
                cases.append((record, mojibake))
        exact = sum(fix_text(m) == r["text"] for r, m in cases)
        peer = sum(_ftfy(m) == r["text"] for r, m in cases)
        rows.append((f"{written} read as {read}", len(cases), _pct(exact, len(cases)),
                     _pct(peer, len(cases))))
    return [Table("CJK text read as another CJK codec (lossless, paragraphs)",
                  ("chain", "cases", "mojifix exact", "ftfy exact"), rows)]


#: Cyrillic text written in one Cyrillic code page and read with the other (field notes,
#: issue 5), for the Cyrillic swap engine.
CYRILLIC_PAIRS: tuple[tuple[str, str], ...] = (("cp1251", "koi8_r"), ("koi8_r", "cp1251"),
                                               ("cp866", "cp1251"), ("cp1251", "cp866"))


def cyrillic_swap_suite() -> list[Table]:
    """Paragraphs with 20+ Cyrillic letters (Russian, Bulgarian, Ukrainian... of the
    clean fixtures and both halves of the corpus paragraphs) written in one Cyrillic code
    page and read with the other, per half; and how many genuine ones are changed."""
    import re

    cyrillic = re.compile("[\u0400-\u045f]")
    records = [r for r in corrupt.all_clean(MIN_CHARS) if len(cyrillic.findall(r["text"])) >= 20]
    rows: list[tuple[object, ...]] = []
    for written, read in CYRILLIC_PAIRS:
        for split in ("tune", "held-out", "fixture"):
            cases = []
            for record in records:
                if record["split"] != split:
                    continue
                try:
                    mojibake = record["text"].encode(written).decode(read)
                except UnicodeError:
                    continue
                cases.append((record, mojibake))
            exact = sum(fix_text(m) == r["text"] for r, m in cases)
            peer = sum(_ftfy(m) == r["text"] for r, m in cases)
            rows.append((f"{written} read as {read} ({split})", len(cases),
                         _pct(exact, len(cases)), _pct(peer, len(cases))))
    genuine = [r for r in records if fix_text(r["text"]) != r["text"]]
    rows.append(("genuine paragraphs changed", len(records), len(genuine), ""))
    return [Table("Cyrillic text read with the other Cyrillic code page (paragraphs)",
                  ("chain", "cases", "mojifix exact", "ftfy exact"), rows)]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "n/a"


def render(table: Table) -> str:
    cells = [tuple(str(c) for c in table.header)] + [tuple(str(c) for c in r) for r in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.header))]
    lines = [f"### {table.title}", ""]
    for n, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def installed_text_suite() -> list[Table]:
    """Clean text nobody tuned mojifix on: every non-ASCII UTF-8 text file (``.py``,
    ``.txt``, ``.md``, ``.rst``, ``.html``, ``.po``, ``METADATA``) of the running Python's
    standard library and installed packages, whole. Some of them quote mojibake on
    purpose (ftfy's documentation, codec tests): every change is listed on stderr for a
    person to judge. The figures depend on the Python and the packages installed."""
    import os
    import sysconfig

    roots = sorted({sysconfig.get_paths()[key] for key in ("stdlib", "purelib", "platlib")})
    suffixes = (".py", ".txt", ".md", ".rst", ".html", ".po")
    tally = _Tally()
    for root in roots:
        for folder, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if not (name.endswith(suffixes) or name == "METADATA"):
                    continue
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as handle:
                        text = handle.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if not text.isascii():
                    tally.add(text, f"installed-text change in {path}")
    return [Table(f"Non-ASCII text files of Python {sys.version.split()[0]} and its packages",
                  ("text", "files", "characters", "files touched", "spans changed"),
                  [("stdlib and site-packages", tally.files, f"{tally.chars:,}", tally.touched,
                    tally.spans)])]


#: Code pages whose bytes 80-9F are printable: text written in one and read as Latin-1
#: shows them as C1 controls (cp1252's quotes and dashes, Mac Roman's and the DOS code
#: pages' accented small letters).
C1_CODE_PAGES = ("cp1252", "mac_roman", "cp437", "cp850")


def c1_controls_suite() -> list[Table]:
    """Text written in a single-byte code page and read as Latin-1: every paragraph whose
    bytes in that code page include some of 80-9F (C1 controls once read as Latin-1)
    and, for the code pages other than cp1252, none of A0-FF (which Latin-1 would turn
    into other letters: the legacy engine's case). cp1252 is the common one (ftfy reads
    every C1 control as cp1252); Mac Roman and the DOS code pages put accented letters
    there."""
    records = corrupt.all_clean(MIN_CHARS)
    rows: list[tuple[object, ...]] = []
    for codec in C1_CODE_PAGES:
        cases = []
        for record in records:
            try:
                data = record["text"].encode(codec)
            except UnicodeEncodeError:
                continue
            if not any(0x80 <= b < 0xA0 for b in data):
                continue
            if codec != "cp1252" and any(b >= 0xA0 for b in data):
                continue
            cases.append((record, data.decode("latin-1")))
        exact = sum(fix_text(mojibake) == record["text"] for record, mojibake in cases)
        peer = sum(_ftfy(mojibake) == record["text"] for record, mojibake in cases)
        rows.append((f"{codec} read as latin-1", len(cases), _pct(exact, len(cases)),
                     _pct(peer, len(cases))))
    return [Table(f"C1 controls: code pages read as Latin-1 (paragraphs of {MIN_CHARS}+ "
                  "characters)", ("chain", "cases", "mojifix exact", "ftfy exact"), rows)]


def short_words_suite() -> list[Table]:
    """Short strings, where ftfy stays its hand on purpose: every distinct non-ASCII word
    of the corpus paragraphs, written as UTF-8 and read as cp1252, that ftfy's
    ``fix_encoding`` leaves as it is (``ÅŸehir``), and how many of them mojifix restores."""
    import re

    words: set[str] = set()
    for record in corrupt.all_clean(1):
        words |= {w for w in re.findall(r"\w+", record["text"]) if not w.isascii()}
    left = restored = 0
    for word in sorted(words):
        try:
            mojibake = word.encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            continue
        if _ftfy(mojibake) == mojibake:
            left += 1
            restored += fix_text(mojibake) == word
    return [Table("Corpus words read as cp1252 that ftfy leaves alone",
                  ("words", "left by ftfy", "mojifix restores"),
                  [(f"{len(words):,}", left, f"{restored} ({_pct(restored, left)})")])]


#: Chains for short pieces: UTF-8 read as the code pages the field notes list, and
#: legacy text read as cp1252 or Latin-1.
SHORT_UTF8_CODECS = ("cp1252", "latin-1", "cp1250", "iso8859-2", "cp1251", "cp1253",
                     "cp1254", "cp1257", "cp1258", "mac_roman", "koi8_r", "cp1256",
                     "cp437", "cp866", "gbk", "cp932", "big5", "cp949", "euc_jp")
SHORT_LEGACY = (("cp1251", "cp1252"), ("koi8_r", "cp1252"), ("cp1253", "cp1252"),
                ("cp1255", "cp1252"), ("gbk", "latin-1"), ("shift_jis", "cp1252"))


def short_pieces_suite(per_chain: int = 400) -> list[Table]:
    """Short strings (titles, cells, names), where evidence is thin and false positives
    hide: the corpus paragraphs cut at sentence and clause punctuation into pieces of
    6-40 characters holding a non-ASCII character, a seeded sample of ``per_chain`` per
    chain whose misreading is lossless and changes the piece. Also: how many of the
    clean pieces mojifix changes."""
    import random
    import re

    pieces = [piece.strip() for record in corrupt.load_paragraphs()
              for piece in re.split(r"(?<=[.!?;,。！？；，、])\s*", record["text"])]
    pieces = [p for p in pieces if 6 <= len(p) <= 40 and not p.isascii()]
    random.Random(5).shuffle(pieces)
    rows: list[tuple[object, ...]] = []

    def row(name: str, cases: list[tuple[str, str]]) -> None:
        exact = sum(fix_text(mojibake) == piece for piece, mojibake in cases)
        peer = sum(_ftfy(mojibake) == piece for piece, mojibake in cases)
        rows.append((name, len(cases), _pct(exact, len(cases)), _pct(peer, len(cases))))

    def misread(piece: str, written: str, read: str) -> str | None:
        try:
            out = piece.encode(written).decode(read)
        except UnicodeError:
            return None
        return out if out != piece else None

    for codec in SHORT_UTF8_CODECS:
        cases = [(p, m) for p in pieces if (m := misread(p, "utf-8", codec))][:per_chain]
        row(f"utf-8 read as {codec}", cases)
    for written, read in SHORT_LEGACY:
        cases = [(p, m) for p in pieces if (m := misread(p, written, read))][:per_chain]
        row(f"{written} read as {read}", cases)
    clean = pieces[:4000]
    changed = [p for p in clean if fix_text(p) != p]
    for piece in changed[:10]:
        print(f"  short-pieces false positive: {piece!r}", file=sys.stderr)
    return [Table("Short pieces (6-40 characters) of the corpus paragraphs",
                  ("chain", "cases", "mojifix exact", "ftfy exact"), rows),
            Table("Clean short pieces", ("pieces", "mojifix changed", "ftfy changed"),
                  [(len(clean), len(changed), sum(_ftfy(p) != p for p in clean))])]


def system_docs_suite() -> list[Table]:
    """Changelogs, copyright files and READMEs of the installed system packages
    (``/usr/share/doc``, gzipped or not), paragraph by paragraph (split on blank lines),
    as a tool cleaning such text would pass them. Names of people from every country,
    and a few files that hold or quote real mojibake: every change is listed on stderr
    for a person to judge. The figures depend on the packages installed."""
    import gzip
    import os

    tally = _Tally()
    files = 0
    for folder, _, names in sorted(os.walk("/usr/share/doc")):
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                with (gzip.open(path) if name.endswith(".gz") else open(path, "rb")) as handle:
                    data = handle.read(3_000_001)
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError, EOFError):
                continue
            if len(data) > 3_000_000 or "\0" in text[:4096] or text.isascii():
                continue
            files += 1
            for paragraph in text.split("\n\n"):
                if not paragraph.isascii():
                    tally.add(paragraph, f"system-docs change in {path}")
    if not files:
        print("  (no text under /usr/share/doc: suite skipped)", file=sys.stderr)
        return []
    return [Table("Paragraphs of the installed packages' documentation",
                  ("text", "files", "paragraphs", "characters", "paragraphs touched",
                   "spans changed"),
                  [("/usr/share/doc", files, f"{tally.files:,}", f"{tally.chars:,}",
                    tally.touched, tally.spans)])]


def gettext_suite() -> list[Table]:
    """Short real text in many languages: every non-ASCII translated string of the
    gettext catalogues installed on this machine (``/usr/share/locale``), each string on
    its own, as a program would show it. Some catalogues hold real mojibake (their
    translators' editors misread UTF-8): every change is listed on stderr for a person
    to judge. The figures depend on the system's installed catalogues."""
    import gettext
    import glob

    from mojifix import fix_and_explain

    paths = sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo"))
    files = strings = chars = changed = 0
    languages: set[str] = set()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                catalogue = gettext.GNUTranslations(handle)
        except (OSError, UnicodeDecodeError, ValueError, LookupError):
            continue
        files += 1
        language = path.split("/")[4]
        for message in catalogue._catalog.values():  # noqa: SLF001 - the parsed catalogue
            if not isinstance(message, str) or message.isascii():
                continue
            strings += 1
            chars += len(message)
            languages.add(language)
            repair = fix_and_explain(message)
            if repair.applied_spans:
                changed += 1
                print(f"  gettext change ({language}) {message[:60]!r}: " + ", ".join(
                    f"{span.original!r} -> {span.repaired!r} ({span.explanation})"
                    for span in repair.applied_spans[:2]), file=sys.stderr)
    if not files:
        print("  (no gettext catalogues in /usr/share/locale: suite skipped)", file=sys.stderr)
        return []
    return [Table("Translated strings of the installed gettext catalogues",
                  ("text", "catalogues", "languages", "strings", "characters", "changed"),
                  [("/usr/share/locale", files, len(languages), f"{strings:,}", f"{chars:,}",
                    changed)])]


register(Suite("lossless", lossless_suite))
register(Suite("false-positives", false_positive_suite))
register(Suite("whole-files", whole_file_suite))
register(Suite("cross-cjk", cross_cjk_suite))
register(Suite("cyrillic-swap", cyrillic_swap_suite))
register(Suite("installed-text", installed_text_suite))
register(Suite("gettext", gettext_suite))
register(Suite("system-docs", system_docs_suite))
register(Suite("c1-controls", c1_controls_suite))
register(Suite("short-words", short_words_suite))
register(Suite("short-pieces", short_pieces_suite))

# Further suites register themselves on import, e.g. ``import lossy_accuracy``.
for _module in ("lossy_accuracy",):
    try:
        __import__(_module)
    except ImportError:
        pass


def main(argv: list[str]) -> None:
    wanted = argv[1:] or [""]
    for suite in SUITES:
        if not any(suite.name.startswith(w) for w in wanted):
            continue
        started = time.perf_counter()
        for table in suite.run():
            print(render(table))
            print()
        print(f"({suite.name}: {time.perf_counter() - started:.1f} s)\n")


if __name__ == "__main__":
    main(sys.argv)
