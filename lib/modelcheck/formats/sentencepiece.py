"""SentencePiece .model (a ModelProto): repeated field 1, each a
SentencePiece message whose first field is the piece (a string) and whose
second, when present, is its score (a float, wire type 5), then its type
(a varint); control pieces such as <unk> carry no score.  The scores are
learnt by the trainer, so the vocabulary counts as a model.  Reads the
first pieces; at least one must carry a score."""

from __future__ import annotations

from typing import Optional

from .base import Match, Sample, found
from .containers import payload, protobuf_fields, varint

FORMAT = "sentencepiece"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte
PIECES_CHECKED = 8
SCORE_FIELD = b"\x15"  # field 2, wire type 5 (fixed32 float)
NEXT_TAGS = (SCORE_FIELD, b"\x18", b"")  # the score, the type (field 3, varint), or the end


def _piece(message: bytes) -> Optional[bool]:
    """None unless a piece string in UTF-8 comes first; else whether a
    score follows it."""
    length = varint(message, 1) if message[:1] == b"\x0a" else None
    if length is None:
        return None
    end = length[1] + length[0]
    try:
        message[length[1]:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    following = message[end:end + 1]
    return following == SCORE_FIELD if following in NEXT_TAGS else None


def recognise(s: Sample) -> Optional[Match]:
    if s.head[:1] != b"\x0a":
        return None
    pieces, scored = 0, 0
    for field in protobuf_fields(s.head):
        if field.number != 1 or field.wire != 2 or field.start + field.value > len(s.head):
            break
        piece = _piece(payload(s.head, field))
        if piece is None:
            return None
        pieces, scored = pieces + 1, scored + piece
        if pieces >= PIECES_CHECKED:
            break
    return found(FORMAT, "SentencePiece model") if pieces >= 3 and scored else None
