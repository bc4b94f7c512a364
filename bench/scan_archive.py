#!/usr/bin/python3
"""modelcheck scan-archive against grep-dctrl on one real Sources index.

grep-dctrl runs exactly the coarse filter a QA person types to find who
build-depends on a proprietary accelerator stack (GREP_DCTRL below);
scan-archive answers the same question with full relation semantics
(alternatives, profiles, areas, severities, every name of the accelerator
data).  Both commands run alternately, so machine load affects them alike;
the figure is the ratio of the medians (target: <= 1.0).  Never commit the
index; fetch one as README.md says.

    /usr/bin/python3 bench/scan_archive.py [--runs N] [SOURCES]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

DEFAULT = "/tmp/arch/trixie_main_source_Sources"
GREP_DCTRL = [
    "grep-dctrl", "-F", "Build-Depends,Build-Depends-Arch,Build-Depends-Indep",
    "-e", "(nvidia-|libcu(dnn|blas|fft|rand|solver|sparse|pti|da)|libnccl|libnvinfer|intel-mkl|libmkl-)",
    "-s", "Package",
]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{argv[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("sources", nargs="?", default=DEFAULT)
    args = parser.parse_args()
    if not os.path.isfile(args.sources):
        sys.exit(f"{args.sources}: no such file; see README.md for fetching real indices")
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib")}
    ours = ["/usr/bin/python3", "-m", "modelcheck", "scan-archive", "--format", "json", "--fail-on", "never",
            args.sources]
    theirs = [*GREP_DCTRL, args.sources]
    # Warm the page cache and byte-compile the checkout.
    _, our_out = run(ours, env)
    _, their_out = run(theirs, env)
    mine, base = [], []
    for _ in range(args.runs):
        mine.append(run(ours, env)[0])
        base.append(run(theirs, env)[0])
    found = sorted({f["package"] for f in json.loads(our_out)["findings"]
                    if f["tag"] == "build-depends-on-proprietary-accelerator"})
    print(f"index: {args.sources} ({os.path.getsize(args.sources) / 1e6:.1f} MB)")
    print(f"scan-archive: {statistics.median(mine) * 1000:7.1f} ms median of {args.runs}; sources: {found}")
    print(f"grep-dctrl:   {statistics.median(base) * 1000:7.1f} ms median of {args.runs}; "
          f"sources: {sorted(line.removeprefix('Package: ') for line in their_out.splitlines())}")
    print("  " + " ".join(shlex.quote(word) for word in theirs))
    print(f"ratio: {statistics.median(mine) / statistics.median(base):.2f}x (target <= 1.00x)")


if __name__ == "__main__":
    main()
