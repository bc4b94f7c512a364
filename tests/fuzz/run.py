#!/usr/bin/python3
"""Run a fuzz campaign: /usr/bin/python3 tests/fuzz/run.py --kind KIND
--executions N --seed S [--jobs J] [--save].

Prints the counts per kind and, for each failure, the seed and case number
that replay it (--replay KIND:SEED:NUMBER) and what went wrong; --save
keeps each failure as a regression case under tests/fuzz/regressions/.
Exit status 0 when no input broke the promise, 1 otherwise."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import driver  # noqa: E402
import regressions  # noqa: E402


def work(job: tuple[str, int, int, int, bool, float]) -> tuple[str, int, Optional[list[str]], Optional[str]]:
    kind, seed, number, exec_every, save, deadline = job
    if number > 0 and time.monotonic() > deadline:
        return kind, number, None, None  # past the campaign's time (each kind runs once at least)
    try:
        case, outcome, problems, tmp = driver.one(kind, seed, number, exec_every)
    except Exception as exc:  # the harness's own failure: reported, never hidden
        return kind, number, [f"the harness failed: {type(exc).__name__}: {exc}"], None
    saved = None
    try:
        if problems:
            if save:
                saved = str(regressions.save(case, outcome, problems, f"s{seed}-n{number}"))
            problems.append("stderr: " + outcome.stderr.decode(errors="replace")[-600:])
    finally:
        driver.remove(tmp)
    return kind, number, problems, saved


def campaign(kinds: list[str], executions: int, seed: int, jobs: int, exec_every: int = 0,
             save: bool = False, seconds: Optional[float] = None, out=sys.stdout, progress: int = 0) -> tuple[dict[str, int], list[str]]:
    """Run EXECUTIONS cases of each kind (or stop after SECONDS); return the
    counts per kind and the failures, each a line that says how to replay it."""
    counts = {k: 0 for k in kinds}
    failures: list[str] = []
    start = time.monotonic()
    deadline = start + seconds if seconds is not None else float("inf")
    jobs_list = ((k, seed, n, exec_every, save, deadline) for n in range(executions) for k in kinds)
    driver.preload()
    with multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=200) as pool:
        for kind, number, problems, saved in pool.imap_unordered(work, jobs_list, chunksize=1):
            if problems is None:
                if all(counts.values()):
                    break
                continue
            counts[kind] += 1
            done = sum(counts.values())
            if progress and done % progress == 0:
                print(f"{done} executions in {time.monotonic() - start:.0f} s: {counts}", file=out, flush=True)
            if problems:
                line = f"FAIL --replay {kind}:{seed}:{number}: " + "; ".join(problems)
                if saved:
                    line += f" (kept as {saved})"
                failures.append(line)
                print(line, file=out, flush=True)
    return counts, failures


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", action="append", choices=sorted(driver.KINDS), help="default: every kind")
    parser.add_argument("--executions", type=int, default=1000, help="per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--exec-every", type=int, default=50, help="run every Nth case as a real program (0: never)")
    parser.add_argument("--seconds", type=float, help="stop after this many seconds")
    parser.add_argument("--save", action="store_true", help="keep each failure as a regression case")
    parser.add_argument("--replay", metavar="KIND:SEED:NUMBER", help="run one case and show what it did")
    args = parser.parse_args(argv)
    if args.replay:
        kind, seed, number = args.replay.split(":")
        case, outcome, problems, tmp = driver.one(kind, int(seed), int(number))
        print(f"{case.program} {' '.join(case.argv)}\nstatus {outcome.status} in {outcome.seconds:.2f} s")
        sys.stdout.write(outcome.stdout.decode(errors="replace")[-3000:])
        sys.stdout.write(outcome.stderr.decode(errors="replace")[-3000:])
        print("problems:", problems, "\ntree kept in", tmp)
        if args.save:
            print("kept as", regressions.save(case, outcome, problems, f"s{seed}-n{number}"))
        return 1 if problems else 0
    kinds = args.kind or sorted(driver.KINDS)
    start = time.monotonic()
    counts, failures = campaign(kinds, args.executions, args.seed, args.jobs, args.exec_every, args.save, args.seconds,
                                progress=1000)
    print(f"seed {args.seed}: {sum(counts.values())} executions in {time.monotonic() - start:.0f} s, "
          f"{len(failures)} failures")
    for kind, count in counts.items():
        print(f"  {kind}: {count}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
