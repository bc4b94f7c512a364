"""A small census database and Packages index that the census tests share:
six sources in main with model files (every standing under every option),
one in contrib, one without model files, one in another suite."""

from __future__ import annotations

import gzip
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

from modelcheck.census import store

FILE = store.FoundFile("model.onnx", "onnx", 10, "0" * 64, "content")


def result(source: str, version: str, provenance: bool, classes: tuple[Optional[str], ...] = (),
           area: str = "main", files: tuple[store.FoundFile, ...] = (FILE,), suite: str = "trixie") -> store.Result:
    models = tuple((f"m{i}", cls) for i, cls in enumerate(classes))
    return store.Result(suite, source, version, area, "ok", None, provenance, source, files, models, "2026-01-01")


def census_db(tmp_path: Path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "census.sqlite")
    for r in (
        result("alpha", "1.0", True, ("free",)),
        result("beta", "2.0", True, ("toxic-candy open-source-ai",)),
        result("gamma", "3.0", True, ("toxic-candy",)),  # without open-source-ai
        result("delta", "4.0", False),
        result("eps", "5.0", True, (None, "free")),  # a provenance file that does not validate
        result("zeta", "6.0", True, ("non-free", "free")),
        result("in-contrib", "1", True, ("non-free",), area="contrib"),
        result("no-models", "1", False, files=()),
        result("zeta", "7.0", True, ("non-free",), suite="sid"),
    ):
        store.record(conn, r)
    return conn


PACKAGES = """\
Package: libbeta1
Version: 2.0-1
Source: beta (2.0)
Section: libs

Package: beta-data
Version: 2.0-1
Source: beta
Section: science
Provides: virtual-beta

Package: gamma-bin
Version: 3.0-1
Source: gamma
Section: science
Provides: virt2 (= 3)

Package: alpha
Version: 1.0-1
Section: science
Provides: virt2 (= 1), virt3

Package: zeta-bin
Version: 6.0-1
Source: zeta
Section: science

Package: libalt
Version: 1
Section: libs

Package: app-needs-beta
Version: 1
Section: science
Depends: libbeta1 (>= 2.0), libalt

Package: app-alt
Version: 1
Section: science
Depends: libbeta1 | libalt

Package: app-virtual
Version: 1
Section: science
Depends: virtual-beta:any

Package: app-chain
Version: 1
Section: science
Pre-Depends: app-needs-beta

Package: app-versioned-provides
Version: 1
Section: science
Depends: virt2 (>= 2)

Package: app-never-installable
Version: 1
Section: science
Depends: missing-package, virt3 (>= 1)

Package: contrib-app
Version: 1
Section: contrib/science
Depends: libbeta1

Package: app-bad-relation
Version: 1
Section: science
Depends: libbeta1 (>> 
"""


def packages_index(directory: Path) -> Path:
    path = directory / "Packages.gz"
    path.write_bytes(gzip.compress(PACKAGES.encode()))
    return path


class Charts(HTMLParser):
    """The figures of an HTML report's charts, as its data-* attributes
    give them: chart -> [(label, value)], and for the stacked chart
    chart -> [(label, {standing: value})]."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, object]]] = {}
        self.chart = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("data-chart"):
            self.chart = a["data-chart"] or ""
            self.charts[self.chart] = []
        elif tag == "g" and a.get("class") == "bar":
            self.charts[self.chart].append((a["data-label"] or "", int(a["data-value"] or "")))
        elif tag == "g" and a.get("class") == "stack":
            self.charts[self.chart].append((a["data-label"] or "", {}))
        elif tag == "g" and a.get("class") == "part":
            parts = self.charts[self.chart][-1][1]
            assert isinstance(parts, dict)
            parts[a["data-standing"]] = int(a["data-value"] or "")


# What the report shows for census_db() with candidates_by_name and PACKAGES.
EXPECTED_CHARTS = {
    "area": [("contrib", 1), ("main", 6)],
    "candidates": [("contrib", 1), ("main", 2)],
    "format": [("onnx", 7)],
    "policy": [
        ("ml-policy", {"must-leave-main": 3, "stays": 1, "undecidable": 2}),
        ("gr-2025", {"must-leave-main": 3, "stays": 1, "undecidable": 2}),
        ("data-information", {"must-leave-main": 1, "stays": 2, "undecidable": 3}),
        ("osaid", {"must-leave-main": 2, "stays": 2, "undecidable": 2}),
    ],
    "closure": [
        ("ml-policy: leaving", 4), ("ml-policy: closure", 4), ("gr-2025: leaving", 4), ("gr-2025: closure", 4),
        ("data-information: leaving", 1), ("data-information: closure", 0),
        ("osaid: leaving", 2), ("osaid: closure", 1),
    ],
}
CANDIDATES = [("main", "tesseract-ocr-eng", "usr/share/eng.traineddata", "name .traineddata (tesseract)"),
              ("main", "python3-bar", "usr/lib/bar/net.onnx", "name .onnx (onnx)"),
              ("main", "python3-bar", "usr/lib/bar/other.onnx", "name .onnx (onnx)"),
              ("contrib", "x-weights", "usr/share/x.safetensors", "name .safetensors (safetensors)")]
