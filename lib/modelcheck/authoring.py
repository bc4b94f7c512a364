"""modelcheck init: a debian/model-provenance.yaml skeleton.

What a machine can establish (each model file's path, checksum, size and
format) is filled in; what only a human can (licences, data, code,
classification) is left as a FIXME placeholder that the schema rejects, so
a skeleton never passes for a finished file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from .errors import UnusableInput
from .schema import SCHEMA_NAME
from .source import PROVENANCE

INSTALLED_SCHEMA = f"/usr/share/dh-modelcheck/schemas/{SCHEMA_NAME}"

HEADER = f"""\
# yaml-language-server: $schema={INSTALLED_SCHEMA}
#
# Provenance of the machine-learning models this source package ships; see
# model-provenance.yaml(5).  Paths, checksums, sizes and formats were filled
# in by "modelcheck init"; every FIXME needs a fact only a human can supply,
# and dh_modelcheck rejects the file while one is left.  Split Models into one
# entry per model, and delete optional fields you cannot answer.
"""


def placeholder(what: str) -> str:
    return f"FIXME: {what}"


def file_entry(path: str, sha256: str, size: int, fmt: str) -> dict[str, Any]:
    return {"Path": path, "Sha256": sha256, "Size": size, "Format": fmt}


def training_placeholders() -> dict[str, Any]:
    return {
        "Data": [data_placeholder(placeholder("name of the data set, or simulator"))],
        "Code": {
            "Upstream": placeholder("https://where.the.training.code.is/ (or write Code: unavailable)"),
            "License": placeholder("SPDX expression of the training code's licence"),
            "Complete": placeholder("true or false: can it retrain these weights from the data above?"),
        },
        "Stack": [{"Name": placeholder("framework or accelerator library, e.g. PyTorch or cuDNN"),
                   "Proprietary": placeholder("true or false")}],
        "Hardware": placeholder("what the training ran on, e.g. 8 NVIDIA V100 GPUs"),
        "Reproducibility": {
            "Status": placeholder("reproduced, partially-reproduced, not-attempted, impractical or impossible"),
        },
    }


def data_placeholder(name: str) -> dict[str, Any]:
    return {
        "Name": name,
        "License": placeholder("SPDX expression of the data's licence, or unknown"),
        "Availability": placeholder("public, registration, on-request, unavailable or generated"),
    }


def model_skeleton(files: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Name": "FIXME-model-name",
        "Upstream": placeholder("https://where.the.weights.are.published/"),
        "License": placeholder("SPDX expression of the weights' licence"),
        "Files": files or [{"Path": placeholder("path/of/the/weights/in/the/source/tree")}],
        "Training": training_placeholders(),
        "Classification": placeholder("free, toxic-candy or non-free (see ML-Policy)"),
    }


def render(document: dict[str, Any]) -> str:
    import yaml

    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return HEADER + body


def write_atomically(path: Path, text: str, force: bool) -> None:
    """Create path, or replace it with force; never leave a half-written file."""
    if not path.parent.is_dir():
        raise UnusableInput(f"{path.parent}: no such directory")
    if (path.exists() or path.is_symlink()) and not force:
        raise UnusableInput(f"{PROVENANCE} exists; use --force to replace it")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def expand(root: Path, path: str) -> list[str]:
    """A model found as a directory (a TensorFlow SavedModel) is declared
    file by file; symbolic links are not followed."""
    top = root / path
    if not top.is_dir() or top.is_symlink():
        return [path]
    files = []
    for directory, _, names in os.walk(top):
        files += [os.path.join(directory, n) for n in names if os.path.isfile(os.path.join(directory, n))
                  and not os.path.islink(os.path.join(directory, n))]
    return sorted(os.path.relpath(f, root) for f in files)


def model_files(root: Path, skip: Iterable[str]) -> list[dict[str, Any]]:
    """Files entries for every model file found, hashed in parallel."""
    from .discover import discover
    from .hashing import sha256_files

    found = [(path, model.format) for model in discover(root, skip=skip).models for path in expand(root, model.path)]
    hashes = sha256_files([root / path for path, _ in found])
    entries = []
    for path, fmt in found:
        digest = hashes[root / path]
        if not isinstance(digest, str):
            raise UnusableInput(f"{path}: cannot hash: {digest.reason}")
        entries.append(file_entry(path, digest, (root / path).stat().st_size, fmt))
    return entries


def init(root: Path, force: bool) -> tuple[Path, int]:
    """Write the skeleton; return its path and the number of files declared."""
    from .control import load_control

    names = [b.get("Package") or "" for b in load_control(root).binaries]
    files = model_files(root, [f"debian/{name}" for name in names])
    document = {"Format": "model-provenance/1", "Reviewed-By": placeholder("Your Name <you@example.org>"),
                "Models": [model_skeleton(files)]}
    path = root / PROVENANCE
    write_atomically(path, render(document), force)
    return path, len(files)
