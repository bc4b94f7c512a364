#!/usr/bin/python3
"""discover() over a generated 50,000-file source tree, against `find -type f`.

The tree looks like an upstream source package: 500 directories of 100
files, mostly source and documentation (sizes log-uniform from 100 bytes to
48 KiB), 2% files with names that say nothing (data.bin, no suffix) which
discovery must read, 0.5% large files (64 KiB to 256 KiB) it must read,
and 12 models, half of them renamed.  A .git directory and debian/tmp hold
more files that both commands see in their own way (find lists them,
discovery skips them).

Two figures, medians over alternating runs with a warm page cache:
- the library call, discover(root), timed inside one process, which is how
  modelcheck runs it, against the whole `find ROOT -type f` process;
- the whole process, `python3 -c "discover(ROOT)"` (interpreter start and
  imports included), against the same.
Target: <= 3x.  The tree goes to a temporary directory under /tmp, removed
afterwards.

With --tree DIR the same figures are taken over an existing tree instead,
such as the real opencv source tree (about 9,000 files, 263 MiB) that
bench/realworld.py unpacks to /tmp/corpus/opencv.

    /usr/bin/python3 bench/discovery.py [--runs N] [--tree DIR] [--checkout DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import struct
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SOURCE_SUFFIXES = ("c", "h", "cc", "py", "rs", "go", "js", "md", "txt", "json", "html", "rst", "sh", "in")
LINE = b"    for (int i = 0; i < n; i++) total += weights[i] * inputs[i]; /* not a model */\n"
DIRECTORIES, PER_DIRECTORY = 500, 100
# Prints the library call's own time and what it found.
CHILD = """
import sys, time
from pathlib import Path
from modelcheck.discover import discover
start = time.perf_counter()
found = discover(Path(sys.argv[1]))
print(time.perf_counter() - start, len(found.models))
"""


def text(size: int) -> bytes:
    return (LINE * (size // len(LINE) + 1))[:size]


def safetensors() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [4096], "data_offsets": [0, 16384]}}).encode()
    return struct.pack("<Q", len(header)) + header + bytes(16384)


def gguf() -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + bytes(20000)


def npy() -> bytes:
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1024,), }"
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(4096)


def ordinary(rng: random.Random, directory: Path, index: int) -> None:
    roll = rng.random()
    if roll < 0.02:
        name, size = rng.choice(("data.bin", "table", "blob.dat")), int(rng.uniform(100, 8192))
    elif roll < 0.025:
        name, size = f"big.{rng.choice(SOURCE_SUFFIXES)}", int(rng.uniform(64 * 1024, 256 * 1024))
    else:
        name, size = f"f.{rng.choice(SOURCE_SUFFIXES)}", int(100 * 480 ** rng.random())
    (directory / f"{index:03d}-{name}").write_bytes(text(size))


def generate(root: Path) -> int:
    """The tree; returns the number of models planted in it."""
    rng = random.Random(42)
    for d in range(DIRECTORIES):
        directory = root / f"src/module{d // 25:02d}/part{d:03d}"
        directory.mkdir(parents=True)
        for i in range(PER_DIRECTORY):
            ordinary(rng, directory, i)
    models = {"models/a.safetensors": safetensors(), "models/b.gguf": gguf(), "models/c.npy": npy(),
              "data/weights.bin": safetensors(), "data/params": gguf(), "data/x.dat": npy()}
    for place in ("", "extra/"):
        for rel, data in models.items():
            (root / place / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / place / rel).write_bytes(data)
    for hidden in (".git/objects/00", "debian/tmp/usr/share"):
        (root / hidden).mkdir(parents=True)
        for i in range(200):
            (root / hidden / f"o{i}").write_bytes(text(2000))
    return 2 * len(models)


def timed(argv: list[str], lib: Path = REPO / "lib") -> tuple[float, str]:
    """Wall time of a command, and its output; lib is the modelcheck it imports."""
    env = dict(os.environ, PYTHONPATH=str(lib))
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True, env=env)
    return time.perf_counter() - start, done.stdout


def measure(root: Path, runs: int, lib: Path) -> tuple[int, str, list[float], list[float], list[float]]:
    """Files listed by find, models found, and the three series of times:
    discover() in process, the whole python3 process, find."""
    find = ["find", str(root), "-type", "f"]
    child = ["/usr/bin/python3", "-c", CHILD, str(root)]
    files = len(timed(find)[1].splitlines())  # also warms the page cache
    found = timed(child, lib)[1].split()[1]
    library, process, base = [], [], []
    for _ in range(runs):
        base.append(timed(find)[0])
        whole, output = timed(child, lib)
        process.append(whole)
        library.append(float(output.split()[0]))
    return files, found, library, process, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tree", type=Path, help="an existing source tree to measure instead of a generated one")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="the dh-modelcheck checkout whose discovery is measured (default: this one)")
    args = parser.parse_args()
    lib = args.checkout.resolve() / "lib"
    runs = args.runs
    if args.tree:
        if not args.tree.is_dir():
            parser.error(f"{args.tree}: not a directory (bench/realworld.py --fetch-only unpacks the corpus)")
        files, found, library, process, base = measure(args.tree, runs, lib)
        planted = f"{args.tree}:"
    else:
        with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
            root = Path(tmp) / "tree"
            planted = f"{generate(root)} models planted,"
            files, found, library, process, base = measure(root, runs, lib)
    ours, whole, theirs = (statistics.median(x) for x in (library, process, base))
    print(f"{planted} {files} files, {found} found; medians of {runs} runs")
    print(f"find -type f:                {theirs * 1000:7.1f} ms")
    print(f"discover() in process:       {ours * 1000:7.1f} ms  ratio {ours / theirs:.2f}x (target <= 3x)")
    print(f"python3 -c 'discover(ROOT)': {whole * 1000:7.1f} ms  ratio {whole / theirs:.2f}x")


if __name__ == "__main__":
    main()
