"""Tiny but real model files, written byte by byte in each format's own
layout (numpy, safetensors, onnx and friends are not needed to build them)."""

from __future__ import annotations

import gzip
import io
import json
import math
import pickle
import struct
import zipfile


def safetensors(tensors: int = 3) -> bytes:
    header = {"__metadata__": {"format": "pt"}}
    for i in range(tensors):
        header[f"layer{i}.weight"] = {"dtype": "F32", "shape": [2], "data_offsets": [8 * i, 8 * i + 8]}
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)  # the format pads the header to 8 bytes
    return struct.pack("<Q", len(encoded)) + encoded + struct.pack("<2f", 0.5, -0.5) * tensors


def gguf(tensors: int = 2) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, 0) + bytes(64)


def npy(shape: tuple[int, ...] = (2, 3)) -> bytes:
    header = f"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}".encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"  # total header length is a multiple of 64
    count = 1
    for dim in shape:
        count *= dim
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + struct.pack(f"<{count}f", *[0.25] * count)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def npz() -> bytes:
    return zipped({"weights.npy": npy((4,)), "bias.npy": npy((1,))})


def pytorch_zip(prefix: str = "archive") -> bytes:
    """The layout torch.save has written since PyTorch 1.6."""
    return zipped({
        f"{prefix}/data.pkl": pickle.dumps({"fc.weight": 1}, protocol=2),
        f"{prefix}/byteorder": b"little",
        f"{prefix}/data/0": struct.pack("<4f", 1, 2, 3, 4),
        f"{prefix}/version": b"3\n",
    })


def keras3() -> bytes:
    return zipped({"metadata.json": b"{}", "config.json": b'{"class_name": "Sequential"}',
                   "model.weights.h5": hdf5()})


def torch_legacy() -> bytes:
    """Legacy torch.save: the magic number, protocol version, system info and
    storage keys pickled one after another, then the raw storages."""
    values = (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}, {"fc.weight": 0}, ["0"])
    return b"".join(pickle.dumps(v, protocol=2) for v in values) + struct.pack("<16f", *range(16))


def plain_pickle() -> bytes:
    return pickle.dumps({"weights": [0.125] * 300}, protocol=4)


def hdf5(attributes: bytes = b"", user_block: int = 0) -> bytes:
    superblock = b"\x89HDF\r\n\x1a\n" + bytes([0, 0, 0, 0, 0, 8, 8, 0]) + bytes(80)
    return bytes(user_block) + superblock + attributes + bytes(256)


def tflite() -> bytes:
    return struct.pack("<I", 16) + b"TFL3" + bytes(120)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def onnx(producer: str = "pytorch") -> bytes:
    node = field(1, b"x") + field(2, b"y") + field(3, b"/fc/Gemm") + field(4, b"Gemm")
    initializer = field(1, 2) + field(2, 1) + field(8, b"fc.weight") + field(9, struct.pack("<2f", 0.5, -1))
    graph = field(1, node) + field(2, b"main_graph") + field(5, initializer)
    opset = field(2, 17)
    return field(1, 8) + field(2, producer.encode()) + field(3, b"2.1.0") + field(7, graph) + field(8, opset)


def caffe() -> bytes:
    layer = field(1, b"conv1") + field(2, b"Convolution")
    return field(1, b"LeNet") + field(100, layer)


def nnue(description: str = "Network trained with the nnue-pytorch trainer") -> bytes:
    text = description.encode()
    return struct.pack("<III", 0x7AF32F20, 0x3E5AA6EE, len(text)) + text + bytes(512)


def lc0() -> bytes:
    """lc0's Net protobuf starts with fixed32 magic 0x1c0; weights gzip-compressed."""
    weights = struct.pack("<64f", *(i / 7 for i in range(64)))
    net = b"\x0d" + struct.pack("<I", 0x1C0) + field(2, b"license") + field(10, weights)
    return gzip.compress(net)


def katago() -> bytes:
    lines = ["kata1-b6c96-s175395328-d26788732", "11", "22", "19", "trunk", "1"] + ["0.125 -0.5"] * 50
    return gzip.compress("\n".join(lines).encode())


def numbers_text(size: int = 70 * 1024) -> bytes:
    """One layer's weights per line, as Leela Zero writes them: varied small
    reals (a repeated value would look like an image or a table)."""
    lines, count = [], 0
    while count < size:
        line = " ".join(f"{math.sin(len(lines) * 256 + i) / 3:.7g}" for i in range(256)).encode() + b"\n"
        lines.append(line)
        count += len(line)
    return b"".join(lines)


def leela_zero() -> bytes:
    """Leela Zero's Go weights: a version line, then lines of floats, gzipped."""
    return gzip.compress(b"1\n" + numbers_text(100 * 1024))


def saved_model() -> bytes:
    """SavedModel proto: schema version 1, then a MetaGraphDef."""
    return field(1, 1) + field(2, field(1, field(1, b"serve")))


def zip64(members: dict[str, bytes]) -> bytes:
    """A zip whose classic end record defers to a zip64 end record, as
    archives over 4 GiB (large checkpoints) must."""
    data = zipped(members)
    at = data.rfind(b"PK\x05\x06")
    entries, directory_size, directory_offset = struct.unpack_from("<HII", data, at + 10)
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, entries, entries,
                                         directory_size, directory_offset)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, at, 1)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:at] + record + locator + end
