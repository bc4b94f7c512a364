"""The provenance JSON Schema: located, loaded and compiled once, and its
violations turned into (JSON path, message) pairs."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Union

import jsonschema

from .errors import DataError

SCHEMA_NAME = "model-provenance-1.schema.json"
_HERE = Path(__file__).resolve().parent
# Installed, schemas/ sits beside the package (/usr/share/dh-modelcheck/);
# in a checkout, at the top of the tree, beside lib/.
SCHEMA_DIRS = (_HERE.parent / "schemas", _HERE.parent.parent / "schemas")
MAX_MESSAGE = 160


def schema_path(name: str = SCHEMA_NAME) -> Path:
    for directory in SCHEMA_DIRS:
        if (directory / name).is_file():
            return directory / name
    raise DataError(f"schema {name} not found in {', '.join(map(str, SCHEMA_DIRS))}")


@functools.lru_cache(maxsize=None)
def validator() -> jsonschema.protocols.Validator:
    path = schema_path()
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: {exc}") from None
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


class Violation(NamedTuple):
    path: tuple[Union[str, int], ...]
    message: str


def json_path(path: tuple[Union[str, int], ...]) -> str:
    """'$.Models[0].Files[1].Sha256', the way check-jsonschema prints it."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "type" and error.validator_value == "string" and not isinstance(error.instance, str):
        return f"{_short(error.instance)} is not a string: quote it"
    if error.validator == "not":
        if "pattern" in error.validator_value:
            return f"{_short(error.instance)} is a placeholder: replace it with the real fact"
        if "required" in error.validator_value:
            wrong = ", ".join(error.validator_value["required"])
            return f"{wrong} must not be given here"
    return error.message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _fits(error: jsonschema.ValidationError) -> bool:
    """False for an alternative that rejects the value's very kind (an object
    given where the alternative wants the string 'unavailable'): the other
    alternatives' complaints are the useful ones."""
    return bool(error.relative_path) or error.validator not in ("type", "const", "enum")


def _leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    """The errors to report for one: for anyOf/oneOf, every error of the
    alternative that came closest (three placeholders in a Training.Code
    mapping are three findings in one run), recursively."""
    if not error.context:
        yield error
        return
    fitting = [e for e in error.context if _fits(e)] or list(error.context)
    branch = jsonschema.exceptions.best_match(fitting).relative_schema_path[0]
    for alternative in fitting:
        if alternative.relative_schema_path[0] == branch:
            yield from _leaves(alternative)


def _unknown_fields(error: jsonschema.ValidationError) -> list[str]:
    known = set(error.schema.get("properties", {}))
    patterns = list(error.schema.get("patternProperties", {}))
    return [k for k in error.instance if k not in known and not any(re.search(p, k) for p in patterns)]


def violations(data: Any) -> Iterator[Violation]:
    """Every violation, not just the first."""
    for error in validator().iter_errors(data):
        for leaf in _leaves(error):
            yield from _violations(leaf)
    yield from _duplicate_verdicts(data)
    yield from _unusable_paths(data)


def _unusable_paths(data: Any) -> Iterator[Violation]:
    """A declared Path no file system can hold (the schema cannot count bytes)."""
    from .provenance_file import declared_files_of, path_problem

    for entry in declared_files_of(data, usable_only=False):
        problem = path_problem(entry.path)
        if problem is not None:
            yield Violation(entry.json_path, problem)


def _violations(error: jsonschema.ValidationError) -> Iterator[Violation]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        for key in _unknown_fields(error):
            yield Violation(path + (key,), "unknown field (fields for local use start with X-)")
        return
    message = _message(error)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    yield Violation(path, message)


def _duplicate_verdicts(data: Any) -> Iterator[Violation]:
    """Two verdicts on one licence (names are case-insensitive, as in SPDX)
    would leave the judgement to the order of the list."""
    entries = data.get("Licenses") if isinstance(data, dict) else None
    seen: set[str] = set()
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        name = entry.get("Name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            if name.lower() in seen:
                yield Violation(("Licenses", i, "Name"), f"{name} has a verdict already")
            seen.add(name.lower())
