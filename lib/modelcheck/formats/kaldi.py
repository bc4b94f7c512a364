"""Kaldi acoustic models and their parts, binary ("\\0B" then a token) or
text (the token first): <TransitionModel> (final.mdl), <Nnet>, <Nnet3>,
<DiagGMM>, <FullGMM>, <IvectorExtractor>.  Reads the first token."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "kaldi"
SUFFIXES = ()
TEXT = True
FIRST = b"\0< \t\r\n"  # the bytes a file of this format may start with
TOKEN = re.compile(rb"(\0B)?\s*<(TransitionModel|Nnet|Nnet3|DiagGMM|FullGMM|IvectorExtractor|AmNnetSimple)>")


def recognise(s: Sample) -> Optional[Match]:
    match = TOKEN.match(s.head[:64])
    if match is None:
        return None
    kind = "binary" if match.group(1) else "text"
    return found(FORMAT, f"Kaldi {match.group(2).decode()} ({kind})")
