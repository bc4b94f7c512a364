#!/usr/bin/python3
"""Discovery against real Debian source packages and the project's truth.

Fetches pinned source packages from Debian main (trixie, or bookworm where
the mirror lacks trixie's tarballs) with a private apt configuration (its
own sources.list, lists and cache under the cache directory; the system's
apt setup is not touched), unpacks each into CACHE/PACKAGE, runs discover() over the tree and compares what it reports
with bench/realworld/PACKAGE.truth:

- recall: the share of paths labelled `model` that discovery reports;
- false positives: paths discovery reports that are labelled neither
  `model` nor `embedded` (labelled `not-model`, or not labelled at all);
- embedded: code that carries trained parameters inside a larger file;
  reported or not, it is neither a miss nor a false positive.

The mirror may be partial, so a package is unpacked from the tarballs its
Sources entry lists (orig, orig-COMPONENT, debian), the way dpkg-source -x
lays them out, without applying patches: the .dsc is fetched if present but
not needed.  Every file is fetched through apt's own acquire method with the
SHA-256 from the signed index, and checked again when taken from the cache.

    /usr/bin/python3 bench/realworld.py [--cache DIR] [--checkout DIR] [--fetch-only] [--markdown] [PACKAGE...]

Exit status: 0 when recall >= 0.95 and there are no false positives over
the corpus, 1 otherwise, 2 on an error.  Downloaded sources stay in the
cache directory; never add them to the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
TRUTH_DIR = REPO / "bench" / "realworld"
DEFAULT_CACHE = Path("/tmp/corpus")
SUITES = ("trixie", "bookworm")
# The corpus: packages of Debian main that ship trained data, or data that
# looks like it, at the versions the truth files were written against, with
# the suite whose index lists them.  sentencepiece and tesseract come from
# Debian 12: the mirror reachable here lacks trixie's orig tarballs for them.
PINS = {
    "opencv": ("trixie", "4.10.0+dfsg-5"),
    "pocketsphinx": ("trixie", "0.8+5prealpha+1-15"),
    "tesseract": ("bookworm", "5.3.0-2"),
    "flite": ("trixie", "2.2-7"),
    "gnubg": ("trixie", "1.08.003-3"),
    "stockfish": ("trixie", "17-1"),
    "sentencepiece": ("bookworm", "0.1.97-3"),
    "mecab-ipadic": ("trixie", "2.7.0-20070801+main-3"),
    "fasttext": ("trixie", "0.9.2+ds-8"),
    "espeak-ng": ("trixie", "1.52.0+dfsg-5"),
}
RECALL_TARGET = 0.95


class Fail(Exception):
    """An error that ends the run with a one-line message."""


class SourceFile(NamedTuple):
    name: str
    size: int
    sha256: str


class SourceEntry(NamedTuple):
    package: str
    version: str
    directory: str
    files: tuple[SourceFile, ...]


def mirror() -> str:
    """The mirror the system's apt uses, read with the deb822 parser."""
    from debian import deb822

    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        with path.open(encoding="utf-8") as handle:
            for stanza in deb822.Deb822.iter_paragraphs(handle):
                uris = stanza.get("URIs", "").split()
                if uris:
                    return uris[0].rstrip("/")
    return "http://deb.debian.org/debian"


class PrivateApt:
    """apt with its own sources.list, lists and cache under one directory."""

    def __init__(self, directory: Path, uri: str) -> None:
        self.directory = directory
        self.uri = uri
        (directory / "lists" / "partial").mkdir(parents=True, exist_ok=True)
        (directory / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
        (directory / "sources.list").write_text("".join(f"deb-src {uri} {suite} main\n" for suite in SUITES),
                                               encoding="utf-8")
        self.options = [
            "-o", f"Dir::Etc::sourcelist={directory / 'sources.list'}",
            "-o", "Dir::Etc::sourceparts=-",
            "-o", f"Dir::State::Lists={directory / 'lists'}",
            "-o", f"Dir::Cache={directory / 'cache'}",
            "-o", "APT::Sandbox::User=root",
        ]

    def run(self, *command: str) -> None:
        done = subprocess.run([*command[:1], *self.options, *command[1:]], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise Fail(f"{command[0]} {command[1]} failed: {done.stderr.strip().splitlines()[-1:]}")

    def sources_index(self, suite: str) -> Path:
        """A suite's main Sources index, updated once and then reused."""
        pattern = f"*_dists_{suite}_main_source_Sources*"
        found = sorted((self.directory / "lists").glob(pattern))
        if not found:
            self.run("apt-get", "update")
            found = sorted((self.directory / "lists").glob(pattern))
        if not found:
            raise Fail(f"no {suite} main Sources index after apt-get update")
        return found[0]

    def entries(self, wanted: dict[str, tuple[str, str]]) -> dict[str, SourceEntry]:
        """The Sources stanzas of the pinned versions; apt_pkg reads the
        compressed index and checks nothing else, the index having been
        verified against the signed InRelease by apt-get update."""
        import apt_pkg

        apt_pkg.init()
        found: dict[str, SourceEntry] = {}
        for suite in sorted({suite for suite, _ in wanted.values()}):
            with apt_pkg.TagFile(str(self.sources_index(suite))) as tags:
                found.update(self._pinned(tags, {p: v for p, (s, v) in wanted.items() if s == suite}))
        missing = sorted(set(wanted) - set(found))
        if missing:
            raise Fail("not in the index at the pinned version: "
                       + ", ".join(f"{p} {' '.join(wanted[p])}" for p in missing))
        return found

    @staticmethod
    def _pinned(tags, wanted: dict[str, str]) -> dict[str, SourceEntry]:
        found: dict[str, SourceEntry] = {}
        for section in tags:
            package = section.get("Package")
            if wanted.get(package) != section.get("Version"):
                continue
            files = tuple(
                SourceFile(name, int(size), sha256)
                for sha256, size, name in (line.split() for line in section["Checksums-Sha256"].strip().splitlines())
            )
            found[package] = SourceEntry(package, section["Version"], section["Directory"], files)
        return found

    def download(self, entry: SourceEntry, file: SourceFile, target: Path) -> bool:
        """Fetch one file through apt's acquire system, hash checked; False
        when the mirror does not have it."""
        if target.exists() and sha256(target) == file.sha256:
            return True
        target.unlink(missing_ok=True)
        done = subprocess.run(
            ["/usr/lib/apt/apt-helper", *self.options, "download-file",
             f"{self.uri}/{entry.directory}/{file.name}", str(target), f"SHA256:{file.sha256}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return done.returncode == 0 and target.exists() and sha256(target) == file.sha256


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tarball_role(entry: SourceEntry, name: str) -> str | None:
    """'orig', 'orig-COMPONENT', 'debian' or None (the .dsc, signatures)."""
    stem = name.split(".tar.")[0] if ".tar." in name else None
    if stem is None:
        return None
    upstream = entry.version.split(":")[-1].rsplit("-", 1)[0]
    prefix = f"{entry.package}_{upstream}."
    if stem.startswith(prefix):
        return stem[len(prefix):]
    return "debian" if stem == f"{entry.package}_{entry.version.split(':')[-1]}.debian" else None


def extract(tarball: Path, destination: Path) -> None:
    """Unpack like dpkg-source: a single top directory is stripped."""
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        subprocess.run(["tar", "-xf", str(tarball), "-C", scratch, "--no-same-owner"], check=True)
        tops = list(Path(scratch).iterdir())
        inner = tops[0] if len(tops) == 1 and tops[0].is_dir() and not tops[0].is_symlink() else Path(scratch)
        destination.mkdir(parents=True, exist_ok=True)
        for item in inner.iterdir():
            target = destination / item.name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
            shutil.move(str(item), str(target))


def unpack(entry: SourceEntry, downloads: Path, tree: Path) -> None:
    """orig into the tree, orig-COMPONENT into tree/COMPONENT, then debian/
    over it; patches are not applied.  A stamp file records the version so
    that a tree is unpacked once."""
    stamp = tree.parent / f".{entry.package}.unpacked"
    if tree.is_dir() and stamp.exists() and stamp.read_text(encoding="utf-8") == entry.version:
        return
    if tree.exists():
        shutil.rmtree(tree)
    roles = {tarball_role(entry, f.name): f for f in entry.files}
    if "orig" not in roles:
        raise Fail(f"{entry.package}: no orig tarball in the index")
    extract(downloads / roles["orig"].name, tree)
    for role, file in sorted((r, f) for r, f in roles.items() if r and r.startswith("orig-")):
        extract(downloads / file.name, tree / role[len("orig-"):])
    if "debian" in roles:
        debian = tree / "debian"
        if debian.exists():
            shutil.rmtree(debian)
        subprocess.run(["tar", "-xf", str(downloads / roles["debian"].name), "-C", str(tree), "--no-same-owner"],
                       check=True)
    stamp.write_text(entry.version, encoding="utf-8")


def fetch(cache: Path, packages: dict[str, tuple[str, str]]) -> dict[str, Path]:
    """Download (or reuse) and unpack each package; the trees by name."""
    apt = PrivateApt(cache / ".apt", mirror())
    downloads = cache / ".downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    trees: dict[str, Path] = {}
    for package, entry in sorted(apt.entries(packages).items()):
        for file in entry.files:
            got = apt.download(entry, file, downloads / file.name)
            role = tarball_role(entry, file.name)
            if not got and role and role != "debian":
                raise Fail(f"{package}: {file.name} is not on the mirror")
            if not got:
                print(f"{package}: {file.name} not on the mirror, going without it", file=sys.stderr)
                entry = entry._replace(files=tuple(f for f in entry.files if f != file))
        trees[package] = cache / package
        unpack(entry, downloads, trees[package])
    return trees


LABELS = ("model", "not-model", "embedded")


class Label(NamedTuple):
    label: str
    reason: str


class Score(NamedTuple):
    package: str
    models: int
    hits: tuple[str, ...]
    misses: tuple[str, ...]
    false_positives: tuple[tuple[str, str], ...]  # (path, what discovery said it is)
    embedded_found: int

    @property
    def recall(self) -> float | None:
        return len(self.hits) / self.models if self.models else None


def read_truth(path: Path) -> dict[str, Label]:
    """LABEL PATH  # REASON, one a line; '#' lines and blank lines are
    comments.  A reason is required: the file is there to be reviewed."""
    truth: dict[str, Label] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry, _, reason = line.partition("  # ")
        fields = entry.split(None, 1)
        if len(fields) != 2 or fields[0] not in LABELS or not reason.strip():
            raise Fail(f"{path.name}:{number}: expected 'LABEL PATH  # REASON' with LABEL one of {', '.join(LABELS)}")
        label, name = fields[0], fields[1].strip()
        if name in truth:
            raise Fail(f"{path.name}:{number}: {name} is labelled twice")
        truth[name] = Label(label, reason.strip())
    return truth


def score(package: str, tree: Path, truth: dict[str, Label]) -> Score:
    """discover() over the tree, against the truth.  Anything reported that
    is not labelled model or embedded is a false positive: not-model lines
    document the look-alikes, they are not the only negatives."""
    from modelcheck.discover import discover

    stale = sorted(name for name in truth if not (tree / name).exists())
    if stale:
        raise Fail(f"{package}: the truth names paths the tree does not have: {', '.join(stale[:3])}")
    found = {model.path: model for model in discover(tree).models}
    models = sorted(name for name, label in truth.items() if label.label == "model")
    embedded = {name for name, label in truth.items() if label.label == "embedded"}
    return Score(
        package=package,
        models=len(models),
        hits=tuple(name for name in models if name in found),
        misses=tuple(name for name in models if name not in found),
        false_positives=tuple(
            (name, f"{getattr(model, 'format', '?')} by {getattr(model, 'evidence', '?')}")
            for name, model in sorted(found.items()) if name not in embedded and name not in models
        ),
        embedded_found=len(embedded & set(found)),
    )


def ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "-"


def table(scores: list[Score], markdown: bool) -> str:
    """The per-package table and the totals row."""
    header = ("package", "version", "models", "found", "recall", "false positives", "embedded found")
    rows = [
        (s.package, PINS[s.package][1], str(s.models), str(len(s.hits)), ratio(len(s.hits), s.models),
         str(len(s.false_positives)), str(s.embedded_found))
        for s in scores
    ]
    models, hits = sum(s.models for s in scores), sum(len(s.hits) for s in scores)
    rows.append(("total", "", str(models), str(hits), ratio(hits, models),
                 str(sum(len(s.false_positives) for s in scores)), str(sum(s.embedded_found for s in scores))))
    if markdown:
        lines = [header, tuple("---" for _ in header), *rows]
        return "\n".join("| " + " | ".join(row) + " |" for row in lines)
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in (header, *rows))


def details(scores: list[Score]) -> str:
    """Every miss and false positive, by package, so each can be acted on."""
    lines = []
    for s in scores:
        lines += [f"{s.package}: missed {name}" for name in s.misses]
        lines += [f"{s.package}: false positive {name} ({said})" for name, said in s.false_positives]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"where downloads and unpacked trees go (default {DEFAULT_CACHE})")
    parser.add_argument("--fetch-only", action="store_true", help="fetch and unpack, do not run discovery")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="the dh-modelcheck checkout whose discovery is scored (default: this one)")
    parser.add_argument("packages", nargs="*", help="a subset of the corpus (default: all of it)")
    args = parser.parse_args(argv)
    if not (args.checkout / "lib" / "modelcheck" / "discover.py").is_file():
        parser.error(f"{args.checkout}: not a dh-modelcheck checkout")
    sys.path.insert(0, str(args.checkout.resolve() / "lib"))
    unknown = sorted(set(args.packages) - set(PINS))
    if unknown:
        parser.error("not in the corpus: " + ", ".join(unknown))
    wanted = {p: PINS[p] for p in (args.packages or PINS)}
    try:
        trees = fetch(args.cache.resolve(), wanted)
        if args.fetch_only:
            for package, tree in trees.items():
                print(f"{package} {PINS[package][1]} {tree}")
            return 0
        scores = [score(p, trees[p], read_truth(TRUTH_DIR / f"{p}.truth")) for p in sorted(trees)]
    except (Fail, OSError, subprocess.CalledProcessError) as exc:
        print(f"realworld: {exc}", file=sys.stderr)
        return 2
    print(table(scores, args.markdown))
    listed = details(scores)
    if listed:
        print("\n" + listed)
    models, hits = sum(s.models for s in scores), sum(len(s.hits) for s in scores)
    clean = not any(s.false_positives for s in scores)
    return 0 if clean and models and hits / models >= RECALL_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
