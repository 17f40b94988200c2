"""The installed command as a real process: console script, terminals, kills, Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mojifix.report import EXIT_FOUND, EXIT_INTERRUPTED, EXIT_USAGE

TREE = Path(__file__).parent / "fixtures" / "cli" / "tree"
#: A guard against hangs only; no test asserts how long anything takes.
HANG_GUARD = 120


def console_script() -> str:
    """The ``mojifix`` executable installed next to this Python."""
    script = Path(sys.executable).parent / "mojifix"
    assert script.exists(), f"install the package first: {script} not found"
    return str(script)


def test_console_script_runs_on_files_and_stdin(tmp_path: Path) -> None:
    shutil.copytree(TREE, tmp_path / "tree")
    done = subprocess.run(
        [console_script(), "--check", "tree"], cwd=tmp_path, capture_output=True, timeout=HANG_GUARD
    )
    assert done.returncode == EXIT_FOUND
    assert b"would repair tree/latin.txt" in done.stderr
    done = subprocess.run(
        [console_script()], input="cafÃ© itâ€™s".encode(), capture_output=True, timeout=HANG_GUARD
    )
    assert done.returncode == 0 and done.stdout == "café it’s".encode()


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mojifix", "--version"], capture_output=True, timeout=HANG_GUARD
    )
    assert done.returncode == 0 and done.stdout.startswith(b"mojifix, version")


def test_no_arguments_on_a_terminal_prints_usage_instead_of_waiting() -> None:
    main_fd, child_fd = pty.openpty()
    try:
        process = subprocess.Popen(
            [console_script()], stdin=child_fd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        _, err = process.communicate(timeout=HANG_GUARD)
    finally:
        os.close(child_fd)
        os.close(main_fd)
    assert process.returncode == EXIT_USAGE
    assert b"Usage: mojifix" in err and b"stdin is a terminal" in err


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"f{i:02d}.txt").write_text("clean\n", encoding="utf-8")
    piped = subprocess.run([console_script(), "--check", "-j", "1", str(tmp_path)],
                           capture_output=True, timeout=HANG_GUARD)
    assert piped.stderr == b"30 files unchanged.\n"  # no bar, no escape codes
    main_fd, child_fd = pty.openpty()
    try:
        process = subprocess.Popen(
            [console_script(), "--check", "-j", "1", str(tmp_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child_fd,
        )
        os.close(child_fd)
        seen = b""
        while True:
            ready, _, _ = select.select([main_fd], [], [], HANG_GUARD)
            if not ready:
                break
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            seen += chunk
        process.wait(timeout=HANG_GUARD)
    finally:
        os.close(main_fd)
    assert process.returncode == 0
    assert b"30 files unchanged." in seen
    assert b"checking" in seen  # the bar's label was drawn on the terminal


def make_many_files(folder: Path, count: int) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    """``count`` files with some mojibake each, and what each must become."""
    folder.mkdir()
    originals, expected = {}, {}
    body = "".join(f"line {n}: plain text that needs nothing\n" for n in range(100))
    for i in range(count):
        path = folder / f"f{i:04d}.txt"
        originals[path] = f"file {i}: cafÃ© itâ€™s\n{body}".encode()
        expected[path] = f"file {i}: café it’s\n{body}".encode()
        path.write_bytes(originals[path])
    return originals, expected


def wait_until_changed(path: Path, data: bytes, process: subprocess.Popen[bytes]) -> None:
    """Poll until mojifix has replaced ``path`` (or has ended)."""
    while path.read_bytes() == data:
        if process.poll() is not None:
            pytest.fail(f"mojifix ended ({process.returncode}) before the first file was written")
        os.sched_yield()


def test_killing_a_write_run_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    originals, expected = make_many_files(tmp_path / "many", 200)
    process = subprocess.Popen([console_script(), "--write", "-q", "-j", "1", str(tmp_path / "many")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = min(originals)
    wait_until_changed(first, originals[first], process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=HANG_GUARD)
    assert process.returncode == -signal.SIGKILL
    states = {"old": 0, "new": 0}
    for path, data in originals.items():
        content = path.read_bytes()
        assert content in (data, expected[path]), f"{path.name} is partial"
        states["old" if content == data else "new"] += 1
    assert states["new"] >= 1 and states["old"] >= 1, states  # killed midway
    # A later run finishes the job; stray temporary files are hidden and not walked.
    done = subprocess.run([console_script(), "--write", "-q", str(tmp_path / "many")],
                          capture_output=True, timeout=HANG_GUARD)
    assert done.returncode == 0
    assert all(path.read_bytes() == expected[path] for path in originals)


def test_ctrl_c_stops_cleanly_with_130(tmp_path: Path) -> None:
    originals, _ = make_many_files(tmp_path / "many", 2000)  # not all done before the signal, even on a loaded machine
    process = subprocess.Popen([console_script(), "--write", "-j", "1", str(tmp_path / "many")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    first = min(originals)
    wait_until_changed(first, originals[first], process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == EXIT_INTERRUPTED
    assert b"Interrupted" in err and b"Traceback" not in err
    assert not list((tmp_path / "many").glob(".*.tmp"))  # nothing half-written left
