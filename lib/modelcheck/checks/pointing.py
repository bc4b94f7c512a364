"""Findings about debian/model-provenance.yaml, pointing at a node."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..findings import Finding
from ..source import PROVENANCE, SourceTree

if TYPE_CHECKING:
    from ..provenance_file import Document, JsonPath


def at(
    tree: SourceTree, document: "Document", path: "JsonPath", tag: str, context: str, case: Optional[str] = None
) -> Finding:
    """A source finding at the node's FILE:LINE:COL (or its nearest ancestor's),
    naming the node by its path from the document's root."""
    line, column = document.position(path)
    details = (("node", tuple(path)),)
    return Finding(tree.source_name, "source", tag, context, PROVENANCE, line, case=case, column=column, details=details)
