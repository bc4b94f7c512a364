"""A Hugging Face model card's YAML front matter, read as hostile input.

A model card is a README.md that starts with YAML metadata between two
'---' lines.  Cards come from anywhere, so the metadata goes through the
provenance loader: the same size limit, no aliases, no tags, no merge keys,
bounded nesting.  Any problem is one UnusableInput line naming the card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from .errors import CannotRead, UnusableInput
from .provenance_file import MAX_BYTES, LoadError, decode, parse
from .safeio import read_limited

FENCE = "---"


def front_matter(text: str) -> str:
    """The YAML between the card's first line '---' and the next one;
    it starts on the card's second line."""
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise LoadError(f"no YAML front matter: the card does not start with a line '{FENCE}'")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            return "\n".join(lines[1:number]) + "\n"
    raise LoadError(f"the YAML front matter has no closing line '{FENCE}'")


def _message(label: str, exc: LoadError, first_line: int) -> str:
    where = f"line {exc.position.line + first_line - 1}: " if exc.position else ""
    return f"{label}: {where}{exc.message}"


def metadata(text: str) -> dict[str, Any]:
    """The front matter as plain data; LoadError if it is missing or unsafe."""
    yaml_text = front_matter(text)
    if not yaml_text.strip():
        raise LoadError("the YAML front matter is empty")
    data = parse(yaml_text).data
    if not isinstance(data, dict):
        raise LoadError("the YAML front matter is not a mapping")
    return data


def load(path: Path, label: Optional[str] = None) -> dict[str, Any]:
    label = label or str(path)
    try:
        text = decode(read_limited(path, MAX_BYTES))
    except CannotRead as exc:
        raise exc.named(label) from None
    except LoadError as exc:
        raise UnusableInput(_message(label, exc, first_line=1)) from None
    try:
        return metadata(text)
    except LoadError as exc:  # positions count from the front matter, the card's second line
        raise UnusableInput(_message(label, exc, first_line=2)) from None
