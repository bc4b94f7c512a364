"""Pure formatters: findings in, text out.  Chosen by name in FORMATS."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .control import AREAS
from .findings import Finding, Severity, TagInfo

if TYPE_CHECKING:  # the archive module needs python3-apt; lint must not
    from .archive import ArchiveFinding

FORMAT_VERSION = 1


def _visible(findings: Iterable[Finding], show_overridden: bool) -> list[Finding]:
    return [f for f in findings if show_overridden or not f.overridden]


def text_line(finding: Finding) -> str:
    """lintian's form: 'E: toy source: tag context [debian/control:5]'."""
    letter = "O" if finding.overridden else finding.severity.letter
    who = f"{finding.package} source" if finding.kind == "source" else finding.package
    words = [f"{letter}: {who}: {finding.tag}"]
    if finding.context:
        words.append(finding.context)
    if finding.pointer:
        words.append(f"[{finding.pointer}]")
    return " ".join(words)


def format_text(findings: Iterable[Finding], show_overridden: bool = False) -> str:
    return "".join(text_line(f) + "\n" for f in _visible(findings, show_overridden))


def finding_record(finding: Finding) -> dict:
    record = {
        "package": finding.package,
        "type": finding.kind,
        "severity": finding.severity.label,
        "tag": finding.tag,
        "context": finding.context,
        "file": finding.file,
        "line": finding.line,
    }
    if finding.column is not None:
        record["column"] = finding.column
    if finding.overridden:
        record["overridden"] = True
    return record


def format_json(findings: Iterable[Finding], show_overridden: bool = False) -> str:
    document = {
        "format-version": FORMAT_VERSION,
        "findings": [finding_record(f) for f in _visible(findings, show_overridden)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Iterable[Finding], bool], str]] = {
    "text": format_text,
    "json": format_json,
}


def scan_record(item: "ArchiveFinding") -> dict:
    record = finding_record(item.finding)
    record.update(version=item.version, area=item.area)
    if item.stack is not None:
        record["stack"] = item.stack
    return record


def format_scan_json(items: Sequence["ArchiveFinding"]) -> str:
    document = {"format-version": FORMAT_VERSION, "findings": [scan_record(i) for i in items]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _group(item: "ArchiveFinding") -> str:
    """Accelerator findings by stack, the others by tag."""
    return f"stack {item.stack}" if item.stack else item.finding.tag


def _area_order(area: str) -> int:
    return AREAS.index(area) if area in AREAS else len(AREAS)


def format_scan_text(items: Sequence["ArchiveFinding"]) -> str:
    """lintian lines grouped by stack (or tag) and by area, then counts."""
    lines: list[str] = []
    ordered = sorted(items, key=lambda i: (i.stack is None, _group(i), _area_order(i.area)))
    for number, item in enumerate(ordered):
        previous = ordered[number - 1] if number else None
        if previous is None or _group(previous) != _group(item):
            lines.append(f"== {_group(item)}")
        if previous is None or (_group(previous), previous.area) != (_group(item), item.area):
            lines.append(f"-- {item.area}")
        lines.append(text_line(item.finding))
    lines += _counts(items)
    return "".join(line + "\n" for line in lines)


def _counts(items: Sequence["ArchiveFinding"]) -> list[str]:
    by_severity = Counter(i.finding.severity for i in items)
    by_area = Counter((i.area, i.finding.severity) for i in items)
    total = ", ".join(f"{by_severity[s]} {s.label}" for s in reversed(Severity) if by_severity[s])
    lines = [f"== {len(items)} finding(s)" + (f": {total}" if total else "")]
    for area in sorted({i.area for i in items}, key=_area_order):
        counts = ", ".join(f"{by_area[area, s]} {s.label}" for s in reversed(Severity) if by_area[area, s])
        lines.append(f"   {area}: {counts}")
    return lines


SCAN_FORMATS: dict[str, Callable[[Sequence["ArchiveFinding"]], str]] = {
    "text": format_scan_text,
    "json": format_scan_json,
}


def explain(tag: TagInfo) -> str:
    """A catalog entry the way lintian-explain-tags prints one."""
    lines = [tag.name, ""]
    lines += [f"  {line}" if line else "" for line in tag.explanation.splitlines()]
    lines.append("")
    cases = ", ".join(f"{case}: {sev.label}" for case, sev in tag.cases.items())
    lines.append(f"  Severity: {tag.severity.label}" + (f" ({cases})" if cases else ""))
    lines.append(f"  Check: {tag.check}")
    if tag.see_also:
        lines.append(f"  See-Also: {', '.join(tag.see_also)}")
    return "".join(f"N: {line}".rstrip() + "\n" for line in lines)
