"""Bounded byte streams for the pickle walk.

pickletools.genops reads with read(n), readline() and tell(); the joblib
walk also skips the array bytes joblib writes between two opcodes.  A Source
gives both over a file (read_at), a zip member or a decompressor, and
refuses to read more than its budget: a crafted length (BINBYTES8 claims
2**62 bytes) raises Budget instead of allocating it.  Skipping a seekable
source reads nothing; skipping a compressed one decompresses and drops the
bytes, within a budget of its own.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from typing import Callable, Optional, Protocol

from ..formats.base import ReadAt
from .sniff import COMPRESSIONS

CHUNK = 64 * 1024
# The most a pickle may take: beyond this the walk stops and fails closed.
PICKLE_BYTES = 256 * 1024 * 1024
# The most a compressed joblib file may hold in array bytes that are skipped.
SKIP_BYTES = 4 * 1024 * 1024 * 1024
LINE_BYTES = 64 * 1024
# What can go wrong reading or decompressing; all of it fails the walk closed.
READ_ERRORS = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError, NotImplementedError, RuntimeError)


class Budget(Exception):
    """A stream needs more reading than a scan allows."""


# What can go wrong reading or decompressing, bounds included.
STREAM_ERRORS = READ_ERRORS + (Budget,)


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...


class Source:
    """Sequential reads from ``more`` (the next bytes of the underlying
    stream, at most n), with ``jump`` to advance it without reading."""

    def __init__(self, more: Callable[[int], bytes], budget: int = PICKLE_BYTES,
                 jump: Optional[Callable[[int], None]] = None) -> None:
        self.more, self.jump, self.budget = more, jump, budget
        self.skip_budget = SKIP_BYTES
        self.buffer = bytearray()
        self.pos = 0
        self.last = b""  # the last bytes read: the opcode a decoding error stopped at

    def _fill(self, n: int) -> None:
        while len(self.buffer) < n:
            chunk = self.more(max(CHUNK, n - len(self.buffer)))
            if not chunk:
                return
            self.buffer += chunk

    def _take(self, n: int) -> bytes:
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        self.pos += len(data)
        self.budget -= len(data)
        self.last = data
        return data

    def read(self, n: int = -1) -> bytes:
        if n < 0 or n > self.budget:
            raise Budget(f"a read of {n} bytes exceeds the {PICKLE_BYTES >> 20} MiB bound")
        self._fill(n)
        return self._take(n)

    def readline(self) -> bytes:
        searched = 0
        while b"\n" not in self.buffer[searched:]:
            searched = len(self.buffer)
            if searched > LINE_BYTES:
                raise Budget(f"a text line longer than {LINE_BYTES} bytes")
            self._fill(searched + 1)
            if len(self.buffer) == searched:
                return self._take(searched)
        return self._take(self.buffer.index(b"\n") + 1)

    def tell(self) -> int:
        return self.pos

    def peek(self, n: int) -> bytes:
        self._fill(n)
        return bytes(self.buffer[:n])

    def skip(self, n: int) -> None:
        """Pass over n bytes (array data) without keeping them."""
        if n < 0:
            raise Budget(f"a negative length ({n}) to skip")
        held = min(n, len(self.buffer))
        del self.buffer[:held]
        rest = n - held
        self.pos += n
        if rest and self.jump is not None:
            self.jump(rest)
            return
        while rest:
            if rest > self.skip_budget:
                raise Budget(f"more than {SKIP_BYTES >> 30} GiB of array data to decompress")
            chunk = self.more(min(rest, 1024 * 1024))
            if not chunk:
                return
            rest -= len(chunk)
            self.skip_budget -= len(chunk)


def at(read_at: ReadAt, size: int, start: int = 0) -> Source:
    """A file from ``start`` on."""
    offset = [start]

    def more(n: int) -> bytes:
        data = read_at(offset[0], max(0, min(n, size - offset[0])))
        offset[0] += len(data)
        return data

    def jump(n: int) -> None:
        offset[0] += n

    return Source(more, jump=jump)


class _Zlib:
    """A raw zlib stream (joblib's default compression) as read(n)."""

    def __init__(self, raw: Readable) -> None:
        self.raw, self.inflater = raw, zlib.decompressobj()

    def read(self, n: int = -1) -> bytes:
        out = b""
        while len(out) < n and not self.inflater.eof:
            tail = self.inflater.unconsumed_tail or self.raw.read(CHUNK)
            if not tail:
                break
            out += self.inflater.decompress(tail, n - len(out))
        return out


def _lz4(raw: Readable) -> Optional[Readable]:
    try:
        import lz4.frame  # optional, as for joblib itself
    except ImportError:
        return None
    return lz4.frame.LZ4FrameFile(raw)  # type: ignore[no-any-return]


def compression(head: bytes) -> Optional[str]:
    return next((name for magic, name in COMPRESSIONS if head.startswith(magic)), None)


def decompressed(kind: str, raw: Readable) -> Optional[Readable]:
    """A decompressing reader, or None when the module is not installed."""
    import gzip

    opened: dict[str, Callable[[], Optional[Readable]]] = {
        "gzip": lambda: gzip.GzipFile(fileobj=raw),  # type: ignore[arg-type]
        "bz2": lambda: bz2.BZ2File(raw),  # type: ignore[arg-type]
        "xz": lambda: lzma.LZMAFile(raw, format=lzma.FORMAT_XZ),  # type: ignore[arg-type]
        "lzma": lambda: lzma.LZMAFile(raw, format=lzma.FORMAT_ALONE),  # type: ignore[arg-type]
        "lz4": lambda: _lz4(raw),
        "zlib": lambda: _Zlib(raw),
    }
    return opened[kind]()


def reading(stream: Readable) -> Source:
    """A file object (a zip member, a decompressor), read sequentially."""
    return Source(stream.read)
