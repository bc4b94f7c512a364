#!/usr/bin/python3
"""dh_modelcheck on a package without models, against only importing the
libraries a naive implementation would load (yaml, jsonschema, debian.deb822).

Both commands run alternately in one process, so machine load affects them
alike; the figure reported is the ratio of the medians (target: <= 0.7).

    /usr/bin/python3 bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "free-blas-in-main"
BASELINE = ["/usr/bin/python3", "-c", "import yaml, jsonschema, debian.deb822"]


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def medians(tool: list[str], tree: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    """The median times of the tool and of BASELINE, run alternately in tree."""
    # Byte-compile the checkout, as the .deb's postinst (py3compile) does
    # for the installed package; the environment may forbid Python to
    # write byte code itself (PYTHONDONTWRITEBYTECODE).  Then warm the
    # page cache.
    compileall.compile_dir(REPO / "lib", quiet=1)
    timed(tool, tree, env), timed(BASELINE, tree, env)
    ours, base = [], []
    for _ in range(runs):
        ours.append(timed(tool, tree, env))
        base.append(timed(BASELINE, tree, env))
    return statistics.median(ours), statistics.median(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if not k.startswith("DH_")}
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / EXAMPLE.name
        shutil.copytree(EXAMPLE, tree)
        mine, theirs = medians([str(REPO / "dh_modelcheck"), "--fail-on=never"], tree, env, runs)
    print(f"dh_modelcheck (no models):                {mine * 1000:7.1f} ms median of {runs}")
    print(f"import yaml, jsonschema, debian.deb822:   {theirs * 1000:7.1f} ms median of {runs}")
    print(f"ratio: {mine / theirs:.2f}x (target <= 0.70x)")


if __name__ == "__main__":
    main()
