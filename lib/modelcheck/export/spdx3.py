"""SPDX 3.0.1 JSON-LD: the provenance with the AI, Dataset, Build and
SimpleLicensing profiles.  docs/export-mapping.md gives the mapping field by
field.  Pure: the same record gives the same graph."""

from __future__ import annotations

from typing import Any, Iterable, Optional
from urllib.parse import quote

from .. import __version__
from .record import (
    Property, Record, base_properties, code_properties, data_properties, document_properties, file_properties,
    model_properties, model_ref, part_ref, present, purl, spdx_licence, split_contact, stack_properties, stack_version,
    training_properties,
)
from .record import base_iri as release_iri

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
CREATION = "_:creationinfo"
REVIEW = "_:review"
BUILD_TYPE = "https://salsa.debian.org/deeplearning-team/dh-modelcheck/build-types/model-training"
PROFILES = ["core", "software", "simpleLicensing", "ai", "dataset", "build"]

# Who may obtain a data set, in SPDX's words; what SPDX cannot say has no entry.
AVAILABILITY = {"public": "directDownload", "registration": "registration"}

Node = dict[str, Any]


class Graph:
    """The elements of one document, each id given once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.nodes: list[Node] = []
        self.ids: set[str] = set()

    def iri(self, ref: str) -> str:
        return f"{self.base}#{ref}"

    def add(self, kind: str, ref: str, creation: str = CREATION, **fields: Any) -> str:
        """An element at base#ref (once, however often it is asked for)."""
        spdx_id = self.iri(ref)
        if spdx_id not in self.ids:
            self.ids.add(spdx_id)
            self.nodes.append({"type": kind, "spdxId": spdx_id, "creationInfo": creation, **present(fields)})
        return spdx_id

    def relate(self, source: str, kind: str, targets: list[str], ref: str, comment: Optional[str] = None) -> str:
        fields = {"from": source, "relationshipType": kind, "to": targets, "comment": comment}
        return self.add("Relationship", ref, **fields)

    def annotate(self, subject: str, properties: Iterable[Property], ref: str) -> None:
        """What SPDX has no field for: one annotation per property."""
        for index, (name, value) in enumerate(properties):
            self.add("Annotation", f"{ref}/annotation/{index}", annotationType="other", subject=subject,
                     contentType="text/plain", statement=f"{name}: {value}")

    def declare_licence(self, subject: str, expression: Optional[str], ref: str) -> None:
        spdx = spdx_licence(expression)
        if spdx is not None:
            licence = self.add("simplelicensing_LicenseExpression", f"license/{quote(spdx, safe='')}",
                               simplelicensing_licenseExpression=spdx)
            self.relate(subject, "hasDeclaredLicense", [licence], f"{ref}/declared-license")


def agent(graph: Graph, contact: str, ref: str) -> str:
    name, address = split_contact(contact)
    identifiers = [{"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": address}]
    return graph.add("Agent", ref, name=name, externalIdentifier=identifiers if address else None)


def add_file(graph: Graph, model: dict[str, Any], index: int, entry: dict[str, Any]) -> str:
    ref = part_ref(model, "file", index)
    hashes = [{"type": "Hash", "algorithm": "sha256", "hashValue": entry["Sha256"]}] if "Sha256" in entry else None
    spdx_id = graph.add("software_File", ref, name=entry["Path"], software_primaryPurpose="model",
                        software_fileKind="file", verifiedUsing=hashes)
    graph.annotate(spdx_id, file_properties(entry), ref)
    return spdx_id


def add_data(graph: Graph, model: dict[str, Any], index: int, data: dict[str, Any]) -> str:
    ref = part_ref(model, "data", index)
    availability = AVAILABILITY.get(data["Availability"])
    spdx_id = graph.add("dataset_DatasetPackage", ref, name=data["Name"], software_primaryPurpose="data",
                        software_downloadLocation=data.get("Upstream"), dataset_datasetType=["noAssertion"],
                        dataset_datasetAvailability=availability)
    graph.declare_licence(spdx_id, data.get("License"), ref)
    graph.annotate(spdx_id, data_properties(data), ref)
    return spdx_id


def add_base(graph: Graph, model: dict[str, Any], index: int, base: dict[str, Any]) -> str:
    ref = part_ref(model, "base", index)
    spdx_id = graph.add("ai_AIPackage", ref, name=base["Name"], software_primaryPurpose="model",
                        software_downloadLocation=base["Upstream"])
    graph.declare_licence(spdx_id, base["License"], ref)
    graph.annotate(spdx_id, base_properties(base), ref)
    return spdx_id


def add_tools(graph: Graph, model: dict[str, Any], training: dict[str, Any]) -> list[str]:
    """The training code and the training stack, as packages the build uses."""
    tools = []
    code = training["Code"]
    if isinstance(code, dict):
        ref = part_ref(model, "training-code")
        packaged = purl(code["Packaged-In"]) if "Packaged-In" in code else None
        tools.append(graph.add("software_Package", ref, name=f"{model['Name']} training code",
                               software_primaryPurpose="source", software_downloadLocation=code["Upstream"],
                               software_packageUrl=packaged))
        graph.declare_licence(tools[-1], code["License"], ref)
        graph.annotate(tools[-1], code_properties(code), ref)
    for index, entry in enumerate(training.get("Stack", [])):
        ref = part_ref(model, "stack", index)
        tools.append(graph.add("software_Package", ref, name=entry["Name"], software_primaryPurpose="framework",
                               software_packageVersion=stack_version(entry)))
        graph.annotate(tools[-1], stack_properties(entry), ref)
    return tools


def add_training(graph: Graph, model: dict[str, Any], model_id: str, data_ids: list[str]) -> None:
    training = model["Training"]
    ref = part_ref(model, "training")
    tools = add_tools(graph, model, training)
    code = training["Code"]
    environment = [{"type": "DictionaryEntry", "key": name.split(":", 1)[1], "value": value}
                   for name, value in training_properties(training)]
    build = graph.add("build_Build", ref, name=f"training of {model['Name']}", build_buildType=BUILD_TYPE,
                      build_configSourceUri=[code["Upstream"]] if isinstance(code, dict) else None,
                      build_environment=environment)
    graph.relate(build, "hasInput", data_ids, f"{ref}/inputs")
    graph.relate(build, "hasOutput", [model_id], f"{ref}/outputs")
    if tools:
        graph.relate(build, "usesTool", tools, f"{ref}/tools")
    graph.annotate(build, training_properties(training), ref)


def add_model(graph: Graph, record: Record, model: dict[str, Any], supplier: str) -> str:
    ref = model_ref(model)
    model_id = graph.add(
        "ai_AIPackage", ref, name=model["Name"], description=model.get("Description"), comment=model.get("Notes"),
        software_primaryPurpose="model", software_downloadLocation=model["Upstream"],
        software_packageVersion=record.release.version, suppliedBy=supplier, releaseTime=record.release.time,
    )
    graph.declare_licence(model_id, model["License"], ref)
    files = [add_file(graph, model, i, entry) for i, entry in enumerate(model["Files"])]
    graph.relate(model_id, "contains", files, f"{ref}/files")
    data = [add_data(graph, model, i, d) for i, d in enumerate(model["Training"]["Data"])]
    graph.relate(model_id, "trainedOn", data, f"{ref}/trained-on")
    for index, base in enumerate(model.get("Base-Model", [])):
        graph.relate(model_id, "descendantOf", [add_base(graph, model, index, base)],
                     part_ref(model, "descendant-of", index), comment=base["Relation"])
    add_training(graph, model, model_id, data)
    graph.annotate(model_id, model_properties(model, record.verdicts[model["Name"]]), ref)
    return model_id


def review(graph: Graph, provenance: dict[str, Any], document: str, release_time: str) -> Optional[Node]:
    """Reviewed-By as a review annotation by that person, dated Review-Date
    (the release's date when the file gives none); a Review-Date alone as
    an ordinary annotation."""
    if "Reviewed-By" not in provenance:
        graph.annotate(document, document_properties(provenance), "document")
        return None
    reviewer = agent(graph, provenance["Reviewed-By"], "reviewer")
    date = f"{provenance['Review-Date']}T00:00:00Z" if "Review-Date" in provenance else release_time
    statement = "; ".join(f"{name}: {value}" for name, value in document_properties(provenance))
    graph.add("Annotation", "review", REVIEW, annotationType="review", subject=document, statement=statement)
    return {"type": "CreationInfo", "@id": REVIEW, "specVersion": "3.0.1", "created": date, "createdBy": [reviewer]}


def document(record: Record) -> dict[str, Any]:
    graph = Graph(release_iri(record.release))
    release = record.release
    supplier = agent(graph, record.maintainer, "maintainer")
    creator = agent(graph, release.author, "changelog-author") if release.author != record.maintainer else supplier
    tool = graph.add("Tool", "tool", name=f"dh-modelcheck {__version__}")
    document_id = graph.iri("document")
    models = [add_model(graph, record, m, supplier) for m in record.provenance["Models"]]
    reviewed = review(graph, record.provenance, document_id, release.time)
    creation = {"type": "CreationInfo", "@id": CREATION, "specVersion": "3.0.1", "created": release.time,
                "createdBy": [creator], "createdUsing": [tool]}
    spdx_document = {
        "type": "SpdxDocument", "spdxId": document_id, "creationInfo": CREATION,
        "name": f"{release.source} {release.version}: machine-learning models",
        "profileConformance": PROFILES, "rootElement": models, "element": sorted(graph.ids),
    }
    infos = [creation] + ([reviewed] if reviewed else [])
    return {"@context": CONTEXT, "@graph": infos + [spdx_document] + graph.nodes}
