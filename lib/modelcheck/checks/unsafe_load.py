"""Model files that run code when they are loaded: every pickle a model file
holds (and every Keras config), walked without loading it.  See
lib/modelcheck/pickles/ for the walk and data/pickle-callables.desc for the
allowlist and denylist."""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterator

from ..discover import NotRegular, examine
from ..errors import CannotRead
from ..findings import Finding
from ..source import SourceTree

if TYPE_CHECKING:
    from ..pickles.places import Found
    from ..pickles.policy import Policy

EXECUTES_TAG = "model-file-executes-code-on-load"
UNKNOWN_TAG = "model-file-loads-unknown-callables"
PLAIN_DATA_TAG = "pickled-model-could-be-plain-data"
TAGS = (EXECUTES_TAG, UNKNOWN_TAG, PLAIN_DATA_TAG)
# How many offending callables an executes-code finding names, and how many
# names an unknown-callables finding lists.
FIRST_OFFENDERS = 3
LISTED_NAMES = 12


def _listed(items: list[str], limit: int) -> str:
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f", and {more} more" if more > 0 else "")


def _unknown(found: "Found", policy: "Policy") -> list[str]:
    """Unknown names in the order reached; a class's __setstate__ goes with
    the class when both are listed."""
    from ..pickles.policy import Verdict

    names = [n for n in found.walked.reached if policy.verdict(n) is Verdict.UNKNOWN]
    listed = set(names)
    owners = [n for n in names if not (n.endswith(".__setstate__") and n[:-len(".__setstate__")] in listed)]
    return owners + found.walked.unresolved


def _judge(path: str, found: "Found", policy: "Policy", source: str) -> Iterator[Finding]:
    from ..pickles.policy import Verdict

    where = f"{path} member {found.member}" if found.member else path
    walked = found.walked
    dangerous = [n for n in walked.reached if policy.verdict(n) is Verdict.DANGEROUS] + walked.problems
    if dangerous:
        yield Finding(source, "source", EXECUTES_TAG, f"{where} ({_listed(dangerous, FIRST_OFFENDERS)})", path)
        return
    unknown = _unknown(found, policy)
    if unknown:
        yield Finding(source, "source", UNKNOWN_TAG, f"{where} ({_listed(unknown, LISTED_NAMES)})", path)


def _scanned(tree: SourceTree, path: str, scan: Callable) -> list["Found"]:
    """What scan finds in the file at path (relative to the root), reached
    from the root without following a link on the way (safeio), as
    discovery reached it."""
    from ..safeio import open_directory

    parts = PurePosixPath(path).parts
    directory = open_directory(tree.root, parts[:-1])
    try:
        results, _size = examine(parts[-1], parts[-1], scan, path, dir_fd=directory)
    finally:
        os.close(directory)
    return results


def check(tree: SourceTree) -> Iterator[Finding]:
    discovery = tree.discovery
    models = {m.path for m in discovery.models}
    paths = sorted(models | set(discovery.pickled))
    if not paths:
        return  # most packages: nothing to walk, nothing more to import
    from ..pickles.places import scan
    from ..pickles.policy import default_policy

    policy = default_policy()
    for path in paths:
        try:
            results = _scanned(tree, path, scan)
        except (NotRegular, OSError, CannotRead):
            continue  # a SavedModel directory, or a file gone since discovery (reported there)
        findings = [f for found in results for f in _judge(path, found, policy, tree.source_name)]
        yield from findings
        pickles = [found for found in results if found.pickled]
        # The hint is about models; a pickle that is no model (a test
        # fixture) is only reported when it runs code.
        if pickles and not findings and path in models:
            context = f"{path} (pickled; rebuilds only tensors, arrays and containers)"
            yield Finding(tree.source_name, "source", PLAIN_DATA_TAG, context, path)
