"""Frequency tables for reconstructing lost characters: load them, or build them.

The tables (``data/lossy_<lang>.json.gz``, one per language, loaded when needed) are derived from wordfreq's word lists
(Robyn Speer et al., data CC BY-SA 4.0; see ``data/README-lossy.md``) and hold, per
language:

* ``chars``: how often each character occurs in running text (word frequencies
  spread over each word's characters), for the language-dependent prior;
* ``words``: the words that decide between candidates: for Chinese, Japanese and
  Korean the two- and three-character words (does ``?好`` read ``你好``?); for the
  other languages the most common words (they tell the language) and the words with
  letters beyond ASCII or an apostrophe (does ``caf?`` read ``café``?);
* for Chinese, Japanese and Korean, ``pairs``: how often two characters stand side by
  side inside a word (all words of the list, weighted by frequency): evidence for a lost
  character from its neighbours beyond the two- and three-character words;
* for the other languages, ``tri`` and ``bi``: how often three and two letters follow
  each other inside a word (``_`` marks the word's ends), the evidence for a lost letter
  from its neighbours when the word itself is not in ``words`` (``wynikaj?cymi``:
  ``jąc`` is common in Polish, ``jłc`` is not);
* for Vietnamese, ``compounds``: the pairs of syllables inside words of several
  syllables (from pyvi's word list, MIT licence), evidence for a lost letter from the
  syllables beside its own;
* for Chinese, ``simplified``: wordfreq's own mapping of traditional characters to
  the simplified ones its Chinese list is written in, so that traditional text
  (``週末``, Big5's script) is looked up as ``周末``.

Build (needs wordfreq, and pyvi for its word list, neither needed at run time)::

    python -m mojifix.lossy_tables
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping

LANGUAGES = (
    "en", "fr", "de", "es", "pt", "it", "nl", "pl", "cs", "sk", "tr", "vi", "sv", "da", "nb",
    "fi", "is", "ro", "hu", "sl", "sh", "lt", "lv", "ca", "id",
    "ru", "uk", "bg", "mk", "el", "ar", "fa", "he", "hi", "zh", "ja", "ko",
) + ("et",)
#: Languages wordfreq has no list for, whose letters come from langdetect's profile
#: (character 1- to 3-grams of Wikipedia text, Apache 2.0; see ``data/README-lossy.md``):
#: characters and letter n-grams, no words.
PROFILE_LANGUAGES = ("et",)
CJK = ("zh", "ja", "ko")
TABLE_NAME = "lossy_{lang}.json.gz"

#: How many words of each kind are kept (frequency order): the commonest words (they
#: tell the language), and the words with a letter beyond ASCII or an apostrophe (the
#: words a lost character can be part of): at least ``MIN_SPECIAL``, then on down to
#: ``SPECIAL_MIN_PROB``, at most ``TOP_SPECIAL`` (Czech and Polish inflect so much that
#: their lists go on).
TOP_COMMON = 2000
MIN_SPECIAL = 6000
TOP_SPECIAL = 30000
SPECIAL_MIN_PROB = 3e-7
TOP_CJK = {"zh": 30000, "ja": 20000, "ko": 8000}
MIN_CHAR_PROB = 1e-7
#: Character pairs inside CJK words kept down to this share of all pairs.
MIN_PAIR_PROB = 3e-7
#: Letter n-grams of the other languages (each word padded with ``_`` at both ends,
#: weighted by its frequency): three-letter sequences kept down to this share of all
#: sequences, two-letter ones down to a tenth of it. The smoothing of
#: ``lossy_score.LetterModel`` counts in units of these thresholds.
MIN_TRIGRAM_PROB = 1e-6
MIN_BIGRAM_PROB = 1e-7


@lru_cache(maxsize=None)
def _table(lang: str) -> Mapping[str, Mapping[str, float]]:
    if lang not in LANGUAGES:
        return {"chars": {}, "words": {}}
    try:
        data = resources.files("mojifix").joinpath("data", TABLE_NAME.format(lang=lang)).read_bytes()
    except (FileNotFoundError, OSError):
        return {"chars": {}, "words": {}}
    # The frequencies are written with three significant digits: some five thousand
    # distinct values over a million entries. One float object per value instead of
    # one per entry keeps the loaded tables a third smaller (168 -> 110 MB for all).
    return json.loads(  # type: ignore[no-any-return]
        gzip.decompress(data), parse_float=_shared_float)


_FLOATS: dict[str, float] = {}


def _shared_float(literal: str) -> float:
    """The float of a JSON number literal, one object per distinct literal."""
    value = _FLOATS.get(literal)
    if value is None:
        value = _FLOATS[literal] = float(literal)
    return value


def simplified(lang: str) -> Mapping[str, str]:
    """Traditional-to-simplified character mapping of ``lang`` (only Chinese has one).

    >>> simplified("zh")["週"]
    '周'
    """
    return _table(lang).get("simplified", {})  # type: ignore[return-value]


def char_table(lang: str) -> Mapping[str, float]:
    """Character frequencies of ``lang`` (empty when unknown).

    >>> char_table("en")["e"] > char_table("en")["z"]
    True
    """
    return _table(lang)["chars"]


def word_table(lang: str) -> Mapping[str, float]:
    """Word frequencies of ``lang`` (a selection, see the module docstring).

    >>> word_table("zh")["你好"] > word_table("zh").get("作好", 0.0)
    True
    """
    return _table(lang)["words"]


def pair_table(lang: str) -> Mapping[str, float]:
    """For Chinese, Japanese and Korean: how often two characters stand side by side
    inside a word (empty for the other languages).

    >>> pair_table("zh")["中国"] > pair_table("zh").get("中回", 0.0)
    True
    """
    return _table(lang).get("pairs", {})


def coverage(lang: str) -> float:
    """The share of running text the kept words of ``lang`` cover (0.0 where the table
    does not say: zh, ja, ko).

    >>> 0.5 < coverage("en") < 1.0
    True
    """
    return float(_table(lang).get("coverage", 0.0))


def ngram_table(lang: str) -> Mapping[str, Mapping[str, float]]:
    """Letter n-grams of ``lang`` (not for Chinese, Japanese, Korean): ``tri`` and
    ``bi``, shares of all three- and two-letter sequences of words padded with ``_``.

    >>> ngram_table("pl")["tri"]["jąc"] > ngram_table("pl")["tri"].get("jłc", 0.0)
    True
    """
    table = _table(lang)
    return {"tri": table.get("tri", {}), "bi": table.get("bi", {})}


def letter_ngrams(table: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Three- and two-letter sequences of the words of ``table`` (word -> frequency),
    each word padded with ``_``, as shares of all sequences of their length."""
    tri: dict[str, float] = {}
    bi: dict[str, float] = {}
    total = 0.0
    for word, freq in table.items():
        if not any(ch.isalpha() for ch in word):
            continue
        padded = "_" + word.replace("\u2019", "'") + "_"
        for i in range(len(padded) - 2):
            tri[padded[i:i + 3]] = tri.get(padded[i:i + 3], 0.0) + freq
        for i in range(len(padded) - 1):
            bi[padded[i:i + 2]] = bi.get(padded[i:i + 2], 0.0) + freq
        total += freq * (len(padded) - 1)
    return ({k: v / total for k, v in tri.items()}, {k: v / total for k, v in bi.items()})


def build(folder: Path) -> None:
    """Compute the tables from wordfreq and write one file per language into ``folder``."""
    import wordfreq

    build_profiles(folder)
    for lang in LANGUAGES:
        if lang in PROFILE_LANGUAGES:
            continue
        table = wordfreq.get_frequency_dict(lang, "best")
        counts: dict[str, float] = {}
        total = 0.0
        for word, freq in table.items():
            for ch in word:
                counts[ch] = counts.get(ch, 0.0) + freq
            total += freq * len(word)
        chars = {
            ch: float(f"{v / total:.3g}") for ch, v in counts.items() if v / total >= MIN_CHAR_PROB
        }
        ranked = sorted(table.items(), key=lambda kv: -kv[1])
        pairs: dict[str, float] = {}
        if lang in CJK:
            chosen = [(w, f) for w, f in ranked if 1 <= len(w) <= 3][: TOP_CJK[lang]]
            counts = {}
            for word, freq in table.items():
                for a, b in zip(word, word[1:]):
                    counts[a + b] = counts.get(a + b, 0.0) + freq
            pairs = {pair: float(f"{v / total:.3g}") for pair, v in counts.items()
                     if v / total >= MIN_PAIR_PROB}
        else:
            special = [(w, f) for w, f in ranked if not w.isascii() or "'" in w]
            keep = sum(1 for _, f in special[:TOP_SPECIAL] if f >= SPECIAL_MIN_PROB)
            chosen = ranked[:TOP_COMMON] + special[: max(keep, MIN_SPECIAL)]
        words = {w: float(f"{f:.3g}") for w, f in chosen}
        data: dict[str, object] = {"chars": chars, "words": words}
        if lang not in CJK:
            # The share of running text (tokens) that the kept words cover: the rest is
            # written in words the table does not know.
            covered = sum(dict(chosen).values())
            data["coverage"] = float(f"{covered / sum(table.values()):.3g}")
        if pairs:
            data["pairs"] = pairs
        if lang not in CJK:
            tri, bi = letter_ngrams(table)
            data["tri"] = {k: float(f"{v:.3g}") for k, v in tri.items() if v >= MIN_TRIGRAM_PROB}
            data["bi"] = {k: float(f"{v:.3g}") for k, v in bi.items() if v >= MIN_BIGRAM_PROB}
        if lang == "zh":
            data["simplified"] = _chinese_mapping()
        if lang == "vi":
            data["compounds"] = _vietnamese_compounds()
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        path = folder / TABLE_NAME.format(lang=lang)
        path.write_bytes(gzip.compress(blob.encode("utf-8"), 9, mtime=0))
        print(f"wrote {path} ({path.stat().st_size} bytes)")


def profile_tables(lang: str) -> dict[str, dict[str, float]]:
    """``chars``, ``tri`` and ``bi`` of ``lang`` from langdetect's profile: its 1-, 2-
    and 3-grams of Wikipedia text, folded to small letters, a space (word edge) read as
    ``_`` as in :func:`letter_ngrams`; n-grams with a space inside or a letter of
    another script are dropped. Shares of all kept n-grams of their length."""
    import langdetect

    path = Path(langdetect.__file__).parent / "profiles" / lang
    freq: dict[str, int] = json.loads(path.read_text(encoding="utf-8"))["freq"]
    grams: dict[int, dict[str, float]] = {1: {}, 2: {}, 3: {}}
    for gram, count in freq.items():
        key = "".join("_" if c == " " else c for c in gram.lower())
        if len(key) != len(gram) or "_" in key[1:-1] or key == "_" * len(key):
            continue
        if not all(c == "_" or unicodedata.name(c, "").startswith("LATIN ") for c in key):
            continue  # the profiles hold the other scripts' names too (Cyrillic)
        table = grams[len(key)]
        table[key] = table.get(key, 0.0) + count
    out: dict[str, dict[str, float]] = {}
    for name, size, floor in (("chars", 1, MIN_CHAR_PROB), ("bi", 2, MIN_BIGRAM_PROB),
                              ("tri", 3, MIN_TRIGRAM_PROB)):
        total = sum(grams[size].values()) or 1.0
        out[name] = {k: float(f"{v / total:.3g}") for k, v in grams[size].items()
                     if v / total >= floor and k != "_"}
    return out


def build_profiles(folder: Path) -> None:
    """Write the tables of :data:`PROFILE_LANGUAGES` (needs langdetect at build time)."""
    for lang in PROFILE_LANGUAGES:
        data: dict[str, object] = {"words": {}, **profile_tables(lang)}
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        path = folder / TABLE_NAME.format(lang=lang)
        path.write_bytes(gzip.compress(blob.encode("utf-8"), 9, mtime=0))
        print(f"wrote {path} ({path.stat().st_size} bytes)")


def _vietnamese_compounds() -> list[str]:
    """Pairs of syllables that stand side by side in a Vietnamese word of several
    syllables (``chữ cái``, ``chủ yếu``), from the word list of pyvi (Viet-Trung Tran,
    MIT licence; ``pyvi/models/words.txt``): wordfreq's Vietnamese list holds single
    syllables only."""
    from importlib import resources as res

    try:
        text = res.files("pyvi").joinpath("models", "words.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):  # pyvi not installed: keep the pairs shipped
        print("pyvi not installed: Vietnamese compounds kept as shipped")
        return sorted(_table("vi").get("compounds", ()))
    pairs: set[str] = set()
    for line in text.splitlines():
        syllables = line.lower().split()
        for a, b in zip(syllables, syllables[1:]):
            if a.isalpha() and b.isalpha():
                pairs.add(a + " " + b)
    return sorted(pairs)


@lru_cache(maxsize=None)
def compounds(lang: str) -> frozenset[str]:
    """Pairs of syllables that make (part of) a word of several syllables, for
    languages written a syllable at a time (Vietnamese; empty for the others).

    >>> "chữ cái" in compounds("vi"), "chỉ cái" in compounds("vi")
    (True, False)
    """
    return frozenset(_table(lang).get("compounds", ()))


def _chinese_mapping() -> dict[str, str]:
    """wordfreq's traditional -> simplified character mapping (single characters)."""
    import msgpack
    from wordfreq.util import data_path

    with gzip.open(data_path("_chinese_mapping.msgpack.gz")) as f:
        raw = msgpack.load(f, raw=False, strict_map_key=False)
    out: dict[str, str] = {}
    for trad, simp in raw.items():
        trad = chr(trad) if isinstance(trad, int) else trad
        simp = chr(simp) if isinstance(simp, int) else simp
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            out[trad] = simp
    return out


if __name__ == "__main__":  # pragma: no cover - build step
    build(Path(__file__).parent / "data")
