"""Reading small files of a source tree that may be hostile.

open() on a FIFO blocks until a writer appears, and a device can stream
forever: files are opened non-blocking, without following a final symlink,
checked to be regular, and read up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import CannotRead, reason_of


def read_limited(path: Path, limit: int) -> bytes:
    """At most limit + 1 bytes of a regular file, so callers can tell
    'exactly at the limit' from 'over it'."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not isinstance(exc, FileNotFoundError) and os.path.islink(path):
            raise CannotRead("is a symbolic link") from None
        raise CannotRead(reason_of(exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise CannotRead("is a directory" if stat.S_ISDIR(mode) else "is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise CannotRead(reason_of(exc)) from None


def write_atomically(path: Path, content: bytes, mode: int = 0o644) -> None:
    """Replace path with content in one rename, so no reader ever sees a
    half-written file and a failure leaves the old one (or none) in place."""
    import tempfile  # only commands that write need it; dh_modelcheck never does
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
