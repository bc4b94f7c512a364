"""Hostile bytes in model files: each recogniser's failure class gives a
finding, never a traceback (the exact description for each)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

import modelfiles
from helpers import control, write_tree
from test_hostile_fs import run

from modelcheck import formats
from modelcheck.discover import discover


def models(root: Path) -> list[tuple[str, str, str, str]]:
    return [(m.path, m.format, m.evidence, m.description) for m in discover(root).models]


def test_npy_header_with_bytes_that_are_not_ascii(tmp_path: Path) -> None:
    header = b"{'descr': '<\xff4', 'fortran_order': False, 'shape': (2, 3), }"
    header += b" " * (117 - len(header)) + b"\n"
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(24))
    assert models(tmp_path) == [("bad.npy", "npy", "content", "npy array, array")]


def test_zip64_locator_with_a_huge_offset(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", b"x" * 10)
    data = buffer.getvalue()
    end = data.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, 2**64 - 1, 1)
    (tmp_path / "net.pt").write_bytes(data[:end] + locator + data[end:])
    assert models(tmp_path) == [("net.pt", "pytorch", "name", "named .pt; content not recognised")]


def test_a_recogniser_that_raises_reports_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in one recogniser neither stops the scan nor hides the file."""
    def recognise(_sample: formats.Sample) -> None:
        raise IndexError("index out of range")

    recognise.__module__ = "modelcheck.formats.broken"
    monkeypatch.setattr(formats, "_TOP", (recognise, *formats._TOP))
    (tmp_path / "net.safetensors").write_bytes(modelfiles.safetensors())
    assert models(tmp_path) == [("net.safetensors", "other", "content",
                                 "unrecognised: the broken recogniser failed (IndexError: index out of range)")]


def test_init_on_a_saved_model_nested_deeper_than_the_limit(tmp_path: Path, nest) -> None:  # type: ignore[no-untyped-def]
    root = write_tree(tmp_path, control())
    (root / "export").mkdir()
    (root / "export" / "saved_model.pb").write_bytes(modelfiles.saved_model())
    nest(root / "export", "variables", 1100)  # deeper than Python's recursion limit
    deep = "/".join(["export"] + ["variables"] * 256)
    status, out, err = run(["init", str(root)])
    assert (status, out) == (2, "")
    assert err == f"modelcheck: error: {deep}: nested deeper than 256 directories\n"
