"""modelcheck scan-archive: a build's relation checks over Debian Sources indices.

Speed comes from doing only the work that can matter.  apt's TagFile splits
stanzas in C, and the scan reads only the field names, the Section and the
build-relation fields of each stanza.  One regular expression, derived from
the accelerator data and the non-main names loaded from Packages indices,
then runs over a batch of stanzas at a time.  Only the stanzas in which it
finds a name are parsed with parse_field and judged exactly as a build
judges its debian/control.  The expression may admit too much, never too
little: see Prefilter.
"""

from __future__ import annotations

import os
from typing import BinaryIO, Callable, Iterator, NamedTuple, Optional, Sequence

import apt_pkg

from .errors import CannotRead, UnusableInput
from .findings import Catalog, Finding, default_catalog
from .index_judgement import (
    NON_MAIN_TAG, STANZA_TAG, IndexStanza, Pending, Rules, identity, judge_batch, make_rules, shape_problem,
)
from .indices import CHUNK, Index, apt_message, load_non_main, open_index, text
from .ownership import owned
from .relation_judgement import BUILD_TAGS

# The tags scan-archive owns (tags.desc: Check: archive); it also applies the
# relations check's judgement of a source stanza, and may emit its BUILD_TAGS.
TAGS = (NON_MAIN_TAG, STANZA_TAG)
APPLIES = BUILD_TAGS

BATCH = 2048  # stanzas per prefilter run and per progress report

# Told (byte offset reached, stanzas read) after each batch of an index.
Progress = Callable[[int, int], None]


class ProgressDisplay(NamedTuple):
    """The front end's report of the scan of one index."""

    update: Progress
    done: Callable[[], None]


# Gives the progress report of one index, or None for none.
ProgressFor = Callable[[Index], Optional[ProgressDisplay]]


class ArchiveFinding(NamedTuple):
    finding: Finding
    version: Optional[str]
    area: str
    stack: Optional[str]


class Scan(NamedTuple):
    findings: list[ArchiveFinding]
    errors: list[UnusableInput]  # inputs that could not be read to their end
    stanzas: int



# -- the scan -----------------------------------------------------------------


def _read(index: Index, cut: list[IndexStanza]) -> Iterator[list[IndexStanza]]:
    """The stanzas of an index in batches, read in one loop: it runs once per
    stanza of the archive, so it does no more than copy out what the
    prefilter and the judgement read.  When the input breaks off, its last
    stanza may have lost fields (its Section, and so its area): it is put in
    ``cut`` rather than judged."""
    batch: list[IndexStanza] = []
    offset, previous = 0, None
    tagfile = apt_pkg.TagFile(index.handle, bytes=True)
    for section in tagfile:
        get = section.get
        values = (get("Section"), get("Build-Depends"), get("Build-Depends-Arch"), get("Build-Depends-Indep"))
        keys = section.keys()
        names = "\x00".join(keys)
        # The rule of _shape_problem, in a form that is quick for the
        # stanzas that pass it, which are nearly all.
        odd = "\n" in names or " " in names or "\t" in names or "" in keys
        shape = shape_problem(keys) if odd or len(set(keys)) != len(keys) or "Package" not in keys else None
        if previous is not None:
            batch.append(previous)
            if len(batch) == BATCH:
                yield batch
                batch = []
        # TagSection's __str__ gives the raw bytes when bytes=True.
        previous = IndexStanza(offset, values, b"\n".join(filter(None, values)), shape,
                               section.__str__() if shape else None)
        offset = tagfile.offset()
    if previous is not None and index.damage:
        cut.append(previous)
    elif previous is not None:
        batch.append(previous)
    yield batch


def scan_index(index: Index, rules: Rules, sink: Callable[[list[Pending]], None],
               progress: Optional[ProgressDisplay] = None, judge_all: bool = False) -> tuple[int, Optional[CannotRead]]:
    """Give each batch's findings (without lines) to sink as they are
    found, so that none is held longer than its batch; return (stanzas
    judged, why the input ended early)."""
    count, last = 0, None
    cut: list[IndexStanza] = []
    try:
        for batch in _read(index, cut):
            sink(list(judge_batch(batch, rules, judge_all, index)))
            count += len(batch)
            last = batch[-1] if batch else last
            if progress and len(batch) == BATCH:
                progress.update(batch[-1].offset, count)
    except apt_pkg.Error as exc:
        return count, _ended_early(index, count, last, apt_message(exc), cut)
    finally:
        if progress:
            progress.done()
    return count, index.damage and _ended_early(index, count, last, index.damage, cut)


def _ended_early(index: Index, count: int, last: Optional[IndexStanza], why: str, cut: list[IndexStanza]) -> CannotRead:
    after = "at its start" if last is None else f"after stanza {count} (Package: {_package(index, last)})"
    unjudged = "".join(f"; stanza {count + 1} (Package: {_package(index, s)}) is cut off, not judged" for s in cut)
    return CannotRead(f"unreadable {after}: {why}{unjudged}", index.label)


def _package(index: Index, stanza: IndexStanza) -> Optional[str]:
    return text(identity(index, stanza.offset)("Package"))


class _Lines:
    """Line numbers of increasing byte offsets of an index, counted as the
    scan goes: pread leaves the offset apt reads from alone."""

    def __init__(self, index: Index) -> None:
        self.fd = index.handle.fileno()
        self.position, self.line = 0, 1

    def at(self, offset: int) -> Optional[int]:
        if offset < self.position:  # never in scan order; count again if so
            self.position, self.line = 0, 1
        while self.position < offset:
            chunk = os.pread(self.fd, min(CHUNK, offset - self.position), self.position)
            if not chunk:
                return None
            self.line += chunk.count(b"\n")
            self.position += len(chunk)
        return self.line


def _stamp(pending: Sequence[Pending], index: Index, catalog: Catalog, lines: _Lines) -> list[ArchiveFinding]:
    allowed = frozenset(TAGS + APPLIES)
    made = [Finding(p.package, "source", p.hit.tag, p.hit.context, index.label, lines.at(p.offset), case=p.hit.case,
                    details=p.hit.details) for p in pending]
    return [
        ArchiveFinding(catalog.stamp(finding), p.version, p.area, p.hit.stack)
        for finding, p in zip(owned("archive", allowed, made), pending)
    ]


def stream_archive(
    names: Sequence[str], emit: Callable[[ArchiveFinding], None], packages: Sequence[str] = (),
    stdin: Optional[BinaryIO] = None, progress_for: Optional[ProgressFor] = None, judge_all: bool = False,
) -> tuple[list[UnusableInput], int]:
    """Scan Sources indices, giving each finding to emit as soon as it is
    made (memory stays bounded whatever the number of findings); return the
    inputs that could not be read (the scan goes on with the rest) and the
    number of stanzas.  ``progress_for`` gives the front end's progress
    report of an index.  ``judge_all`` parses every stanza, the reference
    the prefilter must agree with."""
    rules = make_rules(load_non_main(packages, stdin))
    catalog = default_catalog()
    errors: list[UnusableInput] = []
    total = 0
    for name in names:
        try:
            index = open_index(name, stdin)
        except UnusableInput as exc:
            errors.append(exc)
            continue
        with index.handle:
            progress = progress_for(index) if progress_for else None
            lines = _Lines(index)

            def sink(pending: list[Pending]) -> None:
                for item in _stamp(pending, index, catalog, lines):  # noqa: B023 -- called before the loop moves on
                    emit(item)

            count, error = scan_index(index, rules, sink, progress, judge_all)
        total += count
        errors += [error] if error else []
    return errors, total


def scan_archive(
    names: Sequence[str], packages: Sequence[str] = (), stdin: Optional[BinaryIO] = None,
    progress_for: Optional[ProgressFor] = None, judge_all: bool = False,
) -> Scan:
    """stream_archive's findings in one list."""
    found: list[ArchiveFinding] = []
    errors, total = stream_archive(names, found.append, packages, stdin, progress_for, judge_all)
    return Scan(found, errors, total)
