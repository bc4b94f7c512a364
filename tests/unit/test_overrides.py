from pathlib import Path

from helpers import control, lint_lines, write_tree

from modelcheck.findings import Finding, default_catalog
from modelcheck.overrides import Override, parse_overrides

CUDA_MAIN = control("nvidia-cuda-toolkit, libcudnn9-dev-cuda-12")


def test_justified_override_with_wildcard_silences_the_finding(tmp_path: Path) -> None:
    overrides = "# Reason: only used by an optional test helper.\nbuild-depends-on-proprietary-accelerator nvidia-cuda-toolkit *\n"
    lines = lint_lines(write_tree(tmp_path, CUDA_MAIN, overrides))
    assert [line[:80] for line in lines] == [
        "E: toy source: build-depends-on-proprietary-accelerator libcudnn9-dev-cuda-12 (B"
    ]
    shown = lint_lines(tmp_path, show_overridden=True)
    assert [line[:50] for line in shown] == [
        "O: toy source: build-depends-on-proprietary-accele",
        "E: toy source: build-depends-on-proprietary-accele",
    ]


def test_one_comment_justifies_a_group_and_prefixes_select_packages(tmp_path: Path) -> None:
    overrides = (
        "# Both are needed for the optional CUDA flavour, see README.Debian.\n"
        "toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit *\n"
        "toy: build-depends-on-proprietary-accelerator libcudnn9-dev-cuda-12 *\n"
    )
    assert lint_lines(write_tree(tmp_path, CUDA_MAIN, overrides)) == []


def test_unused_unjustified_and_malformed_overrides(tmp_path: Path) -> None:
    overrides = (
        "# A justified override that no longer matches anything.\n"
        "build-depends-on-proprietary-accelerator libnccl-dev *\n"
        "\n"
        "build-depends-on-proprietary-accelerator nvidia-cuda-toolkit *\n"
        "# Not a tag of ours.\n"
        "no-such-tag some context\n"
        "# Nor is this a tag.\n"
        "Not An Override!\n"
        "# Wrong package.\n"
        "other source: build-depends-on-proprietary-accelerator libcudnn9-dev-cuda-12 *\n"
    )
    lines = lint_lines(write_tree(tmp_path, CUDA_MAIN, overrides))
    assert [line for line in lines if "libcudnn9-dev-cuda-12 (" not in line] == [
        "W: toy source: unjustified-override build-depends-on-proprietary-accelerator nvidia-cuda-toolkit * "
        "[debian/source/modelcheck-overrides:4]",
        "W: toy source: malformed-override no-such-tag some context [debian/source/modelcheck-overrides:6]",
        "W: toy source: malformed-override Not An Override! [debian/source/modelcheck-overrides:8]",
        "I: toy source: unused-override build-depends-on-proprietary-accelerator libnccl-dev * "
        "[debian/source/modelcheck-overrides:2]",
        "I: toy source: unused-override other source: build-depends-on-proprietary-accelerator "
        "libcudnn9-dev-cuda-12 * [debian/source/modelcheck-overrides:10]",
    ]
    assert len(lines) == 6


def test_context_must_match_whole_and_type_is_checked() -> None:
    parsed = parse_overrides("# why\ntoy binary: depends-on-proprietary-accelerator libcud*\n", "toy", default_catalog())
    (override,) = parsed.overrides
    assert override == Override(
        "depends-on-proprietary-accelerator", "toy", "binary", "libcud*", 2, True,
        "toy binary: depends-on-proprietary-accelerator libcud*",
    )
    binary = Finding("toy", "binary", "depends-on-proprietary-accelerator", "libcudart12 (Depends)")
    assert override.matches(binary)
    assert not override.matches(Finding("toy", "source", binary.tag, binary.context))
    assert not override.matches(Finding("toy", "binary", binary.tag, "xlibcudart12 (Depends)"))
