"""modelcheck scan-archive: a build's relation checks over Debian Sources indices.

Speed comes from doing only the work that can matter.  apt's TagFile splits
stanzas in C, and the scan reads only the field names, the Section and the
build-relation fields of each stanza.  One regular expression, derived from
the accelerator data and the non-main names loaded from Packages indices,
then runs over a batch of stanzas at a time.  Only the stanzas in which it
finds a name are parsed with parse_field and judged exactly as a build
judges its debian/control.  The expression may admit too much, never too
little: see Prefilter.
"""

from __future__ import annotations

import bz2
import functools
import lzma
import re
import shutil
import tempfile
import zlib
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence, TextIO

import apt_pkg
from debian.deb822 import Deb822

from .accelerators import Accelerators, default_accelerators, literal_prefix
from .checks.relations import BUILD_TAG, Hit, build_case, relation_details, relation_hits, relation_place
from .control import Area, area_of_section
from .errors import UnusableInput, unreadable
from .findings import Catalog, Finding, default_catalog
from .relations import BUILD_FIELDS, ParsedField, parse_field

NON_MAIN_TAG = "build-depends-on-non-main-package"
STANZA_TAG = "malformed-index-stanza"
AREA_TAG = "unknown-archive-area"

# The fields every stanza is read for: the area, then the build relations
# (the text the prefilter reads), then who the stanza is.
READ_FIELDS = ("Section",) + BUILD_FIELDS
IDENTITY = ("Package", "Version")
FIELDS = READ_FIELDS + IDENTITY
BATCH = 2048  # stanzas per prefilter run and per progress update
LARGE = 4 * 1024 * 1024  # input bytes from which a terminal shows progress
CHUNK = 1 << 20

# Compressions recognised by their magic bytes, as apt recognises them.
MAGIC = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"BZh", "bzip2"))
DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
    "xz": lzma.LZMADecompressor,
    "bzip2": bz2.BZ2Decompressor,
}
# apt could read these, but Python cannot check their streams.
UNSUPPORTED = ((b"\x04\x22\x4d\x18", "lz4"), (b"\x28\xb5\x2f\xfd", "zstd"))


class ArchiveFinding(NamedTuple):
    finding: Finding
    version: Optional[str]
    area: str
    stack: Optional[str]


class Scan(NamedTuple):
    findings: list[ArchiveFinding]
    errors: list[UnusableInput]  # inputs that could not be read to their end
    stanzas: int


# -- the prefilter ------------------------------------------------------------


def _trie(words: Iterable[bytes]) -> bytes:
    """A regex matching any text that starts with one of ``words``; shared
    prefixes are factored out so that a mismatch fails at once."""
    root: dict = {}
    for word in sorted(set(words), key=len):
        node = root
        for byte in word:
            if None in node:
                break  # a shorter word already matches every continuation
            node = node.setdefault(byte, {})
        else:
            node.clear()
            node[None] = True
    return _emit(root)


def _emit(node: dict) -> bytes:
    if None in node:
        return b""
    branches = [re.escape(bytes([byte])) + _emit(child) for byte, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"


_WILDCARD = re.compile(r"\*|\?|\[[^]]*\]")


class Prefilter:
    """Finds every place in relation text where a package the scan judges
    may be named.  python-debian reads a name at the start of a relation or
    an alternative: after the start of the field, ',' or '|', and optional
    whitespace.  So the expression looks there, and only there (a cheap
    test at most bytes), for the exact names and the literal prefix of
    each glob.  A glob that starts with a
    wildcard is looked for anywhere by its longest literal part, and one
    without any literal part makes every stanza a candidate."""

    def __init__(self, names: Iterable[str], globs: Iterable[str]) -> None:
        starts = {n.encode() for n in names}
        anywhere: set[bytes] = set()
        self.everything = False
        for glob in globs:
            prefix = literal_prefix(glob)
            if prefix:
                starts.add(prefix.encode())
                continue
            longest = max(_WILDCARD.split(glob), key=len)
            anywhere.add(longest.encode())
            self.everything |= not longest
        # NUL separates stanzas in a batch (see batch_text).
        parts = [rb"[,|\n\x00]\s*" + _trie(starts)] if starts else []
        parts += [_trie(anywhere)] if anywhere and not self.everything else []
        self.regex = re.compile(b"|".join(parts) or rb"(?!)")

    def may_name(self, text: str) -> bool:
        return self.everything or self.regex.search(b"\n" + text.encode()) is not None

    def candidates(self, joined: bytes, stanzas: int) -> set[int]:
        """The stanzas of a batch_text in which a judged name may occur."""
        if self.everything or joined.count(SEPARATOR) != stanzas:
            return set(range(stanzas))  # or a NUL byte in the index text
        # A match's last byte lies inside the name, so inside its own stanza.
        return stanzas_at(joined, (m.end() - 1 for m in self.regex.finditer(joined)))


SEPARATOR = b"\x00"  # before each stanza in a batch; deb822 text holds none


def batch_text(texts: Iterable[bytes]) -> bytes:
    """One text for a batch of stanzas, so that one regex run covers them."""
    return SEPARATOR + SEPARATOR.join(texts)


def stanzas_at(joined: bytes, positions: Iterable[int]) -> set[int]:
    """The stanza of each (increasing) position in a batch_text."""
    found, stanza, previous = set(), -1, 0
    for position in positions:
        stanza += joined.count(SEPARATOR, previous, position + 1)
        previous = position + 1
        found.add(stanza)
    return found


class Rules(NamedTuple):
    accelerators: Accelerators
    non_main: Mapping[str, tuple[str, ...]]  # name -> the areas that have it; none is main
    prefilter: Prefilter


def make_rules(non_main: Mapping[str, tuple[str, ...]], accelerators: Optional[Accelerators] = None) -> Rules:
    accelerators = accelerators or default_accelerators()
    names = [n for s in accelerators.stacks for n in s.packages] + list(non_main)
    globs = [g for s in accelerators.stacks for g in s.patterns]
    return Rules(accelerators, non_main, Prefilter(names, globs))


# -- reading indices ----------------------------------------------------------


class Index(NamedTuple):
    label: str
    handle: BinaryIO  # plain text, seekable, so that lines can be counted afterwards
    size: int
    damage: Optional[str]  # why decompression stopped early


def _open_raw(name: str, stdin: Optional[BinaryIO]) -> BinaryIO:
    try:
        if name != "-":
            # Unbuffered: apt reads the descriptor itself, from its offset.
            return open(name, "rb", buffering=0)
        spool: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
        shutil.copyfileobj(stdin, spool)  # type: ignore[misc]
        spool.seek(0)
        return spool
    except OSError as exc:
        raise unreadable(name, exc) from None


def _decompress(raw: BinaryIO, kind: str) -> tuple[BinaryIO, Optional[str]]:
    """The plain text of a compressed input, as far as it goes.  Python
    decompresses rather than apt: apt reads a truncated gzip stream as a
    shorter index without a word, and may crash on a truncated xz one.
    Chunk by chunk, so that a truncated input keeps all it has."""
    plain: BinaryIO = tempfile.TemporaryFile(buffering=0)  # type: ignore[assignment]
    decompressor = DECOMPRESSORS[kind]()
    damage = None
    try:
        while chunk := raw.read(CHUNK):
            while chunk:
                plain.write(decompressor.decompress(chunk))
                # A further stream or member follows the finished one.
                chunk = decompressor.unused_data if decompressor.eof else b""
                decompressor = DECOMPRESSORS[kind]() if chunk else decompressor
        if not decompressor.eof:
            damage = f"{kind} data truncated"
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        damage = f"{kind} data corrupt ({exc})"
    raw.close()
    plain.seek(0)
    return plain, damage


def open_index(name: str, stdin: Optional[BinaryIO] = None) -> Index:
    """An index file, or '-' for standard input, as plain text."""
    handle = _open_raw(name, stdin)
    head = handle.read(6)
    handle.seek(0)
    for magic, kind in UNSUPPORTED:
        if head.startswith(magic):
            handle.close()
            raise UnusableInput(f"{name}: {kind}-compressed; decompress it, or use gzip or xz")
    damage = None
    compression = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    if compression is not None:
        handle, damage = _decompress(handle, compression)
    size = handle.seek(0, 2)
    handle.seek(0)
    return Index(name, handle, size, damage)


def iter_sections(index: Index) -> Iterator[tuple[int, apt_pkg.TagSection]]:
    """(byte offset, stanza) of a plain index."""
    tagfile = apt_pkg.TagFile(index.handle, bytes=True)
    start = 0
    for section in tagfile:
        yield start, section
        start = tagfile.offset()


def line_numbers(index: Index, offsets: Iterable[int]) -> dict[int, int]:
    """The line at each byte offset, counted in a second read: only inputs
    with findings pay for it, and the first read stays in C."""
    index.handle.seek(0)
    lines, line, position = {}, 1, 0
    for target in sorted(set(offsets)):
        while position < target:
            chunk = index.handle.read(min(CHUNK, target - position))
            if not chunk:
                return lines
            line += chunk.count(b"\n")
            position += len(chunk)
        lines[target] = line
    return lines


_PROVIDED = re.compile(rb"(?:^|,)\s*([a-zA-Z0-9][a-zA-Z0-9.+-]*)")


def load_non_main(names: Sequence[str], stdin: Optional[BinaryIO] = None) -> dict[str, tuple[str, ...]]:
    """Binary and virtual names that only areas other than main provide.  A
    Packages index that cannot be read to its end stops the scan: a missing
    main package would make its name look non-main."""
    areas: dict[str, set[str]] = {}
    for name in names:
        index = open_index(name, stdin)
        try:
            for _, section in iter_sections(index):
                area = area_of_section(_text(section.get("Section"))).name
                provided = [section.get("Package") or b""] + _PROVIDED.findall(section.get("Provides") or b"")
                for binary in provided:
                    areas.setdefault(binary.decode("utf-8", "replace"), set()).add(area)
        except apt_pkg.Error as exc:
            raise UnusableInput(f"{name}: unreadable: {_apt_message(exc)}") from None
        finally:
            index.handle.close()
    return {binary: tuple(sorted(a)) for binary, a in areas.items() if "main" not in a and binary}


def _text(value: Optional[bytes]) -> Optional[str]:
    return None if value is None else value.decode("utf-8", "replace")


def _apt_message(exc: Exception) -> str:
    return str(exc).strip().removeprefix("E:")


# -- judging stanzas ----------------------------------------------------------


class Stanza(NamedTuple):
    """What the scan read of one stanza.  TagFile reuses one TagSection for
    every stanza, so everything is copied out while it is current."""

    offset: int
    values: tuple[Optional[bytes], ...]  # READ_FIELDS then IDENTITY, in order
    text: bytes  # the READ_FIELDS values, newline-separated
    shape: Optional[str]  # why apt's split of the stanza cannot be trusted
    raw: Optional[bytes]  # the stanza's text, kept only when its shape is wrong

    def get(self, field: str) -> Optional[bytes]:
        return self.values[len(READ_FIELDS) + IDENTITY.index(field)]


def _shape_problem(keys: list[str]) -> Optional[str]:
    """apt joins a line without a colon to the next field's name, so such a
    line shows as whitespace inside a name (and can hide that field)."""
    names = "\x00".join(keys)
    if "\n" in names or " " in names or "\t" in names or "" in keys:
        return "a line that is not a field"
    if len(set(keys)) != len(keys):
        return "a duplicated field"
    if "Package" not in keys:
        return "no Package field"
    return None


def _non_main_hits(parsed: ParsedField, field: str, rules: Rules) -> Iterator[Hit]:
    """Buildds install the first alternative only (Policy 2.2.1, 7.7)."""
    for relation in parsed.relations:
        alt = relation.alternatives[0]
        if alt.position or alt.name not in rules.non_main or rules.accelerators.match(alt.name):
            continue
        areas = " and ".join(rules.non_main[alt.name])
        context = f"{alt.name} ({relation_place(alt, field)}; only in {areas})"
        yield Hit(NON_MAIN_TAG, context, build_case(Area("main", None), alt, field), alt.name,
                  details=relation_details(alt, field))


def judge_relations(values: Mapping[str, str], area: Area, rules: Rules) -> Iterator[Hit]:
    """A build's judgement of the build relations, plus the non-main check.
    Unparsable text is reported only where a judged name may hide in it, so
    that the prefilter decides the same with or without full parsing."""
    case_of = functools.partial(build_case, area)
    for field in BUILD_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        parsed = parse_field(value, field)
        parsed = parsed._replace(malformed=tuple(r for r in parsed.malformed if rules.prefilter.may_name(r)))
        yield from relation_hits(parsed, field, BUILD_TAG, case_of)
        if area.is_main:
            yield from _non_main_hits(parsed, field, rules)


class Pending(NamedTuple):
    """A finding whose line is not counted yet."""

    offset: int
    hit: Hit
    package: str
    version: Optional[str]
    area: str


def _area_hits(section: Optional[str]) -> tuple[Area, list[Hit]]:
    area = area_of_section(section)
    if area.declared is None:
        return area, []
    return area, [Hit(AREA_TAG, f"{area.declared} (Section: {section})", None, None)]


def _pending(offset: int, hits: list[Hit], get: Callable[[str], Optional[bytes]], area: Area) -> list[Pending]:
    """Attach the stanza's identity, once it is known to be reported."""
    if not hits:
        return []
    identity = {}
    for field in ("Package", "Version"):
        raw = get(field)
        identity[field] = _text(raw)
        if raw is not None and not _is_utf8(raw):
            hits.append(Hit(STANZA_TAG, f"{field} (not UTF-8)", None, None))
    return [Pending(offset, h, identity["Package"] or "", identity["Version"], area.name) for h in hits]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _judge_stanza(stanza: Stanza, candidate: bool, rules: Rules) -> list[Pending]:
    values = dict(zip(READ_FIELDS, (_text(v) for v in stanza.values)))
    hits = [Hit(STANZA_TAG, f"{f} (not UTF-8)", None, None)
            for f, raw in zip(READ_FIELDS, stanza.values) if raw is not None and not _is_utf8(raw)]
    area, area_hits = _area_hits(values["Section"])
    hits += area_hits
    if candidate:
        hits += judge_relations(values, area, rules)
    return _pending(stanza.offset, hits, stanza.get, area)


def _judge_recovered(stanza: Stanza, rules: Rules) -> list[Pending]:
    """A stanza apt split wrongly, re-read with python-debian's lenient
    parser, which drops the lines that are not fields: every paragraph it
    finds is judged in full."""
    text = (stanza.raw or b"").decode("utf-8", "replace")
    found = [Pending(stanza.offset, Hit(STANZA_TAG, f"stanza ({stanza.shape})", None, None), "", None, "main")]
    for paragraph in Deb822.iter_paragraphs(text.splitlines(keepends=True), use_apt_pkg=False):
        area, hits = _area_hits(paragraph.get("Section"))
        hits += judge_relations(paragraph, area, rules)
        found += _pending(stanza.offset, hits, functools.partial(_encoded, paragraph), area)
    package = next((p.package for p in found if p.package), "")
    return [p._replace(package=p.package or package) for p in found]


def _encoded(paragraph: Mapping[str, str], field: str) -> Optional[bytes]:
    value = paragraph.get(field)
    return None if value is None else value.encode()


def _looked_at(batch: list[Stanza], joined: bytes) -> set[int]:
    """Stanzas that may give a finding other than by a judged name: a
    Section with an area prefix, text that is not UTF-8, a broken shape.
    All others are main stanzas that the prefilter alone decides."""
    looked = stanzas_at(joined, (m.start() for m in re.finditer(rb"/", joined)))
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        looked |= {n for n, s in enumerate(batch) if not _is_utf8(s.text)}
    return looked | {n for n, s in enumerate(batch) if s.shape}


def _judge_batch(batch: list[Stanza], rules: Rules, judge_all: bool) -> Iterator[Pending]:
    joined = batch_text(s.text for s in batch)
    candidates = set(range(len(batch))) if judge_all else rules.prefilter.candidates(joined, len(batch))
    for number in sorted(candidates | _looked_at(batch, joined)):
        stanza = batch[number]
        if stanza.shape:
            yield from _judge_recovered(stanza, rules)
        else:
            yield from _judge_stanza(stanza, number in candidates, rules)


# -- the scan -----------------------------------------------------------------


class Progress:
    """A status line on a terminal, for inputs large enough to wait for."""

    def __init__(self, err: Optional[TextIO], index: Index) -> None:
        self.err = err if err is not None and err.isatty() and index.size >= LARGE else None
        self.index = index

    def update(self, offset: int, stanzas: int) -> None:
        if self.err is None:
            return
        share = 100 * offset // max(self.index.size, 1)
        self.err.write(f"\rmodelcheck: {self.index.label}: {stanzas} stanzas, {share}%")
        self.err.flush()

    def done(self) -> None:
        if self.err is not None:
            self.err.write("\r\033[K")
            self.err.flush()


def _batches(index: Index, progress: Progress) -> Iterator[list[Stanza]]:
    batch: list[Stanza] = []
    for count, (offset, section) in enumerate(iter_sections(index), 1):
        values = tuple(map(section.get, FIELDS))
        text = b"\n".join(filter(None, values[: len(READ_FIELDS)]))
        shape = _shape_problem(section.keys())
        # TagSection's __str__ gives the raw bytes when bytes=True.
        batch.append(Stanza(offset, values, text, shape, section.__str__() if shape else None))
        if len(batch) == BATCH:
            yield batch
            progress.update(offset, count)
            batch = []
    yield batch


def scan_index(index: Index, rules: Rules, err: Optional[TextIO] = None,
               judge_all: bool = False) -> tuple[list[Pending], int, Optional[UnusableInput]]:
    """(findings without lines, stanzas read, why the input ended early)."""
    pending: list[Pending] = []
    count, last = 0, None
    progress = Progress(err, index)
    try:
        for batch in _batches(index, progress):
            pending += _judge_batch(batch, rules, judge_all)
            count += len(batch)
            last = batch[-1] if batch else last
    except apt_pkg.Error as exc:
        return pending, count, _ended_early(index, count, last, _apt_message(exc))
    finally:
        progress.done()
    return pending, count, index.damage and _ended_early(index, count, last, index.damage)


def _ended_early(index: Index, count: int, last: Optional[Stanza], why: str) -> UnusableInput:
    after = "at its start" if last is None else f"after stanza {count} (Package: {_text(last.get('Package'))})"
    return UnusableInput(f"{index.label}: unreadable {after}: {why}")


def _stamp(pending: Sequence[Pending], index: Index, catalog: Catalog) -> list[ArchiveFinding]:
    lines = line_numbers(index, (p.offset for p in pending)) if pending else {}
    return [
        ArchiveFinding(
            catalog.stamp(Finding(p.package, "source", p.hit.tag, p.hit.context, index.label,
                                  lines.get(p.offset), case=p.hit.case, details=p.hit.details)),
            p.version, p.area, p.hit.stack,
        )
        for p in pending
    ]


def scan_archive(
    names: Sequence[str], packages: Sequence[str] = (), stdin: Optional[BinaryIO] = None,
    err: Optional[TextIO] = None, judge_all: bool = False,
) -> Scan:
    """Scan Sources indices; inputs that cannot be read are reported in
    Scan.errors and the scan goes on with the rest.  ``judge_all`` parses
    every stanza, the reference the prefilter must agree with."""
    rules = make_rules(load_non_main(packages, stdin))
    catalog = default_catalog()
    found, errors, total = [], [], 0
    for name in names:
        try:
            index = open_index(name, stdin)
        except UnusableInput as exc:
            errors.append(exc)
            continue
        with index.handle:
            pending, count, error = scan_index(index, rules, err, judge_all)
            found += _stamp(pending, index, catalog)
        total += count
        errors += [error] if error else []
    return Scan(found, errors, total)
