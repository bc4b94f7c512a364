"""The relation checks, with the exact findings each situation gives."""

from pathlib import Path

import pytest

from helpers import control, lint_lines, write_tree

CUDA = "stack cuda; free alternative: {cuda}"


@pytest.fixture(scope="module")
def alt() -> dict[str, str]:
    from modelcheck.accelerators import default_accelerators

    return {s.id: s.alternatives for s in default_accelerators().stacks}


def bd(tmp_path: Path, value: str, section: str = "science") -> list[str]:
    return lint_lines(write_tree(tmp_path, control(value, section)))


def test_first_alternative_in_main_is_an_error(tmp_path: Path, alt) -> None:
    assert bd(tmp_path, "debhelper-compat (= 13), nvidia-cuda-toolkit") == [
        "E: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit "
        f"(Build-Depends; stack cuda; free alternative: {alt['cuda']}) [debian/control:4]"
    ]


def test_later_alternative_in_main_is_a_warning(tmp_path: Path, alt) -> None:
    assert bd(tmp_path, "libdnnl-dev | libcudnn9-dev-cuda-12") == [
        "W: toy source: build-depends-on-proprietary-accelerator libcudnn9-dev-cuda-12 "
        f"(Build-Depends, alternative 2; stack cudnn; free alternative: {alt['cudnn']}) [debian/control:4]"
    ]


def test_first_alternative_before_a_free_one_is_an_error(tmp_path: Path, alt) -> None:
    assert bd(tmp_path, "libmkl-dev | libopenblas-dev") == [
        "E: toy source: build-depends-on-proprietary-accelerator libmkl-dev "
        f"(Build-Depends; stack mkl; free alternative: {alt['mkl']}) [debian/control:4]"
    ]


def test_positive_build_profile_is_a_warning(tmp_path: Path, alt) -> None:
    assert bd(tmp_path, "nvidia-cuda-dev [amd64] <pkg.toy.cuda>") == [
        "W: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-dev "
        f"(Build-Depends [amd64] <pkg.toy.cuda>; stack cuda; free alternative: {alt['cuda']}) [debian/control:4]"
    ]


def test_negated_build_profile_is_active_by_default(tmp_path: Path, alt) -> None:
    assert bd(tmp_path, "libnccl-dev:native <!nocheck>") == [
        "E: toy source: build-depends-on-proprietary-accelerator libnccl-dev "
        f"(Build-Depends <!nocheck>; stack nccl; free alternative: {alt['nccl']}) [debian/control:4]"
    ]


@pytest.mark.parametrize("section", ["contrib/science", "non-free/science", "non-free-firmware/kernel"])
def test_outside_main_is_info(tmp_path: Path, alt, section: str) -> None:
    assert bd(tmp_path, "nvidia-cuda-toolkit", section) == [
        "I: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit "
        f"(Build-Depends; stack cuda; free alternative: {alt['cuda']}) [debian/control:4]"
    ]


def test_arch_and_indep_fields_are_checked_with_their_lines(tmp_path: Path, alt) -> None:
    text = control("debhelper-compat (= 13)").replace(
        "\n\nPackage:",
        "\nBuild-Depends-Arch: libcufft11,\n libnvinfer-dev\nBuild-Depends-Indep: intel-mkl\n\nPackage:",
    )
    assert lint_lines(write_tree(tmp_path, text)) == [
        "E: toy source: build-depends-on-proprietary-accelerator libcufft11 "
        f"(Build-Depends-Arch; stack cuda; free alternative: {alt['cuda']}) [debian/control:5]",
        "E: toy source: build-depends-on-proprietary-accelerator libnvinfer-dev "
        f"(Build-Depends-Arch; stack tensorrt; free alternative: {alt['tensorrt']}) [debian/control:6]",
        "E: toy source: build-depends-on-proprietary-accelerator intel-mkl "
        f"(Build-Depends-Indep; stack mkl; free alternative: {alt['mkl']}) [debian/control:7]",
    ]


def test_free_lookalikes_give_nothing(tmp_path: Path) -> None:
    assert bd(tmp_path, "libcub-dev, libthrust-dev, nvtop, mklibs, libnvidia-egl-wayland1, ocl-icd-opencl-dev") == []


def test_malformed_relation(tmp_path: Path) -> None:
    assert bd(tmp_path, "debhelper-compat (= 13), foo (>> 2") == [
        "E: toy source: malformed-relation foo (>> 2 (Build-Depends) [debian/control:4]"
    ]


def test_substvars_in_build_relations_as_dpkg_source_reads_them(tmp_path: Path, alt) -> None:
    """A variable is only a version in a build relation: nothing expands it."""
    value = "debhelper-compat (= 13), ${misc:Depends},\n libcudnn9-dev (>= ${cudnn:Version}) <pkg.toy.cudnn>"
    assert bd(tmp_path, value) == [
        "E: toy source: malformed-relation ${misc:Depends} (Build-Depends) [debian/control:4]",
        "W: toy source: build-depends-on-proprietary-accelerator libcudnn9-dev (Build-Depends <pkg.toy.cudnn>; "
        f"stack cudnn; free alternative: {alt['cudnn']}) [debian/control:5]",
    ]


SUBSTVARS = """
Package: toy
Architecture: any
Depends: ${misc:Depends}, ${shlibs:Depends},
         libtoy1 (= ${binary:Version}),
         libcudart12 (>= ${cuda:Version}),
         libcudnn${cudnn:Abi}-cuda-12 | ${toy:Fallback},
         toy-data (>= ${source:Version})
Recommends: ${toy:Recommends}
Description: toy
 toy
"""


def test_substvars_in_binary_relations_never_hide_an_accelerator(tmp_path: Path, alt) -> None:
    assert lint_lines(write_tree(tmp_path, control(binary=SUBSTVARS))) == [
        "E: toy: depends-on-proprietary-accelerator libcudart12 "
        f"(Depends; stack cuda; free alternative: {alt['cuda']}) [debian/control:10]",
        "E: toy: depends-on-proprietary-accelerator libcudnn${cudnn:Abi}-cuda-12 "
        f"(Depends; stack cudnn; free alternative: {alt['cudnn']}) [debian/control:11]",
    ]


def test_unknown_area(tmp_path: Path) -> None:
    assert bd(tmp_path, "nvidia-cuda-toolkit", "restricted/science")[0] == (
        "W: toy source: unknown-archive-area restricted (Section: restricted/science) [debian/control:2]"
    )
    assert bd(tmp_path, "nvidia-cuda-toolkit", "restricted/science")[1].startswith("E: ")


BINARIES = """
Package: toy
Architecture: all
Pre-Depends: libcudart12
Depends: ${misc:Depends}, python3-pycuda | python3-pyopencl
Recommends: nvidia-smi
Suggests: nvidia-cuda-toolkit
Enhances: libnccl2
Description: toy
 toy

Package: toy-contrib
Section: contrib/science
Architecture: all
Depends: libcudnn9-cuda-12
Description: toy
 toy
"""


def test_binary_relations(tmp_path: Path, alt) -> None:
    lines = lint_lines(write_tree(tmp_path, control(binary=BINARIES)))
    assert lines == [
        f"E: toy: depends-on-proprietary-accelerator libcudart12 (Pre-Depends; stack cuda; free alternative: {alt['cuda']}) [debian/control:8]",
        f"E: toy: depends-on-proprietary-accelerator python3-pycuda (Depends; stack cuda-builds; free alternative: {alt['cuda-builds']}) [debian/control:9]",
        f"E: toy: depends-on-proprietary-accelerator nvidia-smi (Recommends; stack nvml; free alternative: {alt['nvml']}) [debian/control:10]",
        f"I: toy: depends-on-proprietary-accelerator nvidia-cuda-toolkit (Suggests; stack cuda; free alternative: {alt['cuda']}) [debian/control:11]",
        f"I: toy: depends-on-proprietary-accelerator libnccl2 (Enhances; stack nccl; free alternative: {alt['nccl']}) [debian/control:12]",
        f"I: toy-contrib: depends-on-proprietary-accelerator libcudnn9-cuda-12 (Depends; stack cudnn; free alternative: {alt['cudnn']}) [debian/control:19]",
    ]


def test_binary_selection_limits_binary_checks_not_source_checks(tmp_path: Path) -> None:
    from modelcheck.engine import check_tree
    from modelcheck.source import load_tree

    root = write_tree(tmp_path, control("nvidia-cuda-toolkit", binary=BINARIES))
    findings = check_tree(load_tree(root, frozenset({"toy-contrib"})))
    assert [(f.package, f.kind, f.tag) for f in findings] == [
        ("toy", "source", "build-depends-on-proprietary-accelerator"),
        ("toy-contrib", "binary", "depends-on-proprietary-accelerator"),
    ]
    assert [(f.package, f.kind) for f in check_tree(load_tree(root, frozenset()))] == [("toy", "source")]
