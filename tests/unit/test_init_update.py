"""modelcheck init --update: machine facts refreshed, every other byte kept."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from helpers import control, lint_lines, write_tree
from test_files import gguf, safetensors

from modelcheck import cli
from modelcheck.source import PROVENANCE

OLD = safetensors()
NEW = safetensors((0.25, 2.0, -3.0))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.main(argv, out=out, err=err), out.getvalue(), err.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Hand-written: comments everywhere, quoting, folded text, flow lists, key
# order that is not the schema's, an X- field.
HAND_WRITTEN = """\
# yaml-language-server: $schema=/usr/share/dh-modelcheck/schemas/model-provenance-1.schema.json
# Checked against upstream's release notes by hand.
Format: model-provenance/1
Reviewed-By: Jo Maintainer <jo@example.org>
Review-Date: "2026-11-20"
Models:
  - Name: net   # the only network
    License: Apache-2.0
    Upstream: https://example.org/net
    Files:
      # upstream renames nothing between releases
      - Path: models/net.safetensors
        Sha256: '{old}'   # from upstream's SHA256SUMS
        Size: {old_size}
        Format: safetensors
      - {{Path: tables/table.bin, Sha256: {table}, Generated: false}}
    Training:
      Data:
        - Name: Toy Digits
          Upstream: https://example.org/digits
          License: CC0-1.0
          Availability: public
      Code:
        Upstream: https://example.org/train
        License: MIT
        Complete: true
    Classification: free
    Notes: The weights were retrained for this release;
      the data did not change.
    X-Local: kept
"""


def source(tmp_path: Path, weights: bytes) -> Path:
    root = write_tree(tmp_path, control())
    (root / "models").mkdir()
    (root / "models" / "net.safetensors").write_bytes(weights)
    (root / "tables").mkdir()
    (root / "tables" / "table.bin").write_bytes(b"not a model format\n")
    return root


def hand_written(old: bytes) -> str:
    return HAND_WRITTEN.format(old=sha(old), old_size=len(old), table=sha(b"not a model format\n"))


def test_checksums_change_and_every_other_byte_stays(tmp_path: Path) -> None:
    root = source(tmp_path, NEW)
    (root / PROVENANCE).write_text(hand_written(OLD), encoding="utf-8")
    os.chmod(root / PROVENANCE, 0o600)
    assert run(["init", "--update", str(root)]) == (0, (
        f"models/net.safetensors: Sha256 {sha(OLD)[:12]}... -> {sha(NEW)[:12]}...\n"
        f"models/net.safetensors: Size {len(OLD)} -> {len(NEW)}\n"
        f"updated {root / PROVENANCE}\n"), "")
    expected = hand_written(OLD).replace(f"'{sha(OLD)}'", f"'{sha(NEW)}'").replace(
        f"Size: {len(OLD)}\n", f"Size: {len(NEW)}\n")
    assert (root / PROVENANCE).read_text(encoding="utf-8") == expected
    assert oct(os.stat(root / PROVENANCE).st_mode & 0o777) == "0o600"
    assert sorted(os.listdir(root / "debian")) == ["control", "model-provenance.yaml", "source"]
    assert lint_lines(root) == [f"C: toy source: model-classification net free [{PROVENANCE}:7:11]"]
    # A second run finds nothing to do and leaves the file alone.
    assert run(["init", "--update", str(root)]) == (0, f"left {root / PROVENANCE} unchanged\n", "")
    assert (root / PROVENANCE).read_text(encoding="utf-8") == expected


def test_moved_and_new_model_files(tmp_path: Path) -> None:
    root = source(tmp_path, OLD)
    (root / PROVENANCE).write_text(hand_written(OLD), encoding="utf-8")
    os.rename(root / "models" / "net.safetensors", root / "models" / "net-v2.safetensors")
    (root / "extra.gguf").write_bytes(gguf())
    assert run(["init", "--update", str(root)]) == (0, (
        "models/net.safetensors: Path is now models/net-v2.safetensors\n"
        "extra.gguf: added as a file of a new FIXME model; move it to its model or fill that in\n"
        f"updated {root / PROVENANCE}\n"), "")
    text = (root / PROVENANCE).read_text(encoding="utf-8")
    before, added = text.split("    X-Local: kept\n")
    assert before + "    X-Local: kept\n" == hand_written(OLD).replace(
        "- Path: models/net.safetensors", "- Path: models/net-v2.safetensors")
    assert added.startswith(
        "  - Name: FIXME-model-name\n"
        "    Upstream: 'FIXME: https://where.the.weights.are.published/'\n"
        "    License: \"FIXME: SPDX expression of the weights' licence\"\n"
        "    Files:\n"
        "      - Path: extra.gguf\n"
        f"        Sha256: {sha(gguf())}\n"
        f"        Size: {len(gguf())}\n"
        "        Format: gguf\n"
        "    Training:\n")
    paths = [line.split(" [")[0].split()[5] for line in lint_lines(root)]
    assert paths[0] == "$.Models[1].Name"  # the new model's placeholders fail until filled in


def test_missing_file_is_left_as_it_is(tmp_path: Path) -> None:
    root = source(tmp_path, OLD)
    (root / PROVENANCE).write_text(hand_written(OLD), encoding="utf-8")
    (root / "models" / "net.safetensors").unlink()
    assert run(["init", "--update", str(root)]) == (
        0, f"models/net.safetensors: not found; left as it is\nleft {root / PROVENANCE} unchanged\n", "")
    assert (root / PROVENANCE).read_text(encoding="utf-8") == hand_written(OLD)


def test_a_missing_checksum_is_added_under_its_path(tmp_path: Path) -> None:
    root = source(tmp_path, NEW)
    text = hand_written(OLD).replace(f"        Sha256: '{sha(OLD)}'   # from upstream's SHA256SUMS\n", "")
    (root / PROVENANCE).write_text(text, encoding="utf-8")
    assert run(["init", "--update", str(root)])[1].splitlines()[0] == "models/net.safetensors: Sha256 added"
    assert (root / PROVENANCE).read_text(encoding="utf-8") == text.replace(
        "      - Path: models/net.safetensors\n",
        f"      - Path: models/net.safetensors\n        Sha256: {sha(NEW)}\n").replace(
        f"Size: {len(OLD)}\n", f"Size: {len(NEW)}\n")


@pytest.mark.parametrize("content, argv, error", [
    (None, [], f"modelcheck: error: {PROVENANCE}: no such file; write one with 'modelcheck init'\n"),
    ("Format: model-provenance/1\nModels: &m []\nOther: *m\n", [], f"modelcheck: error: {PROVENANCE}:3: aliases are not allowed\n"),
    ("Format: model-provenance/1\n", [], f"modelcheck: error: {PROVENANCE}: no Models list to update\n"),
    # YAML 1.1 (PyYAML) and 1.2 (ruamel.yaml) disagree on U+2028 as a line break.
    ("Format: model-provenance/1\nModels: [] # c\n\u2028X-a: 1\n", [],
     f"modelcheck: error: {PROVENANCE}:3: python3-ruamel.yaml cannot read this file for editing\n"),
    ("Format: model-provenance/1\nModels: []\n", ["--force"],
     "modelcheck: error: --update keeps the file: it cannot be combined with --force or --from-model-card\n"),
])
def test_refusals_change_nothing(tmp_path: Path, content: "str | None", argv: list, error: str) -> None:
    root = source(tmp_path, NEW)
    if content is not None:
        (root / PROVENANCE).write_text(content, encoding="utf-8")
    assert run(["init", "--update", *argv, str(root)]) == (2, "", error)
    if content is not None:
        assert (root / PROVENANCE).read_text(encoding="utf-8") == content
