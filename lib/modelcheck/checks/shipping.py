"""Shipping: which built binary packages carry the declared model files.

Not registered in CHECKS: those judge the source tree, which ``modelcheck
lint`` reads without building.  This family judges the package build trees
(debian/PKG) once dh_install and the package's own rules have filled them,
and dh_installmodelprovenance runs it.

A declared file is recognised by content, not by name: its size first (a
stat, no read), then its SHA-256.  A file marked ``Generated: true`` has no
declared checksum; once built, its copy at the declared Path in the source
tree gives the checksum to look for, and when the build left no copy there
(it wrote the file straight into debian/PKG) the file's name is all there
is to go by.  Symbolic links are never followed, so nothing outside a
package's build tree is looked at.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, NamedTuple, Optional

from ..errors import CannotRead
from ..findings import Finding
from ..source import SourceTree
from .files import outside_reason
from .pointing import at

if TYPE_CHECKING:
    from ..provenance_file import DeclaredFile, Document

MISSING_TAG = "model-file-missing-from-binary-package"
UNDECLARED_TAG = "model-file-in-undeclared-binary-package"
UNSHIPPED_TAG = "model-not-in-any-binary-package"
# The tags this family may emit (dh_installmodelprovenance refuses any other).
TAGS = (MISSING_TAG, UNDECLARED_TAG, UNSHIPPED_TAG)


class Wanted(NamedTuple):
    """How one declared file is recognised in a package build tree."""

    entry: "DeclaredFile"
    sha256: Optional[str]  # None: recognised by name
    size: Optional[int]  # None: unknown, every file is a candidate
    name: str


class Shipped(NamedTuple):
    package: str
    path: str  # inside the package, without the leading slash, as lintian prints it


class PackageFile(NamedTuple):
    package: str
    path: str
    location: Path
    size: int


def _source_copy(tree: SourceTree, entry: "DeclaredFile") -> Optional[Path]:
    """The declared file in the source tree (for a generated one, the copy
    the build left there), if it is a regular file inside the tree."""
    if outside_reason(tree.root, entry.path) is not None:
        return None
    location = tree.root / entry.path
    try:
        return location if stat.S_ISREG(os.lstat(location).st_mode) else None
    except OSError:
        return None


def _recognised(tree: SourceTree, entry: "DeclaredFile") -> Wanted:
    from ..hashing import sha256_file

    name = PurePosixPath(entry.path).name
    copy = _source_copy(tree, entry)
    if not entry.generated:
        # Without a declared Size, the source copy's size still narrows the search.
        size = entry.size if entry.size is not None or copy is None else copy.stat().st_size
        return Wanted(entry, entry.sha256, size, name)
    if copy is None:
        return Wanted(entry, None, None, name)
    try:
        return Wanted(entry, sha256_file(copy), copy.stat().st_size, name)
    except CannotRead:
        return Wanted(entry, None, None, name)


def wanted_files(tree: SourceTree, document: "Document") -> list[Wanted]:
    from ..provenance_file import declared_files

    return [_recognised(tree, entry) for entry in declared_files(document)]


def package_files(package: str, top: Path) -> Iterator[PackageFile]:
    """The regular files of a package build tree, without following
    symbolic links and without DEBIAN/ (control files, not contents)."""
    for directory, subdirs, files in os.walk(top, followlinks=False):
        if Path(directory) == top:
            subdirs[:] = [d for d in subdirs if d != "DEBIAN"]
        for name in files:
            location = Path(directory) / name
            info = os.lstat(location)
            if stat.S_ISREG(info.st_mode):
                yield PackageFile(package, location.relative_to(top).as_posix(), location, info.st_size)


def locate(wanted: list[Wanted], trees: Mapping[str, Path]) -> dict[int, list[Shipped]]:
    """Where each wanted file (by index) is shipped.  Only files whose size
    matches some wanted file are hashed."""
    from ..hashing import sha256_files

    found: list[PackageFile] = [f for package, top in sorted(trees.items()) for f in package_files(package, top)]
    by_checksum = [w for w in wanted if w.sha256 is not None]
    sizes = {w.size for w in by_checksum}
    candidates = [f for f in found if None in sizes or f.size in sizes]
    hashes = sha256_files([f.location for f in candidates])
    located: dict[int, list[Shipped]] = {i: [] for i in range(len(wanted))}
    for i, want in enumerate(wanted):
        for f in candidates if want.sha256 is not None else found:
            if want.sha256 is None:
                hit = PurePosixPath(f.path).name == want.name
            else:
                hit = want.size in (None, f.size) and hashes.get(f.location) == want.sha256
            if hit:
                located[i].append(Shipped(f.package, f.path))
    return located


def carriers(located: Mapping[int, list[Shipped]]) -> set[str]:
    return {s.package for shipped in located.values() for s in shipped}


def _model_index(entry: "DeclaredFile") -> int:
    return int(entry.json_path[1])  # ("Models", m, "Files", f, "Path")


def check(
    tree: SourceTree, document: "Document", wanted: list[Wanted], located: Mapping[int, list[Shipped]],
    acted: Iterable[str], judged_all: bool,
) -> Iterator[Finding]:
    """Binary-Packages against where the files are, for the packages acted on;
    and, when every package was acted on, the models no package carries."""
    acted = set(acted)
    models = document.data["Models"]
    for i, want in enumerate(wanted):
        m = _model_index(want.entry)
        named = models[m].get("Binary-Packages")
        if named is None:  # [] is a statement too: no package ships the model
            continue
        holders = {s.package for s in located[i]}
        for n, package in enumerate(named):
            if package in acted and package not in holders:
                context = f"{package} {want.entry.path} (model {want.entry.model})"
                yield at(tree, document, ("Models", m, "Binary-Packages", n), MISSING_TAG, context)
        for shipped in located[i]:
            if shipped.package not in named:
                context = f"{shipped.package} {shipped.path} ({want.entry.path} of model {want.entry.model})"
                yield at(tree, document, ("Models", m, "Binary-Packages"), UNDECLARED_TAG, context)
    if judged_all:
        yield from _unshipped(tree, document, wanted, located)


def _unshipped(
    tree: SourceTree, document: "Document", wanted: list[Wanted], located: Mapping[int, list[Shipped]]
) -> Iterator[Finding]:
    """Models without Binary-Packages of which no package carries a file:
    used only during the build, perhaps, or installed where nothing looks."""
    models = document.data["Models"]
    for m, model in enumerate(models):
        mine = [i for i, w in enumerate(wanted) if _model_index(w.entry) == m]
        if model.get("Binary-Packages") is not None or any(located[i] for i in mine):
            continue
        context = f"{model['Name']} ({len(mine)} declared file(s), none in a binary package)"
        yield at(tree, document, ("Models", m, "Name"), UNSHIPPED_TAG, context)
