"""What happened to each file, and to the whole run: counters, wording, exit code.

The CLI never decides an exit code itself: it feeds every ``FileResult`` to a
``Report`` and ends with ``report.exit_code``. The summary wording ("would be
repaired" or "repaired") lives here too, so that every output format agrees.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .result import Repair

#: Nothing to do, or everything was repaired (``--write``).
EXIT_OK = 0
#: ``--check`` found files that need repair.
EXIT_FOUND = 1
#: The command line was wrong (click's own code for usage errors).
EXIT_USAGE = 2
#: Some file could not be processed because of an internal error. Like black, 123:
#: shells reserve 126 and above, and 1/2 already have a meaning.
EXIT_ERROR = 123
#: Interrupted with Ctrl-C: 128 + SIGINT, what shells report for a killed command.
EXIT_INTERRUPTED = 130


class Mode(enum.Enum):
    """What mojifix does with the files it repairs (exactly one per run)."""

    #: Show what would change (a diff for people), change nothing. The default for files.
    SHOW = "show"
    #: Print a plain unified diff that ``git apply`` and ``patch`` accept.
    DIFF = "diff"
    #: List the files that need repair; exit 1 if there are any.
    CHECK = "check"
    #: Repair files in place, atomically.
    WRITE = "write"
    #: Read stdin, write the repaired bytes to stdout. The default for stdin.
    FILTER = "filter"


class Status(enum.Enum):
    """The outcome for one file."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    SKIPPED = "skipped"
    FAILED = "error"


@dataclass(frozen=True)
class FileResult:
    """What processing one file found, as a value a worker process can return.

    ``repair`` is kept only when it has spans (applied or not), so that a batch of
    clean files sends little back to the parent. ``patch`` holds the unified diff
    bytes in ``--diff`` mode. ``message`` says why a file was skipped or failed (or
    notes a conversion to UTF-8).
    """

    path: str
    status: Status
    encoding: str | None = None
    bom: bool = False
    newline: str | None = None
    repair: Repair | None = None
    patch: bytes | None = None
    message: str | None = None
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.status is Status.CHANGED

    @property
    def uncertain(self) -> int:
        """How many repairs were found but not applied for lack of confidence."""
        return 0 if self.repair is None else len(self.repair.unapplied_spans)


def plural(count: int, word: str) -> str:
    """``plural(1, "file")`` is "1 file"; ``plural(3, "file")`` is "3 files"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass
class Report:
    """Counters for one run; ``exit_code`` and ``summary()`` follow from them.

    >>> report = Report(Mode.CHECK)
    >>> for status in (Status.CHANGED, Status.UNCHANGED, Status.UNCHANGED, Status.SKIPPED):
    ...     report.add(FileResult("x", status))
    >>> report.summary()
    '1 file would be repaired, 2 unchanged, 1 skipped.'
    >>> report.exit_code
    1
    """

    mode: Mode
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    uncertain: int = 0
    interrupted: bool = False

    def add(self, result: FileResult) -> None:
        """Count one file's outcome."""
        if result.status is Status.CHANGED:
            self.changed += 1
        elif result.status is Status.UNCHANGED:
            self.unchanged += 1
        elif result.status is Status.SKIPPED:
            self.skipped += 1
        else:
            self.failed += 1
        self.uncertain += result.uncertain

    @property
    def total(self) -> int:
        return self.changed + self.unchanged + self.skipped + self.failed

    @property
    def exit_code(self) -> int:
        """The process exit code; see the module constants for the meaning of each."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.failed:
            return EXIT_ERROR
        if self.mode is Mode.CHECK and self.changed:
            return EXIT_FOUND
        return EXIT_OK

    def summary(self) -> str:
        """One line for stderr, e.g. "3 files would be repaired, 120 unchanged, 2 skipped."

        >>> r = Report(Mode.WRITE, changed=2, unchanged=1, failed=1, uncertain=3)
        >>> r.summary()
        '2 files repaired, 1 unchanged, 1 error; 3 uncertain repairs not applied.'
        >>> Report(Mode.SHOW).summary()
        'No files to check.'
        """
        if not self.total:
            return "No files to check."
        verb = "repaired" if self.mode in (Mode.WRITE, Mode.FILTER) else "would be repaired"
        parts = []
        if self.changed or not (self.unchanged or self.skipped or self.failed):
            parts.append(f"{plural(self.changed, 'file')} {verb}")
        if self.unchanged:
            noun = "unchanged" if parts else f"{plural(self.unchanged, 'file')} unchanged"
            parts.append(f"{self.unchanged} {noun}" if parts else noun)
        if self.skipped:
            parts.append(f"{self.skipped} skipped" if parts else f"{plural(self.skipped, 'file')} skipped")
        if self.failed:
            parts.append(plural(self.failed, "error"))
        line = ", ".join(parts)
        if self.uncertain:
            line += f"; {plural(self.uncertain, 'uncertain repair')} not applied"
        if self.interrupted:
            line += "; interrupted"
        return line + "."

    def __str__(self) -> str:
        return self.summary()
