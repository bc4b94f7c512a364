"""MXNet .params (NDArray lists): u64 magic 0x112, u64 reserved 0, u64 array
count, then the first NDArray's magic 0xF993FAC8..0xF993FACA."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, plural, u32, u64

FORMAT = "mxnet"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
LIST_MAGIC = 0x112
ARRAY_MAGICS = (0xF993FAC8, 0xF993FAC9, 0xF993FACA)


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 28 or u64(s.head, 0) != LIST_MAGIC or u64(s.head, 8) != 0:
        return None
    if u32(s.head, 24) not in ARRAY_MAGICS:
        return None
    return found(FORMAT, f"MXNet parameters, {plural(u64(s.head, 16), 'array')}")
