"""HDF5 (and Keras 2's .h5 models): the superblock signature at offset 0,
512, 1024, ... within the head; "keras" when the head holds the root
attributes Keras writes (keras_version, model_config).  May start with a
text user block, hence TEXT."""

from __future__ import annotations

from typing import Iterator, Optional

from .base import Match, Sample, found

FORMAT = "hdf5"
SUFFIXES = ("h5", "hdf5")
TEXT = True
FIRST = None  # any first byte
SIGNATURE = b"\x89HDF\r\n\x1a\n"
KERAS_ATTRIBUTES = (b"keras_version", b"model_config")


def _offsets(limit: int) -> Iterator[int]:
    yield 0
    offset = 512
    while offset + 8 <= limit:
        yield offset
        offset *= 2


def recognise(s: Sample) -> Optional[Match]:
    at = next((o for o in _offsets(len(s.head)) if s.head[o:o + 8] == SIGNATURE), None)
    if at is None:
        return None
    where = f" after a {at}-byte user block" if at else ""
    if any(attribute in s.head for attribute in KERAS_ATTRIBUTES):
        return found("keras", f"Keras HDF5 model{where}")
    return found(FORMAT, f"HDF5 file{where}")
