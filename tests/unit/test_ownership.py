"""Tags belong to their emitters.  Each check module, and each front end
that makes findings of its own, declares the tags it owns; tags.desc's Check
field names that owner; the runners refuse a tag its emitter does not own;
and each owner's tags are all emitted by the fixtures below, which this
module runs itself (so it passes alone, in any order).

The fixtures are tests/packages and docs/examples (the build tests' cases)
and tests/tags: one small source tree per situation the others lack, each
with its exact expected-findings.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, expected_lines

from modelcheck import archive, cli, dh_install, overrides
from modelcheck.checks import CHECKS, Check, shipping
from modelcheck.engine import check_tree, run_checks
from modelcheck.findings import Finding, default_catalog
from modelcheck.ownership import UnownedTag
from modelcheck.relation_judgement import BUILD_TAGS
from modelcheck.report import text_line
from modelcheck.source import load_tree

TAGS_DIR = REPO / "tests" / "tags"
OWNERS: dict[str, frozenset[str]] = {
    **{name: check.tags for name, check in CHECKS.items()},
    "overrides": frozenset(overrides.TAGS),
    "shipping": frozenset(shipping.TAGS),
    "archive": frozenset(archive.TAGS),
}
SHIPPING_CASES = ("shipping-mismatch", "shipping-unshipped")


def source_trees() -> list[Path]:
    roots = (REPO / "tests" / "packages", REPO / "docs" / "examples", TAGS_DIR)
    return sorted(p for root in roots for p in root.iterdir() if (p / "debian" / "control").is_file())


FINDING = re.compile(r"^[EWIPCO]: \S* ?(?:source|binary)?: (\S+)")


def tags_of(lines: list[str]) -> set[str]:
    """The tag of each finding line ('X: PACKAGE [source]: TAG CONTEXT...')."""
    return {match[1] for match in map(FINDING.match, lines) if match}


@functools.lru_cache(maxsize=None)
def lint_tags() -> frozenset[str]:
    return frozenset(f.tag for tree in source_trees() for f in check_tree(load_tree(tree)))


def shipping_lines(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """dh_installmodelprovenance in a copy of the case: it installs files."""
    tree = tmp_path / case
    shutil.copytree(TAGS_DIR / case, tree, symlinks=True)
    monkeypatch.chdir(tree)
    err = io.StringIO()
    dh_install.main([], env={"PATH": "/usr/bin:/bin"}, err=err)
    return err.getvalue().splitlines()


def archive_lines() -> list[str]:
    scan = archive.scan_archive([str(TAGS_DIR / "archive" / "Sources")], [str(TAGS_DIR / "archive" / "Packages")])
    assert scan.errors == []
    return [text_line(f.finding) for f in scan.findings]


def test_every_tag_has_one_owner_and_the_catalog_names_it() -> None:
    owner_of = {tag: name for name, tags in OWNERS.items() for tag in tags}
    assert sum(len(tags) for tags in OWNERS.values()) == len(owner_of), "a tag with two owners"
    catalog = default_catalog()
    assert {name: catalog[name].check for name in catalog.names()} == owner_of


@pytest.mark.parametrize("owner", [*CHECKS, "overrides"])
def test_every_tag_a_lint_owner_owns_is_emitted_by_a_fixture(owner: str) -> None:
    assert sorted(OWNERS[owner] - lint_tags()) == []


def test_every_shipping_tag_is_emitted_by_a_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emitted = set().union(*(tags_of(shipping_lines(case, tmp_path, monkeypatch)) for case in SHIPPING_CASES))
    assert sorted(OWNERS["shipping"] - emitted) == []


def test_every_archive_tag_is_emitted_by_a_fixture() -> None:
    emitted = tags_of(archive_lines())
    assert sorted(OWNERS["archive"] - emitted) == [] and emitted <= OWNERS["archive"] | set(BUILD_TAGS)


@pytest.mark.parametrize("case", sorted(p.name for p in TAGS_DIR.iterdir() if (p / "debian" / "control").is_file()))
def test_tag_fixtures_give_exactly_their_expected_findings(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = TAGS_DIR / case
    lines = [text_line(f) for f in check_tree(load_tree(tree))]
    assert lines == expected_lines(tree / "expected-findings")
    if case in SHIPPING_CASES:
        assert shipping_lines(case, tmp_path, monkeypatch) == expected_lines(tree / "expected-install-findings")


def test_archive_fixture_gives_exactly_its_expected_findings() -> None:
    expected = expected_lines(TAGS_DIR / "archive" / "expected-findings")
    assert archive_lines() == [line.replace("{file}", str(TAGS_DIR / "archive" / "Sources")) for line in expected]


def foreign(tree: object) -> list[Finding]:
    """A check that emits a tag of another family."""
    return [Finding("toy", "source", "unused-override", "anything")]


def test_a_tag_its_check_does_not_own_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CHECKS, "relations", Check(foreign, CHECKS["relations"].tags))
    tree = load_tree(TAGS_DIR / "unknown-archive-area")
    with pytest.raises(UnownedTag, match="^relations emitted unused-override, a tag it does not own$"):
        run_checks(tree)


def test_an_unowned_tag_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CHECKS, "relations", Check(foreign, CHECKS["relations"].tags))
    err = io.StringIO()
    status = cli.main(["lint", str(TAGS_DIR / "unknown-archive-area")], out=io.StringIO(), err=err, env={})
    assert (status, err.getvalue()) == (
        3, "modelcheck: error: internal error: UnownedTag: relations emitted unused-override, a tag it does not own\n")
