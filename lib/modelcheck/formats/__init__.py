"""What kind of model a file is: one recogniser per format, tried in the
order of REGISTRY.

Each recogniser module names:

- FORMAT: the Format: value of debian/model-provenance.yaml it reports
  (a module may report a sibling value, e.g. hdf5 reports keras);
- in its docstring, what it reads and what counts as a model;
- SUFFIXES: file names that alone make a file a candidate: when its content
  is not recognised it is still reported, with evidence "name", so that a
  maintainer looks at it.  Suffixes of formats whose name is shared with
  ordinary files (.pb, .params, .fst) are not listed: content decides;
- TEXT: whether its signature may start with printable text.  Most files a
  scan reads are text, and those only go through the TEXT recognisers;
- FIRST: the bytes its files may start with, or None; a text file is only
  given to the recognisers that accept its first byte;
- COMPANION (optional): the suffix of the file beside it that holds the
  weights (ncnn's .param and .bin); discovery reports that file too;
- recognise(sample): a Match or None.  Recognisers never execute what they
  read: pickles are walked with pickletools, JSON and protobuf only far
  enough to check their structure.

Container readers (zip, protobuf, gzip) live in ``containers``; they are
not formats.  The order: fixed magic numbers first, then structures that
need more checking, then gzip (whose content is handed back to the
registry), then text formats with a fixed first line, and last the
statistical rule for numbers as text, which any of the others would beat.
"""

from __future__ import annotations

from types import ModuleType
from typing import Optional

from . import (
    arpa, c_source, caffe, darknet, dlib, fasttext, gguf, gzip, hdf5, htsvoice, katago, kaldi, keras, lc0,
    lightgbm, mecab, mxnet, ncnn, nnue, npy, npz, numbers, onnx, opencv, openfst, openvino, pickle, pytorch,
    safetensors, sentencepiece, sphinx, tensorflow, tesseract, tflite, torch7, word2vec, xgboost,
)
from .base import HEAD_BYTES, TEXT_MIN_BYTES, Match, ReadAt, Sample, starts_as_text, suffix

__all__ = [
    "COMPANIONS", "FORMATS", "HEAD_BYTES", "NAMED", "REGISTRY", "TEXT_MIN_BYTES", "Match", "ReadAt", "Sample",
    "by_name", "classify", "name_only", "sniff", "sniff_wrapped", "suffix",
]

REGISTRY: tuple[ModuleType, ...] = (
    # Fixed magic numbers and headers.
    safetensors, gguf, npy, hdf5, tflite, nnue, fasttext, openfst, mxnet, tesseract, sphinx, kaldi,
    torch7, dlib, darknet,
    # Zip archives, pickles, structured binaries, protobuf.
    pytorch, keras, npz, pickle, xgboost, onnx, sentencepiece, tensorflow, caffe, lc0,
    # Compressed: the stream goes back through this registry.
    gzip, katago,
    # Text with a recognisable start, then numbers as text.
    opencv, openvino, ncnn, lightgbm, htsvoice, arpa, mecab, word2vec, c_source, numbers,
)
# Names that alone suggest a model, with no recogniser of their own.
NAME_ONLY = {"ckpt": "other", "mlmodel": "other", "pdparams": "other"}

NAMED: dict[str, str] = {
    **{s: module.FORMAT for module in REGISTRY for s in module.SUFFIXES}, **NAME_ONLY,
}
# Formats whose weights sit in a file beside the one recognised: format ->
# the companion's suffix, replacing the recognised file's last one.
COMPANIONS: dict[str, str] = {m.FORMAT: m.COMPANION for m in REGISTRY if getattr(m, "COMPANION", None)}
# Every Format: value a recogniser or a name may report.
FORMATS: tuple[str, ...] = tuple(dict.fromkeys(
    [m.FORMAT for m in REGISTRY] + ["keras", "tensorflow"] + list(NAME_ONLY.values())))


_TOP = tuple(m.recognise for m in REGISTRY if not getattr(m, "WRAPPED_ONLY", False))
_TOP_TEXT = tuple(m for m in REGISTRY if m.TEXT and not getattr(m, "WRAPPED_ONLY", False))
# Text recognisers by the file's first byte.
_TEXT_BY_FIRST = {
    byte: tuple(m.recognise for m in _TOP_TEXT if m.FIRST is None or byte in m.FIRST) for byte in range(256)
}
# Inside a gzip stream: no nested gzip, and the zip readers find no tail.
_WRAPPED = tuple(m.recognise for m in REGISTRY if m is not gzip)


def _first(sample: Sample, recognisers: tuple) -> Optional[Match]:  # type: ignore[type-arg]
    """The first match; a rejection (format "") stays one, so that classify
    does not fall back on the name.

    A recogniser that raises on hostile bytes has a bug; it must neither
    stop the whole scan nor vanish.  The file is reported as a model of
    format "other" whose description names the recogniser and its error:
    the maintainer sees the file (as an undeclared or unrecognised model),
    and the bug shows in the output instead of a traceback.  The other
    recognisers are not tried: one of them matching would hide it."""
    for recognise in recognisers:
        try:
            match = recognise(sample)
        except Exception as exc:  # noqa: BLE001 -- see the docstring
            return Match("other", "content", f"unrecognised: {_failure(recognise, exc)}")
        if match is not None:
            return match
    return None


def _failure(recognise, exc: Exception) -> str:  # type: ignore[no-untyped-def]
    """'the npy recogniser failed: ValueError: ...', on one line."""
    module = recognise.__module__.rpartition(".")[2]
    message = " ".join(str(exc).split())[:200]
    return f"the {module} recogniser failed ({type(exc).__name__}{': ' + message if message else ''})"


def _model(match: Optional[Match]) -> Optional[Match]:
    return match if match is not None and match.format else None


def sniff(sample: Sample) -> Optional[Match]:
    """The first recogniser's match, by content alone."""
    return _model(_first(sample, _TOP))


def sniff_wrapped(sample: Sample) -> Optional[Match]:
    """The same, for a decompressed stream."""
    return _first(sample, _WRAPPED)


def by_name(name: str) -> Optional[str]:
    return NAMED.get(suffix(name))


def name_only(name: str) -> Optional[Match]:
    named = by_name(name)
    if named is None:
        return None
    return Match(named, "name", f"named .{suffix(name)}; content not recognised")


def classify(sample: Sample) -> Optional[Match]:
    """Content first; a name that promises a model, second.  Most files
    read are text, so a text start skips the binary recognisers."""
    named = by_name(sample.name) is not None
    recognisers = _TEXT_BY_FIRST[sample.head[0]] if starts_as_text(sample.head) and not named else _TOP
    match = _first(sample, recognisers)
    return _model(match) if match is not None else name_only(sample.name)
