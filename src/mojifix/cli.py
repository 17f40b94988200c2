"""The ``mojifix`` command line: a thin layer over discovery, batch and renderers.

Everything a person reads (per-file lines, warnings, the summary, the progress bar)
goes to stderr; only data goes to stdout: the diff, the repaired text of stdin, or a
machine report. The exit code comes from ``Report.exit_code``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from . import __version__
from .batch import Job, default_jobs, process_data, run_batch
from .discovery import Discovery, Filters, discover
from .options import DEFAULT_OPTIONS
from .render.human import describe, file_rows, plain_lines, terminal_lines
from .render.machine import render_github, render_json, render_sarif
from .render.visible import visible
from .report import (
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    FileResult,
    Mode,
    Report,
    Status,
)

#: Show a progress bar (on a terminal) from this many files on.
PROGRESS_MIN_FILES = 20
#: How many groups of changed lines the diff shows per file before summarising.
MAX_HUNKS = 20
#: The name stdin gets in messages and reports unless --stdin-filename is given.
STDIN_NAME = "<stdin>"

EPILOG = f"""\b
Examples:
  mojifix notes.txt                   show what would be repaired (changes nothing)
  mojifix --explain notes.txt         ... with the chain and confidence of each repair
  mojifix -w docs/                    repair every text file under docs/ in place
  mojifix --check .                   list files that need repair; exit 1 if any
  mojifix --diff src/ | git apply     the same repairs, as a patch
  mojifix --check --format github .   annotations for GitHub Actions
  mojifix --format sarif . > x.sarif  a report for code scanning
  curl -s URL | mojifix > fixed.txt   repair a stream (stdin to stdout)

\b
Exit codes:
  {EXIT_OK}    nothing to repair, or everything was repaired (--write)
  {EXIT_FOUND}    --check found files that need repair
  {EXIT_USAGE}    usage error (bad option, missing path)
  {EXIT_ERROR}  some file could not be processed (the others still were)
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)

\b
Folders are walked recursively; .gitignore is honoured and hidden files and
folders are skipped. Files named on the command line are always processed
(unless --force-exclude). Binary and undecodable files are skipped.
Colour follows --color, NO_COLOR and FORCE_COLOR.
"""


@dataclass(frozen=True)
class Settings:
    """The parsed command line, as one value."""

    mode: Mode
    format: str
    explain: bool
    quiet: bool
    verbose: int
    color: str
    jobs: int
    job: Job
    stdin_name: str


# -- output ---------------------------------------------------------------------------


def _binary_stdout() -> BinaryIO:
    return sys.stdout.buffer


def _binary_stdin() -> BinaryIO:
    return sys.stdin.buffer


def _write_stdout(data: bytes) -> None:
    stream = _binary_stdout()
    stream.write(data)
    stream.flush()


def _make_consoles(color: str) -> tuple[Console | None, Console]:
    """The stdout console for the rich diff (None: write plain text), and stderr's."""
    if color == "never":
        return None, Console(stderr=True, color_system=None, highlight=False, no_color=True)
    if color == "always":
        # The flag beats NO_COLOR (no-color.org allows it).
        def forced(stderr: bool) -> Console:
            return Console(
                stderr=stderr, force_terminal=True, no_color=False, highlight=False,
                color_system="truecolor" if os.environ.get("COLORTERM") else "standard",
            )

        return forced(False), forced(True)
    out = Console(highlight=False)
    return (out if out.is_terminal else None), Console(stderr=True, highlight=False)


class Messages:
    """Human messages on stderr, routed through the progress bar's console when live."""

    def __init__(self, console: Console, settings: Settings) -> None:
        self.console = console
        self.settings = settings

    def line(self, text: str, style: str = "", *, always: bool = False) -> None:
        if self.settings.quiet and not always:
            return
        # Paths and error messages may hold control characters: never echo them raw.
        self.console.print(Text(visible(text, in_change=False), style=style), soft_wrap=True)

    def error(self, text: str) -> None:
        self.line(text, "bold red", always=True)

    def notes(self, result: FileResult) -> None:
        """The ``--explain`` notes of every repair, indented under the file's line."""
        if result.repair is None:
            return
        for row in file_rows(result.repair, explain=True):
            if row.kind == "note":
                self.line("    " + row.pieces[0].text, "dim")


@contextmanager
def _progress(console: Console, total: int, settings: Settings) -> Iterator[Progress | None]:
    show = (
        total >= PROGRESS_MIN_FILES
        and not settings.quiet
        and sys.stderr.isatty()
        and console.is_terminal
    )
    if not show:
        yield None
        return
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        yield progress


# -- per-file output ------------------------------------------------------------------


def _report_file(
    result: FileResult, settings: Settings, out: Console | None, messages: Messages
) -> None:
    """Print what one file's result means in text format."""
    path = result.path
    mode = settings.mode
    if result.status is Status.SKIPPED:
        messages.line(f"skipped {path}: {result.message}", "yellow")
        return
    if result.status is Status.FAILED:
        messages.error(f"error: cannot repair {path}: {result.message}")
        return
    if mode is Mode.DIFF:
        if result.patch:
            _write_stdout(result.patch)
        return
    has_spans = result.repair is not None
    if mode is Mode.SHOW:
        if result.changed or has_spans:
            _show_diff(result, settings, out)
        elif settings.verbose:
            messages.line(f"unchanged {path}", "dim")
        return
    # CHECK and WRITE: one line per file needing repair, notes with --explain.
    if result.changed:
        verb = "repaired" if result.written else "would repair"
        details = describe(result)
        messages.line(f"{verb} {path}" + (f": {details}" if details else ""))
    elif has_spans:
        messages.line(f"uncertain {path}: {describe(result)}", "yellow")
    elif settings.verbose:
        messages.line(f"unchanged {path}", "dim")
    if settings.explain:
        messages.notes(result)


def _show_diff(result: FileResult, settings: Settings, out: Console | None) -> None:
    if result.repair is None:
        rows = []
    else:
        max_hunks = None if settings.verbose else MAX_HUNKS
        rows = file_rows(result.repair, explain=settings.explain, max_hunks=max_hunks)
    if out is None:
        text = "\n".join(plain_lines(result, rows)) + "\n\n"
        _write_stdout(text.encode("utf-8", errors="replace"))
        return
    for line in terminal_lines(result, rows):
        out.print(line, soft_wrap=True)
    out.print()


# -- runs -----------------------------------------------------------------------------


def _run_files(paths: Sequence[Path], filters: Filters, settings: Settings) -> int:
    out, err = _make_consoles(settings.color)
    messages = Messages(err, settings)
    found: Discovery = discover(paths, filters)
    if settings.verbose:
        for skipped in found.skipped:
            messages.line(f"ignored {skipped.path}: {skipped.reason}", "dim")
    report = Report(settings.mode)
    collected: list[FileResult] = []
    machine = settings.format != "text"
    try:
        with _progress(err, len(found.files), settings) as progress:
            label = "repairing" if settings.mode is Mode.WRITE else "checking"
            task = progress.add_task(label, total=len(found.files)) if progress else None
            if progress is not None:
                messages.console = progress.console
            for result in run_batch(found.files, settings.job, jobs=settings.jobs):
                report.add(result)
                if machine:
                    collected.append(result)
                    if result.status is Status.FAILED:
                        messages.error(f"error: cannot repair {result.path}: {result.message}")
                else:
                    _report_file(result, settings, out, messages)
                if progress is not None and task is not None:
                    progress.advance(task)
    except KeyboardInterrupt:
        report.interrupted = True
        messages.error("Interrupted; files already written are complete, the others untouched.")
        return report.exit_code
    if machine:
        _write_machine_report(collected, report, settings)
    if not settings.quiet:
        style = "bold red" if report.failed else ("bold" if report.changed else "")
        messages.line(report.summary(), style)
    return report.exit_code


def _write_machine_report(results: list[FileResult], report: Report, settings: Settings) -> None:
    if settings.format == "json":
        text = render_json(results, report, min_confidence=settings.job.options.min_confidence)
    elif settings.format == "sarif":
        text = render_sarif(results, report)
    else:
        text = render_github(results)
    _write_stdout(text.encode("utf-8"))


def _run_stdin(settings: Settings) -> int:
    _, err = _make_consoles(settings.color)
    messages = Messages(err, settings)
    data = _binary_stdin().read()
    mode = settings.mode
    job = settings.job
    if mode in (Mode.SHOW, Mode.WRITE):
        mode = Mode.FILTER
        job = Job(Mode.FILTER, job.options, job.to_utf8)
    try:
        result, output = process_data(data, settings.stdin_name, job)
    except Exception as error:  # noqa: BLE001 - keep the data flowing, report, exit 123
        result = FileResult(
            settings.stdin_name, Status.FAILED, message=f"{type(error).__name__}: {error}"
        )
        output = data
    report = Report(mode)
    report.add(result)
    name = settings.stdin_name
    if settings.format != "text":
        _write_machine_report([result], report, settings)
    elif mode is Mode.FILTER:
        _write_stdout(output)
    elif mode is Mode.DIFF and result.patch:
        _write_stdout(result.patch)
    if result.status is Status.SKIPPED:
        messages.line(f"skipped {name}: {result.message}", "yellow")
    elif result.status is Status.FAILED:
        messages.error(f"error: cannot repair {name}: {result.message}")
    elif result.changed or result.repair is not None:
        if not result.changed:
            verb = "uncertain"
        else:
            verb = "repaired" if mode is Mode.FILTER else "would repair"
        messages.line(f"{verb} {name}: {describe(result)}")
        if settings.explain:
            messages.notes(result)
    return report.exit_code


# -- the command ----------------------------------------------------------------------


def _choose_mode(write: bool, check: bool, diff: bool) -> Mode:
    chosen = [name for name, on in (("--write", write), ("--check", check), ("--diff", diff)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be combined: pick one mode.")
    if write:
        return Mode.WRITE
    if check:
        return Mode.CHECK
    if diff:
        return Mode.DIFF
    return Mode.SHOW


@click.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.argument(
    "paths",
    nargs=-1,
    type=click.Path(allow_dash=True, path_type=Path),
)
@click.option("-w", "--write", "--in-place", "write", is_flag=True,
              help="Repair files in place (atomically, keeping encoding, BOM, line endings "
              "and permissions).")
@click.option("--check", is_flag=True,
              help="Only list files that need repair; exit 1 if there are any.")
@click.option("--diff", is_flag=True,
              help="Print a unified diff that git apply / patch accept; change nothing.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True,
              help="Report format on stdout: text for people, or json, sarif (code scanning), "
              "github (workflow annotations).")
@click.option("--explain", is_flag=True,
              help="Show the decoding chain and confidence of every repair.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0),
              default=DEFAULT_OPTIONS.min_confidence, show_default=True,
              help="Apply repairs at least this sure; weaker ones are only reported.")
@click.option("--guess/--no-guess", default=True, show_default=True,
              help="Reconstruct characters a lossy decoder dropped (--no-guess: mark them "
              "U+FFFD).")
@click.option("--to-utf8", is_flag=True, help="Write repaired files as UTF-8, whatever their "
              "encoding was (converts clean legacy files too).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Only process walked files matching this gitignore-style glob (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this gitignore-style glob (repeatable).")
@click.option("--force-exclude", is_flag=True,
              help="Apply --include/--exclude and .gitignore to files named on the command "
              "line too (for pre-commit).")
@click.option("--hidden", is_flag=True, help="Also walk hidden files and folders (never .git).")
@click.option("--no-gitignore", is_flag=True, help="Do not honour .gitignore files.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes. [default: all cores]")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the diff and messages.")
@click.option("--stdin-filename", metavar="NAME", default=None,
              help="The name to use for stdin in messages and reports.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the requested data).")
@click.option("-v", "--verbose", count=True,
              help="Also list unchanged and ignored files; show every changed line.")
@click.version_option(__version__, "-V", "--version", prog_name="mojifix")
@click.pass_context
def main(
    ctx: click.Context,
    paths: tuple[Path, ...],
    write: bool,
    check: bool,
    diff: bool,
    output_format: str,
    explain: bool,
    min_confidence: float,
    guess: bool,
    to_utf8: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    force_exclude: bool,
    hidden: bool,
    no_gitignore: bool,
    jobs: int | None,
    color: str,
    stdin_filename: str | None,
    quiet: bool,
    verbose: int,
) -> None:
    """Find and repair mojibake: text decoded with the wrong character encoding.

    PATHS are files and folders; - (or no PATHS with piped input) reads stdin and
    writes the repaired text to stdout. By default mojifix shows what it would
    repair and changes nothing.
    """
    mode = _choose_mode(write, check, diff)
    if mode is Mode.DIFF and output_format != "text":
        raise click.UsageError("--diff prints a patch; it cannot be combined with --format.")
    use_stdin = not paths or paths == (Path("-"),)
    if Path("-") in paths and len(paths) > 1:
        raise click.UsageError("- (stdin) cannot be combined with other paths.")
    if not paths and sys.stdin.isatty():
        click.echo(ctx.get_usage(), err=True)
        click.echo(
            "\nNo PATHS given and stdin is a terminal. Try 'mojifix FILE', "
            "'mojifix -' with piped input, or 'mojifix --help'.",
            err=True,
        )
        ctx.exit(EXIT_USAGE)
    missing = [path for path in paths if path != Path("-") and not os.path.lexists(path)]
    if missing:
        # One line per path, as for every other problem with a file; click's own check
        # would print the usage and a three-line error.
        for path in missing:
            click.echo(f"error: cannot read {_shown(path)}: no such file or folder", err=True)
        ctx.exit(EXIT_USAGE)
    options = DEFAULT_OPTIONS.with_(min_confidence=min_confidence, reconstruct_lost=guess)
    settings = Settings(
        mode=mode,
        format=output_format,
        explain=explain,
        quiet=quiet,
        verbose=verbose,
        color=color,
        jobs=jobs or default_jobs(),
        job=Job(mode, options, to_utf8),
        stdin_name=stdin_filename or STDIN_NAME,
    )
    try:
        if use_stdin:
            code = _run_stdin(settings)
        else:
            filters = Filters(
                include=include,
                exclude=exclude,
                force_exclude=force_exclude,
                hidden=hidden,
                gitignore=not no_gitignore,
            )
            code = _run_files(paths, filters, settings)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (mojifix ... | head): stop quietly, like other filters.
        _silence_stdout()
        code = EXIT_OK
    except Exception:  # noqa: BLE001 - a bug must not look like "mojibake found" (1)
        traceback.print_exc()
        click.echo("error: internal error in mojifix (please report it)", err=True)
        code = EXIT_ERROR
    ctx.exit(code)


def _shown(path: Path) -> str:
    """A path as it may be printed: control characters made visible, never echoed raw."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(path))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
