"""The census database: one SQLite file, written by one process only.

Schema version 1 (PRAGMA user_version):

- sources: one row per (suite, source, version) scanned; status is one of
  STATUSES, detail says why when it is not 'ok'; provenance is 1 when the
  source ships debian/model-provenance.yaml; binaries is the Sources
  stanza's Binary field as space-separated names.
- model_files: each model file found in a source's tarballs (path as in the
  unpacked tree, format from the recognisers, size, sha256, evidence
  'content' or 'name').
- models: one row per model of a provenance file, with its derived class
  (model_classes.model_class), or NULL when the file does not validate.
- candidates: quick mode's model files by name from the Contents indices.

A package's rows are written in one transaction, so an interrupted census
leaves either all of a package or none of it: the next run re-does it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

SCHEMA_VERSION = 1
STATUSES = ("ok", "missing-file", "corrupt", "checksum-mismatch", "error")
DEFAULT_DB = "census.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources(
    suite TEXT, source TEXT, version TEXT, area TEXT,
    status TEXT NOT NULL, detail TEXT,
    provenance INTEGER NOT NULL DEFAULT 0,
    binaries TEXT, scanned_at TEXT,
    PRIMARY KEY(suite, source, version));
CREATE TABLE IF NOT EXISTS model_files(
    suite TEXT, source TEXT, version TEXT, path TEXT,
    format TEXT, size INTEGER, sha256 TEXT, evidence TEXT,
    PRIMARY KEY(suite, source, version, path));
CREATE TABLE IF NOT EXISTS models(
    suite TEXT, source TEXT, version TEXT, name TEXT, class TEXT,
    PRIMARY KEY(suite, source, version, name));
CREATE TABLE IF NOT EXISTS candidates(
    suite TEXT, area TEXT, package TEXT, path TEXT, hint TEXT,
    PRIMARY KEY(suite, package, path));
"""


class StoreError(Exception):
    """The file is not a census database of a version this program reads."""


class FoundFile(NamedTuple):
    path: str
    format: str
    size: int
    sha256: Optional[str]
    evidence: str


class Result(NamedTuple):
    """What scanning one source package gave; written as one transaction."""

    suite: str
    source: str
    version: str
    area: str
    status: str  # one of STATUSES
    detail: Optional[str]
    provenance: bool
    binaries: str
    files: tuple[FoundFile, ...]
    models: tuple[tuple[str, Optional[str]], ...]  # (model name, class)
    scanned_at: str


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) a census database; refuse another version."""
    conn: Optional[sqlite3.Connection] = None
    try:
        conn = sqlite3.connect(str(path))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            conn.close()
            raise StoreError(f"{path}: census database version {version}, this program reads {SCHEMA_VERSION}")
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.commit()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise StoreError(f"{path}: {exc}") from None
    return conn


def scanned(conn: sqlite3.Connection, suite: str) -> set[tuple[str, str]]:
    """(source, version) pairs of a suite already in the database."""
    rows = conn.execute("SELECT source, version FROM sources WHERE suite = ?", (suite,))
    return {(s, v) for s, v in rows}


def record(conn: sqlite3.Connection, result: Result) -> None:
    """Replace one package's rows, all in one transaction."""
    key = (result.suite, result.source, result.version)
    with conn:
        for table in ("sources", "model_files", "models"):
            conn.execute(f"DELETE FROM {table} WHERE suite = ? AND source = ? AND version = ?", key)
        conn.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            key + (result.area, result.status, result.detail, int(result.provenance),
                   result.binaries, result.scanned_at))
        conn.executemany(
            "INSERT INTO model_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [key + (f.path, f.format, f.size, f.sha256, f.evidence) for f in result.files])
        conn.executemany("INSERT INTO models VALUES (?, ?, ?, ?, ?)",
                         [key + (name, cls) for name, cls in result.models])


def record_candidates(conn: sqlite3.Connection, suite: str, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Quick mode's (area, package, path, hint) rows for a suite, replacing
    the suite's earlier ones."""
    with conn:
        conn.execute("DELETE FROM candidates WHERE suite = ?", (suite,))
        conn.executemany("INSERT OR REPLACE INTO candidates VALUES (?, ?, ?, ?, ?)",
                         [(suite,) + tuple(r) for r in rows])
