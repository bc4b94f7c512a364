import os
import socket
import struct
from pathlib import Path
from typing import Callable, Optional

import modelfiles
import pytest

from modelcheck import discover as discover_module
from modelcheck.discover import Discovery, ModelFile, discover, read_from

PROSE = (b"Pretrained networks are a pile of matrices; this paragraph is not one of them, "
         b"although it mentions 3 layers and 0.5 dropout.\n")
WEIGHTS_C = (b"/* load the weights */\nstatic float weights[4] = {0.1f, 0.2f, 0.3f, 0.4f};\n"
             b"int main(void) { return 0; }\n")


def write(root: Path, rel: str, data: bytes) -> int:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def model(path: str, fmt: str, size: int, description: str, evidence: str = "content") -> ModelFile:
    return ModelFile(path, fmt, size, evidence, description)


FORMATS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("m.safetensors", modelfiles.safetensors, "safetensors", "safetensors header with 3 tensors"),
    ("m.gguf", modelfiles.gguf, "gguf", "GGUF v3 with 2 tensors"),
    ("m.npy", modelfiles.npy, "npy", "npy array, shape (2, 3), dtype <f4"),
    ("m.npz", modelfiles.npz, "npz", "npz archive with 2 arrays"),
    ("m.pt", modelfiles.pytorch_zip, "pytorch", "PyTorch zip archive with 4 members"),
    ("m.keras", modelfiles.keras3, "keras", "Keras 3 archive with 3 members"),
    ("m.pth", modelfiles.torch_legacy, "pytorch", "legacy PyTorch serialization (pickle protocol 2)"),
    ("m.pkl", modelfiles.plain_pickle, "pickle", "pickle protocol 4"),
    ("m.h5", modelfiles.hdf5, "hdf5", "HDF5 file"),
    ("k.h5", lambda: modelfiles.hdf5(b"keras_version\x002.15.0"), "keras", "Keras HDF5 model"),
    ("u.hdf5", lambda: modelfiles.hdf5(user_block=1024), "hdf5", "HDF5 file after a 1024-byte user block"),
    ("m.tflite", modelfiles.tflite, "tflite", "TFLite FlatBuffer (TFL3)"),
    ("m.onnx", modelfiles.onnx, "onnx", "ONNX model, IR version 8, producer pytorch"),
    ("m.caffemodel", modelfiles.caffe, "caffe", "Caffe NetParameter (protobuf)"),
    ("nn-0123456789ab.nnue", modelfiles.nnue, "nnue",
     "NNUE network, version 0x7AF32F20: Network trained with the nnue-pytorch trainer"),
    ("w.pb.gz", modelfiles.lc0, "other", "Leela Chess Zero network (gzip-compressed protobuf)"),
    ("k.bin.gz", modelfiles.katago, "other",
     "KataGo network kata1-b6c96-s175395328-d26788732, model version 11 (gzip)"),
    ("net.txt", modelfiles.numbers_text, "text", "text of numbers (1545 of 1545 sampled tokens, 256 numbers per line)"),
    ("lz.gz", modelfiles.leela_zero, "text", "gzip-compressed text of numbers (1546 of 1546 sampled tokens, 256 numbers per line)"),
]


@pytest.mark.parametrize("name,build,fmt,description", FORMATS, ids=[f[0] for f in FORMATS])
def test_each_format_by_content_under_its_own_and_a_neutral_name(
    tmp_path: Path, name: str, build: Callable[[], bytes], fmt: str, description: str
) -> None:
    data = build()
    write(tmp_path, name, data)
    write(tmp_path, "renamed/blob.dat", data)
    found = discover(tmp_path).models
    expected_renamed = [model("renamed/blob.dat", fmt, len(data), description)]
    if fmt == "caffe":  # generic protobuf: only the .caffemodel name lets the content speak
        expected_renamed = []
    assert found == tuple(sorted(expected_renamed + [model(name, fmt, len(data), description)]))


def test_a_source_tree_with_models_traps_and_build_output(tmp_path: Path) -> None:
    root = tmp_path / "src"
    sizes = {
        "models/encoder.safetensors": write(root, "models/encoder.safetensors", modelfiles.safetensors()),
        "data/data.bin": write(root, "data/data.bin", modelfiles.safetensors(1)),
        "data/blob": write(root, "data/blob", modelfiles.onnx()),
        "data/params": write(root, "data/params", modelfiles.gguf()),
        "broken.onnx": write(root, "broken.onnx", b"this is not protobuf at all\n"),
        "empty.pt": write(root, "empty.pt", b""),
    }
    # Not models: source mentioning weights, prose, a few numbers, a small
    # pickle, protobuf that is not ONNX.
    write(root, "src/weights.c", WEIGHTS_C)
    write(root, "tools/load_weights.py", b"def load_weights(path):\n    return open(path, 'rb').read()\n")
    write(root, "doc/notes", PROSE * 700)
    write(root, "doc/few-floats.txt", b"0.1 0.2 0.3\n" * 10)
    write(root, "tests/small.bin", modelfiles.pickle.dumps([1, 2, 3], protocol=4) + bytes(64))
    write(root, "tests/other.pb", modelfiles.field(1, 1) + modelfiles.field(9, b"x" * 100))
    write(root, "model.onnx/README", b"a directory named like a model is not a model\n")
    # Never read: VCS, quilt, debhelper output, the caller's skip list.
    for skipped in (".git/objects/blob", ".pc/p.patch/m.gguf", "debian/tmp/usr/m.gguf",
                    "debian/.debhelper/m.gguf", "debian/toy/usr/m.gguf", "debian/toy-extra/m.gguf",
                    "vendor/cache/m.gguf", "sub/.hg/m.gguf"):
        write(root, skipped, modelfiles.gguf())
    write(root, "debian/control", b"Source: toy\n\nPackage: toy\nArchitecture: all\n")
    write(root, "debian/toy-extra.substvars", b"misc:Depends=\n")
    sizes["debian/tests/fixture.npy"] = write(root, "debian/tests/fixture.npy", modelfiles.npy())
    # Special files and links.
    os.mkfifo(root / "model.safetensors")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "model.sock"))
    (root / "x.gguf").symlink_to("/etc/passwd")
    (root / "up.onnx").symlink_to("../outside.onnx")
    (root / "loop.pt").symlink_to("loop.pt")
    (root / "gone.npy").symlink_to("nowhere.npy")
    (root / "alias.safetensors").symlink_to("models/encoder.safetensors")
    (root / "models-link").symlink_to("models")
    saved = root / "export" / "1"
    sizes["export/1"] = write(saved, "saved_model.pb", modelfiles.saved_model())
    sizes["export/1"] += write(saved, "variables/variables.index", b"\x00" * 100)
    sizes["export/1"] += write(saved, "variables/variables.data-00000-of-00001", modelfiles.safetensors())

    assert discover(root, skip=["./vendor/cache/"]) == Discovery(
        models=(
            model("broken.onnx", "onnx", sizes["broken.onnx"], "named .onnx; content not recognised", "name"),
            model("data/blob", "onnx", sizes["data/blob"], "ONNX model, IR version 8, producer pytorch"),
            model("data/data.bin", "safetensors", sizes["data/data.bin"], "safetensors header with 1 tensor"),
            model("data/params", "gguf", sizes["data/params"], "GGUF v3 with 2 tensors"),
            model("debian/tests/fixture.npy", "npy", sizes["debian/tests/fixture.npy"],
                  "npy array, shape (2, 3), dtype <f4"),
            model("empty.pt", "pytorch", 0, "empty file", "name"),
            model("export/1", "tensorflow", sizes["export/1"], "TensorFlow SavedModel"),
            model("models/encoder.safetensors", "safetensors", sizes["models/encoder.safetensors"],
                  "safetensors header with 3 tensors"),
        ),
        escaping=("up.onnx", "x.gguf"),
        unreadable=(
            ("gone.npy", "dangling symbolic link"),
            ("loop.pt", "symbolic link loop"),
            ("model.safetensors", "not a regular file (named pipe)"),
            ("model.sock", "not a regular file (socket)"),
        ),
        # Not a model, but a pickle: loading it runs what it names.
        pickled=("tests/small.bin",),
    )


def test_special_files_are_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "model.safetensors")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.onnx").symlink_to("fifo")
    opened: list[tuple[str, bool]] = []
    real_open = os.open

    def spy(path: str, flags: int, *args: int, **kwargs: int) -> int:
        opened.append((os.path.basename(path), bool(flags & os.O_DIRECTORY)))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(discover_module.os, "open", spy)
    assert discover(tmp_path).unreadable == (
        ("fifo", "not a regular file (named pipe)"),
        ("model.safetensors", "not a regular file (named pipe)"),
    )
    # The root directory, to list it and open its files relative to it;
    # no file.
    assert opened == [(tmp_path.name, True)]


def test_a_directory_swapped_for_a_link_during_the_walk_is_reported_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a/ is listed, then replaced by a link to another tree before a/b is
    # opened: the full path a/b now leads outside, through a link that
    # O_NOFOLLOW on the last component cannot see.
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    write(tree, "a/b/inside.npy", modelfiles.npy())
    write(outside, "a/b/outside.gguf", modelfiles.gguf())
    real_open = os.open

    def swapping_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if path.endswith("/a/b") and not (tree / "a").is_symlink():
            (tree / "a").rename(tmp_path / "moved-a")
            (tree / "a").symlink_to(outside / "a")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(discover_module.os, "open", swapping_open)
    assert discover(tree) == Discovery(
        models=(), escaping=(), unreadable=(("a/b", "replaced while being searched"),),
    )


def test_unreadable_files_and_directories_are_entries_not_exceptions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root reads everything, so the refusals are simulated where the walk meets them.
    write(tmp_path, "secret/m.gguf", modelfiles.gguf())
    write(tmp_path, "locked.safetensors", modelfiles.safetensors())
    write(tmp_path, "fine.npy", modelfiles.npy())
    real_open = os.open

    # A directory is opened before it is listed, so refusing its open is
    # how an unreadable directory looks to the walk.
    def refusing_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if path.endswith(("locked.safetensors", "secret")):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(discover_module.os, "open", refusing_open)
    assert discover(tmp_path) == Discovery(
        models=(model("fine.npy", "npy", len(modelfiles.npy()), "npy array, shape (2, 3), dtype <f4"),),
        escaping=(),
        unreadable=(("locked.safetensors", "Permission denied"), ("secret", "Permission denied")),
    )


def test_a_missing_root_is_an_unreadable_entry(tmp_path: Path) -> None:
    assert discover(tmp_path / "nowhere") == Discovery((), (), ((".", "No such file or directory"),))


def test_a_saved_model_at_the_root_and_one_that_does_not_parse(tmp_path: Path) -> None:
    write(tmp_path, "saved_model.pb", modelfiles.saved_model())
    write(tmp_path, "inner/saved_model.pb", b"\xff\xff not protobuf")  # 15 bytes
    assert discover(tmp_path).models == (
        model(".", "tensorflow", len(modelfiles.saved_model()) + 15, "TensorFlow SavedModel without variables/"),
    )
    assert discover(tmp_path / "inner").models == (
        model(".", "tensorflow", 15, "TensorFlow SavedModel without variables/", "name"),
    )


@pytest.mark.parametrize("name,threshold", [
    ("main.c", None),  # source: not even stat'ed...
    ("rnn_data.c", 2 * 1024),  # ...unless the name hints at trained data: then read from 2 KiB
    ("Weights.H", 2 * 1024),
    ("cmu_us_slt_cg_f0_trees.c", 2 * 1024),  # a flite voice's parts
    ("haarcascade_eye.xml", 1024),  # XML and YAML: read from 1 KiB, whatever the name
    ("calibration.YML", 1024),
    ("index.html", None),  # documentation, build files, media: never
    ("README", None),
    ("net.txt", 64 * 1024),  # text data: read when large
    ("data.bin", 64),  # a name that says nothing: read from 64 bytes on
    ("noext", 64),
    ("c", 64),  # a bare name is not a suffix
    ("tiny.onnx", 1),  # named like a model: always read
    ("MODEL.ONNX", 1),
])
def test_which_files_are_read(name: str, threshold: Optional[int]) -> None:
    assert read_from(name) == threshold


def test_zip64_archives_are_read_through_the_zip64_end_record(tmp_path: Path) -> None:
    data = modelfiles.zip64({"archive/data.pkl": b"\x80\x02}q\x00.", "archive/version": b"3\n"})
    write(tmp_path, "checkpoint", data)
    assert discover(tmp_path).models == (
        model("checkpoint", "pytorch", len(data), "PyTorch zip archive with 2 members"),
    )


def test_truncated_or_lying_headers_are_not_models(tmp_path: Path) -> None:
    write(tmp_path, "a.bin", modelfiles.safetensors()[:40])  # header length beyond the file
    write(tmp_path, "b.bin", b"GGUF" + bytes(100))  # version 0
    write(tmp_path, "c.bin", modelfiles.pytorch_zip()[:200])  # no central directory
    write(tmp_path, "d.bin", b"\x80\x05" + bytes(2000))  # pickle protocol, garbage opcodes
    write(tmp_path, "e.bin", modelfiles.onnx()[:-30] + bytes(0))  # graph longer than the file
    write(tmp_path, "f.bin", modelfiles.zipped({"a.npy": b"", "notes.txt": b"x"}))  # zip, not npz
    assert discover(tmp_path) == Discovery((), (), ())


def test_numbers_as_c_arrays_are_found_when_the_name_hints_at_them(tmp_path: Path) -> None:
    # As rnnoise's rnn_data.c: a network as integer arrays in C source.
    source = b"static const rnn_weight input_dense_weights[1008] = {\n" + b"   -10, 0, -3, 1, -8, -6, 3, -13,\n" * 3000
    write(tmp_path, "src/rnn_data.c", source)
    write(tmp_path, "src/main.c", source)  # no hint: source files are not read
    assert discover(tmp_path).models == (
        model("src/rnn_data.c", "c-source", len(source), "neural network weights compiled into C"),
    )


def test_an_hdf5_user_block_of_text_does_not_hide_the_superblock(tmp_path: Path) -> None:
    user_block = b"Generated by a training script; see README.\n".ljust(512, b" ")
    data = user_block + modelfiles.hdf5()
    write(tmp_path, "weights", data)
    assert discover(tmp_path).models == (model("weights", "hdf5", len(data), "HDF5 file after a 512-byte user block"),)


def test_a_tree_like_opencv_flite_and_pocketsphinx(tmp_path: Path) -> None:
    """The read rules and the recognisers together: cascades and ml models in
    XML, a flite voice in C, a Sphinx model directory; and beside them
    what looks like models and is not."""
    cascade = (b'<?xml version="1.0"?>\n<opencv_storage>\n<cascade type_id="opencv-cascade-classifier">\n'
               b"  <stageType>BOOST</stageType>\n  <featureType>LBP</featureType>\n" + b"  <!-- stage -->\n" * 100)
    flite = (b'/* Autogenerated */\n#include "cst_cart.h"\nstatic const cst_cart_node cmu_us_x_dur_cart_nodes[] = {\n'
             + b"{ 255, CST_CART_OP_NONE, 0, (cst_val *)&val_0001 },\n" * 60 + b"};\n")
    s3 = b"s3\nversion 1.0\nchksum0 yes\nendhdr\n" + struct.pack("<I", 0x11223344) + struct.pack("<64f", *range(64))
    sizes = {
        "data/lbpcascades/lbpcascade_frontalface.xml": write(tmp_path, "data/lbpcascades/lbpcascade_frontalface.xml", cascade),
        "lang/cmu_us_x/cmu_us_x_cg_durmodel.c": write(tmp_path, "lang/cmu_us_x/cmu_us_x_cg_durmodel.c", flite),
        "model/en-us/means": write(tmp_path, "model/en-us/means", s3),
    }
    # Not models: a calibration in XML, the same cascade text in a CUDA
    # source (not read), a small hand-written tree (not read), Sphinx
    # configuration, a mesh.
    write(tmp_path, "samples/data/stereo_calib.xml", b'<?xml version="1.0"?>\n<opencv_storage>\n<M1 type_id="opencv-matrix">'
          + b"<data>800. 0. 320.</data>\n" * 80)
    write(tmp_path, "modules/cudaobjdetect/src/cascade.cu", cascade)
    write(tmp_path, "lang/usenglish/us_phrasing_cart.c", flite[:1500])
    write(tmp_path, "model/en-us/feat.params", b"-lowerf 130\n-upperf 6800\n-nfilt 25\n-transform dct\n" * 4)
    write(tmp_path, "data/bunny.ply", b"ply\nformat ascii 1.0\nend_header\n" + b"0.0378 0.1289 0.0045\n" * 5000)
    assert discover(tmp_path).models == (
        model("data/lbpcascades/lbpcascade_frontalface.xml", "opencv", sizes["data/lbpcascades/lbpcascade_frontalface.xml"],
              "OpenCV FileStorage: LBP cascade"),
        model("lang/cmu_us_x/cmu_us_x_cg_durmodel.c", "c-source", sizes["lang/cmu_us_x/cmu_us_x_cg_durmodel.c"],
              "flite CART tree compiled into C"),
        model("model/en-us/means", "sphinx", sizes["model/en-us/means"], "CMU Sphinx s3 binary model parameters"),
    )
