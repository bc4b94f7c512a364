#!/usr/bin/python3
"""Check lib/modelcheck/data/accelerators.desc against real archive indices,
with the product's own data loader, index reader and matcher.

Usage:
    verify_accelerators.py [--data lib/modelcheck/data/accelerators.desc] INDEX...

Each index file name must look like SUITE_AREA_..._Packages or
SUITE_AREA_..._Sources, plain or compressed as scan-archive reads them
(gzip, bzip2, xz, zstd).  Names collected per index: Package and Provides
from Packages; Package and Binary from Sources.

Reports:
  FAIL  a name or pattern of a stack matches a name found in main
  WARN  an exact name or pattern that matches no indexed name and is not
        listed in Outside-Debian, an Outside-Debian entry that does match an
        indexed name, a real name claimed by two stacks
  per stack, the number of distinct real names matched, by area

Exit status: 1 if any FAIL (a main match or a malformed data file),
2 if an index cannot be read or named, 0 otherwise.

tests/archive/test_verify_accelerators.py runs it on the real excerpts in
tests/archive/excerpts; run it by hand on whole indices (see README there).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "lib"))

from modelcheck.accelerators import Accelerators, Stack  # noqa: E402
from modelcheck.datafile import DATA_DIR, read_data  # noqa: E402
from modelcheck.errors import ModelcheckError  # noqa: E402
from modelcheck.indices import iter_sections, open_index  # noqa: E402
from modelcheck.relation_fields import parse_field  # noqa: E402

REQUIRED_FIELDS = ("Stack", "Name", "Vendor", "Packages", "Alternatives")
OPTIONAL_FIELDS = ("Patterns", "Outside-Debian", "Aliases")
INDEX_RE = re.compile(r"^(?P<suite>[a-z0-9-]+)_(?P<area>main|contrib|non-free(?:-firmware)?)_.*(?P<kind>Packages|Sources)")
MAIN = "main"

# area -> name -> set of "suite:origin" strings
Catalogue = dict[str, dict[str, set[str]]]


class IndexFile(NamedTuple):
    path: str
    suite: str
    area: str
    kind: str  # "Packages" or "Sources"


class Checked(NamedTuple):
    """A stack of the data, with one product matcher per entry so that the
    report can say which entry matched."""

    stack: Stack
    outside: frozenset[str]
    matcher: Accelerators

    def entries(self) -> list[str]:
        return sorted(self.stack.packages) + list(self.stack.patterns)

    def matchers(self, name: str) -> list[str]:
        return [entry for entry in self.entries() if entry_matcher(self.stack, entry).match(name)]


def entry_matcher(stack: Stack, entry: str) -> Accelerators:
    """The product's matcher for one Packages or Patterns entry."""
    if entry in stack.packages:
        return Accelerators([stack._replace(packages=frozenset([entry]), patterns=())])
    return Accelerators([stack._replace(packages=frozenset(), patterns=(entry,))])


def parse_index_name(path: str) -> IndexFile:
    match = INDEX_RE.match(os.path.basename(path))
    if not match:
        raise ValueError(f"cannot infer suite/area/kind from {path!r}")
    return IndexFile(path, match["suite"], match["area"], match["kind"])


def relation_names(value: str, field: str) -> list[str]:
    """The package names of a Provides or Binary list, as python-debian reads them."""
    return [alt.name for relation in parse_field(value, field).relations for alt in relation.alternatives]


def read_index(index: IndexFile, catalogue: Catalogue) -> None:
    names = catalogue.setdefault(index.area, {})
    opened = open_index(index.path)
    if opened.damage:
        raise ValueError(f"{index.path}: {opened.damage}")
    with opened.handle:
        for _, section in iter_sections(opened):
            def text(field: str) -> str:
                return (section.get(field) or b"").decode("utf-8", "replace")

            found = [(text("Package"), "binary" if index.kind == "Packages" else "source")]
            if index.kind == "Packages":
                provides = text("Provides")
                found += [(n, "provides") for n in relation_names(provides, "Provides")] if provides else []
            else:
                found += [(n.strip(), "source-binary") for n in text("Binary").replace("\n", " ").split(",") if n.strip()]
            for name, origin in found:
                names.setdefault(name, set()).add(f"{index.suite}:{origin}")


def lint_data_text(path: Path) -> list[str]:
    """Comments are allowed only at the top or between stanzas."""
    errors = []
    in_stanza = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            in_stanza = False
        elif line.startswith("#"):
            if in_stanza:
                errors.append(f"{path}:{number}: comment inside a stanza")
        else:
            in_stanza = True
    return errors


def stanza_errors(stanza: dict[str, str]) -> list[str]:
    ident = stanza.get("Stack", "?")
    errors = [f"stack {ident}: missing field {f}" for f in REQUIRED_FIELDS if not stanza.get(f, "").strip()]
    errors += [f"stack {ident}: unknown field {f}" for f in stanza if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    stray = set(stanza.get("Outside-Debian", "").split()) - set(stanza.get("Packages", "").split())
    stray -= set(stanza.get("Patterns", "").split())
    errors += [f"stack {ident}: Outside-Debian entry {n} is in neither Packages nor Patterns" for n in sorted(stray)]
    return errors


def load_stacks(path: Path) -> tuple[list[Checked], list[str]]:
    """The stacks as the product loads them, plus the verifier's own facts
    (Outside-Debian) and the data file's faults."""
    stanzas = read_data(path, lambda found: [dict(s) for s in found])
    errors = lint_data_text(path) + [e for s in stanzas for e in stanza_errors(s)]
    stacks = Accelerators.load(path).stacks
    outside = {s.get("Stack"): frozenset(s.get("Outside-Debian", "").split()) for s in stanzas}
    seen = [s.id for s in stacks]
    errors += [f"duplicate stack {i}" for i in sorted(set(seen)) if seen.count(i) > 1]
    return [Checked(s, outside.get(s.id, frozenset()), Accelerators([s])) for s in stacks], errors


def main_failures(stacks: Iterable[Checked], catalogue: Catalogue) -> list[str]:
    failures = []
    for name, origins in sorted(catalogue.get(MAIN, {}).items()):
        for checked in stacks:
            if checked.matcher.match(name):
                by = ", ".join(checked.matchers(name))
                failures.append(f"FAIL: {checked.stack.id}: {by} matches main name {name} ({', '.join(sorted(origins))})")
    return failures


def presence_warning(checked: Checked, entry: str, found: bool) -> list[str]:
    """An entry should match an indexed name unless marked Outside-Debian,
    and must not when it is."""
    what = entry if entry in checked.stack.packages else f"pattern {entry}"
    if not found and entry not in checked.outside:
        return [f"WARN: {checked.stack.id}: {what} matches no indexed name and is not marked Outside-Debian"]
    if found and entry in checked.outside:
        return [f"WARN: {checked.stack.id}: {what} is marked Outside-Debian but matches indexed names"]
    return []


def entry_warnings(checked: Checked, every: set[str]) -> list[str]:
    warnings = []
    for entry in checked.entries():
        matcher = entry_matcher(checked.stack, entry)
        warnings += presence_warning(checked, entry, any(matcher.match(name) for name in every))
    return warnings


def overlap_warnings(matches: dict[str, dict[str, set[str]]]) -> list[str]:
    owners: dict[str, list[str]] = defaultdict(list)
    for ident, by_area in matches.items():
        for name in set().union(*by_area.values()):
            owners[name].append(ident)
    return [f"WARN: {name} is matched by several stacks: {', '.join(ids)}"
            for name, ids in sorted(owners.items()) if len(ids) > 1]


def summary_line(stack: Stack, by_area: dict[str, set[str]]) -> str:
    areas = " ".join(f"{a}={len(by_area[a])}" for a in sorted(by_area))
    return f"{stack.id:14} names={len(stack.packages):3} patterns={len(stack.patterns):3}  matched: {areas}"


def report(stacks: list[Checked], catalogue: Catalogue, errors: list[str]) -> tuple[int, list[str]]:
    every = set().union(*catalogue.values()) if catalogue else set()
    matches = {c.stack.id: {area: {n for n in names if c.matcher.match(n)} for area, names in catalogue.items()}
               for c in stacks}
    failures = [f"FAIL: {e}" for e in errors] + main_failures(stacks, catalogue)
    warnings = [w for c in stacks for w in entry_warnings(c, every)] + overlap_warnings(matches)
    lines = failures + warnings + [summary_line(c.stack, matches[c.stack.id]) for c in stacks]
    lines.append(f"{len(failures)} failure(s), {len(warnings)} warning(s)")
    return (1 if failures else 0), lines


def main(argv: list[str], data: Optional[Path] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=data or DATA_DIR / "accelerators.desc",
                        help="accelerators.desc data file")
    parser.add_argument("indices", nargs="+", help="SUITE_AREA_..._Packages|Sources index files")
    args = parser.parse_args(argv)
    catalogue: Catalogue = {}
    try:
        for path in args.indices:
            read_index(parse_index_name(path), catalogue)
    except (ValueError, ModelcheckError) as error:
        print(f"verify_accelerators: {error}", file=sys.stderr)
        return 2
    stacks, errors = load_stacks(args.data)
    status, lines = report(stacks, catalogue, errors)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
