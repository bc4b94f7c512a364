"""Where pickles hide in one file, found by content whatever its name:

- a pickle (any protocol), or several in a row (legacy PyTorch files);
- a pickle compressed as joblib compresses (zlib, gzip, bz2, xz, lzma, and
  lz4 when python3-lz4 is installed), with joblib's arrays in between;
- every member of a zip archive (PyTorch, npz, .keras, any other) that
  starts as a pickle or an npy array of objects, read through zipfile, each
  entry of a duplicated name on its own; PyTorch's tensor members (DIR/data/
  KEY beside DIR/data.pkl) are never read, since torch never unpickles them;
- an npy array of objects (its pickle follows the header);
- PyTorch's legacy tar archive (torch_tar);
- the model config of a Keras HDF5 file or a .keras archive.

A member zipfile cannot read (an unknown compression method, encryption, a
local header that disagrees with the directory, a bad CRC) fails closed.
"""

from __future__ import annotations

import io
import json
import re
import struct
import tarfile
import zipfile
from typing import NamedTuple, Optional

from ..formats import containers
from ..formats.base import HEAD_BYTES, Sample, suffix
from ..formats.hdf5 import SIGNATURE as HDF5_SIGNATURE
from . import joblib, keras, streams, torch_tar
from .sniff import TEXT_FIRST
from .opcodes import PROTOCOLS, Walked, walk, walk_all
from .streams import STREAM_ERRORS, Source

NPY_MAGIC = b"\x93NUMPY"
# An object dtype anywhere in an npy header: '|O', 'O8', or a field of one.
OBJECT_DTYPE = re.compile(rb"""['"][<>|=]?O\d*['"]""")
MEMBER_HEAD_BYTES = 4096
ZIP_MEMBER_BUDGET = 4 * streams.PICKLE_BYTES
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile) + STREAM_ERRORS
# Opcodes that name or call: a stream that decodes up to one is a pickle.
CALLING = frozenset({"GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "REDUCE", "NEWOBJ", "NEWOBJ_EX", "BUILD",
                     "EXT1", "EXT2", "EXT4", "BINPERSID", "PERSID"})
PICKLE_NAMES = ("pkl", "pickle", "joblib", "pt", "pth", "bin", "ckpt")


class Found(NamedTuple):
    member: str  # "" for the file itself
    walked: Walked
    pickled: bool  # False for a Keras config


def _failed(member: str, why: str) -> Found:
    return Found(member, Walked(problems=[why]), True)


def looks_pickled(head: bytes) -> bool:
    """Whether bytes start a pickle: they decode to STOP, or to an opcode
    that names or calls (a short malicious pickle ends in garbage after
    its REDUCE, and still runs), or through enough opcodes."""
    import pickletools

    binary = len(head) >= 3 and head[0] == 0x80 and head[1] in PROTOCOLS
    if not binary and head[:1] not in [bytes([b]) for b in TEXT_FIRST]:
        return False
    enough, named = (8, False) if binary else (64, False)
    try:
        for count, (opcode, _arg, _pos) in enumerate(pickletools.genops(io.BytesIO(head))):
            if opcode.name == "STOP" or count >= enough:
                return True
            if opcode.name in CALLING:
                # Text that happens to decode one GLOBAL is not enough.
                if binary or named:
                    return True
                named = opcode.name in ("GLOBAL", "INST")
    except (ValueError, UnicodeDecodeError):
        return False
    return False


def _npy(source: Source) -> Optional[Walked]:
    """The pickle of an npy array of objects, walked; None for other arrays."""
    start = source.read(12)
    if not start.startswith(NPY_MAGIC) or len(start) < 12 or start[6] not in (1, 2, 3):
        return None
    length = struct.unpack_from("<H", start, 8)[0] if start[6] == 1 else struct.unpack_from("<I", start, 8)[0]
    header = (start[10:] if start[6] == 1 else b"") + source.read(max(0, length - (2 if start[6] == 1 else 0)))
    if not OBJECT_DTYPE.search(header):
        return None
    return walk(source)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Optional[Found]:
    name = info.filename
    if info.flag_bits & 0x1:
        return _failed(name, "an encrypted member")
    if info.compress_type not in READABLE_METHODS:
        return _failed(name, f"compression method {info.compress_type}, which zipfile cannot read")
    try:
        with archive.open(info) as member:
            head = member.read(MEMBER_HEAD_BYTES)
        if name.endswith("config.json") and head.lstrip().startswith(b"{"):
            return _config(archive, info)
        if not head.startswith(NPY_MAGIC) and not looks_pickled(head):
            return None
        with archive.open(info) as member:
            source = streams.reading(member)
            walked = _npy(source) if head.startswith(NPY_MAGIC) else walk_all(source, joblib.HOOKS)
            return Found(name, walked, True) if walked is not None else None
    except ZIP_ERRORS as exc:
        return _failed(name, f"a member zipfile cannot read ({type(exc).__name__})")


def _config(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Optional[Found]:
    if info.file_size > keras.CONFIG_BYTES:
        return _failed(info.filename, f"a config larger than {keras.CONFIG_BYTES >> 20} MiB")
    try:
        config = json.loads(archive.read(info))
    except (ValueError, RecursionError):
        return None  # not JSON (or nested beyond json's reach): Keras cannot load it either
    walked = Walked()
    keras.inspect(config, walked)
    return Found(info.filename, walked, False)


def _tensor_members(names: list[str]) -> set[str]:
    """PyTorch's storages: DIR/data/KEY beside DIR/data.pkl."""
    prefixes = {n[:-len("data.pkl")] for n in names if n == "data.pkl" or n.endswith("/data.pkl")}
    return {n for n in names for p in prefixes if n.startswith(p + "data/") and "/" not in n[len(p) + 5:]}


def _zip(s: Sample) -> list[Found]:
    assert s.read_at is not None
    try:
        archive = containers.open_zip(s.read_at, s.size, ZIP_MEMBER_BUDGET)
    except ZIP_ERRORS as exc:
        return [_failed("", f"a zip archive zipfile cannot list ({type(exc).__name__})")]
    with archive:
        infos = archive.infolist()
        skipped = _tensor_members([i.filename for i in infos])
        found = [_member(archive, i) for i in infos if not i.is_dir() and i.filename not in skipped]
    return [f for f in found if f is not None]


def _hdf5(s: Sample) -> list[Found]:
    assert s.read_at is not None
    configs = keras.hdf5_configs(s.read_at, s.size)
    walked = Walked()
    for config in configs:
        keras.inspect(config, walked)
    return [Found("", walked, False)] if configs else []


def _compressed(s: Sample, kind: str) -> list[Found]:
    assert s.read_at is not None
    try:
        reader = streams.decompressed(kind, io.BufferedReader(containers.file_reader(s.read_at, s.size)))
        if reader is None:
            named = suffix(s.name) in PICKLE_NAMES
            return [_failed("", f"{kind} compression, which cannot be read here")] if named else []
        source = streams.reading(reader)
        if not looks_pickled(source.peek(MEMBER_HEAD_BYTES)):
            return []
    except STREAM_ERRORS:
        return []  # not a stream of that compression: no loader reads it either
    return [Found("", walk_all(source, joblib.HOOKS), True)]


def _tar(s: Sample) -> list[Found]:
    """PyTorch's legacy tar: each member that holds pickles, walked."""
    assert s.read_at is not None
    found = []
    try:
        with tarfile.open(fileobj=io.BufferedReader(containers.file_reader(s.read_at, s.size)), mode="r:") as archive:
            for member in torch_tar.members(archive):
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                source = streams.reading(handle)
                if member.name in torch_tar.READERS or looks_pickled(source.peek(MEMBER_HEAD_BYTES)):
                    found.append(Found(member.name, torch_tar.walk_member(member.name, source), True))
    except (tarfile.TarError,) + STREAM_ERRORS as exc:
        found.append(_failed("", f"a tar archive tarfile cannot read ({type(exc).__name__})"))
    return found


def _hdf5_at(head: bytes) -> bool:
    offsets = [0] + [512 << n for n in range(16) if (512 << n) + 8 <= len(head)]
    return any(head[o:o + 8] == HDF5_SIGNATURE for o in offsets)


def holds_pickle(s: Sample) -> bool:
    """A pickle, or a compressed one, starts the file."""
    if looks_pickled(s.head):
        return True
    kind = streams.compression(s.head)
    if kind is None:
        return False
    try:
        reader = streams.decompressed(kind, io.BytesIO(s.head))
        return reader is not None and looks_pickled(reader.read(MEMBER_HEAD_BYTES))
    except STREAM_ERRORS:
        return False


def scan(s: Sample) -> list[Found]:
    """Every pickle (and Keras config) in one file, walked."""
    head = s.head
    if s.read_at is None or not head:
        return []
    if head.startswith(b"PK\x03\x04"):
        return _zip(s)
    if head.startswith(NPY_MAGIC):
        try:
            walked = _npy(streams.at(s.read_at, s.size))
        except STREAM_ERRORS as exc:
            return [_failed("", f"an npy header that cannot be read ({type(exc).__name__})")]
        return [Found("", walked, True)] if walked is not None else []
    if _hdf5_at(head):
        return _hdf5(s)
    if torch_tar.is_tar(head):
        return _tar(s)
    if looks_pickled(head[:HEAD_BYTES]):
        return [Found("", walk_all(streams.at(s.read_at, s.size), joblib.HOOKS), True)]
    kind = streams.compression(head)
    return _compressed(s, kind) if kind else []
