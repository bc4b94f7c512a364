"""modelcheck export: the provenance of a source package as an SBOM.

Each format is a pure function from the gathered record to a JSON value;
this module only picks one and serialises it the same way every time."""

from __future__ import annotations

import json
from typing import Any, Callable

from ..source import SourceTree
from . import cyclonedx, spdx3
from .record import Record, gather

FORMATS: dict[str, Callable[[Record], Any]] = {"spdx3": spdx3.document, "cyclonedx": cyclonedx.document}


def export(tree: SourceTree, format_name: str) -> str:
    """The document for a source tree, as text; UnusableInput when its
    provenance is missing or invalid or its changelog unreadable."""
    document = FORMATS[format_name](gather(tree))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
