"""Whether a file discovery read holds a pickle, whatever its name: a cheap
test of the first byte for every file, the decoding test only for the few
that pass it."""

from __future__ import annotations

from ..formats.base import Sample

# The first bytes of a binary pickle (PROTO), of a text one worth decoding,
# and of the compressions joblib writes.
PROTO = 0x80
TEXT_FIRST = b"c(]})SVILFNK"
COMPRESSED_FIRST = b"\x1f\x78BZ\xfd\x5d\x04"


def holds_pickle(s: Sample) -> bool:
    if not s.head or (s.head[0] != PROTO and s.head[0] not in TEXT_FIRST and s.head[0] not in COMPRESSED_FIRST):
        return False
    from .places import holds_pickle as decodes

    return decodes(s)
