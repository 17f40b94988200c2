"""A plain unified diff of a file's bytes, that ``git apply`` and ``patch`` accept.

The diff is computed on the *bytes* before and after the repair, split after each
``\\n`` (as git and patch split lines), so that it is exact whatever the file's
encoding, byte-order mark or line endings: a CRLF line keeps its ``\\r``, a missing
final newline gets git's ``\\ No newline at end of file`` marker. Files in UTF-16 or
UTF-32 are not line-oriented bytes; for them the diff is made from the text and
written in UTF-8 (for people: no tool applies a patch to such files anyway).
"""

from __future__ import annotations

import codecs
import difflib
import os
import re

_LINE_RE = re.compile(rb"[^\n]*\n|[^\n]+")
_NO_NEWLINE = b"\\ No newline at end of file\n"


def split_lines(data: bytes) -> list[bytes]:
    r"""Split after every ``\n`` and keep the endings.

    >>> split_lines(b"a\r\nb\nc")
    [b'a\r\n', b'b\n', b'c']
    """
    return _LINE_RE.findall(data)


def is_line_oriented(encoding: str | None) -> bool:
    """True when a byte ``\\n`` is a line break in ``encoding`` (not UTF-16/32).

    >>> is_line_oriented("gbk"), is_line_oriented("UTF_16_LE"), is_line_oriented(None)
    (True, False, True)
    """
    if encoding is None:
        return True
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return True
    return not name.startswith(("utf-16", "utf-32"))


def unified_diff_lines(
    before: list[bytes], after: list[bytes], label: str, *, context: int = 3
) -> bytes:
    """Diff two lists of byte lines; headers are ``--- a/LABEL`` and ``+++ b/LABEL``."""
    name = os.fsencode(label.replace(os.sep, "/").lstrip("/"))
    out: list[bytes] = []
    for line in difflib.diff_bytes(
        difflib.unified_diff,
        before,
        after,
        fromfile=b"a/" + name,
        tofile=b"b/" + name,
        n=context,
        lineterm=b"\n",
    ):
        out.append(line)
        if not line.endswith(b"\n"):
            out.append(b"\n" + _NO_NEWLINE)
    return b"".join(out)


def unified_diff(
    before: bytes,
    after: bytes,
    label: str,
    *,
    encoding: str | None = None,
    after_encoding: str | None = None,
    context: int = 3,
) -> bytes:
    r"""A unified diff from ``before`` to ``after`` (empty when they are equal).

    >>> print(unified_diff(b"x\ncaf\xc3\x83\xc2\xa9", b"x\ncaf\xc3\xa9", "f.txt").decode())
    --- a/f.txt
    +++ b/f.txt
    @@ -1,2 +1,2 @@
     x
    -cafÃ©
    \ No newline at end of file
    +café
    \ No newline at end of file
    <BLANKLINE>
    """
    if before == after:
        return b""
    after_encoding = after_encoding or encoding
    if not (is_line_oriented(encoding) and is_line_oriented(after_encoding)):
        old = before.decode(encoding or "utf-8", errors="replace").splitlines(keepends=True)
        new = after.decode(after_encoding or "utf-8", errors="replace").splitlines(keepends=True)
        return unified_diff_lines(
            [line.encode("utf-8") for line in old],
            [line.encode("utf-8") for line in new],
            label,
            context=context,
        )
    return unified_diff_lines(split_lines(before), split_lines(after), label, context=context)
