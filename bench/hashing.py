#!/usr/bin/python3
"""SHA-256 of model files against coreutils' sha256sum, and the peak memory.

(a) one 2 GiB file: sha256_file vs `sha256sum FILE`           (target <= 1.05x)
(b) two 1 GiB files: sha256_files vs `sha256sum a; sha256sum b` (target <= 0.60x on 2 cores)
(c) peak RSS of the hashing process, over (a) and (b)          (target <= 64 MiB)

Debian's sha256sum is not linked with OpenSSL and hashes with gnulib's
portable C code, about a sixth of the speed of OpenSSL's SHA-NI code that
hashlib uses; so (a) and (b) are also measured against `openssl dgst
-sha256`, the same hashing code as ours, to show the Python side adds
nothing (the same targets apply).

Every command runs as a child process, alternately with its rival, so that
machine load affects both alike; the page cache is warmed first, so both
read from memory.  Times are medians.  The peak RSS is the child's
ru_maxrss, as os.wait4 returns it for that child alone (the figure
getrusage(RUSAGE_CHILDREN) gives when it is the only child).  Data goes to a
temporary directory under /tmp, removed afterwards.

    /usr/bin/python3 bench/hashing.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GIB = 1024 ** 3
BLOCK = os.urandom(1024 * 1024)
ONE = "from modelcheck.hashing import sha256_file; import sys; print(sha256_file(sys.argv[1]))"
MANY = "from modelcheck.hashing import sha256_files; import sys; print(sha256_files(sys.argv[1:]))"


def make(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        for _ in range(size // len(BLOCK)):
            handle.write(BLOCK)
    return path


def run(argv: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "lib"))
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{argv[0]} failed with status {child.returncode}")
    return elapsed, usage.ru_maxrss


def compare(ours: list[str], theirs: list[str], runs: int) -> tuple[float, float, int]:
    """Median times of both commands, and our largest peak RSS."""
    run(ours), run(theirs)  # warm the page cache and the interpreter's files
    mine, base, rss = [], [], 0
    for _ in range(runs):
        elapsed, peak = run(ours)
        mine.append(elapsed)
        rss = max(rss, peak)
        base.append(run(theirs)[0])
    return statistics.median(mine), statistics.median(base), rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    python = "/usr/bin/python3"
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        big = make(Path(tmp) / "big", 2 * GIB)
        a, b = make(Path(tmp) / "a", GIB), make(Path(tmp) / "b", GIB)
        results = []
        for tool in (["sha256sum"], ["openssl", "dgst", "-sha256"]):
            one = compare([python, "-c", ONE, str(big)], [*tool, str(big)], runs)
            both = " ".join(tool)
            two = compare([python, "-c", MANY, str(a), str(b)], ["sh", "-c", f"{both} {a}; {both} {b}"], runs)
            results.append((both, one, two))
    print(f"cores usable: {len(os.sched_getaffinity(0))}; medians of {runs} runs")
    for tool, one, two in results:
        print(f"(a) 2 GiB file:  sha256_file  {one[0]:6.3f} s vs {tool} {one[1]:6.3f} s: "
              f"{one[0] / one[1]:.3f}x (target <= 1.05x)")
        print(f"(b) 2 x 1 GiB:   sha256_files {two[0]:6.3f} s vs {tool} a; {tool} b {two[1]:6.3f} s: "
              f"{two[0] / two[1]:.3f}x (target <= 0.60x)")
    peak = max(max(one[2], two[2]) for _tool, one, two in results)
    print(f"(c) peak RSS of the hashing process: {peak / 1024:.1f} MiB (target <= 64 MiB)")


if __name__ == "__main__":
    main()
