#!/usr/bin/python3
"""The unsafe-load scan of a 1 GiB PyTorch archive against hashing it.

The scan reads the zip's directory and its pickle members only, never the
tensor data; hashing (lib/modelcheck/hashing.py) reads every byte.  The
archive is written by torch.save from a state dict of one 1 GiB tensor and
a few small ones, to a temporary directory under /tmp removed afterwards.
Both run in this process, alternately, the page cache warmed first; the
figure is the ratio of the medians (target: <= 0.05).

    /usr/bin/python3 bench/unsafe_load.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from modelcheck.discover import examine  # noqa: E402
from modelcheck.hashing import sha256_file  # noqa: E402
from modelcheck.pickles.places import scan  # noqa: E402

GIB = 1024 ** 3


def make(path: Path) -> None:
    import torch

    state = {f"layer{i}.bias": torch.full((16,), float(i)) for i in range(100)}
    state["embedding.weight"] = torch.ones(GIB // 4 // 1024, 1024)
    torch.save(state, path)


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        path = Path(tmp) / "model.pt"
        make(path)
        sha256_file(path)  # warm the page cache
        found, _size = examine(str(path), path.name, scan)
        assert [f.member for f in found] == ["model/data.pkl"] and not found[0].walked.problems, found
        scans, hashes = [], []
        for _ in range(args.runs):
            scans.append(timed(lambda: examine(str(path), path.name, scan)))
            hashes.append(timed(lambda: sha256_file(path)))
        size = path.stat().st_size
    scan_s, hash_s = statistics.median(scans), statistics.median(hashes)
    print(f"archive: {size / GIB:.2f} GiB, {len(found)} pickle member read")
    print(f"scan:    {scan_s * 1000:.1f} ms (median of {args.runs})")
    print(f"hash:    {hash_s * 1000:.1f} ms (median of {args.runs})")
    print(f"ratio:   {scan_s / hash_s:.4f} (target <= 0.05)")


if __name__ == "__main__":
    main()
