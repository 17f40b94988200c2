"""Process many files on all cores: workers return values, only the parent prints.

``process_file`` does everything for one file (read, decode, repair, encode, write
or diff) and returns a ``FileResult``; it never prints, so it can run in a worker
process. ``run_batch`` yields the results *in the order of the input paths*, whether
it runs in-process (small batches, ``jobs=1``) or on a process pool, so the output
of a run never depends on scheduling.

Ctrl-C: workers ignore SIGINT; the parent cancels what has not started and waits
for the files in progress, whose writes are atomic, then re-raises.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path

from .options import DEFAULT_OPTIONS, Options
from .render.unified import unified_diff
from .report import FileResult, Mode, Status
from .stream import is_streamable, repair_large_file
from .textio import (
    BinaryInputError,
    UndecodableInputError,
    UnrepresentableRepairError,
    file_version,
    fix_bytes,
    write_atomic,
)

#: Below this many files a process pool costs more than it saves (start-up and
#: import time of the workers against a few milliseconds per clean file).
PARALLEL_MIN_FILES = 32


@dataclass(frozen=True)
class Job:
    """What to do with every file of a run."""

    mode: Mode = Mode.SHOW
    options: Options = DEFAULT_OPTIONS
    to_utf8: bool = False


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def detect_newline(text: str) -> str | None:
    r"""Name the line endings of ``text``: lf, crlf, cr, mixed, or None without any.

    >>> detect_newline("a\r\nb\r\n"), detect_newline("a\nb\r\n"), detect_newline("a")
    ('crlf', 'mixed', None)
    """
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [name for name, count in (("lf", lf), ("crlf", crlf), ("cr", cr)) if count]
    if not kinds:
        return None
    return kinds[0] if len(kinds) == 1 else "mixed"


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return (error.strerror or str(error)).lower()


def process_data(data: bytes, name: str, job: Job) -> tuple[FileResult, bytes]:
    """Repair ``data`` (the content of ``name``); return the result and the output bytes.

    The output is ``data`` itself whenever nothing is to be written (binary,
    undecodable, clean, or a repair the encoding cannot store), so a filter never
    loses input.
    """
    try:
        fixed = fix_bytes(data, job.options, to_utf8=job.to_utf8)
    except BinaryInputError:
        return FileResult(name, Status.SKIPPED, message="binary file"), data
    except UndecodableInputError as error:
        return FileResult(name, Status.SKIPPED, message=str(error)), data
    except UnrepresentableRepairError as error:
        message = f"{error}; use --to-utf8 to convert the file"
        return FileResult(name, Status.SKIPPED, encoding=error.encoding, message=message), data
    decoded, repair = fixed.decoded, fixed.repair
    patch = None
    if job.mode is Mode.DIFF and fixed.changed:
        patch = unified_diff(
            data,
            fixed.data,
            name,
            encoding=decoded.encoding,
            after_encoding="utf-8" if job.to_utf8 else decoded.encoding,
        )
    converted = job.to_utf8 and fixed.changed and decoded.encoding not in ("utf-8", "ascii")
    result = FileResult(
        path=name,
        status=Status.CHANGED if fixed.changed else Status.UNCHANGED,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        newline=detect_newline(decoded.text),
        repair=repair if repair.spans else None,
        patch=patch,
        message="converted to UTF-8" if converted else None,
    )
    return result, fixed.data


def process_file(path: Path, job: Job) -> FileResult:
    """Read, repair and (in ``Mode.WRITE``) rewrite one file. Never raises for a file:
    problems become a skipped or failed ``FileResult``."""
    name = str(path)
    try:
        try:
            if job.mode in (Mode.CHECK, Mode.WRITE) and not job.to_utf8:
                if is_streamable(path, path.stat().st_size):
                    return _process_large_file(path, job)
            # Stamped before reading: should the file change before the repair is
            # written, the write is refused instead of overwriting the newer content.
            version = file_version(path)
            data = path.read_bytes()
        except OSError as error:
            return FileResult(name, Status.SKIPPED, message=_os_reason(error))
        except BinaryInputError:
            return FileResult(name, Status.SKIPPED, message="binary file")
        except UndecodableInputError as error:
            return FileResult(name, Status.SKIPPED, message=str(error))
        result, output = process_data(data, name, job)
        if job.mode is Mode.WRITE and result.changed:
            try:
                write_atomic(path, output, expected=version)
            except OSError as error:
                return replace(
                    result, status=Status.FAILED, message=f"cannot write: {_os_reason(error)}"
                )
            return replace(result, written=True)
        return result
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return FileResult(name, Status.FAILED, message=f"{type(error).__name__}: {error}")


def _process_large_file(path: Path, job: Job) -> FileResult:
    """Check or repair a large UTF-8 file by streaming it (bounded memory, no spans kept)."""
    large = repair_large_file(path, job.options, write=job.mode is Mode.WRITE)
    changed = large.summary.changed
    return FileResult(
        str(path),
        Status.CHANGED if changed else Status.UNCHANGED,
        encoding=large.encoding,
        bom=bool(large.bom),
        message=f"streamed: {large.summary.repairs} repairs" if changed else None,
        written=changed and job.mode is Mode.WRITE,
    )


def _ignore_sigint() -> None:
    # Only the parent reacts to Ctrl-C; a worker finishes the file it is on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> multiprocessing.context.BaseContext:
    """A clean start method: fork-server on POSIX (workers fork from a process that has
    already imported mojifix, and no threads of the parent are copied), spawn elsewhere."""
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mojifix.batch"])
        return context
    return multiprocessing.get_context("spawn")


def run_batch(paths: Sequence[Path], job: Job, *, jobs: int = 1) -> Iterator[FileResult]:
    """Process ``paths`` and yield one result per path, in the same order."""
    if jobs <= 1 or len(paths) < PARALLEL_MIN_FILES:
        for path in paths:
            yield process_file(path, job)
        return
    workers = min(jobs, len(paths))
    # Small chunks keep the order-preserving map flowing and Ctrl-C prompt.
    chunksize = max(1, min(16, len(paths) // (workers * 8)))
    pool = ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_ignore_sigint)
    done = 0
    try:
        for result in pool.map(process_file, paths, repeat(job), chunksize=chunksize):
            done += 1
            yield result
    except BrokenProcessPool as error:
        # A worker died (killed, out of memory): report the rest rather than crash.
        reason = f"worker process died: {error}"
        for path in paths[done:]:
            yield FileResult(str(path), Status.FAILED, message=reason)
    finally:
        # Normal end, Ctrl-C or an abandoned iterator: drop what has not started, wait
        # for the files being processed (their writes are atomic), free the workers.
        pool.shutdown(wait=True, cancel_futures=True)
