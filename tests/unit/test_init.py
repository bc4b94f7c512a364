"""modelcheck init: the skeleton, its placeholders, and safe writing."""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

import yaml
from helpers import control, lint_lines, write_tree
from test_files import gguf, safetensors

from modelcheck import cli
from modelcheck.source import PROVENANCE


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.main(argv, out=out, err=err), out.getvalue(), err.getvalue()


def source_with_models(tmp_path: Path) -> Path:
    root = write_tree(tmp_path, control())
    (root / "models").mkdir()
    (root / "models" / "net.safetensors").write_bytes(safetensors())
    (root / "data.bin").write_bytes(gguf())
    return root


def test_skeleton_has_the_facts_a_machine_knows(tmp_path: Path) -> None:
    root = source_with_models(tmp_path)
    assert run(["init", str(root)]) == (
        0, f"wrote {root / PROVENANCE} declaring 2 model file(s); replace every FIXME, then run 'modelcheck lint'\n", ""
    )
    text = (root / PROVENANCE).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=/usr/share/dh-modelcheck/schemas/model-provenance-1.schema.json\n")
    files = yaml.safe_load(text)["Models"][0]["Files"]
    assert files == [
        {"Path": "data.bin", "Sha256": hashlib.sha256(gguf()).hexdigest(), "Size": len(gguf()), "Format": "gguf"},
        {"Path": "models/net.safetensors", "Sha256": hashlib.sha256(safetensors()).hexdigest(),
         "Size": len(safetensors()), "Format": "safetensors"},
    ]


def test_placeholders_fail_validation_until_filled(tmp_path: Path) -> None:
    root = source_with_models(tmp_path)
    run(["init", str(root)])
    paths = [re.search(r"\$\S*", line).group(0) for line in lint_lines(root)]
    assert paths == [
        "$.Reviewed-By", "$.Models[0].Name", "$.Models[0].Upstream", "$.Models[0].License",
        "$.Models[0].Training.Data[0].Name", "$.Models[0].Training.Data[0].License",
        "$.Models[0].Training.Data[0].Availability", "$.Models[0].Training.Code.Upstream",
        "$.Models[0].Training.Code.License", "$.Models[0].Training.Code.Complete",
        "$.Models[0].Training.Stack[0].Name", "$.Models[0].Training.Stack[0].Proprietary",
        "$.Models[0].Training.Hardware", "$.Models[0].Training.Reproducibility.Status",
        "$.Models[0].Classification",
    ]
    filled = {
        "'FIXME: Your Name <you@example.org>'": "Jo Maintainer <jo@example.org>",
        "FIXME-model-name": "net",
        "'FIXME: https://where.the.weights.are.published/'": "https://example.org/net",
        "'FIXME: https://where.the.training.code.is/ (or write Code: unavailable)'": "https://example.org/train",
        "'FIXME: true or false: can it retrain these weights from the data above?'": "true",
        "'FIXME: true or false'": "false",
        "'FIXME: public, registration, on-request, unavailable or generated'": "public",
        "'FIXME: reproduced, partially-reproduced, not-attempted, impractical or impossible'": "reproduced",
        "'FIXME: free, toxic-candy or non-free (see ML-Policy)'": "free",
    }
    text = (root / PROVENANCE).read_text(encoding="utf-8")
    for placeholder, fact in filled.items():
        text = text.replace(placeholder, fact)
    text = re.sub(r"'FIXME: (?:[^']|'')*'", "CC0-1.0", text)  # '' is an escaped quote
    (root / PROVENANCE).write_text(text, encoding="utf-8")
    assert lint_lines(root) == [f"C: toy source: model-classification net free [{PROVENANCE}:11:9]"]


def test_refuses_to_overwrite_without_force_and_leaves_no_temporary(tmp_path: Path) -> None:
    root = source_with_models(tmp_path)
    (root / PROVENANCE).write_text("precious\n", encoding="utf-8")
    assert run(["init", str(root)]) == (2, "", f"modelcheck: error: {PROVENANCE} exists; use --force to replace it\n")
    assert (root / PROVENANCE).read_text(encoding="utf-8") == "precious\n"
    assert run(["init", "--force", str(root)])[0] == 0
    assert sorted(os.listdir(root / "debian")) == ["control", "model-provenance.yaml", "source"]


def test_no_model_found_leaves_a_path_placeholder(tmp_path: Path) -> None:
    root = write_tree(tmp_path, control())
    assert run(["init", str(root)])[0] == 0
    files = yaml.safe_load((root / PROVENANCE).read_text(encoding="utf-8"))["Models"][0]["Files"]
    assert files == [{"Path": "FIXME: path/of/the/weights/in/the/source/tree"}]
