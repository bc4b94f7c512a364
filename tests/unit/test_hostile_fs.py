"""Hostile source trees on the file system: links on the way to a file,
special files named like models, deep trees, unreadable files, package
names that would hide a directory.  Each case gives the exact finding or
the one-line error and status."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from conftest import PACKAGES
from helpers import control, lint_lines, write_tree

from modelcheck import cli
from modelcheck.discover import discover
from modelcheck.errors import CannotRead
from modelcheck.safeio import read_limited, write_atomically


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def linked_debian(tmp_path: Path) -> tuple[Path, Path]:
    """A tree whose debian/ is a symbolic link to another tree's."""
    other = tmp_path / "other"
    shutil.copytree(PACKAGES / "weights-declared", other)
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copytree(PACKAGES / "weights-declared" / "models", tree / "models")
    (tree / "debian").symlink_to(other / "debian")
    return tree, other


def test_lint_does_not_read_through_a_linked_debian(tmp_path: Path) -> None:
    tree, _other = linked_debian(tmp_path)
    assert run(["lint", str(tree)]) == (2, "", "modelcheck: error: debian/control: debian is a symbolic link\n")


def test_init_does_not_write_through_a_linked_debian(tmp_path: Path) -> None:
    tree, other = linked_debian(tmp_path)
    (other / "debian" / "model-provenance.yaml").unlink()
    before = sorted(os.listdir(other / "debian"))
    status, out, err = run(["init", str(tree)])
    assert (status, out, err) == (2, "", "modelcheck: error: debian/control: debian is a symbolic link\n")
    assert sorted(os.listdir(other / "debian")) == before


def test_safe_open_refuses_a_link_on_any_component(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "f").write_bytes(b"secret")
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "b").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(CannotRead, match="^a/b is a symbolic link$"):
        read_limited(root / "a" / "b" / "f", 100, root)
    with pytest.raises(CannotRead, match="^a/b is a symbolic link$"):
        write_atomically(root / "a" / "b" / "new", b"x", root=root)
    assert not (tmp_path / "elsewhere" / "new").exists()
    (root / "a" / "f").symlink_to(tmp_path / "elsewhere" / "f")
    with pytest.raises(CannotRead, match="^is a symbolic link$"):
        read_limited(root / "a" / "f", 100, root)
    with pytest.raises(CannotRead, match="^not inside the source tree$"):
        read_limited(root / ".." / "elsewhere" / "f", 100, root)


def test_write_atomically_replaces_within_the_tree(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    write_atomically(tmp_path / "d" / "f", b"one", root=tmp_path)
    write_atomically(tmp_path / "d" / "f", b"two", 0o600, root=tmp_path)
    assert (tmp_path / "d" / "f").read_bytes() == b"two"
    assert oct((tmp_path / "d" / "f").stat().st_mode & 0o777) == "0o600"
    assert os.listdir(tmp_path / "d") == ["f"]


def test_a_package_name_with_dot_dot_hides_nothing(tmp_path: Path) -> None:
    binary = "\nPackage: ../src\nArchitecture: all\nDescription: x\n x\n"
    root = write_tree(tmp_path, control(binary=binary))
    (root / "src").mkdir()
    (root / "src" / "net.gguf").write_bytes(b"GGUF" + bytes(60))
    assert [m.path for m in discover(root).models] == ["src/net.gguf"]
    assert [m.path for m in discover(root, skip=["debian/../src"]).models] == ["src/net.gguf"]


def test_a_model_2100_directories_deep_is_reported(tmp_path: Path, nest) -> None:  # type: ignore[no-untyped-def]
    root = write_tree(tmp_path, control())
    nest(root, "d", 2100)
    deep = "/".join(["d"] * 257)
    assert lint_lines(root) == [
        f"W: toy source: model-file-unreadable {deep} (nested deeper than 256 directories, not searched) [{deep}]"
    ]


def test_special_and_unreadable_files_named_like_models_are_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, control())
    os.mkfifo(root / "net.onnx")
    (root / "weights.gguf").write_bytes(b"GGUF" + bytes(100))
    (root / "weights.gguf").chmod(0)
    lines = [line for line in lint_lines(root) if "model-file-unreadable" in line]
    expected = ["W: toy source: model-file-unreadable net.onnx (not a regular file (named pipe)) [net.onnx]"]
    if os.geteuid() != 0:  # root reads whatever the mode says
        expected.append("W: toy source: model-file-unreadable weights.gguf (Permission denied) [weights.gguf]")
    assert lines == expected
