"""Networks written out as text numbers (Leela Zero's weights, gnubg's
neural nets and their kin), told apart from data tables by their shape:

- at least 64 KiB, no NUL, mostly the bytes numbers are made of, and
  >= 90% of the first 16 KiB's tokens (split at blanks, commas and
  semicolons) are numbers; and
- either long rows (a median of at least 64 numbers per line: one layer's
  weights per line), or one real number per line (with a decimal point or
  an exponent) after at most a few header lines; and
- values like weights: at least half of the sampled numbers distinct, and
  three quarters of them smaller than 16 in magnitude.

Data sets (UCI .data, CSV), meshes (.ply, .obj, .off), calibration and
test vectors are tables: rows of a few columns, often integers; images
repeat a few values; point tracks are pixel coordinates in the hundreds.  Reads the first 64 KiB."""

from __future__ import annotations

import re
from typing import Optional

from .base import TEXT_MIN_BYTES, Match, Sample, found

FORMAT = "text"
SUFFIXES = ()
TEXT = True
FIRST = None  # any first byte
NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)", re.IGNORECASE)
REAL = re.compile(rb"[-+]?(?:\d+\.\d*|\.\d+|\d+[eE][-+]?\d+|\d+\.\d*[eE][-+]?\d+)")
SEPARATORS = re.compile(rb"[\s,;]+")
NUMBER_SHARE = 0.9
LONG_ROW = 64
HEADER_LINES = 3
DISTINCT_SHARE = 0.5
SMALL_SHARE = 0.75
SMALL = 16.0
# Bytes numbers and their separators are made of.  Deleting them costs
# microseconds and rejects prose and code at once, since at most half of a
# number list is anything else.
NUMBER_BYTES = b"0123456789.+-eE,; \t\r\n"
OTHER_SHARE = 0.5
PREFILTER_BYTES = 4096
# Meshes announce themselves: PLY and OFF headers.
MESH_HEADERS = (b"ply\n", b"ply\r\n", b"OFF\n", b"OFF\r\n", b"COFF", b"NOFF", b"STOFF")
# Tokenising is what costs: only this much of the head is tokenised.
SAMPLE_BYTES = 16 * 1024


def _mostly_number_bytes(data: bytes) -> bool:
    return len(data.translate(None, NUMBER_BYTES)) <= OTHER_SHARE * len(data)


def _shape(head: bytes) -> Optional[str]:
    """Why these lines look like weights rather than a table, or None.  A
    sample inside one line longer than itself is one long row."""
    split = head.split(b"\n")
    lines = [line for line in (split[:-1] if len(split) > 1 else split) if line.strip()]
    if not lines:
        return None
    widths = [len(SEPARATORS.split(line.strip())) for line in lines]
    median = sorted(widths)[len(widths) // 2]  # statistics would cost every run its import
    if median >= LONG_ROW:
        return f"{median} numbers per line"
    body = lines[HEADER_LINES:] if len(lines) > HEADER_LINES * 4 else lines
    if all(w == 1 for w in widths[HEADER_LINES:]) and sum(1 for line in body if REAL.fullmatch(line.strip())) >= NUMBER_SHARE * len(body):
        return "one real number per line"
    return None


def _small(tokens: list[bytes]) -> bool:
    small = 0
    for token in tokens:
        try:
            small += abs(float(token)) < SMALL
        except ValueError:
            pass
    return small >= SMALL_SHARE * len(tokens)


def recognise(s: Sample) -> Optional[Match]:
    if s.head.startswith(MESH_HEADERS):
        return None
    if s.size < TEXT_MIN_BYTES or not _mostly_number_bytes(s.head[:PREFILTER_BYTES]):
        return None
    if b"\0" in s.head or not _mostly_number_bytes(s.head):
        return None
    sample = s.head[:SAMPLE_BYTES]
    shape = _shape(sample)
    if shape is None:
        return None
    # The last token may be cut by the sample.
    tokens = [t for t in SEPARATORS.split(sample)[:-1] if t]
    if not tokens:
        return None
    # Cheapest test first: images and tables repeat values.
    if len(set(tokens)) < DISTINCT_SHARE * len(tokens):
        return None
    numbers = sum(1 for t in tokens if NUMBER.fullmatch(t))
    if numbers < NUMBER_SHARE * len(tokens) or not _small(tokens):
        return None
    return found(FORMAT, f"text of numbers ({numbers} of {len(tokens)} sampled tokens, {shape})")
