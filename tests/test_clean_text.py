"""Genuine text in many languages and scripts must come out of mojifix unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from mojifix import fix_and_explain, fix_text

CLEAN_DIR = Path(__file__).parent / "fixtures" / "clean"
CLEAN_FILES = sorted(CLEAN_DIR.glob("*.txt"))


def _paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_fixture_covers_at_least_ten_languages() -> None:
    assert len(CLEAN_FILES) >= 10


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.stem)
def test_whole_file_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    repair = fix_and_explain(text)
    assert repair.text == text
    assert repair.applied_spans == ()


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.stem)
def test_each_paragraph_unchanged(path: Path) -> None:
    for paragraph in _paragraphs(path):
        assert fix_text(paragraph) == paragraph


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.stem)
def test_each_line_unchanged_with_crlf(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert fix_text(text) == text
