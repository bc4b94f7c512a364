"""Keras 3 .keras archives: a zip holding config.json and model.weights.h5.
(Keras 2's HDF5 models are told apart by the hdf5 recogniser.)"""

from __future__ import annotations

from typing import Optional

from . import containers
from .base import Match, Sample, found, plural

FORMAT = "keras"
SUFFIXES = ("keras",)
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    archive = containers.zip_archive(s)
    if archive is None or "config.json" not in archive.names or "model.weights.h5" not in archive.names:
        return None
    return found(FORMAT, f"Keras 3 archive with {plural(len(archive.names), 'member')}")
