"""Small builders for unit tests: a source tree on disk from control text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from modelcheck.engine import check_tree
from modelcheck.report import text_line
from modelcheck.source import load_tree

SOURCE = """\
Source: toy
Section: {section}
Maintainer: Toy Maintainer <toy@example.org>
Build-Depends: {build_depends}
"""

BINARY = """
Package: toy
Architecture: all
Description: toy
 toy
"""


def write_tree(root: Path, control: str, overrides: Optional[str] = None) -> Path:
    (root / "debian" / "source").mkdir(parents=True, exist_ok=True)
    (root / "debian" / "control").write_text(control, encoding="utf-8")
    if overrides is not None:
        (root / "debian" / "source" / "modelcheck-overrides").write_text(overrides, encoding="utf-8")
    return root


def control(build_depends: str = "debhelper-compat (= 13)", section: str = "science", binary: str = BINARY) -> str:
    return SOURCE.format(section=section, build_depends=build_depends) + binary


def lint_lines(root: Path, show_overridden: bool = False) -> list[str]:
    """Exact lintian-style lines for a tree, as modelcheck lint prints them."""
    return [text_line(f) for f in check_tree(load_tree(root)) if show_overridden or not f.overridden]
