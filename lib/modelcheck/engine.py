"""Run the registered checks over a source tree: findings, severities from
the catalog, then overrides."""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from .checks import CHECKS, shipping
from .findings import Catalog, Finding, default_catalog
from .overrides import OverrideFile, apply_overrides, load_overrides
from .profiles import profile
from .source import SourceTree


def run_checks(tree: SourceTree, names: Optional[Iterable[str]] = None) -> list[Finding]:
    """Raw findings of the named check families (all by default), unstamped."""
    selected = CHECKS if names is None else {n: CHECKS[n] for n in names}
    return [finding for check in selected.values() for finding in check(tree)]


def check_tree(tree: SourceTree, catalog: Optional[Catalog] = None) -> list[Finding]:
    """Findings with their severities: the catalog's, then the profile's."""
    catalog = catalog or default_catalog()
    overrides = load_overrides(tree.root, tree.source_name, catalog)
    raw = run_checks(tree) + list(overrides.problems)
    # The shipping family runs at install time: its overrides are judged there.
    return judge(tree, raw, overrides, catalog, lambda tag: catalog[tag].check != shipping.FAMILY)


def judge(
    tree: SourceTree, raw: Iterable[Finding], overrides: OverrideFile, catalog: Catalog, emits: Callable[[str], bool],
) -> list[Finding]:
    """Raw findings stamped with the catalog's severity, then the profile's,
    and marked when overridden; emits(tag) says which tags this run can emit."""
    policy = profile(tree.profile)
    return [policy.restamp(catalog.stamp(f)) for f in apply_overrides(raw, overrides, tree.source_name, emits)]
