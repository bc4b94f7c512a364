"""Tags belong to the checks that emit them.  Every emitter (a check family,
or a front end's own findings: overrides, scan-archive, shipping) declares
the tags it owns as a module-level TAGS tuple, and the runners pass each
finding through owned() before it is stamped.  A tag its emitter does not
own is a bug in dh-modelcheck, reported as an internal error (status 3)."""

from __future__ import annotations

from typing import AbstractSet, Iterable, Iterator

from .findings import Finding


class UnownedTag(Exception):
    """An emitter produced a tag it does not own: a bug, not bad input."""


def owned(emitter: str, tags: AbstractSet[str], findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings, refusing any whose tag ``emitter`` may not emit."""
    for finding in findings:
        if finding.tag not in tags:
            raise UnownedTag(f"{emitter} emitted {finding.tag}, a tag it does not own")
        yield finding
