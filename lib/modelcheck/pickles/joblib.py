"""joblib's arrays: joblib pickles a NumpyArrayWrapper, and its own
unpickler, on the wrapper's BUILD, reads the array from the file right
there, between two opcodes: raw bytes (after a padding byte and padding
since joblib 1.2), or for an array of objects one more whole pickle.  The
walk skips the raw bytes, which needs their size from the wrapper's state,
and walks the nested pickle like the rest.  A state it cannot size stops
the walk: where the pickle resumes is then unknown."""

from __future__ import annotations

import re
from typing import Any, Optional

from . import opcodes
from .streams import Source

WRAPPER = "joblib.numpy_pickle.NumpyArrayWrapper"
# numpy.dtype's first argument as NumPy pickles it: a kind and the item size
# in bytes ("f8", "U20", "V16", "O8").
DTYPE = re.compile(r"[<>|=]?([a-zA-Z])(\d+)\Z")


def _itemsize(dtype: Any) -> Optional[tuple[str, int]]:
    if not isinstance(dtype, opcodes.Made) or not dtype.origin.endswith(".dtype"):
        return None
    args = dtype.args
    if not isinstance(args, tuple) or not args or not isinstance(args[0], str):
        return None
    match = DTYPE.match(args[0])
    return (match.group(1), int(match.group(2))) if match else None


def _count(shape: Any) -> Optional[int]:
    if not isinstance(shape, tuple) or not all(isinstance(n, int) and n >= 0 for n in shape):
        return None
    count = 1
    for n in shape:
        count *= n
    return count


def skip_array(state: Any, source: Source, out: opcodes.Walked, depth: int) -> None:
    at = source.tell()
    kind = _itemsize(state.get("dtype")) if isinstance(state, dict) else None
    count = _count(state.get("shape")) if isinstance(state, dict) else None
    if kind is None or count is None:
        raise opcodes.Malformed(f"a joblib array whose size is not constant at byte {at}")
    if kind[0] == "O":
        inner = opcodes.walk(source, HOOKS, depth + 1)
        out.merge(inner, f"in the object array at byte {at}")
        if not inner.stopped:
            raise opcodes.Malformed(f"the object array at byte {at} does not end")
        return
    if "numpy_array_alignment_bytes" in state:
        padding = source.read(1)
        source.skip(padding[0] if padding else 0)
    source.skip(count * kind[1])


HOOKS = {WRAPPER: skip_array}
