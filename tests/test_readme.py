"""The README's first command, run as written, prints what the README shows."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REPO, clean_env


@pytest.mark.build
def test_build_examples_prints_what_the_readme_shows() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("sh examples/build-examples") == 1
    shown = re.search(r"It prints:\n\n```\n(.*?)```", readme, re.S).group(1)
    result = subprocess.run(["sh", "examples/build-examples"], cwd=REPO, env=clean_env(),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip("\n") == shown.rstrip("\n")
