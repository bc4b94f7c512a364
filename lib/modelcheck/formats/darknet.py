"""Darknet .weights: i32 major, minor and revision, the count of images
seen (u64 from version 0.2, u32 before), then raw floats.  The header is
small integers any binary may start with, so only files named .weights are
considered."""

from __future__ import annotations

import struct
from typing import Optional

from .base import Match, Sample, found, suffix

FORMAT = "darknet"
SUFFIXES = ("weights",)
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    if suffix(s.name) != "weights" or len(s.head) < 20:
        return None
    major, minor, revision = struct.unpack_from("<iii", s.head, 0)
    header = 20 if major * 10 + minor >= 2 else 16
    if not (0 <= major <= 9 and 0 <= minor <= 99 and 0 <= revision <= 10**6) or (s.size - header) % 4:
        return None
    return found(FORMAT, f"Darknet weights, version {major}.{minor}.{revision}")
