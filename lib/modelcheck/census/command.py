"""The census command: options -> indices -> tasks -> database -> report."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Optional, TextIO

from ..errors import UnusableInput
from . import fetch, report, run, store

AREAS = ("main", "contrib", "non-free", "non-free-firmware")


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modelcheck" / "census"


def areas(value: str) -> list[str]:
    """--areas main,contrib: a comma-separated list of archive areas."""
    chosen = [a.strip() for a in value.split(",") if a.strip()]
    unknown = [a for a in chosen if a not in AREAS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown area {', '.join(unknown) or '(none)'}; choose from {', '.join(AREAS)}")
    return chosen


def terminal_progress(err: TextIO) -> Optional[run.Progress]:
    """A status line on a terminal only."""
    if not err.isatty():
        return None

    def show(done: int, total: int, package: str) -> None:
        err.write(f"\r\033[Kmodelcheck: census: {done}/{total} {package}")
        if done == total:
            err.write("\r\033[K")
        err.flush()

    return show


def census(args: argparse.Namespace, out: TextIO) -> None:
    if args.jobs < 1:
        raise UnusableInput("--jobs must be at least 1")
    cache = (args.cache or default_cache()).absolute()
    mirror = args.mirror or fetch.machine_mirror(args.suite)
    targets = fetch.update(cache, mirror, args.suite, args.areas, args.trusted)
    only = set(args.only) if args.only else None
    tasks = run.tasks_from(targets, args.suite, mirror, cache, only)
    if only:
        missing = sorted(only - {t.source for t in tasks})
        if missing:
            raise UnusableInput(f"not in the {args.suite} Sources indices: {' '.join(missing)}")
    try:
        conn = store.connect(args.db)
    except store.StoreError as exc:
        raise UnusableInput(str(exc)) from None
    with conn:
        run.run(conn, run.pending(conn, tasks), args.jobs, args.scheduler, terminal_progress(args.err))
        items = report.records(conn, args.suite, {(t.source, t.version) for t in tasks})
    out.write(report.format_json(args.suite, items) if args.format == "json" else report.format_text(args.suite, items))
