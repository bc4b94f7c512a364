"""The crash contract: whatever goes wrong unexpectedly in modelcheck,
dh_modelcheck or dh_installmodelprovenance is one line naming the internal
error, exit status 3, and a traceback only when asked for.

The crashes are real: each command runs as a program, with a module on
Python's path that shadows a dependency and fails on import, as a broken
installation would."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PACKAGES, REPO

from modelcheck.options import EXIT_INTERNAL, EXIT_INTERRUPTED, FrontEnd

# A source tree with a provenance file, so that every command reads it.
TREE = PACKAGES / "weights-declared"

COMMANDS = {
    "modelcheck": ["lint", "."],
    "dh_modelcheck": [],
    "dh_installmodelprovenance": [],
}


def broken(tmp_path: Path, module: str, message: str) -> Path:
    """A directory whose MODULE package raises RuntimeError(MESSAGE) on import."""
    path = tmp_path / "broken" / module
    path.mkdir(parents=True)
    (path / "__init__.py").write_text(f"raise RuntimeError({message!r})\n", encoding="utf-8")
    return path.parent


def command(tmp_path: Path, name: str) -> str:
    link = tmp_path / "bin" / name
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(REPO / "dh_modelcheck")
    return str(link)


def run(tmp_path: Path, name: str, argv: list[str], pythonpath: Path, **env: str) -> subprocess.CompletedProcess:
    tree = tmp_path / "tree"
    if not tree.exists():
        shutil.copytree(TREE, tree)
    return subprocess.run(
        [command(tmp_path, name), *argv], cwd=tree, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(pythonpath), "PYTHONDONTWRITEBYTECODE": "1", **env},
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_broken_dependency_is_one_line_and_status_3(tmp_path: Path, name: str) -> None:
    path = broken(tmp_path, "yaml", "broken PyYAML\nsecond line")
    result = run(tmp_path, name, COMMANDS[name], path)
    assert (result.returncode, result.stdout) == (EXIT_INTERNAL, "")
    assert result.stderr == f"{name}: error: internal error: RuntimeError: broken PyYAML second line\n"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_broken_dependency_met_while_the_command_loads(tmp_path: Path, name: str) -> None:
    """python3-debian is imported before the command's own front end runs."""
    path = broken(tmp_path, "debian", "broken python3-debian")
    result = run(tmp_path, name, COMMANDS[name], path)
    assert result.returncode == EXIT_INTERNAL
    assert result.stderr == f"{name}: error: internal error: RuntimeError: broken python3-debian\n"


@pytest.mark.parametrize(
    "name, argv, env",
    [
        ("modelcheck", ["lint", "."], {"MODELCHECK_DEBUG": "1"}),
        ("modelcheck", ["--debug", "lint", "."], {}),
        ("dh_modelcheck", [], {"MODELCHECK_DEBUG": "1"}),
        ("dh_modelcheck", ["--debug"], {}),
        ("dh_modelcheck", ["-O-O--debug"], {}),
        ("dh_installmodelprovenance", [], {"MODELCHECK_DEBUG": "1"}),
        ("dh_installmodelprovenance", ["--debug"], {}),
    ],
)
def test_debug_shows_the_traceback(tmp_path: Path, name: str, argv: list[str], env: dict[str, str]) -> None:
    result = run(tmp_path, name, argv, broken(tmp_path, "yaml", "broken PyYAML"), **env)
    lines = result.stderr.splitlines()
    assert result.returncode == EXIT_INTERNAL
    assert lines[0] == "Traceback (most recent call last):"
    assert "RuntimeError: broken PyYAML" in lines[-2]
    assert lines[-1] == f"{name}: error: internal error: RuntimeError: broken PyYAML"


def test_broken_own_data_is_an_internal_error(tmp_path: Path) -> None:
    """A packaging bug, not the user's input: status 3."""
    lib = tmp_path / "lib"
    shutil.copytree(REPO / "lib", lib, ignore=shutil.ignore_patterns("__pycache__"))
    profiles = lib / "modelcheck" / "data" / "profiles.desc"
    profiles.write_text(profiles.read_text(encoding="utf-8") + " not-a-severity-line\n", encoding="utf-8")
    result = subprocess.run(
        ["/usr/bin/python3", "-m", "modelcheck", "profiles"], capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(lib), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert (result.returncode, result.stdout) == (EXIT_INTERNAL, "")
    assert result.stderr.startswith("modelcheck: error: internal error: ") and result.stderr.count("\n") == 1
    assert "not-a-severity-line" in result.stderr


def test_interrupt_keeps_status_130() -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    err = io.StringIO()
    assert FrontEnd("modelcheck", err, {}).run(interrupted) == EXIT_INTERRUPTED
    assert err.getvalue() == ""


def test_internal_error_when_stderr_is_gone() -> None:
    """Reporting the error must not raise a second one."""
    def failing() -> int:
        raise ValueError("boom")

    err = io.StringIO()
    err.close()
    assert FrontEnd("modelcheck", err, {"MODELCHECK_DEBUG": "1"}).run(failing) == EXIT_INTERNAL
