"""Census policy impact: standings per option and the reverse-dependency
closure, on a small census database and a hand-written Packages index."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from census_fixtures import PACKAGES, census_db, packages_index
from modelcheck.census import closure, policy
from modelcheck.errors import DataError, UnusableInput

STANDINGS = {
    #                  ml-policy          gr-2025            data-information   osaid
    ("alpha", "1.0"): ("stays", "stays", "stays", "stays"),
    ("beta", "2.0"): ("must-leave-main", "must-leave-main", "stays", "stays"),
    ("delta", "4.0"): ("undecidable",) * 4,
    ("eps", "5.0"): ("undecidable",) * 4,
    ("gamma", "3.0"): ("must-leave-main", "must-leave-main", "undecidable", "must-leave-main"),
    ("zeta", "6.0"): ("must-leave-main",) * 4,
}
OPTIONS = ("ml-policy", "gr-2025", "data-information", "osaid")


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    return packages_index(tmp_path)


def test_standings_per_option(tmp_path: Path) -> None:
    assert list(policy.options()) == list(OPTIONS)
    expected = {key: dict(zip(OPTIONS, row)) for key, row in STANDINGS.items()}
    assert policy.standings(census_db(tmp_path), "trixie") == expected


def test_summary_counts_lists_and_closure(tmp_path: Path, packages: Path) -> None:
    summary = policy.summary(census_db(tmp_path), "trixie", [packages])
    assert summary["suite"] == "trixie"
    assert summary["sources-with-models"] == 6
    assert summary["unparsable-relations"] == ["app-bad-relation Depends"]
    options = summary["options"]
    assert isinstance(options, dict)
    assert {name: (o["counts"], o["must-leave-main"], o["undecidable"], o["leaving-binaries"], o["closure"])
            for name, o in options.items()} == {
        "ml-policy": (
            {"must-leave-main": 3, "stays": 1, "undecidable": 2}, ["beta", "gamma", "zeta"], ["delta", "eps"],
            ["beta-data", "gamma-bin", "libbeta1", "zeta-bin"],
            ["app-chain", "app-needs-beta", "app-versioned-provides", "app-virtual"]),
        "gr-2025": (
            {"must-leave-main": 3, "stays": 1, "undecidable": 2}, ["beta", "gamma", "zeta"], ["delta", "eps"],
            ["beta-data", "gamma-bin", "libbeta1", "zeta-bin"],
            ["app-chain", "app-needs-beta", "app-versioned-provides", "app-virtual"]),
        "data-information": (
            {"must-leave-main": 1, "stays": 2, "undecidable": 3}, ["zeta"], ["delta", "eps", "gamma"],
            ["zeta-bin"], []),
        "osaid": (
            {"must-leave-main": 2, "stays": 2, "undecidable": 2}, ["gamma", "zeta"], ["delta", "eps"],
            ["gamma-bin", "zeta-bin"], ["app-versioned-provides"]),
    }
    assert options["osaid"]["description"].startswith("OSI Open Source AI Definition 1.0: ")


def test_closure_reaches_a_fixed_point(packages: Path) -> None:
    graph = closure.Closure(closure.read_universe([packages]))
    # libalt's leaving takes app-needs-beta, then app-chain; app-alt still has libbeta1.
    assert graph.of(["libalt"]) == (["libalt"], ["app-chain", "app-needs-beta"])
    assert graph.of([]) == ([], [])


def test_a_damaged_packages_index_is_a_one_line_error(tmp_path: Path) -> None:
    whole = gzip.compress(PACKAGES.encode())
    path = tmp_path / "Packages.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnusableInput, match=r"Packages.gz: gzip data truncated$"):
        closure.read_universe([path])


@pytest.mark.parametrize("stanza, error", [
    ("Option: x\nDescription: d\nMain-Admits: free libre\n", r"Main-Admits: libre \(qualities: "),
    ("Option: x\nDescription: d\nMain-Admits:\n", r"Main-Admits: empty"),
    ("Option: x\nDescription: d\nProfile: nowhere\n", r"option x: no profile 'nowhere'"),
    ("Option: x\nDescription: d\n", r"'Main-Admits'"),
])
def test_broken_option_data_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            stanza: str, error: str) -> None:
    (tmp_path / "policy-options.desc").write_text(stanza)
    monkeypatch.setattr(policy, "DATA_DIR", tmp_path)
    policy.options.cache_clear()
    try:
        with pytest.raises(DataError, match=error):
            policy.options()
    finally:
        policy.options.cache_clear()
