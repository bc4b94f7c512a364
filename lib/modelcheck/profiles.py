"""Policy profiles, read from data/profiles.desc."""

from __future__ import annotations

import functools
from typing import Iterable, Mapping, NamedTuple, Optional

from .datafile import DATA_DIR, Stanzas, read_data
from .errors import DataError, UsageError
from .findings import Finding, Severity, severity_lines
from . import DEFAULT_PROFILE

# Areas whose admission the profiles decide; non-free admits every model.
RULED_AREAS = {"main": "Main-Admits", "contrib": "Contrib-Admits"}
# The qualities a model can have, from the most to the least demanding.
QUALITY_ORDER = ("free", "open-source-ai", "toxic-candy", "non-free")


class Profile(NamedTuple):
    name: str
    description: str
    admits: Mapping[str, frozenset[str]]  # area -> qualities
    severities: Mapping[tuple[str, Optional[str]], Severity]  # (tag, case)

    def admitted(self, area: str, qualities: Iterable[str]) -> bool:
        wanted = self.admits.get(area)
        return wanted is None or not wanted.isdisjoint(qualities)

    def admitting(self, area: str, qualities: Iterable[str]) -> Optional[str]:
        """The quality by which the area admits a model (in the order the
        profile lists them), or None; "" for an area the profiles do not rule."""
        wanted = self.admits.get(area)
        if wanted is None:
            return ""
        return next((q for q in QUALITY_ORDER if q in wanted and q in set(qualities)), None)

    def verdict(self, area: str, qualities: Iterable[str], gaps: Iterable[str] = ()) -> str:
        """Which profile admitted or refused a model in an area, and why,
        in words for a finding's context."""
        quality = self.admitting(area, qualities)
        if quality == "":
            return f"{self.name} admits every model in {area}"
        if quality is not None:
            return f"{self.name} admits it in {area} as {quality}: {qualities_meaning()[quality]}"
        why = "; ".join(gaps)
        wanted = ", ".join(q for q in QUALITY_ORDER if q in self.admits[area])
        return f"{self.name} refuses it in {area}, which admits only {wanted}" + (f"; {why}" if why else "")

    def restamp(self, finding: Finding) -> Finding:
        """The profile's severity, where it has one for the tag (and case)."""
        for key in ((finding.tag, finding.case), (finding.tag, None)):
            if key in self.severities:
                return finding._replace(severity=self.severities[key])
        return finding


def _severities(name: str, text: str) -> dict[tuple[str, Optional[str]], Severity]:
    """TAG[/CASE] SEVERITY lines."""
    result = {}
    for key, severity in severity_lines(f"profile {name}", "Severities", text).items():
        tag, _, case = key.partition("/")
        result[(tag, case or None)] = severity
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
def _stanzas() -> Stanzas:
    return read_data(DATA_DIR / "profiles.desc", lambda stanzas: stanzas)


@functools.lru_cache(maxsize=None)
def profiles() -> dict[str, Profile]:
    return read_data(
        DATA_DIR / "profiles.desc", lambda stanzas: {p.name: p for p in map(_profile, (s for s in stanzas if "Profile" in s))}
    )


@functools.lru_cache(maxsize=None)
def qualities_meaning() -> dict[str, str]:
    """What each quality means, in one line: the why of an admission."""
    meanings = {s["Quality"]: " ".join(s.get("Meaning", "").split()) for s in _stanzas() if "Quality" in s}
    if set(meanings) != set(QUALITY_ORDER) or not all(meanings.values()):
        raise DataError(f"{DATA_DIR / 'profiles.desc'}: a Quality stanza with a Meaning for each of {', '.join(QUALITY_ORDER)}")
    return meanings


def profile(name: str = DEFAULT_PROFILE) -> Profile:
    try:
        return profiles()[name]
    except KeyError:
        raise UsageError(f"unknown profile {name!r} (known: {', '.join(sorted(profiles()))})") from None
