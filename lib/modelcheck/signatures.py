"""The names other modules import; the recognisers live in ``formats``."""

from .formats import FORMATS, HEAD_BYTES, NAMED, TEXT_MIN_BYTES, Match, Sample, by_name, classify, name_only
from .formats.tensorflow import saved_model

__all__ = ["FORMATS", "HEAD_BYTES", "NAMED", "TEXT_MIN_BYTES", "Match", "Sample", "by_name", "classify",
           "name_only", "saved_model"]
