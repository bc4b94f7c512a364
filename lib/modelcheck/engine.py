"""Run the registered checks over a source tree: findings, each refused
unless its check owns its tag, severities from the catalog, then overrides."""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from . import overrides as override_file
from .checks import CHECKS, shipping
from .findings import Catalog, Finding, default_catalog
from .overrides import OverrideFile, apply_overrides, load_overrides
from .ownership import owned
from .profiles import profile
from .source import SourceTree


def run_checks(tree: SourceTree, names: Optional[Iterable[str]] = None) -> list[Finding]:
    """Raw findings of the named check families (all by default), unstamped."""
    selected = CHECKS if names is None else {n: CHECKS[n] for n in names}
    return [finding for name, check in selected.items() for finding in owned(name, check.tags, check.run(tree))]


def check_tree(tree: SourceTree, catalog: Optional[Catalog] = None) -> list[Finding]:
    """Findings with their severities: the catalog's, then the profile's."""
    catalog = catalog or default_catalog()
    overrides = load_overrides(tree.root, tree.source_name, catalog)
    raw = run_checks(tree) + list(owned("overrides", frozenset(override_file.TAGS), overrides.problems))
    # The shipping family runs at install time: its overrides are judged there.
    return judge(tree, raw, overrides, catalog, lambda tag: tag not in shipping.TAGS)


def judge(
    tree: SourceTree, raw: Iterable[Finding], overrides: OverrideFile, catalog: Catalog, emits: Callable[[str], bool],
) -> list[Finding]:
    """Raw findings stamped with the catalog's severity, then the profile's,
    and marked when overridden; emits(tag) says which tags this run can emit."""
    policy = profile(tree.profile)
    return [policy.restamp(catalog.stamp(f)) for f in apply_overrides(raw, overrides, tree.source_name, emits)]
