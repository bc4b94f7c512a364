"""HTS voices (.htsvoice, hts_engine 1.x): a [GLOBAL] section naming
HTS_VOICE_VERSION, then the trained HMM streams."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "htsvoice"
SUFFIXES = ("htsvoice",)
TEXT = True
FIRST = b"["  # the bytes a file of this format may start with
GLOBAL = re.compile(rb"\[GLOBAL\]\r?\nHTS_VOICE_VERSION:([\w.]+)")


def recognise(s: Sample) -> Optional[Match]:
    match = GLOBAL.match(s.head[:256])
    return None if match is None else found(FORMAT, f"HTS voice, version {match.group(1).decode()}")
