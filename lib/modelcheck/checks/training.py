"""How the weights were trained: proprietary software in the training
stack, and the training program's place in the package relations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..findings import Finding
from ..relation_fields import BUILD_FIELDS, STRONG_FIELDS, WEAK_FIELDS, iter_alternatives, parse_field
from ..source import SourceTree, model_area
from .pointing import at

if TYPE_CHECKING:
    from ..provenance_file import Document

PROPRIETARY_TAG = "model-training-requires-proprietary-software"
MISDECLARED_TAG = "proprietary-training-stack-declared-free"
PROGRAM_TAG = "training-program-not-in-relations"
# The tags this family may emit (the engine refuses any other).
TAGS = (PROPRIETARY_TAG, MISDECLARED_TAG, PROGRAM_TAG)


def proprietary_parts(tree: SourceTree, document: "Document", m: int, model: dict[str, Any]) -> Iterator[Finding]:
    """Stack entries naming a known proprietary stack must say so."""
    from ..accelerators import default_accelerators

    for s, entry in enumerate(model["Training"].get("Stack", [])):
        stack = default_accelerators().named(entry["Name"])
        if stack is not None and not entry["Proprietary"]:
            context = f"{entry['Name']} (model {model['Name']}; {stack.vendor} {stack.id} is proprietary)"
            yield at(tree, document, ("Models", m, "Training", "Stack", s, "Proprietary"), MISDECLARED_TAG, context)


def proprietary_names(model: dict[str, Any]) -> list[str]:
    from ..accelerators import default_accelerators

    stacks = model["Training"].get("Stack", [])
    return [e["Name"] for e in stacks if e["Proprietary"] or default_accelerators().named(e["Name"])]


def freely_reproduced(training: dict[str, Any]) -> bool:
    """Someone retrained the weights and says where: evidence that free
    software suffices despite a proprietary stack upstream."""
    reproduction = training.get("Reproducibility", {})
    return reproduction.get("Status") == "reproduced" and bool(reproduction.get("Evidence"))


def proprietary_training(tree: SourceTree, document: "Document", m: int, model: dict[str, Any]) -> Iterator[Finding]:
    names = proprietary_names(model)
    training = model["Training"]
    if not names or freely_reproduced(training):
        return
    details = [", ".join(names)]
    if training.get("CPU-Only-Estimate"):
        details.append(f"CPU-only estimate: {training['CPU-Only-Estimate']}")
    status = training.get("Reproducibility", {}).get("Status", "not stated")
    details.append(f"reproducibility: {status}")
    case = None if model_area(tree, model).is_main else "outside-main"
    context = f"{model['Name']} ({'; '.join(details)})"
    yield at(tree, document, ("Models", m, "Training", "Stack"), PROPRIETARY_TAG, context, case)


def related_packages(tree: SourceTree) -> set[str]:
    """This source's binary packages and every package its relations name."""
    names = set(tree.package_names())
    for stanza, fields in [(tree.control.source, BUILD_FIELDS)] + [
        (b, STRONG_FIELDS + WEAK_FIELDS) for b in tree.control.binaries
    ]:
        for field in fields:
            value: Optional[str] = stanza.get(field)
            if value is not None:
                names.update(alt.name for alt in iter_alternatives(parse_field(value, field)))
    return names


def training_program(tree: SourceTree, document: "Document", m: int, model: dict[str, Any]) -> Iterator[Finding]:
    """ML-Policy: ship the training program, or (Build-)Depend on its package."""
    code = model["Training"]["Code"]
    package = code.get("Packaged-In") if isinstance(code, dict) else None
    if package and package != tree.source_name and package not in related_packages(tree):
        context = f"{package} (training program of model {model['Name']})"
        yield at(tree, document, ("Models", m, "Training", "Code", "Packaged-In"), PROGRAM_TAG, context)


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.valid_provenance
    if document is None:
        return
    for m, model in enumerate(document.data["Models"]):
        yield from proprietary_parts(tree, document, m, model)
        yield from proprietary_training(tree, document, m, model)
        yield from training_program(tree, document, m, model)
