"""Python pickles (protocol 2..5) whose first opcodes decode; named after
what they hold when the head says so: scikit-learn estimators (a global
from sklearn.*), joblib dumps (joblib's NumpyArrayWrapper).  Small pickles
(under 1 KiB) are test fixtures unless the name says pickle.  Nothing is
unpickled: pickletools only decodes opcodes."""

from __future__ import annotations

import io
from typing import Optional

from .base import Match, Sample, found, suffix

FORMAT = "pickle"
SUFFIXES = ("pkl", "pickle", "joblib")
TEXT = False
FIRST = None  # any first byte
SMALL_BYTES = 1024
NAMED = ("pkl", "pickle", "joblib", "pt", "pth")
OPCODES_CHECKED = 8
KINDS = ((b"sklearn.", "scikit-learn"), (b"joblib.numpy_pickle", "joblib"))


def _decodes(head: bytes) -> bool:
    import pickletools  # here, not at the top: every build would pay for it

    try:
        for count, (opcode, _arg, _pos) in enumerate(pickletools.genops(io.BytesIO(head))):
            if opcode.name == "STOP" or count >= OPCODES_CHECKED:
                return True
    except (ValueError, UnicodeDecodeError):
        return False
    return False


def recognise(s: Sample) -> Optional[Match]:
    if len(s.head) < 3 or s.head[0] != 0x80 or s.head[1] not in (2, 3, 4, 5):
        return None
    if s.size < SMALL_BYTES and suffix(s.name) not in NAMED:
        return None
    if not _decodes(s.head):
        return None
    kind = next((label for marker, label in KINDS if marker in s.head), None)
    label = f"{kind} pickle" if kind else "pickle"
    return found(FORMAT, f"{label} protocol {s.head[1]}")
