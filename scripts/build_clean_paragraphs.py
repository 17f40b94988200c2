"""Build ``tests/fixtures/clean_paragraphs.jsonl`` from the labelled encoding corpus.

Every file of ``shared/peer/encodings`` is decoded with the codec its folder names
(strict), markup is removed, and lines of at least 40 characters that are mostly
letters become paragraphs. Each paragraph keeps the corpus file it came from, that
file's sha256, the corpus language label (or one implied by the encoding when the
corpus gives none) and a split: ``tune`` or ``held-out``, decided by the file hash,
so that all paragraphs of one file fall on the same side.

Run from the repository root::

    python scripts/build_clean_paragraphs.py [../shared/peer/encodings]
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

PER_FILE = 8
MIN_CHARS = 40
MAX_CHARS = 600

#: The language an encoding implies when the corpus names none (a coarse label).
ENCODING_LANGUAGE = {
    "big5": "zh-hant", "big5hkscs": "zh-hant", "gb2312": "zh", "gbk": "zh", "gb18030": "zh",
    "hz": "zh", "shift_jis": "ja", "cp932": "ja", "euc_jp": "ja", "euc_jisx0213": "ja",
    "shift_jisx0213": "ja", "iso2022_jp": "ja", "euc_kr": "ko", "cp949": "ko", "johab": "ko",
    "iso2022_kr": "ko", "tis-620": "th", "cp874": "th", "iso8859-11": "th",
    "koi8-r": "ru", "cp866": "ru", "mac-cyrillic": "ru", "iso8859-5": "ru", "cp855": "ru",
    "iso8859-7": "el", "cp1253": "el", "iso8859-8": "he", "cp1255": "he",
    "iso8859-6": "ar", "cp1256": "ar", "cp1258": "vi",
}

_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \t]+")
_URLISH = re.compile(r"https?:|www\.|\.(?:com|org|net)\b|[{}<>|\\]|=\"")


def paragraphs(text: str) -> list[str]:
    """Lines of running text in a decoded file (markup removed, entities resolved)."""
    text = _TAG.sub("\n", text)
    text = _TAG.sub("\n", html.unescape(html.unescape(text)))
    out = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if not MIN_CHARS <= len(line) <= MAX_CHARS or _URLISH.search(line):
            continue
        letters = sum(1 for c in line if c.isalpha())
        if letters < 0.6 * len(line.replace(" ", "")):
            continue
        if any(unicodedata.category(c) in ("Cc", "Co", "Cs") for c in line):
            continue
        out.append(line)
    return out


def main(root: Path) -> None:
    rows = list(csv.DictReader((root / "manifest.tsv").open(encoding="utf-8"), delimiter="\t"))
    out_path = Path("tests/fixtures/clean_paragraphs.jsonl")
    seen: set[str] = set()
    records = []
    for row in rows:
        data = (root / row["path"]).read_bytes()
        codec = row["encoding"]
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        text = text.lstrip("\ufeff")
        lang = row["language"] or ENCODING_LANGUAGE.get(codec, "")
        split = "tune" if int(row["sha256"][:8], 16) % 2 == 0 else "held-out"
        kept = 0
        for para in paragraphs(text):
            if para in seen or kept >= PER_FILE:
                continue
            seen.add(para)
            kept += 1
            records.append({"text": para, "source": row["path"], "encoding": codec,
                            "language": lang, "sha256": row["sha256"], "split": split})
    with out_path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    by_split: dict[str, int] = {}
    for record in records:
        by_split[record["split"]] = by_split.get(record["split"], 0) + 1
    langs = {r["language"] for r in records if r["language"]}
    print(f"{len(records)} paragraphs {by_split}, {len(langs)} language labels -> {out_path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/peer/encodings"))
