"""XGBoost models as Booster.save_model writes them: JSON ('{"learner":'),
UBJSON ('{' then the key "learner" with an int length), or the older binary
layout (learner parameters, then the objective and booster names, e.g.
"reg:squarederror" and "gbtree").  Reads the first 512 bytes."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "xgboost"
SUFFIXES = ()
TEXT = True
FIRST = None  # any first byte
JSON = re.compile(rb'\{\s*"learner"\s*:\s*\{')
UBJSON = re.compile(rb"\{[UiIlL]\x00*\x07learner\{")
BINARY = re.compile(rb"(?:reg|binary|multi|rank|count|survival):[a-z:_]+.{0,16}?(gbtree|gblinear|dart)", re.DOTALL)


def recognise(s: Sample) -> Optional[Match]:
    head = s.head[:512]
    if JSON.match(head) and b'"gradient_booster"' in s.head:
        return found(FORMAT, "XGBoost model (JSON)")
    if UBJSON.match(head):
        return found(FORMAT, "XGBoost model (UBJSON)")
    if not head[:8].isascii() or b"\0" in head[:64]:
        match = BINARY.search(head)
        if match is not None:
            return found(FORMAT, f"XGBoost model (binary, {match.group(1).decode()})")
    return None
