"""Fixture source packages under tests/packages/, discovered automatically.

Each CASE directory is a source tree with an ``expected-findings`` file (the
exact lintian-style lines) and, when its build must fail, a ``build-fails``
marker.  Every case is checked with ``modelcheck lint`` and built for real
with dpkg-buildpackage and debhelper; the build must print exactly the same
findings, followed by those of ``expected-install-findings`` when the case
has one: dh_installmodelprovenance judges the built package trees, which
lint never sees.  Cases that activate the addon through ``dh-sequence-modelcheck``
are built with this project's installed .deb (see test_deb.py).

Optional files of a case, one item a line:

- ``lint-options``: options of ``modelcheck lint`` that give the findings
  and status of the build (what debian/rules passes to dh_modelcheck);
- ``build-env``: ``NAME=VALUE`` settings of dpkg-buildpackage's environment;
- ``build-options``: more dpkg-buildpackage options (-A, -B, ...);
- ``expected-log``: lines that must appear, whole, in the build log;
- ``expected-build-findings``: what dh_modelcheck prints in the build, where debian/rules makes
  it differ from lint (a package selection, --no-act);
- ``expected-deb-contents``: see assert_deb_contents;
- ``expected-output-files``: ``PATH FORMAT`` lines, the files dh_modelcheck
  writes for CI (--json-output), see assert_output_files.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from conftest import (
    PACKAGES, REPO, Build, assert_code_quality_report, assert_findings_document, checkout_env, clean_env, copy_tree,
    dpkg_buildpackage, expected_lines, record_line,
)
from modelcheck import cli
from modelcheck.options import FAIL_ON_CHOICES

# The worked examples of docs/classification.md are fixtures too.
DOC_EXAMPLES = REPO / "docs" / "examples"
CASE_DIRS = {p.name: p for root in (PACKAGES, DOC_EXAMPLES) for p in root.iterdir() if (p / "expected-findings").exists()}
CASES = sorted(CASE_DIRS)


def listed(case: Path, name: str) -> list[str]:
    """The lines of a case's optional file."""
    path = case / name
    return expected_lines(path) if path.exists() else []


def build_env(case: Path, env: dict[str, str]) -> dict[str, str]:
    return {**env, **dict(line.split("=", 1) for line in listed(case, "build-env"))}


def build_options(case: Path, options: tuple[str, ...]) -> tuple[str, ...]:
    return (*options, *listed(case, "build-options"))


def uses_sequence_package(case: Path) -> bool:
    return "dh-sequence-modelcheck" in (case / "debian" / "control").read_text(encoding="utf-8")


def assert_build_matches(case: Path, build: Build) -> None:
    findings = case / "expected-build-findings"
    install_findings = case / "expected-install-findings"
    expected = expected_lines(findings if findings.exists() else case / "expected-findings")
    expected += expected_lines(install_findings) if install_findings.exists() else []
    assert build.findings() == expected, build.log
    must_fail = (case / "build-fails").exists()
    assert (build.returncode != 0) == must_fail, build.log
    # Whatever stops a command, it says so in one line, never a traceback.
    assert "Traceback" not in build.log, build.log
    lines = build.log.splitlines()
    for line in listed(case, "expected-log"):
        assert line in lines, (line, build.log)
    commands = build.commands()
    # dh_modelcheck runs in the build sequence, before dh_auto_configure...
    assert "dh_modelcheck" in commands, build.log
    if "dh_auto_configure" in commands:
        assert commands.index("dh_modelcheck") < commands.index("dh_auto_configure")
    # ...and never in the clean sequence.
    clean = build.log.split("debian/rules clean", 1)[1].split("debian/rules binary", 1)[0]
    assert "dh_modelcheck" not in clean
    assert_output_files(case, build)
    if must_fail:
        failing = "dh_installmodelprovenance" if install_findings.exists() else "dh_modelcheck"
        assert f"{failing}: error: " in build.log
    else:
        assert_deb_contents(case, build)


def assert_output_files(case: Path, build: Build) -> None:
    """Each file dh_modelcheck was asked to write holds the findings of the
    case (those lint gives), in the contract's JSON or GitLab's format."""
    expected = expected_lines(case / "expected-findings")
    for line in listed(case, "expected-output-files"):
        name, format_name = line.split()
        document = json.loads((build.tree / name).read_text(encoding="utf-8"))
        if format_name == "json":
            assert_findings_document(document, "dh_modelcheck")
            assert [record_line(r) for r in document["findings"]] == expected
        else:
            assert_code_quality_report(document, build.tree)
            assert [issue["check_name"] for issue in document] == [line.split(": ", 2)[2].split()[0] for line in expected]


def deb_paths(deb: Path) -> list[str]:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True)
    return [line.split()[5] for line in listing.stdout.splitlines()]


def md5sums_paths(deb: Path) -> list[str]:
    info = subprocess.run(["dpkg-deb", "--info", str(deb), "md5sums"], capture_output=True, text=True, check=True)
    return ["./" + line.split(maxsplit=1)[1] for line in info.stdout.splitlines()]


def assert_deb_contents(case: Path, build: Build) -> None:
    """expected-deb-contents: 'PACKAGE PATH' lines that must be in the built
    .debs; a provenance file must be in exactly the packages listed, never
    compressed, and in the package's md5sums."""
    listing = case / "expected-deb-contents"
    if not listing.exists():
        return
    wanted = {tuple(line.split()) for line in expected_lines(listing)}
    built = {deb.name.split("_")[0]: deb for deb in build.tree.parent.glob("*.deb")}
    debs = {package: deb_paths(deb) for package, deb in built.items()}
    for package, path in wanted:
        assert path in debs[package], (package, path)
    shipped = {(p, path) for p, paths in debs.items() for path in paths if "/model-provenance.yaml" in path}
    assert shipped == {w for w in wanted if w[1].endswith("/model-provenance.yaml")}
    for package, path in shipped:
        assert path in md5sums_paths(built[package]), (package, path)


def lint(case: Path, options: list[str]) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = cli.main(["lint", *options, str(case)], out=out)
    return status, out.getvalue().splitlines()


def failing_letters(options: list[str]) -> str:
    """The severity letters that make lint fail under these options."""
    fail_on = next((o.split("=", 1)[1] for o in options if o.startswith("--fail-on=")), "error")
    return "EWI"[:FAIL_ON_CHOICES.index(fail_on) + 1] if fail_on != "never" else ""


@pytest.mark.parametrize("case", CASES)
def test_lint(case: str) -> None:
    options = listed(CASE_DIRS[case], "lint-options")
    status, lines = lint(CASE_DIRS[case], options)
    assert lines == expected_lines(CASE_DIRS[case] / "expected-findings")
    assert status == (1 if any(line[0] in failing_letters(options) for line in lines) else 0)


@pytest.mark.parametrize("case", [c for c in CASES if listed(CASE_DIRS[c], "lint-options")])
def test_lint_options_matter(case: str) -> None:
    """What debian/rules passes changes the outcome: a build that ignored
    it would not print the expected findings with the expected status."""
    assert lint(CASE_DIRS[case], listed(CASE_DIRS[case], "lint-options")) != lint(CASE_DIRS[case], [])


@pytest.mark.build
@pytest.mark.parametrize("case", [c for c in CASES if not uses_sequence_package(CASE_DIRS[c])])
def test_build_with_checkout(case: str, tmp_path: Path) -> None:
    tree = copy_tree(CASE_DIRS[case], tmp_path)
    build = dpkg_buildpackage(tree, build_env(CASE_DIRS[case], checkout_env()), build_options(CASE_DIRS[case], ("-d",)))
    assert_build_matches(CASE_DIRS[case], build)


@pytest.mark.build
@pytest.mark.root
@pytest.mark.parametrize("case", [c for c in CASES if uses_sequence_package(CASE_DIRS[c])])
def test_build_with_installed_package(case: str, tmp_path: Path, installed_deb: Path) -> None:
    """No --with, no -d: dpkg-checkbuilddeps must find dh-sequence-modelcheck
    provided by the installed dh-modelcheck, and dh must load its addon."""
    tree = copy_tree(CASE_DIRS[case], tmp_path)
    build = dpkg_buildpackage(tree, build_env(CASE_DIRS[case], clean_env()), build_options(CASE_DIRS[case], ()))
    assert_build_matches(CASE_DIRS[case], build)
