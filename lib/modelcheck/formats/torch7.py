"""Lua Torch7 .t7, binary or ASCII: object type 4 (a torch class), index 1,
the version string "V 1", then the class name (nn.Sequential,
torch.FloatTensor...).  Reads the first 64 bytes."""

from __future__ import annotations

import re
import struct
from typing import Optional

from .base import Match, Sample, found, printable

FORMAT = "torch7"
SUFFIXES = ("t7",)
TEXT = True
FIRST = b"4\x04"  # the bytes a file of this format may start with
BINARY = struct.pack("<iii", 4, 1, 3) + b"V 1"
ASCII = re.compile(rb"4\n1\n3\nV 1\n\d+\n([A-Za-z_.]+)\n")


def recognise(s: Sample) -> Optional[Match]:
    if s.head.startswith(BINARY) and len(s.head) >= 19:
        length = struct.unpack_from("<i", s.head, 15)[0]
        name = printable(s.head[19:19 + length]) if 0 < length <= 64 else ""
        return found(FORMAT, f"Torch7 serialized {name} (binary)") if name else None
    match = ASCII.match(s.head[:128])
    return None if match is None else found(FORMAT, f"Torch7 serialized {match.group(1).decode()} (ASCII)")
