"""Keras model configs (the JSON of a .keras archive's config.json, or of an
HDF5 model's model_config attribute): Lambda layers hold marshalled Python
bytecode, which Keras runs when it rebuilds the model; objects from modules
outside Keras are custom code the loader must import.

HDF5 is read without h5py (not a dependency): Keras writes the config as
one JSON text, an attribute value HDF5 never compresses, so a bounded byte
search for its start finds it, and json decodes it from there."""

from __future__ import annotations

import json
from typing import Any

from ..formats.base import ReadAt
from .opcodes import Walked

# How far into an HDF5 file the config is looked for (Keras writes it
# before the weights), and the most one config may take.
HDF5_SCAN_BYTES = 16 * 1024 * 1024
CONFIG_BYTES = 16 * 1024 * 1024
START = b'{"class_name": '
KERAS_MODULES = ("keras", "tf_keras", "tensorflow.keras", "tensorflow.python.keras")


def _keras(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in KERAS_MODULES)


def _lambda(item: dict[str, Any]) -> bool:
    """A Lambda layer (Keras 2 and 3), a marshalled function (Keras 3's
    "__lambda__"), or a layer config whose function is a lambda."""
    return item.get("class_name") in ("Lambda", "__lambda__") or item.get("function_type") == "lambda"


def inspect(config: Any, out: Walked) -> None:
    """Lambdas are problems (dangerous), named by their layer; objects from
    modules outside Keras are names.  A lambda is reported once: the walk
    does not go inside it."""
    stack, seen = [config], 0
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, dict):
            continue
        seen += 1
        inner = item.get("config")
        if _lambda(item):
            layer = inner.get("name") if isinstance(inner, dict) else item.get("name")
            out.problems.append(f"Lambda layer {layer or '?'!r} holds marshalled bytecode")
            continue
        module, class_name = item.get("module"), item.get("class_name")
        if isinstance(module, str) and isinstance(class_name, str) and not _keras(module):
            out.reach(f"{module}.{class_name}", seen)
        stack.extend(reversed(list(item.values())))


def hdf5_configs(read_at: ReadAt, size: int) -> list[Any]:
    """The JSON configs near the start of an HDF5 file."""
    window = read_at(0, min(size, HDF5_SCAN_BYTES))
    found, start = [], window.find(START)
    while start >= 0:
        text = read_at(start, min(CONFIG_BYTES, size - start)).decode("utf-8", "replace")
        try:
            value, end = json.JSONDecoder().raw_decode(text)
        except (ValueError, RecursionError):
            start = window.find(START, start + 1)
            continue
        found.append(value)
        start = window.find(START, start + len(text[:end].encode("utf-8", "replace")))
    return found
