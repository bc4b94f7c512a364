"""Every export of every worked example validates against the standards'
own schemas and bindings, and says what the provenance says.

The validators come from PyPI (.ci/test-helpers.txt) and live in .ci/pydeps,
installed by .ci/install-test-helpers.  They run in a subprocess with that
directory on its path, so this process keeps importing Debian's
python3-jsonschema and python3-license-expression, as the product does.
Run as a script, this file is that subprocess: it validates one document
and prints what the bindings read back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.pypi_helpers

REPO = Path(__file__).resolve().parents[2]
PYDEPS = REPO / ".ci" / "pydeps"
EXAMPLES = sorted(p.name for p in (REPO / "docs" / "examples").iterdir() if p.is_dir())


# The subprocess: imports from .ci/pydeps only here.

def _tail(iri: str) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _spdx_name(element: Any) -> str:
    return getattr(element, "name", None) or getattr(element, "simplelicensing_licenseExpression", None) or _tail(
        element._id)


def read_back_spdx(text: str) -> dict[str, Any]:
    """Deserialize with spdx-python-model, link every reference, serialize
    again (which enforces the required properties), and summarise."""
    import io

    import spdx_python_model
    from spdx_python_model import v3_0_1 as spdx

    model, objects = spdx_python_model.load_data(json.loads(text))
    assert model is spdx, model
    missing = objects.link()
    spdx.JSONLDSerializer().write(objects, io.BytesIO())
    elements = [o for o in objects.foreach() if isinstance(o, spdx.Element)]
    relationships = [o for o in elements if isinstance(o, spdx.Relationship)]
    return {
        "missing": sorted(missing),
        "types": sorted({type(o).__name__ for o in elements}),
        "relationships": sorted(
            [_spdx_name(r.from_), _tail(r.relationshipType), sorted(_spdx_name(t) for t in r.to)]
            for r in relationships
        ),
        "annotations": sorted(
            [_spdx_name(a.subject), a.statement] for a in elements if isinstance(a, spdx.Annotation)
        ),
    }


def validate_cyclonedx(text: str) -> dict[str, Any]:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True) or []
    return {"errors": [f"{e.data.json_path}: {e.data.message}" for e in errors]}


def main(format_name: str, path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    result = read_back_spdx(text) if format_name == "spdx3" else validate_cyclonedx(text)
    json.dump(result, sys.stdout)


# The tests.

def export(tmp_path: Path, example: str, format_name: str) -> tuple[Path, dict[str, Any]]:
    from modelcheck import cli

    output = tmp_path / f"{example}.{format_name}.json"
    tree = REPO / "docs/examples" / example
    assert cli.main(["export", "--format", format_name, "--output", str(output), str(tree)]) == 0
    return output, json.loads(output.read_text(encoding="utf-8"))


def run_helper(format_name: str, path: Path) -> subprocess.CompletedProcess:
    if not (PYDEPS / ".pins").is_file():
        pytest.fail(f"{PYDEPS} is missing: run 'sh examples/build-examples' (or sh .ci/install-test-helpers)")
    env = {**os.environ, "PYTHONPATH": str(PYDEPS), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, __file__, format_name, str(path)], env=env,
                          capture_output=True, text=True, check=False)


def helper(format_name: str, path: Path) -> dict[str, Any]:
    result = run_helper(format_name, path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_product_imports_debians_jsonschema() -> None:
    """The helpers' newer jsonschema stays in the subprocess."""
    import jsonschema
    import license_expression

    from modelcheck import schema

    assert schema.jsonschema is jsonschema
    for module in (jsonschema, license_expression):
        assert Path(module.__file__).is_relative_to("/usr/lib/python3/dist-packages"), module.__file__


@pytest.mark.parametrize("example", EXAMPLES)
def test_cyclonedx_is_valid_strict_1_6(tmp_path: Path, example: str) -> None:
    path, _ = export(tmp_path, example, "cyclonedx")
    assert helper("cyclonedx", path) == {"errors": []}


def test_cyclonedx_validator_rejects_what_1_6_does_not_have(tmp_path: Path) -> None:
    """The strict validator is not a stub: a field 1.6 lacks is an error."""
    path, document = export(tmp_path, "free-digits", "cyclonedx")
    document["components"][0]["modelCard"]["proprietary"] = True
    path.write_text(json.dumps(document), encoding="utf-8")
    assert len(helper("cyclonedx", path)["errors"]) == 1


@pytest.mark.parametrize("example", EXAMPLES)
def test_spdx3_reads_back_with_every_reference(tmp_path: Path, example: str) -> None:
    path, _ = export(tmp_path, example, "spdx3")
    summary = helper("spdx3", path)
    assert summary["missing"] == []
    assert {"ai_AIPackage", "dataset_DatasetPackage", "software_File", "build_Build", "Relationship",
            "simplelicensing_LicenseExpression", "Annotation", "SpdxDocument"} <= set(summary["types"])


def test_spdx3_bindings_refuse_an_unknown_property(tmp_path: Path) -> None:
    path, document = export(tmp_path, "free-digits", "spdx3")
    document["@graph"][-1]["ai_proprietary"] = True
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_helper("spdx3", path)
    assert result.returncode != 0 and "KeyError" in result.stderr


def test_spdx3_free_digits_as_the_bindings_read_it(tmp_path: Path) -> None:
    path, _ = export(tmp_path, "free-digits", "spdx3")
    summary = helper("spdx3", path)
    assert summary["relationships"] == sorted([
        ["digits-net", "contains", ["models/digits.safetensors"]],
        ["digits-net", "hasDeclaredLicense", ["Apache-2.0"]],
        ["digits-net", "trainedOn", ["Toy Digits"]],
        ["digits-net training code", "hasDeclaredLicense", ["Apache-2.0"]],
        ["Toy Digits", "hasDeclaredLicense", ["CC0-1.0"]],
        ["training of digits-net", "hasInput", ["Toy Digits"]],
        ["training of digits-net", "hasOutput", ["digits-net"]],
        ["training of digits-net", "usesTool", ["NumPy", "digits-net training code"]],
    ])
    assert summary["annotations"] == sorted([
        ["digits-net", "dh-modelcheck:class: free"],
        ["digits-net", "dh-modelcheck:declared-class: free"],
        ["digits-net", "dh-modelcheck:quality: free"],
        ["digits-net", "dh-modelcheck:quality: open-source-ai"],
        ["digits-net", "dh-modelcheck:archive-area: main"],
        ["digits-net", "dh-modelcheck:profile: ml-policy"],
        ["digits-net", "dh-modelcheck:admitted-in-area: true"],
        ["digits-net", "dh-modelcheck:binary-package: digits"],
        ["models/digits.safetensors", "dh-modelcheck:format: safetensors"],
        ["models/digits.safetensors", "dh-modelcheck:size: 88"],
        ["Toy Digits", "dh-modelcheck:availability: public"],
        ["digits-net training code", "dh-modelcheck:complete: true"],
        ["digits-net training code", "dh-modelcheck:packaged-in: digits-train"],
        ["NumPy", "dh-modelcheck:proprietary: false"],
        ["training of digits-net", "dh-modelcheck:hardware: one laptop CPU"],
        ["training of digits-net", "dh-modelcheck:cpu-only-estimate: ten minutes"],
        ["training of digits-net", "dh-modelcheck:reproducibility: reproduced"],
        ["training of digits-net", "dh-modelcheck:reproducibility-evidence: https://example.org/digits/reproduction"],
        ["digits 1.0: machine-learning models", "dh-modelcheck:reviewed-by: Example Maintainer <example@example.org>; "
                                                "dh-modelcheck:review-date: 2026-11-20"],
    ])


if __name__ == "__main__":
    main(*sys.argv[1:])
