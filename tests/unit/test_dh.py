"""dh_modelcheck's debhelper conventions, run in-process on real trees
(debhelper's own option parser, Dh_Lib, really runs)."""

import io
import json
import shutil
from pathlib import Path

import pytest

from helpers import control, write_tree

from conftest import PACKAGES, expected_lines
from test_dh_install import source

from modelcheck import dh, dh_install

TWO = """
Package: toy-arch
Architecture: any
Depends: libcudart12
Description: toy
 toy

Package: toy-indep
Architecture: all
Depends: libnccl2
Description: toy
 toy
"""

PREFIX = "dh_modelcheck: error: "


def run(root: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str] | None = None):
    monkeypatch.chdir(root)
    err = io.StringIO()
    status = dh.main(argv, env={"PATH": "/usr/bin:/bin", **(env or {})}, err=err, out=io.StringIO())
    return status, err.getvalue().splitlines()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, control("debhelper-compat (= 13), libcub-dev | nvidia-cuda-dev", binary=TWO))


@pytest.fixture
def warning_only(tmp_path: Path) -> Path:
    """A tree whose only finding is a warning: --fail-on=warning decides."""
    return write_tree(tmp_path, control("debhelper-compat (= 13), libcub-dev | nvidia-cuda-dev"))


def tags(lines: list[str]) -> list[str]:
    return [line.split(" (")[0] for line in lines]


def checked(lines: list[str]) -> list[str]:
    """The packages findings were reported for, in order."""
    return [line.split(":")[1].strip() for line in lines if not line.startswith("dh_modelcheck:")]


def test_default_acts_on_all_packages(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status, lines = run(tree, monkeypatch, [])
    assert tags(lines[:3]) == [
        "W: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-dev",
        "E: toy-arch: depends-on-proprietary-accelerator libcudart12",
        "E: toy-indep: depends-on-proprietary-accelerator libnccl2",
    ]
    assert lines[3].startswith("dh_modelcheck: error: 2 finding(s) at or above severity error; ")
    assert status == 1


@pytest.mark.parametrize(
    "argv, env, binaries",
    [
        (["-i"], {}, ["toy-indep"]),
        (["-a"], {}, ["toy-arch"]),
        (["-ptoy-arch"], {}, ["toy-arch"]),
        (["--package=toy-indep"], {}, ["toy-indep"]),
        (["-N", "toy-arch"], {}, ["toy-indep"]),
        (["--no-package", "toy-indep"], {}, ["toy-arch"]),
        ([], {"DH_OPTIONS": "-i"}, ["toy-indep"]),
        # In an override target dh passes its own selection this way...
        ([], {"DH_INTERNAL_OPTIONS": "-a\x1e-O--buildsystem=none"}, ["toy-arch"]),
        # ...and the target's command line can only narrow it.
        (["-ptoy-arch"], {"DH_INTERNAL_OPTIONS": "-a\x1e-i"}, ["toy-arch"]),
    ],
)
def test_package_selection_and_source_checks_once(tree, monkeypatch, argv, env, binaries) -> None:
    _, lines = run(tree, monkeypatch, argv, env)
    assert checked(lines) == ["toy source"] + binaries


def test_nothing_to_act_on_checks_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As every debhelper command: a selection dh's own options exclude is
    not acted on, with debhelper's warning and status 0."""
    status, lines = run(tree, monkeypatch, ["-ptoy-indep"], {"DH_INTERNAL_OPTIONS": "-a"})
    assert status == 0
    assert checked([line for line in lines if not line.startswith("dh_modelcheck: warning: ")]) == []
    assert len(lines) == 1 and lines[0].startswith("dh_modelcheck: warning: ")


@pytest.mark.parametrize(
    "argv, env, status",
    [
        ([], {}, 0),
        (["--fail-on=warning"], {}, 1),
        (["--fail-on", "warning"], {}, 1),
        # dh $@ -O--fail-on=warning: dh wraps what it does not know in -O.
        (["-O--fail-on=warning"], {}, 1),
        (["-O-O--fail-on=warning"], {}, 1),
        (["-O-O-O--fail-on=warning"], {}, 1),
        (["-O--buildsystem=none", "-O-O--fail-on=warning", "-O--unknown-of-another-tool=1"], {}, 1),
        ([], {"DH_OPTIONS": "--fail-on=warning"}, 1),
        ([], {"DH_OPTIONS": "-O--fail-on=warning"}, 1),
        ([], {"DH_INTERNAL_OPTIONS": "-O-O--fail-on=warning"}, 1),
        # An override target's own command line wins over what dh passes down.
        (["--fail-on=never"], {"DH_INTERNAL_OPTIONS": "-O-O--fail-on=warning"}, 0),
        (["--fail-on=never"], {"DH_OPTIONS": "--fail-on=warning"}, 0),
        # As debhelper does, -O values are applied after the plain options.
        (["-O--fail-on=warning", "--fail-on=never"], {}, 1),
    ],
)
def test_fail_on_in_every_form_debhelper_passes(warning_only, monkeypatch, argv, env, status) -> None:
    assert run(warning_only, monkeypatch, argv, env)[0] == status


def test_unknown_option_in_dh_options_is_a_warning(warning_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As debhelper does: DH_OPTIONS reaches every command, so an option
    some other command knows is no reason to fail."""
    status, lines = run(warning_only, monkeypatch, [], {"DH_OPTIONS": "--bogus-option --fail-on=warning"})
    assert status == 1
    assert any("bogus-option" in line for line in lines)
    assert not any(line.startswith(PREFIX) and "bogus-option" in line for line in lines)


@pytest.mark.parametrize(
    "argv, env, offending",
    [
        (["--bogus"], {}, "bogus"),
        (["--fail"], {}, "fail"),  # no abbreviations
        (["--fail-on=sometimes"], {}, "sometimes"),
        (["-O--fail-on=sometimes"], {}, "sometimes"),
        ([], {"DH_INTERNAL_OPTIONS": "-O--fail-on=sometimes"}, "sometimes"),
        (["-pno-such-package"], {}, "no-such-package"),
        (["-Nno-such-package"], {}, "no-such-package"),
        (["-P", "debian/elsewhere"], {}, "-P"),  # two packages would be acted on
        (["--profile=nope"], {}, "nope"),
        (["-O--profile=nope"], {}, "nope"),
        (["--json-output=x.json", "--json-output-format=sarif"], {}, "sarif"),
        ([], {"MODELCHECK_JSON_OUTPUT": "x.json", "MODELCHECK_JSON_OUTPUT_FORMAT": "sarif"}, "sarif"),
    ],
)
def test_usage_errors_are_one_line(tree, monkeypatch, argv, env, offending) -> None:
    status, lines = run(tree, monkeypatch, argv, env)
    assert status == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith(PREFIX) and offending in lines[0]


def test_P_with_one_package_is_accepted(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert checked(run(tree, monkeypatch, ["-ptoy-arch", "-Pdebian/elsewhere"])[1]) == ["toy source", "toy-arch"]


def test_quiet_hides_only_findings_below_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contrib = write_tree(tmp_path, control("debhelper-compat (= 13), nvidia-cuda-toolkit", section="contrib/science"))
    assert run(contrib, monkeypatch, [], {"DH_QUIET": "1"}) == (0, [])
    assert run(contrib, monkeypatch, [], {"DEB_BUILD_OPTIONS": "terse"}) == (0, [])
    assert tags(run(contrib, monkeypatch, [])[1]) == [
        "I: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit"
    ]


def test_verbose_and_no_act(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, loud = run(tree, monkeypatch, ["-i", "--fail-on=never"], {"DH_VERBOSE": "1"})
    assert loud[0] == "\tdh_modelcheck: checking the source and toy-indep"
    assert run(tree, monkeypatch, ["--no-act"]) == (0, [])
    assert run(tree, monkeypatch, [], {"DH_NO_ACT": "1"}) == (0, [])
    assert run(tree, monkeypatch, ["--no-act", "-v", "-a"]) == (0, ["\tdh_modelcheck: checking the source and toy-arch"])
    assert run(tree, monkeypatch, ["-O-v", "--no-act"]) == (
        0, ["\tdh_modelcheck: checking the source and toy-arch, toy-indep"]
    )


def test_log_in_override_targets_and_remaining_packages(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run by hand in an override target, a command that succeeds records
    itself in debian/PKG.debhelper.log, which --remaining-packages reads."""
    override = {"DH_INTERNAL_OVERRIDE": "dh_modelcheck"}
    assert run(tree, monkeypatch, ["-ptoy-arch"], override)[0] == 1
    assert not (tree / "debian" / "toy-arch.debhelper.log").exists()
    assert run(tree, monkeypatch, ["-ptoy-arch", "--fail-on=never"], override)[0] == 0
    assert (tree / "debian" / "toy-arch.debhelper.log").read_text() == "dh_modelcheck\n"
    assert not (tree / "debian" / "toy-indep.debhelper.log").exists()
    assert checked(run(tree, monkeypatch, ["--remaining-packages"], override)[1]) == ["toy source", "toy-indep"]
    # Outside an override target dh writes the log itself (compat >= 10).
    assert run(tree, monkeypatch, ["-ptoy-indep", "--fail-on=never"])[0] == 0
    assert not (tree / "debian" / "toy-indep.debhelper.log").exists()


def test_help_needs_no_source_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert dh.main(["-ptoy", "--help"], env={"PATH": "/usr/bin:/bin"}, err=err, out=out) == 0
    assert out.getvalue().startswith("Usage: dh_modelcheck ") and "--fail-on" in out.getvalue()
    assert err.getvalue() == ""


def test_unusable_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, "Source: toy\nthis is garbage\n\nPackage: toy\n")
    status, lines = run(tmp_path, monkeypatch, [])
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith(PREFIX)


def test_profile_changes_the_outcome_in_every_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default profile refuses this model in main, osaid admits it (see
    the dh-O-profile-osaid fixture): the option reached the checks."""
    root = tmp_path / "tree"
    shutil.copytree(PACKAGES / "dh-O-profile-osaid", root)
    assert run(root, monkeypatch, [])[0] == 1
    for argv, env in [
        (["--profile=osaid"], {}), (["--profile", "osaid"], {}), (["-O--profile=osaid"], {}),
        (["-O-O--profile=osaid"], {}), ([], {"DH_OPTIONS": "-O--profile=osaid"}),
        ([], {"DH_INTERNAL_OPTIONS": "-O-O--profile=osaid"}),
    ]:
        assert run(root, monkeypatch, argv, env) == (0, expected_lines(root / "expected-findings"))


def test_json_output_in_every_form(warning_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The option (plain or through -O) wins over the environment; the
    format falls back on MODELCHECK_JSON_OUTPUT_FORMAT, then json; only the
    file asked for is written, whole, and the findings still go to stderr."""
    for argv, env, name, shape in [
        (["--json-output=a.json"], {"MODELCHECK_JSON_OUTPUT": "b.json"}, "a.json", dict),
        (["-O--json-output=c.json", "-O--json-output-format=code-quality"], {}, "c.json", list),
        ([], {"MODELCHECK_JSON_OUTPUT": "d.json", "MODELCHECK_JSON_OUTPUT_FORMAT": "code-quality"}, "d.json", list),
        ([], {"DH_INTERNAL_OPTIONS": "-O--json-output=e.json"}, "e.json", dict),
    ]:
        before = set(warning_only.iterdir())
        status, lines = run(warning_only, monkeypatch, argv, env)
        assert (status, tags(lines)) == (0, ["W: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-dev"])
        assert set(warning_only.iterdir()) - before == {warning_only / name}
        document = json.loads((warning_only / name).read_text(encoding="utf-8"))
        assert type(document) is shape
        findings = document["findings"] if shape is dict else document
        assert len(findings) == 1


def test_json_output_that_cannot_be_written(warning_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status, lines = run(warning_only, monkeypatch, ["--json-output=no-such-dir/out.json"])
    assert status == 2
    assert lines[-1].startswith(PREFIX + "no-such-dir/out.json: cannot write: ")
    assert not (warning_only / "no-such-dir").exists()


def install(root: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    err = io.StringIO()
    status = dh_install.main(argv, env={"PATH": "/usr/bin:/bin"}, err=err, out=io.StringIO())
    return status, err.getvalue().splitlines()


def test_install_P_needs_one_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(tmp_path)
    status, lines = install(root, monkeypatch, ["--tmpdir=debian/staging"])
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith("dh_installmodelprovenance: error: ") and "-P" in lines[0]
    assert not (root / "debian" / "staging").exists()
