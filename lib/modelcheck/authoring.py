"""modelcheck init: a debian/model-provenance.yaml skeleton, and
modelcheck init --update: the machine facts of an existing one refreshed.

What a machine can establish (each model file's path, checksum, size and
format) is filled in; what only a human can (licences, data, code,
classification) is left as a FIXME placeholder that the schema rejects, so
a skeleton never passes for a finished file.

Over 300 lines, as one module on purpose: init and --update write the same
document from the same machine facts; --update edits the file in place
with ruamel.yaml's round-trip nodes so that the maintainer's comments,
order and placeholders survive, and both share the Files entries' shape.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Optional

from .errors import CannotRead, UnusableInput
from .provenance_file import path_problem
from .safeio import write_or_refuse
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


def write_skeleton(root: Path, text: str, force: bool) -> None:
    """Create the provenance file, or replace it with force; never leave a
    half-written file, never write through a link out of the tree."""
    path = root / PROVENANCE
    if not path.parent.is_dir():
        raise UnusableInput(f"{path.parent}: no such directory")
    if (path.exists() or path.is_symlink()) and not force:
        raise UnusableInput(f"{PROVENANCE} exists; use --force to replace it")
    write_or_refuse(PROVENANCE, path, text.encode("utf-8"), root=root)


def expand(root: Path, path: str) -> list[str]:
    """A model found as a directory (a TensorFlow SavedModel) is declared
    file by file; symbolic links are not followed."""
    top = root / path
    if not top.is_dir() or top.is_symlink():
        return [path]
    # An explicit stack, not os.walk: Python 3.11's recurses, and a
    # hostile SavedModel nests deeper than the interpreter allows.
    from .discover import MAX_DEPTH

    files: list[str] = []
    stack = [path]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(root / directory) as entries:
                listing = list(entries)
        except OSError as exc:
            raise UnusableInput(f"{directory}: cannot list: {exc.strerror or exc}") from None
        for entry in listing:
            child = f"{directory}/{entry.name}" if directory != "." else entry.name
            if entry.is_dir(follow_symlinks=False):
                if child.count("/") >= MAX_DEPTH:
                    raise UnusableInput(f"{child}: nested deeper than {MAX_DEPTH} directories")
                stack.append(child)
            elif entry.is_file(follow_symlinks=False):
                files.append(child)
    return sorted(files)


def _refuse_undecodable(path: str) -> None:
    """A provenance file is UTF-8 YAML: a name with bytes that are not UTF-8
    cannot be declared in it (written escaped, PyYAML would refuse it)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        from .report import printable

        raise UnusableInput(f"{printable(path)}: file name not UTF-8; rename it to declare it") from None


def model_files(root: Path, skip: Iterable[str]) -> list[dict[str, Any]]:
    """Files entries for every model file found, hashed in parallel."""
    from .discover import discover
    from .hashing import sha256_files

    found = [(path, model.format) for model in discover(root, skip=skip).models for path in expand(root, model.path)]
    for path, _ in found:
        _refuse_undecodable(path)
    hashes = sha256_files([root / path for path, _ in found], root=root)
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
    files = model_files(root, load_control(root).build_directories())
    model = model_skeleton(files)
    if facts is not None:
        model = apply_model_card(model, facts)
    document = {"Format": "model-provenance/1", "Reviewed-By": placeholder("Your Name <you@example.org>"),
                "Models": [model]}
    path = root / PROVENANCE
    write_skeleton(root, render(document), force)
    return path, len(files)


# modelcheck init --update: refresh what a machine knows in a file a human
# has filled in.  The file is edited as text at the positions of the nodes
# python3-ruamel.yaml's round-trip composer reports, so every byte that is
# not a refreshed value (keys, order, quoting, comments, folded text) stays
# exactly as written; new entries are rendered by ruamel.yaml.


class _Edit(NamedTuple):
    start: int
    end: int
    text: str


class _Update:
    """The edits and the human-readable changes of one refresh."""

    def __init__(self, root: Path, text: str, found: dict[str, dict[str, Any]]) -> None:
        self.root, self.text, self.found = root, text, found
        self.edits: list[_Edit] = []
        self.changes: list[str] = []
        self.claimed: set[str] = set()

    def replace(self, node: Any, value: Any) -> None:
        self.edits.append(_Edit(node.start_mark.index, node.end_mark.index, _scalar(value, node.style)))

    def entry(self, entry: Any, declared: set[str]) -> None:
        fields = _fields(entry)
        path_node = fields.get("Path")
        if not _is_scalar(path_node) or _truthy(fields.get("Generated")):
            if _is_scalar(path_node):
                self.claimed.add(path_node.value)
            return
        old = path_node.value
        sha_node = fields.get("Sha256")
        path = old if _regular(self.root, old) else self._moved(old, sha_node, declared)
        if path is None:
            self.changes.append(f"{old}: not found; left as it is")
            return
        self.claimed.add(path)
        if path != old:
            self.replace(path_node, path)
            self.changes.append(f"{old}: Path is now {path}")
        self._facts(path, fields, entry, path_node)

    def _moved(self, old: str, sha_node: Any, declared: set[str]) -> Optional[str]:
        """A declared file upstream moved: the one undeclared file found with
        its old checksum, else the one with its name."""
        free = [p for p in self.found if p not in declared and p not in self.claimed]
        for same in ((lambda p: _is_scalar(sha_node) and self.found[p]["Sha256"] == sha_node.value),
                     (lambda p: os.path.basename(p) == os.path.basename(old))):
            candidates = [p for p in free if same(p)]
            if len(candidates) == 1:
                return candidates[0]
        return None

    def _facts(self, path: str, fields: dict[str, Any], entry: Any, path_node: Any) -> None:
        fact = self.found.get(path) or _hashed(self.root, path)
        for key in ("Sha256", "Size", "Format"):
            node, value = fields.get(key), fact.get(key)
            if value is None or (node is not None and not _is_scalar(node)):
                continue
            if node is None and key == "Sha256":
                self._add_line(entry, path_node, f"Sha256: {value}")
                self.changes.append(f"{path}: Sha256 added")
            elif node is not None and str(node.value) != str(value):
                self.replace(node, value)
                self.changes.append(f"{path}: {key} {_short(node.value)} -> {_short(value)}")

    def _add_line(self, entry: Any, path_node: Any, line: str) -> None:
        if entry.flow_style:
            raise UnusableInput(f"{PROVENANCE}: cannot add to a flow-style Files entry ({path_node.value}); add {line} by hand")
        key_column = next(k for k, v in entry.value if v is path_node).start_mark.column
        at = _line_end(self.text, path_node)
        self.edits.append(_Edit(at, at, " " * key_column + line + "\n"))

    def new_files(self, models: Any) -> None:
        """Model files found but declared nowhere, as the Files of a new
        placeholder model: a human decides where they belong."""
        paths = [p for p in self.found if p not in self.claimed]
        if not paths:
            return
        if models.flow_style or not models.value:
            raise UnusableInput(f"{PROVENANCE}: Models is not a block list; declare {', '.join(paths)} by hand")
        block = _render_item(model_skeleton([self.found[p] for p in paths]), _dash_column(self.text, models.value[0]))
        at = _line_end(self.text, _last_scalar(models))
        self.edits.append(_Edit(at, at, ("" if self.text[:at].endswith("\n") else "\n") + block))
        self.changes += [f"{p}: added as a file of a new FIXME model; move it to its model or fill that in" for p in paths]

    def result(self) -> str:
        text = self.text
        for edit in sorted(self.edits, key=lambda e: e.start, reverse=True):
            text = text[:edit.start] + edit.text + text[edit.end:]
        return text


def _fields(mapping: Any) -> dict[str, Any]:
    return {k.value: v for k, v in getattr(mapping, "value", []) if _is_scalar(k)} if _is_mapping(mapping) else {}


def _is_scalar(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def _is_mapping(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode)


def _truthy(node: Any) -> bool:
    return _is_scalar(node) and node.value.lower() == "true"


def _short(value: Any) -> str:
    text = str(value)
    return text[:12] + "..." if len(text) == 64 else text  # checksums, shortened as git does


def _scalar(value: Any, style: Optional[str]) -> str:
    """A new value in the quoting style of the one it replaces."""
    text = str(value)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"' or not re.fullmatch(r"[A-Za-z0-9_./+-][A-Za-z0-9_./+ -]*(?<! )", text):
        return json.dumps(text)
    return text


def _line_end(text: str, node: Any) -> int:
    """Where the line holding the end of node ends (after its newline); a
    block scalar's end is already at the start of a line."""
    end = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def _last_scalar(node: Any) -> Any:
    while not _is_scalar(node):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _dash_column(text: str, item: Any) -> int:
    """The column of the '-' that starts a block sequence item."""
    dash = text.rfind("-", 0, item.start_mark.index)
    return dash - (text.rfind("\n", 0, dash) + 1)


def _render_item(model: dict[str, Any], column: int) -> str:
    """One block sequence item, its '-' at column."""
    import io
    import textwrap

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    out = io.StringIO()
    yaml.dump([model], out)
    return textwrap.indent(textwrap.dedent(out.getvalue()), " " * column)


def _regular(root: Path, path: str) -> bool:
    if path_problem(path) is not None:  # a NUL byte or over the length limits: no file
        return False
    full = root / path
    return full.is_file() and not full.is_symlink() and os.path.realpath(full).startswith(os.path.realpath(root) + os.sep)


def _hashed(root: Path, path: str) -> dict[str, Any]:
    """The machine facts of a declared file discovery did not recognise."""
    from .hashing import sha256_file

    return {"Sha256": sha256_file(root / path, root), "Size": (root / path).stat().st_size}


def _read_provenance(root: Path) -> tuple[str, bytes]:
    """The text of the file, refused as the checks refuse it (aliases,
    tags, duplicate keys, more than one document ...)."""
    from .provenance_file import MAX_BYTES, LoadError, decode, parse
    from .safeio import read_limited

    try:
        data = read_limited(root / PROVENANCE, MAX_BYTES, root)
        text = decode(data)
        parse(text)
    except CannotRead as exc:
        raise UnusableInput(f"{PROVENANCE}: {exc.reason}; write one with 'modelcheck init'") from None
    except LoadError as exc:
        where = f":{exc.position.line}" if exc.position else ""
        raise UnusableInput(f"{PROVENANCE}{where}: {exc.message}") from None
    return text, data


def update(root: Path) -> tuple[Path, list[str], bool]:
    """Refresh Path, Sha256, Size and Format of the declared files and add
    the model files found undeclared; return the path, what changed (or
    could not be refreshed), and whether the file was rewritten."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import SequenceNode

    from .control import load_control

    path = root / PROVENANCE
    text, data = _read_provenance(root)
    try:
        models = _fields(YAML().compose(text)).get("Models")
    except YAMLError as exc:  # read by PyYAML, yet not by ruamel.yaml: say where, not how
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise UnusableInput(f"{PROVENANCE}{where}: python3-ruamel.yaml cannot read this file for editing") from None
    if not isinstance(models, SequenceNode):
        raise UnusableInput(f"{PROVENANCE}: no Models list to update")
    found = {e["Path"]: e for e in model_files(root, load_control(root).build_directories())}
    entries = [e for m in models.value for e in getattr(_fields(m).get("Files"), "value", []) if _is_mapping(e)]
    declared = {_fields(e)["Path"].value for e in entries if _is_scalar(_fields(e).get("Path"))}
    work = _Update(root, text, found)
    for entry in entries:
        work.entry(entry, declared)
    work.new_files(models)
    if work.edits:
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        content = (bom + work.result()).encode("utf-8")
        write_or_refuse(PROVENANCE, path, content, stat.S_IMODE(path.stat().st_mode), root)
    return path, work.changes, bool(work.edits)
