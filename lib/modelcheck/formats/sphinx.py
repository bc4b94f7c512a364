"""CMU Sphinx (pocketsphinx, sphinxtrain) acoustic and language models:

- s3 binary parameter files (means, variances, mixture_weights,
  transition_matrices, feature_transform): "s3\\n", header lines, "endhdr\\n",
  then the byte-order word 0x11223344;
- the model definition, binary ("BMDF") or text (version line "0.3", then
  "N n_base");
- sendump (compressed mixture weights): a length-prefixed
  "BEGIN FILE FORMAT DESCRIPTION", in either byte order;
- MLLR speaker-adaptation transforms (text): class and stream counts, the
  vector length N, then rows of N real numbers;
- language models: DMP ("Darpa Trigram LM") and binary trie ("Trie Language
  Model").  ARPA text models are the arpa format.

feat.params, noisedict and the pronunciation dictionary are configuration
and a hand-made lexicon: not models.  Reads the header only."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found, u32

FORMAT = "sphinx"
SUFFIXES = ()
TEXT = True
FIRST = b"sBT#0123456789\x00\x11\x1e"  # the bytes a file of this format may start with
S3_HEADER_MAX = 4096
BYTE_ORDER = (0x11223344, 0x44332211)
MLLR = re.compile(rb"([1-9]\d{0,2})\n([1-9])\n([1-9]\d{0,3})\n([^\n]*)\n")
REAL = re.compile(rb"[-+]?\d+\.\d+(?:e[-+]?\d+)?")
TEXT_MDEF = re.compile(rb"(?:#[^\n]*\n)*0\.3\n\d+ n_base\n")
LABELS = {
    b"BMDF": "binary model definition",
    b"\x1e\x00\x00\x00BEGIN FILE FORMAT DESCRIPTION\x00": "sendump mixture weights",
    b"\x00\x00\x00\x1eBEGIN FILE FORMAT DESCRIPTION\x00": "sendump mixture weights",
    b"\x11\x00\x00\x00Darpa Trigram LM\x00": "DMP language model",
    b"\x00\x00\x00\x11Darpa Trigram LM\x00": "DMP language model",
    b"Trie Language Model": "binary trie language model",
}


def _s3(head: bytes) -> Optional[str]:
    end = head.find(b"endhdr\n", 0, S3_HEADER_MAX)
    if end < 0 or len(head) < end + 11 or u32(head, end + 7) not in BYTE_ORDER:
        return None
    return "s3 binary model parameters"


def _mllr(head: bytes) -> bool:
    match = MLLR.match(head[:4096])
    if match is None:
        return False
    row = match.group(4).split()
    return len(row) == int(match.group(3)) and all(REAL.fullmatch(n) for n in row)


def recognise(s: Sample) -> Optional[Match]:
    head = s.head
    label = next((text for magic, text in LABELS.items() if head.startswith(magic)), None)
    if label is None and head.startswith(b"s3\n"):
        label = _s3(head)
    if label is None and head[:1] in b"#0" and TEXT_MDEF.match(head[:4096]):
        label = "text model definition"
    if label is None and head[:1].isdigit() and _mllr(head):
        label = "MLLR transform"
    if label is None:
        return None
    return found(FORMAT, f"CMU Sphinx {label}")
