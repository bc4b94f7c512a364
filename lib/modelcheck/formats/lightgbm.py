"""LightGBM text models (Booster.save_model): "tree", then "version=v..."."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "lightgbm"
SUFFIXES = ()
TEXT = True
FIRST = b"t"  # the bytes a file of this format may start with
HEADER = re.compile(rb"tree\r?\nversion=(v\d+)\r?\n")


def recognise(s: Sample) -> Optional[Match]:
    match = HEADER.match(s.head[:64])
    return None if match is None else found(FORMAT, f"LightGBM model ({match.group(1).decode()})")
