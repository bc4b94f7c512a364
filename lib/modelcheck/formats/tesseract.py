"""tesseract .traineddata: a u32 entry count (1..64), then that many i64
offsets, each -1 (absent) or inside the file past the table, present ones
ascending.  Reads the offset table."""

from __future__ import annotations

import struct
from typing import Optional

from .base import Match, Sample, found, plural, u32

FORMAT = "tesseract"
SUFFIXES = ("traineddata",)
TEXT = False
FIRST = None  # any first byte
ENTRIES_MAX = 64


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 12:
        return None
    count = u32(s.head, 0)
    table_end = 4 + 8 * count
    if not 1 <= count <= ENTRIES_MAX or table_end > len(s.head):
        return None
    offsets = struct.unpack_from(f"<{count}q", s.head, 4)
    present = [o for o in offsets if o != -1]
    if not present or any(not table_end <= o <= s.size for o in present) or present != sorted(present):
        return None
    return found(FORMAT, f"tesseract traineddata with {plural(len(present), 'component')}")
