"""Reading Debian index files (Sources, Packages): plain, or compressed
with gzip, bzip2, xz or zstd, recognised by their magic bytes as apt
recognises them, and split into stanzas by apt's TagFile.

Python decompresses rather than apt: apt reads a truncated gzip stream as a
shorter index without a word, and may crash on a truncated xz one.  The
standard library's zlib, bz2 and lzma modules and python3-zstandard report
a stream that stops early, which the scan then reports.
"""

from __future__ import annotations

import bz2
import lzma
import os
import re
import stat
import tempfile
import zlib
from typing import Any, BinaryIO, Callable, Iterator, NamedTuple, Optional, Sequence

import apt_pkg

from .control import area_of_section
from .errors import CannotRead, UnusableInput, unreadable

CHUNK = 1 << 20
# Bounds on what an index may grow to, so that a compression bomb (or an
# endless standard input) fills neither memory nor the disk.  Debian's
# largest index, all areas' Packages for one architecture, is some 100 MB
# of text compressed four to ten times: these leave ample room.
MAX_PLAIN_BYTES = 2 << 30  # an index's text, decompressed or read from -
MAX_RATIO = 200  # text per compressed byte, checked once past RATIO_FROM
RATIO_FROM = 64 << 20
# Compressed input is fed in pieces no larger than this, and each call may
# give at most CHUNK bytes (zstandard's decompressobj has no such bound;
# its pieces are small enough that no frame expands past a few MiB).
PIECE = 1 << 16
ZSTD_PIECE = 256


def _zstd() -> Any:
    import zstandard  # python3-zstandard; only zstd inputs need it

    return zstandard.ZstdDecompressor().decompressobj()


# Compressions recognised by their magic bytes, as apt recognises them; each
# a decompressor object with eof and unused_data, as zlib's.
MAGIC = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"BZh", "bzip2"), (b"\x28\xb5\x2f\xfd", "zstd"))
DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
    "xz": lzma.LZMADecompressor,
    "bzip2": bz2.BZ2Decompressor,
    "zstd": _zstd,
}
# apt could read this, but no Python library Debian ships checks its stream.
UNSUPPORTED = ((b"\x04\x22\x4d\x18", "lz4"),)


class Index(NamedTuple):
    label: str
    handle: BinaryIO  # plain text, seekable, so that lines can be counted afterwards
    size: int
    damage: Optional[str]  # why decompression stopped early


def _open_raw(name: str, stdin: Optional[BinaryIO]) -> BinaryIO:
    """A regular file, or standard input copied to one.  Anything else (a
    FIFO, a device, /dev/fd/N of a pipe) is refused before it is read: a
    FIFO blocks, a device may never end, and apt seeks in what it reads."""
    try:
        if name != "-":
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise CannotRead("not a regular file; give a pipe as - (standard input)", name)
            # Unbuffered: apt reads the descriptor itself, from its offset.
            return os.fdopen(fd, "rb", buffering=0)
        if stdin is None:
            raise CannotRead("standard input is closed", name)
        spool: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
        while chunk := stdin.read(CHUNK):
            spool.write(chunk)
            if spool.tell() > MAX_PLAIN_BYTES:
                spool.close()
                raise CannotRead(f"larger than {MAX_PLAIN_BYTES} bytes, the limit of an index", name)
        spool.seek(0)
        return spool
    except OSError as exc:
        raise unreadable(name, exc) from None


class _TooLarge(Exception):
    """Decompression passed a limit: the message says which."""


def _bounded(decompressor: Any, kind: str, piece: bytes) -> Iterator[bytes]:
    """The output of one piece of input, at most CHUNK bytes at a time where
    the library allows a bound."""
    if kind == "zstd":
        yield decompressor.decompress(piece)
    elif kind == "gzip":
        while piece:
            yield decompressor.decompress(piece, CHUNK)
            piece = decompressor.unconsumed_tail
    else:  # xz and bzip2: no tail; ask again with no input until it needs some
        yield decompressor.decompress(piece, CHUNK)
        while not decompressor.eof and not decompressor.needs_input:
            yield decompressor.decompress(b"", CHUNK)


def _check_size(plain: int, consumed: int) -> None:
    if plain > MAX_PLAIN_BYTES:
        raise _TooLarge(f"decompresses to more than {MAX_PLAIN_BYTES} bytes, the limit of an index")
    if plain > RATIO_FROM and plain > MAX_RATIO * consumed:
        raise _TooLarge(f"decompresses more than {MAX_RATIO} times its size, the limit of an index")


def _decompress(raw: BinaryIO, kind: str) -> tuple[BinaryIO, Optional[str]]:
    """The plain text of a compressed input, as far as it goes: piece by
    piece, so that a truncated input keeps all it has, and bounded
    (MAX_PLAIN_BYTES, MAX_RATIO): _TooLarge when it passes a bound."""
    plain: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
    decompressor = DECOMPRESSORS[kind]()
    damage = None
    size = ZSTD_PIECE if kind == "zstd" else PIECE
    written = 0
    try:
        while chunk := raw.read(size):
            while chunk:
                for out in _bounded(decompressor, kind, chunk):
                    plain.write(out)
                    written += len(out)
                    _check_size(written, raw.tell())
                # A further stream, member or frame follows the finished one.
                chunk = decompressor.unused_data if decompressor.eof else b""
                decompressor = DECOMPRESSORS[kind]() if chunk else decompressor
        if not decompressor.eof:
            damage = f"{kind} data truncated"
    except _TooLarge:
        plain.close()
        raw.close()
        raise
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        damage = f"{kind} data corrupt ({exc})"
    except Exception as exc:
        if kind != "zstd":
            raise
        damage = f"{kind} data corrupt ({exc})"  # zstandard.ZstdError, imported only for zstd inputs
    raw.close()
    plain.seek(0)
    return plain, damage


def open_index(name: str, stdin: Optional[BinaryIO] = None) -> Index:
    """An index file, or '-' for standard input, as plain text."""
    handle = _open_raw(name, stdin)
    head = handle.read(6)
    handle.seek(0)
    for magic, kind in UNSUPPORTED:
        if head.startswith(magic):
            handle.close()
            raise UnusableInput(f"{name}: {kind}-compressed; decompress it, or use gzip, bzip2, xz or zstd")
    damage = None
    compression = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    if compression is not None:
        try:
            handle, damage = _decompress(handle, compression)
        except _TooLarge as exc:
            raise CannotRead(str(exc), name) from None
    size = handle.seek(0, 2)
    if damage is None and size:
        # Every index ends with a newline: text that does not was cut off.
        handle.seek(size - 1)
        damage = None if handle.read(1) == b"\n" else "text ends inside a line"
    line = _bad_field_name(handle)
    if line is not None:
        handle.close()
        raise CannotRead(f"line {line}: a field name that is not ASCII (Debian Policy 5.1)", name)
    handle.seek(0)
    return Index(name, handle, size, damage)


# apt's TagFile crashes the interpreter on a field name with a byte outside
# ASCII, so no index reaches it before _bad_field_name has run over the
# whole text.  apt reads a name from the start of a line that is no
# continuation up to the first colon, across continuation lines when the
# line itself has none: a newline, a line that is no continuation, then
# (possessively: no backtracking) bytes that are neither a colon, nor a
# newline other than one that continues the field, nor outside ASCII, then
# such a byte.  The literal start keeps it at about 0.15 s per 60 MB.
BAD_FIELD_NAME = re.compile(rb"\n(?![ \t\n#])(?:[^:\n\x80-\xff]|\n(?=[ \t]))*+[\x80-\xff]")


def _bad_field_name(handle: BinaryIO) -> Optional[int]:
    """The line of the first field name that is not ASCII, or None."""
    handle.seek(0)
    carry, first = b"\n", -1  # first: the index offset of text[0]
    while True:
        chunk = handle.read(CHUNK)
        text = carry + chunk
        found = BAD_FIELD_NAME.search(text)
        if found is not None:
            return _line_at(handle, first + found.start() + 1)
        if not chunk:
            return None
        # Keep the last line, whose name may go on in the next chunk.  A line
        # longer than a chunk has had its name judged: what follows is
        # carried as "\n:", a start no name can match.
        cut = text.rfind(b"\n")
        if cut > 0:
            carry, first = text[cut:], first + cut
        else:
            carry, first = b"\n:", handle.tell() - 2


def _line_at(handle: BinaryIO, offset: int) -> int:
    """The line that starts at a byte offset (counted only for an error)."""
    handle.seek(0)
    return handle.read(offset).count(b"\n") + 1


def iter_sections(index: Index) -> Iterator[tuple[int, apt_pkg.TagSection]]:
    """(byte offset, stanza) of a plain index."""
    tagfile = apt_pkg.TagFile(index.handle, bytes=True)
    start = 0
    for section in tagfile:
        yield start, section
        start = tagfile.offset()


def text(value: Optional[bytes]) -> Optional[str]:
    return None if value is None else value.decode("utf-8", "replace")


def apt_message(exc: Exception) -> str:
    return str(exc).strip().removeprefix("E:")


_PROVIDED = re.compile(rb"(?:^|,)\s*([a-zA-Z0-9][a-zA-Z0-9.+-]*)")


def load_non_main(names: Sequence[str], stdin: Optional[BinaryIO] = None) -> dict[str, tuple[str, ...]]:
    """Binary and virtual names that only areas other than main provide.  A
    Packages index that cannot be read to its end stops the scan: a missing
    main package would make its name look non-main."""
    areas: dict[str, set[str]] = {}
    for name in names:
        index = open_index(name, stdin)
        try:
            if index.damage:
                raise CannotRead(f"unreadable: {index.damage}", name)
            for _, section in iter_sections(index):
                area = area_of_section(text(section.get("Section"))).name
                provided = [section.get("Package") or b""] + _PROVIDED.findall(section.get("Provides") or b"")
                for binary in provided:
                    areas.setdefault(binary.decode("utf-8", "replace"), set()).add(area)
        except apt_pkg.Error as exc:
            raise CannotRead(f"unreadable: {apt_message(exc)}", name) from None
        finally:
            index.handle.close()
    return {binary: tuple(sorted(a)) for binary, a in areas.items() if "main" not in a and binary}
