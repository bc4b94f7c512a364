"""debian/copyright agrees with the provenance file on the weights' licence.

The comparison never stops silently: a copyright file that is not DEP-5, a
model file no Files paragraph covers, or a licence name without an SPDX
form each say what was not compared.  A missing debian/copyright is left to
lintian (Debian Policy 12.5 requires the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Optional, Union

from ..control import deb822_lines
from ..errors import CannotRead
from ..findings import Finding
from ..safeio import read_limited
from ..source import SourceTree
from ..wildcards import InvalidPattern, Wildcard, compile_wildcard
from .pointing import at

if TYPE_CHECKING:
    from debian.copyright import FilesParagraph

    from ..provenance_file import Document

COPYRIGHT = "debian/copyright"
MAX_COPYRIGHT_BYTES = 4 * 1024 * 1024
DIFFERS_TAG = "model-license-differs-from-copyright"
NOT_COMPARED_TAG = "model-license-not-compared-with-copyright"
# The tags this family may emit (the engine refuses any other).
TAGS = (DIFFERS_TAG, NOT_COMPARED_TAG)


class Dep5(NamedTuple):
    """The Files paragraphs, last first (the last that matches wins), each
    with its globs compiled to linear matchers: python-debian's own
    find_files_paragraph translates them to regular expressions that
    backtrack on crafted globs, and compiles each again for every path."""

    paragraphs: tuple[tuple[tuple[Wildcard, ...], "FilesParagraph"], ...]

    def find_files_paragraph(self, path: str) -> Optional["FilesParagraph"]:
        return next((p for globs, p in self.paragraphs if any(g.matches(path) for g in globs)), None)


def _dep5(copyright_file: Any) -> Union[Dep5, str]:
    paragraphs = []
    for paragraph in copyright_file.all_files_paragraphs():
        try:
            globs = tuple(compile_wildcard(glob, any_one=True, escapes=True) for glob in paragraph.files)
        except InvalidPattern as exc:
            return f"a Files glob is invalid: {exc}"
        # python-debian parses a field when it is read: read License now, so
        # that a malformed one (a continuation line without its space) is
        # "not valid DEP-5" here rather than an exception in a lookup.
        paragraph.license  # noqa: B018
        paragraphs.append((globs, paragraph))
    return Dep5(tuple(reversed(paragraphs)))


def load_copyright(tree: SourceTree) -> Union[None, Dep5, str]:
    """The machine-readable debian/copyright; None when there is none; why
    it cannot be read as DEP-5 otherwise."""
    from debian.copyright import Copyright, Error, NotMachineReadableError

    path = tree.root / COPYRIGHT
    if not path.exists() and not path.is_symlink():
        return None
    try:
        text = read_limited(path, MAX_COPYRIGHT_BYTES, tree.root).decode("utf-8")
        lines = deb822_lines(text)
        return _dep5(Copyright(lines, strict=False))
    except CannotRead as exc:
        return exc.reason
    except UnicodeDecodeError:
        return "not UTF-8"
    except NotMachineReadableError:  # also python-debian's error for a syntax error
        return "no Format field" if _without_format(lines) else "not valid DEP-5"
    except (Error, ValueError):  # python-debian's wording is not ours to repeat
        return "not valid DEP-5"


def _without_format(lines: list[str]) -> bool:
    """Whether the first paragraph, read leniently, has no Format field."""
    from debian.deb822 import Deb822

    try:
        header = next(Deb822.iter_paragraphs(lines, use_apt_pkg=False), None)
    except ValueError:
        return False
    return header is None or "Format" not in header


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


def compare(tree: SourceTree, document: "Document", copyright_file: Dep5, where: tuple[int, int],
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
