"""The JSON output contract (schemas/modelcheck-findings-2.schema.json) and
GitLab's Code Quality report, on the real outputs of every fixture source
package and of scan-archive over a Sources index made of their stanzas.
dh_modelcheck's file output is checked in the build tests (test_packages.py,
expected-output-files)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import assert_code_quality_report, assert_findings_document, expected_lines, record_line
from modelcheck import cli
from test_packages import CASE_DIRS, CASES, listed


def run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    assert err.getvalue() == ""
    return status, out.getvalue()


def lint_options(case: Path) -> list[str]:
    return listed(case, "lint-options")


@pytest.mark.parametrize("case", CASES)
def test_lint_json_follows_the_schema_and_says_what_the_text_says(case: str) -> None:
    root = CASE_DIRS[case]
    text_status, text = run(["lint", "--show-overrides", *lint_options(root), str(root)])
    status, out = run(["lint", "--format", "json", "--show-overrides", *lint_options(root), str(root)])
    document = json.loads(out)
    assert_findings_document(document, "lint")
    profile = next((o.split("=", 1)[1] for o in lint_options(root) if o.startswith("--profile=")), "ml-policy")
    assert document["profile"] == profile
    assert [record_line(r) for r in document["findings"]] == text.splitlines()
    assert status == text_status
    shown = [line for line in text.splitlines() if not line.startswith("O: ")]
    assert shown == expected_lines(root / "expected-findings")


@pytest.mark.parametrize("case", CASES)
def test_lint_code_quality_report(case: str) -> None:
    """One issue per finding that is neither overridden nor a classification."""
    root = CASE_DIRS[case]
    _, out = run(["lint", "--format", "code-quality", *lint_options(root), str(root)])
    issues = json.loads(out)
    assert_code_quality_report(issues, root)
    faults = [line for line in expected_lines(root / "expected-findings") if line[0] in "EWIP"]
    assert [(i["check_name"], i["description"]) for i in issues] == [(_tag(line), _description(line)) for line in faults]


def _tag(line: str) -> str:
    return line.split(": ", 2)[2].split()[0]


def _description(line: str) -> str:
    """The text line without its severity letter and file pointer."""
    text = line.split(": ", 1)[1]
    return text.rsplit(" [", 1)[0] if text.endswith("]") else text


def source_stanza(case: Path) -> str:
    """A Sources stanza from a case's debian/control and changelog."""
    from debian.changelog import Changelog
    from debian.deb822 import Deb822

    with open(case / "debian" / "control", encoding="utf-8") as handle:
        source = next(Deb822.iter_paragraphs(handle, use_apt_pkg=False))
    with open(case / "debian" / "changelog", encoding="utf-8") as handle:
        version = str(Changelog(handle, max_blocks=1).version)
    stanza = Deb822({"Package": source["Source"], "Version": version})
    for field in ("Section", "Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep"):
        if field in source:
            stanza[field] = " ".join(source[field].split())
    return stanza.dump()


def test_scan_archive_json_follows_the_schema(tmp_path: Path) -> None:
    sources = tmp_path / "Sources"
    sources.write_text("\n".join(source_stanza(CASE_DIRS[c]) for c in CASES), encoding="utf-8")
    packages = tmp_path / "Packages"
    packages.write_text("Package: toy-non-free-tool\nVersion: 1\nSection: non-free/science\n", encoding="utf-8")
    with open(sources, "a", encoding="utf-8") as handle:
        handle.write("\nPackage: needs-non-free\nVersion: 2\nSection: science\n"
                     "Build-Depends: toy-non-free-tool, libcudnn9-dev-cuda-12 (>= 1_0)\n"
                     "\nPackage: odd-area\nVersion: 3\nSection: elsewhere/science\nBuild-Depends: nvidia-smi\n")
    status, out = run(["scan-archive", "--format", "json", "--fail-on", "never", "--packages", str(packages), "--",
                       str(sources)])
    document = json.loads(out)
    assert_findings_document(document, "scan-archive")
    tags = {r["tag"] for r in document["findings"]}
    assert {"build-depends-on-proprietary-accelerator", "build-depends-on-non-main-package", "malformed-relation",
            "unknown-archive-area"} <= tags
    assert status == 0
