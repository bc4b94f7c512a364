"""NumPy .npy: "\\x93NUMPY", major version 1..3, a header dictionary read
with regular expressions (never evaluated).  An array of unsigned bytes or
booleans is data (images, bitmaps, dictionaries such as ArUco's), not
trained parameters; every other dtype counts."""

from __future__ import annotations

import re
import struct
from typing import Optional

from .base import Match, Sample, found, rejected

FORMAT = "npy"
SUFFIXES = ("npy",)
TEXT = False
FIRST = None  # any first byte
# NumPy writes dtype descriptions in ASCII; any other byte makes the header
# unreadable rather than a decoding error.
DESCR = re.compile(rb"""['"]descr['"]\s*:\s*['"]([^'"\x00-\x1f\x7f-\xff]{1,32})['"]""")
SHAPE = re.compile(rb"""['"]shape['"]\s*:\s*\(([0-9, ]{0,200})\)""")
DATA_DTYPES = ("|u1", "|b1", "u1", "b1")




def header(head: bytes) -> Optional[tuple[str, str]]:
    """(shape, dtype) of an npy header, ("", "") when unreadable, None if
    this is not npy."""
    if head[:6] != b"\x93NUMPY" or len(head) < 10 or head[6] not in (1, 2, 3):
        return None
    start, length = (10, struct.unpack_from("<H", head, 8)[0]) if head[6] == 1 else (12, None)
    text = head[start:start + (length or 4096)]
    descr, shape = DESCR.search(text), SHAPE.search(text)
    if descr is None or shape is None:
        return "", ""
    return shape.group(1).decode().strip(), descr.group(1).decode()


def describe(shape: str, dtype: str) -> str:
    return f"shape ({shape}), dtype {dtype}" if dtype else "array"


def recognise(s: Sample) -> Optional[Match]:
    parsed = header(s.head)
    if parsed is None:
        return None
    if parsed[1] in DATA_DTYPES:
        return rejected("npy array of bytes")
    return found(FORMAT, f"npy array, {describe(*parsed)}")
