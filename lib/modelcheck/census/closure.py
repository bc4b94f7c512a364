"""The reverse-dependency closure of sources leaving main: the binary
packages in main whose Depends or Pre-Depends could no longer be
satisfied from main, found by iterating to a fixed point (a package left
uninstallable takes the packages that need it along).

Packages in main may only need packages in main (Debian Policy 2.2.1), so
a relation is satisfiable when an alternative is met by a package still in
main: by its name and version, or by what it Provides (versioned Provides
meet versioned relations).  A relation no package of the indices met to
begin with is not the leaving sources' doing and is not counted.
Relations are parsed by apt (python3-apt), as apt reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, NamedTuple, Optional

import apt_pkg

from ..control import area_of_section
from ..errors import UnusableInput
from ..indices import iter_sections, open_index, text

FIELDS = ("Pre-Depends", "Depends")

# One alternative: (name, version, operator), version and operator empty when unversioned.
Alternative = tuple[str, str, str]


class Binary(NamedTuple):
    package: str
    version: str
    source: str
    relations: tuple[tuple[Alternative, ...], ...]  # Pre-Depends and Depends, each a list of alternatives
    provides: tuple[tuple[str, str], ...]  # (name, version or "")


class Universe(NamedTuple):
    """The binary packages of main in the indices read."""

    binaries: tuple[Binary, ...]
    unparsable: tuple[str, ...]  # "package field" whose relations apt could not parse; taken as none


def _source(stanza: apt_pkg.TagSection, package: str) -> str:
    """The Source field's name ("src" or "src (version)"), or the package's own."""
    value = text(stanza.get("Source"))
    return value.split()[0] if value else package


def _binary(stanza: apt_pkg.TagSection, unparsable: list[str]) -> Binary:
    package = text(stanza.get("Package")) or ""
    relations: list[tuple[Alternative, ...]] = []
    for field in FIELDS:
        value = text(stanza.get(field))
        if not value:
            continue
        try:
            relations.extend(tuple(group) for group in apt_pkg.parse_depends(value, True))
        except ValueError:
            unparsable.append(f"{package} {field}")
    try:
        provided = apt_pkg.parse_depends(text(stanza.get("Provides")) or "", True)
    except ValueError:
        unparsable.append(f"{package} Provides")
        provided = []
    provides = tuple((name, version) for group in provided for name, version, _ in group)
    return Binary(package, text(stanza.get("Version")) or "", _source(stanza, package), tuple(relations), provides)


def read_universe(paths: Iterable[str | Path]) -> Universe:
    """The main binary packages of Packages indices (plain or compressed)."""
    apt_pkg.init_system()
    binaries: list[Binary] = []
    unparsable: list[str] = []
    for path in paths:
        index = open_index(str(path))
        with index.handle:
            if index.damage:
                raise UnusableInput(f"{path}: {index.damage}")
            for _, stanza in iter_sections(index):
                if area_of_section(text(stanza.get("Section"))).name == "main" and stanza.get("Package"):
                    binaries.append(_binary(stanza, unparsable))
    return Universe(tuple(binaries), tuple(unparsable))


class _Providers:
    """Which binaries (by position) meet an alternative."""

    def __init__(self, binaries: tuple[Binary, ...]) -> None:
        self.binaries = binaries
        self.by_name: dict[str, list[tuple[int, Optional[str]]]] = {}
        for i, binary in enumerate(binaries):
            self.by_name.setdefault(binary.package, []).append((i, binary.version))
            for name, version in binary.provides:
                # An unversioned Provides meets only unversioned relations.
                self.by_name.setdefault(name, []).append((i, version or None))

    def meets(self, alternative: Alternative, present: set[int] | range) -> bool:
        name, version, operator = alternative
        return any(i in present and (not operator or (v is not None and apt_pkg.check_dep(v, operator, version)))
                   for i, v in self.by_name.get(name, ()))

    def satisfiable(self, relation: tuple[Alternative, ...], present: set[int] | range) -> bool:
        return any(self.meets(alternative, present) for alternative in relation)


class Closure:
    """The relations of main, read once, for the closure of several sets
    of leaving sources."""

    def __init__(self, universe: Universe) -> None:
        self.binaries = universe.binaries
        self.providers = _Providers(self.binaries)
        everything = range(len(self.binaries))
        # Relations satisfiable in the whole of main, and who needs each name.
        self.watched = [[r for r in b.relations if self.providers.satisfiable(r, everything)] for b in self.binaries]
        self.needed_by: dict[str, set[int]] = {}
        for i, relations in enumerate(self.watched):
            for name, _, _ in (alternative for relation in relations for alternative in relation):
                self.needed_by.setdefault(name, set()).add(i)

    def of(self, leaving_sources: Iterable[str]) -> tuple[list[str], list[str]]:
        """(the binary packages of the leaving sources, the other binary
        packages in main left uninstallable), both sorted."""
        sources = set(leaving_sources)
        removed = [i for i, b in enumerate(self.binaries) if b.source in sources]
        leaving = {self.binaries[i].package for i in removed}
        present = set(range(len(self.binaries))) - set(removed)
        broken: set[int] = set()
        while removed:
            suspects = {j for i in removed for name in _names(self.binaries[i]) for j in self.needed_by.get(name, ())}
            removed = [j for j in sorted(suspects & present)
                       if not all(self.providers.satisfiable(r, present) for r in self.watched[j])]
            present.difference_update(removed)
            broken.update(removed)
        return sorted(leaving), sorted({self.binaries[i].package for i in broken} - leaving)


def _names(binary: Binary) -> list[str]:
    """The names a binary answers to: its own and those it provides."""
    return [binary.package] + [name for name, _ in binary.provides]
