"""The one Finding type, the tag catalog, and the severity scale.

Checks yield findings without a severity; the runner stamps it from the
catalog (and, through the case, from the situation the check recognised),
so that every severity decision lives in data/tags.desc.
"""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional

from .datafile import DATA_DIR, read_data
from .errors import DataError


class Severity(enum.IntEnum):
    """lintian's severities, ordered so that a larger value is more severe."""

    CLASSIFICATION = 0
    PEDANTIC = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def letter(self) -> str:
        return self.name[0]

    @classmethod
    def from_label(cls, label: str) -> "Severity":
        try:
            return cls[label.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {label!r}") from None


class Finding(NamedTuple):
    """One diagnostic.  ``context``'s first word is its subject: a package
    name for relation tags, a path relative to the source root for file tags."""

    package: str
    kind: str  # "source" or "binary", as lintian prints it
    tag: str
    context: str
    file: Optional[str] = None
    line: Optional[int] = None
    case: Optional[str] = None  # the catalog case that decides the severity
    severity: Optional[Severity] = None  # stamped by Catalog.stamp
    overridden: bool = False
    column: Optional[int] = None
    # What the check knows beside the readable context, as (name, value)
    # pairs: the structured members of the JSON output (see
    # schemas/modelcheck-findings-2.schema.json), e.g. ("stack", "cuda").
    details: tuple[tuple[str, object], ...] = ()

    @property
    def pointer(self) -> str:
        """FILE, FILE:LINE or FILE:LINE:COL, as far as they are known."""
        if self.file is None:
            return ""
        parts = [self.file] + [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(parts)


class TagInfo(NamedTuple):
    name: str
    severity: Severity
    check: str
    explanation: str
    see_also: tuple[str, ...]
    cases: Mapping[str, Severity]

    def severity_for(self, case: Optional[str]) -> Severity:
        if case is None:
            return self.severity
        try:
            return self.cases[case]
        except KeyError:
            raise DataError(f"tag {self.name}: no severity for case {case!r}") from None


def severity_lines(owner: str, field: str, text: str) -> dict[str, Severity]:
    """'KEY SEVERITY' lines: the Cases of a tag (tags.desc) and the
    Severities of a profile (profiles.desc)."""
    severities = {}
    for line in text.strip().splitlines():
        words = line.split()
        if len(words) != 2:
            raise DataError(f"{owner}: malformed {field} line {line.strip()!r}")
        severities[words[0]] = Severity.from_label(words[1])
    return severities


def _explanation(text: str) -> str:
    """Undo deb822 folding: ' .' lines are paragraph breaks."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join("" if line == "." else line for line in lines)


def _tag_from_stanza(stanza: Mapping[str, str]) -> TagInfo:
    name = stanza["Tag"]
    return TagInfo(
        name=name,
        severity=Severity.from_label(stanza["Severity"]),
        check=stanza["Check"],
        explanation=_explanation(stanza["Explanation"]),
        see_also=tuple(s.strip() for s in stanza.get("See-Also", "").split(",") if s.strip()),
        cases=severity_lines(f"tag {name}", "Cases", stanza.get("Cases", "")),
    )


class Catalog:
    """Every tag dh-modelcheck can emit, read from a deb822 data file."""

    def __init__(self, tags: Iterable[TagInfo]) -> None:
        self._tags = {tag.name: tag for tag in tags}

    @classmethod
    def load(cls, path: Path) -> "Catalog":
        return read_data(path, lambda stanzas: cls(_tag_from_stanza(s) for s in stanzas))

    def __contains__(self, tag: str) -> bool:
        return tag in self._tags

    def __getitem__(self, tag: str) -> TagInfo:
        try:
            return self._tags[tag]
        except KeyError:
            raise DataError(f"tag {tag!r} is not in the catalog") from None

    def names(self) -> list[str]:
        return sorted(self._tags)

    def stamp(self, finding: Finding) -> Finding:
        severity = self[finding.tag].severity_for(finding.case)
        return finding._replace(severity=severity)


@functools.lru_cache(maxsize=None)
def default_catalog() -> Catalog:
    return Catalog.load(DATA_DIR / "tags.desc")


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """Whether any finding that is not overridden reaches the --fail-on level."""
    if fail_on == "never":
        return False
    threshold = Severity.from_label(fail_on)
    return any(f.severity is not None and f.severity >= threshold and not f.overridden for f in findings)
