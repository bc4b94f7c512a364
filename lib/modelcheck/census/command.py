"""The census command: options -> indices -> tasks -> database -> report."""

from __future__ import annotations

import argparse
import os
from contextlib import closing
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
    impact = bool(args.html or args.closure)
    extra = quick_options() if args.quick else []
    targets = fetch.update(cache, mirror, args.suite, args.areas, args.trusted, args.quick or impact, extra)
    try:
        conn = store.connect(args.db)
    except store.StoreError as exc:
        raise UnusableInput(str(exc)) from None
    with closing(conn), conn:  # committed, then closed
        if args.quick:
            write_quick(conn, args, cache, out)
            return
        only = set(args.only) if args.only else None
        tasks = run.tasks_from(targets, args.suite, mirror, cache, only)
        if only:
            missing = sorted(only - {t.source for t in tasks})
            if missing:
                raise UnusableInput(f"not in the {args.suite} Sources indices: {' '.join(missing)}")
        run.run(conn, run.pending(conn, tasks), args.jobs, args.scheduler, terminal_progress(args.err))
        from . import policy

        standings = policy.standings(conn, args.suite)
        items = report.records(conn, args.suite, {(t.source, t.version) for t in tasks}, standings)
        impact_summary = None
        if impact:
            packages = [path for _area, path in fetch.index_files(cache, "Packages")]
            impact_summary = policy.summary(conn, args.suite, packages)
            if args.html:
                from .html import write_html

                write_html(conn, args.suite, args.html, impact_summary)
    extra_summary = {"policy-impact": impact_summary} if impact_summary is not None and args.closure else None
    if args.format == "json":
        out.write(report.format_json(args.suite, items, extra_summary))
    else:
        out.write(report.format_text(args.suite, items))


def quick_options() -> list[str]:
    """apt's Contents targets, kept gzip-compressed: a machine configured
    to keep indices as lz4 would otherwise leave a format quick mode does
    not read, and plain Contents files run to gigabytes."""
    from .quick import apt_options

    return apt_options() + ["-o", "Acquire::IndexTargets::deb::Contents-deb::KeepCompressedAs=gz"]


def write_quick(conn: "store.sqlite3.Connection", args: argparse.Namespace, cache: Path, out: TextIO) -> None:
    """Quick mode: model file candidates by name from the Contents indices."""
    from . import quick

    candidates = quick.run(conn, args.suite, quick.contents_files(cache / "lists"))
    if args.only:
        candidates = [c for c in candidates if c.package in set(args.only)]
    out.write(report.format_quick_json(args.suite, candidates) if args.format == "json"
              else report.format_quick_text(args.suite, candidates))
