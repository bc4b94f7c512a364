"""TensorFlow frozen graphs (GraphDef .pb): repeated field 1, each a NodeDef
whose first fields are its name and op (strings), and among the first nodes
a Const, where frozen graphs keep their weights.  A graph without constants
is code, not a model.  (SavedModel directories are found by discovery.)"""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found, printable
from .containers import payload, protobuf_fields

FORMAT = "tensorflow"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
NODES_CHECKED = 64
CONST_OP = b"\x12\x05Const"


def _node(message: bytes) -> bool:
    fields = list(zip(range(2), protobuf_fields(message)))
    if len(fields) < 2:
        return False
    name, op = fields[0][1], fields[1][1]
    return (name.number, name.wire, op.number, op.wire) == (1, 2, 2, 2) and bool(
        printable(payload(message, name)) and printable(payload(message, op)))


def recognise(s: Sample) -> Optional[Match]:
    if s.head[:1] != b"\x0a":
        return None
    nodes, constants = 0, 0
    for field in protobuf_fields(s.head):
        if field.number != 1 or field.wire != 2:
            break
        message = payload(s.head, field)
        if not _node(message[:256]):
            return None
        nodes += 1
        constants += CONST_OP in message[:256]
        if nodes >= NODES_CHECKED:
            break
    if nodes < 2 or not constants:
        return None
    return found(FORMAT, "TensorFlow frozen GraphDef with constant weights")


SAVED_MODEL_FIELDS = {1: 0, 2: 2}  # saved_model_schema_version, meta_graphs


def saved_model(s: Sample) -> bool:
    """Whether saved_model.pb starts like a SavedModel: an optional schema
    version, then a MetaGraphDef that fits the file."""
    for field in protobuf_fields(s.head):
        if SAVED_MODEL_FIELDS.get(field.number) != field.wire:
            return False
        if field.number == 2:
            return field.start + field.value <= s.size
    return False
