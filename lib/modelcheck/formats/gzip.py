"""gzip-compressed models: the first HEAD_BYTES of the stream are given to
the other recognisers (all but those that read a zip's tail), so a gzipped
OpenCV FileStorage, KataGo or Leela network, or Leela Zero's text weights
are named by what they hold.  A gzip file holding nothing recognised is not
a model."""

from __future__ import annotations

from typing import Optional

from . import containers
from .base import Match, Sample

FORMAT = "other"
SUFFIXES = ()
TEXT = False
FIRST = None  # any first byte


def recognise(s: Sample) -> Optional[Match]:
    inflated = containers.inflate(s.head)
    if inflated is None:
        return None
    inner, whole = inflated
    from . import sniff_wrapped  # the registry imports this module

    # The stream's size is unknown unless it ended inside the head; assume
    # it is at least the file's size, as compression only shrinks networks.
    size = len(inner) if whole else max(s.size, len(inner))
    name = s.name[:-3] if s.name.lower().endswith(".gz") else s.name
    match = sniff_wrapped(s._replace(name=name, size=size, head=inner, read_at=None))
    if match is None or not match.format:
        return match
    if match.description.endswith("(protobuf)"):
        return match._replace(description=match.description.replace("(protobuf)", "(gzip-compressed protobuf)"))
    if match.description.startswith("KataGo"):
        return match._replace(description=f"{match.description} (gzip)")
    return match._replace(description=f"gzip-compressed {match.description}")
