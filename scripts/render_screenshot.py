"""Render mojifix's terminal diff of the seed file as an SVG picture for the README.

    python scripts/render_screenshot.py [FILE] [--out docs/terminal-diff.svg]

It uses the same code as ``mojifix FILE`` on a terminal (``render.human``), with rich's
SVG export, so the picture shows exactly what users see: removed characters in red,
repairs in green, guessed (reconstructed) characters underlined in yellow, and the
``--explain`` notes for the first lines.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from rich.console import Console

from mojifix.batch import Job, process_file
from mojifix.render.human import file_rows, terminal_lines
from mojifix.report import Mode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_754b26462f8bc4f8.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "terminal-diff.svg")
    parser.add_argument("--hunks", type=int, default=6, help="changed lines to show")
    parser.add_argument("--width", type=int, default=110)
    args = parser.parse_args()

    try:
        shown = args.file.relative_to(ROOT)
    except ValueError:
        shown = args.file
    result = process_file(args.file, Job(Mode.SHOW))
    if result.repair is None:
        raise SystemExit(f"{args.file}: nothing to repair, nothing to show")
    rows = file_rows(result.repair, explain=True, max_hunks=args.hunks)
    result = type(result)(**{**result.__dict__, "path": str(shown)})
    console = Console(
        file=io.StringIO(), record=True, width=args.width, force_terminal=True,
        color_system="truecolor", highlight=False,
    )
    console.print(f"$ mojifix --explain {shown}", style="bold", markup=False)
    for line in terminal_lines(result, rows):
        console.print(line, soft_wrap=False, overflow="fold")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    console.save_svg(str(args.out), title="mojifix")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
