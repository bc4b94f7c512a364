import hashlib
import os
from pathlib import Path

import pytest

from modelcheck import hashing
from modelcheck.errors import CannotRead
from modelcheck.hashing import Unhashable, sha256_file, sha256_files

EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2 example


def test_known_digests(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "abc").write_bytes(b"abc")
    assert sha256_file(tmp_path / "empty") == EMPTY
    assert sha256_file(tmp_path / "abc") == ABC


@pytest.mark.parametrize("size", [hashing.BUFFER_BYTES - 1, hashing.BUFFER_BYTES, 3 * hashing.BUFFER_BYTES + 7])
def test_files_across_buffer_boundaries_match_hashlib(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    (tmp_path / "f").write_bytes(data)
    assert sha256_file(tmp_path / "f") == hashlib.sha256(data).hexdigest()


def test_a_link_to_a_regular_file_is_hashed_as_its_target(tmp_path: Path) -> None:
    (tmp_path / "abc").write_bytes(b"abc")
    (tmp_path / "link").symlink_to("abc")
    assert sha256_file(tmp_path / "link") == ABC


def test_special_files_and_missing_files_raise_the_typed_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "to-fifo").symlink_to("fifo")
    (tmp_path / "loop").symlink_to("loop")
    for name, reason in [("fifo", "not a regular file"), ("to-fifo", "not a regular file"),
                         ("missing", "No such file or directory"), ("loop", "Too many levels of symbolic links")]:
        with pytest.raises(CannotRead) as caught:
            sha256_file(tmp_path / name)
        assert str(caught.value) == f"{tmp_path / name}: {reason}"


def test_sha256_files_agrees_with_sequential_hashing_and_types_its_failures(tmp_path: Path) -> None:
    paths = []
    for i in range(12):
        path = tmp_path / f"f{i}"
        path.write_bytes(os.urandom(i * 200_003))
        paths.append(path)
    os.mkfifo(tmp_path / "fifo")
    expected: dict[Path, hashing.HashResult] = {p: sha256_file(p) for p in paths}
    expected[tmp_path / "fifo"] = Unhashable("not a regular file")
    expected[tmp_path / "vanished"] = Unhashable("No such file or directory")
    asked = [*paths, tmp_path / "fifo", tmp_path / "vanished", paths[3]]  # duplicates are hashed once
    assert sha256_files(asked, jobs=4) == expected
    assert sha256_files(asked, jobs=1) == expected
    assert sha256_files(asked) == expected
    assert sha256_files([]) == {}

