"""Measure which cp1252 characters tell of cp1250 text read as cp1252 (``legacy.REREAD_SIGNALS``).

For every byte that cp1252 and cp1250 decode to different characters, compare

* how often (after a letter, per character of running text) the cp1250 letter occurs
  in the languages cp1250 writes, at most, with
* how often the cp1252 character itself occurs in the languages cp1252 writes, at most,

from wordfreq's word lists (word frequency times letter count). Romanian ș/ț are
counted as the ş/ţ that cp1250 has. A character whose ratio is at least 5 is a
tell-tale: seeing it after a letter is far likelier in mojibake than in genuine text.

Usage: python tools/measure_reread_signals.py   (needs wordfreq, a test dependency)
"""

from __future__ import annotations

from collections import Counter

import wordfreq

WESTERN = "fr es pt de it nl sv da nb fi is ca en tr vi lv lt".split()
CENTRAL = "cs sk pl hu sl sh ro".split()
RATIO = 5.0


def after_letter_rates(language: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    total = 0.0
    for word, freq in wordfreq.get_frequency_dict(language).items():
        word = word.replace("ș", "ş").replace("ț", "ţ")
        for i, ch in enumerate(word):
            if i and word[i - 1].isalpha():
                counts[ch] += freq
            total += freq
    return Counter({ch: count / total for ch, count in counts.items()})


def main() -> None:
    western = {lang: after_letter_rates(lang) for lang in WESTERN}
    central = {lang: after_letter_rates(lang) for lang in CENTRAL}
    rows = []
    for byte in range(0x80, 0x100):
        shown = bytes([byte]).decode("cp1252", errors="replace")
        meant = bytes([byte]).decode("cp1250", errors="replace")
        if shown == meant or "\ufffd" in (shown, meant):
            continue
        genuine = max(rates[shown.lower()] for rates in western.values())
        mojibake = max(rates[meant.lower()] for rates in central.values())
        rows.append((mojibake / (genuine + 1e-7), shown, meant, genuine, mojibake))
    for ratio, shown, meant, genuine, mojibake in sorted(rows, reverse=True):
        mark = "*" if ratio >= RATIO else " "
        print(f"{mark} {shown} for {meant}: ratio {ratio:10.1f}  "
              f"genuine {genuine:.2e}  mojibake {mojibake:.2e}")


if __name__ == "__main__":
    main()
