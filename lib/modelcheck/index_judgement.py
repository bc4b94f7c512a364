"""scan-archive's judgement of index stanzas: what one stanza read by apt
gives, the rules a scan judges by (the accelerator data, the non-main
names, the prefilter), and the judgement of a batch of stanzas, exactly as
a build judges its debian/control (relation_judgement) plus the checks only
an archive can make (names only other areas provide, broken stanzas)."""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterator, Mapping, NamedTuple, Optional

import apt_pkg

from .accelerators import Accelerators, default_accelerators
from .control import Area, area_of_section, deb822_lines
from .indices import Index, text
from .prefilter import SEPARATOR, Prefilter, batch_text, stanzas_at
from .relation_fields import BUILD_FIELDS, ParsedField, parse_field
from .relation_judgement import BUILD_TAG, Hit, area_hit, build_case, relation_details, relation_hits, relation_place

NON_MAIN_TAG = "build-depends-on-non-main-package"
STANZA_TAG = "malformed-index-stanza"

# The fields every stanza is read for: the area, then the build relations
# (the text the prefilter reads); then who the stanza is, read only for
# stanzas with findings.
READ_FIELDS = ("Section",) + BUILD_FIELDS
IDENTITY = ("Package", "Version")


class Rules(NamedTuple):
    accelerators: Accelerators
    non_main: Mapping[str, tuple[str, ...]]  # name -> the areas that have it; none is main
    prefilter: Prefilter


def make_rules(non_main: Mapping[str, tuple[str, ...]], accelerators: Optional[Accelerators] = None) -> Rules:
    accelerators = accelerators or default_accelerators()
    names = [n for s in accelerators.stacks for n in s.packages] + list(non_main)
    globs = [g for s in accelerators.stacks for g in s.patterns]
    return Rules(accelerators, non_main, Prefilter(names, globs))


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


def shape_problem(keys: list[str]) -> Optional[str]:
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
        yield Hit(NON_MAIN_TAG, context, build_case(Area("main", None), alt, field), alt.name,
                  details=relation_details(alt, field))


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

    lines = deb822_lines((stanza.raw or b"").decode("utf-8", "replace"))
    paragraphs = list(Deb822.iter_paragraphs(lines, use_apt_pkg=False))
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
    if joined.count(SEPARATOR) == len(batch):
        looked = stanzas_at(joined, (m.start() for m in re.finditer(rb"/", joined)))
    else:  # a NUL byte in the index text: positions no longer tell stanzas apart
        looked = {n for n, s in enumerate(batch) if b"/" in s.text}
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        looked |= {n for n, s in enumerate(batch) if not _is_utf8(s.text)}
    return looked | {n for n, s in enumerate(batch) if s.shape}


def judge_batch(batch: list[IndexStanza], rules: Rules, judge_all: bool, index: Index) -> Iterator[Pending]:
    joined = batch_text(s.text for s in batch)
    candidates = set(range(len(batch))) if judge_all else rules.prefilter.candidates(joined, len(batch))
    for number in sorted(candidates | _looked_at(batch, joined)):
        stanza = batch[number]
        if stanza.shape:
            yield from _judge_recovered(stanza, rules)
        else:
            yield from _judge_stanza(stanza, number in candidates, rules, index)
