"""TensorFlow Lite: FlatBuffer identifier "TFL3" at bytes 4..8, root offset
within the file.  Reads 8 bytes."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, u32

FORMAT = "tflite"
SUFFIXES = ("tflite",)
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or s.head[4:8] != b"TFL3" or not 8 <= u32(s.head, 0) < s.size:
        return None
    return found(FORMAT, "TFLite FlatBuffer (TFL3)")
