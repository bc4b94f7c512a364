"""ncnn: the .param network description (magic line 7767517, then layer and
blob counts) whose weights sit in the .bin beside it."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "ncnn"
SUFFIXES = ()
TEXT = True
COMPANION = ".bin"  # the weights
FIRST = b"7"  # the bytes a file of this format may start with
PARAM = re.compile(rb"7767517\r?\n(\d+) (\d+)\r?\n")


def recognise(s: Sample) -> Optional[Match]:
    match = PARAM.match(s.head[:64])
    if match is None:
        return None
    return found(FORMAT, f"ncnn network of {int(match.group(1))} layers (weights in the .bin beside it)")
