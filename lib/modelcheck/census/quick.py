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

Speed: a suite's Contents are some 800 MB once decompressed, and nearly
every line has a dot, where Python's regular expression engine starts an
attempt: over large blocks it still takes as long as decompressing them,
while grep's DFA takes a quarter of that.  So zlib decompresses in large
blocks (faster than gzip's own inflate, and without the interpreter lock),
a thread writes them to one `grep -E -i` (Essential: yes, C locale) with
the same rules as a POSIX pattern, and Python parses only the few lines
grep passes, with its own compiled pattern.  zgrep runs gzip and grep;
this runs a faster inflate and the same grep.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Mapping, NamedTuple

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
    """A Contents line whose path ends in a candidate's suffix, without its
    newline: group 1 the path, group 2 the suffix, group 3 the packages."""
    return re.compile(rb"(.*\.(" + _trie(named).encode() + rb"))[ \t]+([^ \t]+)")


def grep_pattern(named: Mapping[str, str] = NAMED) -> str:
    """The same lines as a POSIX extended pattern, for grep -E -i in the C
    locale: "[[:blank:]]" is a space or a tab, as "[ \\t]" above."""
    return r"\.(" + "|".join(sorted(named)) + r")[[:blank:]]+[^[:blank:]]+$"


def _blocks(path: Path) -> Iterator[bytes]:
    """The plain text of a Contents file, plain or gzip-compressed, in
    large blocks."""
    try:
        raw = open(path, "rb", buffering=0)
    except OSError as exc:
        raise unreadable(str(path), exc) from None
    with raw:
        chunk = raw.read(BLOCK)
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS) if chunk.startswith(GZIP_MAGIC) else None
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


def _feed(path: Path, sink: BinaryIO, errors: list[BaseException]) -> None:
    """Write a file's plain text to grep; what goes wrong is kept for the
    reading thread, which raises it."""
    last = b"\n"
    try:
        for block in _blocks(path):
            if block:
                sink.write(block)
                last = block[-1:]
        if last != b"\n":
            raise CannotRead("text ends inside a line", str(path))
    except BrokenPipeError:
        pass  # grep stopped; its status says why
    except BaseException as exc:
        errors.append(exc)
    finally:
        try:
            sink.close()
        except BrokenPipeError:
            pass


def _matching_lines(path: Path, named: Mapping[str, str]) -> list[bytes]:
    """The lines of a Contents file that grep selects."""
    try:
        grep = subprocess.Popen(["grep", "-E", "-i", "-a", "--", grep_pattern(named)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env={**os.environ, "LC_ALL": "C"})
    except OSError as exc:
        raise UnusableInput(f"cannot run grep: {exc.strerror or exc}") from None
    errors: list[BaseException] = []
    feeder = threading.Thread(target=_feed, args=(path, grep.stdin, errors), daemon=True)
    feeder.start()
    assert grep.stdout is not None
    with grep.stdout:
        lines = grep.stdout.read().split(b"\n")[:-1]  # grep ends every line it writes with a newline
    feeder.join()
    status = grep.wait()
    if errors:
        raise errors[0]
    if status not in (0, 1):
        raise UnusableInput(f"{path}: grep failed (exit status {status})")
    return lines


def _hint(suffix: str, named: Mapping[str, str]) -> str:
    return f"name .{suffix} ({named[suffix]})"


def scan_file(path: Path, named: Mapping[str, str] = NAMED) -> Iterator[Candidate]:
    """The candidates of one Contents file, one per (package, path)."""
    pattern = name_pattern(named)
    for line in _matching_lines(path, named):
        match = pattern.fullmatch(line)
        if match is None:
            continue  # the two patterns agree on every line; should they not, a line is dropped, not misread
        name = match.group(1).decode("utf-8", "replace")
        hint = _hint(match.group(2).decode("ascii").lower(), named)
        for location in match.group(3).decode("utf-8", "replace").split(","):
            section, _, package = location.rpartition("/")
            yield Candidate(area_of_section(section).name, package, name, hint)


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
