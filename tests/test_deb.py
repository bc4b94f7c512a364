"""dh-modelcheck's own packaging: the .deb builds, is lintian-clean, installs
what it should, and its autopkgtest passes against the installed package."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import BuiltDeb, clean_env

pytestmark = pytest.mark.build


def deb_contents(deb: Path) -> list[str]:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True)
    return [line.split()[5] for line in listing.stdout.splitlines()]


def test_deb_installs_the_addon_and_commands(built_deb: BuiltDeb) -> None:
    paths = deb_contents(built_deb.deb)
    for wanted in (
        "./usr/share/perl5/Debian/Debhelper/Sequence/modelcheck.pm",
        "./usr/share/dh-modelcheck/dh_modelcheck",
        "./usr/share/dh-modelcheck/modelcheck/cli.py",
        "./usr/share/dh-modelcheck/modelcheck/data/tags.desc",
        "./usr/share/dh-modelcheck/modelcheck/data/accelerators.desc",
        "./usr/bin/dh_modelcheck",
        "./usr/bin/modelcheck",
        "./usr/share/man/man1/dh_modelcheck.1.gz",
        "./usr/share/man/man1/modelcheck.1.gz",
    ):
        assert wanted in paths
    assert not [p for p in paths if "__pycache__" in p or p.endswith(".pyc")]


def test_deb_fields(built_deb: BuiltDeb) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(built_deb.deb), "Architecture", "Provides", "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Architecture: all" in fields
    assert "Provides: dh-sequence-modelcheck" in fields
    dependencies = ("python3-debian", "python3-yaml", "python3-jsonschema", "python3-license-expression",
                    "python3-ruamel.yaml", "debhelper")
    for dependency in dependencies:
        assert dependency in fields


def test_deb_is_lintian_clean(built_deb: BuiltDeb) -> None:
    result = subprocess.run(
        ["lintian", "--fail-on", "error,warning", str(built_deb.deb)],
        capture_output=True, text=True, check=False, env=clean_env(),
    )
    problems = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert problems == []
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.root
def test_installed_commands_run(installed_deb: Path) -> None:
    explained = subprocess.run(
        ["modelcheck", "explain", "unused-override"], capture_output=True, text=True, check=False, env=clean_env()
    )
    assert explained.returncode == 0
    assert explained.stdout.splitlines()[0] == "N: unused-override"
    usage = subprocess.run(["dh_modelcheck", "--bogus"], capture_output=True, text=True, check=False, env=clean_env())
    assert usage.returncode == 2
    # One line of our own; the words after the prefix are debhelper's.
    assert usage.stderr.startswith("dh_modelcheck: error: ") and usage.stderr.count("\n") == 1
    assert "bogus" in usage.stderr


@pytest.mark.root
def test_autopkgtest(built_deb: BuiltDeb, installed_deb: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        ["autopkgtest", "--output-dir", str(tmp_path / "out"), str(installed_deb), str(built_deb.tree), "--", "null"],
        capture_output=True, text=True, check=False, env=clean_env(),
    )
    summary = (tmp_path / "out" / "summary").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary.split() == [
        "build-toy-packages", "PASS", "build-model-packages", "PASS", "modelcheck-commands", "PASS",
    ]
