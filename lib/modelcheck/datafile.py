"""dh-modelcheck's own data files (data/*.desc): deb822 stanzas, read by one
loader.  A fault in them is a packaging bug, reported as a DataError that
names the file, whatever part of the reading found it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping, TypeVar

DATA_DIR = Path(__file__).resolve().parent / "data"

T = TypeVar("T")
Stanzas = list[Mapping[str, str]]


def read_data(path: Path, build: Callable[[Stanzas], T]) -> T:
    """build() applied to the file's stanzas.  A missing field (KeyError),
    entry (IndexError) or malformed value (ValueError) that build() meets is
    the file's fault too."""
    from debian.deb822 import Deb822

    from .errors import DataError

    try:
        with open(path, encoding="utf-8") as handle:
            stanzas: Stanzas = list(Deb822.iter_paragraphs(handle, use_apt_pkg=False))
        return build(stanzas)
    except (OSError, KeyError, IndexError, ValueError) as exc:
        raise DataError(f"{path}: {exc}") from None
