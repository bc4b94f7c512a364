"""dh_modelcheck's debhelper conventions, run in-process on real trees
(dh_listpackages is really called)."""

import io
from pathlib import Path

import pytest

from helpers import control, write_tree

from modelcheck import dh
from modelcheck.errors import UsageError

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


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str] | None = None):
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    status = dh.main(argv, env={"PATH": "/usr/bin:/bin", **(env or {})}, err=err)
    return status, err.getvalue().splitlines()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, control("debhelper-compat (= 13), libcub-dev | nvidia-cuda-dev", binary=TWO))


def tags(lines: list[str]) -> list[str]:
    return [line.split(" (")[0] for line in lines]


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
        (["-N", "toy-arch"], {}, ["toy-indep"]),
        ([], {"DH_OPTIONS": "-i"}, ["toy-indep"]),
        # In an override target dh passes its own selection this way.
        ([], {"DH_INTERNAL_OPTIONS": "-a\x1e-O--buildsystem=none"}, ["toy-arch"]),
    ],
)
def test_package_selection_and_source_checks_once(tree, monkeypatch, argv, env, binaries) -> None:
    _, lines = run(tree, monkeypatch, argv, env)
    findings = [line for line in lines if not line.startswith("dh_modelcheck:")]
    assert [line.split(":")[1].strip() for line in findings] == ["toy source"] + binaries


def test_fail_on_through_O_and_plain_option(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tree, monkeypatch, ["-i", "-O--fail-on=never", "-O--unknown-of-another-tool=1"])[0] == 0
    assert run(tree, monkeypatch, ["-N", "toy-arch", "-N", "toy-indep"])[0] == 0
    assert run(tree, monkeypatch, ["-N", "toy-arch", "-N", "toy-indep", "--fail-on=warning"])[0] == 1
    env = {"DH_INTERNAL_OPTIONS": "-O--fail-on=warning"}
    assert run(tree, monkeypatch, ["-N", "toy-arch", "-N", "toy-indep"], env)[0] == 1
    # An explicit option wins over what dh passed down.
    assert run(tree, monkeypatch, ["-i", "-O--fail-on=info", "--fail-on=never"])[0] == 0


def test_quiet_hides_only_findings_below_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contrib = write_tree(tmp_path, control("nvidia-cuda-toolkit", section="contrib/science"))
    assert run(contrib, monkeypatch, [], {"DH_QUIET": "1"}) == (0, [])
    assert tags(run(contrib, monkeypatch, [])[1]) == [
        "I: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit"
    ]


def test_verbose_and_no_act(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, loud = run(tree, monkeypatch, ["-i", "--fail-on=never"], {"DH_VERBOSE": "1"})
    assert loud[0] == "\tdh_modelcheck: checking the source and toy-indep"
    assert run(tree, monkeypatch, ["--no-act"]) == (0, [])
    assert run(tree, monkeypatch, ["--no-act", "-v", "-a"]) == (0, ["\tdh_modelcheck: checking the source and toy-arch"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--fail"], "unrecognized arguments: --fail"),  # no abbreviations
        (["--fail-on=sometimes"], "argument --fail-on: invalid choice: 'sometimes' (choose from 'error', 'warning', 'info', 'never')"),
    ],
)
def test_usage_errors(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        dh.parse_options(argv, {})
    assert str(raised.value) == message


def test_usage_error_is_one_debhelper_line(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tree, monkeypatch, ["--bogus"]) == (2, ["dh_modelcheck: error: unrecognized arguments: --bogus"])


def test_unusable_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, "Source: toy\nthis is garbage\n\nPackage: toy\n")
    status, lines = run(tmp_path, monkeypatch, [])
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith("dh_modelcheck: error: ")


def test_profile_through_O_internal_options_and_plainly(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert dh.parse_options([], {}).profile == "ml-policy"
    assert dh.parse_options(["-O--profile=osaid"], {}).profile == "osaid"
    assert dh.parse_options([], {"DH_INTERNAL_OPTIONS": "-O--profile=osaid"}).profile == "osaid"
    assert dh.parse_options(["-O--profile=osaid", "--profile", "ml-policy"], {}).profile == "ml-policy"
    assert run(tree, monkeypatch, ["--profile=nope"]) == (
        2, ["dh_modelcheck: error: unknown profile 'nope' (known: ml-policy, osaid)"]
    )
