"""Provenance files: auto-discovered examples under tests/provenance/ with
exact expected findings, and hostile inputs generated here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from helpers import control, write_tree

from modelcheck.engine import run_checks
from modelcheck.findings import default_catalog
from modelcheck.provenance_file import MAX_DEPTH, Position, parse
from modelcheck.report import text_line
from modelcheck.source import PROVENANCE, load_tree

EXAMPLES = Path(__file__).resolve().parents[1] / "provenance"
VALID = sorted((EXAMPLES / "valid").glob("*.yaml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))


def provenance_lines(root: Path) -> list[str]:
    catalog = default_catalog()
    return [text_line(catalog.stamp(f)) for f in run_checks(load_tree(root), ["provenance"])]


def tree_with(tmp_path: Path, content: bytes) -> Path:
    root = write_tree(tmp_path, control())
    (root / PROVENANCE).write_bytes(content)
    return root


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.name)
def test_valid_examples_give_no_finding(tmp_path: Path, example: Path) -> None:
    assert provenance_lines(tree_with(tmp_path, example.read_bytes())) == []


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_invalid_examples_give_exactly_the_expected_findings(tmp_path: Path, example: Path) -> None:
    expected = example.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert provenance_lines(tree_with(tmp_path, example.read_bytes())) == expected


SYNTAX = "E: toy source: model-provenance-syntax-error debian/model-provenance.yaml"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"Format: x\n" * 2 + b"", f"{SYNTAX} (duplicate key 'Format') [{PROVENANCE}:2:1]"),
        (b"a: 1\n\x00\n", f"{SYNTAX} (contains a NUL byte) [{PROVENANCE}:2:1]"),
        (b"a: 1\nb: \xff\xfe\n", f"{SYNTAX} (not UTF-8 (byte 8)) [{PROVENANCE}:2:1]"),
        (b"a: 1\nb: \x07\n",
         f"{SYNTAX} (unacceptable character #x0007: control characters are not allowed) [{PROVENANCE}:2:4]"),
        (b"x" * (64 * 1024 * 1024), f"{SYNTAX} (larger than 1048576 bytes) [{PROVENANCE}]"),
        (b"[" * 50000 + b"]" * 50000, f"{SYNTAX} (nested deeper than {MAX_DEPTH} levels) [{PROVENANCE}:1:{MAX_DEPTH + 1}]"),
        (b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 900)),
         f"{SYNTAX} (nested deeper than {MAX_DEPTH} levels) [{PROVENANCE}:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}]"),
    ],
    ids=["duplicate-key", "nul", "latin1", "control-char", "64MiB", "deep-flow", "deep-block"],
)
def test_hostile_inputs_are_refused_quickly(tmp_path: Path, content: bytes, expected: str) -> None:
    root = tree_with(tmp_path, content)
    start = time.monotonic()
    assert provenance_lines(root) == [expected]
    assert time.monotonic() - start < 5


def test_fifo_and_directory_named_like_the_provenance_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path, control())
    os.mkfifo(root / PROVENANCE)
    assert provenance_lines(root) == [f"{SYNTAX} (is not a regular file) [{PROVENANCE}]"]
    os.unlink(root / PROVENANCE)
    (root / PROVENANCE).mkdir()
    assert provenance_lines(root) == [f"{SYNTAX} (is a directory) [{PROVENANCE}]"]


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    marker = Path("/tmp/modelcheck-pwned")
    marker.unlink(missing_ok=True)
    provenance_lines(tree_with(tmp_path, (EXAMPLES / "invalid" / "python-tag.yaml").read_bytes()))
    assert not marker.exists()


def test_positions_and_plain_values() -> None:
    document = parse('Format: x\nDate: 2026-11-20\nList:\n  - {a: 1, b: true, c: null}\n')
    assert document.data == {"Format": "x", "Date": "2026-11-20", "List": [{"a": 1, "b": True, "c": None}]}
    assert document.positions[("List", 0, "b")] == Position(4, 15)
    assert document.position(("List", 0, "missing")) == Position(4, 5)
    assert document.position(("Nowhere",)) == Position(1, 1)
