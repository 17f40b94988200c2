"""Renderers: positions, placeholders, the human diff, patches, JSON, SARIF, GitHub."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from mojifix import fix_and_explain
from mojifix.render.human import CONTEXT, file_rows, plain_lines, terminal_lines
from mojifix.render.machine import (
    escape_data,
    escape_property,
    github_annotation,
    json_document,
    render_github,
    sarif_document,
)
from mojifix.render.positions import LineIndex, changes_of
from mojifix.render.unified import unified_diff
from mojifix.render.visible import visible
from mojifix.report import FileResult, Mode, Report, Status
from mojifix.result import Guess, Layer, Repair, RepairedSpan
from mojifix.textio import fix_bytes

TREE = Path(__file__).parent / "fixtures" / "cli" / "tree"
GBK = (Layer("utf-8", "gbk"),)


def synthetic_repair() -> Repair:
    """Three lines: a certain repair, a repair with a guessed character, an unapplied one.

    Built by hand so that the renderers are tested independently of the engines.
    """
    original = "It鈥檚 fine\nhe said 鈥 yes\nmaybe 鈥 not\n"
    text = "It’s fine\nhe said ” yes\nmaybe 鈥 not\n"
    spans = (
        RepairedSpan(2, 4, 2, 4, "鈥檚", "’s", GBK, 0.97),
        RepairedSpan(
            18, 19, 18, 19, "鈥", "”", GBK, 0.8,
            guesses=(Guess(0, "”", 0.8, (("’", 0.15),)),),
        ),
        RepairedSpan(30, 31, 30, 31, "鈥", "—", GBK, 0.3, applied=False),
    )
    assert all(original[s.start : s.end] == s.original for s in spans)
    assert all(text[s.out_start : s.out_end] == s.repaired for s in spans if s.applied)
    return Repair(original, text, spans)


def result_for(repair: Repair, path: str = "docs/a.txt") -> FileResult:
    return FileResult(path, Status.CHANGED, "utf-8", False, "lf", repair)


# -- positions ------------------------------------------------------------------------


def test_line_index_counts_lf_crlf_and_lone_cr() -> None:
    index = LineIndex("a\r\nb\rc\nd")
    assert [index.position(i) for i in (0, 3, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert [index.line_span(line) for line in (1, 2, 3, 4)] == [(0, 1), (3, 4), (5, 6), (7, 8)]


def test_changes_are_placed_in_the_original_text() -> None:
    changes = changes_of(synthetic_repair())
    assert [(c.line, c.column, c.end_line, c.end_column) for c in changes] == [
        (1, 3, 1, 5),
        (2, 9, 2, 10),
        (3, 7, 3, 8),
    ]
    assert [c.applied for c in changes] == [True, True, False]
    assert changes[1].guessed[0].text == "”"
    assert changes[0].rule_id == "mojibake/utf-8-as-gbk"


# -- visible --------------------------------------------------------------------------


def test_control_and_bidi_characters_always_become_placeholders() -> None:
    text = "a\x1b[2Jb\u202ec\x07\x9b"
    shown = visible(text, in_change=False)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\x9b" not in shown  # C1 CSI would also start an escape sequence
    assert shown == "a⟨ESC⟩[2Jb⟨U+202E⟩c⟨U+0007⟩⟨U+009B⟩"


def test_invisible_spacing_is_shown_only_inside_changes() -> None:
    assert visible("a\u00a0b", in_change=False) == "a\u00a0b"
    assert visible("a\u00a0b\ufffd", in_change=True) == "a⟨NBSP⟩b⟨U+FFFD⟩"


# -- the human diff -------------------------------------------------------------------


def test_plain_diff_marks_certain_guessed_and_unapplied_characters() -> None:
    repair = synthetic_repair()
    lines = plain_lines(result_for(repair), file_rows(repair))
    assert lines[0].startswith("docs/a.txt: 2 repairs (utf-8 read as gbk ×2); 1 guessed character")
    assert "1 uncertain, not applied" in lines[0]
    assert lines[1:4] == ["1 - It鈥檚 fine", "1 + It’s fine", "      ^^"]
    assert lines[4:7] == ["2 - he said 鈥 yes", "2 + he said ” yes", " " * 12 + "?"]
    assert lines[7] == "3 ! maybe 鈥 not"
    assert lines[8] == "          ~~"  # the ideograph is two cells wide
    assert "not applied" in lines[9] and "0.30" in lines[9]


def test_explain_lists_chain_confidence_and_alternatives() -> None:
    repair = synthetic_repair()
    notes = [r.pieces[0].text for r in file_rows(repair, explain=True) if r.kind == "note"]
    assert notes[0] == '↳ 1:3 "鈥檚" → "’s"  utf-8 read as gbk, confidence 0.97'
    assert 'guessed "”" (0.80; or "’" 0.15)' in notes[1]
    assert "not applied" in notes[2]


def render_terminal(result: FileResult, rows: list, **console_options: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, highlight=False, **console_options)  # type: ignore[arg-type]
    for line in terminal_lines(result, rows):
        console.print(line, soft_wrap=True)
    return buffer.getvalue()


def test_terminal_diff_styles_guessed_characters_differently() -> None:
    repair = synthetic_repair()
    lines = terminal_lines(result_for(repair), file_rows(repair))
    plus_certain, plus_guessed = lines[2], lines[4]

    def style_of(text: object, char: str) -> str:
        plain = text.plain  # type: ignore[attr-defined]
        at = plain.index(char)
        styles = [str(s.style) for s in text.spans if s.start <= at < s.end]  # type: ignore[attr-defined]
        return " ".join(styles)

    assert "reverse" in style_of(plus_certain, "’") and "underline" not in style_of(plus_certain, "’")
    assert "underline" in style_of(plus_guessed, "”")
    out = render_terminal(result_for(repair), file_rows(repair), force_terminal=True,
                          color_system="standard")
    assert "\x1b[" in out  # styled


def test_terminal_diff_never_echoes_escape_sequences_from_the_input() -> None:
    repair = fix_and_explain("caf\u00c3\u00a9 \x1b]0;pwned\x07 \x1b[31mred\n")
    assert repair.changed
    out = render_terminal(result_for(repair), file_rows(repair), force_terminal=True,
                          color_system="standard")
    assert "\x1b]0;" not in out and "\x1b[31mred" not in out and "\x07" not in out
    console = Console(file=io.StringIO(), width=100, record=True)
    for line in terminal_lines(result_for(repair), file_rows(repair)):
        console.print(line, soft_wrap=True)
    assert "⟨ESC⟩]0;pwned⟨U+0007⟩ ⟨ESC⟩[31mred" in console.export_text(styles=False)


def test_long_lines_are_cut_around_the_change() -> None:
    text = "x" * 1000 + "caf\u00c3\u00a9" + "y" * 1000 + "\n"
    repair = fix_and_explain(text)
    rows = file_rows(repair)
    shown = "".join(p.text for p in rows[0].pieces)
    assert "…" in shown and "caf\u00c3\u00a9" in shown
    assert len(shown) < 2 * CONTEXT + 20


def test_long_files_are_summarised() -> None:
    text = "".join(f"line {i} caf\u00c3\u00a9\n" for i in range(50))
    repair = fix_and_explain(text)
    rows = file_rows(repair, max_hunks=5)
    assert sum(1 for r in rows if r.kind == "-") == 5
    assert rows[-1].kind == "more" and "45 more changed lines" in rows[-1].pieces[0].text
    assert sum(1 for r in file_rows(repair) if r.kind == "-") == 50


# -- unified diff ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["latin.txt", "crlf.txt", "bom.txt", "nonl.txt", "mixed.txt", "gbk.txt"])
def test_unified_diff_applies_with_git_apply_and_patch(name: str, tmp_path: Path) -> None:
    before = (TREE / name).read_bytes()
    after = fix_bytes(before).data
    assert after != before
    patch_bytes = unified_diff(before, after, name)
    for tool in (["git", "apply", "--whitespace=nowarn", "-"], ["patch", "-p1", "--quiet"]):
        work = tmp_path / tool[0]
        work.mkdir()
        (work / name).write_bytes(before)
        assert shutil.which(tool[0]), f"{tool[0]} is needed for this test"
        subprocess.run(tool, cwd=work, input=patch_bytes, check=True, capture_output=True)
        assert (work / name).read_bytes() == after, tool[0]


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff(b"caf\xc3\x83\xc2\xa9", b"caf\xc3\xa9", "f.txt").decode()
    assert diff.count("\\ No newline at end of file") == 2
    assert unified_diff(b"same", b"same", "f.txt") == b""


# -- machine formats ------------------------------------------------------------------


def machine_inputs() -> tuple[list[FileResult], Report]:
    results = [
        result_for(synthetic_repair()),
        FileResult("clean.txt", Status.UNCHANGED, "ascii", False, "lf"),
        FileResult("image.png", Status.SKIPPED, message="binary file"),
        FileResult("bad.txt", Status.FAILED, message="RuntimeError: boom"),
    ]
    report = Report(Mode.CHECK)
    for result in results:
        report.add(result)
    return results, report


def test_json_document_layout() -> None:
    results, report = machine_inputs()
    document = json.loads(json.dumps(json_document(results, report, min_confidence=0.5)))
    assert document["version"] == 1 and document["mode"] == "check"
    assert set(document) == {"version", "tool", "mode", "min_confidence", "files", "summary"}
    first = document["files"][0]
    assert first["status"] == "needs-repair" and first["newline"] == "lf"
    change = first["changes"][0]
    assert set(change) == {
        "line", "column", "end_line", "end_column", "original", "fixed", "chain",
        "explanation", "confidence", "applied", "guessed", "notes",
    }
    assert (change["line"], change["column"], change["end_column"]) == (1, 3, 5)
    assert change["chain"] == [["utf-8", "gbk"]]
    assert first["changes"][1]["guessed"] == [
        {"offset": 0, "text": "”", "confidence": 0.8, "alternatives": [["’", 0.15]]}
    ]
    assert first["changes"][2]["applied"] is False
    assert [f["status"] for f in document["files"]] == ["needs-repair", "unchanged", "skipped", "error"]
    assert document["summary"]["exit_code"] == 123
    assert document["summary"]["uncertain"] == 1


def test_sarif_has_rules_locations_and_fixes() -> None:
    results, report = machine_inputs()
    sarif = sarif_document(results, report)
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["mojibake/utf-8-as-gbk"]
    first, second, third = run["results"]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 3, 5)
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a.txt"
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "’s"
    assert first["level"] == "warning" and third["level"] == "note" and "fixes" not in third
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "bad.txt" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_github_annotations_escape_properties_and_message() -> None:
    assert escape_data("100%\nnext\r") == "100%25%0Anext%0D"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    change = changes_of(synthetic_repair())[0]
    line = github_annotation("dir/we,ird:name.txt", change)
    assert line.startswith("::warning file=dir/we%2Cird%3Aname.txt,line=1,col=3,endColumn=4,")
    assert "title=mojibake (utf-8 read as gbk)::" in line
    assert line.endswith('::"鈥檚" → "’s" (confidence 0.97)')
    results, _ = machine_inputs()
    lines = render_github(results).splitlines()
    assert lines[2].startswith("::notice ")  # not applied
    assert lines[3].startswith("::error file=bad.txt,")


def test_github_annotation_of_a_repair_across_lines_uses_end_line() -> None:
    original = "a\u00c3\n\u00a9b"
    span = RepairedSpan(1, 4, 1, 2, "\u00c3\n\u00a9", "é", (Layer("utf-8", "latin-1"),), 0.6)
    change = changes_of(Repair(original, "aéb", (span,)))[0]
    line = github_annotation("f.txt", change)
    assert "endLine=2" in line and "col=" not in line
    assert "⟨U+000A⟩" in line and "\n" not in line
