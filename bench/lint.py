#!/usr/bin/python3
"""modelcheck lint on a package with a provenance file (the self-play-go
example), against only importing the libraries it needs (yaml, jsonschema,
debian.deb822).

Both commands run alternately in one process, so machine load affects them
alike; the figure reported is the ratio of the medians (target: <= 1.3).

    /usr/bin/python3 bench/lint.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from startup import REPO, medians

EXAMPLE = REPO / "docs" / "examples" / "self-play-go"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DH_", "MODELCHECK_"))}
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / EXAMPLE.name
        shutil.copytree(EXAMPLE, tree)
        # Installed, modelcheck is a symlink to dh_modelcheck, which acts by its name.
        command = Path(tmp) / "modelcheck"
        command.symlink_to(REPO / "dh_modelcheck")
        mine, theirs = medians([str(command), "lint", "--fail-on=never", "."], tree, env, runs)
    print(f"modelcheck lint (self-play-go):           {mine * 1000:7.1f} ms median of {runs}")
    print(f"import yaml, jsonschema, debian.deb822:   {theirs * 1000:7.1f} ms median of {runs}")
    print(f"ratio: {mine / theirs:.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
