"""Leela Chess Zero networks: protobuf starting with fixed32 field 1 =
0x1c0, as lc0's net.proto (usually gzip-compressed, read through gzip)."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found

FORMAT = "other"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
MAGIC = b"\x0d\xc0\x01\x00\x00"


def recognise(s: Sample) -> Optional[Match]:
    return found(FORMAT, "Leela Chess Zero network (protobuf)") if s.head.startswith(MAGIC) else None
