"""debian/copyright agrees with the provenance file on the weights' licence.

The comparison never stops silently: a copyright file that is not DEP-5, a
model file no Files paragraph covers, or a licence name without an SPDX
form each say what was not compared.  A missing debian/copyright is left to
lintian (Debian Policy 12.5 requires the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional, Union

from ..errors import CannotRead
from ..findings import Finding
from ..safeio import read_limited
from ..source import SourceTree
from .pointing import at

if TYPE_CHECKING:
    from debian.copyright import Copyright

    from ..provenance_file import Document

COPYRIGHT = "debian/copyright"
MAX_COPYRIGHT_BYTES = 4 * 1024 * 1024
DIFFERS_TAG = "model-license-differs-from-copyright"
NOT_COMPARED_TAG = "model-license-not-compared-with-copyright"
# The tags this family may emit (the engine refuses any other).
TAGS = (DIFFERS_TAG, NOT_COMPARED_TAG)


def load_copyright(tree: SourceTree) -> Union[None, "Copyright", str]:
    """The machine-readable debian/copyright; None when there is none; why
    it cannot be read as DEP-5 otherwise."""
    from debian.copyright import Copyright, Error, NotMachineReadableError

    path = tree.root / COPYRIGHT
    if not path.exists() and not path.is_symlink():
        return None
    try:
        text = read_limited(path, MAX_COPYRIGHT_BYTES, tree.root).decode("utf-8")
        return Copyright(text.splitlines(keepends=True), strict=False)
    except CannotRead as exc:
        return exc.reason
    except UnicodeDecodeError:
        return "not UTF-8"
    except NotMachineReadableError:
        return "no Format field"
    except (Error, ValueError):  # python-debian's wording is not ours to repeat
        return "not valid DEP-5"


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.valid_provenance
    if document is None:
        return
    copyright_file = load_copyright(tree)
    if copyright_file is None:
        return
    if isinstance(copyright_file, str):
        context = f"{COPYRIGHT} (not machine-readable: {copyright_file}; the models' licences were not compared)"
        yield Finding(tree.source_name, "source", NOT_COMPARED_TAG, context, COPYRIGHT)
        return
    for m, model in enumerate(document.data["Models"]):
        for f, entry in enumerate(model["Files"]):
            yield from compare(tree, document, copyright_file, (m, f), model, entry)


def compare(tree: SourceTree, document: "Document", copyright_file: "Copyright", where: tuple[int, int],
            model: dict[str, Any], entry: dict[str, Any]) -> Iterator[Finding]:
    from ..licences import equivalent, spdx_from_dep5

    m, f = where
    path = entry["Path"]
    stanza = copyright_file.find_files_paragraph(path)
    licence = stanza.license if stanza is not None else None
    stated: Optional[str] = " ".join(licence.synopsis.split()) if licence is not None else None
    if not stated:
        context = f"{path} (no Files paragraph of {COPYRIGHT} gives its licence: not compared)"
        yield at(tree, document, ("Models", m, "Files", f, "Path"), NOT_COMPARED_TAG, context)
        return
    if spdx_from_dep5(stated) is None:
        context = f"{path} ({COPYRIGHT} says {stated}, which has no SPDX form: not compared with {model['License']})"
        yield at(tree, document, ("Models", m, "Files", f, "Path"), NOT_COMPARED_TAG, context)
    elif not equivalent(stated, model["License"]):
        context = f"{path} ({COPYRIGHT} says {stated}, model {model['Name']} says {model['License']})"
        yield at(tree, document, ("Models", m, "License"), DIFFERS_TAG, context)
