"""Pure formatters: findings in, text out.  Chosen by name in FORMATS."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import IO, TYPE_CHECKING, Callable, Iterable, NamedTuple, Optional, Sequence, TextIO

from . import __version__
from .control import AREAS
from .findings import Finding, Severity, TagInfo

if TYPE_CHECKING:  # the archive module needs python3-apt; lint must not
    from .archive import ArchiveFinding


# What a line of text output must not hold as it is: control characters
# (a newline would start a forged "E:" line), Unicode's own line and
# paragraph separators, and the lone surrogates that stand for bytes of a
# file name that are not UTF-8 (Python's surrogateescape).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Lone surrogates, which JSON writes only as \u escapes.
SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match) -> str:  # type: ignore[type-arg]
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a name: the byte itself
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """text with every UNPRINTABLE character written as an escape (\\n,
    \\t, \\r, \\xNN for other control characters and for the bytes of a
    name that are not UTF-8, \\uNNNN for the rest), so that a text line is
    one line whatever a file name holds."""
    return UNPRINTABLE.sub(_escape, text)


def json_text(document: object) -> str:
    """JSON with lone surrogates (bytes of a name that are not UTF-8) as
    \\uDCxx escapes: json.dumps leaves them raw, and raw they cannot be
    written as UTF-8.  Python's json reads them back to the same string,
    which os.fsencode turns back into the name's bytes."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


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
    return printable(" ".join(words))


def format_text(findings: Iterable[Finding], show_overridden: bool = False) -> str:
    return "".join(text_line(f) + "\n" for f in _visible(findings, show_overridden))


# The JSON output's shape (schemas/modelcheck-findings-2.schema.json).  Within
# one version, members may be added; none is removed, renamed, retyped or
# given another meaning (see modelcheck(1), JSON OUTPUT).
FORMAT_VERSION = 2
SCHEMA = "modelcheck-findings-2.schema.json"
# lintian's severities on GitLab's Code Quality scale.  Classification tags
# describe a package rather than fault it: they are left out of that report.
CODE_QUALITY_SEVERITY = {
    Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "minor", Severity.PEDANTIC: "info",
}
# Where a Code Quality issue without a file of its own points.
CODE_QUALITY_ANCHOR = "debian/control"


class Run(NamedTuple):
    """What the envelope says of the run, and which findings it shows."""

    command: str  # "lint", "scan-archive" or "dh_modelcheck"
    profile: Optional[str] = None  # the policy profile that set the severities, when one did
    show_overridden: bool = False


def finding_record(finding: Finding) -> dict:
    """A finding's members: those that do not apply are omitted, never null."""
    record: dict = {
        "package": finding.package,
        "type": finding.kind,
        "severity": finding.severity.label,
        "tag": finding.tag,
        "context": finding.context,
    }
    for name in ("file", "line", "column"):
        if getattr(finding, name) is not None:
            record[name] = getattr(finding, name)
    if finding.overridden:
        record["overridden"] = True
    record.update((name, list(value) if isinstance(value, tuple) else value) for name, value in finding.details)
    return record


def envelope(run: Run, records: list[dict]) -> str:
    document: dict = {
        "format-version": FORMAT_VERSION,
        "tool": {"name": "dh-modelcheck", "version": __version__},
        "command": run.command,
    }
    if run.profile is not None:
        document["profile"] = run.profile
    document["findings"] = records
    return json_text(document)


def format_json(findings: Iterable[Finding], run: Run) -> str:
    return envelope(run, [finding_record(f) for f in _visible(findings, run.show_overridden)])


def _fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across line moves, so that GitLab matches an issue between
    the two sides of a merge request; identical findings are told apart by
    their order."""
    import hashlib  # only this format needs it

    key = "\0".join([finding.package, finding.kind, finding.tag, finding.context, finding.file or "", str(occurrence)])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def code_quality_issue(finding: Finding, occurrence: int) -> dict:
    who = f"{finding.package} source" if finding.kind == "source" else finding.package
    return {
        "description": f"{who}: {finding.tag} {finding.context}".rstrip(),
        "check_name": finding.tag,
        "fingerprint": _fingerprint(finding, occurrence),
        "severity": CODE_QUALITY_SEVERITY[finding.severity],
        "location": {"path": finding.file or CODE_QUALITY_ANCHOR, "lines": {"begin": finding.line or 1}},
    }


def format_code_quality(findings: Iterable[Finding], run: Run) -> str:
    """GitLab's Code Quality report: a JSON array of issues.  Overridden
    findings are never issues."""
    seen: Counter = Counter()
    issues = []
    for finding in findings:
        if finding.overridden or finding.severity not in CODE_QUALITY_SEVERITY:
            continue
        occurrence = seen[finding.package, finding.kind, finding.tag, finding.context, finding.file]
        seen[finding.package, finding.kind, finding.tag, finding.context, finding.file] += 1
        issues.append(code_quality_issue(finding, occurrence))
    return json_text(issues)


def format_text_run(findings: Iterable[Finding], run: Run) -> str:
    return format_text(findings, run.show_overridden)


FORMATS: dict[str, Callable[[Iterable[Finding], Run], str]] = {
    "text": format_text_run,
    "json": format_json,
    "code-quality": format_code_quality,
}
# What dh_modelcheck can write to a file during the build.
FILE_FORMATS = ("json", "code-quality")


def scan_record(item: "ArchiveFinding") -> dict:
    record = finding_record(item.finding)
    record.update(version=item.version, area=item.area)
    return record


class ScanJson:
    """scan-archive's JSON, written finding by finding: the same document
    envelope() gives, without holding the findings."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.count = out, 0
        empty = envelope(Run("scan-archive"), [])
        self.head = empty[:-len("[]\n}\n")]  # up to '"findings": '

    def add(self, item: "ArchiveFinding") -> None:
        # Two levels in, as json.dumps indents a list member of the document.
        record = "    " + json_text(scan_record(item)).rstrip("\n").replace("\n", "\n    ")
        self.out.write((",\n" if self.count else self.head + "[\n") + record)
        self.count += 1

    def finish(self) -> None:
        self.out.write("\n  ]\n}\n" if self.count else self.head + "[]\n}\n")


def _group(item: "ArchiveFinding") -> str:
    """Accelerator findings by stack, the others by tag."""
    return f"stack {item.stack}" if item.stack else item.finding.tag


def _area_order(area: str) -> int:
    return AREAS.index(area) if area in AREAS else len(AREAS)


class ScanText:
    """lintian lines grouped by stack (or tag) and by area, then counts.
    Each group's lines wait in a temporary file of their own, not in
    memory, and keep the order the scan found them in; the groups are
    written in order at the end.  There are only as many groups as stacks
    and tags times areas."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.groups: dict[tuple[bool, str, int, str], IO[str]] = {}
        self.by_severity: Counter = Counter()
        self.by_area: Counter = Counter()
        self.count = 0

    def add(self, item: "ArchiveFinding") -> None:
        key = (item.stack is None, _group(item), _area_order(item.area), item.area)
        spool = self.groups.get(key)
        if spool is None:
            import tempfile  # only a scan with findings needs it

            spool = self.groups[key] = tempfile.TemporaryFile("w+", encoding="utf-8")
        spool.write(text_line(item.finding) + "\n")
        self.by_severity[item.finding.severity] += 1
        self.by_area[item.area, item.finding.severity] += 1
        self.count += 1

    def finish(self) -> None:
        previous = None
        for key in sorted(self.groups):
            group, area = key[1], key[3]
            if group != previous:
                self.out.write(f"== {group}\n")
            self.out.write(f"-- {area}\n")
            previous = group
            spool = self.groups[key]
            spool.seek(0)
            while chunk := spool.read(1 << 16):
                self.out.write(chunk)
            spool.close()
        self.out.write("".join(line + "\n" for line in self._counts()))

    def _counts(self) -> list[str]:
        total = ", ".join(f"{self.by_severity[s]} {s.label}" for s in reversed(Severity) if self.by_severity[s])
        lines = [f"== {self.count} finding(s)" + (f": {total}" if total else "")]
        for area in sorted({area for area, _ in self.by_area}, key=_area_order):
            counts = ", ".join(f"{self.by_area[area, s]} {s.label}" for s in reversed(Severity) if self.by_area[area, s])
            lines.append(f"   {area}: {counts}")
        return lines


SCAN_WRITERS: dict[str, Callable[[TextIO], "ScanJson | ScanText"]] = {"text": ScanText, "json": ScanJson}


def format_scan(items: Iterable["ArchiveFinding"], form: str) -> str:
    """The whole report of findings held in memory (tests, small scans)."""
    import io

    out = io.StringIO()
    writer = SCAN_WRITERS[form](out)
    for item in items:
        writer.add(item)
    writer.finish()
    return out.getvalue()


def format_scan_json(items: Iterable["ArchiveFinding"]) -> str:
    return format_scan(items, "json")


def format_scan_text(items: Iterable["ArchiveFinding"]) -> str:
    return format_scan(items, "text")


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
