"""One scan that tells whether any engine could find anything: the clean-text fast path.

Every engine already starts with cheap regex *triggers*: patterns one of which matches
somewhere in any text the engine would change (a lead character followed by a
continuation character, a C1 control, a loss marker after a non-ASCII character...).
Scanning for each engine's triggers separately costs one pass over the text per
pattern, a dozen on clean text. :func:`combine` joins them into a single pattern that
the regex engine still scans at C speed:

    ``[first characters of every trigger](?<=(?=trigger1|trigger2|...)[\\s\\S])``

It begins with one character class (the union of the triggers' leading classes), so the
regex engine's fast charset scan skips everything else; on a candidate character a
zero-width look-behind steps back onto it and tries every trigger from there. A text
matches the gate exactly when it matches one of the triggers, so skipping the engines
when the gate finds nothing changes no result. A trigger that does not begin with a
plain character class cannot be joined; then :func:`combine` returns None and the
engines run as before (safe, merely slower).
"""

from __future__ import annotations

import re
from typing import Iterable


def leading_class(source: str) -> str | None:
    """The character class that every match of regex ``source`` begins with (``[...]``),
    or None when there is none that can be relied on: the source begins otherwise, the
    class is negated (its complement cannot be joined), may match zero times (``[a]?b``)
    or has an alternative beside it at the top level (``[a]b|c``).

    >>> leading_class("[ab\\\\]c][d]")
    '[ab\\\\]c]'
    >>> [leading_class(s) for s in ("[^a]b", "ab", "[a]*b", "[a]b|c", "[a](?:b|c)")]
    [None, None, None, None, '[a]']
    """
    end = _class_end(source, 0)
    if end is None or source.startswith("[^"):
        return None
    if source[end:end + 1] in ("*", "?") or source.startswith("{0", end):
        return None
    if _has_top_level_alternative(source):
        return None
    return source[:end]


def _class_end(source: str, start: int) -> int | None:
    """Index just past the character class that begins at ``source[start]``."""
    if source[start:start + 1] != "[":
        return None
    i = start + 1
    if source[i:i + 1] == "^":
        i += 1
    if source[i:i + 1] == "]":  # a leading ] is a member
        i += 1
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # nested sets are a future-syntax warning in ``re``; do not guess
            return None
        if ch == "]":
            return i + 1
        i += 1
    return None


def _has_top_level_alternative(source: str) -> bool:
    depth, i = 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = _class_end(source, i)
            if end is None:
                return True  # cannot tell: assume the worst
            i = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def combine(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str] | None:
    """A pattern that matches a text exactly when one of ``patterns`` does.

    >>> gate = combine([re.compile("[é][\\x80-\\xbf]"), re.compile("[?](?<=[^a-z][?])")])
    >>> [bool(gate.search(t)) for t in ("café ok", "cafÃ©", "é?", "a?")]
    [False, False, True, False]
    >>> bool(combine([re.compile("[Ã][©]")]).search("cafÃ©"))
    True
    """
    patterns = list(patterns)
    if not patterns:
        return None
    classes = []
    for pattern in patterns:
        if pattern.flags & ~re.UNICODE:
            return None
        first = leading_class(pattern.pattern)
        if first is None:
            return None
        classes.append(first[1:-1])
    union = "[" + "".join(classes) + "]"
    alternatives = "|".join(f"(?:{pattern.pattern})" for pattern in patterns)
    try:
        return re.compile(f"{union}(?<=(?={alternatives})[\\s\\S])")
    except re.error:
        return None
