"""Trained models compiled into C sources:

- festival/flite voices and letter-to-sound models: CART trees
  (cst_cart_node arrays: durations, F0, phrasing, spectral trees),
  letter-to-sound models (cst_lts_model, cst_lts_rule), clustergen
  parameter frames (..._param_frame_...) and clunits voices (cst_clunit);
- neural networks written out as C arrays (the rnnoise/opus style
  rnn_weight/opus_int8 weight tables);
- any source whose opening comment says it was generated from training
  (a Keras model, a learning script) and that defines numeric arrays.

Hand-written lookup tables (sine, CRC, Unicode or phone mappings),
lexicons and recorded speech (diphone LPC and residual databases) are not
trained parameters and match none of these.  Reads the first 64 KiB."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "c-source"
SUFFIXES = ()
TEXT = True
MARKERS = (
    (re.compile(rb"\bcst_cart_node\s+\w+\s*\[\s*\]\s*="), "flite CART tree"),
    (re.compile(rb"\bcst_lts_(?:model|rule)\s+\w+\s*\[\s*\]\s*="), "flite letter-to-sound model"),
    (re.compile(rb"\bunsigned short\s+\w+_param_frame_\d+\s*\[\s*\]\s*="), "flite clustergen parameters"),
    (re.compile(rb"\bcst_clunit\s+\w+\s*\[\s*\]\s*="), "flite clunits voice"),
    (re.compile(rb"\b(?:rnn_weight|opus_int8|qweight)\s+\w+\s*\[\s*\w*\s*\]\s*=\s*\{"), "neural network weights"),
)
GENERATED = re.compile(rb"generated\b[^\n]{0,80}\b(?:from|by)\b[^\n]{0,80}(?:keras|tensorflow|torch|model|train|learn)",
                       re.IGNORECASE)
ARRAY = re.compile(rb"\b(?:float|double|int|short|char|int8_t|int16_t|opus_int16)\s+\w+\s*\[[^\]]*\]\s*=\s*\{\s*[-+0-9.]")
COMMENT_BYTES = 1024
LEAD = (b"/*", b"//", b"#", b"static", b"const", b"extern", b"unsigned", b"float", b"int", b"\n")


def recognise(s: Sample) -> Optional[Match]:
    if not s.head.lstrip()[:8].startswith(LEAD):
        return None
    for pattern, label in MARKERS:
        if pattern.search(s.head):
            return found(FORMAT, f"{label} compiled into C")
    if GENERATED.search(s.head[:COMMENT_BYTES]) and ARRAY.search(s.head):
        return found(FORMAT, "numeric arrays generated from a trained model, in C")
    return None
