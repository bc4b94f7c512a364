"""Hostile archive inputs: compression bombs, special files and closed
standard input as indices, bytes apt's parser must never see, NUL bytes
and blank values.  Each gives its exact one-line error or finding."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
from pathlib import Path

import pytest

from test_hostile_output import modelcheck

from modelcheck import indices
from modelcheck.archive import scan_archive
from modelcheck.report import text_line

ZEROS = bytes(4 << 20)


def compressed(kind: str) -> bytes:
    if kind == "zstd":
        import zstandard

        return zstandard.ZstdCompressor().compress(ZEROS)
    return {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}[kind](ZEROS)


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zstd"])
def test_a_bomb_passes_the_ratio_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(indices, "RATIO_FROM", 1 << 20)  # the ratio is checked past 1 MiB, not 64
    (tmp_path / "Sources").write_bytes(compressed(kind))
    (error,) = scan_archive([str(tmp_path / "Sources")]).errors
    assert str(error) == f"{tmp_path}/Sources: decompresses more than 200 times its size, the limit of an index"


def test_a_bomb_passes_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indices, "MAX_PLAIN_BYTES", 1 << 20)
    (tmp_path / "Sources").write_bytes(compressed("gzip"))
    (error,) = scan_archive([str(tmp_path / "Sources")]).errors
    assert str(error) == f"{tmp_path}/Sources: decompresses to more than 1048576 bytes, the limit of an index"
    (error,) = scan_archive(["-"], stdin=io.BytesIO(ZEROS)).errors
    assert str(error) == "-: larger than 1048576 bytes, the limit of an index"


def test_a_fifo_or_a_pipe_path_is_refused_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    reader, writer = os.pipe()
    try:
        scan = scan_archive([str(tmp_path / "fifo"), f"/dev/fd/{reader}"])
    finally:
        os.close(reader)
        os.close(writer)
    assert [str(e) for e in scan.errors] == [
        f"{tmp_path}/fifo: not a regular file; give a pipe as - (standard input)",
        f"/dev/fd/{reader}: not a regular file; give a pipe as - (standard input)",
    ]


def test_closed_standard_input(tmp_path: Path) -> None:
    result = modelcheck(tmp_path, ["scan-archive", "-"], stdout=-1, preexec_fn=lambda: os.close(0))
    assert (result.returncode, result.stderr) == (2, "modelcheck: error: -: standard input is closed\n")


def test_a_field_name_that_is_not_ascii_never_reaches_apt(tmp_path: Path) -> None:
    """apt's TagFile crashes the interpreter (SIGSEGV) on such a name."""
    text = b"Package: a\nSection: devel\n\nPackage: b\nF\xffeld: x\nBuild-Depends: nvidia-cuda-toolkit\n\n"
    (tmp_path / "Sources").write_bytes(text)
    (error,) = scan_archive([str(tmp_path / "Sources")]).errors
    assert str(error) == f"{tmp_path}/Sources: line 5: a field name that is not ASCII (Debian Policy 5.1)"


def test_a_nul_before_the_area_slash(tmp_path: Path) -> None:
    text = b"Package: a\nSection: non-free\x00x/devel\nBuild-Depends: debhelper\n\nPackage: b\nSection: devel\n\n"
    (tmp_path / "Sources").write_bytes(text)
    scan = scan_archive([str(tmp_path / "Sources")])
    assert scan.errors == []
    assert [text_line(f.finding) for f in scan.findings] == [
        f"W: a source: unknown-archive-area non-free\\x00x (Section: non-free\\x00x/devel) [{tmp_path}/Sources:1]"]


def test_a_blank_line_inside_a_value(tmp_path: Path) -> None:
    text = b"Package: a\nSection: contrib/devel\nBuild-Depends:\n\nBuild-Depends-Indep: nvidia-cuda-toolkit\n\n"
    (tmp_path / "Sources").write_bytes(text)
    scan = scan_archive([str(tmp_path / "Sources")])
    assert scan.errors == []
    cuda = ("free alternative: ROCm/HIP (hipcc, libamdhip64-dev) or OpenCL (ocl-icd-opencl-dev, pocl-opencl-icd)")
    assert [text_line(f.finding) for f in scan.findings] == [
        f"E:  source: malformed-index-stanza stanza (no Package field) [{tmp_path}/Sources:5]",
        f"E:  source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit (Build-Depends-Indep;"
        f" stack cuda; {cuda}) [{tmp_path}/Sources:5]",
    ]


@pytest.mark.parametrize("brk", ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_a_line_break_character_in_a_stanza_apt_split_wrongly(tmp_path: Path, brk: str) -> None:
    """python-debian, which re-reads such a stanza, breaks values at every
    character str.splitlines() breaks at; in an index they are bytes of a
    line, and the dependency after one is still judged."""
    text = ("Package: a\nSection: devel\nPackage: a\nBuild-Depends: debhelper,\n"
            f" foo{brk},\n nvidia-cuda-toolkit\n\n").encode()
    (tmp_path / "Sources").write_bytes(text)
    scan = scan_archive([str(tmp_path / "Sources")])
    assert scan.errors == []
    assert [(f.finding.tag, f.finding.context.split(" (")[0]) for f in scan.findings] == [
        ("malformed-index-stanza", "stanza"),
        ("build-depends-on-proprietary-accelerator", "nvidia-cuda-toolkit"),
    ]


def test_findings_are_given_out_batch_by_batch(tmp_path: Path) -> None:
    """Findings reach the report as each batch is judged, not at the end:
    a million of them are never held at once."""
    from modelcheck.archive import BATCH, ProgressDisplay, stream_archive

    stanza = "Package: p{}\nSection: devel\nBuild-Depends: nvidia-cuda-toolkit\n\n"
    (tmp_path / "Sources").write_text("".join(stanza.format(n) for n in range(2 * BATCH + 1)))
    events: list[str] = []
    display = ProgressDisplay(lambda offset, count: events.append(f"read {count}"), lambda: None)
    errors, count = stream_archive([str(tmp_path / "Sources")], lambda item: events.append("finding"),
                                   progress_for=lambda index: display)
    assert (errors, count) == ([], 2 * BATCH + 1)
    assert [e for e in events if e != "finding"] == [f"read {BATCH}", f"read {2 * BATCH}"]
    assert events.index(f"read {BATCH}") == BATCH  # the first batch's findings came before
    assert events.index(f"read {2 * BATCH}") == 2 * BATCH + 1
    assert len(events) == 2 * BATCH + 1 + 2
