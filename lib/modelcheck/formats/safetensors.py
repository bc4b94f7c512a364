"""safetensors: a little-endian u64 header length N (2 <= N <= 100 MiB,
N + 8 <= size), then a JSON object: byte 8 is "{" and the next non-blank byte
is '"' or "}".  Reads the header only."""

from __future__ import annotations

import json
from typing import Optional

from .base import Match, Sample, found, plural, u64

FORMAT = "safetensors"
SUFFIXES = ("safetensors",)
TEXT = False
FIRST = None  # any first byte
HEADER_MAX = 100 * 1024 * 1024


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 10:
        return None
    length = u64(s.head, 0)
    if not 2 <= length <= HEADER_MAX or length + 8 > s.size or s.head[8:9] != b"{":
        return None
    if s.head[9:].lstrip(b" \t\r\n")[:1] not in (b'"', b"}"):
        return None
    return found(FORMAT, _description(s.head[8:8 + length], length))


def _description(header: bytes, length: int) -> str:
    """Count tensors when the whole header is in the head; a header cut by
    the head read is still a safetensors header, just not counted."""
    try:
        parsed = json.loads(header)
    except (ValueError, RecursionError):
        return f"safetensors header of {length} bytes"
    if not isinstance(parsed, dict):
        return f"safetensors header of {length} bytes"
    tensors = sum(1 for key in parsed if key != "__metadata__")
    return f"safetensors header with {plural(tensors, 'tensor')}"
