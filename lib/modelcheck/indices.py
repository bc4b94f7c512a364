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
import re
import shutil
import tempfile
import zlib
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence

import apt_pkg

from .control import area_of_section
from .errors import CannotRead, UnusableInput, unreadable

CHUNK = 1 << 20


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
    try:
        if name != "-":
            # Unbuffered: apt reads the descriptor itself, from its offset.
            return open(name, "rb", buffering=0)
        spool: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
        shutil.copyfileobj(stdin, spool)  # type: ignore[misc]
        spool.seek(0)
        return spool
    except OSError as exc:
        raise unreadable(name, exc) from None


def _decompress(raw: BinaryIO, kind: str) -> tuple[BinaryIO, Optional[str]]:
    """The plain text of a compressed input, as far as it goes: chunk by
    chunk, so that a truncated input keeps all it has."""
    plain: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
    decompressor = DECOMPRESSORS[kind]()
    damage = None
    try:
        while chunk := raw.read(CHUNK):
            while chunk:
                plain.write(decompressor.decompress(chunk))
                # A further stream, member or frame follows the finished one.
                chunk = decompressor.unused_data if decompressor.eof else b""
                decompressor = DECOMPRESSORS[kind]() if chunk else decompressor
        if not decompressor.eof:
            damage = f"{kind} data truncated"
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
        handle, damage = _decompress(handle, compression)
    size = handle.seek(0, 2)
    if damage is None and size:
        # Every index ends with a newline: text that does not was cut off.
        handle.seek(size - 1)
        damage = None if handle.read(1) == b"\n" else "text ends inside a line"
    handle.seek(0)
    return Index(name, handle, size, damage)


def iter_sections(index: Index) -> Iterator[tuple[int, apt_pkg.TagSection]]:
    """(byte offset, stanza) of a plain index."""
    tagfile = apt_pkg.TagFile(index.handle, bytes=True)
    start = 0
    for section in tagfile:
        yield start, section
        start = tagfile.offset()


def line_numbers(index: Index, offsets: Iterable[int]) -> dict[int, int]:
    """The line at each byte offset, counted in a second read: only inputs
    with findings pay for it, and the first read stays in C."""
    index.handle.seek(0)
    lines, line, position = {}, 1, 0
    for target in sorted(set(offsets)):
        while position < target:
            chunk = index.handle.read(min(CHUNK, target - position))
            if not chunk:
                return lines
            line += chunk.count(b"\n")
            position += len(chunk)
        lines[target] = line
    return lines


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
