"""dh_installmodelprovenance: install the validated provenance file as
/usr/share/doc/PKG/model-provenance.yaml.

It is a command of its own rather than a second dh_modelcheck run because a
command appears at most once in a dh sequence, and installing must happen
after dh_prep has emptied debian/PKG/ (the addon inserts it after
dh_installdocs, and excludes the file from dh_compress so it stays
readable as YAML).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, TextIO

from .dh import DEBUG_OPTION, debhelper_main, package_dir
from .errors import UnusableInput
from .options import EXIT_OK
from .safeio import ReadError, read_limited, write_atomically
from .source import PROVENANCE, SourceTree, load_tree

TOOL = "dh_installmodelprovenance"
INSTALLED_NAME = "model-provenance.yaml"


def target_packages(data: Any, all_packages: Sequence[str]) -> set[str]:
    """Union of the models' Binary-Packages; a model without the field ends
    up in every binary package."""
    targets: set[str] = set()
    for model in data.get("Models", []):
        targets.update(model.get("Binary-Packages") or all_packages)
    return targets


def validated(tree: SourceTree) -> tuple[bytes, Any]:
    """The provenance file's bytes and data, if it loads and is valid; read
    through the same SourceTree dh_modelcheck checks."""
    from .provenance import MAX_BYTES, LoadError

    if isinstance(tree.provenance, LoadError):
        raise UnusableInput(f"{PROVENANCE}: {tree.provenance.message}; dh_modelcheck reports the details")
    if tree.valid_provenance is None:
        raise UnusableInput(f"{PROVENANCE} is not valid; dh_modelcheck reports the violations")
    try:
        return read_limited(tree.root / PROVENANCE, MAX_BYTES), tree.valid_provenance.data
    except ReadError as exc:  # replaced since it was parsed
        raise UnusableInput(f"{PROVENANCE}: {exc}") from None


def install_file(content: bytes, destination: Path) -> None:
    """As install -m0644 would, but atomically."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(destination, content)


def run(args: argparse.Namespace, env: Mapping[str, str], err: TextIO) -> int:
    selected = frozenset(args.packages)
    root = Path(".")
    tree = load_tree(root)
    if tree.provenance is None:
        return EXIT_OK
    content, data = validated(tree)
    known = tree.package_names()
    targets = target_packages(data, known)
    unknown = sorted(targets - set(known))
    if unknown:
        raise UnusableInput(f"{PROVENANCE}: Binary-Packages names unknown package(s): {', '.join(unknown)}")
    for package in sorted(targets & selected):
        doc = root / package_dir(args, package) / "usr" / "share" / "doc" / package
        if doc.is_symlink():  # dh_installdocs --link-doc: the target package's copy serves
            continue
        if args.verbose:
            err.write(f"\tinstall -m0644 {PROVENANCE} {doc / INSTALLED_NAME}\n")
        if not args.no_act:
            install_file(content, doc / INSTALLED_NAME)
    return EXIT_OK


def main(
    argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None,
    err: TextIO = sys.stderr, out: TextIO = sys.stdout,
) -> int:
    return debhelper_main(TOOL, DEBUG_OPTION, run, argv, env, err, out)
