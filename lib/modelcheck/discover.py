"""Model files in an unpacked source tree.

The walk uses os.scandir and never follows a symbolic link: a link whose
target resolves outside the root is reported as escaping, one inside is left
to the walk that reaches its target (so each file is reported at most once).
Only regular files are opened, with O_NONBLOCK and O_NOFOLLOW so that a file
swapped for a FIFO or a link after the lstat cannot block or lead elsewhere.

Which files are read (speed: a source tree is mostly small source files, and
opening each costs far more than the lstat the walk needs for sizes anyway):

- a file whose suffix names a model format (signatures.NAMED), at any size;
- any file of at least TEXT_MIN_BYTES (64 KiB), whatever its name, since a
  renamed model is found by content only;
- any other file of at least MIN_SNIFF_BYTES whose name is not an ordinary
  source, documentation or media name (ORDINARY_SUFFIXES, ORDINARY_NAMES).
  So a small "foo.c" is not read, a small "data.bin" or "x" is.

A file below MIN_SNIFF_BYTES and not named like a model is no model: every
format's header and a single weight take more room.

Directories are never models, with one exception: a TensorFlow SavedModel is a
directory holding saved_model.pb (and usually variables/).  It is reported
once, as the directory, with the total size of the regular files inside; the
files in it are not reported again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional

from .control import load_control
from .errors import UnusableInput
from .signatures import HEAD_BYTES, TEXT_MIN_BYTES, Match, Sample, by_name, classify, saved_model, suffix

MIN_SNIFF_BYTES = 64

# Skipped at any depth: version control and quilt's copies of patched files.
SKIPPED_NAMES = frozenset({".git", ".pc", ".svn", ".hg"})
SKIPPED_DIRS = frozenset({"debian/.debhelper", "debian/tmp"})
# debian/ subdirectories that hold sources, never build output, even if a
# binary package happened to share the name.
SOURCE_DEBIAN_DIRS = frozenset({"source", "patches", "tests", "upstream", "po", "missing-sources"})

ORDINARY_SUFFIXES = frozenset("""
    c h cc cpp cxx hpp hh hxx ipp inl m mm s asm f f90 f95 for go rs java kt scala cs swift
    py pyi pyx pxd pxi rb pl pm t php lua tcl r jl hs ml mli el lisp scm clj erl ex exs dart
    js mjs cjs ts tsx jsx vue css scss sass less html htm xhtml xml xsl xslt svg json yaml yml
    toml ini cfg conf properties sh bash zsh fish ps1 bat cmd mk mak make cmake am ac in m4
    txt md markdown rst adoc tex bib texi po pot desc man 1 2 3 4 5 6 7 8 csv tsv diff patch
    png jpg jpeg gif ico bmp webp ttf otf woff woff2 pdf mo
""".split())
ORDINARY_NAMES = frozenset("""
    Makefile makefile GNUmakefile README LICENSE LICENCE COPYING COPYRIGHT ChangeLog NEWS
    AUTHORS INSTALL TODO THANKS configure Kconfig Dockerfile control changelog copyright
    rules watch format compat .gitignore .gitattributes .gitmodules .editorconfig
""".split())

OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
SPECIAL_KINDS = (
    (stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
)


class ModelFile(NamedTuple):
    path: str  # POSIX, relative to the source root
    format: str  # one of signatures.FORMATS
    size: int
    evidence: str  # "content" or "name"
    description: str


class Discovery(NamedTuple):
    models: tuple[ModelFile, ...]
    escaping: tuple[str, ...]  # symbolic links whose target resolves outside the root
    unreadable: tuple[tuple[str, str], ...]  # (path, reason)


class NotRegular(OSError):
    """A path that was a regular file at lstat time is not one at open time."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _kind(mode: int) -> str:
    return next((kind for test, kind in SPECIAL_KINDS if test(mode)), "special file")


def package_dirs(root: Path) -> set[str]:
    """debian/X directories that are debhelper build output: X.substvars
    exists, or X is a binary package in debian/control."""
    names: set[str] = set()
    try:
        with os.scandir(root / "debian") as entries:
            names.update(e.name[:-len(".substvars")] for e in entries if e.name.endswith(".substvars"))
        names.update(b.get("Package") or "" for b in load_control(root).binaries)
    except (OSError, UnusableInput):
        pass  # no debian/ or an unparsable control: nothing more to skip
    return {f"debian/{n}" for n in names if n and n not in SOURCE_DEBIAN_DIRS}


def worth_reading(name: str, size: int) -> bool:
    """The rule in the module docstring."""
    if size == 0:
        return False
    if by_name(name) is not None or size >= TEXT_MIN_BYTES:
        return True
    return size >= MIN_SNIFF_BYTES and name not in ORDINARY_NAMES and suffix(name) not in ORDINARY_SUFFIXES


@contextlib.contextmanager
def opened(path: str, name: str) -> Iterator[Sample]:
    """A Sample of a regular file, opened without following links or
    blocking; read_at works until the block ends."""
    fd = os.open(path, OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})")
        head = os.pread(fd, min(info.st_size, HEAD_BYTES), 0)
        yield Sample(name, info.st_size, head, lambda offset, length: os.pread(fd, length, offset))
    finally:
        os.close(fd)


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip("/") + "/")


class _Walk:
    """The state of one discovery: results so far, and SavedModel directories
    whose sizes are still being summed."""

    def __init__(self, root: str, skipped: frozenset[str]) -> None:
        self.root = root
        self.skipped = skipped
        self.models: list[ModelFile] = []
        self.escaping: list[str] = []
        self.unreadable: list[tuple[str, str]] = []
        self.saved: list[ModelFile] = []  # SavedModel directories, sizes still growing

    def result(self) -> Discovery:
        models = sorted(self.models + self.saved)
        return Discovery(tuple(models), tuple(sorted(self.escaping)), tuple(sorted(self.unreadable)))

    def run(self) -> None:
        # An explicit stack rather than recursion: no depth limit to hit.
        stack: list[tuple[str, str, Optional[int]]] = [(self.root, "", None)]
        while stack:
            stack.extend(self.directory(*stack.pop()))

    def directory(self, path: str, rel: str, owner: Optional[int]) -> list[tuple[str, str, Optional[int]]]:
        """Visit one directory's entries; return its subdirectories to walk.
        ``owner`` is the index of the SavedModel this directory belongs to."""
        try:
            with os.scandir(path) as listing:
                entries = list(listing)
        except OSError as exc:
            self.unreadable.append((rel or ".", _reason(exc)))
            return []
        if owner is None:
            owner = self.saved_model(path, rel, entries)
        subdirectories = []
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_NAMES and child not in self.skipped:
                    subdirectories.append((entry.path, child, owner))
            else:
                self.entry(entry, child, owner)
        return subdirectories

    def entry(self, entry: os.DirEntry, rel: str, owner: Optional[int]) -> None:
        if entry.is_symlink():
            self.symlink(entry.path, rel)
            return
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            self.unreadable.append((rel, _reason(exc)))
            return
        if not stat.S_ISREG(info.st_mode):
            self.unreadable.append((rel, f"not a regular file ({_kind(info.st_mode)})"))
        elif owner is not None:
            self.saved[owner] = self.saved[owner]._replace(size=self.saved[owner].size + info.st_size)
        elif worth_reading(entry.name, info.st_size):
            self.file(entry.path, rel, entry.name)
        elif info.st_size == 0 and (named := by_name(entry.name)) is not None:
            self.add(rel, Match(named, "name", "empty file"), 0)

    def file(self, path: str, rel: str, name: str) -> None:
        try:
            with opened(path, name) as sample:
                found = classify(sample)
        except OSError as exc:
            self.unreadable.append((rel, _reason(exc)))
            return
        if found is not None:
            self.add(rel, found, sample.size)

    def add(self, rel: str, match: Match, size: int) -> None:
        self.models.append(ModelFile(rel, match.format, size, match.evidence, match.description))

    def symlink(self, path: str, rel: str) -> None:
        """Escaping links are reported; links inside are left to their
        target, unless the target cannot be reached at all."""
        if not _inside(os.path.realpath(path), self.root):
            self.escaping.append(rel)
            return
        try:
            os.stat(path)
        except OSError as exc:
            loop = exc.errno == errno.ELOOP
            dangling = exc.errno == errno.ENOENT
            reason = "symbolic link loop" if loop else "dangling symbolic link" if dangling else _reason(exc)
            self.unreadable.append((rel, reason))

    def saved_model(self, path: str, rel: str, entries: list[os.DirEntry]) -> Optional[int]:
        """Start a SavedModel record if this directory holds saved_model.pb."""
        pb = next((e for e in entries if e.name == "saved_model.pb" and e.is_file(follow_symlinks=False)), None)
        if pb is None:
            return None
        try:
            with opened(pb.path, pb.name) as sample:
                evidence = "content" if saved_model(sample) else "name"
        except OSError as exc:
            self.unreadable.append((f"{rel}/{pb.name}" if rel else pb.name, _reason(exc)))
            return None
        variables = any(e.name == "variables" and e.is_dir(follow_symlinks=False) for e in entries)
        text = "TensorFlow SavedModel" + ("" if variables else " without variables/")
        self.saved.append(ModelFile(rel or ".", "tensorflow", 0, evidence, text))
        return len(self.saved) - 1


def discover(root: Path, skip: Iterable[str] = ()) -> Discovery:
    """Model files under ``root``.  ``skip`` holds further directories to
    leave out, relative to the root in POSIX form (e.g. "debian/foo" for a
    binary package's build directory)."""
    skipped = SKIPPED_DIRS | package_dirs(root) | {s.strip("/") for s in skip}
    walk = _Walk(os.path.realpath(root), frozenset(skipped))
    walk.run()
    return walk.result()
