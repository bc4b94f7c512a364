"""Opening files of a source tree that may be hostile.

open() on a FIFO blocks until a writer appears, and a device can stream
forever: files are opened non-blocking, checked to be regular, and read up
to a limit.

A path inside the tree is opened component by component from the tree's
root, each directory with O_DIRECTORY|O_NOFOLLOW relative to the one before
(openat), and the last component with O_NOFOLLOW.  So a symbolic link
anywhere on the way (debian/ pointing at another tree, say) is refused, not
followed: O_NOFOLLOW alone guards only the last component.  The root itself
is the one the user named, and may be a link.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path, PurePosixPath
from typing import Optional

from .errors import CannotRead, UnusableInput, reason_of

CLOEXEC = getattr(os, "O_CLOEXEC", 0)
READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | CLOEXEC
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | CLOEXEC


def _parts(root: Path, path: Path) -> tuple[str, ...]:
    """path's components below root; CannotRead if it is not below it."""
    try:
        relative = PurePosixPath(os.fspath(path)).relative_to(os.fspath(root))
    except ValueError:
        raise CannotRead("not inside the source tree") from None
    parts = relative.parts
    if not parts or ".." in parts:
        raise CannotRead("not inside the source tree")
    return parts


def _refusal(exc: OSError, name: str, dir_fd: Optional[int], on_the_way: str = "") -> CannotRead:
    """Why opening name (relative to dir_fd) failed, saying so when it is a
    symbolic link: ELOOP and ENOTDIR do not say it in words.  on_the_way
    names a directory component (the file itself when empty)."""
    try:
        is_link = stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        is_link = False
    which = f"{on_the_way} " if on_the_way else ""
    if is_link:
        return CannotRead(f"{which}is a symbolic link")
    if on_the_way and exc.errno == errno.ENOTDIR:
        return CannotRead(f"{which}is not a directory")
    return CannotRead(reason_of(exc))


def open_directory(root: Path, parts: tuple[str, ...], create: bool = False) -> int:
    """A descriptor of root/parts[0]/..., no component followed if a link;
    with create, missing directories are made on the way (as mkdir -p, but
    a link on the way is refused rather than followed)."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | CLOEXEC)
    except OSError as exc:
        raise CannotRead(reason_of(exc)) from None
    for depth, part in enumerate(parts):
        try:
            if create:
                _make(part, fd)
            child = os.open(part, DIRECTORY_FLAGS, dir_fd=fd)
        except OSError as exc:
            refusal = _refusal(exc, part, fd, "/".join(parts[:depth + 1]))
            os.close(fd)
            raise refusal from None
        os.close(fd)
        fd = child
    return fd


def _make(name: str, dir_fd: int) -> None:
    try:
        os.mkdir(name, 0o755, dir_fd=dir_fd)
    except FileExistsError:
        pass  # a directory, or what opening it will refuse


def open_beneath(path: Path, root: Optional[Path], flags: int = READ_FLAGS, mode: int = 0o666) -> int:
    """A descriptor of path, opened from root without following any link on
    the way (or, without a root, not following a final link only)."""
    if root is None:
        parent_fd, name = None, os.fspath(path)
    else:
        parts = _parts(root, path)
        parent_fd, name = open_directory(root, parts[:-1]), parts[-1]
    try:
        return os.open(name, flags | os.O_NOFOLLOW, mode, dir_fd=parent_fd)
    except OSError as exc:
        raise _refusal(exc, name, parent_fd) from None
    finally:
        if parent_fd is not None:
            os.close(parent_fd)


def open_regular(path: Path, root: Optional[Path] = None) -> int:
    """A non-blocking descriptor of a regular file (never a FIFO, device,
    directory or link)."""
    fd = open_beneath(path, root)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise CannotRead("is a directory" if stat.S_ISDIR(mode) else "is not a regular file")
    return fd


def read_limited(path: Path, limit: int, root: Optional[Path] = None) -> bytes:
    """At most limit + 1 bytes of a regular file, so callers can tell
    'exactly at the limit' from 'over it'.  With root, path is opened from
    it without following links (see the module docstring)."""
    fd = open_regular(path, root)
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise CannotRead(reason_of(exc)) from None


def write_atomically(
    path: Path, content: bytes, mode: int = 0o644, root: Optional[Path] = None, make_parents: bool = False,
) -> None:
    """Replace path with content in one rename, so no reader ever sees a
    half-written file and a failure leaves the old one (or none) in place.
    With root, the directory is reached from it without following links,
    so a debian/ that is a link out of the tree is refused, not written to;
    make_parents makes the missing directories below root."""
    if root is None:
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | CLOEXEC)
        name = path.name
    else:
        parts = _parts(root, path)
        directory, name = open_directory(root, parts[:-1], make_parents), parts[-1]
    try:
        _replace_in(directory, name, content, mode)
    finally:
        os.close(directory)


def write_or_refuse(
    label: str, path: Path, content: bytes, mode: int = 0o644, root: Optional[Path] = None, make_parents: bool = False,
) -> None:
    """write_atomically, a failure being the one-line error every command
    gives for a file it was asked to write: 'LABEL: cannot write: REASON'
    (a link on the way, a read-only or full file system, a directory where
    the file should be)."""
    try:
        write_atomically(path, content, mode, root, make_parents)
    except CannotRead as exc:
        raise UnusableInput(f"{label}: cannot write: {exc.reason}") from None
    except OSError as exc:
        raise UnusableInput(f"{label}: cannot write: {exc.strerror or exc}") from None


def _replace_in(directory: int, name: str, content: bytes, mode: int) -> None:
    temporary = f".{name}.{secrets.token_hex(6)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | CLOEXEC, 0o600, dir_fd=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            os.fchmod(out.fileno(), mode)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        os.unlink(temporary, dir_fd=directory)
        raise
