"""One scan that tells whether any engine could find anything: the clean-text fast path.

Every engine already starts with cheap regex *triggers*: patterns one of which matches
somewhere in any text the engine would change (a lead character followed by a
continuation character, a C1 control, a loss marker after a non-ASCII character...).
Scanning for each engine's triggers separately costs one pass over the text per
pattern, a dozen on clean text. :func:`combine` joins them into a single pattern that
the regex engine still scans at C speed:

    ``[first characters of every trigger](?<=(?=trigger1|trigger2|...)[\\s\\S])``

It begins with one character class, so the regex engine's fast charset scan skips
everything else; on a candidate character a zero-width look-behind steps back onto it
and tries every trigger from there. That class is not the union of the triggers'
leading classes (thousands of ranges: checking every ASCII character against them made
the scan twice as slow) but a superset that costs one range check per character: every
non-ASCII character, plus the few ASCII characters some trigger can begin with (``?``).
The triggers themselves still test their own classes, so the gate stays exact. A text
matches the gate exactly when it matches one of the triggers, so skipping the engines
when the gate finds nothing changes no result. A trigger that does not begin with a
plain character class cannot be joined; then :func:`combine` returns None and the
engines run as before (safe, merely slower).

Most candidates in clean text are typography and accents (``’s``, ``é``) followed by
ASCII, where every trigger fails, and trying a dozen alternatives there is what the
scan costs. So a candidate first passes a cheap filter: a non-ASCII character in the
next two places (or the end of the text), or a first character that some trigger can match with ASCII after it
(``solo``, found by :func:`solo_starts` from the triggers' parsed form: a C1 control,
``³`` inside a word, an ideograph...). Only candidates that pass try the triggers. The
filter lets through every place where a trigger matches, so the gate stays exact.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

try:  # the regex parser of the standard library (private, stable for many releases)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: How many characters after a candidate the cheap filter looks at.
HORIZON = 2


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
    ascii_starts = re.findall(union, "".join(map(chr, range(0x80))))
    lead = "[" + re.escape("".join(ascii_starts)) + "\\x80-\\U0010ffff]"
    alternatives = "|".join(f"(?:{pattern.pattern})" for pattern in patterns)
    solo = solo_starts(patterns)
    # At the candidate's end: is a non-ASCII character near, or was it a solo start?
    # "Not HORIZON ASCII characters next" is one negative look-ahead over a single-class
    # repeat, cheaper in the regex engine than an alternation of look-aheads; it also
    # lets candidates near the end of the text through, which the triggers then judge.
    near = f"(?![\\x00-\\x7f]{{{HORIZON}}})"
    prefilter = f"(?:{near}|{solo})" if solo else near
    try:
        return re.compile(f"{lead}{prefilter}(?<=(?={alternatives})[\\s\\S])")
    except re.error:
        try:
            return re.compile(f"{union}(?<=(?={alternatives})[\\s\\S])")
        except re.error:
            return None


def solo_starts(patterns: Iterable[re.Pattern[str]]) -> str:
    """A zero-width test, at the end of a candidate character, that passes for every
    first character of a match of one of ``patterns`` whose next ``HORIZON`` characters
    are ASCII or the end of the text (``""`` when there is none).

    It over-approximates wherever the analysis cannot tell: what it does not model lets
    the pattern's whole leading class in; a look-behind in the pattern right after its
    first character (``(?<=[b])``, ``(?<=[x-z][a])``) restricts it. One class check
    comes first and turns away every other character.

    >>> solo_starts([re.compile("[ab][\\x80-\\xff]"), re.compile("[cd]x")])
    '(?<=[cd])'
    >>> solo_starts([re.compile("[ab](?:[\\x80-\\xff]|(?<=[b])|(?<=[x-z][a]))")])
    '(?<=[ba])(?:(?<=[b])|(?<=[x-z][a]))'
    """
    plain: list[str] = []  # first characters that need nothing more
    keys: list[str] = []  # classes that hold the first characters of ``terms``
    terms: list[str] = []  # look-behinds that need more than a class
    for pattern in patterns:
        first = leading_class(pattern.pattern)
        if first is None:
            raise ValueError(f"no leading class: {pattern.pattern[:40]}")
        try:
            items = list(_sre_parse.parse(pattern.pattern, pattern.flags))
        except Exception:  # noqa: BLE001 - cannot analyse: let every start through
            plain.append(first[1:-1])
            continue
        survivors: set[tuple[tuple[str, ...], ...]] = set()
        _walk(items[1:], 1, (), survivors)
        for restriction in sorted(survivors):
            if not restriction:
                plain.append(first[1:-1])
            elif len(restriction) == 1 and len(restriction[0]) == 1 and _is_plain_class(
                    restriction[0][0]):
                plain.append(restriction[0][0][1:-1])
            else:
                key = restriction[0][-1]
                keys.append((key if _is_plain_class(key) else first)[1:-1])
                terms.append("".join(f"(?<={''.join(parts)})" for parts in restriction))
    if not terms:
        return f"(?<=[{''.join(dict.fromkeys(plain))}])" if plain else ""
    every = "".join(dict.fromkeys(plain + keys))
    tests = ([f"(?<=[{''.join(dict.fromkeys(plain))}])"] if plain else []) + list(
        dict.fromkeys(terms))
    return f"(?<=[{every}])(?:{'|'.join(tests)})"


def _is_plain_class(source: str) -> bool:
    """Whether ``source`` is one class that can join a union (not negated)."""
    return (source.startswith("[") and not source.startswith("[^")
            and _class_end(source, 0) == len(source))


def _walk(items: list[Any], offset: int, restriction: tuple[tuple[str, ...], ...],
          survivors: set[tuple[tuple[str, ...], ...]]) -> None:
    """Follow ``items`` from ``offset`` (characters after the first) while every
    character up to ``HORIZON`` is ASCII; record the restriction on the first character
    of each way that gets past the horizon or to the end of the pattern."""
    if offset > HORIZON or not items:
        survivors.add(restriction)
        return
    (op, av), rest = items[0], items[1:]
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
        if _may_be_ascii(op, av):
            _walk(rest, offset + 1, restriction, survivors)
    elif op is _sre.SUBPATTERN:
        _walk(list(av[-1]) + rest, offset, restriction, survivors)
    elif op is _sre.BRANCH:
        for alternative in av[1]:
            _walk(list(alternative) + rest, offset, restriction, survivors)
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or op.name == "POSSESSIVE_REPEAT":
        low, high, body = av
        # Each extra pass either consumes a character or changes nothing: passes past
        # ``low + HORIZON + 1`` cannot reach further than those before.
        for count in range(low, min(high, low + HORIZON + 1) + 1):
            _walk(list(body) * count + rest, offset, restriction, survivors)
    elif op is _sre.ASSERT and av[0] < 0 and offset == 1:
        behind = _characters_source(list(av[1]))
        _walk(rest, offset, restriction + ((behind,) if behind else ()), survivors)
    elif op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        _walk(rest, offset, restriction, survivors)  # zero-width: assume it holds
    else:
        survivors.add(restriction)  # not modelled: assume the worst


def _may_be_ascii(op: Any, av: Any) -> bool:
    if op is _sre.LITERAL:
        return av < 0x80
    if op is not _sre.IN:
        return True
    for kind, value in av:
        if kind is _sre.LITERAL and value < 0x80:
            return True
        if kind is _sre.RANGE and value[0] < 0x80:
            return True
        if kind not in (_sre.LITERAL, _sre.RANGE):
            return True  # a category or a negation: may well hold ASCII
    return False


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


def _characters_source(items: list[Any]) -> tuple[str, ...] | None:
    """Regex sources, one per character, of what a look-behind reads last: its longest
    tail of plain characters and classes (None if its last item is something else)."""
    parts: list[str] = []
    for op, av in reversed(items):
        part = _class_source(op, av)
        if part is None:
            break
        parts.insert(0, part)
    return tuple(parts) or None


def _class_source(op: Any, av: Any) -> str | None:
    if op is _sre.LITERAL:
        return "[" + re.escape(chr(av)) + "]"
    if op is _sre.ANY:
        return "[^\\n]"  # the gate has no DOTALL, nor do the patterns (see combine)
    if op is not _sre.IN:
        return None
    parts = []
    for kind, value in av:
        if kind is _sre.NEGATE:
            parts.insert(0, "^")
        elif kind is _sre.LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is _sre.RANGE:
            parts.append(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
        elif kind is _sre.CATEGORY and getattr(value, "name", None) in _CATEGORIES:
            parts.append(_CATEGORIES[value.name])
        else:
            return None
    return "[" + "".join(parts) + "]" if parts and parts != ["^"] else None
