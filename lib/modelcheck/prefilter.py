"""The prefilter of scan-archive: one regular expression that finds, in the
relation text of a batch of stanzas, every place where a package the scan
judges may be named.  It may admit too much, never too little: the scan
then parses and judges only the stanzas it admits.
"""

from __future__ import annotations

import re
from typing import Iterable

from .accelerators import literal_prefix


def _trie(words: Iterable[bytes]) -> bytes:
    """A regex matching any text that starts with one of ``words``; shared
    prefixes are factored out so that a mismatch fails at once."""
    root: dict = {}
    for word in sorted(set(words), key=len):
        node = root
        for byte in word:
            if None in node:
                break  # a shorter word already matches every continuation
            node = node.setdefault(byte, {})
        else:
            node.clear()
            node[None] = True
    return _emit(root)


def _emit(root: dict) -> bytes:
    """The trie as a regex, built children first without recursion: a
    package name of an index is as long as the index makes it, and the
    trie as deep."""
    emitted: dict[int, bytes] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if None in node:
            emitted[id(node)] = b""
        elif not children_done:
            stack.append((node, True))
            stack += [(child, False) for child in node.values()]
        else:
            branches = [re.escape(bytes([byte])) + emitted[id(child)] for byte, child in sorted(node.items())]
            emitted[id(node)] = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return emitted[id(root)]


_WILDCARD = re.compile(r"\*|\?|\[[^]]*\]")


class Prefilter:
    """Finds every place in relation text where a package the scan judges
    may be named.  python-debian reads a name at the start of a relation or
    an alternative: after the start of the field, ',' or '|', and optional
    whitespace.  So the expression looks there, and only there (a cheap
    test at most bytes), for the exact names and the literal prefix of
    each glob.  A glob that starts with a
    wildcard is looked for anywhere by its longest literal part, and one
    without any literal part makes every stanza a candidate."""

    def __init__(self, names: Iterable[str], globs: Iterable[str]) -> None:
        starts = {n.encode() for n in names}
        anywhere: set[bytes] = set()
        self.everything = False
        for glob in globs:
            prefix = literal_prefix(glob)
            if prefix:
                starts.add(prefix.encode())
                continue
            longest = max(_WILDCARD.split(glob), key=len)
            anywhere.add(longest.encode())
            self.everything |= not longest
        # NUL separates stanzas in a batch (see batch_text).
        parts = [rb"[,|\n\x00]\s*" + _trie(starts)] if starts else []
        parts += [_trie(anywhere)] if anywhere and not self.everything else []
        self.regex = re.compile(b"|".join(parts) or rb"(?!)")

    def may_name(self, text: str) -> bool:
        return self.everything or self.regex.search(b"\n" + text.encode()) is not None

    def candidates(self, joined: bytes, stanzas: int) -> set[int]:
        """The stanzas of a batch_text in which a judged name may occur."""
        if self.everything or joined.count(SEPARATOR) != stanzas:
            return set(range(stanzas))  # or a NUL byte in the index text
        # A match's last byte lies inside the name, so inside its own stanza.
        return stanzas_at(joined, (m.end() - 1 for m in self.regex.finditer(joined)))


SEPARATOR = b"\x00"  # before each stanza in a batch; deb822 text holds none


def batch_text(texts: Iterable[bytes]) -> bytes:
    """One text for a batch of stanzas, so that one regex run covers them."""
    return SEPARATOR + SEPARATOR.join(texts)


def stanzas_at(joined: bytes, positions: Iterable[int]) -> set[int]:
    """The stanza of each (increasing) position in a batch_text."""
    found, stanza, previous = set(), -1, 0
    for position in positions:
        stanza += joined.count(SEPARATOR, previous, position + 1)
        previous = position + 1
        found.add(stanza)
    return found
