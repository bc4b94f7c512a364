"""The census's text and JSON reports: pure functions of the database rows.

Per source package: its status, model files, whether it has a provenance
file and the class its models make (the least free of them).  The JSON
report's "policy" member, per source and in the summary, comes from the
policy module's standings when that module is present.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any, Optional, Sequence

from .. import __version__
from ..model_classes import CLASSES, rank

FORMAT_VERSION = 1
Standings = dict[tuple[str, str], dict[str, str]]


def _class(stored: Sequence[Optional[str]]) -> Optional[str]:
    """The least free class of a source's models; None when a model has no
    derived class (no provenance file, or one that does not validate).  A
    stored class is the derived class, then any further qualities."""
    classes = [c.split()[0] if c else None for c in stored]
    if not classes or any(c not in CLASSES for c in classes):
        return None
    return max(classes, key=lambda c: rank(c))  # type: ignore[arg-type]


def records(conn: sqlite3.Connection, suite: str, keys: Optional[set[tuple[str, str]]] = None,
            standings: Optional[Standings] = None) -> list[dict[str, Any]]:
    """One record per source and version of the suite (or of those keys,
    the (source, version) pairs of the current index), sorted by name."""
    files: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, version, path, fmt, size, sha in conn.execute(
            "SELECT source, version, path, format, size, sha256 FROM model_files WHERE suite = ? ORDER BY path",
            (suite,)):
        files.setdefault((source, version), []).append({"path": path, "format": fmt, "size": size, "sha256": sha})
    classes: dict[tuple[str, str], list[Optional[str]]] = {}
    for source, version, cls in conn.execute("SELECT source, version, class FROM models WHERE suite = ?", (suite,)):
        classes.setdefault((source, version), []).append(cls)
    out = []
    for source, version, area, status, detail, provenance in conn.execute(
            "SELECT source, version, area, status, detail, provenance FROM sources WHERE suite = ? "
            "ORDER BY source, version", (suite,)):
        key = (source, version)
        if keys is not None and key not in keys:
            continue
        record: dict[str, Any] = {
            "package": source, "version": version, "area": area, "status": status, "detail": detail,
            "model-files": files.get(key, []), "provenance": bool(provenance), "class": _class(classes.get(key, [])),
        }
        if standings is not None:
            record["policy"] = standings.get(key, {})
        out.append(record)
    return out


def summary(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    with_models = [r for r in items if r["model-files"]]
    result: dict[str, Any] = {
        "sources": len(items),
        "with-model-files": len(with_models),
        "with-provenance": sum(1 for r in items if r["provenance"]),
        "model-files": sum(len(r["model-files"]) for r in items),
        "by-status": dict(sorted(Counter(r["status"] for r in items).items())),
        "by-area": dict(sorted(Counter(r["area"] for r in with_models).items())),
        "by-format": dict(sorted(Counter(f["format"] for r in items for f in r["model-files"]).items())),
        "by-class": dict(sorted(Counter(r["class"] or "none" for r in with_models).items())),
    }
    if any("policy" in r for r in items):
        per_option: dict[str, Counter[str]] = {}
        for r in items:
            for option, standing in r.get("policy", {}).items():
                per_option.setdefault(option, Counter())[standing] += 1
        result["policy"] = {o: dict(sorted(c.items())) for o, c in sorted(per_option.items())}
    return result


def format_json(suite: str, items: Sequence[dict[str, Any]], extra: Optional[dict[str, Any]] = None) -> str:
    document = {
        "format-version": FORMAT_VERSION,
        "tool": {"name": "dh-modelcheck", "version": __version__},
        "suite": suite,
        "sources": list(items),
        "summary": {**summary(items), **(extra or {})},
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def _size(size: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size} {unit}"
        size //= 1024
    return f"{size} GiB"


def format_text(suite: str, items: Sequence[dict[str, Any]]) -> str:
    """A block per source with model files or a problem; a summary last."""
    lines = []
    for r in items:
        if not r["model-files"] and r["status"] == "ok" and not r["provenance"]:
            continue
        facts = [r["area"], r["status"]]
        facts.append(f"provenance: {r['class'] or 'unclassified'}" if r["provenance"] else "no provenance file")
        lines.append(f"{r['package']} {r['version']} ({', '.join(facts)})")
        if r["detail"]:
            lines.append(f"  ! {r['detail']}")
        for f in r["model-files"]:
            lines.append(f"  {f['path']}  {f['format']}  {_size(f['size'])}  {f['sha256'] or '-'}")
        for option, standing in sorted(r.get("policy", {}).items()):
            lines.append(f"  policy {option}: {standing}")
    s = summary(items)
    lines.append(f"{suite}: {s['sources']} sources scanned, {s['with-model-files']} with model files "
                 f"({s['model-files']} files), {s['with-provenance']} with a provenance file")
    for key in ("by-status", "by-area", "by-format", "by-class"):
        if s[key]:
            lines.append(f"  {key[3:]}: " + ", ".join(f"{k} {v}" for k, v in s[key].items()))
    for option, counts in s.get("policy", {}).items():
        lines.append(f"  policy {option}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines) + "\n"


def format_quick_json(suite: str, candidates: Sequence[Any]) -> str:
    """Quick mode's candidates (quick.Candidate: area, package, path, hint)."""
    document = {
        "format-version": FORMAT_VERSION,
        "tool": {"name": "dh-modelcheck", "version": __version__},
        "suite": suite,
        "candidates": [{"area": c.area, "package": c.package, "path": c.path, "hint": c.hint} for c in candidates],
        "summary": {"candidates": len(candidates), "packages": len({c.package for c in candidates})},
    }
    return json.dumps(document, indent=2) + "\n"


def format_quick_text(suite: str, candidates: Sequence[Any]) -> str:
    lines = [f"{c.package} ({c.area}): {c.path}  [{c.hint}]" for c in candidates]
    packages = len({c.package for c in candidates})
    lines.append(f"{suite}: {len(candidates)} candidate files by name in {packages} binary packages")
    return "\n".join(lines) + "\n"
