"""One census: the suite's source packages, each fetched, verified, streamed
and recorded.

Each package is one task (scan_package), run in this process, in a local
process pool (--jobs) or on a Dask cluster (--scheduler); whichever runs
it, only this process writes the database, one transaction per package.
A source and version already in the database is not fetched again.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, Optional, Sequence

from debian.deb822 import Sources

from ..control import deb822_lines
from ..errors import UnusableInput
from ..indices import iter_sections, open_index, text
from . import fetch, store
from .scan import Damaged, Tarball, TarballScan, assemble, scan_tarball

if TYPE_CHECKING:
    from ..model_classes import ModelClass

# Tarballs by role: NAME_VERSION.orig.tar.X, .orig-COMP.tar.X, .debian.tar.X,
# or a native NAME_VERSION.tar.X.
TARBALL = re.compile(r"\.(?:orig(?:-(?P<component>[A-Za-z0-9][-A-Za-z0-9]*))?\.|(?P<debian>debian\.))?tar(?:\.(?:gz|xz|bz2|lzma|zst))?$")
UNREAD_COMPRESSION = (".tar.zst",)  # tarfile has no zstd in this Python
# Worst first: the status a package gets when several things went wrong.
SEVERITY = ("error", "checksum-mismatch", "corrupt", "missing-file")


class SourceFile(NamedTuple):
    name: str
    size: int
    sha256: str


class Task(NamedTuple):
    """Everything a worker needs for one package: picklable, no handles."""

    suite: str
    area: str
    source: str
    version: str
    binaries: str
    format: str
    directory: str
    files: tuple[SourceFile, ...]
    mirror: str
    cache: str
    problem: str = ""  # the index stanza is unusable: nothing to fetch


def tasks_from(targets: Sequence[fetch.Target], suite: str, mirror: str, cache: Path,
               only: Optional[set[str]] = None) -> list[Task]:
    """One task per stanza of the suite's Sources indices (or of the named
    sources only)."""
    tasks = []
    for target in targets:
        index = open_index(str(target.path))
        with index.handle:
            for _offset, section in iter_sections(index):
                name = text(section.get("Package")) or ""
                if not name or (only is not None and name not in only):
                    continue
                # python-debian parses the multi-line fields, for the few
                # stanzas wanted: doing it for all would take seconds.
                stanza = Sources(deb822_lines(section.__str__().decode("utf-8", "replace")))
                try:
                    files = tuple(SourceFile(f["name"], int(f["size"]), f["sha256"])
                                  for f in stanza.get("Checksums-Sha256", []))
                    problem = "" if files else "no Checksums-Sha256 in the index"
                except (KeyError, ValueError):
                    files, problem = (), "unreadable Checksums-Sha256 in the index"
                unsafe = [f.name for f in files if not _plain_name(f.name)]
                if unsafe:
                    # A name with a slash would be written outside the download directory.
                    files, problem = (), f"file names that are not plain names in the index: {' '.join(unsafe)}"
                binaries = " ".join(b.strip() for b in stanza.get("Binary", "").split(","))
                tasks.append(Task(suite, target.area, name, stanza.get("Version", ""), binaries,
                                  stanza.get("Format", "1.0"), stanza.get("Directory", ""), files,
                                  mirror.rstrip("/"), str(cache), problem))
    return tasks


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and name not in (".", "..") and "\0" not in name


def pending(conn: "store.sqlite3.Connection", tasks: Sequence[Task]) -> list[Task]:
    """The tasks whose source and version the database does not hold yet."""
    done = store.scanned(conn, tasks[0].suite) if tasks else set()
    return [t for t in tasks if (t.source, t.version) not in done]


_configured: Optional[str] = None


def _configure(cache: str) -> None:
    """apt's private configuration, once per worker process."""
    global _configured
    if _configured != cache:
        fetch.configure(Path(cache))
        _configured = cache


def _role(name: str) -> Optional[Tarball]:
    match = TARBALL.search(name)
    if match is None or name.endswith(".asc"):
        return None
    component = match.group("component") or ""
    role = "component" if component else "orig" if ".orig." in match.group(0) else "debian"
    return Tarball(None, name, role, component)  # type: ignore[arg-type]


def scan_package(task: Task) -> store.Result:
    """Fetch, verify and stream one source package.  Every problem becomes
    the package's status; nothing here raises for bad input."""
    if task.problem:
        return store.Result(task.suite, task.source, task.version, task.area, "error", task.problem,
                            False, task.binaries, (), (), _now())
    _configure(task.cache)
    into = Path(task.cache) / "pool" / f"{task.source}_{task.version}_{os.getpid()}"
    problems: dict[str, list[str]] = {}
    scans: list[tuple[Tarball, TarballScan]] = []
    try:
        uris = [(f"{task.mirror}/{task.directory}/{f.name}", f.name) for f in task.files]
        fetched = {f.name: f for f in fetch.fetch(uris, into)}
        for f in task.files:
            got = fetched[f.name]
            if got.path is None:
                problems.setdefault("missing-file", []).append(f"{f.name} ({got.error})")
            elif fetch.sha256_of(got.path) != f.sha256:
                problems.setdefault("checksum-mismatch", []).append(f.name)
            elif f.name.endswith(".diff.gz"):
                problems.setdefault("not-scanned", []).append(f"{f.name} (a 1.0 diff is not scanned)")
            elif (tarball := _role(f.name)) is not None:
                if f.name.endswith(UNREAD_COMPRESSION):
                    problems.setdefault("error", []).append(f"{f.name} (zstd tarballs are not read)")
                    continue
                with open(got.path, "rb") as handle:
                    tarball = tarball._replace(handle=handle)
                    try:
                        scans.append((tarball, scan_tarball(tarball)))
                    except Damaged as exc:
                        problems.setdefault("corrupt", []).append(str(exc.args[0]))
                        scans.append((tarball, exc.args[1]))
        tree = assemble(scans, frozenset(task.binaries.split()), "quilt" in task.format)
        models = classify_provenance(tree.provenance) if tree.provenance is not None else ()
    except OSError as exc:
        problems.setdefault("error", []).append(f"{exc.filename or ''}: {exc.strerror or exc}")
        tree, models = assemble([], frozenset(), False), ()
    except Exception as exc:  # noqa: BLE001 - one package's defect must not end an archive-wide census
        problems.setdefault("error", []).append(f"internal error: {type(exc).__name__}: {exc}")
        tree, models = assemble([], frozenset(), False), ()
    finally:
        shutil.rmtree(into, ignore_errors=True)
    status = next((s for s in SEVERITY if s in problems), "ok")
    detail = "; ".join(f"{kind}: {', '.join(items)}" for kind, items in problems.items()) or None
    return store.Result(task.suite, task.source, task.version, task.area, status, detail,
                        tree.provenance is not None, task.binaries, tree.files, tuple(models), _now())


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def classify_provenance(data: bytes) -> list[tuple[str, Optional[str]]]:
    """(name, derived class) of each model, derived as lint derives it; the
    class is None when the file does not validate against the schema."""
    from ..checks.classification import judge_for
    from ..model_classes import model_class
    from ..provenance_file import LoadError, decode, parse
    from ..schema import violations

    try:
        document = parse(decode(data))
    except LoadError:
        return []
    data_ = document.data
    listed = data_.get("Models") if isinstance(data_, dict) else None
    models = [m for m in listed if isinstance(m, dict) and isinstance(m.get("Name"), str)] if isinstance(listed, list) else []
    valid = not any(True for _ in violations(data_))
    judge = judge_for(document) if valid else None
    classes: dict[str, Optional[str]] = {}
    for model in models:
        classes.setdefault(model["Name"], _stored_class(model_class(model, judge)) if judge else None)
    return list(classes.items())


def _stored_class(verdict: "ModelClass") -> str:
    """The derived class, then open-source-ai when that quality holds too:
    a ToxicCandy model may or may not have it, and policy options differ
    on exactly that."""
    from ..model_classes import OSAID

    return " ".join([verdict.derived] + ([OSAID] if OSAID in verdict.qualities else []))


Progress = Callable[[int, int, str], None]  # done, total, package


def run(conn: "store.sqlite3.Connection", tasks: Sequence[Task], jobs: int = 1, scheduler: Optional[str] = None,
        progress: Optional[Progress] = None) -> int:
    """Scan the tasks, recording each result as it arrives; how many were scanned."""
    results = _results(tasks, jobs, scheduler)
    count = 0
    for result in results:
        store.record(conn, result)
        count += 1
        if progress:
            progress(count, len(tasks), result.source)
    return count


def _results(tasks: Sequence[Task], jobs: int, scheduler: Optional[str]) -> Iterator[store.Result]:
    if not tasks:
        return iter(())
    if scheduler:
        return _on_dask(tasks, scheduler)
    if jobs <= 1:
        return map(scan_package, tasks)
    return _in_pool(tasks, jobs)


def _in_pool(tasks: Sequence[Task], jobs: int) -> Iterator[store.Result]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(scan_package, t) for t in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:  # an interrupt: what has not started never will
                future.cancel()


def _on_dask(tasks: Sequence[Task], scheduler: str) -> Iterator[store.Result]:
    """The tasks on a Dask distributed cluster; results come back here, to
    the one process that writes the database."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UnusableInput("--scheduler needs python3-distributed") from None

    with Client(scheduler) as client:
        futures = client.map(scan_package, tasks, pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)
