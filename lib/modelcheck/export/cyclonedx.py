"""CycloneDX 1.6 JSON: an ML-BOM with one machine-learning-model component
per model.  docs/export-mapping.md gives the mapping field by field.  Pure:
the same record gives the same document."""

from __future__ import annotations

import uuid
from typing import Any, Iterable, Optional

from .. import __version__
from .record import (
    Property, Record, base_iri, base_properties, code_properties, data_properties, document_properties,
    file_properties, model_properties, model_ref, part_ref, present, purl, spdx_licence, split_contact,
    stack_properties, stack_version, training_properties,
)

SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json"

Node = dict[str, Any]


def properties(found: Iterable[Property]) -> Optional[list[Node]]:
    listed = [{"name": name, "value": value} for name, value in found]
    return listed or None


def licences(expression: Optional[str]) -> Optional[list[Node]]:
    spdx = spdx_licence(expression)
    return None if spdx is None else [{"expression": spdx}]


def distribution(url: Optional[str]) -> Optional[list[Node]]:
    return None if url is None else [{"type": "distribution", "url": url}]


def contact(text: str) -> Node:
    """A person: name and email."""
    name, address = split_contact(text)
    return present({"name": name, "email": address})


def supplier(text: str) -> Node:
    """A maintainer, who may be a team: an entity with a contact."""
    return {"name": split_contact(text)[0], "contact": [contact(text)]}


def file_component(model: dict[str, Any], index: int, entry: dict[str, Any]) -> Node:
    hashes = [{"alg": "SHA-256", "content": entry["Sha256"]}] if "Sha256" in entry else None
    return present({"type": "file", "bom-ref": part_ref(model, "file", index), "name": entry["Path"],
                     "hashes": hashes, "properties": properties(file_properties(entry))})


def data_component(model: dict[str, Any], index: int, data: dict[str, Any]) -> Node:
    upstream = data.get("Upstream")
    contents = {"url": upstream} if upstream else None
    return present({
        "type": "data", "bom-ref": part_ref(model, "data", index), "name": data["Name"],
        "licenses": licences(data.get("License")), "externalReferences": distribution(upstream),
        "data": [present({"type": "dataset", "name": data["Name"], "contents": contents})],
        "properties": properties(data_properties(data)),
    })


def ancestor(model: dict[str, Any], index: int, base: dict[str, Any]) -> Node:
    return present({
        "type": "machine-learning-model", "bom-ref": part_ref(model, "base", index), "name": base["Name"],
        "licenses": licences(base["License"]), "externalReferences": distribution(base["Upstream"]),
        "properties": properties(base_properties(base)),
    })


def model_component(record: Record, model: dict[str, Any]) -> Node:
    data = model["Training"]["Data"]
    bases = [ancestor(model, i, b) for i, b in enumerate(model.get("Base-Model", []))]
    card = {"bom-ref": part_ref(model, "model-card"),
            "modelParameters": {"datasets": [{"ref": part_ref(model, "data", i)} for i in range(len(data))]}}
    return present({
        "type": "machine-learning-model", "bom-ref": model_ref(model), "supplier": supplier(record.maintainer),
        "name": model["Name"], "version": record.release.version, "description": model.get("Description"),
        "licenses": licences(model["License"]), "externalReferences": distribution(model["Upstream"]),
        "pedigree": {"ancestors": bases} if bases else None, "modelCard": card,
        "components": [file_component(model, i, f) for i, f in enumerate(model["Files"])],
        "properties": properties(model_properties(model, record.verdicts[model["Name"]])),
    })


def training_components(model: dict[str, Any]) -> list[Node]:
    """The training code and stack: transient components of the formula."""
    training = model["Training"]
    found = []
    code = training["Code"]
    if isinstance(code, dict):
        packaged = purl(code["Packaged-In"]) if "Packaged-In" in code else None
        found.append(present({
            "type": "application", "bom-ref": part_ref(model, "training-code"),
            "name": f"{model['Name']} training code",
            "licenses": licences(code["License"]), "purl": packaged,
            "externalReferences": [{"type": "source-distribution", "url": code["Upstream"]}],
            "properties": properties(code_properties(code)),
        }))
    for index, entry in enumerate(training.get("Stack", [])):
        found.append(present({"type": "framework", "bom-ref": part_ref(model, "stack", index), "name": entry["Name"],
                               "version": stack_version(entry), "properties": properties(stack_properties(entry))}))
    return found


def formula(model: dict[str, Any]) -> Node:
    """How the weights were made: one build workflow from the data and code
    to the model, using the stack."""
    components = training_components(model)
    code = [c["bom-ref"] for c in components if c["type"] == "application"]
    stack = [c["bom-ref"] for c in components if c["type"] == "framework"]
    inputs = [part_ref(model, "data", i) for i in range(len(model["Training"]["Data"]))] + code
    workflow = present({
        "bom-ref": part_ref(model, "training-workflow"), "uid": part_ref(model, "training-workflow"),
        "name": f"training of {model['Name']}", "taskTypes": ["build"],
        "resourceReferences": [{"ref": ref} for ref in stack],
        "inputs": [{"resource": {"ref": ref}} for ref in inputs],
        "outputs": [{"type": "artifact", "resource": {"ref": model_ref(model)}}],
        "properties": properties(training_properties(model["Training"])),
    })
    return present({"bom-ref": part_ref(model, "training"), "components": components, "workflows": [workflow]})


def metadata(record: Record) -> Node:
    release = record.release
    return present({
        "timestamp": release.time,
        "tools": {"components": [{"type": "application", "name": "dh-modelcheck", "version": __version__}]},
        "authors": [contact(release.author)] if release.author else None,
        "component": {"type": "application", "bom-ref": "source", "name": release.source, "version": release.version,
                      "purl": purl(release.source, release.version, "source")},
        "supplier": supplier(record.maintainer),
        "properties": properties(document_properties(record.provenance)),
    })


def document(record: Record) -> dict[str, Any]:
    models = record.provenance["Models"]
    components = [model_component(record, m) for m in models]
    components += [data_component(m, i, d) for m in models for i, d in enumerate(m["Training"]["Data"])]
    return {
        "$schema": SCHEMA, "bomFormat": "CycloneDX", "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base_iri(record.release))}", "version": 1,
        "metadata": metadata(record), "components": components, "formulation": [formula(m) for m in models],
    }
