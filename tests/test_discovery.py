"""Which files a walk finds: .gitignore, hidden folders, globs, explicit paths, links."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mojifix.discovery import Filters, discover, match_key

TREE = Path(__file__).parent / "fixtures" / "cli" / "tree"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture tree; the current folder is its parent."""
    root = tmp_path / "tree"
    shutil.copytree(TREE, root, symlinks=True)
    monkeypatch.chdir(tmp_path)
    return root


def names(paths: tuple[Path, ...] | list[Path], root: Path) -> list[str]:
    return [Path(os.path.relpath(p, root)).as_posix() for p in paths]


WALKED = [
    "binary.bin",
    "bom.txt",
    "clean.txt",
    "crlf.txt",
    "gbk.txt",
    "latin.txt",
    "mixed.txt",
    "nonl.txt",
    "sub/nested.txt",
    "sub/notes.md",
]


def test_walk_honours_gitignore_nested_gitignore_and_hidden(tree: Path) -> None:
    found = discover([Path("tree")])
    assert names(found.files, tree) == WALKED
    reasons = {Path(os.path.relpath(s.path, tree)).as_posix(): s.reason for s in found.skipped}
    assert reasons["ignored.txt"] == "ignored by .gitignore"
    assert reasons["generated"] == "ignored by .gitignore"
    assert reasons["debug.log"] == "ignored by .gitignore"
    assert reasons["sub/local-only.txt"] == "ignored by .gitignore"
    assert reasons[".hidden"] == "hidden"
    assert reasons[".dotfile.txt"] == "hidden"


def test_paths_keep_the_spelling_given(tree: Path) -> None:
    found = discover([Path("tree") / "sub"])
    assert [p.as_posix() for p in found.files] == ["tree/sub/nested.txt", "tree/sub/notes.md"]


def test_hidden_and_no_gitignore_switches(tree: Path) -> None:
    found = discover([tree], Filters(hidden=True, gitignore=False))
    listed = names(found.files, tree)
    for name in (".dotfile.txt", ".hidden/secret.txt", "ignored.txt", "generated/out.txt",
                 "debug.log", "sub/local-only.txt", ".gitignore", "sub/.gitignore"):
        assert name in listed


def test_vcs_folders_are_never_walked(tree: Path) -> None:
    (tree / ".git").mkdir()
    (tree / ".git" / "COMMIT_EDITMSG").write_text("cafÃ©\n")
    found = discover([tree], Filters(hidden=True))
    assert not any(".git/" in p.as_posix() for p in found.files)


def test_gitignore_of_the_repository_root_applies_to_a_walked_subfolder(tree: Path) -> None:
    (tree / ".git").mkdir()
    (tree / ".gitignore").write_text("notes.md\n")
    found = discover([tree / "sub"])
    assert names(found.files, tree) == ["sub/nested.txt"]


def test_deeper_gitignore_can_re_include(tree: Path) -> None:
    (tree / ".gitignore").write_text("*.txt\n")
    (tree / "sub" / ".gitignore").write_text("!nested.txt\n")
    found = discover([tree])
    assert names(found.files, tree) == ["binary.bin", "debug.log", "sub/nested.txt", "sub/notes.md"]


def test_exclude_and_include_globs(tree: Path) -> None:
    found = discover([Path("tree")], Filters(exclude=("sub/", "*.bin")))
    assert "sub/nested.txt" not in names(found.files, tree)
    assert "binary.bin" not in names(found.files, tree)
    assert "latin.txt" in names(found.files, tree)
    found = discover([Path("tree")], Filters(include=("*.md",)))
    assert names(found.files, tree) == ["sub/notes.md"]
    # Anchored globs are relative to the current folder.
    found = discover([Path("tree")], Filters(exclude=("/tree/sub/notes.md",)))
    assert "sub/notes.md" not in names(found.files, tree)
    assert "sub/nested.txt" in names(found.files, tree)


def test_explicit_files_are_processed_even_when_ignored_hidden_or_excluded(tree: Path) -> None:
    explicit = [Path("tree/ignored.txt"), Path("tree/.hidden/secret.txt"), Path("tree/generated/out.txt")]
    found = discover(explicit, Filters(exclude=("*.txt",)))
    assert list(found.files) == explicit


def test_force_exclude_applies_excludes_and_gitignore_to_explicit_files(tree: Path) -> None:
    explicit = [
        Path("tree/ignored.txt"),
        Path("tree/generated/out.txt"),
        Path("tree/latin.txt"),
        Path("tree/sub/notes.md"),
        Path("tree/crlf.txt"),
    ]
    found = discover(explicit, Filters(exclude=("sub/", "crlf.txt"), force_exclude=True))
    assert list(found.files) == [Path("tree/latin.txt")]
    reasons = {s.path.as_posix(): s.reason for s in found.skipped}
    assert reasons == {
        "tree/ignored.txt": "ignored by .gitignore",
        "tree/generated/out.txt": "ignored by .gitignore",
        "tree/sub/notes.md": "excluded",
        "tree/crlf.txt": "excluded",
    }


def test_force_exclude_applies_include_to_explicit_files(tree: Path) -> None:
    found = discover([Path("tree/latin.txt"), Path("tree/sub/notes.md")],
                     Filters(include=("*.md",), force_exclude=True))
    assert list(found.files) == [Path("tree/sub/notes.md")]


def test_files_and_folders_mixed_in_command_line_order_without_duplicates(tree: Path) -> None:
    found = discover([Path("tree/sub/notes.md"), Path("tree/sub"), Path("tree/sub/notes.md")])
    assert [p.as_posix() for p in found.files] == ["tree/sub/notes.md", "tree/sub/nested.txt"]


def test_symlinks_files_once_folders_not_followed_broken_reported(tree: Path) -> None:
    os.symlink("latin.txt", tree / "link-to-latin.txt")
    os.symlink("sub", tree / "link-to-sub")
    os.symlink("missing.txt", tree / "broken.txt")
    outside = tree.parent / "outside.txt"
    outside.write_text("outside cafÃ©\n")
    os.symlink(outside, tree / "link-outside.txt")
    found = discover([tree])
    listed = names(found.files, tree)
    # latin.txt is reached directly and through the link: listed once (the link sorts first).
    assert listed.count("link-to-latin.txt") + listed.count("latin.txt") == 1
    assert "link-outside.txt" in listed
    assert not any(name.startswith("link-to-sub/") for name in listed)
    reasons = {Path(os.path.relpath(s.path, tree)).as_posix(): s.reason for s in found.skipped}
    assert reasons["broken.txt"] == "broken symbolic link"
    assert reasons["link-to-sub"] == "symbolic link to a folder (not followed)"


def test_match_key_is_posix_and_relative() -> None:
    assert match_key(Path("a") / "b" / "c.txt", is_dir=False) == "a/b/c.txt"
    assert match_key(Path.cwd() / "x" / "y", is_dir=True) == "x/y/"
