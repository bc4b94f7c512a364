#!/usr/bin/python3
"""modelcheck scan-archive against grep-dctrl on one real Sources index.

grep-dctrl gets an extended regex built from the same accelerator data (the
exact names and the globs, anchored at package-name boundaries) over the
three Build-Depends fields, and prints the matching source names.  That is
the fastest a shell pipeline answers "who build-depends on a proprietary
stack"; scan-archive answers it with full relation semantics (alternatives,
profiles, areas, severities).  Both commands run alternately, so machine
load affects them alike; the figure is the ratio of the medians (target:
<= 1.0).  Never commit the index.

    /usr/bin/python3 bench/scan_archive.py [--runs N] [SOURCES]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from modelcheck.accelerators import default_accelerators  # noqa: E402

DEFAULT = "/tmp/arch/trixie_main_source_Sources"
NAME_CHARS = "[a-z0-9.+-]"


def ere(glob: str) -> str:
    """An fnmatch glob as a POSIX extended regex."""
    out = []
    for char in glob:
        out.append({"*": NAME_CHARS + "*", "?": NAME_CHARS, ".": r"\.", "+": r"\+"}.get(char, char))
    return "".join(out)


def grep_regex() -> str:
    stacks = default_accelerators().stacks
    names = sorted({n for s in stacks for n in s.packages})
    globs = [g for s in stacks for g in s.patterns]
    alternatives = "|".join(ere(n) for n in names + globs)
    return f"(^|[^a-z0-9.+-])({alternatives})([^a-z0-9.+-]|$)"


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
    theirs = ["grep-dctrl", "-F", "Build-Depends,Build-Depends-Arch,Build-Depends-Indep", "-e", grep_regex(),
              "-s", "Package", "-n", args.sources]
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
          f"sources: {sorted(their_out.split())}")
    print(f"ratio: {statistics.median(mine) / statistics.median(base):.2f}x (target <= 1.00x)")


if __name__ == "__main__":
    main()
