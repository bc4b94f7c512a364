"""modelcheck scan-archive's command line: (exit status, stdout, stderr)."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import subprocess
import sys
from pathlib import Path

import pytest

from modelcheck import __version__, archive, cli, progress

REPO = Path(__file__).resolve().parents[2]

SOURCES = """\
Package: later
Version: 1:2.0-1
Build-Depends: libdnnl-dev | libcudnn9-dev-cuda-12

Package: contrib-cuda
Version: 4
Section: contrib/science
Build-Depends: nvidia-cuda-toolkit, libnccl-dev

Package: first
Version: 3
Build-Depends: libnccl-dev
"""


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    real = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        status = cli.main(argv, out=out, err=err)
    finally:
        sys.stdin = real
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def sources(tmp_path: Path) -> str:
    path = tmp_path / "Sources"
    path.write_text(SOURCES, encoding="utf-8")
    return str(path)


def test_json_findings_carry_source_version_severity_and_file(sources: str) -> None:
    status, out, err = run(["scan-archive", "--format", "json", sources])
    assert (status, err) == (1, "")
    document = json.loads(out)
    assert {k: v for k, v in document.items() if k != "findings"} == {
        "format-version": 2, "tool": {"name": "dh-modelcheck", "version": __version__}, "command": "scan-archive",
    }
    assert [(f["package"], f["version"], f["severity"], f["tag"], f["context"].split()[0], f["file"], f["line"],
             f["area"], f["stack"]) for f in document["findings"]] == [
        ("later", "1:2.0-1", "warning", "build-depends-on-proprietary-accelerator", "libcudnn9-dev-cuda-12",
         sources, 1, "main", "cudnn"),
        ("contrib-cuda", "4", "info", "build-depends-on-proprietary-accelerator", "nvidia-cuda-toolkit",
         sources, 5, "contrib", "cuda"),
        ("contrib-cuda", "4", "info", "build-depends-on-proprietary-accelerator", "libnccl-dev",
         sources, 5, "contrib", "nccl"),
        ("first", "3", "error", "build-depends-on-proprietary-accelerator", "libnccl-dev",
         sources, 10, "main", "nccl"),
    ]


def test_text_groups_by_stack_and_area_and_ends_with_counts(sources: str) -> None:
    status, out, err = run(["scan-archive", "--fail-on", "never", sources])
    assert (status, err) == (0, "")
    shape = [line if line.startswith(("==", "--", "  ")) else line.split(" ")[0] + " " + line.split(" ")[1]
             for line in out.splitlines()]
    assert shape == [
        "== stack cuda", "-- contrib", "I: contrib-cuda",
        "== stack cudnn", "-- main", "W: later",
        "== stack nccl", "-- main", "E: first", "-- contrib", "I: contrib-cuda",
        "== 4 finding(s): 1 error, 1 warning, 2 info",
        "   main: 1 error, 1 warning",
        "   contrib: 2 info",
    ]


@pytest.mark.parametrize("fail_on, status", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(sources: str, fail_on: str, status: int) -> None:
    assert run(["scan-archive", "--fail-on", fail_on, sources])[0] == status


def test_standard_input_and_an_empty_scan() -> None:
    assert run(["scan-archive", "-"], b"Package: a\nBuild-Depends: libfoo-dev\n") == (0, "== 0 finding(s)\n", "")


def test_unreadable_inputs_are_one_line_each_and_the_rest_is_scanned(sources: str, tmp_path: Path) -> None:
    truncated = tmp_path / "Sources.xz"
    truncated.write_bytes(b"\xfd7zXZ\x00\x00")
    status, out, err = run(["scan-archive", "--format", "json", "/nonexistent", str(truncated), sources])
    assert status == 2
    assert len(json.loads(out)["findings"]) == 4
    assert err.splitlines() == [
        "modelcheck: error: /nonexistent: no such file",
        f"modelcheck: error: {truncated}: unreadable at its start: xz data truncated",
    ]


def test_an_unreadable_packages_index_stops_the_scan(sources: str) -> None:
    assert run(["scan-archive", sources, "--packages", "/nonexistent"]) == (
        2, "", "modelcheck: error: /nonexistent: no such file\n")


def test_packages_option_list_ends_at_double_dash(sources: str, tmp_path: Path) -> None:
    packages = tmp_path / "Packages"
    packages.write_text("Package: libcudnn9-dev-cuda-12\nSection: contrib/libdevel\n", encoding="utf-8")
    status, out, _ = run(["scan-archive", "--format", "json", "--packages", str(packages), "--", sources])
    assert status == 1 and len(json.loads(out)["findings"]) == 4


# Every input format scan-archive(1) and --help name, with what makes it.
COMPRESSORS = {"plain": bytes, "gzip": gzip.compress, "xz": lzma.compress, "bzip2": bz2.compress}


def located(out: str) -> list[tuple]:
    """The findings without the file they name."""
    return [tuple(sorted((k, str(v)) for k, v in f.items() if k != "file")) for f in json.loads(out)["findings"]]


@pytest.mark.parametrize("compression", sorted(COMPRESSORS))
def test_every_documented_input_format_gives_the_same_findings(compression: str, sources: str, tmp_path: Path) -> None:
    """Sources and Packages indices, plain or compressed (recognised by
    content, whatever the name), from a file or from standard input."""
    reference = run(["scan-archive", "--format", "json", sources])
    packages = tmp_path / "Packages.index"
    packages.write_bytes(COMPRESSORS[compression](b"Package: libnccl-dev\nSection: non-free/libdevel\n"))
    plain_packages = tmp_path / "Packages"
    plain_packages.write_text("Package: libnccl-dev\nSection: non-free/libdevel\n", encoding="utf-8")
    data = COMPRESSORS[compression](Path(sources).read_bytes())
    index = tmp_path / "Sources.index"
    index.write_bytes(data)
    from_file = run(["scan-archive", "--format", "json", str(index)])
    from_stdin = run(["scan-archive", "--format", "json", "-"], stdin=data)
    assert (from_file[0], from_file[2]) == (from_stdin[0], from_stdin[2]) == (reference[0], reference[2]) == (1, "")
    assert located(from_file[1]) == located(from_stdin[1]) == located(reference[1])
    assert [f["file"] for f in json.loads(from_stdin[1])["findings"]] == ["-"] * 4
    with_packages = run(["scan-archive", "--format", "json", "--packages", str(packages), "--", sources])
    assert with_packages == run(["scan-archive", "--format", "json", "--packages", str(plain_packages), "--", sources])


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_for_large_inputs(sources: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LARGE", 0)
    monkeypatch.setattr(archive, "BATCH", 2)
    terminal = Terminal()
    status = cli.main(["scan-archive", "--fail-on", "never", sources], out=io.StringIO(), err=terminal)
    assert status == 0
    assert terminal.getvalue() == f"\rmodelcheck: {sources}: 2 stanzas, 34%\r\x1b[K"
    quiet = io.StringIO()
    cli.main(["scan-archive", sources], out=io.StringIO(), err=quiet)
    assert quiet.getvalue() == ""


def test_scan_archive_imports_neither_yaml_nor_jsonschema(sources: str) -> None:
    code = (
        "import sys; from modelcheck.cli import main; main(['scan-archive', sys.argv[1]]);"
        "assert not {'yaml', 'jsonschema'} & set(sys.modules), sorted(sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, sources], env={"PYTHONPATH": str(REPO / "lib")},
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
