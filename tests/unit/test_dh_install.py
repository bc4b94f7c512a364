"""dh_installmodelprovenance on real trees (dh_listpackages really runs)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from helpers import control, write_tree
from test_files import entry, provenance, safetensors

from modelcheck import dh_install
from modelcheck.source import PROVENANCE

BINARIES = """
Package: toy
Architecture: all
Description: toy
 toy

Package: toy-extra
Architecture: all
Description: toy
 toy
"""


def run(root: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    err = io.StringIO()
    status = dh_install.main(argv, env={"PATH": "/usr/bin:/bin"}, err=err)
    return status, err.getvalue().splitlines()


def installed(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.glob("debian/*/usr/share/doc/*/model-provenance.yaml"))


def source(tmp_path: Path, extra: str = "") -> Path:
    root = write_tree(tmp_path, control(binary=BINARIES))
    model = safetensors()
    (root / "net.safetensors").write_bytes(model)
    text = provenance(entry("net.safetensors", model))
    (root / PROVENANCE).write_text(text.replace("    Training:", extra + "    Training:"), encoding="utf-8")
    return root


def test_installs_into_every_package_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == [
        "debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml",
        "debian/toy/usr/share/doc/toy/model-provenance.yaml",
    ]
    copy = root / "debian/toy/usr/share/doc/toy/model-provenance.yaml"
    assert copy.read_bytes() == (root / PROVENANCE).read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o644


def test_binary_packages_and_selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, "    Binary-Packages: [toy-extra]\n")
    assert run(root, monkeypatch, ["-ptoy"]) == (0, [])
    assert installed(root) == []
    assert run(root, monkeypatch, ["-v"]) == (0, [
        f"\tinstall -m0644 {PROVENANCE} debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"
    ])
    assert installed(root) == ["debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"]


def test_linked_doc_dir_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    (root / "debian/toy-extra/usr/share/doc").mkdir(parents=True)
    os.symlink("toy", root / "debian/toy-extra/usr/share/doc/toy-extra")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]


def test_no_act_and_no_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    assert run(root, monkeypatch, ["--no-act"]) == (0, [])
    assert installed(root) == []
    os.unlink(root / PROVENANCE)
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("Format: [\n", f"{PROVENANCE}: did not find expected node content; dh_modelcheck reports the details"),
        ("Format: model-provenance/1\n", f"{PROVENANCE} is not valid; dh_modelcheck reports the violations"),
    ],
)
def test_invalid_provenance_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    root = source(tmp_path)
    (root / PROVENANCE).write_text(text, encoding="utf-8")
    assert run(root, monkeypatch, []) == (2, [f"dh_installmodelprovenance: error: {message}"])
    assert installed(root) == []


def test_unknown_binary_package_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, "    Binary-Packages: [toy, toy-gone]\n")
    assert run(root, monkeypatch, []) == (2, [
        f"dh_installmodelprovenance: error: {PROVENANCE}: Binary-Packages names unknown package(s): toy-gone"
    ])
