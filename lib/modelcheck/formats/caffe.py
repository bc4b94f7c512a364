"""Caffe: trained networks (NetParameter protobuf) and blobs (BlobProto,
e.g. the mean image a network was trained with).

A NetParameter starts with its name (field 1), then its layers (field 2 in
the V1 layout, 100 later).  That prefix alone is generic protobuf, so a file
is only taken for a Caffe network when the name says .caffemodel, or when a
layer in the head carries a blob with data (V1 blobs field 6, later 7; the
blob's packed floats in field 5): trained weights.  A BlobProto is its four
dimensions (fields 1-4) then exactly that many packed floats (field 5).
Reads the head."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, printable, suffix
from .containers import Field, payload, protobuf_fields

FORMAT = "caffe"
SUFFIXES = ("caffemodel",)
TEXT = False
FIRST = None  # any first byte
FIRST_FIELDS = {1, 2, 100}
LAYER_FIELDS = (2, 100)
BLOB_FIELDS = (6, 7)
BLOB_DATA = 5
DIMENSIONS = (1, 2, 3, 4)


def _has_data(blob: bytes) -> bool:
    return any(f.number == BLOB_DATA and f.wire == 2 and f.value >= 4 for f in protobuf_fields(blob))


def _trained_layer(layer: bytes) -> bool:
    return any(f.number in BLOB_FIELDS and f.wire == 2 and _has_data(payload(layer, f))
               for f in protobuf_fields(layer))


def _network(s: Sample) -> bool:
    fields = protobuf_fields(s.head)
    first = next(fields, None)
    if first is None or (first.number, first.wire) != (1, 2) or not printable(payload(s.head, first)):
        return False
    for field in fields:
        if field.number in LAYER_FIELDS and field.wire == 2 and _trained_layer(payload(s.head, field)):
            return True
    return False


def _blob(s: Sample) -> Optional[str]:
    fields: list[Field] = []
    for field in protobuf_fields(s.head):
        fields.append(field)
        if len(fields) == 5:
            break
    if [f.number for f in fields] != [1, 2, 3, 4, 5] or any(f.wire != 0 for f in fields[:4]):
        return None
    dims = [f.value for f in fields[:4]]
    count = dims[0] * dims[1] * dims[2] * dims[3]
    if fields[4].wire != 2 or fields[4].value != 4 * count or fields[4].start + fields[4].value > s.size:
        return None
    return "x".join(map(str, dims))


def recognise(s: Sample) -> Optional[Match]:
    if suffix(s.name) == "caffemodel":
        first = next(protobuf_fields(s.head), None)
        if first is None or first.number not in FIRST_FIELDS or first.wire != 2:
            return None
        if first.start + first.value > s.size:
            return None
        return found(FORMAT, "Caffe NetParameter (protobuf)")
    if s.head[:1] == b"\x0a" and _network(s):
        return found(FORMAT, "Caffe NetParameter (protobuf) with trained blobs")
    shape = _blob(s) if s.head[:1] == b"\x08" else None
    return None if shape is None else found(FORMAT, f"Caffe BlobProto, {shape}")
