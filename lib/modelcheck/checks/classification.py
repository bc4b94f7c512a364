"""ML-Policy classes: each model's licences, its derived class and every
fact behind it, the class it declares, and whether its archive area admits
it under the profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ..findings import Finding
from .. import DEFAULT_PROFILE
from ..source import SourceTree, model_area
from .pointing import at

if TYPE_CHECKING:
    from ..model_classes import Fact, Judge, ModelClass
    from ..licences import RecordedVerdicts
    from ..profiles import Profile
    from ..provenance_file import Document, JsonPath

CLASS_TAG = "model-classification"
REASON_TAG = "model-class-reason"
MISMATCH_TAG = "model-classification-mismatch"
AREA_TAG = "model-class-not-allowed-in-area"
INVALID_LICENCE_TAG = "model-license-expression-invalid"
UNKNOWN_LICENCE_TAG = "model-license-unknown-identifier"
DEBIAN_NAME_TAG = "model-license-debian-name"
VERDICT_TAG = "model-license-recorded-verdict"
VERDICT_IGNORED_TAG = "model-license-recorded-verdict-ignored"
# The tags this family may emit (the engine refuses any other).
TAGS = (
    CLASS_TAG, REASON_TAG, MISMATCH_TAG, AREA_TAG, INVALID_LICENCE_TAG, UNKNOWN_LICENCE_TAG, DEBIAN_NAME_TAG,
    VERDICT_TAG, VERDICT_IGNORED_TAG,
)


def licence_fields(model: dict[str, Any], m: int) -> Iterator[tuple["JsonPath", str]]:
    """Every licence field of a model, with its JSON path."""
    yield ("Models", m, "License"), model["License"]
    for b, base in enumerate(model.get("Base-Model", [])):
        yield ("Models", m, "Base-Model", b, "License"), base["License"]
    training = model["Training"]
    for d, data in enumerate(training["Data"]):
        if data.get("License", "unknown").lower() != "unknown":
            yield ("Models", m, "Training", "Data", d, "License"), data["License"]
    if isinstance(training["Code"], dict):
        yield ("Models", m, "Training", "Code", "License"), training["Code"]["License"]


def judge_for(document: "Document") -> "Judge":
    """licences.judge with the verdicts the file records."""
    from ..licences import judge, recorded_verdicts

    recorded = recorded_verdicts(document.data.get("Licenses"))
    return lambda expression: judge(expression, recorded)


def licence_findings(tree: SourceTree, document: "Document", judge: "Judge") -> Iterator[Finding]:
    used: set[str] = set()
    for m, model in enumerate(document.data["Models"]):
        for path, expression in licence_fields(model, m):
            verdict = judge(expression)
            used.update(verdict.recorded)
            if verdict.error:
                yield at(tree, document, path, INVALID_LICENCE_TAG, f"{expression} ({verdict.error})")
            for identifier in verdict.unknown:
                yield at(tree, document, path, UNKNOWN_LICENCE_TAG, f"{identifier} (in {expression})")
            if verdict.dep5:
                yield at(tree, document, path, DEBIAN_NAME_TAG, f"{expression} (read as SPDX {verdict.dep5})")
    yield from verdict_findings(tree, document, used)


def verdict_findings(tree: SourceTree, document: "Document", used: set[str]) -> Iterator[Finding]:
    """Every recorded verdict that decided something is shown, so reviewers
    see each assertion; one the data files contradict is ignored, loudly."""
    from ..licences import known_to_data, recorded_verdicts

    recorded: "RecordedVerdicts" = recorded_verdicts(document.data.get("Licenses"))
    for i, entry in enumerate(recorded):
        path = ("Licenses", i, "Name")
        known = known_to_data(entry.name)
        if known is not None:
            context = f"{entry.name} (the licence data says it {known.reason})"
            yield at(tree, document, path, VERDICT_IGNORED_TAG, context)
        elif entry.name in used:
            state = "DFSG-free" if entry.free else "not DFSG-free"
            yield at(tree, document, path, VERDICT_TAG, f"{entry.name} {state} ({entry.reason})")


def refusal_reasons(policy: "Profile", area: str, verdict: "ModelClass") -> list[tuple[str, str]]:
    """Why the area refuses the model, as (class, reason) pairs: each fact
    that would keep it out on its own, so that overriding the finding about
    one leaves the others; then the data sets without data information,
    when they are what keeps out a model the profile would otherwise admit
    (osaid)."""
    from ..model_classes import qualities_of, rank

    def admitted(facts: list["Fact"], gaps: tuple[str, ...]) -> bool:
        return policy.admitted(area, qualities_of(facts, gaps))

    alone = [f for f in verdict.facts if not admitted([f], ())]
    reasons = [(f.derived, f.text) for f in alone]
    rest = [f for f in verdict.facts if f not in alone]
    if verdict.data_gaps and not admitted(rest, verdict.data_gaps):
        derived = max((f.derived for f in rest), key=rank, default="free")
        reasons += [(derived, gap) for gap in verdict.data_gaps]
    return reasons or [(verdict.derived, "")]


def class_findings(tree: SourceTree, document: "Document", judge: "Judge") -> Iterator[Finding]:
    from ..model_classes import model_class
    from ..profiles import profile

    policy = profile(tree.profile)
    for m, model in enumerate(document.data["Models"]):
        verdict = model_class(model, judge)
        area = model_area(tree, model).name
        explained = "" if policy.name == DEFAULT_PROFILE else \
            f" ({policy.verdict(area, verdict.qualities, verdict.osaid_gaps)})"
        yield at(tree, document, ("Models", m, "Name"), CLASS_TAG, f"{verdict.name} {verdict.derived}{explained}")
        for fact in verdict.facts:
            yield at(tree, document, ("Models", m) + fact.path, REASON_TAG, f"{verdict.name} {fact.derived}: {fact.text}")
        yield from mismatches(tree, document, m, model["Classification"], verdict)
        if not policy.admitted(area, verdict.qualities):
            yield from refusals(tree, document, m, verdict, policy, area)


def mismatches(tree: SourceTree, document: "Document", m: int, declared: str, verdict: "ModelClass") -> Iterator[Finding]:
    """One finding per fact that makes the model worse than declared; one
    without a fact when the declaration is the worse."""
    from ..model_classes import rank

    if declared == verdict.derived:
        return
    where = ("Models", m, "Classification")
    worse = [f for f in verdict.facts if rank(f.derived) > rank(declared)]
    for fact in worse:
        context = f"{verdict.name} (declared {declared}, derived {fact.derived}: {fact.text})"
        yield at(tree, document, where, MISMATCH_TAG, context)
    if not worse:
        yield at(tree, document, where, MISMATCH_TAG, f"{verdict.name} (declared {declared}, derived {verdict.derived})")


def refusals(tree: SourceTree, document: "Document", m: int, verdict: "ModelClass", policy: "Profile", area: str) -> Iterator[Finding]:
    for derived, reason in refusal_reasons(policy, area, verdict):
        why = f": {reason}" if reason else ""
        context = f"{verdict.name} ({derived} in {area} under {policy.name}{why})"
        yield at(tree, document, ("Models", m, "Classification"), AREA_TAG, context)


def check(tree: SourceTree) -> Iterator[Finding]:
    document = tree.valid_provenance
    if document is None:
        return
    judge = judge_for(document)
    yield from licence_findings(tree, document, judge)
    yield from class_findings(tree, document, judge)
