"""Which files to look at: walk directories the way a developer expects.

The rules, in the order they are applied:

- Paths named on the command line are always processed, whatever their name, unless
  ``force_exclude`` is set (then ``--include``/``--exclude`` and ``.gitignore`` apply to
  them too, which is what pre-commit needs: it passes every staged file by name).
- Directories are walked recursively in sorted order. Version-control folders (``.git``,
  ``.hg``, ``.svn``...) are never entered; other hidden files and folders (name starts
  with a dot) are skipped unless ``hidden`` is set.
- ``.gitignore`` files are honoured like git does: the ones from the repository root
  down to the walked folder, nested ones found on the way, and ``.git/info/exclude``.
  A deeper file overrides a shallower one (``!pattern`` can re-include).
- ``--exclude`` and ``--include`` are gitignore-style globs (through pathspec, not
  hand-written matching) tested against the path relative to the current directory
  in POSIX form, folders with a trailing ``/``. A pattern without a slash matches at
  any depth (``*.min.js``, ``build/``).
- Symbolic links to folders are not followed (no loops); links to files are processed
  once: a file reached twice (through a link and directly) is listed once.

Discovery only decides *which* paths; reading them (binary? decodable?) is the job
of the batch runner.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pathspec import GitIgnoreSpec

#: Folders of version-control systems: never walked, even with ``hidden``.
VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".pijul"})


@dataclass(frozen=True)
class Filters:
    """How to filter the files found by walking folders.

    >>> Filters(exclude=("*.min.js",)).is_excluded(Path("web/app.min.js"), is_dir=False)
    True
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    hidden: bool = False
    gitignore: bool = True
    _include_spec: GitIgnoreSpec | None = field(default=None, init=False, repr=False, compare=False)
    _exclude_spec: GitIgnoreSpec | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compile once; the walk asks about every file.
        if self.include:
            object.__setattr__(self, "_include_spec", GitIgnoreSpec.from_lines(self.include))
        if self.exclude:
            object.__setattr__(self, "_exclude_spec", GitIgnoreSpec.from_lines(self.exclude))

    def is_excluded(self, path: Path, *, is_dir: bool) -> bool:
        """True when ``--exclude`` matches the path (a folder matches with a trailing /)."""
        spec = self._exclude_spec
        return spec is not None and spec.match_file(match_key(path, is_dir=is_dir))

    def is_excluded_with_folders(self, path: Path) -> bool:
        """True when ``--exclude`` matches the file or one of the folders on its path."""
        spec = self._exclude_spec
        if spec is None:
            return False
        key = match_key(path, is_dir=False)
        parts = key.split("/")
        folders = ("/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1))
        return spec.match_file(key) or any(spec.match_file(folder) for folder in folders)

    def is_included(self, path: Path) -> bool:
        """True when there is no ``--include`` or one of its globs matches the file."""
        spec = self._include_spec
        return spec is None or spec.match_file(match_key(path, is_dir=False))


@dataclass(frozen=True)
class Skipped:
    """A path discovery left out, and why (listed with ``--verbose``)."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Discovery:
    """The files to process, in a deterministic order, and the paths left out."""

    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...] = ()


def match_key(path: Path, *, is_dir: bool) -> str:
    """The string globs are matched against: POSIX, relative to the current folder.

    >>> match_key(Path("src") / "a.txt", is_dir=False)
    'src/a.txt'
    >>> match_key(Path("build"), is_dir=True)
    'build/'
    """
    text = os.path.normpath(path)
    if os.path.isabs(text):
        try:
            relative = os.path.relpath(text)
        except ValueError:  # another drive on Windows
            relative = text
        if not relative.startswith(".."):
            text = relative
    key = Path(text).as_posix().lstrip("/")
    if key == ".":
        key = ""
    return key + "/" if is_dir and key else key


class _IgnoreStack:
    """The .gitignore files that apply to one folder, deepest last."""

    def __init__(self, specs: tuple[tuple[Path, GitIgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    def with_file(self, base: Path, ignore_file: Path) -> _IgnoreStack:
        spec = _read_ignore_file(ignore_file)
        if spec is None:
            return self
        return _IgnoreStack(self.specs + ((base, spec),))

    def is_ignored(self, path: Path, *, is_dir: bool) -> bool:
        # A deeper .gitignore overrides a shallower one; the first decisive match wins.
        for base, spec in reversed(self.specs):
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                return bool(result.include)
        return False


def _read_ignore_file(path: Path) -> GitIgnoreSpec | None:
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    return GitIgnoreSpec.from_lines(text.splitlines())


def find_repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` that holds a ``.git`` entry."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _ignores_for(folder: Path) -> _IgnoreStack:
    """The ignore files that apply to ``folder``: from the repository root down to it.

    Outside a repository, the ignore files from the current folder down apply (or
    only the folder's own, when it is not under the current folder).
    """
    resolved = folder.resolve()
    root = find_repository_root(resolved)
    stack = _IgnoreStack()
    if root is not None:
        stack = stack.with_file(root, root / ".git" / "info" / "exclude")
    else:
        here = Path.cwd().resolve()
        root = here if (resolved == here or here in resolved.parents) else resolved
    chain = [resolved, *resolved.parents]
    for ancestor in reversed(chain[: chain.index(root) + 1]):
        stack = stack.with_file(ancestor, ancestor / ".gitignore")
    return stack


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


class _Walker:
    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self.skipped: list[Skipped] = []

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(path, reason))

    def walk(self, top: Path) -> Iterator[Path]:
        if self.filters.gitignore:
            # The top folder's own .gitignore is part of what _ignores_for loads.
            yield from self._walk(top, top.resolve(), _ignores_for(top), load_local=False)
        else:
            yield from self._walk(top, top.resolve(), _IgnoreStack(), load_local=False)

    def _walk(
        self, folder: Path, resolved: Path, ignores: _IgnoreStack, *, load_local: bool = True
    ) -> Iterator[Path]:
        filters = self.filters
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            self.skip(folder, _describe_os_error(error))
            return
        if load_local and filters.gitignore and any(e.name == ".gitignore" for e in entries):
            ignores = ignores.with_file(resolved, resolved / ".gitignore")
        for entry in entries:
            path = folder / entry.name
            real = resolved / entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file()  # follows links
            except OSError as error:
                self.skip(path, _describe_os_error(error))
                continue
            if entry.name in VCS_DIRS:
                continue
            if _is_hidden(entry.name) and not filters.hidden:
                self.skip(path, "hidden")
                continue
            if filters.gitignore and ignores.is_ignored(real, is_dir=is_dir):
                self.skip(path, "ignored by .gitignore")
                continue
            if filters.is_excluded(path, is_dir=is_dir):
                self.skip(path, "excluded")
                continue
            if is_dir:
                yield from self._walk(path, real, ignores)
            elif is_link and not is_file:
                if os.path.isdir(path):
                    self.skip(path, "symbolic link to a folder (not followed)")
                else:
                    self.skip(path, "broken symbolic link")
            elif is_file:
                if filters.is_included(path):
                    yield path
                else:
                    self.skip(path, "not included")
            else:
                self.skip(path, "not a regular file")


def _describe_os_error(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _explicit_file_allowed(path: Path, filters: Filters) -> str | None:
    """Why a file named on the command line is left out under ``force_exclude``, or None."""
    if not filters.force_exclude:
        return None
    if filters.is_excluded_with_folders(path):
        return "excluded"
    if not filters.is_included(path):
        return "not included"
    if filters.gitignore and _is_ignored_with_folders(path.absolute()):
        return "ignored by .gitignore"
    return None


def _is_ignored_with_folders(path: Path) -> bool:
    """True when git would ignore ``path``, itself or through an ignored folder above it."""
    folder = Path(os.path.realpath(path.parent))
    path = folder / path.name
    ignores = _ignores_for(folder)
    if not ignores.specs:
        return False
    top = ignores.specs[0][0]
    folders = [p for p in path.parents if p != top and top in p.parents]
    return ignores.is_ignored(path, is_dir=False) or any(
        ignores.is_ignored(p, is_dir=True) for p in folders
    )


def discover(paths: Sequence[Path], filters: Filters = Filters()) -> Discovery:
    """List the files to process for ``paths`` (files and folders, mixed).

    Files come in command-line order, each folder's files sorted by path; a file
    reached twice (named twice, or through a symbolic link) is listed once.
    """
    walker = _Walker(filters)
    seen: set[str] = set()
    files: list[Path] = []

    def add(candidates: Iterable[Path]) -> None:
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key in seen:
                continue
            seen.add(key)
            files.append(candidate)

    for path in paths:
        if path.is_dir():
            add(walker.walk(path))
            continue
        reason = _explicit_file_allowed(path, filters)
        if reason is not None:
            walker.skip(path, reason)
            continue
        add([path])
    return Discovery(tuple(files), tuple(walker.skipped))
