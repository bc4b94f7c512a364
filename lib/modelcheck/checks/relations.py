"""Relations on proprietary accelerator stacks, judged by archive area."""

from __future__ import annotations

import functools
from typing import Iterator

from ..control import Area, Control, Stanza
from ..findings import Finding
from ..relation_fields import BUILD_FIELDS, STRONG_FIELDS, WEAK_FIELDS, parse_field
from ..relation_judgement import BINARY_TAG, BUILD_TAG, BUILD_TAGS, CaseOf, area_hit, binary_case, build_case, relation_hits
from ..source import SourceTree

# The tags this family may emit (the engine refuses any other).
TAGS = BUILD_TAGS + (BINARY_TAG,)


def _field_findings(
    control: Control, stanza: Stanza, kind: str, field: str, tag: str, area: Area, case_of: CaseOf
) -> Iterator[Finding]:
    value = stanza.get(field)
    if value is None:
        return
    package = stanza.get("Source") or stanza.get("Package") or ""
    for hit in relation_hits(parse_field(value, field), field, tag, case_of):
        line = stanza.line_of(field, hit.word)
        details = hit.details + ((("area", area.name),) if hit.stack else ())
        yield Finding(package, kind, hit.tag, hit.context, control.path, line, case=hit.case, details=details)


def _area_findings(control: Control, stanza: Stanza, kind: str, area: Area) -> Iterator[Finding]:
    hit = area_hit(area, stanza.get("Section"))
    if hit is not None:
        package = stanza.get("Source") or stanza.get("Package") or ""
        yield Finding(package, kind, hit.tag, hit.context, control.path, stanza.line_of("Section"), details=hit.details)


def check_source(tree: SourceTree) -> Iterator[Finding]:
    control = tree.control
    area = control.area
    yield from _area_findings(control, control.source, "source", area)
    for field in BUILD_FIELDS:
        yield from _field_findings(
            control, control.source, "source", field, BUILD_TAG, area, functools.partial(build_case, area)
        )


def check_binaries(tree: SourceTree) -> Iterator[Finding]:
    control = tree.control
    for stanza in tree.binaries():
        area = control.binary_area(stanza)
        if "/" in (stanza.get("Section") or ""):
            yield from _area_findings(control, stanza, "binary", area)
        for field in STRONG_FIELDS + WEAK_FIELDS:
            yield from _field_findings(
                control, stanza, "binary", field, BINARY_TAG, area, functools.partial(binary_case, area)
            )


def check(tree: SourceTree) -> Iterator[Finding]:
    yield from check_source(tree)
    yield from check_binaries(tree)
