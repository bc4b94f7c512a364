"""The census HTML report as a browser renders it: headless chromium
opens the file with no server and no network, and the DOM it builds shows
the census's figures; its screenshot is a page of the expected size."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from modelcheck.census import html, policy, store
from unit.census_fixtures import CANDIDATES, EXPECTED_CHARTS, Charts, census_db, packages_index

WIDTH, HEIGHT = 1000, 2000


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless chromium run with its own profile, so that runs are
    independent of each other and of any user's browser."""
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", *args],
        capture_output=True, text=True, timeout=120, check=True)


def test_chromium_renders_the_figures(tmp_path: Path) -> None:
    conn = census_db(tmp_path)
    store.record_candidates(conn, "trixie", CANDIDATES)
    report = tmp_path / "census.html"
    html.write_html(conn, "trixie", report, policy.summary(conn, "trixie", [packages_index(tmp_path)]))
    dom = chromium(tmp_path / "profile", "--dump-dom", report.as_uri()).stdout
    assert Charts(dom).charts == EXPECTED_CHARTS
    shot = tmp_path / "census.png"
    chromium(tmp_path / "profile", f"--screenshot={shot}", report.as_uri())
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (WIDTH, HEIGHT)
