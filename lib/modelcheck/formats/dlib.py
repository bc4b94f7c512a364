"""dlib's serialized networks (dnn: mmod face detector, face recognition
ResNet...): the first value is a serialized std::string, a compact integer
length then the layer kind (add_layer, add_loss_layer...).  Shape
predictors start with small integers any binary may start with; they are
found by their .dat name and "shape_predictor", as evidence "name"."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "dlib"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
NETWORK = re.compile(rb"\x01[\x09-\x20](add_layer|add_loss_layer|add_tag_layer|add_skip_layer|repeat)")


def recognise(s: Sample) -> Optional[Match]:
    match = NETWORK.match(s.head[:40])
    if match is not None:
        return found(FORMAT, f"dlib serialized network ({match.group(1).decode()})")
    if s.name.lower().endswith(".dat") and "shape_predictor" in s.name.lower() and s.head[:2] == b"\x01\x01":
        return Match(FORMAT, "name", "dlib shape predictor (by its name and version 1)")
    return None
