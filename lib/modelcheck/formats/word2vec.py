"""word2vec vectors (word2vec, gensim's save_word2vec_format, fastText's
.vec): a header line "COUNT DIMENSIONS", then per word the word and its
vector, as DIMENSIONS numbers on the same line (text) or DIMENSIONS
little-endian floats after a space (binary).  Embeddings are trained
parameters.  Checks the first entries."""

from __future__ import annotations

import re
from typing import Optional

from .base import TEXT_BYTES, Match, Sample, found

FORMAT = "word2vec"
SUFFIXES = ()
TEXT = True
FIRST = b"123456789"  # the bytes a file of this format may start with
HEADER = re.compile(rb"(\d+) (\d+)[ \t]*\r?\n")
NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ENTRIES_CHECKED = 3
DIMENSIONS_MAX = 100_000


def _text(body: bytes, dimensions: int) -> bool:
    lines = body.split(b"\n", ENTRIES_CHECKED)[:ENTRIES_CHECKED]
    for line in lines[:-1] if len(lines) == ENTRIES_CHECKED else lines:
        tokens = line.split()
        if len(tokens) != dimensions + 1 or NUMBER.fullmatch(tokens[0]):
            return False
        if not all(NUMBER.fullmatch(t) for t in tokens[1:]):
            return False
    return len(lines) > 1


def _binary(body: bytes, dimensions: int) -> bool:
    word, space, rest = body.partition(b" ")
    vector = rest[:4 * dimensions]
    return (bool(space) and 0 < len(word) <= 200 and b"\n" not in word and len(vector) == 4 * dimensions
            and bool(vector.translate(None, TEXT_BYTES)))


def recognise(s: Sample) -> Optional[Match]:
    header = HEADER.match(s.head[:64])
    if header is None:
        return None
    count, dimensions = int(header.group(1)), int(header.group(2))
    if not (count >= 1 and 1 <= dimensions <= DIMENSIONS_MAX):
        return None
    body = s.head[header.end():]
    if _text(body, dimensions):
        return found(FORMAT, f"word2vec text vectors, {count} words x {dimensions}")
    if _binary(body, dimensions):
        return found(FORMAT, f"word2vec binary vectors, {count} words x {dimensions}")
    return None
