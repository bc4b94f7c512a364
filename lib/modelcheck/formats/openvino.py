"""OpenVINO IR: the .xml network description (a root <net> element with
name and version) whose weights sit in the .bin beside it.  Reads the
first KiB."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "openvino"
SUFFIXES = ()
TEXT = True
COMPANION = ".bin"  # the weights
FIRST = b"<"  # the bytes a file of this format may start with
NET = re.compile(rb'(?:<\?xml[^>]*\?>\s*)?<net\s[^>]*\bversion="(\d+)"')


def recognise(s: Sample) -> Optional[Match]:
    match = NET.match(s.head[:1024])
    if match is None:
        return None
    return found(FORMAT, f"OpenVINO IR v{match.group(1).decode()} network (weights in the .bin beside it)")
