"""GGUF (llama.cpp): "GGUF", a u32 version 1..1000, then the tensor count
(u32 in v1, u64 later).  Reads 16 bytes."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, plural, u32, u64

FORMAT = "gguf"
SUFFIXES = ("gguf",)
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or s.head[:4] != b"GGUF":
        return None
    version = u32(s.head, 4)
    if not 1 <= version <= 1000:
        return None
    if version >= 2 and len(s.head) >= 16:
        return found(FORMAT, f"GGUF v{version} with {plural(u64(s.head, 8), 'tensor')}")
    return found(FORMAT, f"GGUF v{version}")
