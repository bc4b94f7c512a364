"""Each recogniser against files written by the real library, or shipped by
a Debian package, where Debian has one.  The files are tiny and made here;
every module imported is a Debian package listed in .ci/debian-packages."""

from __future__ import annotations

import gzip
import pickle
import shutil
import warnings
from pathlib import Path

from modelcheck.discover import ModelFile, discover

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
SPHINX = Path("/usr/share/pocketsphinx/model/en-us")
CASCADES = Path("/usr/share/opencv4")


def found(root: Path) -> dict[str, tuple[str, str]]:
    """path -> (format, description) of everything discovery reports."""
    return {m.path: (m.format, m.description) for m in discover(root).models if m.evidence == "content"}


def everything(root: Path) -> tuple[ModelFile, ...]:
    return discover(root).models


def samples():  # type: ignore[no-untyped-def]
    import numpy

    rng = numpy.random.RandomState(0)
    x = rng.rand(40, 2).astype(numpy.float32)
    return x, (x[:, 0] > x[:, 1]).astype(numpy.int32)


def test_numpy_arrays_and_archives(tmp_path: Path) -> None:
    import numpy

    numpy.save(tmp_path / "w.npy", numpy.ones((2, 3), numpy.float32))
    numpy.savez(tmp_path / "layers.npz", w=numpy.ones(4, numpy.float32), b=numpy.zeros(1, numpy.float32))
    numpy.save(tmp_path / "codes.npy", numpy.arange(200, dtype=numpy.uint8))
    # As ArUco's dictionary: marker bitmaps as bytes, not weights, whatever the name says.
    numpy.savez(tmp_path / "arucoDictBytesList.npz", DICT_4X4=numpy.zeros((50, 2, 4), numpy.uint8))
    assert everything(tmp_path) == (
        ModelFile("layers.npz", "npz", (tmp_path / "layers.npz").stat().st_size, "content", "npz archive with 2 arrays"),
        ModelFile("w.npy", "npy", 152, "content", "npy array, shape (2, 3), dtype <f4"),
    )


def test_hdf5_and_keras_2_files(tmp_path: Path) -> None:
    import h5py

    with h5py.File(tmp_path / "plain.h5", "w") as f:
        f["dense/kernel"] = [[0.5, -0.5]]
    with h5py.File(tmp_path / "keras.h5", "w") as f:
        f.attrs["keras_version"] = "2.11.0"
        f.attrs["model_config"] = '{"class_name": "Sequential"}'
        f["model_weights/dense/kernel"] = [[0.5, -0.5]]
    assert found(tmp_path) == {"plain.h5": ("hdf5", "HDF5 file"), "keras.h5": ("keras", "Keras HDF5 model")}


def test_onnx_saved_by_onnx(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    weight = helper.make_tensor("W", TensorProto.FLOAT, [2, 2], [0.5, -0.5, 0.25, 1.0])
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], [weight])
    model = helper.make_model(graph, producer_name="onnx-example")
    onnx.save(model, tmp_path / "model.onnx")
    shutil.copy(tmp_path / "model.onnx", tmp_path / "renamed.bin")
    expected = ("onnx", f"ONNX model, IR version {model.ir_version}, producer onnx-example")
    assert found(tmp_path) == {"model.onnx": expected, "renamed.bin": expected}


def test_opencv_filestorage_ml_models_and_data(tmp_path: Path) -> None:
    import cv2
    import numpy

    x, y = samples()
    svm = cv2.ml.SVM_create()
    svm.train(x, cv2.ml.ROW_SAMPLE, y)
    svm.save(str(tmp_path / "svm.xml"))
    svm.save(str(tmp_path / "svm.yml.gz"))  # FileStorage gzips by the name
    ann = cv2.ml.ANN_MLP_create()
    ann.setLayerSizes(numpy.array([2, 4, 1]))
    ann.setActivationFunction(cv2.ml.ANN_MLP_SIGMOID_SYM)
    ann.train(x, cv2.ml.ROW_SAMPLE, y.astype(numpy.float32).reshape(-1, 1))
    ann.save(str(tmp_path / "ann.yml"))
    boost = cv2.ml.Boost_create()
    boost.train(x, cv2.ml.ROW_SAMPLE, y)
    boost.save(str(tmp_path / "renamed.txt.gz"))  # gzip by content, FileStorage inside
    # Data, not models: a calibration, feature points, an image as a matrix.
    for name, key, value in (("calibration.yml", "camera_matrix", numpy.eye(3) * 800.5),
                             ("cookies_ORB.yml", "points_3d", x.astype(numpy.float64).repeat(50, 0)),
                             ("data01.xml", "datamat", numpy.zeros((40, 784), numpy.float32))):
        storage = cv2.FileStorage(str(tmp_path / name), cv2.FILE_STORAGE_WRITE)
        storage.write(key, value)
        storage.release()
    # Matrices in a directory that says they are trained (as opencv's saliency ObjectnessTrainedModel).
    (tmp_path / "ObjectnessTrainedModel").mkdir()
    storage = cv2.FileStorage(str(tmp_path / "ObjectnessTrainedModel/ObjNessB2W8I.wS1.yml.gz"), cv2.FILE_STORAGE_WRITE)
    storage.write("ObjNessB2W8I", x[:8].repeat(4, 1))
    storage.release()
    assert found(tmp_path) == {
        "svm.xml": ("opencv", "OpenCV FileStorage: cv::ml model (svm)"),
        "svm.yml.gz": ("opencv", "gzip-compressed OpenCV FileStorage: cv::ml model (svm)"),
        "ann.yml": ("opencv", "OpenCV FileStorage: cv::ml model (ann_mlp)"),
        "renamed.txt.gz": ("opencv", "gzip-compressed OpenCV FileStorage: cv::ml model (boost)"),
        "ObjectnessTrainedModel/ObjNessB2W8I.wS1.yml.gz":
            ("opencv", "gzip-compressed OpenCV FileStorage: matrices, in a path that says trained"),
    }


def test_opencv_cascades_shipped_by_opencv_data(tmp_path: Path) -> None:
    """Haar (old format) and LBP (new <cascade> format) as opencv_traincascade wrote them."""
    shutil.copy(CASCADES / "haarcascades/haarcascade_eye.xml", tmp_path)
    shutil.copy(CASCADES / "lbpcascades/lbpcascade_frontalface.xml", tmp_path)
    (tmp_path / "eye.xml.gz").write_bytes(gzip.compress((CASCADES / "haarcascades/haarcascade_eye.xml").read_bytes()))
    assert found(tmp_path) == {
        "haarcascade_eye.xml": ("opencv", "OpenCV FileStorage: Haar cascade"),
        "lbpcascade_frontalface.xml": ("opencv", "OpenCV FileStorage: LBP cascade"),
        "eye.xml.gz": ("opencv", "gzip-compressed OpenCV FileStorage: Haar cascade"),
    }


def test_sentencepiece_trained_here(tmp_path: Path) -> None:
    import sentencepiece

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(f"the model number {i} reads words and pieces of words\n" for i in range(200)))
    sentencepiece.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(tmp_path / "m"), vocab_size=40)
    corpus.unlink()
    (tmp_path / "m.vocab").unlink()  # the vocabulary listing is text, read by no one
    shutil.copy(tmp_path / "m.model", tmp_path / "renamed.dat")
    assert found(tmp_path) == {"m.model": ("sentencepiece", "SentencePiece model"),
                               "renamed.dat": ("sentencepiece", "SentencePiece model")}


def test_pytorch_zip_legacy_and_torchscript(tmp_path: Path) -> None:
    import torch

    torch.manual_seed(0)
    layer = torch.nn.Linear(2, 2)
    torch.save(layer.state_dict(), tmp_path / "state.pt")
    torch.save(layer.state_dict(), tmp_path / "legacy.pth", _use_new_zipfile_serialization=False)
    torch.jit.script(layer).save(str(tmp_path / "scripted.pt"))
    result = found(tmp_path)
    # A zip holding a pickle: PyTorch, neither a plain zip nor a pickle.
    assert result == {
        "state.pt": ("pytorch", "PyTorch zip archive with 4 members"),
        "legacy.pth": ("pytorch", "legacy PyTorch serialization (pickle protocol 2)"),
        "scripted.pt": result["scripted.pt"],
    }
    assert result["scripted.pt"][1].startswith("TorchScript zip archive with ")


def test_scikit_learn_and_joblib_pickles(tmp_path: Path) -> None:
    import joblib
    import numpy
    from sklearn.linear_model import LogisticRegression

    x, y = samples()
    estimator = LogisticRegression().fit(x, y)
    (tmp_path / "estimator.pkl").write_bytes(pickle.dumps(estimator, protocol=4))
    joblib.dump({"coef": numpy.linspace(0, 1, 512)}, tmp_path / "weights.joblib")
    assert found(tmp_path) == {
        "estimator.pkl": ("pickle", "scikit-learn pickle protocol 4"),
        "weights.joblib": ("pickle", f"joblib pickle protocol {pickle.DEFAULT_PROTOCOL}"),
    }


def test_word2vec_vectors_written_by_gensim(tmp_path: Path) -> None:
    with warnings.catch_warnings():  # gensim 4.2 imports a deprecated scipy name
        warnings.simplefilter("ignore", DeprecationWarning)
        from gensim.models import Word2Vec

    sentences = [["model", "weights", "are", "trained", "numbers"], ["data", "sets", "are", "not"]] * 20
    vectors = Word2Vec(sentences, vector_size=8, min_count=1, seed=1, workers=1).wv
    vectors.save_word2vec_format(str(tmp_path / "vectors.bin"), binary=True)
    vectors.save_word2vec_format(str(tmp_path / "vectors.txt"), binary=False)
    count = len(vectors.index_to_key)
    # A .txt under 64 KiB is not read (text data); under a neutral name it is.
    shutil.copy(tmp_path / "vectors.txt", tmp_path / "vectors.vec")
    assert found(tmp_path) == {
        "vectors.bin": ("word2vec", f"word2vec binary vectors, {count} words x 8"),
        "vectors.vec": ("word2vec", f"word2vec text vectors, {count} words x 8"),
    }


def test_fasttext_trained_here(tmp_path: Path) -> None:
    import fasttext

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(f"words make vectors and vectors make model number {i % 7}\n" for i in range(300)))
    model = fasttext.train_unsupervised(str(corpus), dim=4, minCount=1, epoch=1, bucket=1000, thread=1)
    model.save_model(str(tmp_path / "model.bin"))
    corpus.unlink()
    assert found(tmp_path) == {"model.bin": ("fasttext", "fastText model, version 12")}


def test_xgboost_json_ubjson_and_binary(tmp_path: Path) -> None:
    import xgboost

    x, y = samples()
    booster = xgboost.train({"max_depth": 2, "objective": "binary:logistic"}, xgboost.DMatrix(x, label=y), 2)
    booster.save_model(str(tmp_path / "model.json"))
    booster.save_model(str(tmp_path / "model.ubj"))
    booster.save_model(str(tmp_path / "model.deprecated"))  # any other name: the old binary layout
    shutil.copy(tmp_path / "model.json", tmp_path / "booster")
    assert found(tmp_path) == {
        "booster": ("xgboost", "XGBoost model (JSON)"),
        "model.ubj": ("xgboost", "XGBoost model (UBJSON)"),
        "model.deprecated": ("xgboost", "XGBoost model (binary, gbtree)"),
    }


def test_tesseract_traineddata_shipped_by_tesseract_ocr_eng(tmp_path: Path) -> None:
    shutil.copy(TESSDATA, tmp_path / "eng.traineddata")
    shutil.copy(TESSDATA, tmp_path / "renamed")
    (tmp_path / "eng.Arial.exp0.tr").write_bytes(b"Arial d 112 4663 136 4699 0\n 4\n" * 4000)  # training features
    result = found(tmp_path)
    assert set(result) == {"eng.traineddata", "renamed"}
    assert result["eng.traineddata"] == result["renamed"]
    assert result["renamed"][0] == "tesseract" and result["renamed"][1].startswith("tesseract traineddata with ")


def test_sphinx_models_shipped_by_pocketsphinx_en_us(tmp_path: Path) -> None:
    shutil.copytree(SPHINX, tmp_path / "model/en-us")
    assert found(tmp_path) == {
        "model/en-us/en-us/mdef": ("sphinx", "CMU Sphinx binary model definition"),
        "model/en-us/en-us/means": ("sphinx", "CMU Sphinx s3 binary model parameters"),
        "model/en-us/en-us/variances": ("sphinx", "CMU Sphinx s3 binary model parameters"),
        "model/en-us/en-us/transition_matrices": ("sphinx", "CMU Sphinx s3 binary model parameters"),
        "model/en-us/en-us/sendump": ("sphinx", "CMU Sphinx sendump mixture weights"),
        "model/en-us/en-us.lm.bin": ("sphinx", "CMU Sphinx binary trie language model"),
        "model/en-us/en-us-phone.lm.bin": ("sphinx", "CMU Sphinx binary trie language model"),
    }  # feat.params, noisedict and the dictionary are configuration and a lexicon


def test_language_models_written_by_sphinx_lm_convert(tmp_path: Path) -> None:
    """sphinxbase's converter writes the binary trie and the ARPA text back."""
    import subprocess

    arpa = (b"\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-1.0 <s> -0.3\n-0.5 hello -0.2\n-1.0 </s>\n\n"
            b"\\2-grams:\n-0.1 <s> hello\n\n\\end\\\n")
    (tmp_path / "in.txt").write_bytes(arpa)  # .txt below 64 KiB: not read
    subprocess.run(["sphinx_lm_convert", "-i", "in.txt", "-ifmt", "arpa", "-o", "lm.bin"], cwd=tmp_path,
                   check=True, capture_output=True)
    subprocess.run(["sphinx_lm_convert", "-i", "lm.bin", "-o", "lm.arpa", "-ofmt", "arpa"], cwd=tmp_path,
                   check=True, capture_output=True)
    assert found(tmp_path) == {"lm.bin": ("sphinx", "CMU Sphinx binary trie language model"),
                               "lm.arpa": ("arpa", "ARPA 2-gram language model")}


def test_openfst_graphs_written_by_fstcompile(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "g.txt").write_text("0 1 1 1 0.5\n1 2 2 2 0.25\n2\n")
    subprocess.run(["fstcompile", "g.txt", "G.fst"], cwd=tmp_path, check=True)
    subprocess.run(["fstconvert", "--fst_type=const", "G.fst", "HCLG"], cwd=tmp_path, check=True)
    assert found(tmp_path) == {"G.fst": ("openfst", "OpenFst vector FST, standard arcs"),
                               "HCLG": ("openfst", "OpenFst const FST, standard arcs")}
