"""Policy profiles, read from data/profiles.desc."""

from __future__ import annotations

import functools
from typing import Iterable, Mapping, NamedTuple, Optional

from debian.deb822 import Deb822

from .errors import DataError, UsageError
from .findings import DATA_DIR, Finding, Severity
from .options import DEFAULT_PROFILE

# Areas whose admission the profiles decide; non-free admits every model.
RULED_AREAS = {"main": "Main-Admits", "contrib": "Contrib-Admits"}


class Profile(NamedTuple):
    name: str
    description: str
    admits: Mapping[str, frozenset[str]]  # area -> qualities
    severities: Mapping[tuple[str, Optional[str]], Severity]  # (tag, case)

    def admitted(self, area: str, qualities: Iterable[str]) -> bool:
        wanted = self.admits.get(area)
        return wanted is None or not wanted.isdisjoint(qualities)

    def restamp(self, finding: Finding) -> Finding:
        """The profile's severity, where it has one for the tag (and case)."""
        for key in ((finding.tag, finding.case), (finding.tag, None)):
            if key in self.severities:
                return finding._replace(severity=self.severities[key])
        return finding


def _severities(name: str, text: str) -> dict[tuple[str, Optional[str]], Severity]:
    result = {}
    for line in text.strip().splitlines():
        words = line.split()
        if len(words) != 2:
            raise DataError(f"profile {name}: malformed Severities line {line.strip()!r}")
        tag, _, case = words[0].partition("/")
        result[(tag, case or None)] = Severity.from_label(words[1])
    return result


def _profile(stanza: Mapping[str, str]) -> Profile:
    name = stanza["Profile"]
    return Profile(
        name=name,
        description=stanza["Description"],
        admits={area: frozenset(stanza[field].split()) for area, field in RULED_AREAS.items()},
        severities=_severities(name, stanza.get("Severities", "")),
    )


@functools.lru_cache(maxsize=None)
def profiles() -> dict[str, Profile]:
    path = DATA_DIR / "profiles.desc"
    try:
        with open(path, encoding="utf-8") as handle:
            return {p.name: p for p in map(_profile, Deb822.iter_paragraphs(handle, use_apt_pkg=False))}
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"{path}: {exc}") from None


def profile(name: str = DEFAULT_PROFILE) -> Profile:
    try:
        return profiles()[name]
    except KeyError:
        raise UsageError(f"unknown profile {name!r} (known: {', '.join(sorted(profiles()))})") from None
