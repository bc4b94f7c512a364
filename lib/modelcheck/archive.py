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

import functools
import re
from typing import BinaryIO, Callable, Iterator, Mapping, NamedTuple, Optional, Sequence

import apt_pkg

from .accelerators import Accelerators, default_accelerators
from .control import Area, area_of_section
from .errors import CannotRead, UnusableInput
from .findings import Catalog, Finding, default_catalog
from .ownership import owned
from .indices import Index, apt_message, line_numbers, load_non_main, open_index, text
from .prefilter import Prefilter, batch_text, stanzas_at
from .relation_fields import BUILD_FIELDS, ParsedField, parse_field
from .relation_judgement import BUILD_TAG, BUILD_TAGS, Hit, area_hit, build_case, relation_hits, relation_place

NON_MAIN_TAG = "build-depends-on-non-main-package"
STANZA_TAG = "malformed-index-stanza"

# The tags scan-archive owns (tags.desc: Check: archive); it also applies the
# relations check's judgement of a source stanza, and may emit its BUILD_TAGS.
TAGS = (NON_MAIN_TAG, STANZA_TAG)
APPLIES = BUILD_TAGS

# The fields every stanza is read for: the area, then the build relations
# (the text the prefilter reads), then who the stanza is.
READ_FIELDS = ("Section",) + BUILD_FIELDS
IDENTITY = ("Package", "Version")
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



# -- the rules ----------------------------------------------------------------


class Rules(NamedTuple):
    accelerators: Accelerators
    non_main: Mapping[str, tuple[str, ...]]  # name -> the areas that have it; none is main
    prefilter: Prefilter


def make_rules(non_main: Mapping[str, tuple[str, ...]], accelerators: Optional[Accelerators] = None) -> Rules:
    accelerators = accelerators or default_accelerators()
    names = [n for s in accelerators.stacks for n in s.packages] + list(non_main)
    globs = [g for s in accelerators.stacks for g in s.patterns]
    return Rules(accelerators, non_main, Prefilter(names, globs))


# -- judging stanzas ----------------------------------------------------------


class IndexStanza(NamedTuple):
    """What the scan read of one stanza.  TagFile reuses one TagSection for
    every stanza, so everything is copied out while it is current; who the
    stanza is (IDENTITY) is read again only for the stanzas reported."""

    offset: int
    values: tuple[Optional[bytes], ...]  # READ_FIELDS, in order
    text: bytes  # the READ_FIELDS values, newline-separated
    shape: Optional[str]  # why apt's split of the stanza cannot be trusted
    raw: Optional[bytes]  # the stanza's text, kept only when its shape is wrong


def identity(index: Index, offset: int) -> Callable[[str], Optional[bytes]]:
    """The fields of the stanza at ``offset``, read again from the index."""
    position = index.handle.tell()
    index.handle.seek(offset)
    tagfile = apt_pkg.TagFile(index.handle, bytes=True)
    section = next(iter(tagfile))
    values = {field: section.get(field) for field in IDENTITY}
    index.handle.seek(position)
    return values.get


def _shape_problem(keys: list[str]) -> Optional[str]:
    """apt joins a line without a colon to the next field's name, so such a
    line shows as whitespace inside a name (and can hide that field)."""
    names = "\x00".join(keys)
    if "\n" in names or " " in names or "\t" in names or "" in keys:
        return "a line that is not a field"
    if len(set(keys)) != len(keys):
        return "a duplicated field"
    if "Package" not in keys:
        return "no Package field"
    return None


def _non_main_hits(parsed: ParsedField, field: str, rules: Rules) -> Iterator[Hit]:
    """Buildds install the first alternative only (Policy 2.2.1, 7.7)."""
    for relation in parsed.relations:
        alt = relation.alternatives[0]
        if alt.position or alt.name not in rules.non_main or rules.accelerators.match(alt.name):
            continue
        areas = " and ".join(rules.non_main[alt.name])
        context = f"{alt.name} ({relation_place(alt, field)}; only in {areas})"
        yield Hit(NON_MAIN_TAG, context, build_case(Area("main", None), alt, field), alt.name)


def judge_relations(values: Mapping[str, str], area: Area, rules: Rules) -> Iterator[Hit]:
    """A build's judgement of the build relations, plus the non-main check.
    Unparsable text is reported only where a judged name may hide in it, so
    that the prefilter decides the same with or without full parsing."""
    case_of = functools.partial(build_case, area)
    for field in BUILD_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        parsed = parse_field(value, field)
        parsed = parsed._replace(malformed=tuple(r for r in parsed.malformed if rules.prefilter.may_name(r)))
        yield from relation_hits(parsed, field, BUILD_TAG, case_of)
        if area.is_main:
            yield from _non_main_hits(parsed, field, rules)


class Pending(NamedTuple):
    """A finding whose line is not counted yet."""

    offset: int
    hit: Hit
    package: str
    version: Optional[str]
    area: str


def _area_hits(section: Optional[str]) -> tuple[Area, list[Hit]]:
    area = area_of_section(section)
    hit = area_hit(area, section)
    return area, [] if hit is None else [hit]


def _pending(offset: int, hits: list[Hit], get: Callable[[str], Optional[bytes]], area: Area) -> list[Pending]:
    """Attach the stanza's identity, once it is known to be reported."""
    if not hits:
        return []
    who = {}
    for field in IDENTITY:
        raw = get(field)
        who[field] = text(raw)
        if raw is not None and not _is_utf8(raw):
            hits.append(Hit(STANZA_TAG, f"{field} (not UTF-8)", None, None))
    return [Pending(offset, h, who["Package"] or "", who["Version"], area.name) for h in hits]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _judge_stanza(stanza: IndexStanza, candidate: bool, rules: Rules, index: Index) -> list[Pending]:
    values = dict(zip(READ_FIELDS, (text(v) for v in stanza.values)))
    hits = [Hit(STANZA_TAG, f"{f} (not UTF-8)", None, None)
            for f, raw in zip(READ_FIELDS, stanza.values) if raw is not None and not _is_utf8(raw)]
    area, area_hits = _area_hits(values["Section"])
    hits += area_hits
    if candidate:
        hits += judge_relations(values, area, rules)
    return _pending(stanza.offset, hits, identity(index, stanza.offset) if hits else dict().get, area)


def _judge_recovered(stanza: IndexStanza, rules: Rules) -> list[Pending]:
    """A stanza apt split wrongly, re-read with python-debian's lenient
    parser, which drops the lines that are not fields: every paragraph it
    finds is judged in full."""
    from debian.deb822 import Deb822  # only for stanzas apt split wrongly

    text = (stanza.raw or b"").decode("utf-8", "replace")
    paragraphs = list(Deb822.iter_paragraphs(text.splitlines(keepends=True), use_apt_pkg=False))
    # The stanza is named and placed by the first paragraph that says who it is.
    first = next((p for p in paragraphs if p.get("Package")), {})
    area = area_of_section(first.get("Section")).name
    found = [Pending(stanza.offset, Hit(STANZA_TAG, f"stanza ({stanza.shape})", None, None),
                     first.get("Package", ""), first.get("Version"), area)]
    for paragraph in paragraphs:
        area_of, hits = _area_hits(paragraph.get("Section"))
        hits += judge_relations(paragraph, area_of, rules)
        found += _pending(stanza.offset, hits, functools.partial(_encoded, paragraph), area_of)
    return found


def _encoded(paragraph: Mapping[str, str], field: str) -> Optional[bytes]:
    value = paragraph.get(field)
    return None if value is None else value.encode()


def _looked_at(batch: list[IndexStanza], joined: bytes) -> set[int]:
    """Stanzas that may give a finding other than by a judged name: a
    Section with an area prefix, text that is not UTF-8, a broken shape.
    All others are main stanzas that the prefilter alone decides."""
    looked = stanzas_at(joined, (m.start() for m in re.finditer(rb"/", joined)))
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        looked |= {n for n, s in enumerate(batch) if not _is_utf8(s.text)}
    return looked | {n for n, s in enumerate(batch) if s.shape}


def _judge_batch(batch: list[IndexStanza], rules: Rules, judge_all: bool, index: Index) -> Iterator[Pending]:
    joined = batch_text(s.text for s in batch)
    candidates = set(range(len(batch))) if judge_all else rules.prefilter.candidates(joined, len(batch))
    for number in sorted(candidates | _looked_at(batch, joined)):
        stanza = batch[number]
        if stanza.shape:
            yield from _judge_recovered(stanza, rules)
        else:
            yield from _judge_stanza(stanza, number in candidates, rules, index)


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
        shape = _shape_problem(keys) if odd or len(set(keys)) != len(keys) or "Package" not in keys else None
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


def scan_index(index: Index, rules: Rules, progress: Optional[ProgressDisplay] = None,
               judge_all: bool = False) -> tuple[list[Pending], int, Optional[CannotRead]]:
    """(findings without lines, stanzas judged, why the input ended early)."""
    pending: list[Pending] = []
    count, last = 0, None
    cut: list[IndexStanza] = []
    try:
        for batch in _read(index, cut):
            pending += _judge_batch(batch, rules, judge_all, index)
            count += len(batch)
            last = batch[-1] if batch else last
            if progress and len(batch) == BATCH:
                progress.update(batch[-1].offset, count)
    except apt_pkg.Error as exc:
        return pending, count, _ended_early(index, count, last, apt_message(exc), cut)
    finally:
        if progress:
            progress.done()
    return pending, count, index.damage and _ended_early(index, count, last, index.damage, cut)


def _ended_early(index: Index, count: int, last: Optional[IndexStanza], why: str, cut: list[IndexStanza]) -> CannotRead:
    after = "at its start" if last is None else f"after stanza {count} (Package: {_package(index, last)})"
    unjudged = "".join(f"; stanza {count + 1} (Package: {_package(index, s)}) is cut off, not judged" for s in cut)
    return CannotRead(f"unreadable {after}: {why}{unjudged}", index.label)


def _package(index: Index, stanza: IndexStanza) -> Optional[str]:
    return text(identity(index, stanza.offset)("Package"))


def _stamp(pending: Sequence[Pending], index: Index, catalog: Catalog) -> list[ArchiveFinding]:
    lines = line_numbers(index, (p.offset for p in pending)) if pending else {}
    allowed = frozenset(TAGS + APPLIES)
    made = [Finding(p.package, "source", p.hit.tag, p.hit.context, index.label, lines.get(p.offset), case=p.hit.case)
            for p in pending]
    return [
        ArchiveFinding(catalog.stamp(finding), p.version, p.area, p.hit.stack)
        for finding, p in zip(owned("archive", allowed, made), pending)
    ]


def scan_archive(
    names: Sequence[str], packages: Sequence[str] = (), stdin: Optional[BinaryIO] = None,
    progress_for: Optional[ProgressFor] = None, judge_all: bool = False,
) -> Scan:
    """Scan Sources indices; inputs that cannot be read are reported in
    Scan.errors and the scan goes on with the rest.  ``progress_for`` gives
    the front end's progress report of an index.  ``judge_all`` parses
    every stanza, the reference the prefilter must agree with."""
    rules = make_rules(load_non_main(packages, stdin))
    catalog = default_catalog()
    found, errors, total = [], [], 0
    for name in names:
        try:
            index = open_index(name, stdin)
        except UnusableInput as exc:
            errors.append(exc)
            continue
        with index.handle:
            progress = progress_for(index) if progress_for else None
            pending, count, error = scan_index(index, rules, progress, judge_all)
            found += _stamp(pending, index, catalog)
        total += count
        errors += [error] if error else []
    return Scan(found, errors, total)
