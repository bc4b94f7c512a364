"""The judgement of relation fields that a build and an archive scan share:
which named packages belong to a proprietary accelerator stack, which
entries dpkg would reject, and which catalog case a finding falls under.

It sits below checks/ so that the relations check and scan-archive both
apply it without one importing the other.  Its tags belong to the
relations check (tags.desc); scan-archive applies this judgement too.
"""

from __future__ import annotations

from typing import Callable, Iterator, NamedTuple, Optional

from .accelerators import Stack, default_accelerators
from .control import Area
from .relation_fields import WEAK_FIELDS, Alternative, ParsedField, iter_alternatives

BUILD_TAG = "build-depends-on-proprietary-accelerator"
BINARY_TAG = "depends-on-proprietary-accelerator"
MALFORMED_TAG = "malformed-relation"
AREA_TAG = "unknown-archive-area"

# What judging a source stanza's build relations and Section may emit.
BUILD_TAGS = (BUILD_TAG, MALFORMED_TAG, AREA_TAG)


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
    """Unparsable entries and accelerator packages of one parsed field."""
    for raw in parsed.malformed:
        yield Hit(MALFORMED_TAG, f"{raw} ({field})", None, None, details=(("subject", raw), ("field", field)))
    accelerators = default_accelerators()
    for alt in iter_alternatives(parsed):
        stack = accelerators.match(alt.name)
        if stack is not None:
            details = relation_details(alt, field) + (("stack", stack.id), ("free-alternative", stack.alternatives))
            yield Hit(tag, accelerator_context(alt, field, stack), case_of(alt, field), alt.name, stack.id, details)


def area_hit(area: Area, section: Optional[str]) -> Optional[Hit]:
    """A Section whose area prefix is none of Debian's."""
    if area.declared is None:
        return None
    return Hit(AREA_TAG, f"{area.declared} (Section: {section})", None, None,
               details=(("subject", area.declared), ("field", "Section"), ("area", area.name)))
