"""modelcheck census over a mini-archive built here: real source packages
made by dpkg-source, a Sources index by dpkg-scansources, a Release file by
apt-ftparchive, fetched by apt through a file: URI."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any, Iterator

import modelfiles
import pytest
from debian.deb822 import Sources

from modelcheck import cli
from modelcheck.census import store

REPO = Path(__file__).resolve().parents[2]
SUITE = "testing"
SAFETENSORS = modelfiles.safetensors()
NNUE = modelfiles.nnue()
GGUF = modelfiles.gguf()
PROVENANCE = """\
Format: model-provenance/1
Reviewed-By: Toy Maintainer <toy@example.org>
Review-Date: "2026-11-20"
Models:
  - Name: alpha-net
    Description: A small network.
    Upstream: https://example.org/alpha/net.safetensors
    License: Apache-2.0
    Files:
      - Path: models/net.safetensors
        Sha256: {sha}
        Size: {size}
        Format: safetensors
    Binary-Packages: [alpha]
    Training:
      Data:
        - Name: Private set
          Upstream: https://example.org/alpha/data
          License: unknown
          Availability: on-request
      Code:
        Upstream: https://example.org/alpha/train
        License: GPL-3.0-or-later
        Complete: true
      Stack:
        - {{Name: NumPy, Version: "1.24", Proprietary: false}}
      Hardware: one laptop CPU
      Compute: a minute
      CPU-Only-Estimate: a minute
      Reproducibility:
        Status: not-attempted
    Classification: toxic-candy
""".format(sha=hashlib.sha256(SAFETENSORS).hexdigest(), size=len(SAFETENSORS))


ARCH = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
# The binary side of the mini-archive, written as the archive's tools would:
# alpha's and gamma's packages, and alpha-tools, which needs alpha.
PACKAGES = """\
Package: alpha
Version: 1.0-1
Architecture: all
Section: science

Package: alpha-tools
Version: 1.0-1
Architecture: all
Source: alpha-extras
Depends: alpha | alpha-compat, libc6
Section: science

Package: libc6
Version: 2.40-1
Architecture: all
Section: libs

Package: gamma
Version: 1.0
Architecture: all
Section: games
"""
CONTENTS = """\
usr/share/alpha/net.safetensors                         science/alpha
usr/share/doc/alpha/README                              science/alpha
usr/share/games/gamma/model.nnue                        games/gamma
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def debian_dir(root: Path, name: str, fmt: str, extra: dict[str, str] | None = None) -> None:
    files = {
        "control": f"Source: {name}\nMaintainer: Toy <toy@example.org>\n\nPackage: {name}\nArchitecture: all\n"
                   f"Description: toy\n toy\n",
        "changelog": f"{name} (1.0{'' if 'native' in fmt else '-1'}) unstable; urgency=medium\n\n  * Toy.\n\n"
                     " -- Toy <toy@example.org>  Mon, 30 Nov 2026 12:00:00 +0000\n",
        "rules": "#!/usr/bin/make -f\n%:\n\tdh $@\n",
        "source/format": f"{fmt}\n",
        **(extra or {}),
    }
    for rel, text in files.items():
        (root / "debian" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "debian" / rel).write_text(text, encoding="utf-8")


def write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def orig(work: Path, name: str, files: dict[str, bytes]) -> None:
    with tarfile.open(work / f"{name}_1.0.orig.tar.gz", "w:gz") as tar:
        for rel, data in files.items():
            info = tarfile.TarInfo(f"{name}-1.0/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def source_package(pool: Path, name: str, fmt: str, files: dict[str, bytes], debian: dict[str, str] | None = None) -> None:
    work = pool / "main" / name
    tree = work / f"{name}-1.0"
    tree.mkdir(parents=True)
    write(tree, files)
    if "native" not in fmt:
        orig(work, name, files)
    debian_dir(tree, name, fmt, debian)
    subprocess.run(["dpkg-source", "-b", tree.name], cwd=work, check=True, capture_output=True)
    subprocess.run(["rm", "-rf", str(tree)], check=True)


def set_checksum(sources: list[Sources], package: str, filename: str, data: bytes) -> None:
    """Make the index agree with a file replaced after dpkg-scansources."""
    stanza = next(s for s in sources if s["Package"] == package)
    for entry in stanza["Checksums-Sha256"]:
        if entry["name"] == filename:
            entry["sha256"], entry["size"] = sha(data), str(len(data))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    pool = root / "pool"
    source_package(pool, "alpha", "3.0 (quilt)", {"models/net.safetensors": SAFETENSORS, "src/main.c": b"int main;\n"},
                   {"model-provenance.yaml": PROVENANCE})
    source_package(pool, "beta", "3.0 (native)", {"README": b"nothing to see\n", "data/notes.txt": b"x" * 100})
    source_package(pool, "gamma", "3.0 (native)", {"eval/model.nnue": NNUE})
    source_package(pool, "delta", "3.0 (quilt)", {"net.safetensors": SAFETENSORS},
                   # Its data set is not located: no open-source-ai quality.
                   {"model-provenance.yaml": PROVENANCE.replace("alpha-net", "delta-net")
                    .replace("          Upstream: https://example.org/alpha/data\n", "")})
    source_package(pool, "epsilon", "3.0 (native)", {"blob.dat": bytes(range(256)) * 2048, "zz.nnue": NNUE})
    source_package(pool, "zeta", "3.0 (native)", {"model.nnue": NNUE})
    source_package(pool, "eta", "1.0", {"lm/model.gguf": GGUF})
    scanned = subprocess.run(["dpkg-scansources", "pool", "/dev/null"], cwd=root, check=True,
                             capture_output=True).stdout
    sources = list(Sources.iter_paragraphs(scanned.decode(), use_apt_pkg=False))
    # epsilon: a truncated tarball that the index vouches for.
    tarball = next((pool / "main" / "epsilon").glob("*.tar.*"))
    broken = tarball.read_bytes()[: tarball.stat().st_size // 2]
    tarball.write_bytes(broken)
    set_checksum(sources, "epsilon", tarball.name, broken)
    # zeta: a tarball that is not the one the index names.
    zeta = next((pool / "main" / "zeta").glob("*.tar.*"))
    zeta.write_bytes(zeta.read_bytes() + b"tampered")
    # delta: the mirror lacks the orig tarball.
    next((pool / "main" / "delta").glob("*.orig.tar.gz")).unlink()
    dists = root / "dists" / SUITE
    (dists / "main" / "source").mkdir(parents=True)
    text = "\n".join(s.dump() for s in sources).encode()
    (dists / "main" / "source" / "Sources.gz").write_bytes(gzip.compress(text))
    (dists / "main" / "source" / "Sources").write_bytes(text)
    binary = dists / "main" / f"binary-{ARCH}"
    binary.mkdir()
    (binary / "Packages").write_text(PACKAGES, encoding="utf-8")
    # Plain beside compressed, as on a mirror: the Release file then names
    # both, which apt needs to know the index exists.
    (dists / "main" / f"Contents-{ARCH}").write_text(CONTENTS, encoding="utf-8")
    (dists / "main" / f"Contents-{ARCH}.gz").write_bytes(gzip.compress(CONTENTS.encode()))
    release = subprocess.run(
        ["apt-ftparchive", "-o", f"APT::FTPArchive::Release::Suite={SUITE}",
         "-o", f"APT::FTPArchive::Release::Codename={SUITE}", "-o", "APT::FTPArchive::Release::Components=main",
         "release", f"dists/{SUITE}"], cwd=root, check=True, capture_output=True).stdout
    (dists / "Release").write_bytes(release)
    return root


def census(archive: Path, work: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = ["census", "--suite", SUITE, "--mirror", f"file:{archive}", "--trusted", "--areas", "main",
            "--cache", str(work / "cache"), "--db", str(work / "census.sqlite"), *extra]
    status = cli.main(argv, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        columns = {"sources": "source, version, area, status, provenance, binaries",
                   "model_files": "source, version, path, format, size, sha256, evidence",
                   "models": "source, version, name, class"}[table]
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2, 3").fetchall()


def details(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT source, detail FROM sources WHERE detail IS NOT NULL"))


EXPECTED_SOURCES = [
    ("alpha", "1.0-1", "main", "ok", 1, "alpha"),
    ("beta", "1.0", "main", "ok", 0, "beta"),
    ("delta", "1.0-1", "main", "missing-file", 1, "delta"),
    ("epsilon", "1.0", "main", "corrupt", 0, "epsilon"),
    ("eta", "1.0-1", "main", "ok", 0, "eta"),
    ("gamma", "1.0", "main", "ok", 0, "gamma"),
    ("zeta", "1.0", "main", "checksum-mismatch", 0, "zeta"),
]
EXPECTED_FILES = [
    ("alpha", "1.0-1", "models/net.safetensors", "safetensors", len(SAFETENSORS), sha(SAFETENSORS), "content"),
    ("eta", "1.0-1", "lm/model.gguf", "gguf", len(GGUF), sha(GGUF), "content"),
    ("gamma", "1.0", "eval/model.nnue", "nnue", len(NNUE), sha(NNUE), "content"),
]
EXPECTED_MODELS = [("alpha", "1.0-1", "alpha-net", "toxic-candy open-source-ai"),
                   ("delta", "1.0-1", "delta-net", "toxic-candy")]


def test_census_records_each_package(archive: Path, tmp_path: Path) -> None:
    status, out, err = census(archive, tmp_path)
    assert (status, err) == (0, "")
    db = tmp_path / "census.sqlite"
    assert rows(db, "sources") == EXPECTED_SOURCES
    assert rows(db, "model_files") == EXPECTED_FILES
    assert rows(db, "models") == EXPECTED_MODELS
    found = details(db)
    assert sorted(found) == ["delta", "epsilon", "eta", "zeta"]
    assert found["eta"] == "not-scanned: eta_1.0-1.diff.gz (a 1.0 diff is not scanned)"
    assert found["delta"].startswith("missing-file: delta_1.0.orig.tar.gz (")
    assert found["epsilon"].startswith("corrupt: epsilon_1.0.tar.xz: unreadable (")
    assert found["zeta"] == "checksum-mismatch: zeta_1.0.tar.xz"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)


def test_census_text_report(archive: Path, tmp_path: Path) -> None:
    _status, out, _err = census(archive, tmp_path)
    lines = out.splitlines()
    # The apt reason in a missing file's detail is apt's own text: not compared.
    lines = [line.split(" (", 1)[0] if line.startswith("  ! missing-file") else line for line in lines]
    lines = [line.split(" (", 1)[0] if line.startswith("  ! corrupt") else line for line in lines]

    assert lines == [
        "alpha 1.0-1 (main, ok, provenance: toxic-candy)",
        f"  models/net.safetensors  safetensors  {len(SAFETENSORS)} B  {sha(SAFETENSORS)}",
        # A ToxicCandy model whose data are described (open-source-ai).
        "  policy data-information: stays",
        "  policy gr-2025: must-leave-main",
        "  policy ml-policy: must-leave-main",
        "  policy osaid: stays",
        "delta 1.0-1 (main, missing-file, provenance: toxic-candy)",
        "  ! missing-file: delta_1.0.orig.tar.gz",
        "epsilon 1.0 (main, corrupt, no provenance file)",
        "  ! corrupt: epsilon_1.0.tar.xz: unreadable",
        "eta 1.0-1 (main, ok, no provenance file)",
        "  ! not-scanned: eta_1.0-1.diff.gz (a 1.0 diff is not scanned)",
        f"  lm/model.gguf  gguf  {len(GGUF)} B  {sha(GGUF)}",
        "  policy data-information: undecidable",
        "  policy gr-2025: undecidable",
        "  policy ml-policy: undecidable",
        "  policy osaid: undecidable",
        "gamma 1.0 (main, ok, no provenance file)",
        f"  eval/model.nnue  nnue  {len(NNUE)} B  {sha(NNUE)}",
        # No provenance file: nothing to decide by.
        "  policy data-information: undecidable",
        "  policy gr-2025: undecidable",
        "  policy ml-policy: undecidable",
        "  policy osaid: undecidable",
        "zeta 1.0 (main, checksum-mismatch, no provenance file)",
        "  ! checksum-mismatch: zeta_1.0.tar.xz",
        f"{SUITE}: 7 sources scanned, 3 with model files (3 files), 2 with a provenance file",
        "  status: checksum-mismatch 1, corrupt 1, missing-file 1, ok 4",
        "  area: main 3",
        "  format: gguf 1, nnue 1, safetensors 1",
        "  class: none 2, toxic-candy 1",
        "  policy data-information: stays 1, undecidable 2",
        "  policy gr-2025: must-leave-main 1, undecidable 2",
        "  policy ml-policy: must-leave-main 1, undecidable 2",
        "  policy osaid: stays 1, undecidable 2",
    ]


def test_census_json_report(archive: Path, tmp_path: Path) -> None:
    _status, out, _err = census(archive, tmp_path, "--format", "json", "--only", "alpha", "gamma", "beta")
    document = json.loads(out)
    assert document["format-version"] == 1 and document["suite"] == SUITE
    assert document["tool"]["name"] == "dh-modelcheck"
    assert document["sources"] == [
        {"package": "alpha", "version": "1.0-1", "area": "main", "status": "ok", "detail": None,
         "model-files": [{"path": "models/net.safetensors", "format": "safetensors", "size": len(SAFETENSORS),
                          "sha256": sha(SAFETENSORS)}],
         "provenance": True, "class": "toxic-candy",
         "policy": {"ml-policy": "must-leave-main", "gr-2025": "must-leave-main", "data-information": "stays",
                    "osaid": "stays"}},
        {"package": "beta", "version": "1.0", "area": "main", "status": "ok", "detail": None,
         "model-files": [], "provenance": False, "class": None, "policy": {}},
        {"package": "gamma", "version": "1.0", "area": "main", "status": "ok", "detail": None,
         "model-files": [{"path": "eval/model.nnue", "format": "nnue", "size": len(NNUE), "sha256": sha(NNUE)}],
         "provenance": False, "class": None,
         "policy": {"ml-policy": "undecidable", "gr-2025": "undecidable", "data-information": "undecidable",
                    "osaid": "undecidable"}},
    ]
    assert document["summary"] == {
        "sources": 3, "with-model-files": 2, "with-provenance": 1, "model-files": 2,
        "by-status": {"ok": 3}, "by-area": {"main": 2}, "by-format": {"nnue": 1, "safetensors": 1},
        "by-class": {"none": 1, "toxic-candy": 1},
        "policy": {"data-information": {"stays": 1, "undecidable": 1},
                   "gr-2025": {"must-leave-main": 1, "undecidable": 1},
                   "ml-policy": {"must-leave-main": 1, "undecidable": 1},
                   "osaid": {"stays": 1, "undecidable": 1}},
    }
    assert rows(tmp_path / "census.sqlite", "sources") == [EXPECTED_SOURCES[i] for i in (0, 1, 5)]


def test_second_run_fetches_nothing(archive: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The second run finds every package in the database: with the pool
    gone from the mirror, it still reports what the first run found."""
    mirror = tmp_path_factory.mktemp("copy") / "archive"
    subprocess.run(["cp", "-a", str(archive), str(mirror)], check=True)
    census(archive, tmp_path, "--only", "alpha")
    with sqlite3.connect(tmp_path / "census.sqlite") as conn:
        alpha_scanned = conn.execute("SELECT scanned_at FROM sources WHERE source = 'alpha'").fetchone()
    _status, first, _err = census(mirror, tmp_path)
    subprocess.run(["rm", "-rf", str(mirror / "pool")], check=True)
    status, second, err = census(mirror, tmp_path)
    assert (status, err, second) == (0, "", first)
    assert rows(tmp_path / "census.sqlite", "sources") == EXPECTED_SOURCES
    with sqlite3.connect(tmp_path / "census.sqlite") as conn:
        assert conn.execute("SELECT scanned_at FROM sources WHERE source = 'alpha'").fetchone() == alpha_scanned


def test_jobs_give_the_same_rows(archive: Path, tmp_path: Path) -> None:
    census(archive, tmp_path, "--jobs", "2")
    db = tmp_path / "census.sqlite"
    assert (rows(db, "sources"), rows(db, "model_files"), rows(db, "models")) == (
        EXPECTED_SOURCES, EXPECTED_FILES, EXPECTED_MODELS)


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and one worker, separate processes on 127.0.0.1 as on
    other machines; the worker imports this checkout."""
    address_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "PYTHONWARNINGS": "ignore"}
    processes = [subprocess.Popen(["dask-scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(address_file)], env=env, cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(300):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        processes.append(subprocess.Popen(["dask-worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                                           "--nthreads", "1", "--no-dashboard"], env=env, cwd=tmp_path,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.cluster
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado's, under distributed's client
def test_dask_scheduler_gives_the_same_rows(archive: Path, tmp_path: Path, dask_cluster: str) -> None:
    census(archive, tmp_path, "--scheduler", dask_cluster)
    db = tmp_path / "census.sqlite"
    assert (rows(db, "sources"), rows(db, "model_files"), rows(db, "models")) == (
        EXPECTED_SOURCES, EXPECTED_FILES, EXPECTED_MODELS)


def test_unknown_source_is_a_one_line_error(archive: Path, tmp_path: Path) -> None:
    status, out, err = census(archive, tmp_path, "--only", "nosuch")
    assert (status, out) == (2, "")
    assert err == f"modelcheck: error: not in the {SUITE} Sources indices: nosuch\n"


def test_another_database_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "census.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 7")
    with pytest.raises(store.StoreError):
        store.connect(db)


def test_interrupted_census_resumes(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt during the third package leaves the first two recorded
    and nothing of the third; the next run does the other four only."""
    from modelcheck.census import run
    from modelcheck.options import EXIT_INTERRUPTED

    scan, calls = run.scan_package, []

    def interrupted_third(task: run.Task) -> store.Result:
        calls.append(task.source)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return scan(task)

    monkeypatch.setattr(run, "scan_package", interrupted_third)
    status, out, _err = census(archive, tmp_path)
    assert (status, out) == (EXIT_INTERRUPTED, "")
    db = tmp_path / "census.sqlite"
    assert [r[0] for r in rows(db, "sources")] == sorted(calls[:2])
    monkeypatch.setattr(run, "scan_package", scan)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT source, scanned_at FROM sources").fetchall()
    census(archive, tmp_path)
    assert rows(db, "sources") == EXPECTED_SOURCES
    with sqlite3.connect(db) as conn:
        after = dict(conn.execute("SELECT source, scanned_at FROM sources"))
    assert all(after[source] == when for source, when in before)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_only(archive: Path, tmp_path: Path) -> None:
    argv = ["census", "--suite", SUITE, "--mirror", f"file:{archive}", "--trusted", "--areas", "main",
            "--cache", str(tmp_path / "cache"), "--db", str(tmp_path / "census.sqlite"), "--only", "beta", "gamma"]
    terminal = Terminal()
    assert cli.main(argv, out=io.StringIO(), err=terminal) == 0
    lines = terminal.getvalue().split("\r\033[K")
    assert lines[1:] == ["modelcheck: census: 1/2 beta", "modelcheck: census: 2/2 gamma", ""]


def test_quick_mode_lists_candidates_without_fetching_sources(archive: Path, tmp_path: Path) -> None:
    status, out, err = census(archive, tmp_path, "--quick")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "alpha (main): usr/share/alpha/net.safetensors  [name .safetensors (safetensors)]",
        "gamma (main): usr/share/games/gamma/model.nnue  [name .nnue (nnue)]",
        f"{SUITE}: 2 candidate files by name in 2 binary packages",
    ]
    db = tmp_path / "census.sqlite"
    assert rows(db, "sources") == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM candidates ORDER BY package").fetchall() == [
            (SUITE, "main", "alpha", "usr/share/alpha/net.safetensors", "name .safetensors (safetensors)"),
            (SUITE, "main", "gamma", "usr/share/games/gamma/model.nnue", "name .nnue (nnue)"),
        ]


def test_closure_and_html_from_the_packages_indices(archive: Path, tmp_path: Path) -> None:
    """alpha must leave main under ML-Policy and the GR proposal: alpha-tools,
    whose other alternative main lacks, goes with it."""
    page = tmp_path / "census.html"
    status, out, err = census(archive, tmp_path, "--format", "json", "--closure", "--html", str(page))
    assert (status, err) == (0, "")
    impact = json.loads(out)["summary"]["policy-impact"]
    options = impact["options"]
    assert {name: (o["must-leave-main"], o["leaving-binaries"], o["closure"]) for name, o in options.items()} == {
        "ml-policy": (["alpha"], ["alpha"], ["alpha-tools"]),
        "gr-2025": (["alpha"], ["alpha"], ["alpha-tools"]),
        "data-information": ([], [], []),
        "osaid": ([], [], []),
    }
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_file_name_with_a_slash_is_not_fetched(tmp_path: Path) -> None:
    """A hostile index cannot make the census write outside its cache."""
    from modelcheck.census import fetch, run

    index = tmp_path / "Sources"
    index.write_text("Package: evil\nVersion: 1\nDirectory: pool\nChecksums-Sha256:\n"
                     f" {'0' * 64} 3 ../../../etc/evil.tar.gz\n", encoding="utf-8")
    [task] = run.tasks_from([fetch.Target("main", index)], SUITE, "file:/nonexistent", tmp_path)
    result = run.scan_package(task)
    assert (result.status, result.detail, result.files) == (
        "error", "file names that are not plain names in the index: ../../../etc/evil.tar.gz", ())


def test_a_line_break_character_in_a_value_is_part_of_the_line(tmp_path: Path) -> None:
    """python-debian breaks values at a form feed (as str.splitlines()
    does) and refuses the empty line that leaves; in an index it is a byte
    of the line."""
    from modelcheck.census import fetch, run

    index = tmp_path / "Sources"
    index.write_text("Package: odd\nVersion: 1\nBinary: odd,\n odd-data\x0c,\n odd-doc\nDirectory: pool\n"
                     f"Checksums-Sha256:\n {'0' * 64} 3 odd_1.tar.gz\n", encoding="utf-8")
    [task] = run.tasks_from([fetch.Target("main", index)], SUITE, "file:/nonexistent", tmp_path)
    assert (task.source, task.binaries, [f.name for f in task.files]) == ("odd", "odd odd-data odd-doc", ["odd_1.tar.gz"])


def test_a_defect_in_one_package_is_recorded_and_the_census_goes_on(
        archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from modelcheck.census import run

    def broken(*_args: object) -> None:
        raise ValueError("a recogniser's defect")

    monkeypatch.setattr(run, "classify_provenance", broken)
    status, _out, err = census(archive, tmp_path, "--only", "alpha", "gamma")
    assert (status, err) == (0, "")
    assert rows(tmp_path / "census.sqlite", "sources") == [
        ("alpha", "1.0-1", "main", "error", 0, "alpha"), EXPECTED_SOURCES[5]]
    assert details(tmp_path / "census.sqlite") == {"alpha": "error: internal error: ValueError: a recogniser's defect"}
