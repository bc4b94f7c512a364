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
        return self.context is None or _glob(self.context).fullmatch(finding.context) is not None


    def applies_on(self, architecture: Callable[[], str]) -> bool:
        """Whether the override holds when building for the architecture
        (asked only of overrides with an architecture list)."""
        return not self.architectures or _arch_table().architecture_is_concerned(architecture(), self.architectures)


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


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


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
    for finding in findings:
        hit = next((o for o in active if o.matches(finding)), None)
        if hit is not None:
            used.add(hit.line)
            finding = finding._replace(overridden=True)
        yield finding
    for override in active:
        if override.line not in used and emits(override.tag):
            yield Finding(source, "source", UNUSED_TAG, override.text, OVERRIDES, override.line)
