"""dh_installmodelprovenance: install the validated provenance file as
/usr/share/doc/PKG/model-provenance.yaml in the binary packages that carry
the declared model files, and check them against Binary-Packages.

It is a command of its own rather than a second dh_modelcheck run because a
command appears at most once in a dh sequence, and dh_modelcheck runs before
anything is built.  The addon runs it after dh_compress: by then dh_install
and the package's own rules have put the weights into debian/PKG, and no
dh_compress, overridden or not, can compress the file it installs
(dh_fixperms and dh_md5sums, which follow, cover it as any other file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, TextIO

from .dh import DEBUG_OPTION, OWN_DEFAULTS, debhelper_main, report
from .errors import CannotRead, UnusableInput
from .options import EXIT_OK
from .safeio import read_limited, write_or_refuse
from .source import PROVENANCE, SourceTree, load_tree

if TYPE_CHECKING:
    from .findings import Finding

TOOL = "dh_installmodelprovenance"
INSTALLED_NAME = "model-provenance.yaml"


def validated(tree: SourceTree) -> tuple[bytes, Any]:
    """The provenance file's bytes and data, if it loads and is valid; read
    through the same SourceTree dh_modelcheck checks."""
    from .provenance_file import MAX_BYTES, LoadError

    if isinstance(tree.provenance, LoadError):
        raise UnusableInput(f"{PROVENANCE}: {tree.provenance.message}; dh_modelcheck reports the details")
    if tree.valid_provenance is None:
        raise UnusableInput(f"{PROVENANCE} is not valid; dh_modelcheck reports the violations")
    try:
        return read_limited(tree.root / PROVENANCE, MAX_BYTES, tree.root), tree.valid_provenance.data
    except CannotRead as exc:  # replaced since it was parsed
        raise exc.named(PROVENANCE) from None


def refuse_unknown_packages(data: Any, known: Sequence[str]) -> None:
    named = {name for model in data["Models"] for name in model.get("Binary-Packages", [])}
    unknown = sorted(named - set(known))
    if unknown:
        raise UnusableInput(f"{PROVENANCE}: Binary-Packages names unknown package(s): {', '.join(unknown)}")


def package_tree(package: str, args: argparse.Namespace) -> Path:
    """Where the package is assembled: debian/PKG, or -P's directory."""
    return Path(args.tmpdir) if args.tmpdir else Path("debian") / package


def install_file(content: bytes, destination: Path, root: Path) -> None:
    """As install -D -m0644 would, but atomically, and reaching the
    destination from the package's tree (root) without following a link on
    the way: a usr/ or usr/share/ that is a link out of debian/PKG is
    refused rather than written through."""
    write_or_refuse(str(destination), destination, content, 0o644, root, make_parents=True)


def install(content: bytes, packages: Sequence[str], args: argparse.Namespace, err: TextIO) -> None:
    for package in packages:
        root = package_tree(package, args)
        doc = root / "usr" / "share" / "doc" / package
        if doc.is_symlink():  # dh_installdocs --link-doc: the target package's copy serves
            continue
        if args.verbose:
            err.write(f"\tinstall -m0644 {PROVENANCE} {doc / INSTALLED_NAME}\n")
        if not args.no_act:
            install_file(content, doc / INSTALLED_NAME, root)


def judged(tree: SourceTree, raw: list["Finding"], judged_all: bool) -> list["Finding"]:
    """Severities and overrides as for dh_modelcheck's findings.  Overrides
    of this family's tags that matched nothing are reported only when every
    package was judged: under -p, -a or -i their package may be elsewhere."""
    from .checks.shipping import TAGS
    from .engine import judge
    from .findings import default_catalog
    from .overrides import load_overrides
    from .ownership import owned

    catalog = default_catalog()
    overrides = load_overrides(tree.root, tree.source_name, catalog)
    mine = frozenset(TAGS)
    return judge(tree, owned("shipping", mine, raw), overrides, catalog, lambda tag: judged_all and tag in mine)


def run(args: argparse.Namespace, env: Mapping[str, str], err: TextIO) -> int:
    from .checks import shipping

    selected = frozenset(args.packages)
    # No --fail-on or --profile of its own: findings are judged as
    # dh_modelcheck judges them by default.
    args = argparse.Namespace(**{**OWN_DEFAULTS, **vars(args)})
    tree = load_tree(Path("."), profile=args.profile)
    if tree.provenance is None:
        return EXIT_OK
    content, data = validated(tree)
    known = tree.package_names()
    refuse_unknown_packages(data, known)
    acted = sorted(selected & set(known))
    wanted = shipping.wanted_files(tree, tree.valid_provenance)
    located = shipping.locate(wanted, {p: package_tree(p, args) for p in acted})
    install(content, sorted(shipping.carriers(located)), args, err)
    if args.no_act:
        return EXIT_OK
    judged_all = set(acted) == set(known)
    raw = list(shipping.check(tree, tree.valid_provenance, wanted, located, acted, judged_all))
    return report(judged(tree, raw, judged_all), args, err, TOOL)


def main(
    argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None,
    err: TextIO = sys.stderr, out: TextIO = sys.stdout,
) -> int:
    return debhelper_main(TOOL, DEBUG_OPTION, run, argv, env, err, out)
