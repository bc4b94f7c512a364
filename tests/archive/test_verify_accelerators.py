"""The accelerator data against real index excerpts, through the product's
own reader and matcher (verify_accelerators.py; see README.md here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import verify_accelerators  # noqa: E402

EXCERPTS = sorted(str(p) for p in (HERE / "excerpts").iterdir())
DATA = HERE.parents[1] / "lib" / "modelcheck" / "data" / "accelerators.desc"

# Every entry of the data matches a real name of the excerpts (no warning),
# and none matches a name of main, look-alikes included.
SUMMARY = """\
cuda           names= 18 patterns= 20  matched: contrib=0 main=0 non-free=75
cuda-driver    names=  8 patterns=  6  matched: contrib=0 main=0 non-free=45
cudnn          names=  3 patterns=  2  matched: contrib=5 main=0 non-free=2
nccl           names=  2 patterns=  1  matched: contrib=4 main=0 non-free=0
nvml           names=  5 patterns=  3  matched: contrib=1 main=0 non-free=10
nvidia-opencl  names=  5 patterns=  1  matched: contrib=1 main=0 non-free=7
tensorrt       names=  5 patterns=  3  matched: contrib=0 main=0 non-free=0
mkl            names=  5 patterns=  3  matched: contrib=0 main=0 non-free=61
cuda-builds    names= 27 patterns=  9  matched: contrib=49 main=0 non-free=1
nvml-builds    names=  4 patterns=  0  matched: contrib=4 main=0 non-free=0
0 failure(s), 0 warning(s)
"""

LOOK_ALIKES = ("libcudacxx", "libcub-dev", "libcu++-dev", "libthrust-dev", "libnvidia-egl-wayland1", "mklibs",
               "boinc-client-nvidia-cuda", "librust-nvml-wrapper-dev", "nvtop")


def test_the_data_holds_on_the_real_excerpts(capsys: pytest.CaptureFixture[str]) -> None:
    assert verify_accelerators.main(EXCERPTS) == 0
    assert capsys.readouterr().out == SUMMARY


def test_the_excerpts_hold_the_free_look_alikes_of_main() -> None:
    catalogue: verify_accelerators.Catalogue = {}
    for path in EXCERPTS:
        verify_accelerators.read_index(verify_accelerators.parse_index_name(path), catalogue)
    assert [n for n in LOOK_ALIKES if n not in catalogue["main"]] == []


def test_an_entry_that_matches_main_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "accelerators.desc"
    data.write_text(DATA.read_text(encoding="utf-8") + (
        "\nStack: greedy\nName: Greedy\nVendor: Nobody\nPackages: mklibs\nPatterns: libcub-d*\n"
        "Alternatives: none\n"), encoding="utf-8")
    assert verify_accelerators.main(["--data", str(data), *EXCERPTS]) == 1
    fails = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert fails == [
        "FAIL: greedy: libcub-d* matches main name libcub-dev (bookworm:binary, bookworm:source-binary, "
        "trixie:binary, trixie:source-binary)",
        "FAIL: greedy: mklibs matches main name mklibs (bookworm:binary, bookworm:source, "
        "bookworm:source-binary, trixie:binary, trixie:source, trixie:source-binary)",
    ]


def test_an_index_it_cannot_name_is_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "Packages"
    index.write_text("Package: x\n", encoding="utf-8")
    assert verify_accelerators.main([str(index)]) == 2
    assert capsys.readouterr().err == f"verify_accelerators: cannot infer suite/area/kind from {str(index)!r}\n"
