"""What every export says, gathered once: the release of the source package
(debian/changelog), the schema-valid provenance, and each model's derived
class.  The exporters are pure functions of this record, so the same tree
always gives the same document.

Facts neither standard has a field for travel as namespaced properties
(CycloneDX ``properties``, SPDX annotations); the lists below decide them
once for both formats.
"""

from __future__ import annotations

import email.utils
from datetime import timezone
from pathlib import Path
from typing import Any, NamedTuple, Optional
from urllib.parse import quote

from ..errors import UnusableInput
from ..source import PROVENANCE, SourceTree

CHANGELOG = "debian/changelog"
MAX_CHANGELOG_BYTES = 16 * 1024 * 1024  # far above any real changelog
NAMESPACE = "dh-modelcheck"

Property = tuple[str, str]


class Release(NamedTuple):
    """The newest debian/changelog entry."""

    source: str
    version: str
    time: str  # its date, in UTC, as YYYY-MM-DDTHH:MM:SSZ
    author: str  # "Name <email>"


class Verdict(NamedTuple):
    """A model's class as modelcheck derives it, and where it ends up."""

    derived: str
    reasons: tuple[str, ...]
    qualities: tuple[str, ...]
    area: str
    profile: str
    admitted: bool


class Record(NamedTuple):
    release: Release
    maintainer: str  # debian/control's Maintainer
    provenance: dict[str, Any]  # schema-valid
    verdicts: dict[str, Verdict]  # by model Name


def present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: both standards prefer an absent field
    to an empty one."""
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}


def prop(name: str, value: Any) -> Property:
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return f"{NAMESPACE}:{name}", text


def base_iri(release: Release) -> str:
    """Where the provenance of this release lives; element ids hang below it."""
    source, version = quote(release.source, safe=""), quote(release.version, safe="")
    return f"https://sources.debian.org/src/{source}/{version}/{PROVENANCE}"


def purl(package: str, version: Optional[str] = None, arch: Optional[str] = None) -> str:
    """A package URL for a Debian package."""
    text = f"pkg:deb/debian/{quote(package, safe='')}"
    text += f"@{quote(version, safe='')}" if version else ""
    return text + (f"?arch={arch}" if arch else "")


def split_contact(text: str) -> tuple[str, Optional[str]]:
    """'Name <email>' as its parts."""
    name, address = email.utils.parseaddr(text)
    if not name and not address:
        return text.strip(), None
    return (name or address), (address or None)


# Ids within a document: readable, and stable for a given provenance file.

def model_ref(model: dict[str, Any]) -> str:
    return f"model/{model['Name']}"


def part_ref(model: dict[str, Any], kind: str, index: Optional[int] = None) -> str:
    return f"{model_ref(model)}/{kind}" + ("" if index is None else f"/{index}")


# The release.

def read_release(root: Path) -> Release:
    from debian.changelog import Changelog, ChangelogParseError

    from ..control import read_text

    text = read_text(root / CHANGELOG, CHANGELOG, MAX_CHANGELOG_BYTES, root)
    try:
        changelog = Changelog(text, max_blocks=1, strict=True)
    except (ChangelogParseError, ValueError) as exc:
        raise UnusableInput(f"{CHANGELOG}: malformed: {str(exc).strip().splitlines()[0]}") from None
    if not len(changelog) or not changelog.package or changelog.version is None:
        raise UnusableInput(f"{CHANGELOG}: no entry")
    return Release(changelog.package, str(changelog.version), _utc(changelog.date), changelog.author or "")


def _utc(date: Optional[str]) -> str:
    try:
        moment = email.utils.parsedate_to_datetime(date or "")
    except (TypeError, ValueError):
        raise UnusableInput(f"{CHANGELOG}: the newest entry has no valid date: {date!r}") from None
    if moment.tzinfo is None:
        raise UnusableInput(f"{CHANGELOG}: the newest entry's date has no time zone: {date!r}")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# The provenance, valid or a one-line reason.

def valid_provenance(tree: SourceTree) -> dict[str, Any]:
    document = tree.provenance
    if document is None:
        raise UnusableInput(f"{PROVENANCE}: no such file")
    from ..provenance_file import LoadError
    from ..schema import json_path

    if isinstance(document, LoadError):
        where = f":{document.position.line}:{document.position.column}" if document.position else ""
        raise UnusableInput(f"{PROVENANCE}{where}: {document.message}")
    if tree.violations:
        first = tree.violations[0]
        line, column = document.position(first.path)
        more = f" (and {len(tree.violations) - 1} more; see 'modelcheck lint')" if len(tree.violations) > 1 else ""
        raise UnusableInput(f"{PROVENANCE}:{line}:{column}: {json_path(first.path)}: {first.message}{more}")
    names = [m["Name"] for m in document.data["Models"]]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UnusableInput(f"{PROVENANCE}: model names must be unique: {', '.join(repeated)}")
    return document.data


def _reasons(verdict: Any) -> tuple[str, ...]:
    """Every failing fact the classification reports, in the file's order."""
    return tuple(fact.text for fact in verdict.facts)


def judge_model(tree: SourceTree, model: dict[str, Any], licenses: Any = None) -> Verdict:
    """The model's class as lint derives it, with the verdicts the file's
    Licenses list records."""
    from ..source import model_area
    from ..model_classes import model_class
    from ..licences import judge, recorded_verdicts
    from ..profiles import profile

    recorded = recorded_verdicts(licenses)
    verdict = model_class(model, lambda expression: judge(expression, recorded))
    area = model_area(tree, model).name
    policy = profile(tree.profile)
    return Verdict(
        verdict.derived, _reasons(verdict), tuple(sorted(verdict.qualities)), area, policy.name,
        policy.admitted(area, verdict.qualities),
    )


def gather(tree: SourceTree) -> Record:
    """Everything an export needs, or UnusableInput saying what is missing."""
    provenance = valid_provenance(tree)
    release = read_release(tree.root)
    verdicts = {m["Name"]: judge_model(tree, m, provenance.get("Licenses")) for m in provenance["Models"]}
    return Record(release, tree.control.source.get("Maintainer") or "", provenance, verdicts)


# Licences.

def spdx_licence(expression: Optional[str]) -> Optional[str]:
    """The SPDX expression a License field states: as written when SPDX
    knows every identifier in it, its SPDX form when it is written with
    DEP-5 names, None when it is 'unknown', absent or neither."""
    from ..licences import UNKNOWN, judge, spdx_from_dep5

    if not expression or expression.strip().lower() == UNKNOWN:
        return None
    verdict = judge(expression)
    if verdict.dep5 is not None:
        return verdict.dep5
    if verdict.error is None and not verdict.unknown:
        return expression.strip()
    return spdx_from_dep5(expression)


def licence_properties(expression: Optional[str]) -> list[Property]:
    """The licence as declared, when the export cannot state it as is."""
    if expression and spdx_licence(expression) != expression.strip():
        return [prop("license-declared", expression)]
    return []


# Facts without a field in either standard.

def document_properties(provenance: dict[str, Any]) -> list[Property]:
    return [prop(key.lower(), provenance[key]) for key in ("Reviewed-By", "Review-Date") if key in provenance]


def model_properties(model: dict[str, Any], verdict: Verdict) -> list[Property]:
    found = [prop("class", verdict.derived), prop("declared-class", model["Classification"])]
    found += [prop("class-reason", r) for r in verdict.reasons]
    found += [prop("quality", q) for q in verdict.qualities]
    found += [prop("archive-area", verdict.area), prop("profile", verdict.profile)]
    found += [prop("admitted-in-area", verdict.admitted)]
    found += [prop("binary-package", p) for p in model.get("Binary-Packages", [])]
    found += [prop("notes", model["Notes"])] if "Notes" in model else []
    return found + licence_properties(model["License"])


def file_properties(entry: dict[str, Any]) -> list[Property]:
    found = [prop("format", entry["Format"])] if "Format" in entry else []
    found += [prop("size", entry["Size"])] if "Size" in entry else []
    return found + ([prop("generated", True)] if entry.get("Generated") else [])


def data_properties(data: dict[str, Any]) -> list[Property]:
    return [prop("availability", data["Availability"])] + licence_properties(data.get("License"))


def base_properties(base: dict[str, Any]) -> list[Property]:
    found = [prop("base-relation", base["Relation"])]
    found += [prop("declared-class", base["Classification"])] if "Classification" in base else []
    return found + licence_properties(base["License"])


def code_properties(code: dict[str, Any]) -> list[Property]:
    found = [prop("complete", code["Complete"])]
    found += [prop("packaged-in", code["Packaged-In"])] if "Packaged-In" in code else []
    return found + licence_properties(code["License"])


def stack_properties(entry: dict[str, Any]) -> list[Property]:
    return [prop("proprietary", entry["Proprietary"])]


TRAINING_FIELDS = (("Hardware", "hardware"), ("Compute", "compute"), ("CPU-Only-Estimate", "cpu-only-estimate"))


def training_properties(training: dict[str, Any]) -> list[Property]:
    found = [prop(name, training[key]) for key, name in TRAINING_FIELDS if key in training]
    found += [prop("training-code", "unavailable")] if training["Code"] == "unavailable" else []
    reproducibility = training.get("Reproducibility", {})
    found += [prop("reproducibility", reproducibility["Status"])] if reproducibility else []
    found += [prop("reproducibility-evidence", reproducibility["Evidence"])] if "Evidence" in reproducibility else []
    return found


def stack_version(entry: dict[str, Any]) -> Optional[str]:
    """Version as text: YAML reads an unquoted 1.24 as a number."""
    return None if "Version" not in entry else str(entry["Version"])
