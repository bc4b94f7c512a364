"""bench/realworld.py offline: the truth files it keeps, their parser, the
tarball layout it unpacks, and its scoring over a small tree with the real
discover().  Fetching the corpus needs the network and is not tested here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import modelfiles
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_realworld():
    spec = importlib.util.spec_from_file_location("realworld", BENCH / "realworld.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("realworld", module)
    spec.loader.exec_module(module)
    return module


realworld = load_realworld()


def test_every_pinned_package_has_a_truth_file_that_parses() -> None:
    truths = {p.stem for p in (BENCH / "realworld").glob("*.truth")}
    assert truths == set(realworld.PINS)
    labels = {p: realworld.read_truth(BENCH / "realworld" / f"{p}.truth").values() for p in realworld.PINS}
    models = {p: sum(label.label == "model" for label in found) for p, found in labels.items()}
    # The packages the corpus was chosen for each name models.
    assert {p for p, n in models.items() if n == 0} == {"fasttext", "espeak-ng"}


@pytest.mark.parametrize("line, message", [
    ("model data/x.bin", "expected 'LABEL PATH  # REASON'"),
    ("trained data/x.bin  # a reason", "expected 'LABEL PATH  # REASON'"),
    ("model  # a reason", "expected 'LABEL PATH  # REASON'"),
])
def test_truth_lines_need_a_known_label_a_path_and_a_reason(tmp_path: Path, line: str, message: str) -> None:
    truth = tmp_path / "p.truth"
    truth.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(realworld.Fail, match=f"^p.truth:3: {message}"):
        realworld.read_truth(truth)


def test_a_path_is_labelled_once(tmp_path: Path) -> None:
    truth = tmp_path / "p.truth"
    truth.write_text("model a  # one\nnot-model a  # two\n", encoding="utf-8")
    with pytest.raises(realworld.Fail, match="^p.truth:2: a is labelled twice$"):
        realworld.read_truth(truth)


def test_tarball_roles_follow_the_source_format_names() -> None:
    entry = realworld.SourceEntry("opencv", "4.10.0+dfsg-5", "pool/main/o/opencv", ())
    roles = {name: realworld.tarball_role(entry, name) for name in (
        "opencv_4.10.0+dfsg.orig.tar.xz", "opencv_4.10.0+dfsg.orig-contrib.tar.xz",
        "opencv_4.10.0+dfsg-5.debian.tar.xz", "opencv_4.10.0+dfsg-5.dsc")}
    assert roles == {
        "opencv_4.10.0+dfsg.orig.tar.xz": "orig", "opencv_4.10.0+dfsg.orig-contrib.tar.xz": "orig-contrib",
        "opencv_4.10.0+dfsg-5.debian.tar.xz": "debian", "opencv_4.10.0+dfsg-5.dsc": None,
    }
    epoch = realworld.SourceEntry("tesseract-lang", "1:4.1.0-2", "pool/main/t/tesseract-lang", ())
    assert realworld.tarball_role(epoch, "tesseract-lang_4.1.0.orig.tar.gz") == "orig"


def test_score_counts_hits_misses_and_unlabelled_reports_as_false_positives(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "found.gguf").write_bytes(modelfiles.gguf())
    (tmp_path / "models" / "missed.c").write_text("int x;\n", encoding="utf-8")
    (tmp_path / "models" / "stray.safetensors").write_bytes(modelfiles.safetensors())
    (tmp_path / "models" / "inside.npy").write_bytes(modelfiles.npy())
    truth = {
        "models/found.gguf": realworld.Label("model", "planted"),
        "models/missed.c": realworld.Label("model", "planted, no recogniser reads it"),
        "models/inside.npy": realworld.Label("embedded", "counted apart"),
    }
    score = realworld.score("toy", tmp_path, truth)
    assert (score.models, score.hits, score.misses, [p for p, _ in score.false_positives], score.embedded_found) == (
        2, ("models/found.gguf",), ("models/missed.c",), ["models/stray.safetensors"], 1)
    assert score.recall == 0.5


def test_a_truth_naming_a_path_the_tree_lacks_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(realworld.Fail, match="^toy: the truth names paths the tree does not have: gone.bin$"):
        realworld.score("toy", tmp_path, {"gone.bin": realworld.Label("model", "r")})
