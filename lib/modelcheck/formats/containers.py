"""Containers that several formats share, read with the bounds a scan of a
whole source tree needs: zip archives (through zipfile), protobuf's top-level
fields, and the start of a gzip stream.  These are not formats of their own:
the recognisers ask them what is inside."""

from __future__ import annotations

import io
import zlib
from typing import TYPE_CHECKING, Iterator, NamedTuple, Optional

from .base import HEAD_BYTES, ReadAt, Sample

if TYPE_CHECKING:
    import zipfile

# zipfile reads the end record, its comment and the central directory; an
# archive whose directory is larger than this (some 50,000 members) is left
# to its name.
ZIP_READ_MAX = 4 * 1024 * 1024 + 2 * (22 + 65535)
# Enough of a member to hold an npy header.
MEMBER_HEAD_BYTES = 512


class _Budget(OSError):
    """A zip archive needs more reading than a scan allows."""


class _Reader(io.RawIOBase):
    """A seekable file over read_at that refuses to read past a budget, so
    zipfile never pulls a huge central directory into memory."""

    def __init__(self, read_at: ReadAt, size: int, budget: int) -> None:
        super().__init__()
        self.read_at, self.size, self.budget, self.at = read_at, size, budget, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.at, io.SEEK_END: self.size}[whence]
        self.at = max(0, base + offset)
        return self.at

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        length = min(len(buffer), max(0, self.size - self.at))
        if length == 0:  # at or past the end: a zip64 locator may point anywhere
            return 0
        if length > self.budget:
            raise _Budget("zip archive too large to list")
        data = self.read_at(self.at, length)
        self.budget -= len(data)
        buffer[:len(data)] = data
        self.at += len(data)
        return len(data)


class Archive(NamedTuple):
    names: list[str]
    heads: dict[str, bytes]  # the first bytes of the members asked for


_last: tuple[Optional[Sample], Optional[Archive]] = (None, None)


def zip_archive(s: Sample, member_heads: str = ".npy") -> Optional[Archive]:
    """Member names, and the first bytes of members whose name ends in
    ``member_heads``; None if this is not a zip archive zipfile can list
    within the budget.  The last answer is kept: several recognisers ask
    about the same file in turn."""
    global _last
    if _last[0] is s:
        return _last[1]
    result = _list(s, member_heads)
    _last = (s, result)
    return result


def _list(s: Sample, member_heads: str) -> Optional[Archive]:
    if s.read_at is None or s.head[:4] != b"PK\x03\x04":
        return None
    import zipfile  # here, not at the top: most scans meet no zip

    reader = _Reader(s.read_at, s.size, ZIP_READ_MAX)
    try:
        with zipfile.ZipFile(io.BufferedReader(reader, 8192)) as archive:
            names = archive.namelist()
            heads = {}
            for name in names[:64]:
                if name.endswith(member_heads):
                    with archive.open(name) as member:
                        heads[name] = member.read(MEMBER_HEAD_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, OverflowError, zlib.error):
        return None
    return Archive(names, heads)


def file_reader(read_at: ReadAt, size: int) -> io.RawIOBase:
    """The whole file as a seekable file object (for tarfile and the
    decompressors).  Buffered readers read some bytes again after a seek,
    hence a budget of a few times the size."""
    return _Reader(read_at, size, 4 * size + 1024 * 1024)


def open_zip(read_at: ReadAt, size: int, member_budget: int) -> "zipfile.ZipFile":
    """A zipfile.ZipFile over read_at: listing it may read ZIP_READ_MAX
    bytes, then its members ``member_budget`` more.  Raises what zipfile
    raises, and OSError past a budget."""
    import zipfile

    reader = _Reader(read_at, size, ZIP_READ_MAX)
    archive = zipfile.ZipFile(io.BufferedReader(reader, 8192))
    reader.budget = member_budget
    return archive


# --- protobuf ---------------------------------------------------------------------------

def varint(data: bytes, at: int) -> Optional[tuple[int, int]]:
    value = 0
    for shift in range(0, 64, 7):
        if at >= len(data):
            return None
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
    return None


class Field(NamedTuple):
    number: int
    wire: int
    value: int  # the varint, or the length of a length-delimited field
    start: int  # where a length-delimited field's payload starts


def protobuf_fields(data: bytes) -> Iterator[Field]:
    """Top-level fields of varint (0) and length-delimited (2) wire types,
    until the data ends or stops looking like protobuf.  A payload cut by the
    head read ends the walk after its field is yielded."""
    at = 0
    while at < len(data):
        tag = varint(data, at)
        if tag is None or tag[0] & 7 not in (0, 2) or tag[0] >> 3 == 0:
            return
        value = varint(data, tag[1])
        if value is None:
            return
        yield Field(tag[0] >> 3, tag[0] & 7, value[0], value[1])
        at = value[1] + (value[0] if tag[0] & 7 == 2 else 0)


def payload(data: bytes, field: Field) -> bytes:
    return data[field.start:field.start + field.value]


# --- gzip ----------------------------------------------------------------------------------

GZIP_MAGIC = b"\x1f\x8b\x08"


def inflate(head: bytes) -> Optional[tuple[bytes, bool]]:
    """Up to HEAD_BYTES of the gzip stream that starts ``head``, and whether
    that is all of it; None if it is not one."""
    if not head.startswith(GZIP_MAGIC):
        return None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        inner = inflater.decompress(head, HEAD_BYTES)
    except zlib.error:
        return None
    return inner, inflater.eof
