"""Run the registered checks over a source tree: findings, severities from
the catalog, then overrides."""

from __future__ import annotations

from typing import Iterable, Optional

from .checks import CHECKS
from .findings import Catalog, Finding, default_catalog
from .overrides import apply_overrides, load_overrides
from .profiles import profile
from .source import SourceTree


def run_checks(tree: SourceTree, names: Optional[Iterable[str]] = None) -> list[Finding]:
    """Raw findings of the named check families (all by default), unstamped."""
    selected = CHECKS if names is None else {n: CHECKS[n] for n in names}
    return [finding for check in selected.values() for finding in check(tree)]


def check_tree(tree: SourceTree, catalog: Optional[Catalog] = None) -> list[Finding]:
    """Findings with their severities: the catalog's, then the profile's."""
    catalog = catalog or default_catalog()
    policy = profile(tree.profile)
    overrides = load_overrides(tree.root, tree.source_name, catalog)
    raw = run_checks(tree) + list(overrides.problems)
    return [policy.restamp(catalog.stamp(f)) for f in apply_overrides(raw, overrides, tree.source_name)]
