"""modelcheck's command line: (exit status, stdout, stderr) for each case."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import control, write_tree

from modelcheck import __version__, cli

REPO = Path(__file__).resolve().parents[2]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_lint_json_is_the_only_output(tmp_path: Path) -> None:
    write_tree(tmp_path, control("libdnnl-dev | libcudnn9-dev-cuda-12"))
    status, out, err = run(["lint", "--format", "json", str(tmp_path)])
    document = json.loads(out)
    assert (status, err) == (0, "")
    context = ("libcudnn9-dev-cuda-12 (Build-Depends, alternative 2; stack cudnn; "
               "free alternative: oneDNN (libdnnl-dev) on CPUs, ROCm (libamdhip64-dev) on AMD GPUs)")
    assert document == {
        "format-version": 2,
        "tool": {"name": "dh-modelcheck", "version": __version__},
        "command": "lint",
        "profile": "ml-policy",
        "findings": [{
            "package": "toy", "type": "source", "severity": "warning",
            "tag": "build-depends-on-proprietary-accelerator", "context": context,
            "file": "debian/control", "line": 4,
            "subject": "libcudnn9-dev-cuda-12", "field": "Build-Depends", "alternative": 2, "stack": "cudnn",
            "free-alternative": "oneDNN (libdnnl-dev) on CPUs, ROCm (libamdhip64-dev) on AMD GPUs", "area": "main",
        }],
    }


@pytest.mark.parametrize("fail_on, status", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(tmp_path: Path, fail_on: str, status: int) -> None:
    write_tree(tmp_path, control("libdnnl-dev | libcudnn9-dev-cuda-12"))
    assert run(["lint", "--fail-on", fail_on, str(tmp_path)])[0] == status


def test_info_does_not_fail_on_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, control("nvidia-cuda-toolkit", "contrib/science"))
    assert run(["lint", "--fail-on", "warning", str(tmp_path)])[0] == 0
    assert run(["lint", "--fail-on", "info", str(tmp_path)])[0] == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["lint", "/nonexistent"], "modelcheck: error: /nonexistent: not a directory\n"),
        (["explain", "no-such-tag"], "modelcheck: error: unknown tag: no-such-tag\n"),
    ],
)
def test_unusable_input(argv: list[str], message: str) -> None:
    assert run(argv) == (2, "", message)


@pytest.mark.parametrize(
    "argv, offending",
    [
        (["lint", "--format", "xml", "."], "xml"),
        (["lint", "--form=json", "."], "--form"),  # no abbreviations
        (["lint", "--fail-on=sometimes", "."], "sometimes"),
        ([], "COMMAND"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_usage_errors_are_one_line(argv: list[str], offending: str) -> None:
    """The command line's errors, whatever words argparse chooses."""
    status, out, err = run(argv)
    assert (status, out) == (2, "")
    assert err.startswith("modelcheck: error: ") and err.count("\n") == 1 and err.endswith("\n")
    assert offending in err


def test_lint_missing_control(tmp_path: Path) -> None:
    assert run(["lint", str(tmp_path)]) == (2, "", "modelcheck: error: debian/control: no such file\n")


def test_explain_prints_catalog_entries() -> None:
    status, out, err = run(["explain", "unused-override", "malformed-override"])
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["N: unused-override", "N:", "N:   An entry of debian/source/modelcheck-overrides matched no"]
    assert "N:   Severity: info" in lines
    assert "N: malformed-override" in lines


def test_module_entry_point_runs_from_the_checkout(tmp_path: Path) -> None:
    write_tree(tmp_path, control("nvidia-cuda-toolkit"))
    result = subprocess.run(
        [sys.executable, "-m", "modelcheck", "lint", str(tmp_path)],
        cwd=REPO, env={"PYTHONPATH": "lib", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("E: toy source: build-depends-on-proprietary-accelerator nvidia-cuda-toolkit ")
    assert result.stderr == ""


def test_dh_modelcheck_script_named_modelcheck_runs_the_cli(tmp_path: Path) -> None:
    """Installed, /usr/bin/modelcheck is a symlink to dh_modelcheck."""
    link = tmp_path / "modelcheck"
    link.symlink_to(REPO / "dh_modelcheck")
    result = subprocess.run([str(link), "explain", "unused-override"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "N: unused-override")


def test_no_provenance_file_means_no_yaml_or_jsonschema_import(tmp_path: Path) -> None:
    """A package without models must not pay for PyYAML and jsonschema."""
    write_tree(tmp_path, control("nvidia-cuda-toolkit"))
    code = (
        "import sys, io; from modelcheck import cli; cli.main(['lint', sys.argv[1]], out=io.StringIO()); "
        "print(sorted(m for m in ('yaml', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=REPO, env={"PYTHONPATH": "lib", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True,
    )
    assert result.stdout == "[]\n"


def test_classified_licences_and_a_dep5_name_need_no_licence_index() -> None:
    """self-play-go's licences are classified in the data and its
    debian/copyright says GPL-3+: lint judges them without building the
    index of two thousand licences (nor a thread pool for one model file)."""
    code = (
        "import sys, io; from modelcheck import cli, licences; "
        "cli.main(['lint', sys.argv[1]], out=io.StringIO()); "
        "print(licences.licensing.cache_info().currsize, 'concurrent.futures' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "docs" / "examples" / "self-play-go")],
        cwd=REPO, env={"PYTHONPATH": "lib", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True,
    )
    assert result.stdout == "0 False\n"
