"""debian/control, parsed with python3-debian's round-trip deb822 parser.

The round-trip parser is used rather than ``Deb822.iter_paragraphs`` because
the latter silently drops malformed lines and keeps the last of duplicated
fields: a control file it "accepts" may not be the one dpkg reads.  The
round-trip parser rejects both, and its tokens let findings point at lines.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional

from debian._deb822_repro import parse_deb822_file
from debian._deb822_repro.parsing import Deb822KeyValuePairElement, Deb822ParagraphElement

from .errors import CannotRead, UnusableInput
from .safeio import read_limited

CONTROL = "debian/control"
# Far above any real control file; keeps hostile input from filling memory.
MAX_CONTROL_BYTES = 4 * 1024 * 1024

# Characters str.splitlines() breaks lines at, besides the newline that
# ends a line of a deb822 file (an index, debian/copyright).  python-debian
# splits field values with it and refuses a value in which one leaves an
# empty line (ValueError), or ends a paragraph at one; in deb822 they are
# just characters of a line (a form feed in a licence text), and white
# space to dpkg's relation parser: see deb822_lines.
FOREIGN_LINE_BREAKS = str.maketrans({c: " " for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def deb822_lines(text: str) -> list[str]:
    """The lines of deb822 text as python-debian's lenient parsers should
    get them: split at newlines only, the other line breaks made spaces."""
    return text.translate(FOREIGN_LINE_BREAKS).splitlines(keepends=True)

# Archive areas (Debian Policy 2.4), as they prefix a Section.
AREAS = ("main", "contrib", "non-free", "non-free-firmware")


# A run of the characters of package names: a word between two others is
# one name, as the pattern of Stanza.line_of requires.
_NAME_RUN = re.compile(r"[a-z0-9+.-]+")


@functools.lru_cache(maxsize=64)
def _first_lines(texts: tuple[tuple[int, str], ...]) -> dict[str, int]:
    """The first line of a field on which each name appears."""
    first: dict[str, int] = {}
    for number, text in texts:
        for run in _NAME_RUN.findall(text):
            first.setdefault(run, number)
    return first


class Stanza(NamedTuple):
    """One paragraph: field values by lower-cased name, and their line numbers."""

    values: Mapping[str, str]
    lines: Mapping[str, int]
    first_line: int
    # Each field's physical lines with their numbers, comments left out.
    texts: Mapping[str, tuple[tuple[int, str], ...]]

    def get(self, field: str) -> Optional[str]:
        return self.values.get(field.lower())

    def line_of(self, field: str, word: Optional[str] = None) -> int:
        """The line of a field, or of the first line of its value that
        contains ``word`` as a whole package name."""
        if word is not None and _NAME_RUN.fullmatch(word):
            # An index of the field's names, built once: searching the
            # field again for each of thousands of names was quadratic.
            number = _first_lines(self.texts.get(field.lower(), ())).get(word)
            if number is not None:
                return number
        elif word is not None:
            pattern = re.compile(rf"(?<![a-z0-9+.-]){re.escape(word)}(?![a-z0-9+.-])")
            for number, text in self.texts.get(field.lower(), ()):
                if pattern.search(text):
                    return number
        return self.lines.get(field.lower(), self.first_line)


class Area(NamedTuple):
    name: str  # one of AREAS
    declared: Optional[str]  # the prefix as written, when it is not a known area

    @property
    def is_main(self) -> bool:
        return self.name == "main"


def area_of_section(section: Optional[str]) -> Area:
    """The archive area a Section field claims: 'contrib/science' is contrib,
    a section without prefix is main."""
    if not section or "/" not in section:
        return Area("main", None)
    prefix = section.split("/", 1)[0].strip()
    if prefix in AREAS:
        return Area(prefix, None)
    return Area("main", prefix)


class Control(NamedTuple):
    source: Stanza
    binaries: tuple[Stanza, ...]
    path: str = CONTROL

    @property
    def source_name(self) -> str:
        return self.source.get("Source") or ""

    @property
    def area(self) -> Area:
        return area_of_section(self.source.get("Section"))

    def build_directories(self) -> list[str]:
        """debian/PACKAGE of each binary package: where debhelper assembles
        the package, build output that no check reads as source."""
        return [d for d in (build_directory(b.get("Package") or "") for b in self.binaries) if d]

    def binary_area(self, stanza: Stanza) -> Area:
        """A binary's own Section wins when it names an area; else the source's."""
        own = stanza.get("Section")
        if own and "/" in own:
            return area_of_section(own)
        return self.area


# Debian Policy 5.6.7: what a binary package name may be.  Only such a name
# makes a build directory: "../src" or "x/../.." taken as one would hide part
# of the tree from every check.
PACKAGE_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]+\Z")
# debian/ subdirectories that hold sources, never build output, even if a
# binary package happened to share the name.
SOURCE_DEBIAN_DIRS = frozenset({"source", "patches", "tests", "upstream", "po", "missing-sources"})


def build_directory(package: str) -> Optional[str]:
    """debian/PACKAGE, where debhelper assembles a binary package; None for
    a name that is no package name or that of a source directory."""
    if not PACKAGE_NAME.match(package) or package in SOURCE_DEBIAN_DIRS:
        return None
    return f"debian/{package}"


def _stanza(paragraph: Deb822ParagraphElement, first_line: int) -> Stanza:
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    texts: dict[str, tuple[tuple[int, str], ...]] = {}
    line = first_line
    for part in paragraph.iter_parts():
        text = part.convert_to_text()
        if isinstance(part, Deb822KeyValuePairElement):
            name = part.field_name.lower()
            physical = [(line + i, t) for i, t in enumerate(text.splitlines()) if not t.startswith("#")]
            lines[name] = physical[0][0]
            texts[name] = tuple(physical)
            values[name] = paragraph[part.field_name]
        line += text.count("\n")
    return Stanza(values, lines, first_line, texts)


def _stanzas(text: str) -> Iterable[Stanza]:
    parsed = parse_deb822_file(
        text.splitlines(keepends=True),
        accept_files_with_error_tokens=False,
        accept_files_with_duplicated_fields=False,
    )
    line = 1
    for part in parsed.iter_parts():
        if isinstance(part, Deb822ParagraphElement):
            yield _stanza(part, line)
        line += part.convert_to_text().count("\n")


def read_text(path: Path, label: str, limit: int = MAX_CONTROL_BYTES, root: Optional[Path] = None) -> str:
    """A small UTF-8 text file, or UnusableInput saying why not; with root,
    opened from it without following links (safeio)."""
    try:
        data = read_limited(path, limit, root)
    except CannotRead as exc:
        raise exc.named(label) from None
    if len(data) > limit:
        raise UnusableInput(f"{label}: larger than {limit} bytes")
    if b"\0" in data:
        raise UnusableInput(f"{label}: binary data (NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnusableInput(f"{label}: not UTF-8 (byte {exc.start})") from None


def parse_control(text: str, label: str = CONTROL) -> Control:
    try:
        stanzas = list(_stanzas(text))
    except ValueError as exc:  # SyntaxOrParseError and duplicate fields
        raise UnusableInput(f"{label}: malformed: {_first_line(exc)}") from None
    if not stanzas or not stanzas[0].get("Source"):
        raise UnusableInput(f"{label}: the first paragraph has no Source field")
    for stanza in stanzas[1:]:
        if not stanza.get("Package"):
            raise UnusableInput(f"{label}:{stanza.first_line}: paragraph without a Package field")
    if len(stanzas) == 1:
        raise UnusableInput(f"{label}: no binary package paragraph")
    return Control(stanzas[0], tuple(stanzas[1:]), label)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def load_control(root: Path) -> Control:
    return parse_control(read_text(root / CONTROL, CONTROL, root=root))
