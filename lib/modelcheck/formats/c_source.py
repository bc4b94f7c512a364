"""Trained models compiled into C sources:

- festival/flite voices, prosody and letter-to-sound models: CART trees
  (cst_cart_node arrays, and the headers holding their node values:
  durations, F0, accents, spectral trees), letter-to-sound models
  (cst_lts_model, cst_lts_rule, and the LTS_STATE_ header), parameter
  frames (clustergen's ..._param_frame_N, SPAM F0's ..._accent_frame_N), duration
  statistics (dur_stat) and F0 linear regressions (..._lr_term);
- neural networks written out as C arrays (the rnnoise/opus style
  rnn_weight/opus_int8 weight tables);
- any source whose opening comment says it was generated from training
  (a Keras model, a learning script) and that defines numeric arrays.

Hand-written lookup tables (sine, CRC, Unicode or phone mappings),
lexicons and recorded speech (diphone LPC and residual databases, clunits'
unit indexes) are not trained parameters and match none of these.  A CART
written by hand has the same layout as a trained one: content cannot tell
them apart, but flite's hand-written phrasing trees are too small for
discovery to read (see discover.HINTED_MIN_BYTES).  Reads the first 16 KiB."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "c-source"
SUFFIXES = ()
TEXT = True
FIRST = None  # any first byte
# Each marker: a literal that must be in the head before its (slower)
# regular expression is tried, the expression, and what it finds.
MARKERS = (
    (b"cst_cart_node", re.compile(rb"\bcst_cart_node\s+\w+\s*\[\s*\]\s*="), "flite CART tree"),
    (b"cst_lts_", re.compile(rb"\bcst_lts_(?:model|rule)\s+\w+\s*\[\s*\]\s*="), "flite letter-to-sound model"),
    (b"cst_cart", re.compile(rb"\bcst_cart\s+\w+\s*="), "flite CART tree"),
    (b"cst_cart.h", re.compile(rb'#include "cst_cart.h"\s+(?:#include[^\n]*\s+|/\*[^\n]*\*/\s*)*DEF_STATIC_CONST_VAL_'),
     "flite CART tree"),
    (b"LTS_STATE_", re.compile(rb"#define LTS_STATE_\w+ 0x"), "flite letter-to-sound model states"),
    (b"_frame_", re.compile(rb"\b(?:unsigned short|float)\s+\w+_(?:param|accent)_frame_\d+\s*\[\s*\]\s*="),
     "flite parameter frames"),
    (b"dur_stat", re.compile(rb"\bdur_stat\s+\w+\s*="), "flite duration statistics"),
    (b"_lr_term", re.compile(rb"\b\w*_lr_term\s+\w+\s*\[\s*\]\s*="), "flite linear-regression model"),
    (b"_weight", re.compile(rb"\b(?:rnn_weight|opus_int8|qweight)\s+\w+\s*\[\s*\w*\s*\]\s*=\s*\{"),
     "neural network weights"),
)
CART_VALUE = re.compile(rb"^DEF_STATIC_CONST_VAL_(?:FLOAT|STRING)\(val_\d+,", re.MULTILINE)
CART_NODE = re.compile(rb"^#define CTNODE_\w+ \d+$", re.MULTILINE)
GENERATED = re.compile(rb"generated\b[^\n]{0,80}\b(?:from|by)\b[^\n]{0,80}(?:keras|tensorflow|torch|model|train|learn)",
                       re.IGNORECASE)
ARRAY = re.compile(rb"\b(?:float|double|int|short|char|int8_t|int16_t|opus_int16)\s+\w+\s*\[[^\]]*\]\s*=\s*\{\s*[-+0-9.]")
COMMENT_BYTES = 1024
# Generated model sources declare their arrays at the top; this much is searched.
SOURCE_BYTES = 16 * 1024
LEAD = (b"/*", b"//", b"#", b"static", b"const", b"extern", b"unsigned", b"float", b"int", b"DEF_STATIC")


def recognise(s: Sample) -> Optional[Match]:
    if not s.head.lstrip()[:16].startswith(LEAD):
        return None
    head = s.head[:SOURCE_BYTES]
    if b"#define CTNODE_" in head and CART_VALUE.search(head) and CART_NODE.search(head):
        return found(FORMAT, "flite CART node values compiled into C")
    for literal, pattern, label in MARKERS:
        if literal in head and pattern.search(head):
            return found(FORMAT, f"{label} compiled into C")
    if GENERATED.search(head[:COMMENT_BYTES]) and ARRAY.search(head):
        return found(FORMAT, "numeric arrays generated from a trained model, in C")
    return None
