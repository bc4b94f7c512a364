"""Knowledge of proprietary accelerator stacks, read from data/accelerators.desc.

Exact names are looked up in a set; the glob patterns are compiled into one
regular expression so that matching a name costs one call whatever the
number of patterns (the archive scan matches hundreds of thousands).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
from pathlib import Path
from typing import Iterable, Mapping, Optional

from debian.deb822 import Deb822

from .errors import DataError
from .findings import DATA_DIR


@dataclasses.dataclass(frozen=True)
class Stack:
    id: str
    name: str
    vendor: str
    packages: frozenset[str]
    patterns: tuple[str, ...]
    alternatives: str


def _words(value: Optional[str]) -> list[str]:
    return (value or "").split()


def _stack(stanza: Mapping[str, str]) -> Stack:
    return Stack(
        id=stanza["Stack"],
        name=stanza["Name"],
        vendor=stanza["Vendor"],
        # Outside-Debian only annotates names of Packages/Patterns for the verifier.
        packages=frozenset(_words(stanza.get("Packages"))),
        patterns=tuple(_words(stanza.get("Patterns"))),
        alternatives=" ".join(stanza["Alternatives"].split()),
    )


class Accelerators:
    def __init__(self, stacks: Iterable[Stack]) -> None:
        self.stacks = tuple(stacks)
        self._by_name = {name: stack for stack in self.stacks for name in stack.packages}
        # One alternation, a named group per stack, so one match says which stack.
        groups = [
            f"(?P<s{i}>{'|'.join(fnmatch.translate(p) for p in stack.patterns)})"
            for i, stack in enumerate(self.stacks)
            if stack.patterns
        ]
        self._patterns = re.compile("|".join(groups)) if groups else None

    @classmethod
    def load(cls, path: Path) -> "Accelerators":
        try:
            with open(path, encoding="utf-8") as handle:
                return cls(_stack(s) for s in Deb822.iter_paragraphs(handle, use_apt_pkg=False))
        except (OSError, KeyError, ValueError) as exc:
            raise DataError(f"{path}: {exc}") from None

    def match(self, package: str) -> Optional[Stack]:
        """The stack a binary package name belongs to, or None."""
        stack = self._by_name.get(package)
        if stack is not None or self._patterns is None:
            return stack
        found = self._patterns.match(package)
        if found is None:
            return None
        # fnmatch.translate may add groups of its own ("g1"); ours are "sN".
        index = next(k for k, v in found.groupdict().items() if k.startswith("s") and v is not None)
        return self.stacks[int(index[1:])]


@functools.lru_cache(maxsize=None)
def default_accelerators() -> Accelerators:
    return Accelerators.load(DATA_DIR / "accelerators.desc")
