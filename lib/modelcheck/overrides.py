"""debian/source/modelcheck-overrides, in lintian's override syntax.

lintian rejects overrides for tags it does not know, so dh-modelcheck reads
its own file.  Each line is

    [PACKAGE [ARCHITECTURES] [TYPE]: ]TAG [CONTEXT]

where CONTEXT may use '*' wildcards and must match the whole context.  An
unprefixed override applies to every package of the source.  ARCHITECTURES,
as lintian reads them, limit an override to the architectures built for:
dpkg's architecture names and wildcards, all negated ([!amd64 !i386]) or
none.  The architecture is DEB_HOST_ARCH, which dpkg-buildpackage sets
during a build, or else the machine's own (dpkg --print-architecture).  The comment
lines directly above an override (no blank line between) justify it; a
group of overrides may share one comment.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Optional

from .control import read_text
from .findings import Catalog, Finding
from .wildcards import compile_wildcard

OVERRIDES = "debian/source/modelcheck-overrides"
MALFORMED_TAG = "malformed-override"
UNJUSTIFIED_TAG = "unjustified-override"
UNUSED_TAG = "unused-override"
# The tags the override file's own findings may carry (tags.desc: Check: overrides).
TAGS = (MALFORMED_TAG, UNJUSTIFIED_TAG, UNUSED_TAG)
MAX_OVERRIDES_BYTES = 1024 * 1024

# lintian's own override grammar (lintian has no library to parse it).
_LINE = re.compile(
    r"^(?:(?P<package>[a-z0-9][a-z0-9+.-]+)?"
    r"(?:\s*\[(?P<arches>[^\]]*)\])?"
    r"(?:\s*(?P<kind>source|binary|udeb))?\s*:\s+)?"
    r"(?P<tag>[a-z0-9][a-z0-9+.-]*)(?:\s+(?P<context>.*?))?\s*$"
)


class Override(NamedTuple):
    tag: str
    package: Optional[str]
    kind: Optional[str]
    context: Optional[str]
    line: int
    text: str
    architectures: tuple[str, ...] = ()  # none: every architecture

    def matches(self, finding: Finding) -> bool:
        if finding.tag != self.tag:
            return False
        if self.package is not None and finding.package != self.package:
            return False
        if self.kind is not None and finding.kind != ("binary" if self.kind == "udeb" else self.kind):
            return False
        return self.context is None or _wildcard(self.context).matches(finding.context)

    def applies_on(self, architecture: Callable[[], str]) -> bool:
        """Whether the override holds when building for the architecture
        (asked only of overrides with an architecture list)."""
        if not self.architectures:
            return True
        # dpkg's rule, by the table's public matcher (which answers "no" for
        # a name it does not know rather than raising): a plain list holds
        # when one name matches, a negated list when none does.
        host, table = architecture(), _arch_table()
        hits = (table.matches_architecture(host, name.lstrip("!")) for name in self.architectures)
        return not any(hits) if self.architectures[0].startswith("!") else any(hits)


@functools.lru_cache(maxsize=None)
def _arch_table():  # type: ignore[no-untyped-def]
    from debian.debian_support import DpkgArchTable  # only overrides with architectures need it

    return DpkgArchTable.load_arch_table()


@functools.lru_cache(maxsize=None)
def host_architecture() -> str:
    """The architecture being built for: DEB_HOST_ARCH during a build,
    the machine's own otherwise."""
    if os.environ.get("DEB_HOST_ARCH"):
        return os.environ["DEB_HOST_ARCH"]
    result = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def _architectures(text: Optional[str]) -> Optional[tuple[str, ...]]:
    """The architecture list, or None when it mixes negated and plain names
    (dpkg refuses such lists in relations too)."""
    names = tuple((text or "").split())
    negated = {name.startswith("!") for name in names}
    return None if len(negated) > 1 else names


# The same contexts come back for every finding: compile each once.
_wildcard = functools.lru_cache(maxsize=4096)(compile_wildcard)


class OverrideFile(NamedTuple):
    overrides: tuple[Override, ...]
    problems: tuple[Finding, ...]  # malformed and unjustified entries


def parse_overrides(text: str, source: str, catalog: Catalog) -> OverrideFile:
    overrides: list[Override] = []
    problems: list[Finding] = []
    commented = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            commented = False
            continue
        if line.startswith("#"):
            commented = True
            continue
        match = _LINE.match(line)
        architectures = _architectures(match["arches"]) if match else None
        if match is None or match["tag"] not in catalog or architectures is None:
            problems.append(Finding(source, "source", MALFORMED_TAG, line, OVERRIDES, number))
            continue
        override = Override(match["tag"], match["package"], match["kind"], match["context"], number, line, architectures)
        if not commented:
            problems.append(Finding(source, "source", UNJUSTIFIED_TAG, line, OVERRIDES, number))
        overrides.append(override)
    return OverrideFile(tuple(overrides), tuple(problems))


def load_overrides(root: Path, source: str, catalog: Catalog) -> OverrideFile:
    path = root / OVERRIDES
    if not path.exists() and not path.is_symlink():
        return OverrideFile((), ())
    return parse_overrides(read_text(path, OVERRIDES, MAX_OVERRIDES_BYTES, root), source, catalog)


class _Index:
    """Overrides looked up by what a finding's context must contain, so that
    thousands of them cost each finding only the few that could match it:
    by tag, then an exact context by its text, a context with '*' by its
    text before the first star and after the last, and one that starts and
    ends with '*' by its longest piece.  A finding's context is cut at the
    lengths that occur, never compared with each override, so the time is
    linear in the overrides and the findings (and at most quadratic in the
    length of one context).  The first match in file order wins."""

    def __init__(self, overrides: Iterable[Override]) -> None:
        self.any_context: dict[str, list[Override]] = {}
        self.exact: dict[tuple[str, str], list[Override]] = {}
        # tag -> first piece -> last piece -> overrides
        self.anchored: dict[str, dict[str, dict[str, list[Override]]]] = {}
        self.floating: dict[str, dict[str, list[Override]]] = {}  # tag -> a piece -> overrides
        for o in overrides:
            if o.context is None:
                self.any_context.setdefault(o.tag, []).append(o)
            elif "*" not in o.context:
                self.exact.setdefault((o.tag, o.context), []).append(o)
            else:
                first, _, rest = o.context.partition("*")
                last = rest.rpartition("*")[2]
                if first or last:
                    self.anchored.setdefault(o.tag, {}).setdefault(first, {}).setdefault(last, []).append(o)
                else:  # '*a*b*': keyed by its longest piece, which the context must contain
                    longest = max(o.context.split("*"), key=len)
                    self.floating.setdefault(o.tag, {}).setdefault(longest, []).append(o)
        # The lengths of the pieces that occur: a finding's context is cut
        # at each, never compared with each piece.
        self.first_lengths = {tag: sorted({len(f) for f in firsts}) for tag, firsts in self.anchored.items()}
        self.last_lengths = {(tag, first): sorted({len(t) for t in lasts})
                             for tag, firsts in self.anchored.items() for first, lasts in firsts.items()}
        self.piece_lengths = {tag: sorted({len(p) for p in pieces}) for tag, pieces in self.floating.items()}

    def _candidates(self, finding: Finding) -> Iterator[Override]:
        yield from self.any_context.get(finding.tag, ())
        context = finding.context
        yield from self.exact.get((finding.tag, context), ())
        by_first = self.anchored.get(finding.tag, {})
        for n in self.first_lengths.get(finding.tag, ()):
            first = context[:n]
            if n > len(context) or first not in by_first:
                continue
            for m in self.last_lengths[(finding.tag, first)]:
                if n + m <= len(context):
                    yield from by_first[first].get(context[len(context) - m:], ())
        by_piece = self.floating.get(finding.tag, {})
        for n in self.piece_lengths.get(finding.tag, ()):
            for piece in {context[i:i + n] for i in range(len(context) - n + 1)}:
                yield from by_piece.get(piece, ())

    def first_match(self, finding: Finding) -> Optional[Override]:
        return min((o for o in self._candidates(finding) if o.matches(finding)), key=lambda o: o.line, default=None)


def apply_overrides(
    findings: Iterable[Finding], file: OverrideFile, source: str, emits: Callable[[str], bool] = lambda tag: True,
    architecture: Callable[[], str] = host_architecture,
) -> Iterator[Finding]:
    """Mark overridden findings, then report overrides that matched nothing.
    An override of a tag this run cannot emit (emits(tag) is false), or for
    other architectures, is another run's business: it is not reported
    unused here."""
    used: set[int] = set()
    active = [o for o in file.overrides if o.applies_on(architecture)]
    index = _Index(active)
    for finding in findings:
        hit = index.first_match(finding)
        if hit is not None:
            used.add(hit.line)
            finding = finding._replace(overridden=True)
        yield finding
    for override in active:
        if override.line not in used and emits(override.tag):
            yield Finding(source, "source", UNUSED_TAG, override.text, OVERRIDES, override.line)
