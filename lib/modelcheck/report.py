"""Pure formatters: findings in, text out.  Chosen by name in FORMATS."""

from __future__ import annotations

import json
from typing import Callable, Iterable

from .findings import Finding, TagInfo

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
