"""fastText .bin and quantised .ftz: i32 magic 793712314, i32 version
(11 or 12), then the training arguments.  Reads 8 bytes."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, i32

FORMAT = "fasttext"
SUFFIXES = ("ftz",)
TEXT = False
FIRST = None  # any first byte
MAGIC = 793712314


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or i32(s.head, 0) != MAGIC or not 1 <= i32(s.head, 4) <= 100:
        return None
    return found(FORMAT, f"fastText model, version {i32(s.head, 4)}")
