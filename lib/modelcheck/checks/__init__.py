"""The check registry: one entry per check family, in the order they run,
with the tags the family owns.

A check is a function from a SourceTree to findings without severity; it
never prints, exits or decides severity.  Each check module declares the
tags it may emit in its TAGS tuple, and the engine refuses any other.
Registering checks here, rather than discovering modules, keeps an import
error from hiding a check.  The shipping family is not here: it judges the
built package trees, which only dh_installmodelprovenance sees.
"""

from __future__ import annotations

from types import ModuleType
from typing import Callable, Iterator, NamedTuple

from ..findings import Finding
from ..source import SourceTree
from . import classification, copyright, files, provenance, relations, training, unsafe_load


class Check(NamedTuple):
    run: Callable[[SourceTree], Iterator[Finding]]
    tags: frozenset[str]  # the tags it owns: tags.desc names it in their Check field


def _registered(module: ModuleType) -> Check:
    return Check(module.check, frozenset(module.TAGS))


CHECKS: dict[str, Check] = {
    "relations": _registered(relations),
    "provenance": _registered(provenance),
    "files": _registered(files),
    "classification": _registered(classification),
    "training": _registered(training),
    "copyright": _registered(copyright),
    "unsafe-load": _registered(unsafe_load),
}
