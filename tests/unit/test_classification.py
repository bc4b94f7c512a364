"""ML-Policy classes, profiles, the proprietary-training concern and the
cross-checks with debian/, each with its exact findings."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

import pytest
import yaml

from helpers import control, write_tree
from test_files import safetensors

from modelcheck.engine import check_tree
from modelcheck.report import text_line
from modelcheck.source import PROVENANCE, load_tree

MODEL = safetensors()
P = PROVENANCE


def model(**changes: object) -> dict:
    """A free model; each keyword replaces a top-level field, or a Training
    field when prefixed with training_."""
    entry = {
        "Name": "net",
        "Upstream": "https://example.org/net",
        "License": "Apache-2.0",
        "Files": [{"Path": "net.safetensors", "Sha256": hashlib.sha256(MODEL).hexdigest()}],
        "Training": {
            "Data": [{"Name": "corpus", "Upstream": "https://example.org/corpus", "License": "CC-BY-4.0",
                      "Availability": "public"}],
            "Code": {"Upstream": "https://example.org/train", "License": "MIT", "Complete": True},
        },
        "Classification": "free",
    }
    for key, value in changes.items():
        if key.startswith("training_"):
            entry["Training"][key[len("training_"):].replace("_", "-").title().replace("Cpu-Only", "CPU-Only")] = value
        else:
            entry[key.replace("_", "-")] = value
    return entry


def lines(tmp_path: Path, entry: dict, section: str = "science", profile: str = "ml-policy",
          binary: Optional[str] = None, copyright_text: Optional[str] = None, build_depends: str = "debhelper-compat (= 13)") -> list[str]:
    root = write_tree(tmp_path, control(build_depends, section, **({"binary": binary} if binary else {})))
    (root / "net.safetensors").write_bytes(MODEL)
    (root / PROVENANCE).write_text(yaml.safe_dump({"Format": "model-provenance/1", "Models": [entry]}, sort_keys=False))
    if copyright_text is not None:  # surrogates stand for bytes that are not UTF-8
        (root / "debian" / "copyright").write_bytes(copyright_text.encode("utf-8", "surrogateescape"))
    return [text_line(f) for f in check_tree(load_tree(root, profile=profile))]


def test_free_model(tmp_path: Path) -> None:
    assert lines(tmp_path, model()) == [f"C: toy source: model-classification net free [{P}:3:9]"]


@pytest.mark.parametrize(
    "changes, derived, fact",
    [
        ({"License": "CC-BY-NC-4.0"}, "non-free",
         "weights: CC-BY-NC-4.0 restricts commercial use (DFSG 6)"),
        ({"License": "LicenseRef-vendor-community"}, "non-free",
         "weights: LicenseRef-vendor-community is not known to be free"),
        ({"training_Data": [{"Name": "photos", "License": "unknown", "Availability": "public"}]}, "toxic-candy",
         "training data photos has an unknown licence"),
        ({"training_Data": [{"Name": "photos", "License": "CC0-1.0", "Availability": "on-request"}]}, "toxic-candy",
         "training data photos is available only on request"),
        ({"training_Code": "unavailable"}, "toxic-candy", "training code is unavailable"),
        ({"training_Code": {"Upstream": "https://example.org/t", "License": "MIT", "Complete": False}}, "toxic-candy",
         "training code is incomplete"),
        ({"Base_Model": [{"Name": "base", "Upstream": "https://example.org/b", "License": "MIT", "Relation": "fine-tune",
                          "Classification": "toxic-candy"}]}, "toxic-candy", "base model base is toxic-candy"),
        ({"Base_Model": [{"Name": "base", "Upstream": "https://example.org/b", "License": "MIT",
                          "Relation": "fine-tune"}]}, "toxic-candy", "base model base has no declared Classification"),
    ],
)
def test_derived_class_and_mismatch(tmp_path: Path, changes: dict, derived: str, fact: str) -> None:
    found = lines(tmp_path, model(**changes), section="non-free/science")
    assert found[0] == f"C: toy source: model-classification net {derived} [{P}:3:9]"
    assert found[1].startswith(f"C: toy source: model-class-reason net {derived}: {fact} [{P}:")
    assert found[2].startswith(f"E: toy source: model-classification-mismatch net (declared free, derived {derived}: {fact}) [{P}:")
    assert len(found) == 3


def test_every_reason_is_its_own_finding(tmp_path: Path) -> None:
    """Overriding the finding about one reason leaves the others standing."""
    entry = model(Classification="free", License="LicenseRef-ICOT",
                  training_Data=[{"Name": "RWCP corpus", "Upstream": "https://example.org/rwcp", "License": "unknown",
                                  "Availability": "registration"},
                                 {"Name": "newspaper", "License": "CC-BY-NC-4.0", "Availability": "public"}],
                  training_Code="unavailable")
    root = tmp_path / "tree"
    root.mkdir()
    assert lines(root, entry) == [
        f"C: toy source: model-classification net non-free [{P}:3:9]",
        f"C: toy source: model-class-reason net non-free: weights: LicenseRef-ICOT is not known to be free [{P}:5:12]",
        f"C: toy source: model-class-reason net toxic-candy: training data RWCP corpus is available only after registration [{P}:14:21]",
        f"C: toy source: model-class-reason net toxic-candy: training data RWCP corpus has an unknown licence [{P}:13:16]",
        f"C: toy source: model-class-reason net toxic-candy: training data newspaper: CC-BY-NC-4.0 restricts commercial use (DFSG 6) [{P}:16:16]",
        f"C: toy source: model-class-reason net toxic-candy: training code is unavailable [{P}:18:11]",
        f"E: toy source: model-classification-mismatch net (declared free, derived non-free: weights: LicenseRef-ICOT is not known to be free) [{P}:19:19]",
        f"E: toy source: model-classification-mismatch net (declared free, derived toxic-candy: training data RWCP corpus is available only after registration) [{P}:19:19]",
        f"E: toy source: model-classification-mismatch net (declared free, derived toxic-candy: training data RWCP corpus has an unknown licence) [{P}:19:19]",
        f"E: toy source: model-classification-mismatch net (declared free, derived toxic-candy: training data newspaper: CC-BY-NC-4.0 restricts commercial use (DFSG 6)) [{P}:19:19]",
        f"E: toy source: model-classification-mismatch net (declared free, derived toxic-candy: training code is unavailable) [{P}:19:19]",
        f"E: toy source: model-class-not-allowed-in-area net (non-free in main under ml-policy: weights: LicenseRef-ICOT is not known to be free) [{P}:19:19]",
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under ml-policy: training data RWCP corpus is available only after registration) [{P}:19:19]",
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under ml-policy: training data RWCP corpus has an unknown licence) [{P}:19:19]",
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under ml-policy: training data newspaper: CC-BY-NC-4.0 restricts commercial use (DFSG 6)) [{P}:19:19]",
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under ml-policy: training code is unavailable) [{P}:19:19]",
    ]
    # Overriding the licence's reason leaves registration and the rest.
    (root / "debian" / "source" / "modelcheck-overrides").write_text(
        "toy source: model-class-not-allowed-in-area net (non-free in main under ml-policy: weights: *)\n"
        "toy source: model-classification-mismatch *\n", encoding="utf-8")
    errors = [line for line in lines(root, entry) if line.startswith("E: ")]
    assert [e.split(" (", 1)[1].split(") [")[0] for e in errors] == [
        "toxic-candy in main under ml-policy: training data RWCP corpus is available only after registration",
        "toxic-candy in main under ml-policy: training data RWCP corpus has an unknown licence",
        "toxic-candy in main under ml-policy: training data newspaper: CC-BY-NC-4.0 restricts commercial use (DFSG 6)",
        "toxic-candy in main under ml-policy: training code is unavailable",
    ]


def test_non_free_base_outranks_toxic_data(tmp_path: Path) -> None:
    entry = model(Classification="non-free",
                  Base_Model=[{"Name": "base", "Upstream": "https://example.org/b", "License": "CC-BY-NC-SA-4.0",
                               "Relation": "adapter"}],
                  training_Data=[{"Name": "photos", "License": "unknown", "Availability": "unavailable"}])
    assert lines(tmp_path, entry, section="non-free/science") == [
        f"C: toy source: model-classification net non-free [{P}:3:9]",
        f"C: toy source: model-class-reason net toxic-candy: training data photos is not available to anyone [{P}:13:21]",
        f"C: toy source: model-class-reason net toxic-candy: training data photos has an unknown licence [{P}:12:16]",
        f"C: toy source: model-class-reason net non-free: base model base: CC-BY-NC-SA-4.0 restricts commercial use "
        f"(DFSG 6) [{P}:22:14]",
    ]


def test_declared_worse_than_derived(tmp_path: Path) -> None:
    assert lines(tmp_path, model(Classification="toxic-candy"), section="contrib/science")[1:] == [
        f"E: toy source: model-classification-mismatch net (declared toxic-candy, derived free) [{P}:19:19]"]


@pytest.mark.parametrize(
    "licence, derived",
    [("MIT OR CC-BY-NC-4.0", "free"), ("MIT AND CC-BY-NC-4.0", "non-free"),
     ("GPL-2.0-or-later WITH Classpath-exception-2.0", "free")],
)
def test_licence_expressions(tmp_path: Path, licence: str, derived: str) -> None:
    found = lines(tmp_path, model(License=licence, Classification=derived), section="non-free/science")
    assert found[0] == f"C: toy source: model-classification net {derived} [{P}:3:9]"
    reasons = [f"C: toy source: model-class-reason net non-free: weights: CC-BY-NC-4.0 restricts commercial use (DFSG 6) [{P}:5:12]"]
    assert found[1:] == (reasons if derived == "non-free" else [])


def test_invalid_and_unknown_licence_identifiers(tmp_path: Path) -> None:
    entry = model(License="MIT AND Frobnicate-1.0", Classification="non-free",
                  training_Code={"Upstream": "https://example.org/t", "License": "MIT AND (", "Complete": True})
    found = lines(tmp_path, entry, section="non-free/science")
    assert found[0] == f"W: toy source: model-license-unknown-identifier Frobnicate-1.0 (in MIT AND Frobnicate-1.0) [{P}:5:12]"
    assert found[1].startswith("E: toy source: model-license-expression-invalid MIT AND ( (")
    assert found[2:] == [
        f"C: toy source: model-classification net non-free [{P}:3:9]",
        f"C: toy source: model-class-reason net non-free: weights: Frobnicate-1.0 is not an SPDX licence identifier [{P}:5:12]",
        f"C: toy source: model-class-reason net toxic-candy: training code: 'MIT AND (' is not a valid SPDX expression [{P}:17:16]",
    ]


PHOTOS = {"Name": "photos", "Upstream": "https://example.org/photos", "License": "unknown", "Availability": "unavailable"}
PHOTO_REASONS = [
    f"C: toy source: model-class-reason net toxic-candy: training data photos is not available to anyone [{P}:14:21]",
    f"C: toy source: model-class-reason net toxic-candy: training data photos has an unknown licence [{P}:13:16]",
]


@pytest.mark.parametrize(
    "section, profile, classification, refusals",
    [
        ("science", "ml-policy", "net toxic-candy", [
            "toxic-candy in main under ml-policy: training data photos is not available to anyone",
            "toxic-candy in main under ml-policy: training data photos has an unknown licence"]),
        ("contrib/science", "ml-policy", "net toxic-candy", []),
        # Named and located data: data information suffices, and the finding says so.
        ("science", "osaid", "net toxic-candy (osaid admits it in main as open-source-ai: free weights, complete free "
                             "training code and data information (every data set named and located), as the OSI Open "
                             "Source AI Definition 1.0 asks)", []),
        ("non-free/science", "osaid", "net toxic-candy (osaid admits every model in non-free)", []),
    ],
)
def test_area_under_profiles(tmp_path: Path, section: str, profile: str, classification: str, refusals: list) -> None:
    found = lines(tmp_path, model(Classification="toxic-candy", training_Data=[PHOTOS]), section=section, profile=profile)
    assert found == [f"C: toy source: model-classification {classification} [{P}:3:9]"] + PHOTO_REASONS + [
        f"E: toy source: model-class-not-allowed-in-area net ({r}) [{P}:19:19]" for r in refusals]


def test_osaid_still_needs_data_information_and_code(tmp_path: Path) -> None:
    """Under osaid, what keeps the model out of main is the missing data
    information: the unavailable data alone would be admitted."""
    entry = model(Classification="toxic-candy",
                  training_Data=[{"Name": "photos", "License": "unknown", "Availability": "unavailable"}])
    assert lines(tmp_path / "a", entry, profile="osaid") == [
        f"C: toy source: model-classification net toxic-candy (osaid refuses it in main, which admits only free, "
        f"open-source-ai; training data photos is not located (no Upstream)) [{P}:3:9]",
        f"C: toy source: model-class-reason net toxic-candy: training data photos is not available to anyone [{P}:13:21]",
        f"C: toy source: model-class-reason net toxic-candy: training data photos has an unknown licence [{P}:12:16]",
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under osaid: "
        f"training data photos is not located (no Upstream)) [{P}:18:19]",
    ]
    entry = model(Classification="toxic-candy", training_Data=[PHOTOS], training_Code="unavailable")
    assert lines(tmp_path / "b", entry, profile="osaid")[0] == (
        f"C: toy source: model-classification net toxic-candy (osaid refuses it in main, which admits only free, "
        f"open-source-ai; training code is unavailable) [{P}:3:9]")
    assert lines(tmp_path / "b", entry, profile="osaid")[-1] == (
        f"E: toy source: model-class-not-allowed-in-area net (toxic-candy in main under osaid: "
        f"training code is unavailable) [{P}:16:19]")


def test_non_free_is_kept_out_of_contrib_and_binary_areas_count(tmp_path: Path) -> None:
    binaries = "\nPackage: toy\nArchitecture: all\nDescription: t\n t\n\nPackage: toy-data\nSection: non-free/science\nArchitecture: all\nDescription: t\n t\n"
    entry = model(License="CC-BY-NC-4.0", Classification="non-free")
    assert lines(tmp_path / "a", entry, section="contrib/science")[2:] == [
        f"E: toy source: model-class-not-allowed-in-area net (non-free in contrib under ml-policy: weights: "
        f"CC-BY-NC-4.0 restricts commercial use (DFSG 6)) [{P}:19:19]"]
    entry["Binary-Packages"] = ["toy-data"]
    assert len(lines(tmp_path / "b", entry, section="contrib/science", binary=binaries)) == 2


def test_a_model_no_binary_package_ships_is_judged_by_the_source_area(tmp_path: Path) -> None:
    binaries = "\nPackage: toy\nSection: non-free/science\nArchitecture: all\nDescription: t\n t\n"
    entry = model(License="CC-BY-NC-4.0", Classification="non-free", Binary_Packages=[])
    assert lines(tmp_path / "a", entry, binary=binaries)[2:] == [
        f"E: toy source: model-class-not-allowed-in-area net (non-free in main under ml-policy: weights: "
        f"CC-BY-NC-4.0 restricts commercial use (DFSG 6)) [{P}:19:19]"]
    assert len(lines(tmp_path / "b", entry, section="non-free/science", binary=binaries)) == 2


STACK = [{"Name": "PyTorch", "Version": "2.1", "Proprietary": False},
         {"Name": "NVIDIA cuDNN", "Version": "8.9", "Proprietary": False},
         {"Name": "CUDA", "Proprietary": True}]


def test_proprietary_training_stack(tmp_path: Path) -> None:
    entry = model(training_Stack=STACK, training_CPU_Only_Estimate="about 3 years",
                  training_Reproducibility={"Status": "impractical"})
    assert lines(tmp_path, entry)[1:] == [
        f"E: toy source: proprietary-training-stack-declared-free NVIDIA cuDNN (model net; NVIDIA cudnn is proprietary) [{P}:25:20]",
        f"W: toy source: model-training-requires-proprietary-software net (NVIDIA cuDNN, CUDA; CPU-only estimate: "
        f"about 3 years; reproducibility: impractical) [{P}:20:5]",
    ]


def test_stack_entries_name_a_stack_by_whole_name_never_by_substring(tmp_path: Path) -> None:
    stack = [{"Name": "AMD ROCm (no CUDA)", "Version": "6.0", "Proprietary": False},
             {"Name": "HIPIFY of CUDA kernels", "Proprietary": False},
             {"Name": "cuDNN 8.9", "Proprietary": False}]
    assert lines(tmp_path, model(training_Stack=stack))[1:] == [
        f"E: toy source: proprietary-training-stack-declared-free cuDNN 8.9 (model net; NVIDIA cudnn is proprietary) [{P}:26:20]",
        f"W: toy source: model-training-requires-proprietary-software net (cuDNN 8.9; reproducibility: not stated) [{P}:20:5]",
    ]


def test_proprietary_training_is_info_outside_main_and_silent_when_freely_reproduced(tmp_path: Path) -> None:
    entry = model(training_Stack=STACK[2:])
    assert lines(tmp_path / "a", entry, section="contrib/science")[1] == (
        f"I: toy source: model-training-requires-proprietary-software net (CUDA; reproducibility: not stated) [{P}:20:5]")
    entry["Training"]["Reproducibility"] = {"Status": "reproduced", "Evidence": "https://example.org/cpu-run"}
    assert len(lines(tmp_path / "b", entry)) == 1


def test_proprietary_training_is_judged_by_the_area_of_the_package_with_the_weights(tmp_path: Path) -> None:
    """The one rule for a model's area, as the class check applies it: a
    source in main whose weights ship only in a contrib package."""
    binaries = ("\nPackage: toy\nArchitecture: all\nDescription: t\n t\n"
                "\nPackage: toy-data\nSection: contrib/science\nArchitecture: all\nDescription: t\n t\n")
    entry = model(training_Stack=STACK[2:], Binary_Packages=["toy-data"])
    assert lines(tmp_path / "a", entry, binary=binaries)[1] == (
        f"I: toy source: model-training-requires-proprietary-software net (CUDA; reproducibility: not stated) [{P}:20:5]")
    entry["Binary-Packages"] = ["toy"]
    assert lines(tmp_path / "b", entry, binary=binaries)[1] == (
        f"W: toy source: model-training-requires-proprietary-software net (CUDA; reproducibility: not stated) [{P}:20:5]")


@pytest.mark.parametrize("profile, letter", [("ml-policy", "W"), ("osaid", "I")])
def test_training_program_relations(tmp_path: Path, profile: str, letter: str) -> None:
    code = {"Upstream": "https://example.org/t", "License": "MIT", "Complete": True, "Packaged-In": "net-trainer"}
    assert lines(tmp_path / "a", model(training_Code=code), profile=profile)[1:] == [
        f"{letter}: toy source: training-program-not-in-relations net-trainer (training program of model net) [{P}:19:20]"
    ]
    assert len(lines(tmp_path / "b", model(training_Code=code), build_depends="net-trainer <!nocheck>")) == 1
    code["Packaged-In"] = "toy"
    assert len(lines(tmp_path / "c", model(training_Code=code))) == 1


COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: 2026 Upstream
License: {licence}
"""


@pytest.mark.parametrize(
    "stated, differs",
    [("Apache-2.0", False), ("GPL-3+", True), ("Apache-2.0 or Expat", True)],
)
def test_copyright_cross_check(tmp_path: Path, stated: str, differs: bool) -> None:
    found = lines(tmp_path, model(), copyright_text=COPYRIGHT.format(licence=stated))
    expected = [f"E: toy source: model-license-differs-from-copyright net.safetensors (debian/copyright says {stated}, "
                f"model net says Apache-2.0) [{P}:5:12]"]
    assert found[1:] == (expected if differs else [])


@pytest.mark.parametrize("copyright_text, finding", [
    (COPYRIGHT.format(licence="Weird-Custom-Licence"),
     f"I: toy source: model-license-not-compared-with-copyright net.safetensors (debian/copyright says "
     f"Weird-Custom-Licence, which has no SPDX form: not compared with Apache-2.0) [{P}:7:11]"),
    (COPYRIGHT.format(licence="Apache-2.0").replace("Files: *", "Files: src/*"),
     f"I: toy source: model-license-not-compared-with-copyright net.safetensors (no Files paragraph of "
     f"debian/copyright gives its licence: not compared) [{P}:7:11]"),
    ("This package was debianized by a human.\nIt is licensed under the Apache licence.\n",
     "I: toy source: model-license-not-compared-with-copyright debian/copyright (not machine-readable: no Format "
     "field; the models' licences were not compared) [debian/copyright]"),
    (COPYRIGHT.format(licence=""),
     f"I: toy source: model-license-not-compared-with-copyright net.safetensors (no Files paragraph of "
     f"debian/copyright gives its licence: not compared) [{P}:7:11]"),
    ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nComment: caf\udcc3\n",
     "I: toy source: model-license-not-compared-with-copyright debian/copyright (not machine-readable: not UTF-8; "
     "the models' licences were not compared) [debian/copyright]"),
    ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: MIT\n"
     "orphan line\n",
     "I: toy source: model-license-not-compared-with-copyright debian/copyright (not machine-readable: not valid "
     "DEP-5; the models' licences were not compared) [debian/copyright]"),
])
def test_copyright_cross_check_never_skips_silently(tmp_path: Path, copyright_text: str, finding: str) -> None:
    assert lines(tmp_path, model(), copyright_text=copyright_text)[1:] == [finding]


@pytest.mark.parametrize("brk", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\r"])
def test_a_line_break_character_in_a_licence_text_is_part_of_its_line(tmp_path: Path, brk: str) -> None:
    """Licence texts carry form feeds (the GPL's page breaks); python-debian
    would end a paragraph at one."""
    text = COPYRIGHT.format(licence=f"GPL-3+\n Page one.{brk}\n .\n {brk}Page two.")
    expected = [f"E: toy source: model-license-differs-from-copyright net.safetensors (debian/copyright says GPL-3+, "
                f"model net says Apache-2.0) [{P}:5:12]"]
    assert lines(tmp_path, model(), copyright_text=text)[1:] == expected


def test_expat_copyright_matches_mit(tmp_path: Path) -> None:
    assert len(lines(tmp_path, model(License="MIT"), copyright_text=COPYRIGHT.format(licence="Expat"))) == 1


def test_profiles_name_only_known_tags() -> None:
    from modelcheck.findings import default_catalog
    from modelcheck.profiles import profiles

    for entry in profiles().values():
        assert all(tag in default_catalog() for tag, _ in entry.severities)


def test_a_recorded_verdict_on_a_licence_the_data_knows_is_ignored(tmp_path: Path) -> None:
    root = write_tree(tmp_path, control(section="non-free/science"))
    (root / "net.safetensors").write_bytes(MODEL)
    entry = model(License="LicenseRef-openrail", Classification="non-free")
    verdicts = [{"Name": "LicenseRef-openrail", "DFSG-Free": True, "Reason": "its use restrictions are only advice"}]
    (root / PROVENANCE).write_text(yaml.safe_dump({"Format": "model-provenance/1", "Licenses": verdicts,
                                                   "Models": [entry]}, sort_keys=False))
    assert [text_line(f) for f in check_tree(load_tree(root))] == [
        f"W: toy source: model-license-recorded-verdict-ignored LicenseRef-openrail (the licence data says it forbids "
        f"fields of endeavour through its use restrictions (DFSG 6)) [{P}:3:9]",
        f"C: toy source: model-classification net non-free [{P}:7:9]",
        f"C: toy source: model-class-reason net non-free: weights: LicenseRef-openrail forbids fields of endeavour "
        f"through its use restrictions (DFSG 6) [{P}:9:12]",
    ]
