"""PyTorch's oldest format (before 0.4): a tar archive whose members are
read by torch.load with pickle.load, one pickle after another with raw data
between them.

- ``sys_info`` and ``pickle``: one pickle each (``pickle`` is the object);
- ``storages``: a pickle of the count, then per storage a pickle of (key,
  location, storage type), an int64 element count and the raw elements;
  then a pickle of the storage views;
- ``tensors``: a pickle of the count, then per tensor a pickle of (key,
  storage id, tensor type), an int32 ndim, 4 bytes, ndim int64 sizes and
  strides, and an int64 offset.

The raw parts are skipped by their sizes, so every pickle is walked; a count
or storage type the walk cannot read stops it, closed."""

from __future__ import annotations

import struct
import tarfile
from typing import Any, Callable

from .opcodes import Global, Malformed, Walked, walk
from .streams import Budget, Source

# Bytes per element of the storage types torch.load's legacy path accepts.
ELEMENT_BYTES = {
    "torch.DoubleStorage": 8, "torch.FloatStorage": 4, "torch.HalfStorage": 2, "torch.BFloat16Storage": 2,
    "torch.LongStorage": 8, "torch.IntStorage": 4, "torch.ShortStorage": 2, "torch.CharStorage": 1,
    "torch.ByteStorage": 1, "torch.BoolStorage": 1, "torch.ComplexFloatStorage": 8,
    "torch.ComplexDoubleStorage": 16,
}
MAX_ITEMS = 1_000_000


def is_tar(head: bytes) -> bool:
    return head[257:262] == b"ustar"


class _Stopped(Exception):
    """A pickle did not reach STOP: its walk says why."""


def _pickle(source: Source, out: Walked) -> Any:
    walked = walk(source)
    out.merge(walked)
    if not walked.stopped:
        raise _Stopped()
    return walked.result


def _single(source: Source, out: Walked) -> None:
    _pickle(source, out)


def _count(source: Source, out: Walked) -> int:
    count = _pickle(source, out)
    if not isinstance(count, int) or not 0 <= count <= MAX_ITEMS:
        raise Malformed(f"a count that is not a constant number at byte {source.tell()}")
    return count


def _int(source: Source, fmt: str) -> int:
    data = source.read(struct.calcsize(fmt))
    if len(data) != struct.calcsize(fmt):
        raise Malformed(f"truncated at byte {source.tell()}")
    return int(struct.unpack(fmt, data)[0])


def _storages(source: Source, out: Walked) -> None:
    for _ in range(_count(source, out)):
        args = _pickle(source, out)
        # (key, location, storage type): the type gives the element size.
        kind = args[2] if isinstance(args, tuple) and len(args) == 3 else None
        size = ELEMENT_BYTES.get(kind.name) if isinstance(kind, Global) else None
        if size is None:
            raise Malformed(f"a storage of no known type at byte {source.tell()}")
        source.skip(_int(source, "<q") * size)
    _pickle(source, out)


def _tensors(source: Source, out: Walked) -> None:
    for _ in range(_count(source, out)):
        _pickle(source, out)
        ndim = _int(source, "<i")
        source.skip(4 + 16 * ndim + 8)


READERS: dict[str, Callable[[Source, Walked], None]] = {"storages": _storages, "tensors": _tensors}


def walk_member(name: str, source: Source) -> Walked:
    """One member: storages and tensors by their layout, any other as one
    pickle."""
    out = Walked()
    try:
        READERS.get(name, _single)(source, out)
    except Malformed as exc:
        out.problems.append(str(exc))
    except Budget as exc:
        out.problems.append(f"stops at byte {source.tell()}: {exc}")
    except _Stopped:
        pass
    return out


def members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    return [m for m in archive.getmembers() if m.isfile()]
