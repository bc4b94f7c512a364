#!/usr/bin/python3
"""Census quick mode against zgrep -E on the same real Contents indices.

zgrep runs the same pattern quick mode gives grep (a candidate suffix,
either case, at the end of a line's path) in the C locale, grep's
fastest; quick mode also splits each matching line into its packages and
areas.  Both commands run
alternately, so machine load affects them alike; the figure is the ratio
of the medians of their wall times (target: <= 1.0).  Never commit the
indices; fetch them as README.md says.

    /usr/bin/python3 bench/census_quick.py [--runs N] CONTENTS.gz...
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))
sys.path.insert(0, str(REPO / "bench"))

from modelcheck.census.quick import grep_pattern  # noqa: E402
from scan_archive import run  # noqa: E402  (alternating timed runs, as the other benches)

OURS = "import sys; from pathlib import Path; from modelcheck.census import quick; " \
       "print(len(quick.scan([Path(p) for p in sys.argv[1:]])))"


def zgrep_command(files: list[str]) -> list[str]:
    return ["zgrep", "-E", "-i", "-c", grep_pattern(), *files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("contents", nargs="+")
    args = parser.parse_args()
    missing = [f for f in args.contents if not os.path.isfile(f)]
    if missing:
        sys.exit(f"{missing[0]}: no such file; see README.md for fetching real indices")
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "LC_ALL": "C"}
    ours = ["/usr/bin/python3", "-c", OURS, *args.contents]
    theirs = zgrep_command(args.contents)
    # Warm the page cache and byte-compile the checkout.
    run(ours, env)
    run(theirs, env)
    our_times, their_times = [], []
    for _ in range(args.runs):
        our_times.append(run(ours, env)[0])
        their_times.append(run(theirs, env)[0])
    ratio = statistics.median(our_times) / statistics.median(their_times)
    print(f"zgrep:      {' '.join(theirs[:4])} PATTERN FILES")
    print(f"pattern:    {theirs[4]}")
    print(f"quick mode: median {statistics.median(our_times):.2f}s over {args.runs} runs")
    print(f"zgrep -E:   median {statistics.median(their_times):.2f}s")
    print(f"ratio:      {ratio:.2f} (target <= 1.0)")


if __name__ == "__main__":
    main()
