"""A seeded mutation fuzzer for every input dh-modelcheck reads.

Each input kind takes a real fixture of the checkout (a source tree of
tests/packages, tests/tags or docs/examples, a provenance file of
tests/provenance, an index excerpt of tests/archive), mutates one input
with byte and structure mutations, runs a real front end on it and checks
the promise every front end makes: findings or a one-line error on standard
error, exit status 0, 1 or 2, no traceback, no hang, bounded memory, and
the source tree unchanged but for the file the command was asked to write.

The front ends run in child processes forked from a parent that has already
imported the commands' modules (an interpreter start per input would cost
more than most inputs do); each child gets an address-space cap
(RLIMIT_AS), a CPU limit and a wall-clock timeout, its own standard
streams, and runs the same FrontEnd(...).run(...) as the installed
commands.  ``exec_every`` also runs every Nth input through the real
programs with subprocess, so that the start-up path is fuzzed too.

A case is replayable: the seed of the campaign and the case's number give
it back, and a failure is written as a regression case (see regressions.py).
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import hashlib
import importlib
import io
import lzma
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "lib"))

MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space per input
TIME_LIMIT = 10.0  # seconds of wall-clock time per input
# The statuses the commands promise (modelcheck(1), EXIT STATUS); 3, the
# internal error, is the status of an unexpected exception: a failure here.
PROMISED_STATUSES = {0, 1, 2}
# The harness walks, hashes and removes trees 2,100 directories deep with
# the standard library's recursive functions; the commands it runs get the
# interpreter's default back (see run_forked).
DEFAULT_RECURSION_LIMIT = sys.getrecursionlimit()
sys.setrecursionlimit(max(DEFAULT_RECURSION_LIMIT, 20000))

# --- fixtures -------------------------------------------------------------

TREES = sorted(
    [p for p in (REPO / "tests" / "packages").iterdir() if (p / "debian" / "control").is_file()]
    + [p for p in (REPO / "docs" / "examples").iterdir() if (p / "debian" / "control").is_file()]
    + [p for p in (REPO / "tests" / "tags").iterdir() if (p / "debian" / "control").is_file()]
)


def trees_with(relative: str) -> list[Path]:
    return [t for t in TREES if (t / relative).is_file()]


PROVENANCE_SEEDS = sorted((REPO / "tests" / "provenance").glob("*/*.yaml")) + [
    t / "debian" / "model-provenance.yaml" for t in trees_with("debian/model-provenance.yaml")
]
EXCERPTS = sorted((REPO / "tests" / "archive" / "excerpts").glob("*Sources.xz"))
PACKAGES_EXCERPTS = sorted((REPO / "tests" / "archive" / "excerpts").glob("*Packages.xz"))
MODEL_SEEDS = sorted(p for p in REPO.glob("tests/**/*") if p.suffix in {".safetensors", ".gguf"} and p.is_file())
COPYRIGHT_SEEDS = [t / "debian" / "copyright" for t in trees_with("debian/copyright")] + sorted(
    p for p in (REPO / "tests" / "data" / "copyright").iterdir() if p.name != "SOURCES"
)
OVERRIDE_SEEDS = [t / "debian" / "source" / "modelcheck-overrides" for t in trees_with("debian/source/modelcheck-overrides")]
CARD_SEED = b"""---
license: apache-2.0
license_name: tiny-licence
license_link: LICENSE
base_model: org/base-model
base_model_relation: finetune
datasets:
- org/data-one
- org/data-two
library_name: transformers
model_name: tiny
tags: [text-classification, "a", 'b']
---
# tiny

A model card.
"""

# Tokens that tend to reach the corners of each format.
DICTIONARY: dict[str, list[bytes]] = {
    "yaml": [b"0b_", b"0x", b"1" * 4301, b"!!python/object:os.system", b"!!str", b"!!int", b"? !!binary a\n: b",
             b"&a [*a]", b"<<: *a", b"---\n", b"...\n", b"\t", b"{", b"[", b"'", b'"', b"\\", b"\x00", b"\xff\xfe",
             b": ", b"- ", b"~", b"null", b".inf", b"2001-02-03", b"!", b"%YAML 1.1\n", b"*x", b"Path: \x00",
             b"Path: " + b"a" * 300, b"Path: " + b"a/" * 3000 + b"x", b"Licence: " + b"(" * 2000 + b"MIT" + b")" * 2000,
             b"Licence: MIT AND " * 500 + b"MIT", b"Licence: MIT WITH ", b"Path: ../../etc/passwd",
             b"Path: /etc/passwd", b"Sha256: " + b"0" * 64, b"Size: -1", b"Size: 1e999"],
    "control": [b"\n\n", b"Package: ", b"Source: ", b"Build-Depends: ", b"Depends: ", b"Architecture: any\n",
                b", ", b" | ", b" [amd64]", b" <!nocheck>", b"(>= 1.0)", b"${misc:Depends}", b"\n ", b"\n.\n",
                b"nvidia-cuda-toolkit, " * 2000, b"libcudnn8 | " * 2000, b"\x00", b"\xff", b"#", b":",
                b"Package: ..\n", b"Package: a/../b\n", b"Package: " + b"p" * 5000 + b"\n", b"X-" * 100],
    "overrides": [b"*", b"?", b"[", b"]", b"\\", b"*" * 60 + b"x", b"a*" * 40 + b"!", b" [", b"]:", b"# ",
                  b"\n", b"\x00", b"\xff", b"source: ", b"binary: ", b"pkg binary: ", b"model-file-undeclared ",
                  b"*model-file-undeclared* " * 10, (b"x" * 50 + b"\n") * 3000],
    "copyright": [b"Files: ", b"Files: " + b"*a" * 50 + b"b", b"Files: " + b"*/" * 200, b"License: ",
                  b"Copyright: ", b"\n\n", b"\n .\n", b"\\", b"\\\n", b"[", b"?", b"**", b"\x00", b"\xff",
                  (b"Files: models/*\nCopyright: x\nLicense: MIT\n\n") * 3000,
                  b"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"],
    "card": [b"---\n", b"license: ", b"license_name: ", b"base_model: ", b"datasets: ", b"[" * 3000,
             b"{" * 3000, b"!!python/name:os.system", b"&a [*a, *a]", b"\x00", b"\xff", b"1" * 5000, b"0b_",
             b"? !!str a\n: b\n", b"- " * 200],
    "sources": [b"Package: ", b"Binary: ", b"Build-Depends: ", b"Section: ", b"contrib/", b"non-free/",
                b"\x00", b"\xff", b"\n\n", b"\n \n", b"\n .\n", b"nvidia-cuda-toolkit", b" | ", b"[amd64]",
                b"\x80\x81: x\n", b"Section: non-free\x00/x\n", b"Build-Depends:\n\n"],
    "model": [b"\x00" * 8, b"\xff" * 8, b"{", b"}", b'"', b"__metadata__", b"dtype", b"data_offsets", b"GGUF",
              b"\x93NUMPY", b"PK\x03\x04", b"PK\x06\x07", b"\xff\xff\xff\xff\xff\xff\xff\x7f"],
}


# --- mutations ------------------------------------------------------------


def mutate(data: bytes, rng: random.Random, tokens: list[bytes]) -> bytes:
    """One to eight byte or structure mutations of DATA."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(10)
        pos = rng.randint(0, len(buf))
        if choice == 0 and buf:  # flip a bit
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif choice == 1 and buf:  # a random byte
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif choice == 2:  # delete a span
            del buf[pos:pos + rng.randint(1, 64)]
        elif choice == 3 and buf:  # duplicate a span
            start = rng.randrange(len(buf))
            span = buf[start:start + rng.randint(1, 128)]
            buf[pos:pos] = span * rng.choice([1, 2, 10, 100])
        elif choice in (4, 5, 6) and tokens:  # insert a token
            buf[pos:pos] = rng.choice(tokens)
        elif choice == 7:  # repeat a line many times
            lines = bytes(buf).split(b"\n")
            i = rng.randrange(len(lines))
            lines[i:i + 1] = [lines[i]] * rng.choice([2, 50, 2000])
            buf = bytearray(b"\n".join(lines))
        elif choice == 8:  # swap two lines
            lines = bytes(buf).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            buf = bytearray(b"\n".join(lines))
        elif choice == 9:  # truncate
            del buf[pos:]
    return bytes(buf)


# --- cases ----------------------------------------------------------------


@dataclasses.dataclass
class Case:
    """One input: a tree under WORK, the command run in it, and the one path
    the command may write (None: nothing)."""

    kind: str
    work: Path
    program: str  # modelcheck, dh_modelcheck
    argv: list[str]
    cwd: Path
    writes: Optional[Path] = None
    stdin: Optional[bytes] = None
    watched: list[Path] = dataclasses.field(default_factory=list)
    base: Optional[Path] = None  # the fixture tree copied to WORK/src
    input: Optional[Path] = None  # the mutated file, to keep as a regression case


def copy_tree(src: Path, work: Path) -> Path:
    tree = work / "src"
    shutil.copytree(src, tree, symlinks=True)
    return tree


def lint_argv(rng: random.Random, tree: Path) -> list[str]:
    return ["lint", "--format", rng.choice(["text", "json", "code-quality"]), "--show-overrides", str(tree)]


def any_command(rng: random.Random, tree: Path, work: Path) -> tuple[str, list[str], Optional[Path]]:
    """lint mostly; export and the debhelper commands now and then."""
    roll = rng.random()
    if roll < 0.15:
        out = work / "export.json"
        return "modelcheck", ["export", "--format", rng.choice(["spdx3", "cyclonedx"]), "--output", str(out), str(tree)], None
    if roll < 0.2:
        return "dh_modelcheck", [], None
    if roll < 0.25:
        return "dh_installmodelprovenance", [], None
    return "modelcheck", lint_argv(rng, tree), None


def ship_models(rng: random.Random, tree: Path, outside: Path) -> None:
    """What dh_installdocs and dh_install leave before
    dh_installmodelprovenance runs: a documentation directory in every
    binary package and the tree's model files in the first one; then, now
    and then, a link on the way to a documentation directory."""
    names = re.findall(rb"^Package:[ \t]*([a-z0-9][a-z0-9+.-]+)[ \t]*$", (tree / "debian" / "control").read_bytes(), re.M)
    packages = [n.decode() for n in names]
    for package in packages:
        (tree / "debian" / package / "usr" / "share" / "doc" / package).mkdir(parents=True, exist_ok=True)
    if not packages:
        return
    first = tree / "debian" / packages[0]
    shipped = first / "usr" / "share" / packages[0]
    shipped.mkdir(parents=True, exist_ok=True)
    for model in sorted(tree.rglob("*")):
        if model.suffix in MODEL_SUFFIXES and model.is_file() and "debian" not in model.relative_to(tree).parts:
            shutil.copyfile(model, shipped / model.name)
    roll = rng.random()
    if roll < 0.3:  # usr/share/doc is a link out of the package
        shutil.rmtree(first / "usr" / "share" / "doc")
        (first / "usr" / "share" / "doc").symlink_to(outside)
    elif roll < 0.5:  # the file to install is a directory, or a link out
        target = first / "usr" / "share" / "doc" / packages[0] / "model-provenance.yaml"
        if rng.random() < 0.5:
            target.mkdir()
        else:
            target.symlink_to(outside / "installed.yaml")


def case_provenance(rng: random.Random, work: Path) -> Case:
    base = rng.choice(trees_with("debian/model-provenance.yaml"))
    tree = copy_tree(base, work)
    seed = rng.choice(PROVENANCE_SEEDS).read_bytes()
    (tree / "debian" / "model-provenance.yaml").write_bytes(mutate(seed, rng, DICTIONARY["yaml"]))
    program, argv, writes = any_command(rng, tree, work)
    return Case("provenance", work, program, argv, tree, writes, base=base, input=tree / "debian" / "model-provenance.yaml")


def case_control(rng: random.Random, work: Path) -> Case:
    base = rng.choice(TREES)
    tree = copy_tree(base, work)
    control = tree / "debian" / "control"
    control.write_bytes(mutate(control.read_bytes(), rng, DICTIONARY["control"]))
    program, argv, writes = any_command(rng, tree, work)
    return Case("control", work, program, argv, tree, writes, base=base, input=control)


def case_overrides(rng: random.Random, work: Path) -> Case:
    base = rng.choice(TREES)
    tree = copy_tree(base, work)
    target = tree / "debian" / "source" / "modelcheck-overrides"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(mutate(rng.choice(OVERRIDE_SEEDS).read_bytes(), rng, DICTIONARY["overrides"]))
    program, argv, writes = any_command(rng, tree, work)
    return Case("overrides", work, program, argv, tree, writes, base=base, input=target)


def case_copyright(rng: random.Random, work: Path) -> Case:
    base = rng.choice(trees_with("debian/model-provenance.yaml"))
    tree = copy_tree(base, work)
    target = tree / "debian" / "copyright"
    target.write_bytes(mutate(rng.choice(COPYRIGHT_SEEDS).read_bytes(), rng, DICTIONARY["copyright"]))
    program, argv, writes = any_command(rng, tree, work)
    return Case("copyright", work, program, argv, tree, writes, base=base, input=target)


MODEL_SUFFIXES = [".safetensors", ".gguf", ".npy", ".npz", ".onnx", ".pt", ".pth", ".h5", ".keras", ".pb",
                  ".tflite", ".bin", ".ckpt", ".joblib", ".pkl", ".model", ".ubj", ".xgb", ".fst"]


def case_model(rng: random.Random, work: Path) -> Case:
    base = rng.choice(TREES)
    tree = copy_tree(base, work)
    data = mutate(rng.choice(MODEL_SEEDS).read_bytes(), rng, DICTIONARY["model"])
    (tree / "models").mkdir(exist_ok=True)
    name = tree / "models" / ("fuzz" + rng.choice(MODEL_SUFFIXES))
    name.write_bytes(data)
    if rng.random() < 0.3:
        program, argv, writes = "modelcheck", ["init", "--force", str(tree)], tree / "debian" / "model-provenance.yaml"
    else:
        program, argv, writes = any_command(rng, tree, work)
    return Case("model", work, program, argv, tree, writes, base=base, input=name)


def case_model_card(rng: random.Random, work: Path) -> Case:
    base = rng.choice(TREES)
    tree = copy_tree(base, work)
    card = work / "README.md"
    card.write_bytes(mutate(CARD_SEED, rng, DICTIONARY["card"]))
    argv = ["init", "--force", "--from-model-card", str(card), str(tree)]
    return Case("model-card", work, "modelcheck", argv, tree, tree / "debian" / "model-provenance.yaml",
                base=base, input=card)


def case_sources(rng: random.Random, work: Path) -> Case:
    data = mutate(lzma.decompress(rng.choice(EXCERPTS).read_bytes()), rng, DICTIONARY["sources"])
    packer = rng.choice([lambda d: d, gzip.compress, bz2.compress, lzma.compress])
    index = work / "Sources"
    index.write_bytes(packer(data))
    argv = ["scan-archive", "--format", rng.choice(["text", "json"])]
    if rng.random() < 0.2:
        packages = work / "Packages"
        packages.write_bytes(mutate(lzma.decompress(rng.choice(PACKAGES_EXCERPTS).read_bytes()), rng, DICTIONARY["sources"]))
        argv += ["--packages", str(packages), "--"]
    stdin = None
    if rng.random() < 0.2:
        argv.append("-")
        stdin = index.read_bytes()
    else:
        argv.append(str(index))
    return Case("sources", work, "modelcheck", argv, work, None, stdin, input=index)


def case_files(rng: random.Random, work: Path) -> Case:
    """File-system tricks: links out of the tree, special files, deep or
    strange names, many files."""
    tree = copy_tree(rng.choice(TREES), work)
    outside = work / "outside"
    outside.mkdir()
    (outside / "marker.safetensors").write_bytes(b"x")
    trick = rng.randrange(10)
    if trick == 0:  # debian/ is a symbolic link out of the tree
        shutil.move(str(tree / "debian"), str(outside / "debian"))
        (tree / "debian").symlink_to(outside / "debian")
    elif trick == 1:  # a FIFO named like a model
        (tree / "models").mkdir(exist_ok=True)
        os.mkfifo(tree / "models" / "pipe.safetensors")
    elif trick == 2:  # a deep directory
        deep = tree
        for _ in range(rng.choices([50, 300, 2100], weights=[10, 8, 1])[0]):
            deep = deep / "d"
        try:
            os.makedirs(deep)
            (deep / "m.safetensors").write_bytes(rng.choice(MODEL_SEEDS).read_bytes())
        except OSError:
            pass
    elif trick == 3:  # a non-UTF-8 name
        (tree / os.fsdecode(b"m\xff\xfe.safetensors")).write_bytes(rng.choice(MODEL_SEEDS).read_bytes())
    elif trick == 4:  # a name with a newline that looks like a finding
        (tree / "x\nE: fake: forged-finding.safetensors").write_bytes(rng.choice(MODEL_SEEDS).read_bytes())
    elif trick == 5:  # a symbolic link to a model outside the tree, and a loop
        (tree / "fuzz-link.safetensors").symlink_to(outside / "marker.safetensors")
        (tree / "fuzz-loop").symlink_to(tree / "fuzz-loop")
    elif trick == 6:  # many files
        many = tree / "many"
        many.mkdir()
        for i in range(rng.choice([100, 5000])):
            (many / f"f{i}.txt").write_bytes(b"")
    elif trick == 7:  # a binary package named with ..
        control = tree / "debian" / "control"
        control.write_bytes(control.read_bytes().replace(b"Package: ", b"Package: ..", 1))
    elif trick == 8:  # the file init would write is a directory or a link out
        target = tree / "debian" / "model-provenance.yaml"
        if target.exists():
            target.unlink()
        if rng.random() < 0.5:
            target.mkdir()
        else:
            target.symlink_to(outside / "written.yaml")
    elif trick == 9:  # the weights shipped, and links where the provenance is installed
        ship_models(rng, tree, outside)
    roll = rng.random()
    if trick == 9 and roll < 0.7:
        program, argv = "dh_installmodelprovenance", rng.choice([[], ["-v"], ["--no-act"]])
    elif roll < 0.4:
        argv = ["init", "--force", str(tree)] if rng.random() < 0.5 else ["init", str(tree)]
        program = "modelcheck"
    else:
        program, argv, _ = any_command(rng, tree, work)
    writes = tree / "debian" / "model-provenance.yaml" if argv[:1] == ["init"] and trick != 0 else None
    return Case("files", work, program, argv, tree, writes, watched=[outside])


KINDS: dict[str, Callable[[random.Random, Path], Case]] = {
    "provenance": case_provenance,
    "control": case_control,
    "overrides": case_overrides,
    "copyright": case_copyright,
    "model": case_model,
    "model-card": case_model_card,
    "sources": case_sources,
    "files": case_files,
}


# --- the promise ----------------------------------------------------------


# What a debhelper command may write in debian/ besides its own output:
# debhelper's log, the substitution variables and its scratch directory,
# and the file dh_installmodelprovenance installs into a package.
DEBHELPER_WRITES = re.compile(rb"/debian/([^/]+\.debhelper\.log|[^/]+\.substvars|\.debhelper"
                              rb"|[^/]+/usr/share/doc/[^/]+/model-provenance\.yaml)$")
# The directories dh_installmodelprovenance may make on the way there: their
# own entries are left out of the digest, what they hold is not.
DEBHELPER_DIRECTORIES = re.compile(rb"/debian/[^/]+/usr(/share(/doc(/[^/]+)?)?)?$")


def tree_digest(root: Path, skip: Optional[Path], debhelper: bool = False) -> str:
    """A digest of every name, type, mode, link target and content under
    ROOT, but SKIP (and, for a debhelper command, DEBHELPER_WRITES)."""
    digest = hashlib.sha256()
    if not os.path.lexists(root):
        return "absent"
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            if skip is not None and path == os.fsencode(skip):
                continue
            if debhelper and DEBHELPER_WRITES.search(path):
                if name in dirnames:
                    dirnames.remove(name)
                continue
            if debhelper and name in dirnames and not os.path.islink(path) and DEBHELPER_DIRECTORIES.search(path):
                continue
            st = os.lstat(path)
            digest.update(path + b"\0" + str(st.st_mode).encode())
            if stat.S_ISLNK(st.st_mode):
                digest.update(os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


@dataclasses.dataclass
class Outcome:
    status: Optional[int]  # None: killed for the time limit
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_kib: int

    def problems(self, changed: list[str]) -> list[str]:
        found = []
        if self.status is None:
            found.append(f"hang: still running after {TIME_LIMIT:.0f} s")
        elif self.status < 0:
            found.append(f"killed by signal {-self.status} ({signal.Signals(-self.status).name})")
        elif self.status not in PROMISED_STATUSES:
            found.append(f"exit status {self.status}")
        if b"Traceback" in self.stderr or b"Traceback" in self.stdout:
            found.append("a traceback")
        if self.status == 2:
            # One error line, last; before it only warnings (debhelper's own,
            # which dh_modelcheck lets through as debhelper prints them) and
            # the commands a debhelper command echoes under -v (a tab first).
            lines = self.stderr.splitlines()
            errors = [line for line in lines if b": error: " in line]
            if len(errors) != 1 or lines[-1] is not errors[0] or any(
                    b": warning: " not in line and not line.startswith(b"\t") for line in lines[:-1]):
                found.append(f"exit status 2 with {len(lines)} lines on standard error, not one error line")
        found += [f"changed: {c}" for c in changed]
        return found


_PRELOADED = False


def preload() -> None:
    """Import what the commands import, once, before forking."""
    global _PRELOADED
    if _PRELOADED:
        return
    import pkgutil

    import modelcheck

    for info in pkgutil.walk_packages(modelcheck.__path__, "modelcheck."):
        if not info.name.startswith("modelcheck.__main__"):
            importlib.import_module(info.name)
    # A first run fills the caches of the data files (catalog, schema,
    # accelerator lists) that every child would otherwise read again.
    from modelcheck import cli

    for argv in (["lint", str(TREES[0])], ["scan-archive", str(EXCERPTS[0])]):
        cli.main(argv, out=io.StringIO(), err=io.StringIO())
    _PRELOADED = True


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = int(TIME_LIMIT) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _env(case: Case) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DH_") and k != "DEB_BUILD_PROFILES"}
    env.update(LC_ALL="C.UTF-8", PYTHONDONTWRITEBYTECODE="1", MODELCHECK_DEBUG="1")
    return env


def run_forked(case: Case) -> Outcome:
    """Run CASE in a child forked from this process (see the module's doc)."""
    preload()
    out_path, err_path = case.work.parent / "stdout", case.work.parent / "stderr"
    in_path = case.work.parent / "stdin"
    in_path.write_bytes(case.stdin or b"")
    out_path.write_bytes(b"")
    err_path.write_bytes(b"")
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 3
        try:
            _limit()
            sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)
            os.setsid()
            for fd, path, flags in ((0, in_path, os.O_RDONLY), (1, out_path, os.O_WRONLY),
                                    (2, err_path, os.O_WRONLY)):
                opened = os.open(path, flags, 0o600)
                os.dup2(opened, fd)
                os.close(opened)
            os.chdir(case.cwd)
            os.environ.clear()
            os.environ.update(_env(case))
            sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=False)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True)
            sys.argv = [case.program] + case.argv
            from modelcheck.options import FrontEnd

            module = {"modelcheck": "modelcheck.cli", "dh_installmodelprovenance": "modelcheck.dh_install"}.get(
                case.program, "modelcheck.dh")
            status = FrontEnd(case.program, sys.stderr, os.environ).run(
                # The streams given, not the defaults bound when the module
                # was imported (under pytest, its capture objects).
                lambda: importlib.import_module(module).main(case.argv, out=sys.stdout, err=sys.stderr))
            sys.stdout.flush()
            sys.stderr.flush()
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: B036 - the child must report, never return
            import traceback

            os.write(2, b"Traceback in the fuzz child:\n" + traceback.format_exc().encode(errors="replace"))
            status = 3
        os._exit(status if isinstance(status, int) else 3)
    status = _wait(pid, start)
    seconds = time.monotonic() - start
    return Outcome(status, out_path.read_bytes(), err_path.read_bytes(), seconds, 0)


def _wait(pid: int, start: float) -> Optional[int]:
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() - start > TIME_LIMIT:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.005)


def run_exec(case: Case) -> Outcome:
    """Run CASE through the real program, as a user would."""
    from_repo = REPO / "dh_modelcheck"
    bindir = case.work.parent / "bin"
    bindir.mkdir(exist_ok=True)
    program = bindir / case.program
    if not program.exists():
        program.symlink_to(from_repo)
    start = time.monotonic()
    try:
        proc = subprocess.run([str(program)] + case.argv, input=case.stdin or b"", capture_output=True,
                              cwd=case.cwd, env=_env(case), preexec_fn=_limit, timeout=TIME_LIMIT)
        status: Optional[int] = proc.returncode
        stdout, stderr = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        status, stdout, stderr = None, exc.stdout or b"", exc.stderr or b""
    return Outcome(status, stdout, stderr, time.monotonic() - start, 0)


def check(case: Case, runner: Callable[[Case], Outcome]) -> tuple[Outcome, list[str]]:
    watched = [case.cwd] + case.watched
    debhelper = case.program.startswith("dh_")
    before = [tree_digest(w, case.writes, debhelper) for w in watched]
    outcome = runner(case)
    after = [tree_digest(w, case.writes, debhelper) for w in watched]
    changed = [str(w.relative_to(case.work)) for w, b, a in zip(watched, before, after) if b != a]
    return outcome, outcome.problems(changed)


def case_seed(seed: int, kind: str, number: int) -> int:
    """The seed of one case: the campaign's seed, the kind and the number."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{kind}:{number}".encode()).digest()[:8], "big")


def make_case(kind: str, seed: int, number: int, work: Path) -> Case:
    rng = random.Random(case_seed(seed, kind, number))
    return KINDS[kind](rng, work)


def one(kind: str, seed: int, number: int, exec_every: int = 0) -> tuple[Case, Outcome, list[str], Path]:
    top = Path(tempfile.mkdtemp(prefix=f"modelcheck-fuzz-{kind}-"))
    work = top / "case"
    work.mkdir()
    case = make_case(kind, seed, number, work)
    runner = run_exec if exec_every and number % exec_every == 0 else run_forked
    outcome, problems = check(case, runner)
    return case, outcome, problems, top


def remove(work: Path) -> None:
    # Make every directory writable and searchable again so that a case that
    # took permissions away can still be removed.
    for dirpath, dirnames, _ in os.walk(work):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if not os.path.islink(p):
                os.chmod(p, 0o700)
    shutil.rmtree(work, ignore_errors=True)
