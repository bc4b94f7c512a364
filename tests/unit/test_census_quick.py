"""Census quick mode on small hand-written Contents indices."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from modelcheck.census import quick, store
from modelcheck.census.quick import Candidate
from modelcheck.errors import CannotRead, UnusableInput
from modelcheck.formats import NAMED

# Contents-amd64 of main: the path, blanks, then section/package pairs.
CONTENTS_AMD64 = """\
usr/bin/tesseract                                       graphics/tesseract-ocr
usr/share/tesseract-ocr/5/tessdata/eng.traineddata      graphics/tesseract-ocr-eng
usr/share/doc/foo/model.pt.gz                           doc/foo-doc
usr/lib/python3/dist-packages/bar/Net.ONNX              python/python3-bar,science/bar-models
usr/share/baz/my model.pth\tscience/baz
usr/share/qux/weights.h5.txt                            science/qux
usr/share/fst/words.fst                                 text/fst-data
"""
CONTENTS_ALL = """\
usr/share/nonfree/voice.htsvoice                        non-free/sound/voice-data
usr/share/contrib/x.safetensors                         contrib/science/x-weights
usr/share/tesseract-ocr/5/tessdata/eng.traineddata      graphics/tesseract-ocr-eng
"""


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode()))
    return path


def test_candidates_by_name_with_their_rule(tmp_path: Path) -> None:
    amd64 = write_gz(tmp_path / "Contents-amd64.gz", CONTENTS_AMD64)
    plain_all = tmp_path / "Contents-all"
    plain_all.write_text(CONTENTS_ALL)
    assert quick.scan([amd64, plain_all]) == [
        Candidate("contrib", "x-weights", "usr/share/contrib/x.safetensors", "name .safetensors (safetensors)"),
        Candidate("main", "bar-models", "usr/lib/python3/dist-packages/bar/Net.ONNX", "name .onnx (onnx)"),
        Candidate("main", "baz", "usr/share/baz/my model.pth", "name .pth (pytorch)"),
        Candidate("main", "python3-bar", "usr/lib/python3/dist-packages/bar/Net.ONNX", "name .onnx (onnx)"),
        Candidate("main", "tesseract-ocr-eng", "usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
                  "name .traineddata (tesseract)"),
        Candidate("non-free", "voice-data", "usr/share/nonfree/voice.htsvoice", "name .htsvoice (htsvoice)"),
    ]


def test_every_name_rule_of_the_recognisers_matches(tmp_path: Path) -> None:
    lines = "".join(f"usr/share/m/file.{s.upper() if i % 2 else s}   science/p{i:02d}\n"
                    for i, s in enumerate(sorted(NAMED)))
    found = quick.scan([write_gz(tmp_path / "Contents-all.gz", lines)])
    assert [c.hint for c in found] == [f"name .{s} ({NAMED[s]})" for s in sorted(NAMED)]


def test_lines_across_block_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick, "BLOCK", 7)
    found = quick.scan([write_gz(tmp_path / "Contents-amd64.gz", CONTENTS_AMD64 * 3)])
    assert len(found) == 4


def test_candidates_stored_replacing_the_suites_earlier_ones(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "census.sqlite")
    conn.execute("INSERT INTO candidates VALUES ('trixie', 'main', 'gone', 'a.onnx', 'name .onnx (onnx)')")
    conn.execute("INSERT INTO candidates VALUES ('bookworm', 'main', 'kept', 'b.onnx', 'name .onnx (onnx)')")
    quick.run(conn, "trixie", [write_gz(tmp_path / "Contents-all.gz", CONTENTS_ALL)])
    assert conn.execute("SELECT * FROM candidates ORDER BY suite, package").fetchall() == [
        ("bookworm", "main", "kept", "b.onnx", "name .onnx (onnx)"),
        ("trixie", "main", "tesseract-ocr-eng", "usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
         "name .traineddata (tesseract)"),
        ("trixie", "non-free", "voice-data", "usr/share/nonfree/voice.htsvoice", "name .htsvoice (htsvoice)"),
        ("trixie", "contrib", "x-weights", "usr/share/contrib/x.safetensors", "name .safetensors (safetensors)"),
    ]


def test_damaged_indices_are_one_line_errors(tmp_path: Path) -> None:
    whole = gzip.compress(CONTENTS_AMD64.encode())
    truncated = tmp_path / "truncated.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    corrupt = tmp_path / "corrupt.gz"
    corrupt.write_bytes(whole[:12] + b"\xff" * 40 + whole[52:])
    cut = tmp_path / "cut"
    cut.write_text("usr/share/a.onnx   science/a\nusr/share/b.onnx   sci")
    with pytest.raises(CannotRead, match=r"truncated.gz: gzip data truncated$"):
        quick.scan([truncated])
    with pytest.raises(CannotRead, match=r"corrupt.gz: gzip data corrupt \("):
        quick.scan([corrupt])
    with pytest.raises(CannotRead, match=r"cut: text ends inside a line$"):
        quick.scan([cut])
    with pytest.raises(CannotRead, match=r"absent: no such file$"):
        quick.scan([tmp_path / "absent"])
    with pytest.raises(UnusableInput, match=r"^trixie: no Contents index to read$"):
        quick.run(store.connect(tmp_path / "c.sqlite"), "trixie", [])


def test_apt_options_name_the_contents_target() -> None:
    options = quick.apt_options()
    assert options[0::2] == ["-o"] * len(quick.APT_CONTENTS_TARGET)
    assert "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=true" in options


def test_contents_files_in_an_apt_lists_directory(tmp_path: Path) -> None:
    for name in ("deb.debian.org_debian_dists_trixie_main_Contents-amd64.gz",
                 "deb.debian.org_debian_dists_trixie_main_Contents-all.gz",
                 "deb.debian.org_debian_dists_trixie_main_binary-amd64_Packages.lz4"):
        (tmp_path / name).touch()
    assert [p.name for p in quick.contents_files(tmp_path)] == [
        "deb.debian.org_debian_dists_trixie_main_Contents-all.gz",
        "deb.debian.org_debian_dists_trixie_main_Contents-amd64.gz",
    ]


def test_without_grep_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UnusableInput, match=r"^cannot run grep: "):
        quick.scan([write_gz(tmp_path / "Contents-all.gz", CONTENTS_ALL)])


def test_grep_and_python_patterns_take_the_same_lines(tmp_path: Path) -> None:
    """Blanks are spaces and tabs for both; a carriage return is neither a blank nor a line end."""
    text = ("a/x.onnx\tsci/p1\n" "a/y.onnx \t sci/p2\n" "a/z.onnx\rsci/p3\n" "a/w.onnx   sci/p4 \n"
            "a/v.onnx   sci/p5\r\n")
    found = quick.scan([write_gz(tmp_path / "Contents-all.gz", text)])
    assert [(c.package, c.path) for c in found] == [("p1", "a/x.onnx"), ("p2", "a/y.onnx"), ("p5\r", "a/v.onnx")]
