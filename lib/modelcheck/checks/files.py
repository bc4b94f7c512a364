"""Model files: the ones in the tree are declared, the declared ones are in
the tree, inside it, and have the declared checksums."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from ..findings import Finding
from ..signatures import by_name
from ..source import PROVENANCE, SourceTree
from .pointing import at

if TYPE_CHECKING:
    from ..provenance_file import DeclaredFile

MISSING_PROVENANCE_TAG = "missing-model-provenance"
UNDECLARED_TAG = "undeclared-model-file"
MISSING_FILE_TAG = "declared-model-file-missing"
MISMATCH_TAG = "model-file-checksum-mismatch"
OUTSIDE_TAG = "model-file-outside-source-tree"
UNREADABLE_TAG = "model-file-unreadable"
# The tags this family may emit (the engine refuses any other).
TAGS = (MISSING_PROVENANCE_TAG, UNDECLARED_TAG, MISSING_FILE_TAG, MISMATCH_TAG, OUTSIDE_TAG, UNREADABLE_TAG)


def outside_reason(root: Path, path: str) -> Optional[str]:
    """Why a declared path leaves the source tree, or None if it does not."""
    pure = PurePosixPath(path)
    if pure.is_absolute():
        return "absolute path"
    if ".." in pure.parts:
        return "path goes up with '..'"
    real_root = os.path.realpath(root)
    target = os.path.realpath(root / path)
    if target != real_root and not target.startswith(real_root + os.sep):
        return "symbolic link leaves the source tree"
    return None


def is_declared(found: str, declared: Iterable[str]) -> bool:
    """A discovered file is declared by its own path; a discovered directory
    (a TensorFlow SavedModel) by any declared file inside it."""
    return any(d == found or d.startswith(found.rstrip("/") + "/") for d in declared)


def _discovery_findings(tree: SourceTree, declared: list[str], has_provenance: bool) -> Iterator[Finding]:
    source = tree.source_name
    discovery = tree.discovery
    undeclared = [m for m in discovery.models if not is_declared(m.path, declared)]
    if undeclared and not has_provenance:
        context = f"{PROVENANCE} ({len(undeclared)} model file(s) found, first {undeclared[0].path})"
        yield Finding(source, "source", MISSING_PROVENANCE_TAG, context)
    for model in undeclared:
        context = f"{model.path} ({model.format}, found by {model.evidence}: {model.description})"
        yield Finding(source, "source", UNDECLARED_TAG, context, model.path, details=(("path", model.path),))
    for link in discovery.escaping:
        # Links out of the tree are common (to common-licenses, say); only
        # those named like models matter here, and declared ones are
        # reported with their declaration.
        if link not in declared and by_name(PurePosixPath(link).name) is not None:
            yield Finding(source, "source", OUTSIDE_TAG, f"{link} (symbolic link leaves the source tree)", link,
                          details=(("path", link),))
    for path, reason in discovery.unreadable:
        # What discovery could not look into may be a model: say so rather
        # than pass over it (a FIFO named like one, a file without read
        # permission, a directory too deep to walk).
        yield Finding(source, "source", UNREADABLE_TAG, f"{path} ({reason})", path, details=(("path", path),))


def _declaration_findings(tree: SourceTree) -> Iterator[Finding]:
    from ..hashing import sha256_files
    from ..provenance_file import declared_files

    document = tree.provenance
    to_hash = []
    for entry in declared_files(document):
        reason = outside_reason(tree.root, entry.path)
        if reason is not None:
            yield at(tree, document, entry.json_path, OUTSIDE_TAG, f"{entry.path} ({reason})")
        elif entry.generated:
            continue
        elif not (tree.root / entry.path).is_file():
            yield at(tree, document, entry.json_path, MISSING_FILE_TAG, f"{entry.path} (model {entry.model})")
        elif entry.sha256 is not None:
            to_hash.append(entry)
    hashes = sha256_files([tree.root / e.path for e in to_hash], root=tree.root)
    for entry in to_hash:
        yield from _mismatch(tree, entry, hashes[tree.root / entry.path])


def _mismatch(tree: SourceTree, entry: "DeclaredFile", actual: object) -> Iterator[Finding]:
    problems = []
    size = (tree.root / entry.path).stat().st_size
    if entry.size is not None and entry.size != size:
        problems.append(f"Size {entry.size}, found {size}")
    if not isinstance(actual, str):
        problems.append(f"cannot hash: {actual.reason}")
    elif actual != entry.sha256:
        problems.append(f"Sha256 {entry.sha256}, found {actual}")
    if problems:
        context = f"{entry.path} ({'; '.join(problems)})"
        yield at(tree, tree.provenance, entry.json_path, MISMATCH_TAG, context)


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.provenance
    if document is None:  # without a provenance file, PyYAML is never imported
        yield from _discovery_findings(tree, [], has_provenance=False)
        return
    from ..provenance_file import Document, declared_files

    if not isinstance(document, Document):
        return  # unreadable: its syntax error is the finding that matters
    yield from _discovery_findings(tree, [d.path for d in declared_files(document)], has_provenance=True)
    yield from _declaration_findings(tree)
