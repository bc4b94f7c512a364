"""The fuzz campaign of the test suite, and the replay of every input it
ever broke the promise with.

The campaign is bounded (FUZZ_BUDGET seconds in all, each kind its share)
and runs two seeds: a fixed one, so that a run is comparable with the last,
and one derived from the date, so that each day tries new inputs.  A
failure names the seed and case number: tests/fuzz/run.py --replay
KIND:SEED:NUMBER shows it again.  Longer campaigns: tests/fuzz/run.py."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import driver  # noqa: E402
import regressions  # noqa: E402
import run  # noqa: E402

FIXED_SEED = 20261130
# Seconds of campaign in all: the suite's share of CI time (at most 5 minutes).
BUDGET = float(os.environ.get("FUZZ_BUDGET", "120"))
JOBS = min(2, os.cpu_count() or 1)


def rotating_seed() -> int:
    return int(datetime.date.today().strftime("%Y%m%d")) * 7919


@pytest.mark.fuzz
@pytest.mark.parametrize("seed", [FIXED_SEED, rotating_seed()], ids=["fixed", "rotating"])
def test_campaign(seed: int) -> None:
    kinds = sorted(driver.KINDS)
    counts, failures = run.campaign(kinds, executions=10**6, seed=seed, jobs=JOBS, exec_every=100,
                                    seconds=BUDGET / 2)
    assert failures == [], f"seed {seed}: replay with tests/fuzz/run.py --replay KIND:{seed}:NUMBER"
    # Every kind ran (imap_unordered interleaves them).
    assert all(counts[k] > 0 for k in kinds), counts


@pytest.mark.parametrize("directory", regressions.all_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_regression(directory: Path, request: pytest.FixtureRequest) -> None:
    """A kept input now gives what it should: its status, its finding or
    one-line error, and nothing else the campaign would call a failure.
    A case whose fix is not in yet says so ("open"): it must still fail,
    so that the fix turns it into an ordinary case."""
    import json

    expected = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    if expected.get("open"):
        request.applymarker(pytest.mark.xfail(strict=True, reason=expected["open"]))
    with tempfile.TemporaryDirectory(prefix="modelcheck-regression-") as top:
        work = Path(top) / "case"
        work.mkdir()
        case = regressions.load(directory, work)
        outcome, problems = driver.check(case, driver.run_forked)
    assert problems == []
    if expected.get("open"):
        return
    assert outcome.status == expected["status"]
    assert expected["expect"] in (outcome.stdout + outcome.stderr).decode(errors="replace")
