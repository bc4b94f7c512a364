"""SHA-256 of model files: streamed through one fixed buffer (constant
memory whatever the file size), in parallel across the usable cores.

Threads suffice: hashlib releases the GIL while it hashes a buffer larger
than 2 KiB, and os.readinto-style reads release it while they wait.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable, NamedTuple, Optional, Union

from .errors import CannotRead

# Large enough that per-call overhead vanishes next to hashing (a 1 MiB
# update takes ~0.5 ms), small enough to stay in L2/L3 with one per thread.
BUFFER_BYTES = 1024 * 1024
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC


class Unhashable(NamedTuple):
    """sha256_files' result for a file that could not be hashed."""

    reason: str


HashResult = Union[str, Unhashable]


def _open_in_tree(path: Path, root: Path) -> int:
    """A descriptor for a regular file of a source tree.  Links inside the
    tree are followed (a declared file may be one), but the resolved path is
    then opened from the root without following anything (safeio), so no
    link, whichever component it is, leads out of the tree."""
    from .safeio import open_regular

    real_root = os.path.realpath(root)
    target = os.path.realpath(path)
    if not target.startswith(real_root.rstrip("/") + "/"):
        raise OSError(errno.EXDEV, "leaves the source tree")
    try:
        return open_regular(Path(target), Path(real_root))
    except CannotRead as exc:
        raise OSError(errno.EINVAL, exc.reason) from None


def _open_regular(path: Path) -> int:
    """A descriptor for a regular file.  Symbolic links are followed only to
    regular files: the target is stat'ed before anything is opened, so a FIFO
    or device is never opened (opening a tape device rewinds it), and the
    descriptor is checked again in case the path changed in between."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    fd = os.open(path, OPEN_FLAGS)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd


def _digest(fd: int) -> str:
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)  # larger kernel readahead
    digest = hashlib.sha256()
    buffer = bytearray(BUFFER_BYTES)
    view = memoryview(buffer)
    with open(fd, "rb", buffering=0, closefd=False) as raw:
        while count := raw.readinto(buffer):
            digest.update(view[:count])
    return digest.hexdigest()


def sha256_file(path: Path, root: Optional[Path] = None) -> str:
    """Hex SHA-256 of one regular file; CannotRead says why not (vanished,
    unreadable, or not a regular file).  With root, the file must be in that
    tree (see _open_in_tree)."""
    try:
        fd = _open_regular(path) if root is None else _open_in_tree(path, root)
    except OSError as exc:
        raise CannotRead(f"{exc.strerror or exc}", str(path)) from None
    try:
        return _digest(fd)
    except OSError as exc:
        raise CannotRead(f"{exc.strerror or exc}", str(path)) from None
    finally:
        os.close(fd)


def usable_cores() -> int:
    """Cores this process may run on (taskset, cgroups cpusets), not the machine's."""
    return len(os.sched_getaffinity(0)) or 1


def _result(path: Path, root: Optional[Path] = None) -> HashResult:
    try:
        return sha256_file(path, root)
    except CannotRead as exc:
        return Unhashable(exc.reason)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def sha256_files(paths: Iterable[Path], jobs: Optional[int] = None, root: Optional[Path] = None) -> dict[Path, HashResult]:
    """Hex SHA-256 of each path, or Unhashable(reason) for those that could
    not be hashed.  Largest files start first, so that one big file does not
    start last and leave the other cores idle."""
    unique = sorted(set(paths), key=_size, reverse=True)
    workers = max(1, min(jobs or usable_cores(), len(unique)))
    if workers == 1:
        return {path: _result(path, root) for path in unique}
    import concurrent.futures  # only here: most packages ship one model file

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(unique, pool.map(_result, unique, [root] * len(unique))))
