#!/usr/bin/python3
"""Check lib/modelcheck/data/accelerators.desc against real archive indices.

Usage:
    verify_accelerators.py --data lib/modelcheck/data/accelerators.desc \
        /tmp/arch/trixie_main_binary-amd64_Packages ...

Each index file name must look like SUITE_AREA_..._Packages or
SUITE_AREA_..._Sources, optionally compressed (.gz, .xz, .lz4, .bz2, .zst;
apt_pkg.TagFile decompresses by extension).  Names collected per index:
Package and Provides from Packages; Package and Binary from Sources.

Reports:
  FAIL  a name or pattern of a stack matches a name found in main
  WARN  an exact name or pattern that matches no indexed name and is not
        listed in Outside-Debian, an Outside-Debian entry that does match an
        indexed name, a real name claimed by two stacks
  per stack, the number of distinct real names matched, by area

Exit status: 1 if any FAIL (a main match or a malformed data file),
2 if an index cannot be read or named, 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatchcase, translate
from typing import Iterable, Iterator

import apt_pkg
from debian import deb822

REQUIRED_FIELDS = ("Stack", "Name", "Vendor", "Packages", "Alternatives")
OPTIONAL_FIELDS = ("Patterns", "Outside-Debian", "Aliases")
INDEX_RE = re.compile(
    r"^(?P<suite>[a-z0-9-]+)_(?P<area>main|contrib|non-free(?:-firmware)?)_"
    r".*(?P<kind>Packages|Sources)(?:\.(?:gz|xz|lz4|bz2|zst))?$")
MAIN = "main"

# area -> name -> set of "suite:origin" strings
Catalogue = dict[str, dict[str, set[str]]]


@dataclass(frozen=True)
class IndexFile:
    path: str
    suite: str
    area: str
    kind: str  # "Packages" or "Sources"


@dataclass
class Stack:
    ident: str
    packages: list[str]
    patterns: list[str]
    outside: list[str]
    exact: frozenset[str] = field(init=False)
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.exact = frozenset(self.packages)
        parts = [translate(p) for p in self.patterns] or ["(?!)"]
        self.regex = re.compile("|".join(f"(?:{p})" for p in parts))

    def matches(self, name: str) -> bool:
        return name in self.exact or bool(self.regex.match(name))

    def matchers(self, name: str) -> list[str]:
        """Which exact names or patterns of this stack match NAME."""
        hits = [name] if name in self.exact else []
        return hits + [p for p in self.patterns if fnmatchcase(name, p)]


def parse_index_name(path: str) -> IndexFile:
    match = INDEX_RE.match(os.path.basename(path))
    if not match:
        raise ValueError(f"cannot infer suite/area/kind from {path!r}")
    return IndexFile(path, match["suite"], match["area"], match["kind"])


def split_names(value: str) -> list[str]:
    return [n.strip() for n in value.replace("\n", " ").split(",") if n.strip()]


def provided_names(value: str) -> list[str]:
    return [alt[0] for group in apt_pkg.parse_depends(value) for alt in group]


def names_in_stanza(section: apt_pkg.TagSection,
                    kind: str) -> Iterator[tuple[str, str]]:
    yield section["Package"], "binary" if kind == "Packages" else "source"
    if kind == "Packages":
        for name in provided_names(section.get("Provides", "")):
            yield name, "provides"
    else:
        for name in split_names(section.get("Binary", "")):
            yield name, "source-binary"


def read_index(index: IndexFile, catalogue: Catalogue) -> None:
    names = catalogue.setdefault(index.area, {})
    with apt_pkg.TagFile(index.path) as tagfile:
        for section in tagfile:
            for name, origin in names_in_stanza(section, index.kind):
                names.setdefault(name, set()).add(f"{index.suite}:{origin}")


def lint_data_text(path: str) -> list[str]:
    """Comments are allowed only at the top or between stanzas."""
    errors = []
    in_stanza = False
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                in_stanza = False
            elif line.startswith("#"):
                if in_stanza:
                    errors.append(f"{path}:{number}: comment inside a stanza")
            else:
                in_stanza = True
    return errors


def field_lines(stanza: deb822.Deb822, name: str) -> list[str]:
    return [w for w in stanza.get(name, "").split() if w]


def stanza_errors(stanza: deb822.Deb822) -> list[str]:
    ident = stanza.get("Stack", "?")
    errors = [f"stack {ident}: missing field {f}"
              for f in REQUIRED_FIELDS if not stanza.get(f, "").strip()]
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    errors += [f"stack {ident}: unknown field {f}"
               for f in stanza if f not in known]
    stray = set(field_lines(stanza, "Outside-Debian"))
    stray -= set(field_lines(stanza, "Packages"))
    stray -= set(field_lines(stanza, "Patterns"))
    errors += [f"stack {ident}: Outside-Debian entry {n} is in neither "
               "Packages nor Patterns" for n in sorted(stray)]
    return errors


def load_stacks(path: str) -> tuple[list[Stack], list[str]]:
    errors = lint_data_text(path)
    stacks = []
    with open(path, encoding="utf-8") as handle:
        for stanza in deb822.Deb822.iter_paragraphs(handle):
            errors += stanza_errors(stanza)
            stacks.append(Stack(stanza.get("Stack", "?"),
                                field_lines(stanza, "Packages"),
                                field_lines(stanza, "Patterns"),
                                field_lines(stanza, "Outside-Debian")))
    seen = [s.ident for s in stacks]
    errors += [f"duplicate stack {i}" for i in sorted(set(seen))
               if seen.count(i) > 1]
    return stacks, errors


def main_failures(stacks: Iterable[Stack], catalogue: Catalogue) -> list[str]:
    failures = []
    for name, origins in sorted(catalogue.get(MAIN, {}).items()):
        for stack in stacks:
            if stack.matches(name):
                by = ", ".join(stack.matchers(name))
                where = ", ".join(sorted(origins))
                failures.append(f"FAIL: {stack.ident}: {by} matches main "
                                f"name {name} ({where})")
    return failures


def known_anywhere(name: str, catalogue: Catalogue) -> bool:
    return any(name in names for names in catalogue.values())


def presence_warning(stack: Stack, entry: str, what: str, found: bool) -> list[str]:
    """An entry should match an indexed name unless marked Outside-Debian,
    and must not when it is."""
    if not found and entry not in stack.outside:
        return [f"WARN: {stack.ident}: {what} matches no indexed name and is not marked Outside-Debian"]
    if found and entry in stack.outside:
        return [f"WARN: {stack.ident}: {what} is marked Outside-Debian but matches indexed names"]
    return []


def name_warnings(stack: Stack, catalogue: Catalogue) -> list[str]:
    return [w for name in stack.packages
            for w in presence_warning(stack, name, name, known_anywhere(name, catalogue))]


def pattern_warnings(stack: Stack, every: set[str]) -> list[str]:
    warnings = []
    for pattern in stack.patterns:
        regex = re.compile(translate(pattern))
        found = any(regex.match(name) for name in every)
        warnings += presence_warning(stack, pattern, f"pattern {pattern}", found)
    return warnings


# stack id -> area -> names of that area matched by the stack
Matches = dict[str, dict[str, set[str]]]


def matched_names(stack: Stack, catalogue: Catalogue) -> dict[str, set[str]]:
    return {area: {n for n in names if stack.matches(n)}
            for area, names in catalogue.items()}


def overlap_warnings(matches: Matches) -> list[str]:
    owners: dict[str, list[str]] = defaultdict(list)
    for ident, by_area in matches.items():
        for name in set().union(*by_area.values()):
            owners[name].append(ident)
    return [f"WARN: {name} is matched by several stacks: {', '.join(ids)}"
            for name, ids in sorted(owners.items()) if len(ids) > 1]


def summary_line(stack: Stack, by_area: dict[str, set[str]]) -> str:
    counts = {area: len(names) for area, names in by_area.items()}
    areas = " ".join(f"{a}={counts[a]}" for a in sorted(counts))
    return (f"{stack.ident:14} names={len(stack.packages):3} "
            f"patterns={len(stack.patterns):3}  matched: {areas}")


def build_catalogue(paths: Iterable[str]) -> Catalogue:
    catalogue: Catalogue = {}
    for path in paths:
        read_index(parse_index_name(path), catalogue)
    return catalogue


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True,
                        help="accelerators.desc data file")
    parser.add_argument("indices", nargs="+",
                        help="SUITE_AREA_..._Packages|Sources index files")
    return parser.parse_args(argv)


def report(stacks: list[Stack], catalogue: Catalogue,
           errors: list[str]) -> int:
    every = set().union(*catalogue.values()) if catalogue else set()
    matches = {s.ident: matched_names(s, catalogue) for s in stacks}
    failures = [f"FAIL: {e}" for e in errors]
    failures += main_failures(stacks, catalogue)
    warnings = [w for s in stacks for w in name_warnings(s, catalogue)]
    warnings += [w for s in stacks for w in pattern_warnings(s, every)]
    warnings += overlap_warnings(matches)
    for line in failures + warnings:
        print(line)
    for stack in stacks:
        print(summary_line(stack, matches[stack.ident]))
    print(f"{len(failures)} failure(s), {len(warnings)} warning(s)")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    apt_pkg.init_system()
    try:
        catalogue = build_catalogue(args.indices)
    except (ValueError, SystemError, OSError) as error:
        print(f"verify_accelerators: {error}", file=sys.stderr)
        return 2
    stacks, errors = load_stacks(args.data)
    return report(stacks, catalogue, errors)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
