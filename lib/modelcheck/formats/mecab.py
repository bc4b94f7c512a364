"""MeCab connection costs (matrix.def): a "LEFT RIGHT" header, then one
"left right cost" line per pair of context ids, from 0 0 on.  The costs are
learnt by CRF training on an annotated corpus, so they are a model; MeCab's
dictionaries (the .csv word lists, char.def, unk.def's categories) are
lexicons and rules and are not.  Reads the first lines."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "mecab"
SUFFIXES = ()
TEXT = True
FIRST = b"123456789"  # the bytes a file of this format may start with
MATRIX = re.compile(rb"(\d+) (\d+)\r?\n0 0 -?\d+\r?\n0 1 -?\d+\r?\n0 2 -?\d+\r?\n")


def recognise(s: Sample) -> Optional[Match]:
    match = MATRIX.match(s.head[:256])
    if match is None:
        return None
    return found(FORMAT, f"MeCab connection cost matrix, {int(match.group(1))}x{int(match.group(2))}")
