"""Static checks over the project's own Python: pyflakes3, Debian's
packaged pyflakes, finds unused imports, undefined names and the like."""

from __future__ import annotations

import subprocess

from conftest import REPO

PYTHON_SOURCES = ("lib", "tests", "bench", "dh_modelcheck")


def test_pyflakes_finds_nothing() -> None:
    result = subprocess.run(
        ["pyflakes3", *PYTHON_SOURCES], cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
