import json

from modelcheck import __version__
from modelcheck.findings import Finding, Severity
from modelcheck.report import Run, format_code_quality, format_json, format_text, text_line

SOURCE = Finding("toy", "source", "t-one", "pkg (Build-Depends)", "debian/control", 5, severity=Severity.ERROR)
BINARY = Finding("toy-bin", "binary", "t-two", "pkg (Suggests)", "debian/control", None, severity=Severity.INFO)
BARE = Finding("toy", "source", "t-three", "", None, None, severity=Severity.CLASSIFICATION, overridden=True)
NODE = Finding("toy", "source", "t-four", "Models[0].License (x)", "debian/model-provenance.yaml", 3,
               severity=Severity.WARNING, column=5, details=(("node", ("Models", 0, "License")),))
UNPLACED = Finding("toy", "source", "t-five", "debian/model-provenance.yaml (1 model file(s) found)",
                   severity=Severity.PEDANTIC)


def test_lintian_text_lines() -> None:
    assert text_line(SOURCE) == "E: toy source: t-one pkg (Build-Depends) [debian/control:5]"
    assert text_line(BINARY) == "I: toy-bin: t-two pkg (Suggests) [debian/control]"
    assert text_line(BARE) == "O: toy source: t-three"
    assert format_text([SOURCE, BINARY, BARE]) == text_line(SOURCE) + "\n" + text_line(BINARY) + "\n"


def test_json_document() -> None:
    document = json.loads(format_json([SOURCE, BINARY, BARE, NODE], Run("lint", "osaid")))
    assert document == {
        "format-version": 2,
        "tool": {"name": "dh-modelcheck", "version": __version__},
        "command": "lint",
        "profile": "osaid",
        "findings": [
            {"package": "toy", "type": "source", "severity": "error", "tag": "t-one",
             "context": "pkg (Build-Depends)", "file": "debian/control", "line": 5},
            {"package": "toy-bin", "type": "binary", "severity": "info", "tag": "t-two",
             "context": "pkg (Suggests)", "file": "debian/control"},
            {"package": "toy", "type": "source", "severity": "warning", "tag": "t-four",
             "context": "Models[0].License (x)", "file": "debian/model-provenance.yaml", "line": 3, "column": 5,
             "node": ["Models", 0, "License"]},
        ],
    }
    shown = json.loads(format_json([BARE], Run("dh_modelcheck", show_overridden=True)))
    assert shown == {
        "format-version": 2, "tool": {"name": "dh-modelcheck", "version": __version__}, "command": "dh_modelcheck",
        "findings": [{"package": "toy", "type": "source", "severity": "classification", "tag": "t-three",
                      "context": "", "overridden": True}],
    }


def test_code_quality_issues() -> None:
    """Classification and overridden findings are no issues; a finding
    without a file points at debian/control; the fingerprint ignores the
    line and tells identical findings apart."""
    moved = SOURCE._replace(line=9)
    issues = json.loads(format_code_quality([SOURCE, BINARY, BARE, UNPLACED, moved, NODE], Run("lint")))
    fingerprints = [issue.pop("fingerprint") for issue in issues]
    assert issues == [
        {"description": "toy source: t-one pkg (Build-Depends)", "check_name": "t-one", "severity": "critical",
         "location": {"path": "debian/control", "lines": {"begin": 5}}},
        {"description": "toy-bin: t-two pkg (Suggests)", "check_name": "t-two", "severity": "minor",
         "location": {"path": "debian/control", "lines": {"begin": 1}}},
        {"description": "toy source: t-five debian/model-provenance.yaml (1 model file(s) found)",
         "check_name": "t-five", "severity": "info", "location": {"path": "debian/control", "lines": {"begin": 1}}},
        {"description": "toy source: t-one pkg (Build-Depends)", "check_name": "t-one", "severity": "critical",
         "location": {"path": "debian/control", "lines": {"begin": 9}}},
        {"description": "toy source: t-four Models[0].License (x)", "check_name": "t-four", "severity": "major",
         "location": {"path": "debian/model-provenance.yaml", "lines": {"begin": 3}}},
    ]
    assert len(set(fingerprints)) == 5
    again = [issue["fingerprint"] for issue in json.loads(format_code_quality([moved, SOURCE], Run("lint")))]
    assert again == fingerprints[0:4:3]
