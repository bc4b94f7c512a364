"""The output layer against hostile names and hostile standard outputs:
a name can never forge a line, undecodable names survive JSON, and an
output that cannot be written is one line on stderr with status 2."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from helpers import control, write_tree

from test_hostile_fs import run

NEWLINE_NAME = "evil\nE: toy source: forged.gguf"


def named_models(tmp_path: Path) -> Path:
    root = write_tree(tmp_path, control())
    (root / NEWLINE_NAME).write_bytes(b"GGUF" + bytes(100))
    (root / os.fsdecode(b"bad\xff\x1b[31m.gguf")).write_bytes(b"GGUF" + bytes(100))
    return root


def test_text_output_escapes_control_characters_and_undecodable_bytes(tmp_path: Path) -> None:
    status, out, err = run(["lint", str(named_models(tmp_path))])
    assert (status, err) == (1, "")
    assert out.splitlines()[1:] == [
        "E: toy source: undeclared-model-file bad\\xff\\x1b[31m.gguf (gguf, found by name: named .gguf;"
        " content not recognised) [bad\\xff\\x1b[31m.gguf]",
        "E: toy source: undeclared-model-file evil\\nE: toy source: forged.gguf (gguf, found by name: named .gguf;"
        " content not recognised) [evil\\nE: toy source: forged.gguf]",
    ]


@pytest.mark.parametrize("form", ["json", "code-quality"])
def test_json_output_gives_undecodable_names_back(tmp_path: Path, form: str) -> None:
    status, out, _err = run(["lint", "--format", form, str(named_models(tmp_path))])
    assert status == 1
    assert "\\udcff" in out
    out.encode("utf-8")  # writable as UTF-8: no raw surrogate left
    document = json.loads(out)
    if form == "json":
        files = [f["file"] for f in document["findings"] if f["tag"] == "undeclared-model-file"]
    else:
        files = [f["location"]["path"] for f in document if f["check_name"] == "undeclared-model-file"]
    assert [os.fsencode(f) for f in files] == [b"bad\xff\x1b[31m.gguf", NEWLINE_NAME.encode()]


def modelcheck(tmp_path: Path, argv: list[str], **redirect: object) -> subprocess.CompletedProcess:
    link = tmp_path / "bin" / "modelcheck"
    link.parent.mkdir(exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO / "dh_modelcheck")
    return subprocess.run([str(link), *argv], stderr=subprocess.PIPE, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin"}, **redirect)  # type: ignore[call-overload]


def test_standard_output_full(tmp_path: Path) -> None:
    root = named_models(tmp_path)
    with open("/dev/full", "w") as full:
        for argv in (["lint", str(root)], ["explain", "unused-override"], ["--version"]):
            result = modelcheck(tmp_path, argv, stdout=full)
            assert (result.returncode, result.stderr) == (
                2, "modelcheck: error: standard output: No space left on device\n"), argv


def test_standard_output_closed(tmp_path: Path) -> None:
    result = modelcheck(tmp_path, ["lint", str(named_models(tmp_path))], stdout=subprocess.DEVNULL,
                        preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (2, "modelcheck: error: standard output: closed\n")


def test_standard_output_a_broken_pipe(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = modelcheck(tmp_path, ["lint", str(named_models(tmp_path))], stdout=writer)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (2, "modelcheck: error: standard output: Broken pipe\n")


def test_init_refuses_a_model_name_that_is_not_utf8(tmp_path: Path) -> None:
    root = write_tree(tmp_path, control())
    (root / os.fsdecode(b"bad\xff.gguf")).write_bytes(b"GGUF" + bytes(100))
    assert run(["init", str(root)]) == (
        2, "", "modelcheck: error: bad\\xff.gguf: file name not UTF-8; rename it to declare it\n")
    assert not (root / "debian" / "model-provenance.yaml").exists()
