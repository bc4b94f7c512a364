"""Model files against the provenance file: exact findings."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

from helpers import control, write_tree
from helpers import lint_lines as all_lines

from modelcheck.source import PROVENANCE


def safetensors(values: tuple[float, ...] = (0.5, -1.0)) -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [len(values)], "data_offsets": [0, 4 * len(values)]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + struct.pack(f"<{len(values)}f", *values)


def gguf() -> bytes:
    """A GGUF v3 header with no tensor, padded past the size below which an
    unremarkably named file is not read."""
    return b"GGUF" + struct.pack("<IQQ", 3, 0, 0) + bytes(104)


def provenance(files: str) -> str:
    return f"""\
Format: model-provenance/1
Models:
  - Name: net
    Upstream: https://example.org/net
    License: MIT
    Files:
{files}    Training:
      Data:
        - {{Name: corpus, License: CC0-1.0, Availability: public}}
      Code: {{Upstream: https://example.org/train, License: MIT, Complete: true}}
    Classification: free
"""


def entry(path: str, content: bytes, size: bool = False) -> str:
    text = f"      - Path: {path}\n        Sha256: {hashlib.sha256(content).hexdigest()}\n"
    return text + (f"        Size: {len(content)}\n" if size else "")


def lint_lines(root: Path) -> list[str]:
    """The findings, less the classification line every valid file gets
    (test_classification.py covers those)."""
    return [line for line in all_lines(root) if " model-classification " not in line]


def tree(tmp_path: Path, files: dict[str, bytes], prov: str | None = None) -> Path:
    root = write_tree(tmp_path, control())
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    if prov is not None:
        (root / PROVENANCE).write_text(prov, encoding="utf-8")
    return root


def test_models_without_provenance(tmp_path: Path) -> None:
    root = tree(tmp_path, {"data/blob.bin": safetensors(), "llm.gguf": gguf(), "src/load_weights.c": b"int w;\n"})
    lines = lint_lines(root)
    assert [line.split(" (")[0] for line in lines] == [
        "E: toy source: missing-model-provenance debian/model-provenance.yaml",
        "E: toy source: undeclared-model-file data/blob.bin",
        "E: toy source: undeclared-model-file llm.gguf",
    ]
    assert lines[0].endswith("(2 model file(s) found, first data/blob.bin)")
    assert lines[1].endswith("[data/blob.bin]")


def test_declared_and_matching_files_give_nothing(tmp_path: Path) -> None:
    model = safetensors()
    root = tree(tmp_path, {"m/net.safetensors": model}, provenance(entry("m/net.safetensors", model, size=True)))
    assert lint_lines(root) == []


def test_checksum_and_size_mismatch(tmp_path: Path) -> None:
    declared, present = safetensors(), safetensors((1.0, 2.0, 3.0))
    root = tree(tmp_path, {"net.safetensors": present}, provenance(entry("net.safetensors", declared, size=True)))
    assert lint_lines(root) == [
        f"E: toy source: model-file-checksum-mismatch net.safetensors (Size {len(declared)}, found {len(present)}; "
        f"Sha256 {hashlib.sha256(declared).hexdigest()}, found {hashlib.sha256(present).hexdigest()}) "
        f"[{PROVENANCE}:7:15]"
    ]


def test_missing_outside_and_generated(tmp_path: Path) -> None:
    model = safetensors()
    files = (
        entry("gone.safetensors", model)
        + entry("/usr/share/net.safetensors", model)
        + entry("../net.safetensors", model)
        + entry("link.safetensors", model)
        + "      - Path: built.onnx\n        Generated: true\n"
    )
    root = tree(tmp_path, {}, provenance(files))
    os.symlink("/etc/hostname", root / "link.safetensors")
    assert lint_lines(root) == [
        f"E: toy source: declared-model-file-missing gone.safetensors (model net) [{PROVENANCE}:7:15]",
        f"E: toy source: model-file-outside-source-tree /usr/share/net.safetensors (absolute path) [{PROVENANCE}:9:15]",
        f"E: toy source: model-file-outside-source-tree ../net.safetensors (path goes up with '..') [{PROVENANCE}:11:15]",
        f"E: toy source: model-file-outside-source-tree link.safetensors (symbolic link leaves the source tree) [{PROVENANCE}:13:15]",
    ]


def test_undeclared_escaping_symlink_named_like_a_model(tmp_path: Path) -> None:
    model = safetensors()
    root = tree(tmp_path, {"net.safetensors": model}, provenance(entry("net.safetensors", model)))
    os.symlink("/etc/passwd", root / "stolen.gguf")
    os.symlink("/usr/share/common-licenses/GPL-3", root / "COPYING")
    assert lint_lines(root) == [
        "E: toy source: model-file-outside-source-tree stolen.gguf (symbolic link leaves the source tree) [stolen.gguf]"
    ]


def test_unreadable_provenance_reports_only_its_syntax_error(tmp_path: Path) -> None:
    root = tree(tmp_path, {"net.safetensors": safetensors()}, "Format: [\n")
    assert [line.split(" debian/")[0] for line in lint_lines(root)] == [
        "E: toy source: model-provenance-syntax-error"
    ]


def snapshot(root: Path) -> list[tuple[str, int, int, int]]:
    found = []
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            info = os.lstat(os.path.join(directory, name))
            found.append((os.path.relpath(os.path.join(directory, name), root), info.st_mode, info.st_size, info.st_mtime_ns))
    return sorted(found)


def test_hostile_tree_is_reported_quickly_and_left_unchanged(tmp_path: Path) -> None:
    import time

    model = safetensors()
    root = tree(tmp_path, {"net.safetensors": model}, provenance(entry("net.safetensors", model)))
    os.mkfifo(root / "pipe.safetensors")
    (root / "dir.onnx").mkdir()
    os.symlink("../../..", root / "up.gguf")
    os.symlink("loop.npy", root / "loop.npy")
    (root / "big.bin").write_bytes(bytes(8 * 1024 * 1024))
    before = snapshot(root)
    start = time.monotonic()
    lines = lint_lines(root)
    assert time.monotonic() - start < 5
    assert snapshot(root) == before
    assert lines == [
        "E: toy source: model-file-outside-source-tree up.gguf (symbolic link leaves the source tree) [up.gguf]",
        "W: toy source: model-file-unreadable loop.npy (symbolic link loop) [loop.npy]",
        "W: toy source: model-file-unreadable pipe.safetensors (not a regular file (named pipe)) [pipe.safetensors]",
    ]
