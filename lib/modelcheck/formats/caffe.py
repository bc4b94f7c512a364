"""Caffe .caffemodel (NetParameter): the first field is name, layers (V1)
or layer.  Generic protobuf is easy to mistake for this, so only files named
.caffemodel are considered."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, suffix
from .containers import protobuf_fields

FORMAT = "caffe"
SUFFIXES = ("caffemodel",)
TEXT = False
FIRST = None  # any first byte
FIRST_FIELDS = {1, 2, 100}


def recognise(s: Sample) -> Optional[Match]:
    if suffix(s.name) != "caffemodel":
        return None
    first = next(protobuf_fields(s.head), None)
    if first is None or first.number not in FIRST_FIELDS or first.wire != 2:
        return None
    if first.start + first.value > s.size:
        return None
    return found(FORMAT, "Caffe NetParameter (protobuf)")
