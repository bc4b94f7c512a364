"""debian/model-provenance.yaml: a safe YAML loader that keeps positions.

The file is maintainer-written but also arrives in uploaded source packages,
so it is read as hostile input.  PyYAML (its C parser when available) does
the parsing; this module refuses, before anything is constructed, what a
provenance file never needs and an attacker would use:

- more than MAX_BYTES, NUL bytes, text that is not UTF-8;
- more than one document, aliases (billion-laughs bombs), explicit tags
  (!!python/object and friends), merge keys;
- nesting deeper than MAX_DEPTH, which also keeps the recursive composer
  far from Python's recursion limit.

It then builds plain values (dates stay strings, keys must be strings,
duplicate keys are an error) and records the line and column of every node
by its JSON path, so schema violations can point at FILE:LINE:COL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

import yaml

from .errors import CannotRead
from .safeio import read_limited

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

try:  # the C parser is an order of magnitude faster; both are safe here
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - python3-yaml always has libyaml in Debian
    _Loader = yaml.SafeLoader

# Tags a provenance file may carry, implicitly resolved or written out.
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}

JsonPath = tuple[Union[str, int], ...]


class Position(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based


class LoadError(Exception):
    """The file cannot be read as a provenance document; says where."""

    def __init__(self, message: str, position: Optional[Position] = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class Document(NamedTuple):
    data: Any
    positions: dict[JsonPath, Position]

    def position(self, path: JsonPath) -> Position:
        """The position of a node, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise LoadError(f"larger than {MAX_BYTES} bytes")
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise LoadError("contains a NUL byte", Position(line, 1))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(f"not UTF-8 (byte {exc.start})", Position(line, 1)) from None


def _check_events(text: str) -> None:
    """Stream the parser's events once, refusing what must not be composed."""
    depth = documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise LoadError("aliases are not allowed", _position(event.start_mark))
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise LoadError("more than one YAML document", _position(event.start_mark))
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS and tag != "!":
            raise LoadError(f"tag {tag} is not allowed", _position(event.start_mark))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError(f"nested deeper than {MAX_DEPTH} levels", _position(event.start_mark))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _excerpt(value: str, limit: int = 40) -> str:
    """VALUE quoted, shortened to LIMIT characters for a one-line message."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


class _Builder:
    """Plain values from composed nodes, with positions by JSON path."""

    def __init__(self) -> None:
        self.positions: dict[JsonPath, Position] = {}
        self._scalars = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node, path: JsonPath) -> Any:
        self.positions[path] = _position(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == _CORE + "timestamp":
            return node.value  # dates stay strings, as JSON Schema expects
        try:
            return self._scalars.construct_object(node)
        except (ValueError, OverflowError, IndexError, yaml.constructor.ConstructorError):
            # The resolver takes '0b_' or an integer of 4,301 digits for an
            # int that int() then refuses (Python's digit limit), and text
            # that is all underscores once PyYAML strips them for an int
            # whose first character it then reads (IndexError).
            kind = (node.tag or "").rsplit(":", 1)[-1]
            raise LoadError(f"{kind} {_excerpt(node.value)} cannot be read", _position(node.start_mark)) from None

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                raise LoadError("merge keys (<<) are not allowed", _position(key_node.start_mark))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _CORE + "str":
                raise LoadError("mapping keys must be strings", _position(key_node.start_mark))
            key = key_node.value
            if key in result:
                raise LoadError(f"duplicate key {key!r}", _position(key_node.start_mark))
            result[key] = self.value(value_node, path + (key,))
        return result


def parse(text: str) -> Document:
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise LoadError(problem, _position(mark) if mark else None) from None
    except yaml.reader.ReaderError as exc:  # control characters; it counts characters, not lines
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise LoadError(str(exc).splitlines()[0], Position(line, column)) from None
    except yaml.YAMLError as exc:
        raise LoadError(str(exc).splitlines()[0]) from None
    if node is None:
        raise LoadError("the file is empty", Position(1, 1))
    builder = _Builder()
    data = builder.value(node, ())
    return Document(data, builder.positions)


def load(path: Path, root: Optional[Path] = None) -> Document:
    try:
        data = read_limited(path, MAX_BYTES, root)
    except CannotRead as exc:
        raise LoadError(exc.reason) from None
    return parse(decode(data))


class DeclaredFile(NamedTuple):
    path: str
    sha256: Optional[str]
    size: Optional[int]
    generated: bool
    model: str
    json_path: JsonPath


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


# Linux's limits: a path's bytes (PATH_MAX less the NUL) and a name's
# (NAME_MAX).  A Path beyond them, or with a NUL byte, can name no file.
MAX_PATH_BYTES = 4095
MAX_NAME_BYTES = 255


def path_problem(path: str) -> Optional[str]:
    """Why PATH cannot name a file, or None."""
    if "\0" in path:
        return "contains a NUL byte, which no file name can"
    encoded = path.encode("utf-8", "surrogateescape")
    if len(encoded) > MAX_PATH_BYTES:
        return f"is {len(encoded)} bytes long, over the {MAX_PATH_BYTES} of a path"
    longest = max(encoded.split(b"/"), key=len)
    if len(longest) > MAX_NAME_BYTES:
        return f"has a name of {len(longest)} bytes, over the {MAX_NAME_BYTES} of a file name"
    return None


def declared_files(document: Document) -> list[DeclaredFile]:
    """Every Files entry with a Path that can name a file, read
    defensively: the document may also have schema violations, reported
    separately (a Path that cannot name a file among them)."""
    return declared_files_of(document.data)


def declared_files_of(data: Any, usable_only: bool = True) -> list[DeclaredFile]:
    data = data if isinstance(data, dict) else {}
    found = []
    for m, model in enumerate(_list(data.get("Models"))):
        if not isinstance(model, dict):
            continue
        for f, entry in enumerate(_list(model.get("Files"))):
            if not isinstance(entry, dict) or not isinstance(entry.get("Path"), str):
                continue
            if not usable_only or path_problem(entry["Path"]) is None:
                found.append(DeclaredFile(
                    path=entry["Path"],
                    sha256=entry.get("Sha256") if isinstance(entry.get("Sha256"), str) else None,
                    size=entry.get("Size") if type(entry.get("Size")) is int else None,
                    generated=entry.get("Generated") is True,
                    model=str(model.get("Name", "")),
                    json_path=("Models", m, "Files", f, "Path"),
                ))
    return found
