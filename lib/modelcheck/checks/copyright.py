"""debian/copyright agrees with the provenance file on the weights' licence."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding
from ..safeio import ReadError, read_limited
from ..source import SourceTree
from .pointing import at

COPYRIGHT = "debian/copyright"
MAX_COPYRIGHT_BYTES = 4 * 1024 * 1024
DIFFERS_TAG = "model-license-differs-from-copyright"


def load_copyright(tree: SourceTree):
    """The machine-readable debian/copyright, or None when there is none to
    compare with (missing, unreadable or not DEP-5: other tools report that)."""
    from debian.copyright import Copyright, Error

    try:
        text = read_limited(tree.root / COPYRIGHT, MAX_COPYRIGHT_BYTES).decode("utf-8")
        return Copyright(text.splitlines(keepends=True), strict=False)
    except (ReadError, UnicodeDecodeError, Error, ValueError):
        return None


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.valid_provenance
    if document is None:
        return
    copyright_file = load_copyright(tree)
    if copyright_file is None:
        return
    from ..licences import equivalent, spdx_from_dep5

    for m, model in enumerate(document.data["Models"]):
        for f, entry in enumerate(model["Files"]):
            stanza = copyright_file.find_files_paragraph(entry["Path"])
            if stanza is None or stanza.license is None:
                continue
            stated = stanza.license.synopsis
            spdx = spdx_from_dep5(stated)
            # A short name with no SPDX equivalent cannot be compared.
            if spdx is not None and not equivalent(spdx, model["License"]):
                context = f"{entry['Path']} ({COPYRIGHT} says {stated}, model {model['Name']} says {model['License']})"
                yield at(tree, document, ("Models", m, "License"), DIFFERS_TAG, context)
