"""OpenCV FileStorage (XML or YAML, gzipped too: read through gzip) holding
trained parameters:

- object-detection cascades: the old format (a top node with type_id
  "opencv-haar-classifier") and the new one (a "cascade" node, Haar, LBP or
  HOG features);
- cv::ml models (a top node opencv_ml_svm, opencv_ml_ann_mlp,
  opencv_ml_boost... or, from OpenCV 2, type_id "opencv-ml-...");
- DPM detectors (SBin, then NumComponents);
- plain matrices when their node's name or the file's path says they are
  trained ("model", "trained", "weights", "classifier"; node names also
  "probabilities", "coefficients"): the numbers of a matrix cannot tell
  weights from a calibration or an image.

Calibration results, feature points, images and settings are data, not
models.  Reads the start of the file, up to the first top-level node."""

from __future__ import annotations

import re
from typing import Optional

from .base import Match, Sample, found

FORMAT = "opencv"
SUFFIXES = ()
TEXT = True
FIRST = b"%<"  # the bytes a file of this format may start with
XML_TOP = re.compile(rb"<opencv_storage>\s*(?:<!--.*?-->\s*)*<([A-Za-z_][\w.-]*)([^>]*)>", re.DOTALL)
YAML_TOP = re.compile(rb"^([A-Za-z_][\w.-]*)\s*:[ \t]*(.*)$", re.MULTILINE)
TYPE_ID = re.compile(rb"""type_id=["']([\w-]+)["']|!!([\w-]+)""")
FEATURE = re.compile(rb"featureType\W+(HAAR|LBP|HOG)", re.IGNORECASE)
CASCADE_TYPES = {b"opencv-haar-classifier", b"opencv-cascade-classifier"}
MATRIX_TYPES = {b"opencv-matrix", b"opencv-nd-matrix"}
TRAINED_PATH = ("model", "trained", "weights", "classifier")
# Node names that say what a matrix holds.
TRAINED_NODE = TRAINED_PATH + ("probabilities", "coefficients")


def _top(head: bytes) -> Optional[tuple[bytes, bytes]]:
    """The first top-level node's name and type, if this is a FileStorage."""
    if head.startswith(b"%YAML"):
        body = head[:8192].split(b"\n", 1)[-1]
        match = YAML_TOP.search(body)
    elif head.startswith(b"<?xml") or head.startswith(b"<opencv_storage>"):
        match = XML_TOP.search(head[:16384])
    else:
        return None
    if match is None:
        return None
    kind = TYPE_ID.search(match.group(2))
    return match.group(1), (kind.group(1) or kind.group(2)) if kind else b""


def _kind(name: bytes, type_id: bytes, s: Sample) -> Optional[str]:
    if name == b"cascade" or type_id in CASCADE_TYPES:
        feature = FEATURE.search(s.head[:4096])
        return f"{(feature.group(1).decode().upper() if feature else 'HAAR').replace('HAAR', 'Haar')} cascade"
    if name.startswith(b"opencv_ml_"):
        return f"cv::ml model ({name[10:].decode()})"
    if type_id.startswith(b"opencv-ml-"):
        return f"cv::ml model ({type_id[10:].decode()})"
    if name == b"SBin" and b"NumComponents" in s.head[:4096]:
        return "DPM detector"
    if type_id in MATRIX_TYPES and any(word in name.decode().lower() for word in TRAINED_NODE):
        return f"matrices ({name.decode()})"
    if type_id in MATRIX_TYPES and any(word in (s.path or s.name).lower() for word in TRAINED_PATH):
        return "matrices, in a path that says trained"
    return None


def recognise(s: Sample) -> Optional[Match]:
    top = _top(s.head)
    kind = None if top is None else _kind(*top, s)
    return None if kind is None else found(FORMAT, f"OpenCV FileStorage: {kind}")
