"""debian/model-provenance.yaml: readable, and valid against the schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..findings import Finding
from ..source import PROVENANCE, SourceTree
from .pointing import at

if TYPE_CHECKING:
    from ..provenance_file import Document

SYNTAX_TAG = "model-provenance-syntax-error"
SCHEMA_TAG = "model-provenance-schema-violation"
UNKNOWN_PACKAGE_TAG = "model-provenance-unknown-binary-package"
DUPLICATE_NAME_TAG = "duplicate-model-name"
# The tags this family may emit (the engine refuses any other).
TAGS = (SYNTAX_TAG, SCHEMA_TAG, UNKNOWN_PACKAGE_TAG, DUPLICATE_NAME_TAG)


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.provenance
    source = tree.source_name
    if document is None:  # without a provenance file, PyYAML is never imported
        return
    from ..provenance_file import LoadError

    if isinstance(document, LoadError):
        line, column = document.position if document.position else (None, None)
        context = f"{PROVENANCE} ({document.message})"
        yield Finding(source, "source", SYNTAX_TAG, context, PROVENANCE, line, column=column)
        return
    from ..schema import json_path

    found = []
    for violation in tree.violations:
        context = f"{PROVENANCE} {json_path(violation.path)} ({violation.message})"
        found.append(at(tree, document, violation.path, SCHEMA_TAG, context))
    yield from sorted(found, key=lambda f: (f.line, f.column, f.context))
    yield from _unknown_packages(tree, document)
    yield from _duplicate_names(tree, document)


def _duplicate_names(tree: SourceTree, document: "Document") -> Iterator[Finding]:
    """A model's Name is unique within the file: findings, exports and
    overrides name a model by it.  Each repeat is reported where it is."""
    models = document.data.get("Models") if isinstance(document.data, dict) else None
    first: dict[str, int] = {}
    for m, model in enumerate(models if isinstance(models, list) else []):
        name = model.get("Name") if isinstance(model, dict) else None
        if not isinstance(name, str):
            continue
        if name in first:
            context = f"{name} (models {first[name] + 1} and {m + 1})"
            yield at(tree, document, ("Models", m, "Name"), DUPLICATE_NAME_TAG, context)
        else:
            first[name] = m


def _unknown_packages(tree: SourceTree, document: "Document") -> Iterator[Finding]:
    """Binary-Packages must name packages of debian/control: the provenance
    file is installed into them."""
    known = set(tree.package_names())
    models = document.data.get("Models") if isinstance(document.data, dict) else None
    for m, model in enumerate(models if isinstance(models, list) else []):
        names = model.get("Binary-Packages") if isinstance(model, dict) else None
        for n, name in enumerate(names if isinstance(names, list) else []):
            if isinstance(name, str) and name not in known:
                context = f"{name} (Binary-Packages of model {model.get('Name')})"
                yield at(tree, document, ("Models", m, "Binary-Packages", n), UNKNOWN_PACKAGE_TAG, context)
