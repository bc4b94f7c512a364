"""What kind of model a file is, from its first bytes and, failing that, its name.

Each recogniser reads a ``Sample``: the file's name and size, a bounded head
(at most HEAD_BYTES), and a way to read a few more bytes at an offset, which
only the zip recogniser uses (for the central directory at the end of the
file).  Recognisers never execute anything they read: pickles are walked with
pickletools, JSON and protobuf only far enough to check their structure.

Content first, name second: a renamed model is found by its bytes, and a file
whose name promises a model but whose bytes do not still shows up, with
evidence "name", so that a maintainer looks at it.

Formats recognised by content (the layouts are the formats' own):

- safetensors: little-endian u64 N (2 <= N <= 100 MiB, N + 8 <= size), then a
  JSON object: byte 8 is "{", and the next non-blank byte is '"' or "}".
- GGUF: "GGUF" and a u32 version 1..1000.
- npy: "\\x93NUMPY" with major version 1..3.
- zip archives, by member names from the central directory: PyTorch
  (a member "data.pkl" or ".../data.pkl"), Keras 3 (config.json and
  model.weights.h5), npz (every member ends in ".npy").
- HDF5: the superblock signature at offset 0, 512, 1024, ... within the
  head; keras when the head mentions keras_version or model_config (the root
  attributes Keras 2 writes), hdf5 otherwise.
- TFLite: FlatBuffer identifier "TFL3" at bytes 4..8, root offset in bounds.
- NNUE (Stockfish and its kin): u32 version 0x7AF32F16 (Stockfish 12-14,
  YaneuraOu) or 0x7AF32F20 (Stockfish 15 and later), a u32 hash, a u32
  description length that fits the file.
- legacy PyTorch: a protocol 2 pickle whose first value is torch's magic
  number 0x1950a86a20f9469cfc6c.
- pickle: protocol 2..5 whose first opcodes decode, at least 1 KiB unless
  the name says pickle (small pickles are test fixtures, not networks).
- ONNX: see ``onnx`` below; generic protobuf is easy to mistake for ONNX.
- Caffe: only files named .caffemodel, whose first protobuf field is a
  NetParameter field (name, layers or layer).
- gzip: the first HEAD_BYTES of the decompressed stream are sniffed again:
  Leela Chess Zero networks (protobuf starting with fixed32 magic 0x1c0),
  KataGo networks (model name, version, two more integers), and any of the
  formats above that need no tail read, e.g. Leela Zero's text weights.
- text: at least 64 KiB, no NUL in the head, and >= 90% of the head's tokens
  (split at blanks, commas and semicolons) are numbers.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from typing import Callable, Iterator, NamedTuple, Optional

HEAD_BYTES = 64 * 1024
TEXT_MIN_BYTES = 64 * 1024
# The tail read that finds the zip end-of-central-directory record: the
# record (22 bytes) plus the longest comment a zip may carry.
ZIP_TAIL_BYTES = 22 + 65535
# A central directory larger than this is not read; such an archive is left
# to its name.  4 MiB holds some 50,000 members.
ZIP_DIRECTORY_MAX = 4 * 1024 * 1024
SAFETENSORS_HEADER_MAX = 100 * 1024 * 1024
SMALL_PICKLE_BYTES = 1024

FORMATS = (
    "safetensors", "onnx", "pytorch", "gguf", "hdf5", "tflite", "tensorflow", "keras",
    "npy", "npz", "pickle", "nnue", "caffe", "text", "other",
)

# Suffix (lower case, without the dot) -> the format the name suggests.
# Only suffixes: "weights.c" or "load_weights.py" are source code.
NAMED = {
    "safetensors": "safetensors", "onnx": "onnx", "ort": "onnx", "pt": "pytorch",
    "pth": "pytorch", "gguf": "gguf", "h5": "hdf5", "hdf5": "hdf5", "keras": "keras",
    "tflite": "tflite", "npy": "npy", "npz": "npz", "pkl": "pickle", "pickle": "pickle",
    "joblib": "pickle", "nnue": "nnue", "caffemodel": "caffe", "ckpt": "other",
    "mlmodel": "other", "pdparams": "other", "weights": "other",
}
PICKLE_SUFFIXES = ("pkl", "pickle", "joblib", "pt", "pth")

ReadAt = Callable[[int, int], bytes]  # (offset, length) -> bytes


class Sample(NamedTuple):
    name: str
    size: int
    head: bytes
    read_at: Optional[ReadAt] = None  # None for a decompressed stream


class Match(NamedTuple):
    format: str
    evidence: str  # "content" or "name"
    description: str


def suffix(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def by_name(name: str) -> Optional[str]:
    return NAMED.get(suffix(name))


def _u32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<I", data, offset)[0])


def _u64(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<Q", data, offset)[0])


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _printable(data: bytes) -> str:
    return data.decode("ascii", "replace") if data.isascii() and data.decode().isprintable() else ""


# --- safetensors, GGUF, npy, TFLite, NNUE: fixed headers ---------------------


def safetensors(s: Sample) -> Optional[Match]:
    if len(s.head) < 10:
        return None
    length = _u64(s.head, 0)
    if not 2 <= length <= SAFETENSORS_HEADER_MAX or length + 8 > s.size or s.head[8:9] != b"{":
        return None
    if s.head[9:].lstrip(b" \t\r\n")[:1] not in (b'"', b"}"):
        return None
    return Match("safetensors", "content", _safetensors_description(s.head[8:8 + length], length))


def _safetensors_description(header: bytes, length: int) -> str:
    """Count tensors when the whole header is in the head; a header cut by
    the head read is still a safetensors header, just not counted."""
    try:
        parsed = json.loads(header)
    except (ValueError, RecursionError):
        return f"safetensors header of {length} bytes"
    if not isinstance(parsed, dict):
        return f"safetensors header of {length} bytes"
    tensors = sum(1 for key in parsed if key != "__metadata__")
    return f"safetensors header with {_plural(tensors, 'tensor')}"


def gguf(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or s.head[:4] != b"GGUF":
        return None
    version = _u32(s.head, 4)
    if not 1 <= version <= 1000:
        return None
    if version >= 2 and len(s.head) >= 16:  # v1 counted tensors in a u32, later in a u64
        return Match("gguf", "content", f"GGUF v{version} with {_plural(_u64(s.head, 8), 'tensor')}")
    return Match("gguf", "content", f"GGUF v{version}")


NPY_DESCR = re.compile(rb"""['"]descr['"]\s*:\s*['"]([^'"]{1,32})['"]""")
NPY_SHAPE = re.compile(rb"""['"]shape['"]\s*:\s*\(([0-9, ]{0,200})\)""")


def npy_header(head: bytes) -> Optional[str]:
    """'shape (2, 3), dtype <f4' from an npy header, read with regular
    expressions rather than evaluated."""
    if head[:6] != b"\x93NUMPY" or len(head) < 10 or head[6] not in (1, 2, 3):
        return None
    start, length = (10, struct.unpack_from("<H", head, 8)[0]) if head[6] == 1 else (12, None)
    header = head[start:start + (length or 4096)]
    descr, shape = NPY_DESCR.search(header), NPY_SHAPE.search(header)
    if descr is None or shape is None:
        return "array"
    dims = shape.group(1).decode().strip()
    return f"shape ({dims}), dtype {descr.group(1).decode()}"


def npy(s: Sample) -> Optional[Match]:
    header = npy_header(s.head)
    return None if header is None else Match("npy", "content", f"npy array, {header}")


def tflite(s: Sample) -> Optional[Match]:
    if len(s.head) < 8 or s.head[4:8] != b"TFL3" or not 8 <= _u32(s.head, 0) < s.size:
        return None
    return Match("tflite", "content", "TFLite FlatBuffer (TFL3)")


NNUE_VERSIONS = {0x7AF32F16: "0x7AF32F16", 0x7AF32F20: "0x7AF32F20"}
NNUE_DESCRIPTION_MAX = 4096


def nnue(s: Sample) -> Optional[Match]:
    if len(s.head) < 12 or _u32(s.head, 0) not in NNUE_VERSIONS:
        return None
    length = _u32(s.head, 8)
    if length > NNUE_DESCRIPTION_MAX or 12 + length > s.size:
        return None
    text = _printable(s.head[12:12 + min(length, 60)])
    label = f"NNUE network, version {NNUE_VERSIONS[_u32(s.head, 0)]}"
    return Match("nnue", "content", f"{label}: {text}" if text else label)


# --- HDF5 ---------------------------------------------------------------------

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
KERAS_ATTRIBUTES = (b"keras_version", b"model_config")


def _hdf5_offsets(limit: int) -> Iterator[int]:
    """Where an HDF5 superblock may start: 0, then 512 doubling (after a user block)."""
    yield 0
    offset = 512
    while offset + 8 <= limit:
        yield offset
        offset *= 2


def hdf5(s: Sample) -> Optional[Match]:
    found = next((o for o in _hdf5_offsets(len(s.head)) if s.head[o:o + 8] == HDF5_SIGNATURE), None)
    if found is None:
        return None
    where = f" after a {found}-byte user block" if found else ""
    if any(attribute in s.head for attribute in KERAS_ATTRIBUTES):
        return Match("keras", "content", f"Keras HDF5 model{where}")
    return Match("hdf5", "content", f"HDF5 file{where}")


# --- zip archives: PyTorch, Keras 3, npz ----------------------------------------

EOCD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_EOCD = b"PK\x06\x06"
CENTRAL_ENTRY = b"PK\x01\x02"


def _central_directory(read_at: ReadAt, size: int) -> Optional[tuple[int, int]]:
    """(offset, size) of the central directory, from the end record (and
    its zip64 twin for archives over 4 GiB, as large checkpoints are)."""
    tail_start = max(0, size - ZIP_TAIL_BYTES)
    tail = read_at(tail_start, size - tail_start)
    at = tail.rfind(EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    directory_size, offset = struct.unpack_from("<II", tail, at + 12)
    if offset != 0xFFFFFFFF and directory_size != 0xFFFFFFFF:
        return offset, directory_size
    locator = tail[at - 20:at] if at >= 20 else b""
    if locator[:4] != ZIP64_LOCATOR:
        return None
    record = read_at(_u64(locator, 8), 56)
    if record[:4] != ZIP64_EOCD or len(record) < 56:
        return None
    return _u64(record, 48), _u64(record, 40)


def zip_members(s: Sample) -> Optional[list[str]]:
    """Member names from the central directory, or None if it cannot be read
    within ZIP_DIRECTORY_MAX bytes."""
    if s.read_at is None or s.head[:4] != b"PK\x03\x04":
        return None
    location = _central_directory(s.read_at, s.size)
    if location is None or location[1] > ZIP_DIRECTORY_MAX or sum(location) > s.size:
        return None
    directory = s.read_at(*location)
    names, at = [], 0
    while directory[at:at + 4] == CENTRAL_ENTRY and at + 46 <= len(directory):
        name_length, extra, comment = struct.unpack_from("<HHH", directory, at + 28)
        names.append(directory[at + 46:at + 46 + name_length].decode("utf-8", "replace"))
        at += 46 + name_length + extra + comment
    return names


def _zip_kind(names: list[str]) -> Optional[tuple[str, str]]:
    count = _plural(len(names), "member")
    if any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
        scripted = any("/code/" in n for n in names)
        return "pytorch", f"{'TorchScript' if scripted else 'PyTorch'} zip archive with {count}"
    if "config.json" in names and "model.weights.h5" in names:
        return "keras", f"Keras 3 archive with {count}"
    if names and all(n.endswith(".npy") for n in names):
        return "npz", f"npz archive with {_plural(len(names), 'array')}"
    return None


def zip_archive(s: Sample) -> Optional[Match]:
    names = zip_members(s)
    kind = None if names is None else _zip_kind(names)
    return None if kind is None else Match(kind[0], "content", kind[1])


# --- pickles ----------------------------------------------------------------------

TORCH_LEGACY = b"\x80\x02\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little")
PICKLE_OPCODES_CHECKED = 8


def _pickle_decodes(head: bytes) -> bool:
    """The first opcodes decode (or the pickle ends cleanly).  genops only
    decodes; nothing is unpickled."""
    import pickletools  # here, not at the top: every build would pay for it

    try:
        for count, (opcode, _arg, _pos) in enumerate(pickletools.genops(io.BytesIO(head))):
            if opcode.name == "STOP" or count >= PICKLE_OPCODES_CHECKED:
                return True
    except (ValueError, UnicodeDecodeError):
        return False
    return False


def torch_legacy(s: Sample) -> Optional[Match]:
    if not s.head.startswith(TORCH_LEGACY):
        return None
    return Match("pytorch", "content", "legacy PyTorch serialization (pickle protocol 2)")


def pickle(s: Sample) -> Optional[Match]:
    if len(s.head) < 3 or s.head[0] != 0x80 or s.head[1] not in (2, 3, 4, 5):
        return None
    if s.size < SMALL_PICKLE_BYTES and suffix(s.name) not in PICKLE_SUFFIXES:
        return None
    if not _pickle_decodes(s.head):
        return None
    return Match("pickle", "content", f"pickle protocol {s.head[1]}")


# --- protobuf: ONNX, Caffe ------------------------------------------------------

def _varint(data: bytes, at: int) -> Optional[tuple[int, int]]:
    value = 0
    for shift in range(0, 64, 7):
        if at >= len(data):
            return None
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
    return None


class Field(NamedTuple):
    number: int
    wire: int
    value: int  # the varint, or the length of a length-delimited field
    start: int  # where a length-delimited field's payload starts


def protobuf_fields(data: bytes) -> Iterator[Field]:
    """Top-level fields of varint (0) and length-delimited (2) wire types,
    until the data ends or stops looking like protobuf.  A payload cut by the
    head read ends the walk after its field is yielded."""
    at = 0
    while at < len(data):
        tag = _varint(data, at)
        if tag is None or tag[0] & 7 not in (0, 2) or tag[0] >> 3 == 0:
            return
        value = _varint(data, tag[1])
        if value is None:
            return
        yield Field(tag[0] >> 3, tag[0] & 7, value[0], value[1])
        at = value[1] + (value[0] if tag[0] & 7 == 2 else 0)


# ModelProto fields up to the graph, with their wire types.  Serialisers
# write known fields in field-number order, so the graph (7) comes after
# at most the short fields 1..6.
ONNX_FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2}
ONNX_IR_VERSIONS = range(1, 16)


def _onnx_prefix(s: Sample) -> Optional[dict[int, Field]]:
    """ModelProto's fields from ir_version to graph, in ascending order, with
    the graph's declared length inside the file; else None."""
    seen: dict[int, Field] = {}
    for field in protobuf_fields(s.head):
        if ONNX_FIELDS.get(field.number) != field.wire or any(n >= field.number for n in seen):
            return None
        if not seen and (field.number != 1 or field.value not in ONNX_IR_VERSIONS):
            return None
        seen[field.number] = field
        if field.number == 7:
            return seen if field.start + field.value <= s.size else None
    return None


def onnx(s: Sample) -> Optional[Match]:
    """A ModelProto prefix (above), and one more hint, since a short protobuf
    prefix alone is weak: the name ends in .onnx, or a printable producer_name
    is present, or "onnx" appears in the first KiB."""
    fields = _onnx_prefix(s) if s.head[:1] == b"\x08" else None  # ir_version's tag
    if fields is None:
        return None
    producer = fields.get(2)
    name = _printable(s.head[producer.start:producer.start + producer.value]) if producer else ""
    if not (suffix(s.name) == "onnx" or name or b"onnx" in s.head[:1024].lower()):
        return None
    label = f"ONNX model, IR version {fields[1].value}"
    return Match("onnx", "content", f"{label}, producer {name}" if name else label)


CAFFE_FIRST_FIELDS = {1, 2, 100}  # NetParameter: name, layers (V1), layer


def caffe(s: Sample) -> Optional[Match]:
    if suffix(s.name) != "caffemodel":
        return None
    first = next(protobuf_fields(s.head), None)
    if first is None or first.number not in CAFFE_FIRST_FIELDS or first.wire != 2:
        return None
    if first.start + first.value > s.size:
        return None
    return Match("caffe", "content", "Caffe NetParameter (protobuf)")


# --- gzip-wrapped networks -------------------------------------------------------

LC0_MAGIC = b"\x0d\xc0\x01\x00\x00"  # fixed32 field 1 = 0x1c0, as lc0's net.proto
GZIP_MAGIC = b"\x1f\x8b\x08"


def _katago(inner: bytes) -> Optional[str]:
    """KataGo's model files begin with the model name, then integers: model
    version, input channels, global input channels."""
    tokens = inner[:4096].split(None, 4)
    if len(tokens) < 5 or not _printable(tokens[0]):
        return None
    if not all(t.isdigit() for t in tokens[1:4]) or not 1 <= int(tokens[1]) <= 99:
        return None
    return f"KataGo network {_printable(tokens[0])[:40]}, model version {int(tokens[1])}"


def _inflate(head: bytes) -> Optional[tuple[bytes, bool]]:
    """Up to HEAD_BYTES of the stream, and whether that is all of it."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        inner = inflater.decompress(head, HEAD_BYTES)
    except zlib.error:
        return None
    return inner, inflater.eof


def gzip_wrapped(s: Sample) -> Optional[Match]:
    if not s.head.startswith(GZIP_MAGIC):
        return None
    inflated = _inflate(s.head)
    if inflated is None:
        return None
    inner, whole = inflated
    if inner.startswith(LC0_MAGIC):
        return Match("other", "content", "Leela Chess Zero network (gzip-compressed protobuf)")
    katago = _katago(inner)
    if katago is not None:
        return Match("other", "content", f"{katago} (gzip)")
    # The stream's size is unknown unless it ended inside the head; assume
    # it is at least the file's size, as compression only shrinks networks.
    size = len(inner) if whole else max(s.size, len(inner))
    found = sniff_content(Sample(s.name.removesuffix(".gz"), size, inner), INNER)
    return None if found is None else found._replace(description=f"gzip-compressed {found.description}")


# --- numbers as text ---------------------------------------------------------------

NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)", re.IGNORECASE)
SEPARATORS = re.compile(rb"[\s,;]+")
TEXT_NUMBER_SHARE = 0.9
# Bytes that numbers and their separators are made of.  Tokenising 64 KiB
# costs milliseconds; deleting these bytes costs microseconds and rejects
# prose and code at once, since at most half of a number list is anything else.
NUMBER_BYTES = b"0123456789.+-eE,; \t\r\n"
TEXT_OTHER_SHARE = 0.5
# Checked first on a short prefix: most large files are not number lists.
TEXT_PREFILTER_BYTES = 4096


def _mostly_number_bytes(data: bytes) -> bool:
    return len(data.translate(None, NUMBER_BYTES)) <= TEXT_OTHER_SHARE * len(data)


def float_text(s: Sample) -> Optional[Match]:
    if s.size < TEXT_MIN_BYTES or not _mostly_number_bytes(s.head[:TEXT_PREFILTER_BYTES]):
        return None
    if b"\0" in s.head or not _mostly_number_bytes(s.head):
        return None
    # The last token may be cut by the head read.
    tokens = [t for t in SEPARATORS.split(s.head)[:-1] if t]
    if not tokens:
        return None
    numbers = sum(1 for t in tokens if NUMBER.fullmatch(t))
    if numbers < TEXT_NUMBER_SHARE * len(tokens):
        return None
    return Match("text", "content", f"text of numbers ({numbers} of {len(tokens)} sampled tokens)")


# --- the order recognisers run in ----------------------------------------------------

Recogniser = Callable[[Sample], Optional[Match]]

# Fixed magic numbers first; then structures that need more checking; then
# the statistical text rule, which any of the others would beat.
INNER: tuple[Recogniser, ...] = (
    safetensors, gguf, npy, hdf5, tflite, nnue, torch_legacy, pickle, onnx, caffe, float_text,
)
CONTENT: tuple[Recogniser, ...] = INNER[:-1] + (zip_archive, gzip_wrapped, float_text)


def sniff_content(sample: Sample, recognisers: tuple[Recogniser, ...] = CONTENT) -> Optional[Match]:
    return next((m for m in map(lambda r: r(sample), recognisers) if m is not None), None)


# Recognisers whose signature may start with printable text: HDF5 after a
# user block, and number lists.  Every other signature has a byte outside
# TEXT_BYTES in its first 8: a NUL in a small length or version field (safetensors,
# GGUF, TFLite's root offset), a non-ASCII magic (npy, NNUE, HDF5 at 0, pickle,
# gzip), protobuf's 0x08 (ONNX) or zip's 0x03.  Caffe's may not, but only
# files named .caffemodel take the long way.
TEXT_LEADS: tuple[Recogniser, ...] = (hdf5, float_text)
TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _starts_as_text(head: bytes) -> bool:
    return len(head) >= 8 and not head[:8].translate(None, TEXT_BYTES)


def classify(sample: Sample) -> Optional[Match]:
    """Content first; a name that promises a model, second.  Most files
    read are text, so a text start skips the binary recognisers."""
    named = by_name(sample.name) is not None
    recognisers = TEXT_LEADS if _starts_as_text(sample.head) and not named else CONTENT
    found = sniff_content(sample, recognisers)
    if found is not None:
        return found
    return name_only(sample.name)


def name_only(name: str) -> Optional[Match]:
    named = by_name(name)
    if named is None:
        return None
    return Match(named, "name", f"named .{suffix(name)}; content not recognised")


# --- TensorFlow SavedModel --------------------------------------------------------------

SAVED_MODEL_FIELDS = {1: 0, 2: 2}  # saved_model_schema_version, meta_graphs


def saved_model(s: Sample) -> bool:
    """Whether saved_model.pb starts like a SavedModel: an optional schema
    version, then a MetaGraphDef that fits the file."""
    for field in protobuf_fields(s.head):
        if SAVED_MODEL_FIELDS.get(field.number) != field.wire:
            return False
        if field.number == 2:
            return field.start + field.value <= s.size
    return False
