"""ARPA n-gram language models (text, as written by SRILM, KenLM, CMU's
tools and sphinxtrain): a "\\data\\" line then "ngram 1=N" lines, possibly
after a comment preamble.  The n-gram probabilities are estimated from a
corpus: trained parameters.  Reads the first 4 KiB."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "arpa"
SUFFIXES = ()
TEXT = True
FIRST = None  # any first byte
DATA = re.compile(rb"^\\data\\\r?\n(?:ngram (\d+)=\s*\d+\r?\n)+", re.MULTILINE)


def recognise(s: Sample) -> Optional[Match]:
    # A substring test first: most text is not ARPA, and "in" is a memchr.
    match = DATA.search(s.head[:4096]) if b"\\data\\" in s.head[:4096] else None
    if match is None:
        return None
    order = max(int(n) for n in re.findall(rb"ngram (\d+)=", match.group(0)))
    return found(FORMAT, f"ARPA {order}-gram language model")
