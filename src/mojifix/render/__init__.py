"""Renderers: turn ``FileResult`` values into what people and machines read.

- ``human``: the diff for people (rich on a terminal, plain text otherwise);
- ``unified``: a plain unified diff of the bytes, for ``git apply`` and ``patch``;
- ``machine``: one JSON document, SARIF 2.1.0, GitHub workflow annotations;
- ``positions``: line/column placement shared by all of them;
- ``visible``: placeholders for control and invisible characters.

Renderers never read files and never repair: they only format values.
"""

from __future__ import annotations

from .human import file_rows, plain_lines, terminal_lines
from .machine import render_github, render_json, render_sarif
from .positions import Change, LineIndex, changes_of
from .unified import unified_diff
from .visible import visible

__all__ = [
    "Change",
    "LineIndex",
    "changes_of",
    "file_rows",
    "plain_lines",
    "render_github",
    "render_json",
    "render_sarif",
    "terminal_lines",
    "unified_diff",
    "visible",
]
