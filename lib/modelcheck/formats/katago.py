"""KataGo networks (.bin.gz, .txt.gz): the model name, then integers:
model version (1..99), input channels, global input channels.  Only looked
for inside gzip: plain text starting with a word and three numbers is too
common."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, printable

FORMAT = "other"
SUFFIXES = ()
TEXT = True
FIRST = None  # any first byte
WRAPPED_ONLY = True


def recognise(s: Sample) -> Optional[Match]:
    tokens = s.head[:4096].split(None, 4)
    if len(tokens) < 5 or not printable(tokens[0]):
        return None
    if not all(t.isdigit() for t in tokens[1:4]) or not 1 <= int(tokens[1]) <= 99:
        return None
    return found(FORMAT, f"KataGo network {printable(tokens[0])[:40]}, model version {int(tokens[1])}")
