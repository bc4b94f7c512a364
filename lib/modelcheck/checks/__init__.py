"""The check registry: one entry per check family, in the order they run.

A check is a function from a SourceTree to findings without severity; it
never prints, exits or decides severity.  Registering checks here, rather
than discovering modules, keeps an import error from hiding a check.  The
shipping family is not here: it judges the built package trees, which only
dh_installmodelprovenance sees.
"""

from __future__ import annotations

from typing import Callable, Iterator

from ..findings import Finding
from ..source import SourceTree
from . import classification, copyright, files, provenance, relations, training, unsafe_load

Check = Callable[[SourceTree], Iterator[Finding]]

CHECKS: dict[str, Check] = {
    "relations": relations.check,
    "provenance": provenance.check,
    "files": files.check,
    "classification": classification.check,
    "training": training.check,
    "copyright": copyright.check,
    "unsafe-load": unsafe_load.check,
}
