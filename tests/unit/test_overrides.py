from pathlib import Path

import pytest

from helpers import control, lint_lines, write_tree

from modelcheck.findings import Finding, default_catalog
from modelcheck.overrides import Override, apply_overrides, parse_overrides

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
        "depends-on-proprietary-accelerator", "toy", "binary", "libcud*", 2,
        "toy binary: depends-on-proprietary-accelerator libcud*",
    )
    binary = Finding("toy", "binary", "depends-on-proprietary-accelerator", "libcudart12 (Depends)")
    assert override.matches(binary)
    assert not override.matches(Finding("toy", "source", binary.tag, binary.context))
    assert not override.matches(Finding("toy", "binary", binary.tag, "xlibcudart12 (Depends)"))


ARCH_OVERRIDES = """\
# Only the arm64 build links the vendor's runtime.
toy [arm64] source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit *
# Everywhere but on the two x86 architectures.
toy [!amd64 !i386] source: build-depends-on-proprietary-accelerator libcudnn9-dev-cuda-12 *
# Every Linux architecture.
[linux-any] source: build-depends-on-proprietary-accelerator libnccl-dev *
# dpkg refuses lists that mix negated and plain names.
toy [arm64 !amd64] source: build-depends-on-proprietary-accelerator libnccl-dev *
"""

ARCH_FINDINGS = [
    Finding("toy", "source", "build-depends-on-proprietary-accelerator", name + " (Build-Depends; stack x)")
    for name in ("nvidia-cuda-toolkit", "libcudnn9-dev-cuda-12")
]


@pytest.mark.parametrize("architecture, overridden, unused", [
    ("amd64", [False, False], [6]),
    ("arm64", [True, True], [6]),
    ("i386", [False, False], [6]),
    ("hurd-amd64", [False, True], []),
])
def test_architecture_lists_limit_an_override_as_lintian_reads_them(
    architecture: str, overridden: list[bool], unused: list[int]
) -> None:
    """An override for other architectures neither applies nor is unused."""
    parsed = parse_overrides(ARCH_OVERRIDES, "toy", default_catalog())
    assert [p.context for p in parsed.problems] == [
        "toy [arm64 !amd64] source: build-depends-on-proprietary-accelerator libnccl-dev *"
    ]
    assert [o.architectures for o in parsed.overrides] == [("arm64",), ("!amd64", "!i386"), ("linux-any",)]
    result = list(apply_overrides(ARCH_FINDINGS, parsed, "toy", architecture=lambda: architecture))
    assert [f.overridden for f in result[:2]] == overridden
    assert [f.line for f in result[2:]] == unused and all(f.tag == "unused-override" for f in result[2:])


def test_the_index_finds_the_first_matching_override_as_a_scan_would() -> None:
    """apply_overrides looks overrides up by the pieces of their contexts;
    over random contexts and patterns, it marks the same findings and
    reports the same overrides unused as trying each override in order."""
    import random

    rng = random.Random(1130)
    tag = "depends-on-proprietary-accelerator"
    for _ in range(200):
        contexts = ["".join(rng.choice("ab*") for _ in range(rng.randint(0, 6))) for _ in range(8)]
        text = "".join(f"toy: {tag} {c}\n" if c else f"toy: {tag}\n" for c in contexts)
        parsed = parse_overrides("# why\n" + text, "toy", default_catalog())
        findings = [Finding("toy", "binary", tag, "".join(rng.choice("ab") for _ in range(rng.randint(0, 6))))
                    for _ in range(8)]
        got = list(apply_overrides(findings, parsed, "toy", architecture=lambda: "amd64"))
        first = [next((o for o in parsed.overrides if o.matches(f)), None) for f in findings]
        assert [f.overridden for f in got[:len(findings)]] == [o is not None for o in first]
        used = {o.line for o in first if o is not None}
        assert [f.line for f in got[len(findings):]] == [o.line for o in parsed.overrides if o.line not in used]
