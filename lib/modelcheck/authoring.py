"""modelcheck init: a debian/model-provenance.yaml skeleton.

What a machine can establish (each model file's path, checksum, size and
format) is filled in; what only a human can (licences, data, code,
classification) is left as a FIXME placeholder that the schema rejects, so
a skeleton never passes for a finished file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from .errors import UnusableInput
from .safeio import write_atomically
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


def data_placeholder(name: str, upstream: Optional[str] = None) -> dict[str, Any]:
    entry = {"Name": name, "Upstream": upstream} if upstream else {"Name": name}
    return {
        **entry,
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


# Hugging Face's base_model_relation values, as the schema spells them.
RELATIONS = {"finetune": "fine-tune", "quantized": "quantized", "merge": "merge", "adapter": "adapter"}
HUB = "https://huggingface.co"
# A Hub repository id, owner/name or a bare canonical name: anything else
# would make a URL nobody checked.
REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")


def _text(value: Any) -> Optional[str]:
    """A card field as text; cards are free-form, so anything else is absent."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[str]:
    """A card field that may be one string or a list of them."""
    items = value if isinstance(value, list) else [value]
    return [text for text in map(_text, items) if text is not None]


def _hub_url(repo_id: str, kind: str = "") -> Optional[str]:
    return f"{HUB}/{kind}{repo_id}" if REPO_ID.match(repo_id) else None


def _model_name(card: Mapping[str, Any]) -> Optional[str]:
    """model_name, or the first model-index entry's name, made a schema Name."""
    index = card.get("model-index")
    first = index[0] if isinstance(index, list) and index and isinstance(index[0], dict) else {}
    name = _text(card.get("model_name")) or _text(first.get("name"))
    slug = re.sub(r"[^A-Za-z0-9+._-]+", "-", name or "").strip("-+._")
    return slug or None


def _licence(card: Mapping[str, Any]) -> str:
    """The weights' SPDX licence, or a placeholder quoting what the card says."""
    from .licences import spdx_from_model_card

    license_id = _text(card.get("license"))
    name, link = _text(card.get("license_name")), _text(card.get("license_link"))
    spdx = spdx_from_model_card(license_id, name, link) if license_id else None
    if spdx is not None:
        return spdx
    said = [f"{key}: {value}" for key, value in (("license", ", ".join(_texts(card.get("license")))),
                                                 ("license_name", name), ("license_link", link)) if value]
    hint = f"; the model card says {', '.join(said)}" if said else ""
    return placeholder(f"SPDX expression of the weights' licence{hint}")


def _base_model(repo_id: str, relation: Optional[str]) -> dict[str, Any]:
    return {
        "Name": repo_id,
        "Upstream": _hub_url(repo_id) or placeholder("https://where.the.base.model.is/"),
        "License": placeholder("SPDX expression of the base model's licence"),
        "Relation": RELATIONS.get(relation or "") or placeholder("fine-tune, quantized, distilled, merge or adapter"),
    }


def apply_model_card(model: dict[str, Any], card: Mapping[str, Any]) -> dict[str, Any]:
    """The skeleton model with the facts a Hugging Face card states; what
    the card does not state stays a placeholder (a data set's licence is
    never assumed from the model's)."""
    model = {**model, "Training": dict(model["Training"])}
    model["Name"] = _model_name(card) or model["Name"]
    model["License"] = _licence(card)
    if _text(card.get("license_link")):
        # Often a path in the model's repository, so it is quoted, not made an Upstream.
        model["Notes"] = f"The model card's license_link: {_text(card.get('license_link'))}"
    datasets = _texts(card.get("datasets"))
    if datasets:
        model["Training"]["Data"] = [data_placeholder(d, _hub_url(d, "datasets/")) for d in datasets]
    library = _text(card.get("library_name"))
    if library:
        model["Training"]["Stack"] = [{"Name": library, "Proprietary": placeholder("true or false")}]
    bases = _texts(card.get("base_model"))
    if bases:
        relation = _text(card.get("base_model_relation"))
        position = list(model).index("Training")  # Base-Model reads best just before Training
        items = list(model.items())
        items.insert(position, ("Base-Model", [_base_model(b, relation) for b in bases]))
        model = dict(items)
    return model


def render(document: dict[str, Any]) -> str:
    import yaml

    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return HEADER + body


def write_skeleton(path: Path, text: str, force: bool) -> None:
    """Create path, or replace it with force; never leave a half-written file."""
    if not path.parent.is_dir():
        raise UnusableInput(f"{path.parent}: no such directory")
    if (path.exists() or path.is_symlink()) and not force:
        raise UnusableInput(f"{PROVENANCE} exists; use --force to replace it")
    write_atomically(path, text.encode("utf-8"))


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


def init(root: Path, force: bool, card: Optional[Path] = None) -> tuple[Path, int]:
    """Write the skeleton, pre-filled from a Hugging Face model card if one
    is given; return its path and the number of files declared."""
    from .control import load_control
    from .model_card import load as load_card

    facts = load_card(card) if card is not None else None  # a bad card fails before any hashing
    names = [b.get("Package") or "" for b in load_control(root).binaries]
    files = model_files(root, [f"debian/{name}" for name in names])
    model = model_skeleton(files)
    if facts is not None:
        model = apply_model_card(model, facts)
    document = {"Format": "model-provenance/1", "Reviewed-By": placeholder("Your Name <you@example.org>"),
                "Models": [model]}
    path = root / PROVENANCE
    write_skeleton(path, render(document), force)
    return path, len(files)
