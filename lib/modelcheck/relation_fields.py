"""Relationship fields as dpkg reads them.

python3-debian's PkgRelation gives the structure: relations, alternatives,
architecture qualifiers and lists, build profiles.  Whether dpkg would
reject an entry is decided from the data PkgRelation returns, checked
against the grammar of dpkg's own parser (Dpkg::Deps, deb-control(5)):

- an entry PkgRelation cannot parse comes back whole as its "name", so a
  name that is not a package name marks it;
- PkgRelation takes some text dpkg refuses: a relation operator other
  than <<, <=, =, >=, >> and the obsolete < and >; an architecture that is
  not [a-zA-Z0-9][a-zA-Z0-9-]*, and :native outside build relations;
- dpkg ignores empty entries (a trailing comma, an empty line, a trailing
  "|"), but an empty alternative before another one ("| b") is an error.

Substitution variables.  dpkg-gencontrol replaces every ${...} in the
relations of a binary package before it parses them, so there a variable
may stand anywhere: for whole relations (${misc:Depends}), in a version
(= ${binary:Version}), inside a name (libfoo${abi}-dev).  Build relations
are parsed as written (dpkg-source, dpkg-checkbuilddeps): dpkg takes any
text without blanks or ")" for a version, and does not check profile
names, so a variable is accepted there and nowhere else.  Each variable is parsed as a placeholder word and put
back afterwards.  A relation made only of variables is not listed, since
nothing is known of it before expansion; a name that contains one keeps
it, and Accelerators.match reads the variable as a wildcard, so that a
variable never hides an accelerator.

Where PkgRelation is stricter than Dpkg::Deps, the entry is reported: a
version with characters no Debian version has ("(>= 1_0)", and "(>= )",
which Dpkg::Deps reads as "> ="; dpkg-deb and dpkg refuse such versions
later), an empty architecture list "[ ]" (PkgRelation fails on it).  Text
between "<" and ">" is taken as PkgRelation reads it.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterator, NamedTuple, Optional

# Where debhelper and dpkg read build-time relations (Policy 7.7).
BUILD_FIELDS = ("Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep")
# Binary relations that pull a package in on installation, then the weak ones.
STRONG_FIELDS = ("Pre-Depends", "Depends", "Recommends")
WEAK_FIELDS = ("Suggests", "Enhances")

# What Dpkg::Substvars substitutes, and what Dpkg::Deps accepts.
SUBSTVAR = re.compile(r"\$\{[-:0-9a-zA-Z]+\}")
PACKAGE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9+.-]*")
ARCHITECTURE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9-]*")
OPERATORS = frozenset(("<<", "<=", "=", ">=", ">>", "<", ">"))

# PkgRelation logs each entry it returns raw; this module reports them as
# data, so the log records only need somewhere to go other than stderr.
logging.getLogger("debian.deb822").addHandler(logging.NullHandler())


def _relations() -> Any:
    """python-debian's PkgRelation, imported when a field is first parsed:
    scan-archive parses only the few stanzas its prefilter admits."""
    from debian.deb822 import PkgRelation

    return PkgRelation


class Alternative(NamedTuple):
    name: str  # may contain substitution variables: libfoo${abi}-dev
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
    malformed: tuple[str, ...]  # entries dpkg would reject, as written


class _Placeholders:
    """The substitution variables of one field, swapped for words that
    PkgRelation reads as part of a name, a version or an architecture."""

    def __init__(self, value: str) -> None:
        self.variables: list[str] = []
        self.text, self.mark = value, ""
        if "${" not in value:
            return  # most fields: nothing to swap
        mark = "substvar"
        while mark in value:
            mark += "x"
        self.mark = mark
        self.text = SUBSTVAR.sub(self._swap, value)
        self._word = re.compile(f"{mark}([0-9]+){mark}")

    def _swap(self, match: re.Match) -> str:
        self.variables.append(match.group())
        return f"{self.mark}{len(self.variables) - 1}{self.mark}"

    def inside(self, text: Optional[str]) -> bool:
        return bool(self.variables) and text is not None and self.mark in text

    def restore(self, text: str) -> str:
        if not self.variables:
            return text
        return self._word.sub(lambda m: self.variables[int(m.group(1))], text)

    def restore_all(self, alt: "Alternative") -> "Alternative":
        return alt._replace(
            name=self.restore(alt.name),
            archqual=alt.archqual and self.restore(alt.archqual),
            arches=tuple((on, self.restore(arch)) for on, arch in alt.arches),
            profiles=tuple(tuple((on, self.restore(p)) for on, p in group) for group in alt.profiles),
        )


def _rejected(parsed: dict, build: bool, words: _Placeholders) -> bool:
    """Whether dpkg refuses an entry PkgRelation parsed."""
    name, archqual, version, arches = parsed["name"], parsed["archqual"], parsed["version"], parsed["arch"]
    if not PACKAGE_NAME.fullmatch(name):
        return True  # returned raw
    if version is not None and version[0] not in OPERATORS:
        return True
    if archqual == "native" and not build:
        return True
    if arches and any(not ARCHITECTURE.fullmatch(a.arch) for a in arches):
        return True
    # Build relations are not expanded: a variable is only a version there.
    return build and bool(words.variables) and any(
        words.inside(t) for t in [name, archqual, *(a.arch for a in arches or ())]
    )


def _alternative(parsed: dict, position: int, words: _Placeholders) -> Alternative:
    alt = Alternative(
        name=parsed["name"],
        position=position,
        archqual=parsed["archqual"],
        arches=tuple((r.enabled, r.arch) for r in parsed["arch"] or ()),
        profiles=tuple(tuple((r.enabled, r.profile) for r in group) for group in parsed["restrictions"] or ()),
    )
    return words.restore_all(alt) if words.variables else alt


def _parse(text: str) -> list[list[dict]]:
    """PkgRelation's reading of a field."""
    try:
        return _relations().parse_relations(text)
    except IndexError:
        pass  # on an empty architecture list, "[ ]"
    # The same split PkgRelation makes, one alternative at a time; the one
    # it fails on comes back raw, as PkgRelation returns what it cannot parse.
    result: list[list[dict]] = []
    for entry in re.split(r"\s*,\s*", text.strip()):
        result.append([])
        for piece in re.split(r"\s*\|\s*", entry):
            try:
                result[-1].append(_relations().parse_relations(piece)[0][0])
            except IndexError:
                result[-1].append({"name": piece, **dict.fromkeys(("archqual", "version", "arch", "restrictions"))})
    return result


def _written(parsed: dict) -> str:
    """An alternative as written, on one line: raw text comes back as the name."""
    text = _relations().str([[parsed]]) if PACKAGE_NAME.fullmatch(parsed["name"]) else parsed["name"]
    return " ".join(text.split())


def parse_field(value: str, field: str) -> ParsedField:
    """The relations of ``field`` (its name decides whether dpkg expands
    substitution variables first) and the entries dpkg would reject."""
    build = field in BUILD_FIELDS
    words = _Placeholders(value)
    relations, malformed = [], []
    for group in _parse(words.text):
        # dpkg drops the empty alternatives at the end of a relation only.
        while group and group[-1]["name"] == "":
            group.pop()
        if "" in [p["name"] for p in group]:
            malformed.append(words.restore(" ".join(" | ".join(_written(p) for p in group).split())))
            continue
        kept = []
        for position, parsed in enumerate(group):
            if _rejected(parsed, build, words):
                malformed.append(words.restore(_written(parsed)))
            elif not words.variables or SUBSTVAR.sub("", words.restore(parsed["name"])):
                # A relation made only of variables is not known yet.
                kept.append(_alternative(parsed, position, words))
        if kept:
            relations.append(Relation(tuple(kept)))
    return ParsedField(tuple(relations), tuple(malformed))


def iter_alternatives(field: ParsedField) -> Iterator[Alternative]:
    for relation in field.relations:
        yield from relation.alternatives
