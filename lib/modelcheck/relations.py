"""Relationship fields, parsed with python3-debian's PkgRelation.

PkgRelation does not evaluate build profiles and reports what it cannot
parse only through a log warning; this module turns both into data.
"""

from __future__ import annotations

import logging
from typing import Iterator, NamedTuple, Optional

from debian.deb822 import PkgRelation

# Where debhelper and dpkg read build-time relations (Policy 7.7).
BUILD_FIELDS = ("Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep")
# Binary relations that pull a package in on installation, then the weak ones.
STRONG_FIELDS = ("Pre-Depends", "Depends", "Recommends")
WEAK_FIELDS = ("Suggests", "Enhances")


class Alternative(NamedTuple):
    name: str
    position: int  # 0 for the first alternative, the one buildds install
    archqual: Optional[str]
    # (enabled, architecture): "[amd64 !arm64]" is ((True, "amd64"), (False, "arm64"))
    arches: tuple[tuple[bool, str], ...]
    # A formula: the relation holds when any group holds, and a group holds
    # when all its terms hold.  (enabled, profile): "<!nocheck>" is (False, "nocheck").
    profiles: tuple[tuple[tuple[bool, str], ...], ...]

    @property
    def active_by_default(self) -> bool:
        """Whether the relation applies with no build profile enabled: a
        negated term such as <!nocheck> holds then, a positive one does not."""
        if not self.profiles:
            return True
        return any(all(not enabled for enabled, _ in group) for group in self.profiles)

    def restriction_text(self) -> str:
        """The arch list and profile formula, as written in debian/control."""
        parts = []
        if self.arches:
            parts.append("[" + " ".join(("" if on else "!") + a for on, a in self.arches) + "]")
        for group in self.profiles:
            parts.append("<" + " ".join(("" if on else "!") + p for on, p in group) + ">")
        return " ".join(parts)


class Relation(NamedTuple):
    """One comma-separated entry: alternatives separated by '|'."""

    alternatives: tuple[Alternative, ...]


class ParsedField(NamedTuple):
    relations: tuple[Relation, ...]
    malformed: tuple[str, ...]  # entries PkgRelation could not parse


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.raw: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args:
            self.raw.append(str(record.args[0]))


_LOGGER = logging.getLogger("debian.deb822")


def _is_substvar(raw: str) -> bool:
    # ${shlibs:Depends} and friends are resolved by dpkg-gencontrol later.
    return raw.startswith("${") and raw.endswith("}")


def _alternative(parsed: dict, position: int) -> Alternative:
    return Alternative(
        name=parsed["name"],
        position=position,
        archqual=parsed["archqual"],
        arches=tuple((r.enabled, r.arch) for r in parsed["arch"] or ()),
        profiles=tuple(tuple((r.enabled, r.profile) for r in group) for group in parsed["restrictions"] or ()),
    )


def parse_field(value: str) -> ParsedField:
    collector = _Collector()
    propagate = _LOGGER.propagate
    _LOGGER.addHandler(collector)
    _LOGGER.propagate = False
    try:
        parsed = PkgRelation.parse_relations(value)
    finally:
        _LOGGER.removeHandler(collector)
        _LOGGER.propagate = propagate
    # An entry PkgRelation returned raw is not a package name; dpkg ignores
    # empty entries (a trailing comma), and substvars are not resolved yet.
    raw = set(collector.raw)
    relations = []
    for alternatives in parsed:
        kept = tuple(_alternative(a, i) for i, a in enumerate(alternatives) if a["name"] not in raw)
        if kept:
            relations.append(Relation(kept))
    malformed = tuple(r.strip() for r in collector.raw if r.strip() and not _is_substvar(r.strip()))
    return ParsedField(tuple(relations), malformed)


def iter_alternatives(field: ParsedField) -> Iterator[Alternative]:
    for relation in field.relations:
        yield from relation.alternatives
