"""The ``mojifix`` command line (minimal: show a diff for files, filter stdin)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from .pipeline import fix_text

EXIT_OK = 0
EXIT_USAGE = 2


def _repair_stream() -> None:
    data = sys.stdin.buffer.read()
    text = data.decode("utf-8", errors="surrogateescape")
    sys.stdout.buffer.write(fix_text(text).encode("utf-8", errors="surrogateescape"))
    sys.stdout.buffer.flush()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
def main(paths: tuple[Path, ...]) -> None:
    """Find and repair mojibake in FILES, or in stdin when given - or a pipe."""
    if not paths or paths == (Path("-"),):
        if sys.stdin.isatty() and not paths:
            click.echo(click.get_current_context().get_usage(), err=True)
            sys.exit(EXIT_USAGE)
        _repair_stream()
        return
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        except OSError as error:
            click.echo(f"error: cannot read {path}: {error.strerror}", err=True)
            sys.exit(EXIT_USAGE)
        fixed = fix_text(text)
        diff = difflib.unified_diff(
            text.splitlines(keepends=True), fixed.splitlines(keepends=True),
            f"a/{path}", f"b/{path}",
        )
        for line in diff:
            click.echo(line, nl=not line.endswith("\n"))
