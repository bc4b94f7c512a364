"""SourceTree: everything the checks read about one unpacked source package,
parsed once, each part when a check first asks for it.  Checks only read it.

The provenance file and the model files are loaded lazily: PyYAML is
imported only when a provenance file exists, and a check that does not need
the tree walked does not pay for it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from .control import AREAS, Area, Control, Stanza, load_control
from .errors import UnusableInput
from . import DEFAULT_PROFILE

if TYPE_CHECKING:
    from .discover import Discovery
    from .provenance_file import Document, LoadError
    from .schema import Violation

PROVENANCE = "debian/model-provenance.yaml"


class SourceTree:
    def __init__(
        self, root: Path, control: Control, selected: Optional[frozenset[str]] = None, profile: str = DEFAULT_PROFILE
    ) -> None:
        self.root = root
        self.control = control
        # Binary packages to check (dh's -p/-N/-a/-i selection); None means all.
        self.selected = selected
        # The policy profile the checks judge by (see data/profiles.desc).
        self.profile = profile

    def with_selection(self, selected: Optional[frozenset[str]]) -> "SourceTree":
        return SourceTree(self.root, self.control, selected, self.profile)

    @property
    def source_name(self) -> str:
        return self.control.source_name

    def binaries(self) -> list[Stanza]:
        return [
            b for b in self.control.binaries
            if self.selected is None or b.get("Package") in self.selected
        ]

    def package_names(self) -> list[str]:
        return [b.get("Package") or "" for b in self.control.binaries]

    @functools.cached_property
    def provenance(self) -> Union[None, "Document", "LoadError"]:
        """The parsed provenance file, the reason it cannot be parsed, or
        None when the source has none."""
        path = self.root / PROVENANCE
        if not path.exists() and not path.is_symlink():
            return None
        from .provenance_file import LoadError, load

        try:
            return load(path, self.root)
        except LoadError as exc:
            return exc

    @functools.cached_property
    def violations(self) -> list["Violation"]:
        """The provenance file's schema violations (none when it is absent
        or unreadable: those are reported otherwise)."""
        from .provenance_file import Document
        from .schema import violations

        document = self.provenance
        return list(violations(document.data)) if isinstance(document, Document) else []

    @functools.cached_property
    def valid_provenance(self) -> Optional["Document"]:
        """The provenance document if it loads and follows the schema: the
        checks that reason about its facts run only on such a document."""
        document = self.provenance
        if document is None or self.violations:
            return None
        from .provenance_file import Document

        return document if isinstance(document, Document) else None

    @functools.cached_property
    def discovery(self) -> "Discovery":
        """Model files found in the tree by content and name."""
        from .discover import discover

        return discover(self.root, skip=self.control.build_directories())


def load_tree(root: Path, selected: Optional[frozenset[str]] = None, profile: str = DEFAULT_PROFILE) -> SourceTree:
    if not root.is_dir():
        raise UnusableInput(f"{root}: not a directory")
    return SourceTree(root, load_control(root), selected, profile)


def model_area(tree: SourceTree, model: dict[str, Any]) -> Area:
    """Where the weights end up: the strictest area among the binary
    packages that carry them (all of them by default).  A model no binary
    package ships is still distributed in the source package's area.  The
    one rule every check and export uses for a model's area."""
    listed = model.get("Binary-Packages")
    if listed == []:
        return tree.control.area
    names = set(listed or tree.package_names())
    areas = [tree.control.binary_area(b) for b in tree.control.binaries if b.get("Package") in names]
    return min(areas or [tree.control.area], key=lambda a: AREAS.index(a.name))
