"""Build ``src/mojifix/data/charmodel.json.gz``, the tables of mojifix's plausibility model.

Sources (see ``src/mojifix/data/README.md`` for their licences):

* **wordfreq** word lists ("best" list of every language wordfreq ships): each
  language's character distribution is the frequency-weighted count of characters in
  its words; the languages are averaged with equal weight, so a character common in
  any language is common here. Simplified Chinese is wordfreq's form for Chinese; a
  traditional character gets the frequency of its simplified form (wordfreq's own
  mapping), so traditional text is not penalised. Digits are skipped (wordfreq writes
  every digit as 0).
  Words of a single letter give a second distribution: how common a letter is as a
  word on its own (``в`` is a Russian word, ``ж`` hardly ever).
  Letter pairs inside words (and the first letter of a word) give, for alphabetic
  scripts, P(letter | previous letter): ``лл`` is no Russian word.
* **The tuning half** of ``tests/fixtures/clean_paragraphs.jsonl`` (real paragraphs of
  the labelled encoding corpus): class-to-class transitions of running text, and the
  within-class frequencies of characters wordfreq drops (spaces, digits, punctuation,
  CJK punctuation, symbols), and which script a word's letters are in given the
  previous word's. The held-out half is never read here: false positives are
  measured on it.

Within a class, a character's probability averages the two sources where both have
data for the class. Transitions use add-one-half (Jeffreys) smoothing. Unseen
characters (capitals, which wordfreq folds away, included): see ``mojifix.plausibility``;
this script stores, per class, the cost at the rare end of the seen characters
(``TIER_QUANTILE``; the rarest one for classes with fewer than 20): an unseen character
is taken to be about as rare as those. Ideographs and hangul are averaged with the
frequency tiers of the legacy character sets (see ``with_tiers``), which also give the
cost of an unseen one.

Run from the repository root: ``python scripts/build_plausibility_tables.py``.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import msgpack
import wordfreq
from wordfreq.util import data_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from mojifix.plausibility import CLASSES, EDGE, LETTER_CLASSES, _tier_of, char_class  # noqa: E402

WORDS_PER_LANGUAGE = 60_000  # most frequent words read per language (all for zh, ja, ko)
SMOOTHING = 0.5
#: An unseen character is taken to be as rare as the rare end (this quantile) of the
#: seen characters of its class (of its frequency tier, for ideographs and hangul).
TIER_QUANTILE = 0.95
OUT = Path("src/mojifix/data/charmodel.json.gz")
PARAGRAPHS = Path("tests/fixtures/clean_paragraphs.jsonl")

#: Code points per class with no measured data: their unigram is uniform over the class.
UNMEASURED_CLASS_SIZES = {"CONTROL": 65, "PRIVATE_USE": 137_468, "UNASSIGNED": 800_000,
                          "FORMAT": 170}


def wordfreq_distribution() -> tuple[dict[str, float], dict[str, float]]:
    """Sum over languages of each language's normalised character distribution; and
    the same for the words that are a single letter (``a``, ``в``, ``的``)."""
    simplified = msgpack.load(gzip.open(data_path("_chinese_mapping.msgpack.gz")), raw=False,
                              strict_map_key=False)
    traditional_of: dict[str, list[str]] = defaultdict(list)
    for trad, simp in simplified.items():
        trad_ch, simp_ch = chr(trad) if isinstance(trad, int) else trad, simp
        if isinstance(simp_ch, int):
            simp_ch = chr(simp_ch)
        if len(trad_ch) == 1 and len(simp_ch) == 1 and trad_ch != simp_ch:
            traditional_of[simp_ch].append(trad_ch)
    total: dict[str, float] = defaultdict(float)
    single_total: dict[str, float] = defaultdict(float)
    for lang in sorted(wordfreq.available_languages("best")):
        freqs = wordfreq.get_frequency_dict(lang, "best")
        limit = None if lang in ("zh", "ja", "ko") else WORDS_PER_LANGUAGE
        counts: Counter[str] = Counter()
        single: Counter[str] = Counter()
        for i, (word, freq) in enumerate(freqs.items()):
            if len(word) == 1 and word.isalpha():
                single[word] += freq
            if limit is not None and i >= limit:
                continue
            for ch in word:
                if not ch.isdigit():
                    counts[ch] += freq
        if lang == "zh":
            for simp_ch, trads in traditional_of.items():
                if simp_ch in counts:
                    for trad_ch in trads:
                        counts[trad_ch] += counts[simp_ch]
        mass = sum(counts.values())
        for ch, value in counts.items():
            total[ch] += value / mass
        single_mass = sum(single.values())
        for ch, value in single.items():
            single_total[ch] += value / single_mass
        print(f"  wordfreq {lang}: {len(counts)} characters", file=sys.stderr)
    return total, single_total


#: Classes whose letters are scored by letter pairs (alphabets and abugidas); ideographs,
#: kana and hangul have too many characters for pairs and keep their unigrams.
BIGRAM_CLASSES = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "THAI",
                  "OTHER_LETTER", "HAN", "HIRAGANA", "KATAKANA")
#: For ideographs, kana and hangul (thousands of letters, millions of possible pairs)
#: only the most frequent pairs are stored, to keep the table small.
CJK_BIGRAM_COUNT = 20_000
CJK_CLASSES = ("HAN", "HIRAGANA", "KATAKANA")
#: Letter pairs rarer than this (conditional probability, in bits) are not stored; the
#: model backs off to the unigram for them.
BIGRAM_LIMIT = 17.0


def wordfreq_bigrams() -> dict[str, dict[str, float]]:
    """-log2 P(letter | previous letter) inside words, ``^`` standing for the start of
    a word, from wordfreq's word lists: each language's frequency-weighted pair counts
    normalised, summed over languages, then conditioned on the first letter."""
    joint: dict[tuple[str, str], float] = defaultdict(float)
    wanted = {CLASSES.index(name) for name in BIGRAM_CLASSES}
    for lang in sorted(wordfreq.available_languages("best")):
        pairs: Counter[tuple[str, str]] = Counter()
        limit = None if lang in ("zh", "ja", "ko") else WORDS_PER_LANGUAGE
        for i, (word, freq) in enumerate(wordfreq.get_frequency_dict(lang, "best").items()):
            if limit is not None and i >= limit:
                break
            prev = "^"
            for ch in word:
                if char_class(ch) not in wanted:
                    prev = "^"
                    continue
                pairs[(prev, ch)] += freq
                prev = ch
        mass = sum(pairs.values())
        for pair, value in pairs.items():
            joint[pair] += value / mass
    # A word's first letter is conditioned on the start and on its class (the class
    # itself is the transitions' business): key "^" + class name.
    keyed: dict[tuple[str, str], float] = defaultdict(float)
    for (a, b), value in joint.items():
        keyed[("^" + CLASSES[char_class(b)] if a == "^" else a, b)] += value
    first: dict[str, float] = defaultdict(float)
    for (a, _), value in keyed.items():
        first[a] += value
    cjk = sorted((value, pair) for pair, value in keyed.items()
                 if CLASSES[char_class(pair[1])] in CJK_CLASSES)
    kept_cjk = {pair for _, pair in cjk[-CJK_BIGRAM_COUNT:]}
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), value in keyed.items():
        bits = -math.log2(value / first[a])
        if CLASSES[char_class(b)] in CJK_CLASSES:
            if (a, b) in kept_cjk:
                out[a][b] = round(bits, 1)
        elif bits <= BIGRAM_LIMIT:
            out[a][b] = round(bits, 1)
    return out


def corpus_counts() -> tuple[Counter[str], list[list[int]], list[list[int]]]:
    chars: Counter[str] = Counter()
    k = len(CLASSES)
    transitions = [[0] * k for _ in range(k)]
    scripts = [[0] * k for _ in range(k)]
    for line in PARAGRAPHS.open(encoding="utf-8"):
        record = json.loads(line)
        if record["split"] != "tune":
            continue
        text = record["text"]
        chars.update(text)
        prev = letter = EDGE
        for ch in text:
            cls = char_class(ch)
            transitions[prev][cls] += 1
            if cls in LETTER_CLASSES:
                if prev not in LETTER_CLASSES:
                    scripts[letter][cls] += 1
                letter = cls
            prev = cls
        transitions[prev][EDGE] += 1
    return chars, transitions, scripts


def borrow_width_variant(transitions: list[list[float]], counts: list[list[int]],
                         chars: Counter[str]) -> None:
    """Half-width katakana are katakana in another width, too rare in the corpus for
    their own transitions: take katakana's, plus the measured cost of the half width
    (how much rarer half-width than full-width katakana are), when that is cheaper
    than the sparse estimate."""
    kata, half = CLASSES.index("KATAKANA"), CLASSES.index("HALFWIDTH_KANA")
    n_kata = sum(n for ch, n in chars.items() if char_class(ch) == kata)
    n_half = sum(n for ch, n in chars.items() if char_class(ch) == half)
    width = -math.log2((n_half + SMOOTHING) / (n_kata + SMOOTHING))
    k = len(CLASSES)
    for a in range(k):
        transitions[a][half] = round(min(transitions[a][half], transitions[a][kata] + width), 2)
    transitions[half] = [round(min(transitions[half][b], transitions[kata][b]), 2) for b in range(k)]
    transitions[half][half] = round(min(transitions[half][half], transitions[kata][kata]), 2)


def smoothed_costs(counts: list[list[int]]) -> list[list[float]]:
    """-log2 P(column | row) with hierarchical smoothing: a row with few observations
    falls back on how often each column occurs at all (itself Jeffreys-smoothed), so a
    rare class such as MARK does not make every unseen successor look ordinary."""
    k = len(counts)
    column = [sum(counts[a][b] for a in range(k)) for b in range(k)]
    total = sum(column)
    marginal = [(column[b] + SMOOTHING) / (total + SMOOTHING * k) for b in range(k)]
    strength = SMOOTHING * k
    out = []
    for a in range(k):
        row_total = sum(counts[a]) + strength
        out.append([round(-math.log2((counts[a][b] + strength * marginal[b]) / row_total), 2)
                    for b in range(k)])
    return out


def upper_bits(chars: Counter[str]) -> float:
    """How much rarer a capital is than its small letter in running text, in bits.

    wordfreq folds case (and folds ß into ss), so a capital or ß that the corpus half
    never shows is costed from its case-folded form plus this measured difference."""
    lower = sum(n for ch, n in chars.items() if ch.isalpha() and ch != ch.upper())
    upper = sum(n for ch, n in chars.items() if ch.isalpha() and ch != ch.lower())
    return round(math.log2(lower / upper), 2)


def accent_bits(costs: dict[str, float]) -> float:
    """How much rarer an accented letter is than its base letter, in bits: the median,
    over the seen letters that decompose (NFD) into a seen base letter and one mark,
    of the cost difference. An unseen accented letter (Esperanto ŝ, which wordfreq does
    not cover) is costed as its base letter plus this."""
    import unicodedata

    diffs = []
    for ch, bits in costs.items():
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 2 and parts[0] in costs and unicodedata.category(parts[1]) == "Mn":
            diffs.append(bits - costs[parts[0]])
    diffs.sort()
    return round(diffs[len(diffs) // 2], 2)


def with_accent_floor(costs: dict[str, float]) -> dict[str, float]:
    """An accented letter costs at most its base letter plus the class's typical accent
    (``accent_bits``): a letter of a language wordfreq lacks (Esperanto ``ŭ``) is not
    taken for a rarity because the languages wordfreq has seldom use it."""
    import unicodedata

    accent = accent_bits(costs)
    out = dict(costs)
    for ch, bits in costs.items():
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 2 and parts[0] in costs and unicodedata.category(parts[1]) == "Mn":
            out[ch] = round(min(bits, costs[parts[0]] + accent), 1)
    return out


def within_class(dist: dict[str, float]) -> dict[int, dict[str, float]]:
    by_class: dict[int, dict[str, float]] = defaultdict(dict)
    for ch, value in dist.items():
        if len(ch) == 1 and value > 0:
            by_class[char_class(ch)][ch] = value
    out = {}
    for cls, values in by_class.items():
        mass = sum(values.values())
        out[cls] = {ch: v / mass for ch, v in values.items()}
    return out


#: How many code points a class holds outside the legacy sets' tiers (tier 3):
#: CJK unified ideographs with extensions A-H and compatibility ideographs; hangul
#: syllables.
TIER3_SIZE = {"HAN": 97_680, "HANGUL": 11_172}


_CLASS_SIZES: list[int] = []


def class_sizes() -> list[int]:
    """How many code points each class holds (computed once)."""
    if not _CLASS_SIZES:
        sizes = [0] * len(CLASSES)
        for cp in range(0x110000):
            sizes[char_class(chr(cp))] += 1
        _CLASS_SIZES.extend(sizes)
    return _CLASS_SIZES


def tier_members() -> dict[str, dict[int, set[str]]]:
    """The characters of tiers 1 and 2 of the legacy sets, per class."""
    members: dict[str, dict[int, set[str]]] = {"HAN": defaultdict(set), "HANGUL": defaultdict(set)}
    pairs = [(lead, trail) for lead in range(0x81, 0xFF) for trail in range(0x40, 0xFF)]
    for codec in ("gb2312", "euc_jp", "big5", "euc_kr"):
        for lead, trail in pairs:
            try:
                ch = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) != 1:
                continue
            name = CLASSES[char_class(ch)]
            tier = _tier_of(ch)
            if name in members and tier < 3:
                members[name][tier].add(ch)
    return members


_TIER_MEMBERS: dict[str, dict[int, set[str]]] = {}


def with_tiers(probs: dict[str, float], name: str) -> tuple[dict[str, float], dict[str, float]]:
    """Average the measured distribution with one that is uniform within each frequency
    tier of the legacy sets, each tier weighted by the measured mass it holds.

    The word lists measure common characters well but rare ones poorly (a GB2312
    level-1 character can be missing from them or look rarer than it is); the tiers
    are the standards' own frequency grading. Returns the new probabilities and the
    cost of an unseen character per tier."""
    if not _TIER_MEMBERS:
        _TIER_MEMBERS.update(tier_members())
    members = _TIER_MEMBERS[name]
    tier_of = {ch: t for t, chars in members.items() for ch in chars}
    size = {t: len(chars) for t, chars in members.items()}
    size[3] = TIER3_SIZE[name] - sum(size.values())
    mass: dict[int, float] = defaultdict(float)
    for ch, p in probs.items():
        mass[tier_of.get(ch, 3)] += p
    uniform = {t: max(mass[t], 1e-9) / size[t] for t in size}
    mixed = {ch: 0.5 * p + 0.5 * uniform[tier_of.get(ch, 3)] for ch, p in probs.items()}
    unseen = {str(t): round(-math.log2(0.5 * uniform[t]), 1) for t in sorted(size)}
    return mixed, unseen


def main() -> None:
    wf_chars, wf_single = wordfreq_distribution()
    wf = within_class(wf_chars)
    single_words = {}
    for cls, dist in within_class(wf_single).items():
        costs = sorted(-math.log2(p) for p in dist.values())
        single_words[CLASSES[cls]] = {
            "floor": round(costs[int(TIER_QUANTILE * (len(costs) - 1))], 1),
            "costs": {ch: round(-math.log2(p), 1) for ch, p in sorted(dist.items())},
        }
    corpus_chars, transition_counts, script_counts = corpus_counts()
    co = within_class({ch: float(n) for ch, n in corpus_chars.items()})
    transitions = smoothed_costs(transition_counts)
    borrow_width_variant(transitions, transition_counts, corpus_chars)
    script = smoothed_costs(script_counts)
    unigram: dict[str, dict] = {}
    tiers: dict[str, dict[str, float]] = {}
    letter_costs: dict[str, float] = {}
    for cls, name in enumerate(CLASSES):
        sources = [d for d in (wf.get(cls), co.get(cls)) if d]
        if not sources:
            size = UNMEASURED_CLASS_SIZES.get(name, 1000)
            unigram[name] = {"floor": round(math.log2(size), 1), "costs": {}}
            continue
        chars = set().union(*sources)
        probs = {ch: sum(d.get(ch, 0.0) for d in sources) / len(sources) for ch in chars}
        if name in ("HAN", "HANGUL"):
            probs, tiers[name] = with_tiers(probs, name)
        costs = {ch: round(-math.log2(p), 1) for ch, p in probs.items()}
        if name in ("LATIN", "GREEK", "CYRILLIC"):
            costs = with_accent_floor(costs)
            letter_costs.update(costs)
        grouped: dict[str, str] = defaultdict(str)
        for ch, bits in sorted(costs.items(), key=lambda item: (item[1], item[0])):
            grouped[str(int(round(bits * 10)))] += ch
        ordered = sorted(costs.values())
        floor = ordered[int(TIER_QUANTILE * (len(ordered) - 1))] if len(ordered) >= 20 else ordered[-1]
        if cls not in wf:
            # Counted on the corpus alone: an unseen character gets the Jeffreys
            # estimate, half a count among all the code points of its class.
            seen = sum(n for ch, n in corpus_chars.items() if char_class(ch) == cls)
            floor = max(floor, round(-math.log2(0.5 / (seen + 0.5 * class_sizes()[cls])), 1))
        unigram[name] = {"floor": floor, "costs": dict(grouped)}
        print(f"  {name}: {len(costs)} characters, floor {max(costs.values())} bits",
              file=sys.stderr)
    table = {"classes": list(CLASSES), "transitions": transitions, "script": script, "unigram": unigram,
             "tiers": tiers, "single_words": single_words, "upper_bits": upper_bits(corpus_chars),
             "accent_bits": accent_bits(letter_costs),
             "bigrams": {a: "".join(f"{b}{int(round(bits * 10))}," for b, bits in sorted(row.items()))
                         for a, row in sorted(wordfreq_bigrams().items())}}
    OUT.write_bytes(gzip.compress(json.dumps(table, ensure_ascii=False,
                                             separators=(",", ":")).encode("utf-8"), 9, mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
