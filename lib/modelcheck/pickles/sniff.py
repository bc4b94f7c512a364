"""Whether a file discovery read holds a pickle, whatever its name.  Every
file read passes through here, so the test is cheap: the first bytes, and a
regular expression for text pickles; only the few files that pass it are
decoded (and only then is the walker imported)."""

from __future__ import annotations

import re

from ..formats.base import Sample

# The first byte of a binary pickle (PROTO) and the protocols it may name.
PROTO = 0x80
PROTOCOLS = (2, 3, 4, 5)
# The first bytes of a text (protocol 0 or 1) pickle.
TEXT_FIRST = b"c(]})SVILFNK"
# A text pickle can only call what a GLOBAL or INST line names; one that
# names nothing runs nothing.
NAMING_LINE = re.compile(rb"[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n")
# The compressions joblib writes, by their first bytes.
COMPRESSIONS: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"), (b"\x5d\x00\x00", "lzma"),
    (b"\x04\x22\x4d\x18", "lz4"), (b"\x78\x01", "zlib"), (b"\x78\x5e", "zlib"), (b"\x78\x9c", "zlib"),
    (b"\x78\xda", "zlib"),
)
COMPRESSED = tuple(magic for magic, _name in COMPRESSIONS)


def candidate(head: bytes) -> bool:
    if not head:
        return False
    if head[0] == PROTO:
        return len(head) > 2 and head[1] in PROTOCOLS
    if head[0] in TEXT_FIRST:
        return NAMING_LINE.search(head) is not None
    return head.startswith(COMPRESSED)


def holds_pickle(s: Sample) -> bool:
    if not candidate(s.head):
        return False
    from .places import holds_pickle as decodes

    return decodes(s)
