"""Model files that run code when loaded: benign files written by the real
libraries, and hostile ones built here opcode by opcode (never loaded), one
per bypass technique, each with its exact finding."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import struct
import tarfile
import warnings
import zipfile
import zlib
from pathlib import Path

import lz4.frame
import pytest

from helpers import control, lint_lines, write_tree

TAGS = ("model-file-executes-code-on-load", "model-file-loads-unknown-callables", "pickled-model-could-be-plain-data")

# --- opcodes, written by hand: these pickles are never loaded -------------------------


def proto(n: int = 4) -> bytes:
    return pickle.PROTO + bytes([n])


def text(value: str) -> bytes:
    data = value.encode()
    return pickle.SHORT_BINUNICODE + bytes([len(data)]) + data


def glob(module: str, name: str) -> bytes:
    return pickle.GLOBAL + f"{module}\n{name}\n".encode()


def call(callee: bytes, *args: bytes) -> bytes:
    """callee(*args) with REDUCE."""
    return callee + pickle.MARK + b"".join(args) + pickle.TUPLE + pickle.REDUCE


def system(command: str = "id") -> bytes:
    """What pickle.dumps writes for a __reduce__ returning (os.system, (command,))."""
    return proto() + call(glob("posix", "system"), text(command)) + pickle.STOP


def padded(data: bytes, size: int = 80) -> bytes:
    """Discovery reads unnamed files from 64 bytes on."""
    return data + b"\x00" * max(0, size - len(data))


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the tricks
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def torch_archive(pkl: bytes, *extra: tuple[str, bytes]) -> bytes:
    return zipped([("archive/data.pkl", pkl), ("archive/version", b"3\n"), *extra])


def npy_objects(payload: bytes) -> bytes:
    header = b"{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + payload


# --- running the check ----------------------------------------------------------------------


def lint(tmp_path: Path, files: dict[str, bytes]) -> list[str]:
    root = write_tree(tmp_path, control())
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return [line for line in lint_lines(root) if line.split()[3] in TAGS]


def E(context: str, path: str) -> str:
    return f"E: toy source: model-file-executes-code-on-load {context} [{path}]"


def W(context: str, path: str) -> str:
    return f"W: toy source: model-file-loads-unknown-callables {context} [{path}]"


def P(path: str) -> str:
    return (f"P: toy source: pickled-model-could-be-plain-data {path} "
            f"(pickled; rebuilds only tensors, arrays and containers) [{path}]")


BENIGN = pickle.dumps({"fc.weight": 1}, protocol=2)


def legacy_tar(storage_type: bytes = glob("torch", "FloatStorage"), obj: bytes = BENIGN, elements: int = 2) -> bytes:
    """PyTorch's tar format (before 0.4), as torch.load reads it: one float
    storage of two elements, one tensor on it, the object last."""
    def dump(value: object) -> bytes:
        return pickle.dumps(value, protocol=2)

    storage = proto(2) + text("0") + text("cpu") + storage_type + pickle.TUPLE3 + pickle.STOP
    tensor = dump(("0", "0", "torch.FloatTensor"))
    members = {
        "sys_info": dump({"protocol_version": 1000, "little_endian": True}),
        "storages": dump(1) + storage + struct.pack("<q", elements) + struct.pack("<2f", 0.5, 1.5) + dump([]),
        "tensors": dump(1) + tensor + struct.pack("<ii", 1, 0) + struct.pack("<3q", 2, 1, 0),
        "pickle": obj,
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def local_method(data: bytes, name: str, method: int) -> bytes:
    """The archive with ``name``'s compression method set to ``method`` in
    both its local header and the central directory."""
    out = bytearray(data)
    for signature, name_length_at, name_at, method_at in ((b"PK\x03\x04", 26, 30, 8), (b"PK\x01\x02", 28, 46, 10)):
        at = out.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", out, at + name_length_at)[0]
            if out[at + name_at:at + name_at + length] == name.encode():
                struct.pack_into("<H", out, at + method_at, method)
            at = out.find(signature, at + 4)
    return bytes(out)


# --- hostile files: one per technique ------------------------------------------------------

HOSTILE = {
    "os.system through REDUCE": (
        {"x.pkl": system()},
        [E("x.pkl (posix.system)", "x.pkl")]),
    "names kept in the memo, then given to STACK_GLOBAL": (
        {"x.pkl": proto() + text("os") + pickle.MEMOIZE + text("system") + pickle.MEMOIZE + pickle.POP + pickle.POP
         + pickle.BINGET + b"\x00" + pickle.BINGET + b"\x01" + pickle.STACK_GLOBAL
         + pickle.MARK + text("id") + pickle.TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (os.system)", "x.pkl")]),
    "BINPUT and MEMOIZE mixed so the memo looks safe": (
        {"x.pkl": proto() + text("os") + pickle.BINPUT + b"\x00" + text("system") + pickle.BINPUT + b"\x01"
         + text("torch._utils") + pickle.MEMOIZE + text("_rebuild_tensor_v2") + pickle.MEMOIZE
         + pickle.POP * 4 + pickle.BINGET + b"\x00" + pickle.BINGET + b"\x01" + pickle.STACK_GLOBAL
         + pickle.MARK + text("id") + pickle.TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (os.system)", "x.pkl")]),
    "names written onto a global by BUILD, then read back into STACK_GLOBAL": (
        {"x.pkl": proto() + glob("numpy", "prod")
         + pickle.NONE + pickle.EMPTY_DICT + text("a") + text("os") + pickle.SETITEM + pickle.TUPLE2 + pickle.BUILD
         + pickle.POP + glob("numpy", "prod.a") + pickle.BINPUT + b"\x00" + pickle.POP
         + pickle.BINGET + b"\x00" + text("system") + pickle.STACK_GLOBAL
         + pickle.MARK + text("id") + pickle.TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (BUILD changes the attributes of numpy.prod itself at byte 25, "
           "STACK_GLOBAL with a computed name at byte 54, "
           "REDUCE calls a computed value, not a named global, at byte 61)", "x.pkl")]),
    "a module name computed by a call": (
        {"x.pkl": proto() + call(glob("builtins", "str"), text("os")) + text("system") + pickle.STACK_GLOBAL
         + pickle.MARK + text("id") + pickle.TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (STACK_GLOBAL with a computed name at byte 31, "
           "REDUCE calls a computed value, not a named global, at byte 38)", "x.pkl")]),
    "a builtins.getattr chain": (
        {"x.pkl": proto() + call(glob("builtins", "getattr"), glob("collections", "OrderedDict"), text("fromkeys"))
         + pickle.MARK + text("id") + pickle.TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (builtins.getattr, REDUCE calls a computed value, not a named global, at byte 64)", "x.pkl")]),
    "a callable in an allowed-looking module": (
        {"x.pkl": proto() + call(glob("numpy.testing._private.utils", "runstring"), text("import os"),
                                 pickle.EMPTY_DICT) + pickle.STOP},
        [E("x.pkl (numpy.testing._private.utils.runstring)", "x.pkl")]),
    "os reached as an attribute of an allowed module": (
        {"x.pkl": proto() + call(glob("torch", "os.system"), text("id")) + pickle.STOP},
        [E("x.pkl (torch.os.system)", "x.pkl")]),
    "pickles under names that promise no pickle": (
        {"data/table.dat": padded(system("echo " + "x" * 60)), "models/tokenizer": system("echo " + "y" * 70)},
        [E("data/table.dat (posix.system)", "data/table.dat"),
         E("models/tokenizer (posix.system)", "models/tokenizer")]),
    "a nested pickle loaded by pickle.loads": (
        {"x.pkl": proto() + call(glob("_pickle", "loads"), pickle.SHORT_BINBYTES + bytes([len(system())]) + system())
         + pickle.STOP},
        [E("x.pkl (_pickle.loads, posix.system)", "x.pkl")]),
    "a second data.pkl of the same name in a PyTorch zip": (
        {"m.pt": torch_archive(BENIGN, ("archive/data.pkl", system()))},
        [E("m.pt member archive/data.pkl (posix.system)", "m.pt")]),
    "a member named with ../": (
        {"m.pt": torch_archive(BENIGN, ("../evil.pkl", system()))},
        [E("m.pt member ../evil.pkl (posix.system)", "m.pt")]),
    "a member stored with a compression method zipfile cannot read": (
        {"m.pt": local_method(torch_archive(BENIGN, ("archive/extra.pkl", system())), "archive/extra.pkl", 99)},
        [E("m.pt member archive/extra.pkl (compression method 99, which zipfile cannot read)", "m.pt")]),
    "a local header whose name differs from the directory's": (
        {"m.pt": torch_archive(system()).replace(b"archive/data.pkl", b"archive/data.pkx", 1)},
        [E("m.pt member archive/data.pkl (a member zipfile cannot read (BadZipFile))", "m.pt")]),
    "a stream that ends before STOP": (
        {"x.pkl": system()[:-1]},
        [E("x.pkl (posix.system, truncated at byte 23, before STOP)", "x.pkl")]),
    "a stream cut inside an argument": (
        {"x.pkl": system()[:-6]},
        [E("x.pkl (posix.system, truncated or malformed argument at byte 17)", "x.pkl")]),
    "an extension code": (
        {"x.pkl": proto(2) + pickle.EXT1 + b"\x01" + pickle.EMPTY_TUPLE + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (extension code 1 (EXT1), resolved only at load time, at byte 2, "
           "REDUCE calls a computed value, not a named global, at byte 5)", "x.pkl")]),
    "INST in a protocol 0 pickle": (
        {"x.pkl": b"(S'id'\nios\nsystem\n."},
        [E("x.pkl (os.system)", "x.pkl")]),
    "OBJ in a protocol 1 pickle": (
        {"x.pkl": pickle.MARK + glob("posix", "system") + b"S'id'\n" + pickle.OBJ + pickle.STOP},
        [E("x.pkl (posix.system)", "x.pkl")]),
    "BUILD that changes an allowed class itself": (
        {"x.pkl": proto() + glob("collections", "OrderedDict") + pickle.EMPTY_DICT + text("fromkeys")
         + glob("posix", "system") + pickle.SETITEM + pickle.BUILD + pickle.STOP},
        [E("x.pkl (posix.system, BUILD changes the attributes of collections.OrderedDict itself at byte 53)",
           "x.pkl")]),
    "BUILD, so __setstate__, on a dangerous class": (
        {"x.pkl": proto() + glob("code", "InteractiveInterpreter") + pickle.EMPTY_TUPLE + pickle.NEWOBJ
         + pickle.EMPTY_DICT + pickle.BUILD + pickle.STOP},
        [E("x.pkl (code.InteractiveInterpreter, code.InteractiveInterpreter.__setstate__)", "x.pkl")]),
    "an npy array of objects": (
        {"x.npy": npy_objects(system())},
        [E("x.npy (posix.system)", "x.npy")]),
    "an npz member holding objects": (
        {"x.npz": zipped([("a.npy", npy_objects(system()))])},
        [E("x.npz member a.npy (posix.system)", "x.npz")]),
    "a zlib-compressed joblib file": (
        {"x.joblib": zlib.compress(system())},
        [E("x.joblib (posix.system)", "x.joblib")]),
    "a gzip-compressed pickle under a data name": (
        {"cache/blob.dat": gzip.compress(system() + bytes(range(256)))},
        [E("cache/blob.dat (posix.system)", "cache/blob.dat")]),
    "an lz4-compressed joblib file": (
        {"x.joblib": lz4.frame.compress(system())},
        [E("x.joblib (posix.system)", "x.joblib")]),
    "a pickle after the legacy PyTorch magic number": (
        {"x.pt": b"".join(pickle.dumps(v, protocol=2) for v in (0x1950A86A20F9469CFC6C, 1001)) + system()},
        [E("x.pt (posix.system)", "x.pt")]),
    "the legacy PyTorch tar format, every pickle in it": (
        {"plain.pt": legacy_tar(), "object.pt": legacy_tar(obj=system()),
         "storage.pt": legacy_tar(storage_type=glob("posix", "system"))},
        [E("object.pt member pickle (posix.system)", "object.pt"), P("plain.pt"),
         E("storage.pt member storages (posix.system, a storage of no known type at byte 31)", "storage.pt")]),
    "a legacy storage of a negative size": (
        {"m.pt": legacy_tar(elements=-5)},
        [E("m.pt member storages (stops at byte 45: a negative length (-20) to skip)", "m.pt")]),
    "an unknown opcode": (
        {"x.pkl": proto() + glob("toy", "f") + b"\xff"},
        [E("x.pkl (unknown opcode 0xff at byte 9)", "x.pkl")]),
    "a protocol beyond pickle's in mid-stream": (
        {"x.pkl": proto() + glob("toy", "f") + proto(9) + pickle.STOP},
        [E("x.pkl (protocol 9 at byte 9)", "x.pkl")]),
    "a memo slot read before it is written": (
        {"x.pkl": proto() + glob("toy", "f") + pickle.BINGET + b"\x05" + pickle.STOP},
        [E("x.pkl (memo slot 5 read before it is written at byte 9)", "x.pkl")]),
    "a stack that underflows": (
        {"x.pkl": proto() + glob("toy", "f") + pickle.REDUCE + pickle.STOP},
        [E("x.pkl (stack underflow at byte 9)", "x.pkl")]),
    "a length beyond the bound": (
        {"x.pkl": proto() + glob("toy", "f") + pickle.BINBYTES8 + struct.pack("<Q", 1 << 62)},
        [E("x.pkl (stops at byte 18: a read of 4611686018427387904 bytes exceeds the 256 MiB bound)", "x.pkl")]),
    "BUILD on a class nobody vetted": (
        {"x.pkl": proto() + glob("toy.model", "Net") + pickle.EMPTY_TUPLE + pickle.NEWOBJ + pickle.EMPTY_DICT
         + pickle.BUILD + pickle.STOP},
        [W("x.pkl (toy.model.Net)", "x.pkl")]),
    "a persistent id only the loader resolves": (
        {"x.pkl": proto() + text("foo") + pickle.TUPLE1 + pickle.BINPERSID + pickle.STOP},
        [W("x.pkl (persistent id 'foo' (resolved by the loading program))", "x.pkl")]),
    "a tensor member of a PyTorch zip is never read": (
        {"m.pt": torch_archive(BENIGN, ("archive/data/0", system()))},
        [P("m.pt")]),
}


# Malformed files that must give a finding or nothing, never a traceback.
BROKEN = {
    "an npy header of length zero": {"x.npy": b"\x93NUMPY\x01\x00\x00\x00" + bytes(100)},
    "a Keras config nested beyond json's reach": {
        "m.keras": zipped([("config.json", b"{\"a\": " + b"[" * 100_000), ("model.weights.h5", bytes(100))])},
    "a truncated gzip stream named like a pickle": {"x.pkl": gzip.compress(system())[:20]},
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_gives_no_traceback(tmp_path: Path, case: str) -> None:
    assert lint(tmp_path, BROKEN[case]) == []


@pytest.mark.parametrize("technique", list(HOSTILE))
def test_hostile_file(tmp_path: Path, technique: str) -> None:
    files, expected = HOSTILE[technique]
    assert lint(tmp_path, files) == expected


def test_nothing_is_unpickled_or_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    payload = proto() + call(glob("toy_never_imported", "f")) + pickle.STOP
    assert lint(tmp_path, {"x.pkl": payload, "m.pt": torch_archive(system())}) == [
        E("m.pt member archive/data.pkl (posix.system)", "m.pt"), W("x.pkl (toy_never_imported.f)", "x.pkl")]
    assert "toy_never_imported" not in sys.modules


# --- benign files written by the real libraries ------------------------------------------------


@pytest.mark.writers  # the package build has no model-writing libraries
def test_pytorch_state_dicts_are_plain_data(tmp_path: Path) -> None:
    import torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    root = write_tree(tmp_path, control())
    torch.save(model.state_dict(), root / "model.pt")
    torch.save(model.state_dict(), root / "legacy.pth", _use_new_zipfile_serialization=False)
    torch.save(model, root / "whole.bin")
    assert [line for line in lint_lines(root) if line.split()[3] in TAGS] == [
        P("legacy.pth"),
        P("model.pt"),
        W("whole.bin member whole/data.pkl (torch.nn.modules.container.Sequential, "
          "torch.nn.modules.linear.Linear, torch.nn.modules.activation.ReLU)", "whole.bin"),
    ]


@pytest.mark.writers  # the package build has no model-writing libraries
def test_joblib_dumps_of_scikit_learn_models_name_their_classes(tmp_path: Path) -> None:
    import numpy as np
    import joblib
    from sklearn import ensemble, linear_model as linear
    rng = np.random.RandomState(0)
    x = rng.rand(20, 4)
    y = (x[:, 0] > 0.5).astype(int)
    root = write_tree(tmp_path, control())
    joblib.dump(linear.LogisticRegression().fit(x, y), root / "lr.joblib")
    forest = ensemble.RandomForestClassifier(n_estimators=2, random_state=0).fit(x, y)
    joblib.dump(forest, root / "forest.pkl", compress=3)
    joblib.dump(forest, root / "forest.xz", compress=("xz", 3))
    joblib.dump(forest, root / "forest.lz4", compress="lz4")
    joblib.dump({"labels": np.array(["a", 1], dtype=object), "w": np.arange(4.0)}, root / "objects.joblib")
    trees = ("sklearn.ensemble._forest.RandomForestClassifier, sklearn.tree._classes.DecisionTreeClassifier, "
             "sklearn.tree._tree.Tree")
    assert [line for line in lint_lines(root) if line.split()[3] in TAGS] == [
        W(f"forest.lz4 ({trees})", "forest.lz4"),
        W(f"forest.pkl ({trees})", "forest.pkl"),
        W(f"forest.xz ({trees})", "forest.xz"),
        W("lr.joblib (sklearn.linear_model._logistic.LogisticRegression)", "lr.joblib"),
        P("objects.joblib"),
    ]


@pytest.mark.writers  # the package build has no model-writing libraries
def test_numpy_object_arrays_are_walked_and_plain_arrays_are_not(tmp_path: Path) -> None:
    import numpy as np
    root = write_tree(tmp_path, control())
    np.save(root / "objects.npy", np.array([{"a": 1}, "x", 3], dtype=object), allow_pickle=True)
    np.save(root / "floats.npy", np.arange(6.0))
    np.savez(root / "mixed.npz", a=np.array([1, "x"], dtype=object), b=np.arange(3.0))
    assert [line for line in lint_lines(root) if line.split()[3] in TAGS] == [P("mixed.npz"), P("objects.npy")]


def keras2_config(*layers: dict[str, object]) -> str:
    return json.dumps({"class_name": "Sequential", "config": {"name": "seq", "layers": list(layers)}})


DENSE = {"class_name": "Dense", "config": {"name": "dense", "units": 2}}
LAMBDA = {"class_name": "Lambda", "config": {"name": "scale", "function": ["4wEAAAAAAAAA", None, None],
                                             "function_type": "lambda"}}


@pytest.mark.writers  # the package build has no model-writing libraries
def test_keras_hdf5_models_with_lambda_layers_run_code(tmp_path: Path) -> None:
    import h5py
    root = write_tree(tmp_path, control())
    for name, config in (("plain.h5", keras2_config(DENSE)), ("lambda.h5", keras2_config(DENSE, LAMBDA))):
        with h5py.File(root / name, "w") as handle:
            handle.attrs["keras_version"] = "2.13.1"
            handle.attrs["model_config"] = config
            handle.create_dataset("model_weights/dense/kernel", data=[[0.5, 0.25]] * 4)
    assert [line for line in lint_lines(root) if line.split()[3] in TAGS] == [
        E("lambda.h5 (Lambda layer 'scale' holds marshalled bytecode)", "lambda.h5")]


def test_keras3_archives_with_lambda_layers_or_custom_objects(tmp_path: Path) -> None:
    custom = {"module": "toy.layers", "class_name": "Scale", "config": {"name": "scale"}, "registered_name": "Scale"}
    lambda3 = {"module": "keras.layers", "class_name": "Lambda",
               "config": {"name": "double", "function": {"class_name": "__lambda__", "config": {"code": "4wEA"}}}}
    dense = {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2}}

    def archive(*layers: dict[str, object]) -> bytes:
        config = {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "layers": list(layers)}}
        return zipped([("metadata.json", b"{}"), ("config.json", json.dumps(config).encode()),
                       ("model.weights.h5", b"\x89HDF\r\n\x1a\n" + bytes(100))])

    assert lint(tmp_path, {"plain.keras": archive(dense), "custom.keras": archive(dense, custom),
                           "lambda.keras": archive(dense, lambda3)}) == [
        W("custom.keras member config.json (toy.layers.Scale)", "custom.keras"),
        E("lambda.keras member config.json (Lambda layer 'double' holds marshalled bytecode)", "lambda.keras"),
    ]


def test_explain_says_how_to_convert_and_verify() -> None:
    from modelcheck.findings import default_catalog
    from modelcheck.report import explain

    for tag in TAGS:
        text = explain(default_catalog()[tag])
        assert "weights_only=True" in text and "safetensors.torch.save_file" in text, tag
        assert "modelcheck lint" in text, tag


# --- the policy is data --------------------------------------------------------------------------


def test_the_allowlist_names_callables_and_never_a_module(tmp_path: Path) -> None:
    from modelcheck.errors import DataError
    from modelcheck.pickles.policy import Verdict, default_policy, load

    policy = default_policy()
    assert all(not e.module for e in policy.entries if e.verdict is Verdict.SAFE)
    assert all(e.why for e in policy.entries)
    bad = tmp_path / "bad.desc"
    bad.write_text("Module: torch\nVerdict: safe\nWhy: everything in torch\n", encoding="utf-8")
    with pytest.raises(DataError):
        load(bad)


@pytest.mark.parametrize("name, verdict", [
    ("torch._utils._rebuild_tensor_v2", "SAFE"),
    ("torch._utils._rebuild_tensor_v2.__globals__", "DANGEROUS"),
    ("torch.serialization.pickle.loads", "DANGEROUS"),
    ("posix.system", "DANGEROUS"),
    ("collections.OrderedDict.__setstate__", "SAFE"),
    ("sklearn.tree._tree.Tree", "UNKNOWN"),
    ("not a name", "DANGEROUS"),
    ("pkgutil.resolve_name", "DANGEROUS"),
    ("importlib.import_module", "DANGEROUS"),
    ("marshal.loads", "DANGEROUS"),
    ("_operator.attrgetter", "DANGEROUS"),
    ("numpy.f2py.crackfortran.getlincoef", "DANGEROUS"),
    ("numpy.random._pickle.__randomstate_ctor", "SAFE"),
])
def test_verdicts(name: str, verdict: str) -> None:
    from modelcheck.pickles.policy import Verdict, default_policy

    assert default_policy().verdict(name) is Verdict[verdict]
