"""The tag catalog: well formed, and every tag in the code in it (test_ownership
proves every tag is emitted)."""

import ast
from pathlib import Path

from modelcheck.findings import Severity, default_catalog

LIB = Path(__file__).resolve().parents[2] / "lib" / "modelcheck"


def test_catalog_entries_are_complete() -> None:
    catalog = default_catalog()
    for name in catalog.names():
        tag = catalog[name]
        assert tag.explanation.strip() and tag.check
        assert isinstance(tag.severity, Severity)
        assert all(isinstance(s, Severity) for s in tag.cases.values())


def literal_tags() -> set[str]:
    """String literals that name tags in the code: Finding(...)'s third
    argument and module constants ending in _TAG."""
    found = set()
    for path in LIB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding" and len(node.args) > 2:
                if isinstance(node.args[2], ast.Constant):
                    found.add(node.args[2].value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                if any(getattr(t, "id", "").endswith("_TAG") for t in node.targets):
                    found.add(node.value.value)
    return found


def test_every_tag_in_the_code_is_in_the_catalog() -> None:
    tags = literal_tags()
    assert len(tags) >= 7
    assert sorted(tags - set(default_catalog().names())) == []

