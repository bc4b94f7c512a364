"""What every recogniser shares: the sample it reads, the match it returns,
and small helpers for fixed-layout headers."""

from __future__ import annotations

import struct
from typing import Callable, NamedTuple, Optional

# The most any recogniser reads from the start of a file.
HEAD_BYTES = 64 * 1024
# Numbers as text (networks written out as lists of numbers) start here.
TEXT_MIN_BYTES = 64 * 1024

ReadAt = Callable[[int, int], bytes]  # (offset, length) -> bytes


class Sample(NamedTuple):
    name: str
    size: int
    head: bytes
    read_at: Optional[ReadAt] = None  # None for a decompressed stream
    # The file's path relative to the tree, when known: directory names are
    # hints for formats whose content cannot tell a model from other data.
    path: str = ""


class Match(NamedTuple):
    format: str  # the Format: value of debian/model-provenance.yaml
    evidence: str  # "content" or "name"
    description: str


def suffix(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def u32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<I", data, offset)[0])


def i32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<i", data, offset)[0])


def u64(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<Q", data, offset)[0])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def printable(data: bytes) -> str:
    return data.decode("ascii", "replace") if data.isascii() and data.decode().isprintable() else ""


def found(fmt: str, description: str) -> Match:
    return Match(fmt, "content", description)


def rejected(why: str) -> Match:
    """The content is known and is not a model (an npz of byte images):
    the registry stops there, and the file's name is not consulted."""
    return Match("", "content", why)


TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def starts_as_text(head: bytes) -> bool:
    return len(head) >= 8 and not head[:8].translate(None, TEXT_BYTES)
