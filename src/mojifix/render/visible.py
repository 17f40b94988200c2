"""Make text safe and honest to show on a terminal or in a CI log.

Two dangers when echoing a file's text: control characters (``ESC`` starts terminal
escape sequences that can recolour, move the cursor or retitle the window; bidi
controls reorder what is shown, as in "Trojan Source") and invisible characters that
*are* the damage (mojibake is often a no-break space, a C1 control, U+FEFF or U+FFFD).
Control and format characters are always shown as a placeholder such as ``⟨ESC⟩``;
invisible spacing and U+FFFD are shown as placeholders inside changed spans only, so
that unchanged text reads naturally.
"""

from __future__ import annotations

import unicodedata

#: Short names for the placeholders people meet most often.
_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\u00a0": "NBSP",
    "\u00ad": "SHY",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u2060": "WJ",
    "\ufeff": "BOM",
    "\ufffd": "U+FFFD",
}

#: Categories never written to the terminal as they are (controls, format characters,
#: line/paragraph separators, surrogates left by undecodable bytes). Tab is allowed.
_ALWAYS_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def placeholder(char: str) -> str:
    """How an invisible or unsafe character is shown.

    >>> placeholder("\\x1b"), placeholder("\\u00a0"), placeholder("\\x85")
    ('⟨ESC⟩', '⟨NBSP⟩', '⟨U+0085⟩')
    """
    return "⟨" + _NAMES.get(char, f"U+{ord(char):04X}") + "⟩"


def needs_placeholder(char: str, *, in_change: bool) -> bool:
    """True when ``char`` must not be printed as is.

    >>> needs_placeholder("\\x1b", in_change=False), needs_placeholder("\\u00a0", in_change=False)
    (True, False)
    >>> needs_placeholder("\\u00a0", in_change=True), needs_placeholder("\\t", in_change=True)
    (True, False)
    """
    if char == "\t" or (" " <= char <= "~"):
        return False
    category = unicodedata.category(char)
    if category in _ALWAYS_HIDDEN:
        return True
    return in_change and (category == "Zs" or char == "\ufffd")


def visible_segments(text: str, *, in_change: bool) -> list[tuple[str, bool]]:
    """Split ``text`` into (text, is_placeholder) pieces that are safe to print.

    >>> visible_segments("a\\x1b[31mb", in_change=False)
    [('a', False), ('⟨ESC⟩', True), ('[31mb', False)]
    """
    segments: list[tuple[str, bool]] = []
    plain_start = 0
    for i, char in enumerate(text):
        if needs_placeholder(char, in_change=in_change):
            if plain_start < i:
                segments.append((text[plain_start:i], False))
            segments.append((placeholder(char), True))
            plain_start = i + 1
    if plain_start < len(text):
        segments.append((text[plain_start:], False))
    return segments


def visible(text: str, *, in_change: bool = True) -> str:
    """``text`` with every unsafe (and, in a change, invisible) character replaced.

    >>> visible("caf\\u00e9\\u00a0\\x9d")
    'café⟨NBSP⟩⟨U+009D⟩'
    """
    return "".join(piece for piece, _ in visible_segments(text, in_change=in_change))
