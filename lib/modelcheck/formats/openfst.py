"""OpenFst binary graphs (Kaldi's HCLG.fst, G.fst, L.fst): i32 magic
0x7eb2fdd6, then the FST type and arc type as length-prefixed strings.
Decoding graphs compile a trained language model and lexicon, so they count
as models.  Reads the two strings."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, i32, printable, u32

FORMAT = "openfst"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
MAGIC = 0x7EB2FDD6


def _string(head: bytes, at: int) -> Optional[tuple[str, int]]:
    if at + 4 > len(head):
        return None
    length = i32(head, at)
    text = printable(head[at + 4:at + 4 + length]) if 0 < length <= 64 else ""
    return (text, at + 4 + length) if text else None


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or u32(s.head, 0) != MAGIC:
        return None
    fst_type = _string(s.head, 4)
    arc_type = None if fst_type is None else _string(s.head, fst_type[1])
    if fst_type is None or arc_type is None:
        return None
    return found(FORMAT, f"OpenFst {fst_type[0]} FST, {arc_type[0]} arcs")
