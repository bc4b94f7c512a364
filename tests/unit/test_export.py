"""modelcheck export: what each document says about the worked examples,
and how the command fails.  Validation against the standards' schemas is in
test_export_schemas.py."""

from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
import yaml

from modelcheck import cli
from modelcheck.export.record import purl, read_release, spdx_licence

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
BASE = "https://sources.debian.org/src/{}/1.0/debian/model-provenance.yaml#"

# (source, derived class, class reason, archive area, admitted) of each worked example.
VERDICTS = {
    "custom-licence-self-play": ("backgammon-net", "free", (), "main", "true"),
    "free-digits": ("digits", "free", (), "main", "true"),
    "non-free-base-fine-tune": (
        "chat-assistant", "non-free", (
            "training data Debian mailing list answers has an unknown licence",
            "base model example-llm-7b: LicenseRef-example-community-license is not known to be free",
        ), "non-free", "true",
    ),
    "self-play-go": ("go-engine", "free", (), "main", "true"),
    "toxic-candy-private-data": (
        "photo-tagger", "toxic-candy", (
            "training data upstream's in-house photo collection is not available to anyone",
            "training data upstream's in-house photo collection has an unknown licence",
        ), "main", "false",
    ),
}
SPDX_AVAILABILITY = {"public": "directDownload", "registration": "registration"}


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def export(tree: Path, format_name: str) -> dict[str, Any]:
    status, out, err = run(["export", "--format", format_name, str(tree)])
    assert (status, err) == (0, "")
    return json.loads(out)


def provenance(tree: Path) -> dict[str, Any]:
    return yaml.safe_load((tree / "debian/model-provenance.yaml").read_text(encoding="utf-8"))


def copy_example(tmp_path: Path, name: str, edit: Optional[Callable[[dict[str, Any]], None]] = None) -> Path:
    tree = tmp_path / name
    shutil.copytree(EXAMPLES / name, tree)
    if edit is not None:
        data = provenance(tree)
        edit(data)
        (tree / "debian/model-provenance.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tree


def props(node: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["name"], p["value"]) for p in node.get("properties", [])]


# CycloneDX.

@pytest.mark.parametrize("example", sorted(VERDICTS))
def test_cyclonedx_says_what_the_provenance_says(example: str) -> None:
    tree = EXAMPLES / example
    document, facts = export(tree, "cyclonedx"), provenance(tree)
    source, derived, reasons, area, admitted = VERDICTS[example]
    components = {c["bom-ref"]: c for c in document["components"]}
    assert document["metadata"]["component"]["purl"] == f"pkg:deb/debian/{source}@1.0?arch=source"
    for model in facts["Models"]:
        ref = f"model/{model['Name']}"
        component = components[ref]
        assert (component["type"], component["name"], component["version"]) == (
            "machine-learning-model", model["Name"], "1.0")
        assert component["licenses"] == [{"expression": model["License"]}]
        assert component["externalReferences"] == [{"type": "distribution", "url": model["Upstream"]}]
        assert [(f["name"], f["hashes"]) for f in component["components"]] == [
            (f["Path"], [{"alg": "SHA-256", "content": f["Sha256"]}]) for f in model["Files"]]
        datasets = component["modelCard"]["modelParameters"]["datasets"]
        assert [(components[d["ref"]]["name"], components[d["ref"]]["type"], props(components[d["ref"]])[0])
                for d in datasets] == [
            (d["Name"], "data", ("dh-modelcheck:availability", d["Availability"])) for d in model["Training"]["Data"]]
        ancestors = component.get("pedigree", {}).get("ancestors", [])
        assert [(a["name"], a["licenses"], props(a)[0]) for a in ancestors] == [
            (b["Name"], [{"expression": b["License"]}], ("dh-modelcheck:base-relation", b["Relation"]))
            for b in model.get("Base-Model", [])]
        expected = [("dh-modelcheck:class", derived), ("dh-modelcheck:declared-class", model["Classification"])]
        expected += [("dh-modelcheck:class-reason", reason) for reason in reasons]
        assert props(component)[:len(expected)] == expected
        assert ("dh-modelcheck:archive-area", area) in props(component)
        assert ("dh-modelcheck:profile", "ml-policy") in props(component)
        assert ("dh-modelcheck:admitted-in-area", admitted) in props(component)


def test_cyclonedx_formulation_of_self_play_go() -> None:
    document = export(EXAMPLES / "self-play-go", "cyclonedx")
    [formula] = document["formulation"]
    assert [(c["type"], c["name"], c.get("version"), props(c)) for c in formula["components"]] == [
        ("application", "go-network training code", None, [("dh-modelcheck:complete", "true")]),
        ("framework", "TensorFlow", "1.15", [("dh-modelcheck:proprietary", "false")]),
        ("framework", "NVIDIA CUDA", "10.0", [("dh-modelcheck:proprietary", "true")]),
        ("framework", "cuDNN", "7.4", [("dh-modelcheck:proprietary", "true")]),
    ]
    [workflow] = formula["workflows"]
    assert workflow["inputs"] == [{"resource": {"ref": "model/go-network/data/0"}},
                                  {"resource": {"ref": "model/go-network/training-code"}}]
    assert workflow["outputs"] == [{"type": "artifact", "resource": {"ref": "model/go-network"}}]
    assert workflow["resourceReferences"] == [{"ref": f"model/go-network/stack/{i}"} for i in range(3)]
    assert props(workflow) == [
        ("dh-modelcheck:hardware", "volunteers' NVIDIA GPUs"),
        ("dh-modelcheck:compute", "millions of self-play games"),
        ("dh-modelcheck:cpu-only-estimate", "about 1700 years on commodity hardware"),
        ("dh-modelcheck:reproducibility", "impractical"),
    ]


def values_of(node: Any, key: str) -> list[str]:
    if isinstance(node, dict):
        own = [node[key]] if key in node else []
        return own + [r for value in node.values() for r in values_of(value, key)]
    return [r for item in node for r in values_of(item, key)] if isinstance(node, list) else []


@pytest.mark.parametrize("example", sorted(VERDICTS))
def test_cyclonedx_bom_refs_are_unique_and_every_ref_resolves(example: str) -> None:
    document = export(EXAMPLES / example, "cyclonedx")
    refs = values_of(document, "bom-ref")
    assert len(refs) == len(set(refs))
    used = values_of(document, "ref")
    assert used and set(used) <= set(refs)


# SPDX 3.

def graph(document: dict[str, Any], base: str) -> dict[str, dict[str, Any]]:
    return {n["spdxId"].removeprefix(base): n for n in document["@graph"] if "spdxId" in n}


def related(nodes: dict[str, dict[str, Any]], base: str, source: str, kind: str) -> list[str]:
    return [t.removeprefix(base) for n in nodes.values() if n["type"] == "Relationship"
            and n["from"] == base + source and n["relationshipType"] == kind for t in n["to"]]


def annotations(nodes: dict[str, dict[str, Any]], base: str, subject: str) -> list[str]:
    return [n["statement"] for n in nodes.values() if n["type"] == "Annotation" and n["subject"] == base + subject]


@pytest.mark.parametrize("example", sorted(VERDICTS))
def test_spdx3_says_what_the_provenance_says(example: str) -> None:
    tree = EXAMPLES / example
    facts = provenance(tree)
    source, derived, reasons, area, admitted = VERDICTS[example]
    base = BASE.format(source)
    document = export(tree, "spdx3")
    nodes = graph(document, base)
    assert document["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    assert nodes["document"]["rootElement"] == [base + f"model/{m['Name']}" for m in facts["Models"]]
    for model in facts["Models"]:
        ref = f"model/{model['Name']}"
        package = nodes[ref]
        assert {k: package[k] for k in ("type", "name", "software_primaryPurpose", "software_downloadLocation",
                                         "software_packageVersion", "releaseTime", "suppliedBy")} == {
            "type": "ai_AIPackage", "name": model["Name"], "software_primaryPurpose": "model",
            "software_downloadLocation": model["Upstream"], "software_packageVersion": "1.0",
            "releaseTime": "2026-11-28T10:00:00Z", "suppliedBy": base + "maintainer"}
        licences = related(nodes, base, ref, "hasDeclaredLicense")
        assert [nodes[f]["simplelicensing_licenseExpression"] for f in licences] == [model["License"]]
        files = related(nodes, base, ref, "contains")
        assert [(nodes[f]["name"], nodes[f]["verifiedUsing"]) for f in files] == [
            (f["Path"], [{"type": "Hash", "algorithm": "sha256", "hashValue": f["Sha256"]}]) for f in model["Files"]]
        datasets = related(nodes, base, ref, "trainedOn")
        assert [(nodes[d]["type"], nodes[d]["name"], nodes[d].get("dataset_datasetAvailability"),
                 annotations(nodes, base, d)[0]) for d in datasets] == [
            ("dataset_DatasetPackage", d["Name"], SPDX_AVAILABILITY.get(d["Availability"]),
             f"dh-modelcheck:availability: {d['Availability']}") for d in model["Training"]["Data"]]
        bases = related(nodes, base, ref, "descendantOf")
        assert [(nodes[b]["type"], nodes[b]["name"], annotations(nodes, base, b)[0]) for b in bases] == [
            ("ai_AIPackage", b["Name"], f"dh-modelcheck:base-relation: {b['Relation']}")
            for b in model.get("Base-Model", [])]
        notes = annotations(nodes, base, ref)
        assert notes[:2] == [f"dh-modelcheck:class: {derived}",
                             f"dh-modelcheck:declared-class: {model['Classification']}"]
        assert [n for n in notes if n.startswith("dh-modelcheck:class-reason: ")] == [
            f"dh-modelcheck:class-reason: {reason}" for reason in reasons]
        assert {f"dh-modelcheck:archive-area: {area}", "dh-modelcheck:profile: ml-policy",
                f"dh-modelcheck:admitted-in-area: {admitted}"} <= set(notes)


def test_spdx3_training_of_self_play_go() -> None:
    base = BASE.format("go-engine")
    nodes = graph(export(EXAMPLES / "self-play-go", "spdx3"), base)
    build = "model/go-network/training"
    assert nodes[build]["build_configSourceUri"] == ["https://example.org/go/training"]
    assert [(e["key"], e["value"]) for e in nodes[build]["build_environment"]] == [
        ("hardware", "volunteers' NVIDIA GPUs"), ("compute", "millions of self-play games"),
        ("cpu-only-estimate", "about 1700 years on commodity hardware"), ("reproducibility", "impractical"),
    ]
    assert related(nodes, base, build, "hasInput") == ["model/go-network/data/0"]
    assert related(nodes, base, build, "hasOutput") == ["model/go-network"]
    tools = related(nodes, base, build, "usesTool")
    assert [(nodes[t]["name"], nodes[t].get("software_packageVersion"), annotations(nodes, base, t)[-1])
            for t in tools] == [
        ("go-network training code", None, "dh-modelcheck:complete: true"),
        ("TensorFlow", "1.15", "dh-modelcheck:proprietary: false"),
        ("NVIDIA CUDA", "10.0", "dh-modelcheck:proprietary: true"),
        ("cuDNN", "7.4", "dh-modelcheck:proprietary: true"),
    ]
    # Generated data: SPDX has no availability for it; the annotation keeps it.
    assert "dataset_datasetAvailability" not in nodes["model/go-network/data/0"]


def test_spdx3_review_is_dated_and_signed_by_the_reviewer() -> None:
    base = BASE.format("digits")
    document = export(EXAMPLES / "free-digits", "spdx3")
    review = graph(document, base)["review"]
    [info] = [n for n in document["@graph"] if n.get("@id") == review["creationInfo"]]
    assert (review["annotationType"], review["subject"]) == ("review", base + "document")
    assert (info["created"], info["createdBy"]) == ("2026-11-20T00:00:00Z", [base + "reviewer"])
    assert graph(document, base)["reviewer"]["externalIdentifier"] == [
        {"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": "example@example.org"}]


@pytest.mark.parametrize("profile, admitted", [("ml-policy", "false"), ("osaid", "true")])
def test_the_profile_decides_admission(tmp_path: Path, profile: str, admitted: str) -> None:
    """Data described but only available after registration: toxic-candy, yet
    Open Source AI, which OSAID admits to main and ML-Policy does not."""
    def registration(data: dict[str, Any]) -> None:
        data["Models"][0]["Training"]["Data"][0]["Availability"] = "registration"
        data["Models"][0]["Classification"] = "toxic-candy"

    tree = copy_example(tmp_path, "free-digits", registration)
    status, out, err = run(["export", "--format", "cyclonedx", "--profile", profile, str(tree)])
    assert (status, err) == (0, "")
    model = json.loads(out)["components"][0]
    assert props(model)[:6] == [
        ("dh-modelcheck:class", "toxic-candy"), ("dh-modelcheck:declared-class", "toxic-candy"),
        ("dh-modelcheck:class-reason", "training data Toy Digits is available only after registration"),
        ("dh-modelcheck:quality", "open-source-ai"), ("dh-modelcheck:quality", "toxic-candy"),
        ("dh-modelcheck:archive-area", "main"),
    ]
    assert props(model)[6:8] == [("dh-modelcheck:profile", profile), ("dh-modelcheck:admitted-in-area", admitted)]


# Facts the worked examples do not have.

def unusual(data: dict[str, Any]) -> None:
    model = data["Models"][0]
    del data["Reviewed-By"]
    model["License"] = "Apache-2.0 OR GPL-3+"
    model["Files"].append({"Path": "models/built.bin", "Generated": True})
    model["Training"]["Code"] = "unavailable"
    model["Training"]["Data"][0]["Availability"] = "on-request"


def test_generated_files_unavailable_code_and_debian_licence_names(tmp_path: Path) -> None:
    tree = copy_example(tmp_path, "free-digits", unusual)
    cdx = export(tree, "cyclonedx")
    model = cdx["components"][0]
    assert model["licenses"] == [{"expression": "Apache-2.0 OR GPL-3.0-or-later"}]
    assert ("dh-modelcheck:license-declared", "Apache-2.0 OR GPL-3+") in props(model)
    assert model["components"][1] == {"type": "file", "bom-ref": "model/digits-net/file/1", "name": "models/built.bin",
                                      "properties": [{"name": "dh-modelcheck:generated", "value": "true"}]}
    [formula] = cdx["formulation"]
    assert [c["type"] for c in formula["components"]] == ["framework"]
    assert ("dh-modelcheck:training-code", "unavailable") in props(formula["workflows"][0])
    assert props(cdx["metadata"]) == [("dh-modelcheck:review-date", "2026-11-20")]
    base = BASE.format("digits")
    nodes = graph(export(tree, "spdx3"), base)
    assert "verifiedUsing" not in nodes["model/digits-net/file/1"]
    assert "dataset_datasetAvailability" not in nodes["model/digits-net/data/0"]
    assert "build_configSourceUri" not in nodes["model/digits-net/training"]
    assert annotations(nodes, base, "document") == ["dh-modelcheck:review-date: 2026-11-20"]
    assert "review" not in nodes


@pytest.mark.parametrize("written, exported", [
    ("Apache-2.0", "Apache-2.0"), ("MIT OR CC-BY-4.0", "MIT OR CC-BY-4.0"), ("GPL-3+", "GPL-3.0-or-later"),
    ("Expat", "MIT"), ("LicenseRef-example", "LicenseRef-example"), ("unknown", None), ("Unknown", None),
    ("not a licence", None), (None, None),
])
def test_spdx_licence(written: Optional[str], exported: Optional[str]) -> None:
    assert spdx_licence(written) == exported


def test_release_time_is_the_changelog_date_in_utc(tmp_path: Path) -> None:
    (tmp_path / "debian").mkdir()
    (tmp_path / "debian/changelog").write_text(
        "toy (1:2.0~rc1+dfsg-1) unstable; urgency=medium\n\n  * New.\n\n"
        " -- A Maintainer <a@example.org>  Sun, 29 Nov 2026 01:30:00 +0200\n", encoding="utf-8")
    release = read_release(tmp_path)
    assert release == ("toy", "1:2.0~rc1+dfsg-1", "2026-11-28T23:30:00Z", "A Maintainer <a@example.org>")
    assert purl(release.source, release.version, "source") == "pkg:deb/debian/toy@1%3A2.0~rc1%2Bdfsg-1?arch=source"


# The command.

@pytest.mark.parametrize("format_name", ["spdx3", "cyclonedx"])
def test_output_file_is_what_stdout_shows_every_time(tmp_path: Path, format_name: str) -> None:
    example = str(EXAMPLES / "self-play-go")
    first, second = run(["export", "--format", format_name, example]), run(["export", "--format", format_name, example])
    assert first == second and first[0] == 0
    output = tmp_path / "sbom.json"
    assert run(["export", "--format", format_name, "--output", str(output), example]) == (0, "", "")
    assert output.read_text(encoding="utf-8") == first[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sbom.json"]


@pytest.mark.parametrize("damage, message", [
    (lambda t: (t / "debian/model-provenance.yaml").unlink(), "debian/model-provenance.yaml: no such file"),
    (lambda t: (t / "debian/model-provenance.yaml").write_text("Models: [\n", encoding="utf-8"),
     "debian/model-provenance.yaml:2:1: "),
    (lambda t: (t / "debian/model-provenance.yaml").write_text("Format: model-provenance/1\nModels: []\n",
                                                               encoding="utf-8"),
     "debian/model-provenance.yaml:2:9: $.Models: "),
    (lambda t: (t / "debian/changelog").unlink(), "debian/changelog: no such file"),
    (lambda t: (t / "debian/changelog").write_text("not a changelog\n", encoding="utf-8"),
     "debian/changelog: malformed: "),
])
def test_unusable_input_is_one_line_and_writes_nothing(tmp_path: Path, damage: Callable[[Path], Any],
                                                        message: str) -> None:
    tree = copy_example(tmp_path, "free-digits")
    damage(tree)
    output = tmp_path / "sbom.json"
    output.write_text("old\n", encoding="utf-8")
    status, out, err = run(["export", "--format", "spdx3", "--output", str(output), str(tree)])
    assert (status, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(f"modelcheck: error: {message}")
    assert output.read_text(encoding="utf-8") == "old\n"


def second_model(data: dict[str, Any]) -> None:
    twin = copy.deepcopy(data["Models"][0])
    twin["Name"] = "digits-net-small"
    data["Models"].append(twin)


def test_every_model_of_the_file_is_in_one_document(tmp_path: Path) -> None:
    tree = copy_example(tmp_path, "free-digits", second_model)
    cdx = export(tree, "cyclonedx")
    assert [c["bom-ref"] for c in cdx["components"]] == [
        "model/digits-net", "model/digits-net-small", "model/digits-net/data/0", "model/digits-net-small/data/0"]
    assert [f["bom-ref"] for f in cdx["formulation"]] == [
        "model/digits-net/training", "model/digits-net-small/training"]
    base = BASE.format("digits")
    assert graph(export(tree, "spdx3"), base)["document"]["rootElement"] == [
        base + "model/digits-net", base + "model/digits-net-small"]


def test_the_parser_offers_every_format() -> None:
    from modelcheck.export import FORMATS

    assert sorted(FORMATS) == sorted(cli.EXPORT_FORMATS)


def test_repeated_model_names_are_refused(tmp_path: Path) -> None:
    tree = copy_example(tmp_path, "free-digits", lambda d: d["Models"].append(copy.deepcopy(d["Models"][0])))
    assert run(["export", "--format", "cyclonedx", str(tree)]) == (
        2, "", "modelcheck: error: debian/model-provenance.yaml: model names must be unique: digits-net\n")


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    output = tmp_path / "missing-dir" / "sbom.json"
    status, out, err = run(["export", "--format", "spdx3", "--output", str(output), str(EXAMPLES / "free-digits")])
    assert (status, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(f"modelcheck: error: {output}: cannot write: ")


@pytest.mark.parametrize("argv", [["export", "."], ["export", "--format", "spdx", "."]])
def test_format_is_required_and_known(argv: list[str]) -> None:
    status, out, err = run(argv)
    assert (status, out, err.count("\n")) == (2, "", 1)
