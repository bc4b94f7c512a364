"""Knowledge of proprietary accelerator stacks, read from data/accelerators.desc.

Exact names are looked up in a dict.  Glob patterns are indexed by the first
characters of their literal prefix, so a name is compared only with the few
patterns that could match it and fnmatch compiles (and caches) only those:
a build whose relations name no accelerator compiles no pattern at all, and
an archive scan stays linear in the number of names.

A name may contain substitution variables (libcudnn${abi}-dev in a binary
package's Depends, expanded by dpkg-gencontrol).  Each variable stands for
any text, so such a name matches a stack when some expansion of it would:
a variable never hides an accelerator.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional

from .datafile import DATA_DIR, read_data
from .relation_fields import SUBSTVAR


class Stack(NamedTuple):
    id: str
    name: str
    vendor: str
    packages: frozenset[str]
    patterns: tuple[str, ...]
    alternatives: str
    aliases: tuple[str, ...] = ()


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
        aliases=tuple(_words(stanza.get("Aliases"))),
    )


# Patterns are indexed by this many leading literal characters.
KEY = 3
# A version after a name: " 8.9", "-12.1", " v11", " 2024.1".
TRAILING_VERSION = re.compile(r"[\s_-]*v?[0-9][0-9a-z.+~-]*$", re.IGNORECASE)
# One glob token: a wildcard, a bracket expression, or a character.
GLOB_TOKEN = re.compile(r"\*|\?|\[!?\]?[^]]*\]|.", re.DOTALL)


def literal_prefix(pattern: str) -> str:
    """The characters of a glob before its first wildcard."""
    for index, char in enumerate(pattern):
        if char in "*?[":
            return pattern[:index]
    return pattern


def globs_meet(first: str, second: str) -> bool:
    """Whether some text matches both globs.  ``first`` has only '*' as a
    wildcard (a name whose variables became '*'); ``second`` is any glob."""
    left, right = GLOB_TOKEN.findall(first), GLOB_TOKEN.findall(second)

    @functools.lru_cache(maxsize=None)
    def meet(i: int, j: int) -> bool:
        if i == len(left) and j == len(right):
            return True
        # A '*' on either side may match nothing...
        if i < len(left) and left[i] == "*" and meet(i + 1, j):
            return True
        if j < len(right) and right[j] == "*" and meet(i, j + 1):
            return True
        if i == len(left) or j == len(right):
            return False
        # ...or one more character, which the other side's token must take.
        if left[i] == "*":
            return right[j] != "*" and meet(i, j + 1)
        if right[j] == "*":
            return meet(i + 1, j)
        return fnmatch.fnmatchcase(left[i], right[j]) and meet(i + 1, j + 1)

    return meet(0, 0)


class Accelerators:
    def __init__(self, stacks: Iterable[Stack]) -> None:
        self.stacks = tuple(stacks)
        self._by_name = {name: stack for stack in self.stacks for name in stack.packages}
        # (literal prefix, pattern, stack), bucketed by the prefix's first
        # KEY characters; prefixes shorter than KEY go to _unkeyed.
        self._by_key: dict[str, list[tuple[str, str, Stack]]] = {}
        self._unkeyed: list[tuple[str, str, Stack]] = []
        for stack in self.stacks:
            for pattern in stack.patterns:
                prefix = literal_prefix(pattern)
                bucket = self._by_key.setdefault(prefix[:KEY], []) if len(prefix) >= KEY else self._unkeyed
                bucket.append((prefix, pattern, stack))

    @classmethod
    def load(cls, path: Path) -> "Accelerators":
        return read_data(path, lambda stanzas: cls(map(_stack, stanzas)))

    def match(self, package: str) -> Optional[Stack]:
        """The stack a binary package name belongs to, or None."""
        if "${" in package:
            return self._match_template(package)
        stack = self._by_name.get(package)
        if stack is not None:
            return stack
        # Many patterns share "lib": the literal prefix rules most of them
        # out before fnmatch compiles anything.
        for prefix, pattern, stack in self._by_key.get(package[:KEY], []) + self._unkeyed:
            if package.startswith(prefix) and fnmatch.fnmatchcase(package, pattern):
                return stack
        return None

    @functools.cached_property
    def _by_common_name(self) -> dict[str, Stack]:
        """Each stack by its id, its Name and its aliases, case-folded, with
        and without the vendor's name in front."""
        names: dict[str, Stack] = {}
        for stack in self.stacks:
            for name in (stack.id, stack.name) + stack.aliases:
                names.setdefault(name.casefold(), stack)
                names.setdefault(f"{stack.vendor} {name}".casefold(), stack)
        return names

    def named(self, name: str) -> Optional[Stack]:
        """The stack a Training Stack entry names: the whole name, ignoring
        case and a trailing version ('cuDNN 8.9', 'NVIDIA CUDA v12'), must
        be the stack's id, Name or an alias.  Never a substring: 'AMD ROCm
        (no CUDA)' and 'HIPIFY of CUDA kernels' name no proprietary stack."""
        words = " ".join(name.split())
        return self._by_common_name.get(TRAILING_VERSION.sub("", words).casefold())

    def _match_template(self, template: str) -> Optional[Stack]:
        """The stack of some expansion of a name with variables."""
        glob = SUBSTVAR.sub("*", template)
        for stack in self.stacks:
            if any(fnmatch.fnmatchcase(name, glob) for name in stack.packages):
                return stack
            if any(globs_meet(glob, pattern) for pattern in stack.patterns):
                return stack
        return None


@functools.lru_cache(maxsize=None)
def default_accelerators() -> Accelerators:
    return Accelerators.load(DATA_DIR / "accelerators.desc")
