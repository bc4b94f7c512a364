"""Relations on proprietary accelerator stacks, judged by archive area."""

from __future__ import annotations

import functools
from typing import Callable, Iterator, NamedTuple, Optional

from ..accelerators import Stack, default_accelerators
from ..control import Area, Control, Stanza
from ..findings import Finding
from ..relations import (
    BUILD_FIELDS, STRONG_FIELDS, WEAK_FIELDS, Alternative, ParsedField, iter_alternatives, parse_field,
)
from ..source import SourceTree

BUILD_TAG = "build-depends-on-proprietary-accelerator"
BINARY_TAG = "depends-on-proprietary-accelerator"
MALFORMED_TAG = "malformed-relation"


def relation_place(alt: Alternative, field: str) -> str:
    """'FIELD[, alternative N][ RESTRICTIONS]': where a package is named."""
    where = [field]
    if alt.position:
        where.append(f"alternative {alt.position + 1}")
    restrictions = alt.restriction_text()
    return ", ".join(where) + (f" {restrictions}" if restrictions else "")


def accelerator_context(alt: Alternative, field: str, stack: Stack) -> str:
    """'PACKAGE (FIELD[, alternative N][ RESTRICTIONS]; stack ID; free alternative: ...)'."""
    return f"{alt.name} ({relation_place(alt, field)}; stack {stack.id}; free alternative: {stack.alternatives})"


def build_case(area: Area, alt: Alternative, field: str) -> Optional[str]:
    """Which catalog case a proprietary build-dependency falls under.
    Buildds install only the first alternative, and a relation behind a
    positive build profile is absent from the default build."""
    if not area.is_main:
        return "outside-main"
    if alt.position > 0:
        return "alternative"
    if not alt.active_by_default:
        return "build-profile"
    return None


def binary_case(area: Area, alt: Alternative, field: str) -> Optional[str]:
    if not area.is_main:
        return "outside-main"
    if field in WEAK_FIELDS:
        return "weak-relation"
    return None


CaseOf = Callable[[Alternative, str], Optional[str]]


class Hit(NamedTuple):
    """A finding of one relation field, before it is placed in a file."""

    tag: str
    context: str
    case: Optional[str]
    word: Optional[str]  # the package named, to point at its line; None for unparsable text
    stack: Optional[str] = None
    details: tuple[tuple[str, object], ...] = ()  # Finding.details


def relation_details(alt: Alternative, field: str) -> tuple[tuple[str, object], ...]:
    """Where a package is named, as structured members: the package, the
    field, the 1-based alternative and the restrictions when there are some."""
    restrictions = alt.restriction_text()
    return (("subject", alt.name), ("field", field), ("alternative", alt.position + 1)) + (
        (("restrictions", restrictions),) if restrictions else ()
    )


def relation_hits(parsed: ParsedField, field: str, tag: str, case_of: CaseOf) -> Iterator[Hit]:
    """Unparsable entries and accelerator packages of one parsed field: the
    one judgement that builds and archive scans share."""
    for raw in parsed.malformed:
        yield Hit(MALFORMED_TAG, f"{raw} ({field})", None, None, details=(("subject", raw), ("field", field)))
    accelerators = default_accelerators()
    for alt in iter_alternatives(parsed):
        stack = accelerators.match(alt.name)
        if stack is not None:
            details = relation_details(alt, field) + (("stack", stack.id), ("free-alternative", stack.alternatives))
            yield Hit(tag, accelerator_context(alt, field, stack), case_of(alt, field), alt.name, stack.id, details)


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
    if area.declared is not None:
        package = stanza.get("Source") or stanza.get("Package") or ""
        context = f"{area.declared} (Section: {stanza.get('Section')})"
        details = (("subject", area.declared), ("field", "Section"), ("area", area.name))
        yield Finding(package, kind, "unknown-archive-area", context, control.path, stanza.line_of("Section"), details=details)


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
