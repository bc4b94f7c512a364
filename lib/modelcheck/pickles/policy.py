"""The verdict on one callable a pickle names: safe (allowlisted), dangerous
(denylisted, or no constant name), or unknown.  The lists are data, in
data/pickle-callables.desc."""

from __future__ import annotations

import enum
import functools
import re
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

from ..datafile import DATA_DIR, Stanzas, read_data

POLICY_FILE = DATA_DIR / "pickle-callables.desc"
# A dotted Python name: what find_class can resolve without surprises.
DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
# Attributes that lead from any object to any other (a function's globals,
# a class's subclasses): a name that walks through one reaches anything.
# __setstate__ is what BUILD calls, and is judged as its class.
ESCAPES = frozenset({
    "__globals__", "__builtins__", "__dict__", "__class__", "__base__", "__bases__", "__mro__",
    "__subclasses__", "__getattribute__", "__getattr__", "__reduce__", "__reduce_ex__", "__code__",
    "__closure__", "__func__", "__self__", "__module__", "__loader__", "__spec__", "__import__",
    "__init__", "__new__", "__call__", "__init_subclass__",
})


class Verdict(enum.IntEnum):
    """Ordered so that the worst of several is their max()."""

    SAFE = 0
    UNKNOWN = 1
    DANGEROUS = 2


class Entry(NamedTuple):
    name: str
    module: bool  # a whole module (denylist only)
    verdict: Verdict
    why: str


class Policy:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self.safe = {e.name for e in self.entries if e.verdict is Verdict.SAFE}
        self.callables = {e.name for e in self.entries if e.verdict is Verdict.DANGEROUS and not e.module}
        self.modules = {e.name for e in self.entries if e.verdict is Verdict.DANGEROUS and e.module}

    def verdict(self, name: str) -> Verdict:
        """Safe only by exact name.  Dangerous when a dotted tail of the name
        is denylisted: pickle's find_class walks attributes, so
        "torch.os.system" reaches os.system."""
        if name.endswith(".__setstate__"):
            # What BUILD calls on an object: judged as what made the object
            # (an allowlisted rebuild's __setstate__ is part of what was vetted).
            return self.verdict(name[:-len(".__setstate__")])
        if not DOTTED.match(name):
            return Verdict.DANGEROUS
        if name in self.safe:
            return Verdict.SAFE
        parts = name.split(".")
        if any(p in ESCAPES for p in parts[1:]):
            return Verdict.DANGEROUS
        for start in range(len(parts)):
            tail = parts[start:]
            if ".".join(tail) in self.callables and len(tail) >= 2:
                return Verdict.DANGEROUS
            if any(".".join(tail[:n]) in self.modules for n in range(1, len(tail) + 1)):
                return Verdict.DANGEROUS
        return Verdict.UNKNOWN


def _entry(stanza: Mapping[str, str]) -> Entry:
    module = "Module" in stanza
    name = stanza["Module"] if module else stanza["Callable"]
    verdict = Verdict[stanza["Verdict"].upper()]
    if verdict is Verdict.UNKNOWN or (module and verdict is Verdict.SAFE) or not DOTTED.match(name):
        raise ValueError(f"{name}: not a valid entry")
    return Entry(name, module, verdict, " ".join(stanza["Why"].split()))


def _policy(stanzas: Stanzas) -> Policy:
    return Policy(_entry(stanza) for stanza in stanzas)


def load(path: Path) -> Policy:
    return read_data(path, _policy)


@functools.lru_cache(maxsize=None)
def default_policy() -> Policy:
    return load(POLICY_FILE)
