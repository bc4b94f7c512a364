"""Model files in a source package's tarballs, read as streams.

Nothing is unpacked to disk and nothing from a tarball is run: tarfile reads
each tarball in stream mode ('r|*', any compression it knows), and every
regular member goes through the same rules as discover's walk of a tree
(discover.read_from: which names are read from which size on) and the same
recognisers (formats.classify).  A member is read into memory whole when it
is at most MEMORY_BYTES, so that a recogniser that looks at its tail (a zip's
central directory) sees what it sees in a tree; a larger one is judged on its
head alone, as a decompressed stream is, and hashed as it streams past.

Paths are those of the unpacked tree, as dpkg-source makes it: an orig or
native tarball whose members all sit under one top directory loses that
directory; a component tarball (orig-COMP) lands in COMP/; the debian
tarball of a 3.0 (quilt) source replaces the orig tarball's debian/.  Then
discover's other rules apply: skipped directories, a SavedModel reported
once as its directory, companions (ncnn's X.bin beside X.param) reported
with their description.  Quilt patches are not applied: a model a patch adds
is not seen (patches are text, models rarely travel in them).
"""

from __future__ import annotations

import hashlib
import lzma
import posixpath
import tarfile
import zlib
from typing import BinaryIO, Callable, NamedTuple, Optional

from ..control import build_directory
from ..discover import PLAIN, SKIPPED_DIRS, SKIPPED_NAMES, read_from
from ..formats import COMPANIONS, HEAD_BYTES, Match, Sample, by_name, classify
from ..formats.tensorflow import saved_model
from ..provenance_file import MAX_BYTES as PROVENANCE_BYTES
from .store import FoundFile

MEMORY_BYTES = 128 * 1024 * 1024
PROVENANCE = "debian/model-provenance.yaml"
CHUNK = 1024 * 1024
COMPANION_SUFFIXES = frozenset(COMPANIONS.values())
Judge = Callable[[Sample], Optional[Match]]
# What a damaged or truncated compressed tarball raises while streaming.
DAMAGE = (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError)


class Damaged(Exception):
    """A tarball that cannot be read to its end."""


class Tarball(NamedTuple):
    """One tarball of a source package and where dpkg-source unpacks it."""

    handle: BinaryIO
    label: str  # its file name, for messages
    role: str  # "orig", "component" or "debian" (the debian tarball or a native one holds debian/)
    component: str = ""  # the orig-COMP name


class Found(NamedTuple):
    raw: str  # member name, without a leading ./
    match: Match
    size: int
    sha256: Optional[str]


class Member(NamedTuple):
    size: int
    sha256: Optional[str]  # only for possible companions


class TarballScan(NamedTuple):
    found: tuple[Found, ...]
    members: dict[str, Member]  # every regular member by raw name
    saved_models: tuple[tuple[str, bool], ...]  # (raw directory, parses)
    provenance: Optional[bytes]  # debian/model-provenance.yaml, when this tarball has it


def _hash_rest(member: BinaryIO, start: bytes) -> str:
    digest = hashlib.sha256(start)
    while chunk := member.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _judge(member: BinaryIO, name: str, size: int, rel: str, judge: Judge = classify,
           hash_anyway: bool = False) -> tuple[Optional[Match], Optional[str]]:
    """A member's match, and its sha256 when it is one (or hash_anyway:
    a possible companion, whose own content tells nothing)."""
    if size <= MEMORY_BYTES:
        data = member.read()
        sample = Sample(name, size, data[:HEAD_BYTES], lambda offset, length: data[offset:offset + length], rel)
        match = judge(sample)
        return match, hashlib.sha256(data).hexdigest() if match or hash_anyway else None
    head = member.read(HEAD_BYTES)
    match = judge(Sample(name, size, head, None, rel))
    return match, _hash_rest(member, head) if match or hash_anyway else None


def _companion_name(name: str) -> bool:
    return any(name.endswith(s) for s in COMPANION_SUFFIXES)


def _strip_guess(raw: str) -> str:
    return raw.partition("/")[2] if "/" in raw else raw


def scan_tarball(tarball: Tarball) -> TarballScan:
    """Stream one tarball; raise Damaged when it cannot be read to the end
    (what was found before stays in the exception's args[1])."""
    found: list[Found] = []
    members: dict[str, Member] = {}
    saved: list[tuple[str, bool]] = []
    provenance = None
    try:
        with tarfile.open(fileobj=tarball.handle, mode="r|*") as stream:
            for info in stream:
                if not info.isreg():
                    continue
                raw = info.name.removeprefix("./")
                name = posixpath.basename(raw)
                rel = raw if tarball.role == "debian" and raw.startswith("debian/") else _strip_guess(raw)
                handle = stream.extractfile(info)
                assert handle is not None  # a regular member always has content
                sha = None
                if rel == PROVENANCE and info.size <= PROVENANCE_BYTES:
                    provenance = handle.read()
                elif name == "saved_model.pb":
                    parses, _ = _judge(handle, name, info.size, rel, saved_model)
                    saved.append((posixpath.dirname(raw), bool(parses)))
                else:
                    threshold = read_from(name)
                    if threshold is not PLAIN and info.size >= threshold:
                        companion = _companion_name(name)
                        match, sha = _judge(handle, name, info.size, rel, hash_anyway=companion)
                        if match is not None:
                            found.append(Found(raw, match, info.size, sha))
                        sha = sha if companion else None
                    elif info.size == 0 and (named := by_name(name)) is not None:
                        found.append(Found(raw, Match(named, "name", "empty file"), 0, hashlib.sha256().hexdigest()))
                    elif _companion_name(name):
                        sha = _hash_rest(handle, b"")
                members[raw] = Member(info.size, sha)
    except DAMAGE as exc:
        partial = TarballScan(tuple(found), members, tuple(saved), provenance)
        raise Damaged(f"{tarball.label}: {_damage(exc)}", partial) from None
    return TarballScan(tuple(found), members, tuple(saved), provenance)


def _damage(exc: BaseException) -> str:
    """A short reason; the library's text is kept only as a detail."""
    kind = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"unreadable ({kind}{': ' + text if text else ''})"


def _top(raws: list[str]) -> Optional[str]:
    """The one top directory every member sits under, if there is one."""
    tops = {r.partition("/")[0] for r in raws}
    if len(tops) == 1 and all("/" in r for r in raws):
        return tops.pop()
    return None


def tree_path(raw: str, tarball: Tarball, top: Optional[str]) -> str:
    rel = raw.partition("/")[2] if top is not None and tarball.role != "debian" else raw
    if tarball.role == "debian" and top is not None and not raw.startswith("debian/"):
        rel = raw.partition("/")[2]  # a native tarball: pkg-1.0/...
    return f"{tarball.component}/{rel}" if tarball.component else rel


def _skipped(path: str, binaries: frozenset[str]) -> bool:
    parts = path.split("/")
    if any(p in SKIPPED_NAMES for p in parts[:-1]):
        return True
    dirs = {"/".join(parts[:i]) for i in range(1, len(parts))}
    return bool(dirs & SKIPPED_DIRS) or (len(parts) > 2 and parts[0] == "debian" and parts[1] in binaries)


class TreeFiles(NamedTuple):
    files: tuple[FoundFile, ...]
    provenance: Optional[bytes]


def assemble(scans: list[tuple[Tarball, TarballScan]], binaries: frozenset[str], quilt: bool) -> TreeFiles:
    """The model files of the unpacked tree that these tarballs make."""
    files: dict[str, FoundFile] = {}
    sizes: dict[str, Member] = {}
    saved: list[tuple[str, bool]] = []
    provenance = None
    # Only names that lint would skip as debhelper's build directories.
    binaries = frozenset(b for b in binaries if build_directory(b) is not None)
    for tarball, scan in scans:
        top = _top(list(scan.members))
        dropped = quilt and tarball.role != "debian"  # the debian tarball replaces debian/

        def place(raw: str) -> Optional[str]:
            path = tree_path(raw, tarball, top)
            if (dropped and (path == "debian" or path.startswith("debian/"))) or _skipped(path, binaries):
                return None
            return path

        for raw, member in scan.members.items():
            if (path := place(raw)) is not None:
                sizes[path] = member
        for f in scan.found:
            if (path := place(f.raw)) is not None:
                files[path] = FoundFile(path, f.match.format, f.size, f.sha256, f.match.evidence)
        for raw_dir, parses in scan.saved_models:
            if (path := place(raw_dir + "/saved_model.pb")) is not None:
                saved.append((posixpath.dirname(path) or ".", parses))
        provenance = scan.provenance if scan.provenance is not None else provenance
    _companions(files, sizes)
    for directory, parses in saved:
        inside = [p for p in sizes if directory == "." or p.startswith(directory + "/")]
        for p in inside:
            files.pop(p, None)
        size = sum(sizes[p].size for p in inside)
        files[directory] = FoundFile(directory, "tensorflow", size, None, "content" if parses else "name")
    return TreeFiles(tuple(sorted(files.values())), provenance)


def _companions(files: dict[str, FoundFile], sizes: dict[str, Member]) -> None:
    for model in list(files.values()):
        suffix = COMPANIONS.get(model.format)
        if not suffix:
            continue
        path = model.path.rpartition(".")[0] + suffix
        member = sizes.get(path)
        if member is not None and path not in files:
            files[path] = FoundFile(path, model.format, member.size, member.sha256, "content")
