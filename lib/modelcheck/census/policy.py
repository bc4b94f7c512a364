"""What each policy option debated for trained models would do to the
sources in main that ship model files: their standing, as data
(data/policy-options.desc), and the counts and closure per option.

A source's standing comes from its provenance file's models: each model's
qualities are admitted in main by the option, make its standing
undecidable, or make it leave.  Without a valid provenance file nothing is
known of a model's training, so every option's standing is undecidable.

The census stores a model's qualities, space-separated, as its class: the
derived class (free, toxic-candy, non-free), then open-source-ai when that
quality holds too, so that a ToxicCandy model without it has not got it.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional, Sequence

from ..datafile import DATA_DIR, Stanzas, read_data
from ..profiles import QUALITY_ORDER, profiles
from . import closure

LEAVES, STAYS, UNDECIDABLE = "must-leave-main", "stays", "undecidable"
STANDINGS = (LEAVES, STAYS, UNDECIDABLE)
# Which standing of its models a source takes: one model leaving takes the
# source out; one undecidable leaves the source undecided.
PRECEDENCE = (LEAVES, UNDECIDABLE, STAYS)

Key = tuple[str, str]  # (source, version)


class Option(NamedTuple):
    name: str
    description: str
    admits: frozenset[str]  # qualities that keep a model in main
    undecidable: frozenset[str]  # qualities whose standing a provenance file cannot settle

    def model_standing(self, qualities: Optional[frozenset[str]]) -> str:
        """A model's standing; None for a model whose class is unknown."""
        if qualities is None or not qualities <= set(QUALITY_ORDER):
            return UNDECIDABLE
        if not self.admits.isdisjoint(qualities):
            return STAYS
        return UNDECIDABLE if not self.undecidable.isdisjoint(qualities) else LEAVES

    def source_standing(self, models: Sequence[Optional[frozenset[str]]]) -> str:
        """Leaving wins over undecidable, which wins over staying; a source
        without models (no valid provenance file) is undecidable."""
        found = {self.model_standing(q) for q in models} or {UNDECIDABLE}
        return next(s for s in PRECEDENCE if s in found)


def _qualities(field: str, text: str) -> frozenset[str]:
    qualities = frozenset(text.split())
    unknown = sorted(qualities - set(QUALITY_ORDER))
    if unknown or not qualities and field == "Main-Admits":
        raise ValueError(f"{field}: {' '.join(unknown) or 'empty'} (qualities: {' '.join(QUALITY_ORDER)})")
    return qualities


def _option(stanza: Mapping[str, str]) -> Option:
    if "Profile" in stanza:
        known = profiles()
        if stanza["Profile"] not in known:
            raise ValueError(f"option {stanza['Option']}: no profile {stanza['Profile']!r}")
        admits = known[stanza["Profile"]].admits["main"]
    else:
        admits = _qualities("Main-Admits", stanza["Main-Admits"])
    return Option(stanza["Option"], " ".join(stanza["Description"].split()), admits,
                  _qualities("Undecidable", stanza.get("Undecidable", "")))


@functools.lru_cache(maxsize=None)
def options() -> dict[str, Option]:
    """The options, in the data file's order."""
    def build(stanzas: Stanzas) -> dict[str, Option]:
        return {o.name: o for o in map(_option, stanzas)}
    return read_data(DATA_DIR / "policy-options.desc", build)


def _models(conn: sqlite3.Connection, suite: str) -> dict[Key, list[Optional[frozenset[str]]]]:
    """Each source's models' qualities; None where the class is unknown."""
    result: dict[Key, list[Optional[frozenset[str]]]] = {}
    rows = conn.execute("SELECT source, version, class FROM models WHERE suite = ?", (suite,))
    for source, version, cls in rows:
        result.setdefault((source, version), []).append(frozenset(cls.split()) if cls else None)
    return result


def sources_with_models(conn: sqlite3.Connection, suite: str, area: str = "main") -> list[tuple[str, str, bool]]:
    """(source, version, has provenance file) of an area's sources with model files."""
    rows = conn.execute(
        "SELECT s.source, s.version, s.provenance FROM sources s WHERE s.suite = ? AND s.area = ? AND EXISTS"
        " (SELECT 1 FROM model_files m WHERE m.suite = s.suite AND m.source = s.source AND m.version = s.version)"
        " ORDER BY s.source, s.version", (suite, area))
    return [(source, version, bool(provenance)) for source, version, provenance in rows]


def standings(conn: sqlite3.Connection, suite: str) -> dict[Key, dict[str, str]]:
    """For each source in main with model files: option -> standing."""
    models = _models(conn, suite)
    result = {}
    for source, version, provenance in sources_with_models(conn, suite):
        own = models.get((source, version), []) if provenance else []
        result[(source, version)] = {o.name: o.source_standing(own) for o in options().values()}
    return result


def _option_summary(option: Option, ruled: Mapping[Key, Mapping[str, str]],
                    graph: closure.Closure) -> dict[str, object]:
    by_standing = {s: sorted({src for (src, _), st in ruled.items() if st[option.name] == s}) for s in STANDINGS}
    leaving, broken = graph.of(by_standing[LEAVES])
    return {
        "description": option.description,
        "counts": {s: len(by_standing[s]) for s in STANDINGS},
        LEAVES: by_standing[LEAVES],
        UNDECIDABLE: by_standing[UNDECIDABLE],
        "leaving-binaries": leaving,
        "closure": broken,
    }


def summary(conn: sqlite3.Connection, suite: str, packages_indices: Iterable[str | Path]) -> dict[str, object]:
    """Per option: counts of sources by standing, the sources that must
    leave or are undecidable, the binary packages in main they build, and
    the closure: the other binary packages in main left uninstallable."""
    ruled = standings(conn, suite)
    universe = closure.read_universe(packages_indices)
    graph = closure.Closure(universe)
    return {
        "suite": suite,
        "sources-with-models": len(ruled),
        "unparsable-relations": list(universe.unparsable),
        "options": {o.name: _option_summary(o, ruled, graph) for o in options().values()},
    }
