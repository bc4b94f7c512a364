"""Licence knowledge: whether an SPDX expression is DFSG-free, and the SPDX
form of the licence names Hugging Face model cards and DEP-5
debian/copyright files use.  The classes and names are data, in
data/licences.desc; this module only reads them and walks expressions.

python3-license-expression parses SPDX expressions.  It is imported (and its
index of some two thousand licences built) only when a question is asked,
so that a build without a provenance file never pays for it.

Over 300 lines, as one module on purpose: the verdict on an expression and
the translation of DEP-5 and model-card names into SPDX walk the same
expression trees against the same data, and the recorded verdicts
(Licence-Verdicts) are judged by the same walk.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Optional

from .datafile import DATA_DIR, read_data

if TYPE_CHECKING:
    from license_expression import Licensing

# SPDX's own grammar: DocumentRef-x:LicenseRef-y names a licence outside SPDX.
LICENSE_REF = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$", re.IGNORECASE)
LOCAL_EXCEPTION = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?(AdditionRef|LicenseRef)-[A-Za-z0-9.-]+$", re.IGNORECASE)
UNKNOWN = "unknown"  # what a provenance file writes when nobody knows the licence


class Verdict(NamedTuple):
    free: bool  # known to be DFSG-free
    reason: str  # one short line for humans
    unknown: tuple[str, ...] = ()  # identifiers neither SPDX nor LicenseRef-*
    error: Optional[str] = None  # why the expression does not parse
    dep5: Optional[str] = None  # the SPDX form, when the expression was written with DEP-5 names
    recorded: tuple[str, ...] = ()  # licences judged by a verdict the provenance file records


class Recorded(NamedTuple):
    """A maintainer's verdict on a licence the data files do not know (an
    entry of the provenance file's Licenses list)."""

    name: str
    free: bool
    reason: str

    @property
    def sentence(self) -> str:
        return f"{self.name} is {'DFSG-free' if self.free else 'not DFSG-free'} by the recorded verdict: {self.reason}"


RecordedVerdicts = tuple[Recorded, ...]


class Class(NamedTuple):
    free: bool
    reason: str


class Knowledge(NamedTuple):
    classes: Mapping[str, Class]  # by lower-case identifier
    hugging_face: Mapping[str, Optional[str]]  # None: a family, not one licence
    dep5: Mapping[str, tuple[str, Optional[str]]]  # lower-case name: (exact, or-later)
    dep5_exceptions: Mapping[str, str]  # lower-case keyword: SPDX exception
    # The classified identifiers as written: canonical SPDX keys (a test
    # checks), which the grammar alone reads as the full index would.
    identifiers: frozenset[str] = frozenset()


class _Malformed(Exception):
    """An expression SPDX's grammar accepts but its meaning does not."""


def _entries(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip()]


def _knowledge_from(stanzas: list[Mapping[str, str]]) -> Knowledge:
    classes: dict[str, Class] = {}
    identifiers: set[str] = set()
    maps: dict[str, list[list[str]]] = {}
    for stanza in stanzas:
        if "Class" in stanza:
            if stanza["Class"] not in ("free", "non-free"):
                raise ValueError(f"unknown class {stanza['Class']!r}")
            verdict = Class(stanza["Class"] == "free", stanza["Reason"])
            classes.update((name.lower(), verdict) for name in stanza["Licenses"].split())
            identifiers.update(stanza["Licenses"].split())
        else:
            maps[stanza["Map"]] = _entries(stanza["Entries"])
    return Knowledge(
        classes=classes,
        hugging_face={e[0]: None if e[1] == "-" else e[1] for e in maps["hugging-face"]},
        dep5={e[0].lower(): (e[1], e[2] if len(e) > 2 else None) for e in maps["dep5"]},
        dep5_exceptions={e[0].lower(): e[1] for e in maps["dep5-exceptions"]},
        identifiers=frozenset(identifiers),
    )


def load(path: Path) -> Knowledge:
    return read_data(path, _knowledge_from)


@functools.lru_cache(maxsize=None)
def knowledge() -> Knowledge:
    return load(DATA_DIR / "licences.desc")


@functools.lru_cache(maxsize=None)
def licensing() -> "Licensing":
    """SPDX identifiers only.  The shipped index also knows ScanCode's
    LicenseRef-scancode-* keys and aliases such as LicenseRef-Apache for
    Apache-2.0: dropped, because a LicenseRef is a local name whose text
    nobody here has read, never a known licence."""
    from license_expression import build_spdx_licensing, get_license_index

    entries = []
    for entry in get_license_index():
        key = entry.get("spdx_license_key") or ""
        if key and not LICENSE_REF.match(key):
            aliases = [a for a in entry.get("other_spdx_license_keys") or [] if not LICENSE_REF.match(a)]
            entries.append({**entry, "other_spdx_license_keys": aliases})
    return build_spdx_licensing(entries)


@functools.lru_cache(maxsize=None)
def grammar() -> "Licensing":
    """SPDX's expression grammar without any licence index: free to build."""
    from license_expression import Licensing

    return Licensing()


def _classified(tree: Any) -> bool:
    """Whether every licence of the tree is one the data files classify,
    named by its canonical identifier, and none has an exception."""
    from license_expression import LicenseWithExceptionSymbol

    symbols = grammar().license_symbols(tree, decompose=False)
    names = knowledge().identifiers
    return all(not isinstance(s, LicenseWithExceptionSymbol) and s.key in names for s in symbols)


# Bounds on an expression before license_expression reads it: its parser
# and its boolean algebra recurse on parentheses (a RecursionError) and
# slow down beyond use on thousands of terms.  Real expressions have a few.
MAX_LICENCE_DEPTH = 16  # parentheses within parentheses
MAX_LICENCE_TERMS = 64  # licence names and exceptions


def bound_problem(expression: str) -> Optional[str]:
    """Why the expression is too large to read, or None."""
    depth = deepest = 0
    for c in expression:
        if c == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif c == ")":
            depth -= 1
    if deepest > MAX_LICENCE_DEPTH:
        return f"parentheses nested deeper than {MAX_LICENCE_DEPTH}"
    terms = [w for w in expression.replace("(", " ").replace(")", " ").split() if w.upper() not in ("AND", "OR", "WITH")]
    if len(terms) > MAX_LICENCE_TERMS:
        return f"more than {MAX_LICENCE_TERMS} licence names"
    return None


def _parse_classified(expression: str) -> Any:
    """The tree of an expression made of classified licences only, read by
    the grammar alone, or None.  Building the index of two thousand
    licences is the slowest step of a lint; for such an expression it
    would give the same tree."""
    from license_expression import ExpressionError

    if bound_problem(expression) is not None:
        return None
    try:
        tree = grammar().parse(expression, validate=False, strict=False, simple=True)
    except ExpressionError:
        return None
    return tree if tree is not None and _classified(tree) else None


def unknown_keys(tree: Any) -> list[str]:
    """The identifiers of a parsed expression that SPDX does not list: of
    classified licences, the LicenseRef-* ones, which the index never holds."""
    if _classified(tree):
        return [s.key for s in grammar().license_symbols(tree) if LICENSE_REF.match(s.key)]
    return licensing().unknown_license_keys(tree)


def parse(expression: str) -> Any:
    """The expression's tree, deprecated identifiers read as their modern
    form (GPL-2.0+ is GPL-2.0-or-later); ValueError if it does not parse."""
    from license_expression import ExpressionError

    problem = bound_problem(expression)
    if problem is not None:
        raise ValueError(problem)
    tree = _parse_classified(expression)
    if tree is not None:
        return tree
    try:
        tree = licensing().parse(expression, validate=False, strict=False)
    except ExpressionError as exc:
        raise ValueError(str(exc)) from None
    if tree is None:
        raise ValueError("empty expression")
    return tree


@functools.lru_cache(maxsize=1024)
def judge(expression: str, recorded: RecordedVerdicts = ()) -> Verdict:
    """Whether a licence expression is known to be DFSG-free, and why.  An
    expression written with DEP-5 names (GPL-3+, Expat) is read as its SPDX
    form, which the verdict names; LicenseRef-* names the data files do not
    know are judged by the recorded verdicts.  Cached: the licence checks
    and the classification ask about the same fields."""
    expression = expression.strip()
    spdx = _as_spdx(expression)
    dep5 = spdx if spdx is not None and _debian_names(expression) else None
    try:
        return _judge(parse(dep5 or expression), _by_name(recorded))._replace(dep5=dep5)
    except (ValueError, _Malformed) as exc:
        return Verdict(False, f"{expression!r} is not a valid SPDX expression", (), str(exc))


def _debian_names(expression: str) -> bool:
    """Whether the expression needs DEP-5 reading: SPDX alone does not know
    one of its names."""
    try:
        tree = parse(expression)
    except ValueError:
        return True
    return any(not LICENSE_REF.match(k) and k.lower() != UNKNOWN for k in unknown_keys(tree))


def _by_name(recorded: RecordedVerdicts) -> Mapping[str, Recorded]:
    return {r.name.lower(): r for r in recorded}


def _judge(node: Any, recorded: Mapping[str, Recorded]) -> Verdict:
    from license_expression import AND, OR, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        return _with_exception(node, recorded)
    if isinstance(node, (AND, OR)):
        return _combine([_judge(part, recorded) for part in node.args], isinstance(node, AND))
    return _symbol(node.key, recorded)


def _known(key: str) -> Any:
    """The SPDX symbol for a canonical key, or None."""
    return licensing().known_symbols.get(key)


def _symbol(key: str, recorded: Mapping[str, Recorded]) -> Verdict:
    if key.lower() == UNKNOWN:
        return Verdict(False, "the licence is unknown")
    known = knowledge().classes.get(key.lower())
    if known is not None:  # the data files' judgement outranks a recorded one
        return Verdict(known.free, f"{key} {known.reason}")
    if LICENSE_REF.match(key):
        verdict = recorded.get(key.lower())
        if verdict is not None:
            return Verdict(verdict.free, verdict.sentence, recorded=(verdict.name,))
        return Verdict(False, f"{key} is not known to be free")
    symbol = _known(key)
    if symbol is None:
        return Verdict(False, f"{key} is not an SPDX licence identifier", (key,))
    if symbol.is_exception:
        raise _Malformed(f"{key} is a licence exception: it needs WITH")
    return Verdict(False, f"{key} is not known to be free")


def _with_exception(node: Any, recorded: Mapping[str, Recorded]) -> Verdict:
    """An exception only adds permissions, so X WITH E is as free as X; an
    exception SPDX does not list could say anything."""
    licence = _judge(node.license_symbol, recorded)
    exception = node.exception_symbol.key
    symbol = _known(exception)
    if symbol is not None and not symbol.is_exception:
        raise _Malformed(f"{exception} is a licence, not an exception")
    if symbol is not None:
        return licence
    # A local AdditionRef (SPDX 3) or LicenseRef is a name, not an unknown identifier.
    unknown = () if LOCAL_EXCEPTION.match(exception) else (exception,)
    return Verdict(False, f"{exception} is not an SPDX licence exception", _unique(licence.unknown + unknown),
                   recorded=licence.recorded)


def _combine(parts: list[Verdict], conjunction: bool) -> Verdict:
    """AND is free when every part is, OR when one alternative is.  The
    reason names the parts that decided."""
    free = all(p.free for p in parts) if conjunction else any(p.free for p in parts)
    if conjunction:
        deciding = parts if free else [p for p in parts if not p.free]
    else:
        deciding = [p for p in parts if p.free][:1] if free else parts
    # Nested parts' reasons are already joined: split them so each is said once.
    reason = "; ".join(_unique(tuple(r for p in deciding for r in p.reason.split("; "))))
    return Verdict(free, reason, _unique(tuple(u for p in parts for u in p.unknown)),
                   recorded=_unique(tuple(r for p in parts for r in p.recorded)))


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def spdx_from_dep5(expression: str) -> Optional[str]:
    """The SPDX expression for a DEP-5 License field's first line, or None
    when a name has no SPDX form.  Commas group, as DEP-5 says: "A or B,
    and C" is (A or B) and C; within a group "and" binds tighter than
    "or", as in SPDX."""
    groups = expression.split(",")
    if len(groups) > MAX_LICENCE_TERMS:  # each group nests the result once more
        return None
    result = _dep5_group(groups[0].split())
    for group in groups[1:]:
        words = group.split()
        if result is None or not words or words[0].lower() not in ("and", "or"):
            return None
        rest = _dep5_group(words[1:])
        if rest is None:
            return None
        result = f"{_grouped(result)} {words[0].upper()} {_grouped(rest)}"
    return result


def _grouped(expression: str) -> str:
    return f"({expression})" if " AND " in expression or " OR " in expression else expression


def _dep5_group(words: list[str]) -> Optional[str]:
    """NAME [with KEYWORD exception] {and|or NAME [with KEYWORD exception]}."""
    spdx: list[str] = []
    while words:
        if spdx:
            if len(words) < 2 or words[0].lower() not in ("and", "or"):
                return None
            spdx.append(words[0].upper())
            words = words[1:]
        name, words = _dep5_name(words)
        if name is None:
            return None
        spdx.append(name)
    return " ".join(spdx) or None


def _dep5_name(words: list[str]) -> tuple[Optional[str], list[str]]:
    """One licence, with its exception if any, and the words left."""
    name = _dep5_licence(words[0])
    if len(words) >= 4 and words[1].lower() == "with" and words[3].lower() == "exception":
        exception = knowledge().dep5_exceptions.get(words[2].lower())
        return (f"{name} WITH {exception}" if name and exception else None), words[4:]
    return name, words[1:]


def _dep5_licence(name: str) -> Optional[str]:
    later = name.endswith("+")
    base = name[:-1] if later else name
    mapped = knowledge().dep5.get(base.lower())
    if mapped is not None:
        return mapped[1] if later else mapped[0]
    if later or LICENSE_REF.match(base):
        return None  # SPDX's "+" is not read by license-expression; LicenseRef is no DEP-5 name
    symbol = _known_name(base)
    return symbol.key if symbol is not None and not symbol.is_exception else None


def _known_name(name: str) -> Any:
    """The SPDX symbol a single name stands for, matched without regard to
    case (SPDX identifiers are case-insensitive), or None."""
    try:
        tree = parse(name)
    except ValueError:
        return None
    return _known(tree.key) if hasattr(tree, "key") else None


def _as_spdx(expression: str) -> Optional[str]:
    """An SPDX expression as it is, or a DEP-5 one translated."""
    tree = _parse_classified(expression)
    if tree is not None:
        return str(tree)
    if len(expression.split()) == 1 and spdx_from_dep5(expression) is not None:
        # One DEP-5 name (GPL-3+, Expat): where the SPDX index knows it
        # too, it reads it alike (a test checks), so it need not be built.
        return spdx_from_dep5(expression)
    try:
        tree = parse(expression)
    except ValueError:
        tree = None
    if tree is not None and all(LICENSE_REF.match(k) for k in unknown_keys(tree)):
        return str(tree)
    return spdx_from_dep5(expression)


def equivalent(a: str, b: str) -> bool:
    """Whether two expressions, SPDX or DEP-5, state the same licensing."""
    first, second = _as_spdx(a), _as_spdx(b)
    if first is None or second is None:
        return False
    return bool(grammar().is_equivalent(parse(first), parse(second)))


def spdx_from_model_card(license_id: str, license_name: Optional[str], license_link: Optional[str]) -> Optional[str]:
    """The SPDX expression for a Hugging Face card's license field, or None
    when the card does not say which licence.  "other" stands for the
    licence the card names in license_name; a link alone names none (the
    link is recorded elsewhere)."""
    if license_id.strip().lower() == "other":
        return _license_ref(license_name) if license_name else None
    return knowledge().hugging_face.get(license_id.strip().lower())


def _license_ref(name: str) -> Optional[str]:
    """LicenseRef-NAME, with what an SPDX idstring cannot hold made hyphens."""
    idstring = re.sub(r"[^A-Za-z0-9.]+", "-", name.replace("+", "plus")).strip("-.")
    return f"LicenseRef-{idstring}" if idstring else None


def recorded_verdicts(entries: Any) -> RecordedVerdicts:
    """The Licenses list of a schema-valid provenance file."""
    return tuple(Recorded(e["Name"], e["DFSG-Free"], " ".join(e["Reason"].split())) for e in entries or [])


def known_to_data(name: str) -> Optional[Class]:
    """What the data files say of a licence, if they know it."""
    return knowledge().classes.get(name.lower())
