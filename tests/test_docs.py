"""docs/classification.md shows each worked example's provenance file and
what dh_modelcheck prints; both must be exactly what the example package
holds and what its real build prints (test_packages.py builds them)."""

from __future__ import annotations

import re

from conftest import REPO, expected_lines

DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
BLOCK = re.compile(r"<!-- (file|output): (\S+) -->\n```[a-z]*\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str, str]]:
    return BLOCK.findall((DOCS / "classification.md").read_text(encoding="utf-8"))


def test_every_example_is_documented() -> None:
    shown = sorted(name for kind, name, _ in blocks() if kind == "output")
    assert shown == sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    assert len(shown) == 5


def test_files_shown_are_the_example_files() -> None:
    for kind, name, content in blocks():
        if kind == "file":
            assert content == (EXAMPLES / name).read_text(encoding="utf-8"), name


def test_outputs_shown_are_the_expected_findings() -> None:
    for kind, name, content in blocks():
        if kind == "output":
            assert content.splitlines() == expected_lines(EXAMPLES / name / "expected-findings"), name
