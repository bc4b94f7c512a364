"""ML-Policy classes: each model's licences, its derived class, the class it
declares, and whether its archive area admits it under the profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ..control import AREAS, Area
from ..findings import Finding
from ..source import SourceTree
from .pointing import at

if TYPE_CHECKING:
    from ..provenance import Document, JsonPath

CLASS_TAG = "model-classification"
MISMATCH_TAG = "model-classification-mismatch"
AREA_TAG = "model-class-not-allowed-in-area"
INVALID_LICENCE_TAG = "model-license-expression-invalid"
UNKNOWN_LICENCE_TAG = "model-license-unknown-identifier"


def licence_fields(model: dict[str, Any], m: int) -> Iterator[tuple["JsonPath", str]]:
    """Every SPDX licence field of a model, with its JSON path."""
    yield ("Models", m, "License"), model["License"]
    for b, base in enumerate(model.get("Base-Model", [])):
        yield ("Models", m, "Base-Model", b, "License"), base["License"]
    training = model["Training"]
    for d, data in enumerate(training["Data"]):
        if data["License"].lower() != "unknown":
            yield ("Models", m, "Training", "Data", d, "License"), data["License"]
    if isinstance(training["Code"], dict):
        yield ("Models", m, "Training", "Code", "License"), training["Code"]["License"]


def licence_findings(tree: SourceTree, document: "Document") -> Iterator[Finding]:
    from ..licences import judge

    for m, model in enumerate(document.data["Models"]):
        for path, expression in licence_fields(model, m):
            verdict = judge(expression)
            if verdict.error:
                yield at(tree, document, path, INVALID_LICENCE_TAG, f"{expression} ({verdict.error})")
            for identifier in verdict.unknown:
                yield at(tree, document, path, UNKNOWN_LICENCE_TAG, f"{identifier} (in {expression})")


def model_area(tree: SourceTree, model: dict[str, Any]) -> Area:
    """Where the weights end up: the strictest area among the binary
    packages that carry them (all of them by default)."""
    names = set(model.get("Binary-Packages") or tree.package_names())
    areas = [tree.control.binary_area(b) for b in tree.control.binaries if b.get("Package") in names]
    return min(areas or [tree.control.area], key=lambda a: AREAS.index(a.name))


def class_findings(tree: SourceTree, document: "Document") -> Iterator[Finding]:
    from ..classification import classify
    from ..licences import judge
    from ..profiles import profile

    policy = profile(tree.profile)
    for m, model in enumerate(document.data["Models"]):
        verdict = classify(model, judge)
        why = f": {verdict.fact}" if verdict.fact else ""
        yield at(tree, document, ("Models", m, "Name"), CLASS_TAG, f"{verdict.name} {verdict.derived}")
        if model["Classification"] != verdict.derived:
            context = f"{verdict.name} (declared {model['Classification']}, derived {verdict.derived}{why})"
            yield at(tree, document, ("Models", m, "Classification"), MISMATCH_TAG, context)
        area = model_area(tree, model).name
        if not policy.admitted(area, verdict.qualities):
            context = f"{verdict.name} ({verdict.derived} in {area} under {policy.name}{why})"
            yield at(tree, document, ("Models", m, "Classification"), AREA_TAG, context)


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.valid_provenance
    if document is None:
        return
    yield from licence_findings(tree, document)
    yield from class_findings(tree, document)
