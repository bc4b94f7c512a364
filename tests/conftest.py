"""Shared fixtures: the checkout and real package builds."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = REPO / "tests" / "packages"
FINDING_LINE = re.compile(r"^[EWIPCO]: \S+( source)?: ")

def clean_env(**extra: str) -> dict[str, str]:
    """The environment without debhelper variables that would change a run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DH_") and k != "DEB_BUILD_PROFILES"}
    env.update(LC_ALL="C.UTF-8", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


COMMANDS = ("dh_modelcheck", "dh_installmodelprovenance", "modelcheck")


@functools.lru_cache(maxsize=None)
def checkout_bin() -> Path:
    """A directory of this checkout's commands: the installed package makes
    each a symlink to dh_modelcheck, which acts by the name it is called by."""
    bin_dir = Path(tempfile.mkdtemp(prefix="modelcheck-bin-"))
    for command in COMMANDS:
        (bin_dir / command).symlink_to(REPO / "dh_modelcheck")
    return bin_dir


def checkout_env() -> dict[str, str]:
    """Run dh with this checkout's commands and sequence file."""
    return clean_env(PATH=f"{checkout_bin()}:{os.environ['PATH']}", PERL5LIB=str(REPO / "lib"))


@dataclasses.dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    tree: Path

    def findings(self) -> list[str]:
        return [line for line in self.log.splitlines() if FINDING_LINE.match(line)]

    def commands(self) -> list[str]:
        """The commands dh runs, in order, as it prints them (an override
        target shows as 'debian/rules override_dh_foo')."""
        prefixes = ("   dh_", "   debian/rules override_dh_")
        # dh prints the options it passes after the name (dh_foo -O--opt).
        words = [line.split() for line in self.log.splitlines() if line.startswith(prefixes)]
        return [w[1 if w[0] == "debian/rules" else 0].removeprefix("override_") for w in words]


def copy_tree(src: Path, dest_parent: Path) -> Path:
    dest = dest_parent / src.name
    shutil.copytree(src, dest, symlinks=True)
    return dest


BUILD_TYPES = ("-A", "-B", "-b", "-F", "-G", "-S", "-g")


def dpkg_buildpackage(tree: Path, env: dict[str, str], options: Sequence[str] = ("-d",)) -> Build:
    """A binary-only build (-b) unless the options ask for another type."""
    typed = any(o in BUILD_TYPES or o.startswith("--build=") for o in options)
    result = subprocess.run(
        ["dpkg-buildpackage", "-us", "-uc", *([] if typed else ["-b"]), *options],
        cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    return Build(result.returncode, result.stdout, tree)


FINDINGS_SCHEMA = REPO / "schemas" / "modelcheck-findings-2.schema.json"
CODE_QUALITY_SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def assert_findings_document(document: dict, command: str) -> None:
    """The output contract: valid against the published schema (with
    python3-jsonschema, as Debian ships it), and every member it holds is
    one the schema describes, so that a new member cannot go undocumented."""
    import jsonschema

    schema = json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(document)]
    assert errors == []
    assert set(document) <= set(schema["properties"])
    assert set(document["tool"]) <= set(schema["properties"]["tool"]["properties"])
    for record in document["findings"]:
        assert set(record) <= set(schema["$defs"]["finding"]["properties"]), record
    assert document["command"] == command


def record_line(record: dict) -> str:
    """A JSON finding as the text output prints it."""
    letter = "O" if record.get("overridden") else record["severity"][0].upper()
    who = f"{record['package']} source" if record["type"] == "source" else record["package"]
    pointer = ":".join(str(record[k]) for k in ("file", "line", "column") if k in record)
    return " ".join(w for w in (f"{letter}: {who}: {record['tag']}", record["context"], pointer and f"[{pointer}]") if w)


def assert_code_quality_report(issues: list, root: Path) -> None:
    """GitLab's Code Quality shape; every location is a file of the tree."""
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}, issue
        assert issue["severity"] in CODE_QUALITY_SEVERITIES
        assert set(issue["location"]) == {"path", "lines"} and set(issue["location"]["lines"]) == {"begin"}
        assert issue["location"]["lines"]["begin"] >= 1
        assert (root / issue["location"]["path"]).is_file(), issue
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def expected_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def source_files() -> list[str]:
    """The files of this checkout that a clean clone would have."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    # lexists: a symbolic link the tests need dangling is part of the clone.
    return [f for f in listed.stdout.splitlines() if os.path.lexists(REPO / f)]


@dataclasses.dataclass(frozen=True)
class BuiltDeb:
    deb: Path
    tree: Path
    build: Build


@pytest.fixture(scope="session")
def built_deb(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeb:
    """dh-modelcheck's own .deb, built from a copy of the checkout."""
    parent = tmp_path_factory.mktemp("deb")
    tree = parent / "dh-modelcheck"
    for name in source_files():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, tree / name, follow_symlinks=False)
    build = dpkg_buildpackage(tree, clean_env(), options=())
    assert build.returncode == 0, build.log
    debs = sorted(parent.glob("dh-modelcheck_*_all.deb"))
    assert len(debs) == 1, build.log
    return BuiltDeb(debs[0], tree, build)


@pytest.fixture(scope="session")
def installed_deb(built_deb: BuiltDeb) -> Iterator[Path]:
    """Install the freshly built .deb on this machine (CI runs as root), and
    purge it when the session ends: the suite removes what it installs."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must run as root to install dh-modelcheck")
        pytest.skip("installing dh-modelcheck needs root")
    result = subprocess.run(["dpkg", "-i", str(built_deb.deb)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    yield built_deb.deb
    purged = subprocess.run(["dpkg", "--purge", "dh-modelcheck"], capture_output=True, text=True, check=False)
    assert purged.returncode == 0, purged.stdout + purged.stderr


@pytest.fixture
def nest(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """nest(parent, name, depth): parent/name/name/... created relative to
    descriptors (the path passes PATH_MAX), and removed the same way at the
    end: pytest's own cleanup recurses and would fail on it."""
    made: list[Path] = []

    def make(parent: Path, name: str, depth: int) -> None:
        fd = os.open(parent, os.O_RDONLY)
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.close(fd)
        made.append(parent / name)

    yield make
    for top in made:
        name = top.name
        fds = [os.open(top.parent, os.O_RDONLY)]
        while True:
            try:
                fds.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
            except FileNotFoundError:
                break
        fds.pop()
        while fds:
            fd = fds.pop()
            os.rmdir(name, dir_fd=fd)
            os.close(fd)


@pytest.fixture(autouse=True)
def close_databases(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Python 3.13 warns of a database connection nobody closed (an error
    here): the connections a test opens are closed when it ends."""
    opened: list[sqlite3.Connection] = []
    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield
    for conn in opened:
        conn.close()
