"""dh_installmodelprovenance on real trees (debhelper's option parser really runs)."""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
from pathlib import Path

import pytest

from helpers import control, lint_lines, write_tree
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


MODEL = safetensors()
FAILED = (
    "dh_installmodelprovenance: error: {} finding(s) at or above severity error; see 'modelcheck explain TAG', "
    "or justify an override in debian/source/modelcheck-overrides"
)


def source(tmp_path: Path, extra: str = "", files: str = "", overrides: str | None = None) -> Path:
    root = write_tree(tmp_path, control(binary=BINARIES), overrides)
    (root / "net.safetensors").write_bytes(MODEL)
    text = provenance(files or entry("net.safetensors", MODEL))
    (root / PROVENANCE).write_text(text.replace("    Training:", extra + "    Training:"), encoding="utf-8")
    for package in ("toy", "toy-extra"):  # what dh_installdocs leaves in every package
        (root / "debian" / package / "usr/share/doc" / package).mkdir(parents=True)
    return root


def ship(root: Path, package: str, path: str, content: bytes = MODEL) -> None:
    """What dh_install would do."""
    (root / "debian" / package / path).parent.mkdir(parents=True, exist_ok=True)
    (root / "debian" / package / path).write_bytes(content)


def test_installs_into_the_packages_that_carry_the_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    ship(root, "toy", "usr/share/toy/renamed.bin")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]
    copy = root / "debian/toy/usr/share/doc/toy/model-provenance.yaml"
    assert copy.read_bytes() == (root / PROVENANCE).read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o644


def test_same_size_other_content_is_not_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    ship(root, "toy", "usr/share/toy/net.safetensors", safetensors((0.5, 1.0)))
    assert len(safetensors((0.5, 1.0))) == len(MODEL)
    assert run(root, monkeypatch, ["-ptoy"]) == (0, [])
    assert installed(root) == []


def test_symbolic_links_out_of_the_package_are_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    (root / "debian/toy/usr/share/toy").mkdir(parents=True)
    os.symlink(root / "net.safetensors", root / "debian/toy/usr/share/toy/net.safetensors")
    os.symlink(root, root / "debian/toy/usr/share/toy/tree")
    assert run(root, monkeypatch, ["-ptoy"]) == (0, [])
    assert installed(root) == []


def test_never_writes_through_a_link_on_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    ship(root, "toy", "usr/share/toy/net.safetensors")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "toy").mkdir(parents=True)
    shutil.rmtree(root / "debian/toy/usr/share/doc")
    os.symlink(elsewhere, root / "debian/toy/usr/share/doc")
    refused = (
        "dh_installmodelprovenance: error: debian/toy/usr/share/doc/toy/model-provenance.yaml: "
        "cannot write: usr/share/doc is a symbolic link"
    )
    assert run(root, monkeypatch, []) == (2, [refused])
    assert list(elsewhere.rglob("*")) == [elsewhere / "toy"]


def test_makes_the_doc_directory_and_refuses_a_directory_in_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = source(tmp_path)
    ship(root, "toy", "usr/share/toy/net.safetensors")
    shutil.rmtree(root / "debian/toy/usr/share/doc")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]
    os.unlink(root / "debian/toy/usr/share/doc/toy/model-provenance.yaml")
    (root / "debian/toy/usr/share/doc/toy/model-provenance.yaml").mkdir()
    in_the_way = (
        "dh_installmodelprovenance: error: debian/toy/usr/share/doc/toy/model-provenance.yaml: "
        f"cannot write: {os.strerror(errno.EISDIR)}"
    )
    assert run(root, monkeypatch, []) == (2, [in_the_way])
    assert sorted(p.name for p in (root / "debian/toy/usr/share/doc/toy").iterdir()) == ["model-provenance.yaml"]


def test_a_model_no_package_carries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    unshipped = (
        "I: toy source: model-not-in-any-binary-package net (1 declared file(s), none in a binary package) "
        f"[{PROVENANCE}:3:11]"
    )
    assert run(root, monkeypatch, []) == (0, [unshipped])
    assert installed(root) == []
    # Under a selection, the model may be in a package not acted on.
    assert run(root, monkeypatch, ["-ptoy"]) == (0, [])


MISSING = f"E: toy source: model-file-missing-from-binary-package toy-extra net.safetensors (model net) [{PROVENANCE}:9:23]"
UNDECLARED = (
    "E: toy source: model-file-in-undeclared-binary-package toy usr/share/toy/net.safetensors "
    f"(net.safetensors of model net) [{PROVENANCE}:9:22]"
)


def test_binary_packages_mismatch_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, "    Binary-Packages: [toy-extra]\n")
    ship(root, "toy", "usr/share/toy/net.safetensors")
    assert run(root, monkeypatch, []) == (1, [MISSING, UNDECLARED, FAILED.format(2)])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]


def test_selection_judges_only_the_packages_acted_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, "    Binary-Packages: [toy-extra]\n")
    ship(root, "toy", "usr/share/toy/net.safetensors")
    assert run(root, monkeypatch, ["-ptoy-extra"]) == (1, [MISSING, FAILED.format(1)])
    assert installed(root) == []
    assert run(root, monkeypatch, ["-Ntoy-extra"]) == (1, [UNDECLARED, FAILED.format(1)])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]
    os.unlink(root / "debian/toy/usr/share/doc/toy/model-provenance.yaml")
    ship(root, "toy-extra", "usr/share/toy/net.safetensors")
    assert run(root, monkeypatch, ["-ptoy-extra", "-v"]) == (0, [
        f"\tinstall -m0644 {PROVENANCE} debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"
    ])
    assert installed(root) == ["debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"]


def test_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overrides = (
        "# The -extra package is a second copy for the test.\n"
        "model-file-in-undeclared-binary-package toy usr/share/toy/*\n"
        "# Not needed.\n"
        "model-not-in-any-binary-package\n"
    )
    root = source(tmp_path, "    Binary-Packages: [toy-extra]\n", overrides=overrides)
    ship(root, "toy", "usr/share/toy/net.safetensors")
    ship(root, "toy-extra", "usr/share/toy/net.safetensors")
    unused = "I: toy source: unused-override model-not-in-any-binary-package [debian/source/modelcheck-overrides:4]"
    assert run(root, monkeypatch, []) == (0, [unused])
    assert run(root, monkeypatch, ["-ptoy"]) == (0, [])
    # lint and dh_modelcheck leave the overrides of this command's tags alone.
    assert [line for line in lint_lines(root) if "override" in line] == []


def test_linked_doc_dir_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    ship(root, "toy", "usr/share/toy/net.safetensors")
    ship(root, "toy-extra", "usr/share/toy/net.safetensors")
    (root / "debian/toy-extra/usr/share/doc/toy-extra").rmdir()
    os.symlink("toy", root / "debian/toy-extra/usr/share/doc/toy-extra")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]


def test_no_act_and_no_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, "    Binary-Packages: [toy-extra]\n")
    ship(root, "toy", "usr/share/toy/net.safetensors")
    assert run(root, monkeypatch, ["--no-act"]) == (0, [])
    assert installed(root) == []
    os.unlink(root / PROVENANCE)
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == []


GENERATED = "      - Path: build/net.bin\n        Generated: true\n"


def test_generated_file_by_the_checksum_of_its_built_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, files=GENERATED)
    (root / "build").mkdir()
    (root / "build/net.bin").write_bytes(MODEL)
    ship(root, "toy-extra", "usr/share/toy/weights")
    ship(root, "toy", "usr/share/toy/net.bin", b"a file by that name, other content")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"]


def test_generated_file_without_a_built_copy_by_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path, files=GENERATED)
    ship(root, "toy", "usr/share/toy/net.bin", b"written straight into the package")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy/usr/share/doc/toy/model-provenance.yaml"]


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


def test_tmpdir_is_the_package_build_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    ship(root, "tmp", "usr/share/toy/net.safetensors")
    assert run(root, monkeypatch, ["-ptoy", "-Pdebian/tmp"]) == (0, [])
    assert installed(root) == ["debian/tmp/usr/share/doc/toy/model-provenance.yaml"]


def test_without_size_or_source_copy_every_file_is_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    os.unlink(root / "net.safetensors")  # dh_modelcheck reports it missing from the source
    ship(root, "toy-extra", "usr/share/toy/a-copy")
    assert run(root, monkeypatch, []) == (0, [])
    assert installed(root) == ["debian/toy-extra/usr/share/doc/toy-extra/model-provenance.yaml"]
