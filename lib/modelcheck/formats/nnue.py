"""NNUE networks (Stockfish and its kin): u32 version 0x7AF32F16 (Stockfish
12-14, YaneuraOu) or 0x7AF32F20 (Stockfish 15 on), a u32 hash, a u32
description length that fits the file, the description."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, printable, u32

FORMAT = "nnue"
SUFFIXES = ("nnue",)
TEXT = False
FIRST = None  # any first byte
VERSIONS = {0x7AF32F16: "0x7AF32F16", 0x7AF32F20: "0x7AF32F20"}
DESCRIPTION_MAX = 4096


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 12 or u32(s.head, 0) not in VERSIONS:
        return None
    length = u32(s.head, 8)
    if length > DESCRIPTION_MAX or 12 + length > s.size:
        return None
    text = printable(s.head[12:12 + min(length, 60)])
    label = f"NNUE network, version {VERSIONS[u32(s.head, 0)]}"
    return found(FORMAT, f"{label}: {text}" if text else label)
