"""The census's tarball streams give the model files that lint's discovery
finds in the unpacked tree: the same paths, formats, sizes and evidence."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import modelfiles
import pytest

from modelcheck.census.scan import Damaged, Tarball, assemble, scan_tarball
from modelcheck.discover import discover

NCNN_PARAM = b"7767517\n75 83\nInput data 0 1 data 0=227 1=227 2=3\n" + b"Convolution conv1 1 1 data c1 0=64\n" * 40
TREE = {
    "models/squeezenet.param": NCNN_PARAM,
    "models/squeezenet.bin": os.urandom(4096),  # raw floats: a model only beside its description
    "export/1/saved_model.pb": modelfiles.saved_model(),
    "export/1/variables/variables.index": os.urandom(300),
    "export/1/variables/net.safetensors": modelfiles.safetensors(),  # inside the SavedModel: not reported apart
    "eval/model.nnue": modelfiles.nnue(),
    "empty.onnx": b"",
    "src/weights_data.c": b"static const float w[] = {" + b"0.125f, " * 600 + b"};\n",  # read, too few numbers
    "README.md": b"# a readme that is never read\n" * 100,
    ".git/objects/model.safetensors": modelfiles.safetensors(),  # skipped at any depth
    "debian/control": b"Source: toy\n\nPackage: toy\nArchitecture: all\n",
    "debian/toy/usr/share/toy/built.safetensors": modelfiles.safetensors(),  # build output of binary toy
}


def tar_of(files: dict[str, bytes], top: str, mode: str = "w:xz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        for rel, data in files.items():
            info = tarfile.TarInfo(f"{top}/{rel}" if top else rel)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def on_disk(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def test_a_native_tarball_gives_what_discover_finds(tmp_path: Path) -> None:
    tarball = Tarball(io.BytesIO(tar_of(TREE, "toy-1.0")), "toy_1.0.tar.xz", "debian")
    tree = assemble([(tarball, scan_tarball(tarball))], frozenset({"toy"}), quilt=False)
    expected = discover(on_disk(tmp_path, TREE)).models
    assert [(f.path, f.format, f.size, f.evidence) for f in tree.files] == [
        (m.path, m.format, m.size, m.evidence) for m in expected]
    assert [f.path for f in tree.files] == [
        "empty.onnx", "eval/model.nnue", "export/1", "models/squeezenet.bin", "models/squeezenet.param"]
    hashes = {f.path: f.sha256 for f in tree.files}
    assert hashes["export/1"] is None  # a directory
    for path in set(hashes) - {"export/1"}:
        assert hashes[path] == hashlib.sha256(TREE[path]).hexdigest()


def test_quilt_debian_tarball_replaces_the_orig_debian_directory() -> None:
    orig = {"net.safetensors": modelfiles.safetensors(), "debian/stale.safetensors": modelfiles.safetensors()}
    component = {"voice.nnue": modelfiles.nnue()}
    debian = {"debian/model-provenance.yaml": b"Format: model-provenance/1\n", "debian/control": b"Source: x\n"}
    tarballs = [Tarball(io.BytesIO(tar_of(orig, "x-1.0", "w:gz")), "x_1.0.orig.tar.gz", "orig"),
                Tarball(io.BytesIO(tar_of(component, "voices", "w:bz2")), "x_1.0.orig-voices.tar.bz2", "component",
                        "voices"),
                Tarball(io.BytesIO(tar_of(debian, "")), "x_1.0-1.debian.tar.xz", "debian")]
    tree = assemble([(t, scan_tarball(t)) for t in tarballs], frozenset({"x"}), quilt=True)
    assert [(f.path, f.format) for f in tree.files] == [("net.safetensors", "safetensors"), ("voices/voice.nnue", "nnue")]
    assert tree.provenance == b"Format: model-provenance/1\n"


def test_a_truncated_tarball_keeps_what_was_read() -> None:
    data = tar_of({"a.nnue": modelfiles.nnue(), "b.bin": os.urandom(200_000)}, "t-1", "w:gz")
    with pytest.raises(Damaged) as raised:
        scan_tarball(Tarball(io.BytesIO(data[: len(data) - 50_000]), "t_1.tar.gz", "debian"))
    reason, partial = raised.value.args
    assert reason.startswith("t_1.tar.gz: unreadable (")
    assert [f.raw for f in partial.found] == ["t-1/a.nnue"]
