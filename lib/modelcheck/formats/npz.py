"""NumPy .npz: a zip whose members all end in ".npy".  As for npy, an
archive whose arrays are all unsigned bytes or booleans is data (ArUco's
marker dictionaries, images), not trained parameters.  Reads the central
directory and the first member headers."""

from __future__ import annotations

from typing import Optional

from . import containers, npy
from .base import Match, Sample, found, plural, rejected

FORMAT = "npz"
SUFFIXES = ("npz",)
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    archive = containers.zip_archive(s)
    if archive is None or not archive.names or not all(n.endswith(".npy") for n in archive.names):
        return None
    headers = [npy.header(head) for head in archive.heads.values()]
    dtypes = {h[1] for h in headers if h is not None}
    if dtypes and dtypes <= set(npy.DATA_DTYPES):
        return rejected("npz archive of byte arrays")
    return found(FORMAT, f"npz archive with {plural(len(archive.names), 'array')}")
