"""ONNX ModelProto: fields ir_version (1..15) to graph (7) in ascending
order, the graph's length inside the file, and one more hint, since a short
protobuf prefix alone is weak: the name ends in .onnx, or a printable
producer_name is present, or "onnx" appears in the first KiB."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, printable, suffix
from .containers import Field, payload, protobuf_fields

FORMAT = "onnx"
SUFFIXES = ("onnx", "ort")
TEXT = False
FIRST = None  # any first byte
# ModelProto fields up to the graph, with their wire types.  Serialisers
# write known fields in field-number order, so the graph (7) comes after at
# most the short fields 1..6.
FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2}
IR_VERSIONS = range(1, 16)


def _prefix(s: Sample) -> Optional[dict[int, Field]]:
    seen: dict[int, Field] = {}
    for field in protobuf_fields(s.head):
        if FIELDS.get(field.number) != field.wire or any(n >= field.number for n in seen):
            return None
        if not seen and (field.number != 1 or field.value not in IR_VERSIONS):
            return None
        seen[field.number] = field
        if field.number == 7:
            return seen if field.start + field.value <= s.size else None
    return None


def recognise(s: Sample) -> Optional[Match]:
    fields = _prefix(s) if s.head[:1] == b"\x08" else None  # ir_version's tag
    if fields is None:
        return None
    producer = fields.get(2)
    name = printable(payload(s.head, producer)) if producer else ""
    if not (suffix(s.name) in SUFFIXES or name or b"onnx" in s.head[:1024].lower()):
        return None
    label = f"ONNX model, IR version {fields[1].value}"
    return found(FORMAT, f"{label}, producer {name}" if name else label)
