"""The census HTML report, as a page: its charts' figures, and that it
needs nothing from outside the file."""

from __future__ import annotations

import re
from pathlib import Path

from census_fixtures import CANDIDATES, EXPECTED_CHARTS, Charts, census_db, packages_index
from modelcheck.census import html, policy, store


def test_charts_show_the_census_and_policy_figures(tmp_path: Path) -> None:
    conn = census_db(tmp_path)
    store.record_candidates(conn, "trixie", CANDIDATES)
    report = tmp_path / "census.html"
    html.write_html(conn, "trixie", report, policy.summary(conn, "trixie", [packages_index(tmp_path)]))
    page = report.read_text(encoding="utf-8")
    assert Charts(page).charts == EXPECTED_CHARTS
    assert "<h1>Model census of trixie</h1>" in page
    assert "<p>7 source packages ship model files; 6 of them in main.</p>" in page
    assert "<tr><td>gamma</td><td>3.0</td><td>main</td><td class=\"n\">1</td><td>yes</td><td>must-leave-main</td>" \
           "<td>must-leave-main</td><td>undecidable</td><td>must-leave-main</td></tr>" in page


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    conn = census_db(tmp_path)
    store.record_candidates(conn, "trixie", CANDIDATES)
    page = html.render("trixie", html.figures(conn, "trixie"), policy.standings(conn, "trixie"),
                       policy.summary(conn, "trixie", [packages_index(tmp_path)]))
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert re.findall(r"(?:https?:)?//[^\s\"'<]+", page) == ["http://www.w3.org/2000/svg"] * len(EXPECTED_CHARTS)


def test_without_candidates_there_is_no_candidate_chart_and_names_are_escaped(tmp_path: Path) -> None:
    conn = census_db(tmp_path)
    store.record(conn, store.Result("trixie", "a<b>&c", "1", "main", "ok", None, False, "", (
        store.FoundFile("x", "gguf", 1, None, "name"),), (), "2026-01-01"))
    page = html.render("trixie", html.figures(conn, "trixie"), policy.standings(conn, "trixie"),
                       policy.summary(conn, "trixie", []))
    charts = Charts(page).charts
    assert "candidates" not in charts
    assert charts["format"] == [("onnx", 7), ("gguf", 1)]
    assert "<li>a&lt;b&gt;&amp;c</li>" in page and "a<b>" not in page
