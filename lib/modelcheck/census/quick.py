"""Quick mode: model file candidates by name, from a suite's Contents
indices alone.

A Contents file lists every file of every binary package of one area and
architecture, one "PATH  SECTION/PACKAGE,SECTION/PACKAGE" line each (the
section prefixed by the area outside main: contrib/science/foo).  Nothing
is fetched but those indices, so a whole suite takes seconds: the result
ranks the deep scan and covers the sources it has not fetched yet.  A
candidate is only a name: its hint says which name rule matched.

The name rules are the recognisers' own (formats.NAMED: the suffixes that
alone make a file a candidate), so quick mode and the deep scan agree on
what a model's name looks like.

Speed: the files are hundreds of megabytes once decompressed, and nearly
every line has a dot.  One compiled bytes pattern runs over large
decompressed blocks, never line by line; its alternatives form a trie
with both cases spelled out, since an ignore-case pattern loses the
regular expression engine's search for its literal first byte.  A second
thread decompresses (zlib releases the interpreter lock) while the main
one matches, as zgrep's gzip and grep run side by side.
"""

from __future__ import annotations

import queue
import re
import sqlite3
import threading
import zlib
from pathlib import Path
from typing import Iterable, Iterator, Mapping, NamedTuple, Optional

from ..control import area_of_section
from ..errors import CannotRead, UnusableInput, unreadable
from ..formats import NAMED
from . import store

BLOCK = 1 << 22
GZIP_MAGIC = b"\x1f\x8b"
# apt's Contents target, as apt-file configures it, for a private apt
# configuration: `apt-get update` then keeps Contents-ARCH (and, with
# APT::Architectures including all, Contents-all) in its lists directory.
APT_CONTENTS_TARGET = {
    "Acquire::IndexTargets::deb::Contents-deb::MetaKey": "$(COMPONENT)/Contents-$(ARCHITECTURE)",
    "Acquire::IndexTargets::deb::Contents-deb::ShortDescription": "Contents-$(ARCHITECTURE)",
    "Acquire::IndexTargets::deb::Contents-deb::Description": "$(RELEASE)/$(COMPONENT) $(ARCHITECTURE) Contents (deb)",
    "Acquire::IndexTargets::deb::Contents-deb::flatMetaKey": "Contents-$(ARCHITECTURE)",
    "Acquire::IndexTargets::deb::Contents-deb::flatDescription": "$(RELEASE) Contents (deb)",
    "Acquire::IndexTargets::deb::Contents-deb::KeepCompressed": "true",
    "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled": "true",
}


class Candidate(NamedTuple):
    area: str
    package: str
    path: str
    hint: str


def apt_options() -> list[str]:
    """The -o options that make `apt-get update` fetch Contents indices."""
    return [arg for key, value in APT_CONTENTS_TARGET.items() for arg in ("-o", f"{key}={value}")]


def contents_files(lists_dir: Path) -> list[Path]:
    """The Contents indices apt keeps in a lists directory."""
    return sorted(p for p in lists_dir.iterdir() if "_Contents-" in p.name and not p.name.endswith(".diff_Index"))


def _either_case(text: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


def _trie(words: Iterable[str]) -> str:
    """An alternation of words as a trie, so that a failing byte is given
    up at once instead of once per word."""
    words = sorted(set(words))
    optional = "" in words
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    parts = [_either_case(first) + _trie(rests) for first, rests in groups.items()]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if optional and parts else body


def name_pattern(named: Mapping[str, str] = NAMED) -> re.Pattern[bytes]:
    """A Contents line whose path ends in a candidate's suffix: group 1 the
    suffix, group 2 the packages.  The match starts at the suffix's dot:
    the line's start is looked up only for the few lines that match."""
    return re.compile(rb"\.(" + _trie(named).encode() + rb")[ \t]+([^ \t\n]+)\n")


def _blocks(path: Path) -> Iterator[bytes]:
    """The plain text of a Contents file, plain or gzip-compressed, in
    large blocks."""
    try:
        raw = open(path, "rb", buffering=0)
    except OSError as exc:
        raise unreadable(str(path), exc) from None
    with raw:
        first = raw.read(BLOCK)
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS) if first.startswith(GZIP_MAGIC) else None
        chunk = first
        try:
            while chunk:
                if decompressor is None:
                    yield chunk
                else:
                    yield decompressor.decompress(chunk)
                    # A further gzip member follows the finished one.
                    while decompressor.eof and decompressor.unused_data:
                        rest = decompressor.unused_data
                        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
                        yield decompressor.decompress(rest)
                chunk = raw.read(BLOCK)
        except zlib.error as exc:
            raise CannotRead(f"gzip data corrupt ({exc})", str(path)) from None
        if decompressor is not None and not decompressor.eof:
            raise CannotRead("gzip data truncated", str(path))


def _ahead(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """The same blocks, produced by a second thread a few blocks ahead."""
    handoff: "queue.Queue[tuple[Optional[bytes], Optional[BaseException]]]" = queue.Queue(maxsize=4)

    def produce() -> None:
        try:
            for block in blocks:
                handoff.put((block, None))
            handoff.put((None, None))
        except BaseException as exc:  # handed to the reading thread, which raises it
            handoff.put((None, exc))

    threading.Thread(target=produce, daemon=True).start()
    while True:
        block, error = handoff.get()
        if error is not None:
            raise error
        if block is None:
            return
        yield block


def _lines(path: Path) -> Iterator[bytes]:
    """Whole lines, in blocks: a block's last partial line goes with the next."""
    tail = b""
    for block in _ahead(_blocks(path)):
        block = tail + block if tail else block
        cut = block.rfind(b"\n") + 1
        tail = block[cut:]
        if cut:
            yield block[:cut] if tail else block
    if tail:
        raise CannotRead("text ends inside a line", str(path))


def _hint(suffix: str, named: Mapping[str, str]) -> str:
    return f"name .{suffix} ({named[suffix]})"


def scan_file(path: Path, named: Mapping[str, str] = NAMED) -> Iterator[Candidate]:
    """The candidates of one Contents file, one per (package, path)."""
    pattern = name_pattern(named)
    for block in _lines(path):
        for match in pattern.finditer(block):
            start = block.rfind(b"\n", 0, match.start()) + 1
            name = block[start:match.start(1) + len(match.group(1))].decode("utf-8", "replace")
            suffix = match.group(1).decode("ascii").lower()
            for location in match.group(2).decode("utf-8", "replace").split(","):
                section, _, package = location.rpartition("/")
                yield Candidate(area_of_section(section).name, package, name, _hint(suffix, named))


def scan(paths: Iterable[Path], named: Mapping[str, str] = NAMED) -> list[Candidate]:
    """The candidates of several Contents files (an architecture's and
    Contents-all list a package once each), without repeats, sorted."""
    return sorted({c for path in paths for c in scan_file(path, named)})


def run(conn: sqlite3.Connection, suite: str, paths: Iterable[Path]) -> list[Candidate]:
    """Scan the Contents files and store the suite's candidates."""
    paths = list(paths)
    if not paths:
        raise UnusableInput(f"{suite}: no Contents index to read")
    candidates = scan(paths)
    store.record_candidates(conn, suite, candidates)
    return candidates
