"""Reading small files of a source tree that may be hostile.

open() on a FIFO blocks until a writer appears, and a device can stream
forever: files are opened non-blocking, without following a final symlink,
checked to be regular, and read up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ReadError(Exception):
    """Why a file could not be read; the message is one line."""


def read_limited(path: Path, limit: int) -> bytes:
    """At most limit + 1 bytes of a regular file, so callers can tell
    'exactly at the limit' from 'over it'."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as exc:
        if os.path.islink(path):
            raise ReadError("is a symbolic link") from None
        raise ReadError(f"cannot read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ReadError("is a directory" if stat.S_ISDIR(mode) else "is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror}") from None


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
