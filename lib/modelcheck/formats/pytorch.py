"""PyTorch: torch.save's zip archive (since 1.6; a member "data.pkl" or
".../data.pkl", TorchScript when there is a code/ directory), or the legacy
serialization, a protocol 2 pickle whose first value is torch's magic number
0x1950a86a20f9469cfc6c.  Reads the zip's central directory or 14 bytes."""

from __future__ import annotations

from typing import Optional

from . import containers
from .base import Match, Sample, found, plural

FORMAT = "pytorch"
SUFFIXES = ("pt", "pth")
TEXT = False
FIRST = None  # any first byte
LEGACY = b"\x80\x02\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little")


def recognise(s: Sample) -> Optional[Match]:
    if s.head.startswith(LEGACY):
        return found(FORMAT, "legacy PyTorch serialization (pickle protocol 2)")
    archive = containers.zip_archive(s)
    if archive is None or not any(n == "data.pkl" or n.endswith("/data.pkl") for n in archive.names):
        return None
    scripted = any("/code/" in n for n in archive.names)
    kind = "TorchScript" if scripted else "PyTorch"
    return found(FORMAT, f"{kind} zip archive with {plural(len(archive.names), 'member')}")
