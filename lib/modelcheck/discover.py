"""Model files in an unpacked source tree.

The walk uses os.scandir and never follows a symbolic link: a link whose
target resolves outside the root is reported as escaping, one inside is left
to the walk that reaches its target (so each file is reported at most once).
Only regular files are opened, with O_NONBLOCK and O_NOFOLLOW so that a file
swapped for a FIFO or a link after the lstat cannot block or lead elsewhere.

Every read goes through the descriptor of the directory listed: a directory
is opened with O_NOFOLLOW and must be the very one (device and inode) its
parent listed, then it is listed and its files are opened relative to it.
So a directory swapped for a link to elsewhere during the walk is reported,
not read: O_NOFOLLOW on a full path guards only its last component.  One
directory is open at a time, however wide or deep the tree.

Which files are read.  Speed matters: a source tree is mostly small source
files; listing a directory is cheap, but an lstat costs about as much as
listing the file and opening one costs several times more.  So:

- a file whose suffix names a model format (formats.NAMED) is read at any
  size (an empty one is reported by name);
- a documentation, build or media file (PLAIN_SUFFIXES, PLAIN_NAMES) is
  neither stat'ed nor read;
- a source file (CODE_SUFFIXES) is neither stat'ed nor read either, unless
  its name hints at trained data (HINTS: "weight", "model", "net", "data",
  "param", "coef", and the parts of flite voices: "cart", "lts", "tree",
  "f0", "dur", "phras", "mcep", "accent", "voice"): then it is read from
  HINTED_MIN_BYTES (2 KiB) on.  That finds networks shipped as C arrays,
  such as rnnoise's rnn_data.c, and flite's voices and letter-to-sound
  models, while a "weights.c" of ordinary size stays unread;
- an XML or YAML file (STRUCTURED_SUFFIXES) is read from 1 KiB on: OpenCV
  keeps cascades and cv::ml models there (a tiny settings file is skipped);
- a text data file (TEXT_SUFFIXES: .txt, .csv, .tsv) is read from 64 KiB on,
  where numbers-as-text networks start;
- any other file, whatever its name says (data.bin, x.dat, no suffix), is
  read from MIN_SNIFF_BYTES on, since a renamed model is found by content
  only.  Below that size no format's header and weights fit.

So the one model this misses is one renamed to a source, documentation or
media suffix without a hint in its name; renames do not go that way by
accident.  Suffixes are matched in lower, UPPER or Capitalised case.

Directories are never models, with one exception: a TensorFlow SavedModel is a
directory holding saved_model.pb (and usually variables/).  It is reported
once, as the directory, with the total size of the regular files inside; the
files in it are not reported again.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Optional, TypeVar

from .control import build_directory, load_control
from .errors import UnusableInput
from .formats import COMPANIONS, HEAD_BYTES, NAMED, TEXT_MIN_BYTES, Match, Sample, by_name, classify
from .formats.tensorflow import saved_model
from .pickles.sniff import holds_pickle
from .safeio import DIRECTORY_FLAGS, READ_FLAGS

MIN_SNIFF_BYTES = 64
# Directories nested deeper than this are not walked but reported as
# unreadable (model-file-unreadable): no source tree needs more, and the
# paths of deeper ones pass the kernel's PATH_MAX (4096) soon after.
MAX_DEPTH = 256
T = TypeVar("T")
# A directory still to walk: its path, its path relative to the root, the
# SavedModel it belongs to, and its identity as its parent listed it.
Pending = tuple[str, str, Optional[int], Optional[tuple[int, int]]]

# Skipped at any depth: version control and quilt's copies of patched files.
SKIPPED_NAMES = frozenset({".git", ".pc", ".svn", ".hg"})
SKIPPED_DIRS = frozenset({"debian/.debhelper", "debian/tmp"})

# Source code: not read unless the name hints at numbers (HINTS) and the
# file is large, as networks shipped as C arrays are.
CODE_SUFFIXES = """
    c h cc cpp cxx hpp hh hxx ipp inl inc m mm s asm f f90 f95 for go rs java kt scala cs swift
    cu cuh cl glsl hlsl metal proto
    py pyi pyx pxd pxi rb pl pm t php lua tcl r jl hs ml mli el lisp scm clj erl ex exs dart
    js mjs cjs ts tsx jsx vue json toml
""".split()
# OpenCV FileStorage (cascades, cv::ml models) and OpenVINO IR are XML or
# YAML; read from 1 KiB on, any name: a small cv::ml model is still a model.
STRUCTURED_SUFFIXES = ("xml", "yml", "yaml")
STRUCTURED_MIN_BYTES = 1024
# Documentation, build files and media: never read.
PLAIN_SUFFIXES = """
    css scss sass less html htm xhtml xsl xslt svg ini cfg conf properties sh bash zsh fish
    ps1 bat cmd mk mak make cmake am ac in m4 md markdown rst adoc tex bib texi po pot desc
    man 1 2 3 4 5 6 7 8 diff patch png jpg jpeg gif ico bmp webp ttf otf woff woff2 pdf mo
    gitignore gitattributes gitmodules editorconfig
    xaml vcxproj sln props filters plist gradle install prototxt pbtxt jar war aar apk
""".split()
PLAIN_NAMES = """
    Makefile makefile GNUmakefile README LICENSE LICENCE COPYING COPYRIGHT ChangeLog NEWS
    AUTHORS INSTALL TODO THANKS configure Kconfig Dockerfile control changelog copyright
    rules watch format compat
""".split()
# Text data, where networks as lists of numbers live: read from 64 KiB on.
TEXT_SUFFIXES = ("txt", "csv", "tsv")
HINTS = ("weight", "model", "net", "data", "param", "coef",
         "cart", "lts", "tree", "f0", "dur", "phras", "mcep", "accent", "voice")
HINTED_MIN_BYTES = 2 * 1024
# One search for all hints: cheaper than a loop of substring tests now that
# there are fifteen.
HINTED_NAME = re.compile("|".join(HINTS))

# Read rules: the smallest size at which a file is read; PLAIN: never, and
# not even stat'ed; HINTED: PLAIN unless the name has a hint, then 64 KiB.
PLAIN: Optional[int] = None
HINTED = -1
Rule = Optional[int]


def _any_case(rules: dict[str, Rule]) -> dict[str, Rule]:
    """Suffixes as written in lower, upper and capitalised case, so that the
    lookup for every entry needs no str.lower()."""
    return {variant: rule for key, rule in rules.items() for variant in (key, key.upper(), key.capitalize())}


SUFFIX_RULES: dict[str, Rule] = _any_case({
    **{s: HINTED for s in CODE_SUFFIXES},
    **{s: PLAIN for s in PLAIN_SUFFIXES},
    **{s: TEXT_MIN_BYTES for s in TEXT_SUFFIXES},
    **{s: STRUCTURED_MIN_BYTES for s in STRUCTURED_SUFFIXES},
    **{s: 1 for s in NAMED},
})
NAME_RULES: dict[str, Rule] = {n: PLAIN for n in PLAIN_NAMES}

SPECIAL_KINDS = (
    (stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
)


class ModelFile(NamedTuple):
    path: str  # POSIX, relative to the source root
    format: str  # one of formats.FORMATS
    size: int
    evidence: str  # "content" or "name"
    description: str


class Discovery(NamedTuple):
    models: tuple[ModelFile, ...]
    escaping: tuple[str, ...]  # symbolic links whose target resolves outside the root
    unreadable: tuple[tuple[str, str], ...]  # (path, reason)
    # Files that are no model by their content but hold a pickle, whatever
    # their name: loading one runs what it names.
    pickled: tuple[str, ...] = ()


class NotRegular(OSError):
    """A path that was a regular file at lstat time is not one at open time."""


class Replaced(OSError):
    """A directory is no longer the one its parent listed."""


# (device, inode): what identifies the directory a listing showed.
Identity = tuple[int, int]


def open_listed(path: str, expected: Optional[Identity]) -> int:
    """A descriptor of the directory at path, which must be the one listed
    (expected; None for the root, which the user named and may be a link)."""
    fd = os.open(path, DIRECTORY_FLAGS if expected is not None else DIRECTORY_FLAGS & ~os.O_NOFOLLOW)
    info = os.fstat(fd)
    if expected is not None and (info.st_dev, info.st_ino) != expected:
        os.close(fd)
        raise Replaced(errno.ESTALE, "replaced while being searched")
    return fd


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _kind(mode: int) -> str:
    return next((kind for test, kind in SPECIAL_KINDS if test(mode)), "special file")


def package_dirs(root: Path) -> set[str]:
    """debian/X directories that are debhelper build output: X.substvars
    exists, or X is a binary package in debian/control (the one rule,
    control.build_directory, decides which names qualify)."""
    names: list[str] = []
    try:
        with os.scandir(root / "debian") as entries:
            names += [e.name[:-len(".substvars")] for e in entries if e.name.endswith(".substvars")]
        directories = load_control(root).build_directories()
    except (OSError, UnusableInput):
        directories = []  # no debian/ or an unparsable control: nothing more to skip
    return {d for d in (build_directory(n) for n in names) if d} | set(directories)


def _skipped(directory: str) -> Optional[str]:
    """A directory to leave out, relative to the root; None for one that
    goes up or is absolute, which would hide what is not build output."""
    normal = posixpath.normpath(directory)
    if directory.startswith("/") or ".." in directory.split("/") or normal == ".":
        return None
    return normal


def read_from(name: str) -> Rule:
    """The smallest size at which a file of this name is read, or None if it
    is never read (nor stat'ed): the rule in the module docstring.  It runs
    for every entry, hence dictionary lookups first; only source files pay
    for lower-casing and the hint search."""
    _stem, dot, tail = name.rpartition(".")
    rule = SUFFIX_RULES.get(tail, MIN_SNIFF_BYTES) if dot else NAME_RULES.get(name, MIN_SNIFF_BYTES)
    if rule != HINTED:
        return rule
    return HINTED_MIN_BYTES if HINTED_NAME.search(name.lower()) else PLAIN


def examine(
    path: str, name: str, judge: Callable[[Sample], T], rel: str = "", dir_fd: Optional[int] = None,
) -> tuple[T, int]:
    """Open a regular file (path, relative to dir_fd if given) without
    following links or blocking, and judge a Sample of it (read_at works
    while judge runs); also its size at open time."""
    fd = os.open(path, READ_FLAGS, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})")
        head = os.pread(fd, min(info.st_size, HEAD_BYTES), 0)
        sample = Sample(name, info.st_size, head, lambda offset, length: os.pread(fd, length, offset), rel)
        return judge(sample), info.st_size
    finally:
        os.close(fd)


def _classify(sample: Sample) -> tuple[Optional[Match], bool]:
    """The model a file is; if none, whether it holds a pickle."""
    match = classify(sample)
    return match, match is None and holds_pickle(sample)


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
        self.pickled: list[str] = []

    def result(self) -> Discovery:
        models = sorted(self.models + self.saved)
        unreadable = tuple(sorted(self.unreadable))
        return Discovery(tuple(models), tuple(sorted(self.escaping)), unreadable, tuple(sorted(self.pickled)))

    def run(self) -> None:
        # An explicit stack rather than recursion: no depth limit to hit.
        stack: list[Pending] = [(self.root, "", None, None)]
        while stack:
            path, rel, owner, identity = stack.pop()
            try:
                fd = open_listed(path, identity)
            except OSError as exc:
                self.unreadable.append((rel or ".", _reason(exc)))
                continue
            try:
                stack.extend(self.directory(fd, path, rel, owner))
            finally:
                os.close(fd)

    def directory(self, fd: int, path: str, rel: str, owner: Optional[int]) -> list[Pending]:
        """Visit the entries of one directory, open as fd; return its
        subdirectories to walk.  ``owner`` is the index of the SavedModel
        this directory belongs to.  Entries carry bare names (scandir of a
        descriptor): files are opened relative to fd."""
        try:
            with os.scandir(fd) as listing:
                entries = list(listing)
        except OSError as exc:
            self.unreadable.append((rel or ".", _reason(exc)))
            return []
        if owner is None:
            owner = self.saved_model(fd, rel, entries)
        subdirectories: list[Pending] = []
        found_before = len(self.models)
        for entry in entries:
            # The hot path: most entries are ordinary files, dismissed by
            # name and d_type, without a system call.
            threshold = read_from(entry.name)
            if threshold is PLAIN and owner is None and entry.is_file(follow_symlinks=False):
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIPPED_NAMES or child in self.skipped:
                    continue
                if child.count("/") >= MAX_DEPTH:
                    self.unreadable.append((child, f"nested deeper than {MAX_DEPTH} directories, not searched"))
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    self.unreadable.append((child, _reason(exc)))
                    continue
                subdirectories.append((f"{path}/{entry.name}", child, owner, (info.st_dev, info.st_ino)))
            else:
                self.entry(fd, path, entry, child, owner, threshold)
        if len(self.models) > found_before:
            self.companions(rel, entries, found_before)
        return subdirectories

    def companions(self, rel: str, entries: list[os.DirEntry[str]], start: int) -> None:
        """Weights kept beside a network description (ncnn's X.param and
        X.bin, OpenVINO's X.xml and X.bin) hold nothing a recogniser could
        tell from raw floats; they are reported with the description."""
        by_name = {e.name: e for e in entries}
        reported = {m.path for m in self.models[start:]}
        for model in self.models[start:]:
            suffix = COMPANIONS.get(model.format)
            name = posixpath.basename(model.path)
            companion = by_name.get(name.rpartition(".")[0] + suffix) if suffix else None
            path = f"{rel}/{companion.name}" if companion and rel else companion.name if companion else ""
            if companion is None or path in reported or not companion.is_file(follow_symlinks=False):
                continue
            try:
                size = companion.stat(follow_symlinks=False).st_size
            except OSError as exc:
                self.unreadable.append((path, _reason(exc)))
                continue
            self.models.append(ModelFile(path, model.format, size, "content", f"weights of {name}"))
            reported.add(path)

    def entry(
        self, fd: int, path: str, entry: os.DirEntry[str], rel: str, owner: Optional[int], threshold: Optional[int],
    ) -> None:
        if entry.is_symlink():
            self.symlink(f"{path}/{entry.name}", rel)
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
        elif threshold is not None and info.st_size >= threshold:
            self.file(fd, rel, entry.name)
        elif info.st_size == 0 and (named := by_name(entry.name)) is not None:
            self.add(rel, Match(named, "name", "empty file"), 0)

    def file(self, fd: int, rel: str, name: str) -> None:
        try:
            (found, pickled), size = examine(name, name, _classify, rel, dir_fd=fd)
        except OSError as exc:
            self.unreadable.append((rel, _reason(exc)))
            return
        if found is not None:
            self.add(rel, found, size)
        elif pickled:
            self.pickled.append(rel)

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

    def saved_model(self, fd: int, rel: str, entries: list[os.DirEntry[str]]) -> Optional[int]:
        """Start a SavedModel record if this directory (open as fd) holds
        saved_model.pb."""
        pb = next((e for e in entries if e.name == "saved_model.pb" and e.is_file(follow_symlinks=False)), None)
        if pb is None:
            return None
        try:
            parses, _size = examine(pb.name, pb.name, saved_model, dir_fd=fd)
        except OSError as exc:
            self.unreadable.append((f"{rel}/{pb.name}" if rel else pb.name, _reason(exc)))
            return None
        variables = any(e.name == "variables" and e.is_dir(follow_symlinks=False) for e in entries)
        text = "TensorFlow SavedModel" + ("" if variables else " without variables/")
        self.saved.append(ModelFile(rel or ".", "tensorflow", 0, "content" if parses else "name", text))
        return len(self.saved) - 1


def discover(root: Path, skip: Iterable[str] = ()) -> Discovery:
    """Model files under ``root``.  ``skip`` holds further directories to
    leave out, relative to the root in POSIX form (e.g. "debian/foo" for a
    binary package's build directory)."""
    skipped = SKIPPED_DIRS | package_dirs(root) | {d for d in map(_skipped, skip) if d}
    walk = _Walk(os.path.realpath(root), frozenset(skipped))
    walk.run()
    return walk.result()
