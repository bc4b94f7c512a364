"""SourceTree: everything the checks read about one unpacked source package,
parsed once.  Checks only read it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional

from .control import Control, Stanza, load_control
from .errors import UnusableInput


class SourceTree(NamedTuple):
    root: Path
    control: Control
    # Binary packages to check (dh's -p/-N/-a/-i selection); None means all.
    selected: Optional[frozenset[str]] = None

    @property
    def source_name(self) -> str:
        return self.control.source_name

    def binaries(self) -> list[Stanza]:
        return [
            b for b in self.control.binaries
            if self.selected is None or b.get("Package") in self.selected
        ]


def load_tree(root: Path, selected: Optional[frozenset[str]] = None) -> SourceTree:
    if not root.is_dir():
        raise UnusableInput(f"{root}: not a directory")
    return SourceTree(root, load_control(root), selected)
