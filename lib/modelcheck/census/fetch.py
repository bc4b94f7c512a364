"""Fetching through apt's acquire methods, with a private configuration.

The machine's apt setup is read (its apt.conf, for proxies and the like)
but never changed: indices, partial downloads and the sources list live
under the census's own cache directory, and the fetched files of a package
are removed once it is scanned.  Release files are verified by apt as usual
(a mirror given as a local test archive may say [trusted=yes]).
"""

from __future__ import annotations

import hashlib
import os
import pwd
import subprocess
from pathlib import Path
from typing import Iterable, NamedTuple, Optional, Sequence

import apt_pkg

from ..errors import UnusableInput


class Target(NamedTuple):
    area: str  # the component: main, contrib, non-free...
    path: Path  # the Sources index in the private lists directory


class Fetched(NamedTuple):
    name: str
    path: Optional[Path]  # None when it could not be fetched
    error: Optional[str]  # apt's own reason, kept as a detail


def machine_mirror(suite: str) -> str:
    """The Debian mirror of this machine's apt sources: the archive that
    carries the suite, else the one of the machine's own release (not its
    -updates or -security companions)."""
    try:
        lines = subprocess.run(["apt-get", "indextargets", "--format", "$(REPO_URI) $(RELEASE)"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UnusableInput(f"cannot ask apt for its sources ({exc}); give --mirror") from None
    targets = [line.split() for line in lines if len(line.split()) == 2]
    release = _os_codename()
    for wanted in (suite, release):
        for uri, name in targets:
            if name == wanted:
                return uri
    raise UnusableInput("no Debian mirror in this machine's apt sources; give --mirror")


def _os_codename() -> str:
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    except OSError:
        return ""
    return fields.get("VERSION_CODENAME", "").strip('"')


def configure(cache: Path) -> None:
    """apt_pkg's configuration for this process: the machine's, with every
    place apt writes moved under ``cache``."""
    apt_pkg.init_config()
    lists = cache / "lists"
    for d in (lists / "partial", cache / "archives" / "partial"):
        d.mkdir(parents=True, exist_ok=True)
    settings = {
        "Dir::State": str(cache / "state"),
        "Dir::State::Lists": str(lists),
        "Dir::State::status": "/dev/null",
        "Dir::Cache": str(cache),
        "Dir::Cache::Archives": str(cache / "archives"),
        "Dir::Etc::sourcelist": str(cache / "sources.list"),
        "Dir::Etc::sourceparts": "-",
        # Plain indices, readable without apt's own decompressors.
        "Acquire::GzipIndexes": "false",
        # The methods run as this user: the private directories are its own.
        "APT::Sandbox::User": pwd.getpwuid(os.geteuid()).pw_name,
        "Acquire::Languages": "none",
    }
    for key, value in settings.items():
        apt_pkg.config.set(key, value)
    apt_pkg.init_system()


def apt_options(cache: Path) -> list[str]:
    """The same private configuration for apt-get."""
    keys = ("Dir::State", "Dir::State::Lists", "Dir::State::status", "Dir::Cache", "Dir::Cache::Archives",
            "Dir::Etc::sourcelist", "Dir::Etc::sourceparts", "Acquire::GzipIndexes", "APT::Sandbox::User", "Acquire::Languages")
    return [arg for key in keys for arg in ("-o", f"{key}={apt_pkg.config.find(key)}")]


def update(cache: Path, mirror: str, suite: str, areas: Sequence[str], trusted: bool = False,
           binaries: bool = False, extra: Sequence[str] = ()) -> list[Target]:
    """Fetch the suite's Sources indices into the private lists directory
    (and, with ``binaries``, its Packages indices for this machine's
    architecture; ``extra`` are further apt-get options, such as the index
    targets of Contents files); the areas whose Sources index apt has, in
    the order asked."""
    option = "[trusted=yes] " if trusted else ""
    cache.mkdir(parents=True, exist_ok=True)
    lines = [f"deb-src {option}{mirror} {suite} {' '.join(areas)}"]
    if binaries:
        lines.append(f"deb {option}{mirror} {suite} {' '.join(areas)}")
    (cache / "sources.list").write_text("\n".join(lines) + "\n", encoding="utf-8")
    configure(cache)
    # apt-get's update is apt's own transaction over Release and indices
    # (python-apt has no public equivalent that leaves the cache alone).
    updated = subprocess.run(["apt-get", *apt_options(cache), *extra, "-q", "-q", "update"],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
    failed = [line for line in updated.stderr.splitlines() if line.strip()] if updated.returncode else []
    found = dict(index_files(cache, "Sources"))
    if not found:
        reason = failed[-1] if failed else "no index"
        raise UnusableInput(f"no Sources index of {suite} from {mirror} ({reason})")
    return [Target(a, found[a]) for a in areas if a in found]


def index_files(cache: Path, created_by: str) -> list[tuple[str, Path]]:
    """(area, file) of the indices of one kind (Sources, Packages) that the
    private lists directory holds."""
    try:
        listing = subprocess.run(
            ["apt-get", *apt_options(cache), "indextargets", "--format", "$(COMPONENT) $(FILENAME)",
             f"Created-By: {created_by}"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UnusableInput(f"apt cannot list the {created_by} indices ({exc})") from None
    found = []
    for line in listing.splitlines():
        area, _, filename = line.partition(" ")
        if Path(filename).is_file():
            found.append((area, Path(filename)))
    return found


def fetch(uris: Iterable[tuple[str, str]], into: Path) -> list[Fetched]:
    """Download (uri, file name) pairs into ``into`` with apt's methods;
    configure() must have run in this process."""
    into.mkdir(parents=True, exist_ok=True)
    acquire = apt_pkg.Acquire()
    items = [(name, apt_pkg.AcquireFile(acquire, uri, destfile=str(into / name))) for uri, name in uris]
    acquire.run()
    result = []
    for name, item in items:
        done = item.status == item.STAT_DONE and (into / name).is_file()
        result.append(Fetched(name, into / name if done else None, None if done else (item.error_text or "not fetched")))
    return result


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
