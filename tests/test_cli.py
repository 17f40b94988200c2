"""The command line in-process (click's CliRunner): every mode, format and exit code."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import mojifix.batch
import mojifix.pipeline
from mojifix.cli import main
from mojifix.edits import Edit
from mojifix.report import EXIT_ERROR, EXIT_FOUND, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from mojifix.result import Layer

TREE = Path(__file__).parent / "fixtures" / "cli" / "tree"

#: What each fixture must become (the repaired text); files not listed stay unchanged.
REPAIRED = {
    "latin.txt": "Le café est ouvert.\nIt’s fine, isn’t it?\n",
    "crlf.txt": "first line\r\ncafé au lait\r\nlast line\r\n",
    "bom.txt": "naïve résumé\n",
    "nonl.txt": "no final newline: café",
    "mixed.txt": "unix line café\nwindows line café\r\nold mac line café\rend\n",
    "sub/nested.txt": "über nested\n",
    "sub/notes.md": "# Notes\n\nSome ‘quoted’ text.\n",
}
CHINESE = "我们今天去北京参观了故宫和长城，天气很好，大家都很开心。这是一个真正的中文段落，用于测试编码检测。\n"
GBK_REPAIRED = CHINESE + "It’s fine. “The quote.\n" + CHINESE


def invoke(args: list[str], *, exit_code: int = EXIT_OK, input: bytes | str | None = None,
           env: dict[str, str] | None = None) -> Result:
    """Run mojifix in-process; on an unexpected exit code show what it printed."""
    result = CliRunner().invoke(main, args, input=input, env=env, catch_exceptions=False)
    assert result.exit_code == exit_code, (
        f"exit {result.exit_code}, expected {exit_code}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    return result


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture tree at ./tree (the current folder is its parent)."""
    root = tmp_path / "tree"
    shutil.copytree(TREE, root, symlinks=True)
    monkeypatch.chdir(tmp_path)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# -- exit codes and help --------------------------------------------------------------


def test_exit_code_values_are_pinned() -> None:
    assert (EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_ERROR, EXIT_INTERRUPTED) == (0, 1, 2, 123, 130)


def test_help_teaches_examples_and_exit_codes() -> None:
    out = invoke(["--help"]).stdout
    for text in ("--check", "--write", "--diff", "--format", "--min-confidence", "Examples:",
                 "mojifix -w docs/", "Exit codes:", "123", "130", "NO_COLOR"):
        assert text in out
    assert invoke(["--version"]).stdout.startswith("mojifix, version ")


@pytest.mark.parametrize(
    "args",
    [
        ["--write", "--check", "tree"],
        ["--diff", "--check", "tree"],
        ["--diff", "--format", "json", "tree"],
        ["tree/does-not-exist.txt"],
        ["-", "tree/latin.txt"],
        ["--color", "sometimes", "tree"],
        ["--min-confidence", "1.5", "tree"],
        ["--jobs", "0", "tree"],
    ],
)
def test_usage_errors_exit_2(tree: Path, args: list[str]) -> None:
    result = invoke(args, exit_code=EXIT_USAGE)
    assert "Usage:" in result.stderr or "error" in result.stderr.lower()
    assert snapshot(tree) == snapshot(TREE)


# -- default mode: show, change nothing -----------------------------------------------


def test_default_mode_shows_a_diff_and_changes_nothing(tree: Path) -> None:
    before = snapshot(tree)
    result = invoke(["tree"])
    assert snapshot(tree) == before
    out = result.stdout
    assert "tree/latin.txt: 3 repairs" in out
    assert "1 - Le cafÃ© est ouvert.\n1 + Le café est ouvert.\n" in out
    assert "tree/gbk.txt: 2 repairs (utf-8 read as gbk ×2); gbk" in out
    assert "It’s fine. “The quote." in out
    assert "clean.txt" not in out and "ignored.txt" not in out and "secret" not in out
    assert "\x1b[" not in out + result.stderr  # not a terminal: plain
    assert "skipped tree/binary.bin: binary file" in result.stderr
    assert result.stderr.strip().endswith("8 files would be repaired, 1 unchanged, 1 skipped.")


def test_explicit_ignored_and_hidden_files_are_processed(tree: Path) -> None:
    out = invoke(["tree/ignored.txt", "tree/.hidden/secret.txt"]).stdout
    assert "1 + ignored café" in out and "1 + hidden café" in out


def test_explain_shows_chain_and_confidence(tree: Path) -> None:
    out = invoke(["--explain", "tree/gbk.txt"]).stdout
    assert '↳ 2:3 "鈥檚" → "’s"  utf-8 read as gbk, confidence ' in out


def test_verbose_lists_unchanged_and_ignored_files(tree: Path) -> None:
    err = invoke(["-v", "tree"]).stderr
    assert "unchanged tree/clean.txt" in err
    assert "ignored tree/ignored.txt: ignored by .gitignore" in err
    assert "ignored tree/.hidden: hidden" in err


def test_quiet_prints_only_errors(tree: Path) -> None:
    result = invoke(["-q", "--check", "tree"], exit_code=EXIT_FOUND)
    assert result.stderr == "" and result.stdout == ""


def test_include_and_exclude(tree: Path) -> None:
    result = invoke(["--check", "--include", "*.md", "tree"], exit_code=EXIT_FOUND)
    assert "would repair tree/sub/notes.md" in result.stderr
    assert "latin.txt" not in result.stderr
    result = invoke(["--check", "--exclude", "*.txt", "--exclude", "*.md", "tree"])
    assert "would repair" not in result.stderr


def test_force_exclude_for_pre_commit(tree: Path) -> None:
    args = ["--check", "--force-exclude", "--exclude", "latin.txt", "tree/latin.txt", "tree/ignored.txt"]
    result = invoke(args)
    assert "would repair" not in result.stderr
    assert "No files to check." in result.stderr


# -- --check --------------------------------------------------------------------------


def test_check_lists_files_and_exits_1(tree: Path) -> None:
    before = snapshot(tree)
    result = invoke(["--check", "tree"], exit_code=EXIT_FOUND)
    assert snapshot(tree) == before
    assert result.stdout == ""
    for name in [*REPAIRED, "gbk.txt"]:
        assert f"would repair tree/{name}" in result.stderr
    assert "clean.txt" not in result.stderr


def test_check_on_clean_files_exits_0(tree: Path) -> None:
    result = invoke(["--check", "tree/clean.txt", "tree/binary.bin"])
    assert result.stderr.strip().endswith("1 file unchanged, 1 skipped.")


# -- --write --------------------------------------------------------------------------


def test_write_repairs_in_place_keeping_encoding_bom_newlines_and_mode(tree: Path) -> None:
    os.chmod(tree / "crlf.txt", 0o640)
    os.chmod(tree / "latin.txt", 0o755)
    before = snapshot(tree)
    result = invoke(["--write", "tree"])
    after = snapshot(tree)
    assert "repaired tree/latin.txt" in result.stderr
    assert result.stderr.strip().endswith("8 files repaired, 1 unchanged, 1 skipped.")
    for name, text in REPAIRED.items():
        assert after[name] == text.encode("utf-8") or (
            name == "bom.txt" and after[name] == codecs.BOM_UTF8 + text.encode("utf-8")
        ), name
    assert after["bom.txt"].startswith(codecs.BOM_UTF8)
    assert after["gbk.txt"] == GBK_REPAIRED.encode("gbk")
    unchanged = set(before) - set(REPAIRED) - {"gbk.txt"}
    assert {name: after[name] for name in unchanged} == {name: before[name] for name in unchanged}
    assert stat.S_IMODE(os.stat(tree / "crlf.txt").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(tree / "latin.txt").st_mode) == 0o755
    assert not [p for p in tree.rglob("*.tmp")]  # no temporary files left behind
    # Idempotent: nothing left to repair.
    invoke(["--check", "tree"])


def test_write_resolves_symlinks_and_keeps_them(tree: Path) -> None:
    link = tree / "link.txt"
    os.symlink("latin.txt", link)
    invoke(["--write", "tree/link.txt"])
    assert link.is_symlink() and os.readlink(link) == "latin.txt"
    assert (tree / "latin.txt").read_text(encoding="utf-8") == REPAIRED["latin.txt"]


def test_walk_writes_a_file_reached_through_a_link_once(tree: Path) -> None:
    os.symlink("latin.txt", tree / "a-link.txt")
    result = invoke(["--write", "tree"])
    assert result.stderr.count("latin.txt") + result.stderr.count("a-link.txt") == 1
    assert (tree / "a-link.txt").is_symlink()


def test_to_utf8_converts_legacy_files(tree: Path) -> None:
    result = invoke(["--write", "--to-utf8", "tree/gbk.txt"])
    assert "repaired tree/gbk.txt: 2 repairs (utf-8 read as gbk ×2); gbk; converted to UTF-8" in result.stderr
    assert (tree / "gbk.txt").read_bytes() == GBK_REPAIRED.encode("utf-8")


def test_unwritable_file_is_an_error_123_and_the_others_are_still_written(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = mojifix.batch.write_atomic

    def refuse_latin(path: Path, data: bytes, **keywords: object) -> None:
        if path.name == "latin.txt":
            raise PermissionError(13, "Permission denied")
        real(path, data, **keywords)

    monkeypatch.setattr(mojifix.batch, "write_atomic", refuse_latin)
    result = invoke(["--write", "tree"], exit_code=EXIT_ERROR)
    assert "error: cannot repair tree/latin.txt: cannot write: permission denied" in result.stderr
    assert (tree / "latin.txt").read_bytes() == (TREE / "latin.txt").read_bytes()
    assert (tree / "crlf.txt").read_bytes() == REPAIRED["crlf.txt"].encode()


def test_a_file_changed_or_deleted_during_the_run_is_not_overwritten(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program edits latin.txt and deletes bom.txt while mojifix repairs them:
    their repairs are dropped with a one-line error (exit 123), not written over the
    newer content or used to bring a deleted file back; the other files are written."""
    real = mojifix.batch.process_data

    def meanwhile(data: bytes, name: str, job: object) -> tuple[object, bytes]:
        outcome = real(data, name, job)
        path = Path(name)
        if path.name == "latin.txt":
            path.write_bytes(b"edited by someone else\n")
        elif path.name == "bom.txt":
            path.unlink()
        return outcome

    monkeypatch.setattr(mojifix.batch, "process_data", meanwhile)
    result = invoke(["--write", "tree"], exit_code=EXIT_ERROR)
    assert ("error: cannot repair tree/latin.txt: cannot write: changed during the run"
            in result.stderr)
    assert ("error: cannot repair tree/bom.txt: cannot write: disappeared during the run"
            in result.stderr)
    assert (tree / "latin.txt").read_bytes() == b"edited by someone else\n"
    assert not (tree / "bom.txt").exists()
    assert (tree / "crlf.txt").read_bytes() == REPAIRED["crlf.txt"].encode()


# -- --diff ---------------------------------------------------------------------------


def test_diff_is_a_patch_that_git_apply_accepts(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    patch = invoke(["--diff", "tree"]).stdout_bytes
    assert snapshot(tree) == before
    assert patch.startswith(b"--- a/tree/")
    subprocess.run(["git", "apply", "--check", "-"], cwd=tmp_path, input=patch, check=True)
    subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], cwd=tmp_path, input=patch, check=True)
    patched = snapshot(tree)
    expected = tmp_path / "expected"
    shutil.copytree(TREE, expected / "tree", symlinks=True)
    CliRunner().invoke(main, ["--write", str(expected / "tree")], catch_exceptions=False)
    assert patched == snapshot(expected / "tree")


def test_diff_and_patch_dry_run(tree: Path, tmp_path: Path) -> None:
    patch = invoke(["--diff", "tree/crlf.txt", "tree/bom.txt", "tree/nonl.txt"]).stdout_bytes
    assert b"\\ No newline at end of file" in patch
    done = subprocess.run(["patch", "-p1", "--dry-run"], cwd=tmp_path, input=patch,
                          capture_output=True, check=True)
    assert b"checking file tree/crlf.txt" in done.stdout.lower() or b"tree/crlf.txt" in done.stdout


# -- stdin ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "cafÃ© itâ€™s\n".encode(),
        "cafÃ© itâ€™s".encode(),  # no final newline: none added
        "cafÃ©\r\nline two\r\n".encode(),
        codecs.BOM_UTF8 + "naÃ¯ve\n".encode(),
        "It鈥檚 fine\n\n\n".encode(),
    ],
)
def test_stdin_is_repaired_byte_exact_apart_from_repairs(data: bytes) -> None:
    expected = mojifix.batch.fix_bytes(data).data
    assert expected != data
    for args in ([], ["-"]):
        result = invoke(args, input=data)
        assert result.stdout_bytes == expected
        assert "repaired <stdin>:" in result.stderr


def test_stdin_examples() -> None:
    assert invoke([], input="cafÃ© itâ€™s\n").stdout == "café it’s\n"
    assert invoke(["-"], input="It鈥檚 fine").stdout == "It’s fine"
    assert invoke([], input=b"").stdout_bytes == b""


def test_stdin_clean_and_binary_pass_through_unchanged() -> None:
    clean = "“Curly” and 中文\n".encode()
    assert invoke([], input=clean).stdout_bytes == clean
    binary = (TREE / "binary.bin").read_bytes()
    result = invoke([], input=binary)
    assert result.stdout_bytes == binary
    assert "skipped <stdin>: binary file" in result.stderr


def test_stdin_check_diff_and_json() -> None:
    data = "cafÃ©\n".encode()
    result = invoke(["--check", "--stdin-filename", "notes.txt"], input=data, exit_code=EXIT_FOUND)
    assert result.stdout == "" and "would repair notes.txt" in result.stderr
    patch = invoke(["--diff", "--stdin-filename", "notes.txt"], input=data).stdout
    assert patch.startswith("--- a/notes.txt\n+++ b/notes.txt\n") and "+café" in patch
    document = json.loads(invoke(["--format", "json"], input=data).stdout)
    assert document["files"][0]["path"] == "<stdin>"
    assert document["files"][0]["changes"][0]["fixed"] == "é"


def test_stdin_internal_error_keeps_the_data_flowing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mojifix.batch, "fix_bytes", boom)
    result = invoke([], input="cafÃ©\n", exit_code=EXIT_ERROR)
    assert result.stdout == "cafÃ©\n"
    assert "error: cannot repair <stdin>: RuntimeError: boom" in result.stderr


# -- internal errors and Ctrl-C -------------------------------------------------------


def test_internal_error_on_one_file_exits_123_and_others_are_processed(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = mojifix.batch.fix_bytes

    def fail_on_crlf(data: bytes, *args: object, **kwargs: object) -> object:
        if data.startswith(b"first line\r\n"):  # crlf.txt
            raise RuntimeError("simulated bug")
        return real(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mojifix.batch, "fix_bytes", fail_on_crlf)
    result = invoke(["--write", "tree"], exit_code=EXIT_ERROR)
    assert "error: cannot repair tree/crlf.txt: RuntimeError: simulated bug" in result.stderr
    assert (tree / "latin.txt").read_text(encoding="utf-8") == REPAIRED["latin.txt"]
    assert "1 error" in result.stderr


def test_ctrl_c_exits_130_cleanly(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = mojifix.batch.process_file
    calls: list[Path] = []

    def interrupt_on_third(path: Path, job: mojifix.batch.Job) -> object:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, job)

    monkeypatch.setattr(mojifix.batch, "process_file", interrupt_on_third)
    result = invoke(["--write", "tree"], exit_code=EXIT_INTERRUPTED)
    assert "Interrupted" in result.stderr and "Traceback" not in result.stderr
    assert len(calls) == 3


# -- --min-confidence ------------------------------------------------------------------


@pytest.fixture
def unsure_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """An extra engine that proposes one repair ("QQ" → "ok") with confidence 0.6."""
    real_engines = mojifix.pipeline._engines

    def engine(text: str, options: object) -> list[Edit]:
        at = text.find("QQ")
        return [] if at < 0 else [Edit(at, at + 2, "ok", (Layer("utf-8", "test"),), 0.6)]

    monkeypatch.setattr(mojifix.pipeline, "_engines", lambda options: [*real_engines(options), engine])


def test_min_confidence_decides_which_repairs_are_applied(
    unsure_engine: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.txt").write_text("It is QQ — here\n", encoding="utf-8")
    # Above the threshold: reported only, not applied, and --check does not fail on it.
    result = invoke(["--check", "--min-confidence", "0.7", "f.txt"])
    assert "uncertain f.txt: 1 uncertain, not applied" in result.stderr
    assert "1 file unchanged; 1 uncertain repair not applied." in result.stderr
    invoke(["--write", "--min-confidence", "0.7", "f.txt"])
    assert Path("f.txt").read_text(encoding="utf-8") == "It is QQ — here\n"
    document = json.loads(invoke(["--format", "json", "--min-confidence", "0.7", "f.txt"]).stdout)
    change = document["files"][0]["changes"][0]
    assert (change["original"], change["fixed"], change["applied"]) == ("QQ", "ok", False)
    assert document["files"][0]["status"] == "unchanged"
    shown = invoke(["--min-confidence", "0.7", "f.txt"]).stdout
    assert "1 ! It is QQ — here" in shown and "not applied" in shown
    # Below the threshold: applied.
    invoke(["--check", "--min-confidence", "0.5", "f.txt"], exit_code=EXIT_FOUND)
    invoke(["--write", "--min-confidence", "0.5", "f.txt"])
    assert Path("f.txt").read_text(encoding="utf-8") == "It is ok — here\n"


def test_guess_option_reaches_the_repair(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    real = mojifix.batch.fix_bytes

    def spy(data: bytes, options: mojifix.Options, **kwargs: object) -> object:
        seen.append(options)
        return real(data, options, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mojifix.batch, "fix_bytes", spy)
    invoke(["--no-guess", "--min-confidence", "0.25", "tree/latin.txt"])
    assert seen[0].reconstruct_lost is False and seen[0].min_confidence == 0.25


# -- machine formats ------------------------------------------------------------------


def test_json_report_for_the_tree(tree: Path) -> None:
    result = invoke(["--check", "--format", "json", "tree"], exit_code=EXIT_FOUND)
    document = json.loads(result.stdout)
    files = {Path(f["path"]).relative_to("tree").as_posix(): f for f in document["files"]}
    assert files["latin.txt"]["status"] == "needs-repair"
    assert files["clean.txt"]["status"] == "unchanged"
    assert files["binary.bin"]["status"] == "skipped" and files["binary.bin"]["message"] == "binary file"
    assert files["crlf.txt"]["newline"] == "crlf" and files["mixed.txt"]["newline"] == "mixed"
    assert files["bom.txt"]["bom"] is True and files["gbk.txt"]["encoding"] == "gbk"
    change = files["gbk.txt"]["changes"][0]
    assert (change["line"], change["column"], change["end_column"]) == (2, 3, 5)
    assert change["explanation"] == "utf-8 read as gbk"
    assert document["summary"]["changed"] == 8 and document["summary"]["exit_code"] == 1


def test_json_report_after_write_says_repaired(tree: Path) -> None:
    document = json.loads(invoke(["--write", "--format", "json", "tree/latin.txt"]).stdout)
    assert document["files"][0]["status"] == "repaired"


def test_sarif_report(tree: Path) -> None:
    sarif = json.loads(invoke(["--format", "sarif", "tree"]).stdout)
    run = sarif["runs"][0]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"mojibake/utf-8-as-gbk", "mojibake/utf-8-as-cp1252"} <= rule_ids
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "tree/gbk.txt" in uris and "tree/sub/notes.md" in uris


def test_github_annotations(tree: Path) -> None:
    out = invoke(["--check", "--format", "github", "tree/gbk.txt"], exit_code=EXIT_FOUND).stdout
    first, second = out.splitlines()
    assert first.startswith(
        "::warning file=tree/gbk.txt,line=2,col=3,endColumn=4,"
        "title=mojibake (utf-8 read as gbk)::\"鈥檚\" → \"’s\" (confidence "
    )
    assert second.startswith("::warning file=tree/gbk.txt,line=2,col=12,endColumn=13,")


# -- colour ---------------------------------------------------------------------------


def test_color_never_and_auto_off_a_terminal_are_plain(tree: Path) -> None:
    for args in (["--color", "never"], []):
        result = invoke([*args, "tree/latin.txt"])
        assert "\x1b[" not in result.stdout + result.stderr


def test_color_always_styles_the_diff_and_beats_no_color(tree: Path) -> None:
    result = invoke(["--color", "always", "tree/latin.txt"], env={"NO_COLOR": "1"})
    assert "\x1b[" in result.stdout and "\x1b[1;7;32m" in result.stdout


def test_force_color_with_no_color_keeps_bold_and_reverse_without_colours(tree: Path) -> None:
    out = invoke(["tree/latin.txt"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[1;7m" in out  # changed characters still stand out
    assert "\x1b[32m" not in out and "\x1b[31m" not in out and ";32m" not in out


# -- parallel -------------------------------------------------------------------------


def test_parallel_run_gives_the_same_report_in_the_same_order(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for i in range(mojifix.batch.PARALLEL_MIN_FILES + 8):
        body = "clean text\n" if i % 3 else f"file {i} cafÃ©\n"
        (tmp_path / f"f{i:03d}.txt").write_text(body, encoding="utf-8")
    one = invoke(["--check", "--format", "json", "-j", "1", "."], exit_code=EXIT_FOUND).stdout
    two = invoke(["--check", "--format", "json", "-j", "2", "."], exit_code=EXIT_FOUND).stdout
    assert one == two
    paths = [f["path"] for f in json.loads(two)["files"]]
    assert paths == sorted(paths)


# -- integration files ----------------------------------------------------------------

HOOKS = Path(__file__).parent.parent / ".pre-commit-hooks.yaml"


def hook_args() -> dict[str, list[str]]:
    """The ``args`` of each hook in .pre-commit-hooks.yaml (flow lists, one line each)."""
    hooks: dict[str, list[str]] = {}
    current = None
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("- id:"):
            current = stripped.split(":", 1)[1].strip()
        elif stripped.startswith("args:") and current:
            hooks[current] = [a.strip() for a in stripped.split(":", 1)[1].strip(" []").split(",")]
        elif stripped.startswith("entry:"):
            assert stripped == "entry: mojifix"
    return hooks


def test_pre_commit_hooks_run_as_pre_commit_would(tree: Path) -> None:
    hooks = hook_args()
    assert set(hooks) == {"mojifix", "mojifix-check"}
    staged = ["tree/latin.txt", "tree/clean.txt", "tree/ignored.txt"]
    invoke([*hooks["mojifix-check"], *staged], exit_code=EXIT_FOUND)
    result = invoke([*hooks["mojifix"], *staged])
    assert "repaired tree/latin.txt" in result.stderr
    assert "ignored.txt" not in result.stderr  # .gitignore applies under --force-exclude
    assert (tree / "latin.txt").read_text(encoding="utf-8") == REPAIRED["latin.txt"]
    invoke([*hooks["mojifix-check"], *staged])


def test_shell_completion_is_available() -> None:
    result = CliRunner().invoke(
        main, [], prog_name="mojifix",
        env={"_MOJIFIX_COMPLETE": "bash_complete", "COMP_WORDS": "mojifix --for", "COMP_CWORD": "1"},
    )
    assert "plain,--format" in result.stdout and "plain,--force-exclude" in result.stdout


def test_control_characters_in_file_names_are_not_echoed(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("evil\x1b[2J.txt").write_text("cafÃ©\n", encoding="utf-8")
    result = invoke(["--check", "."], exit_code=EXIT_FOUND)
    assert "\x1b" not in result.stderr
    assert "would repair evil⟨ESC⟩[2J.txt" in result.stderr
    shown = invoke(["."]).stdout
    assert "\x1b" not in shown and "evil⟨ESC⟩[2J.txt" in shown


def test_unreadable_and_undecodable_files_are_skipped_with_one_line(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "broken.txt").write_bytes(codecs.BOM_UTF8 + b"\xff\xfe not utf-8 after a UTF-8 BOM\n")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "latin.txt":  # tests run as root, so chmod cannot deny reading
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke(["--check", "tree/latin.txt", "tree/broken.txt", "tree/clean.txt"])
    lines = result.stderr.splitlines()
    assert lines[0] == "skipped tree/latin.txt: permission denied"
    assert lines[1].startswith("skipped tree/broken.txt: not decodable as utf-8")
    assert lines[2] == "1 file unchanged, 2 skipped."


def test_a_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mojifix.cli import main

    result = CliRunner().invoke(main, [str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: cannot read {tmp_path / 'nope.txt'}: no such file or folder"]
    assert "Traceback" not in result.output
