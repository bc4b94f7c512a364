import json

from modelcheck.findings import Finding, Severity
from modelcheck.report import format_json, format_text, text_line

SOURCE = Finding("toy", "source", "t-one", "pkg (Build-Depends)", "debian/control", 5, severity=Severity.ERROR)
BINARY = Finding("toy-bin", "binary", "t-two", "pkg (Suggests)", "debian/control", None, severity=Severity.INFO)
BARE = Finding("toy", "source", "t-three", "", None, None, severity=Severity.CLASSIFICATION, overridden=True)


def test_lintian_text_lines() -> None:
    assert text_line(SOURCE) == "E: toy source: t-one pkg (Build-Depends) [debian/control:5]"
    assert text_line(BINARY) == "I: toy-bin: t-two pkg (Suggests) [debian/control]"
    assert text_line(BARE) == "O: toy source: t-three"
    assert format_text([SOURCE, BINARY, BARE]) == text_line(SOURCE) + "\n" + text_line(BINARY) + "\n"


def test_json_document() -> None:
    document = json.loads(format_json([SOURCE, BINARY, BARE]))
    assert document == {
        "format-version": 1,
        "findings": [
            {"package": "toy", "type": "source", "severity": "error", "tag": "t-one",
             "context": "pkg (Build-Depends)", "file": "debian/control", "line": 5},
            {"package": "toy-bin", "type": "binary", "severity": "info", "tag": "t-two",
             "context": "pkg (Suggests)", "file": "debian/control", "line": None},
        ],
    }
    shown = json.loads(format_json([BARE], show_overridden=True))["findings"]
    assert shown == [{"package": "toy", "type": "source", "severity": "classification", "tag": "t-three",
                      "context": "", "file": None, "line": None, "overridden": True}]
