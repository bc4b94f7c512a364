#!/usr/bin/python3
"""Build the real pocketsphinx source with the addon and no provenance: it must fail.

pocketsphinx ships the US English acoustic and language models and the
test models in main (20 model files, bench/realworld/pocketsphinx.truth).
Without debian/model-provenance.yaml a build with the addon must stop at
dh_modelcheck with exactly these error findings:

- missing-model-provenance, once;
- undeclared-model-file for each path the truth labels `model`;

and no other error finding.  The script fetches the pinned source through
bench/realworld.py (same cache), copies the tree to a temporary directory,
adds `--with modelcheck` to the dh line of debian/rules and runs
`dpkg-buildpackage -us -uc -b -d` with this checkout's commands (a PATH
directory of symbolic links named dh_modelcheck, dh_installmodelprovenance
and modelcheck to the checkout's dh_modelcheck, and PERL5LIB=lib, as the
test suite's checkout builds do).  -d: pocketsphinx's build-dependencies
need not be installed, since dh_modelcheck runs before dh_auto_configure.

It needs the network the first time (31 MiB), so it is a benchmark-side
check, not part of the hermetic test suite.

    /usr/bin/python3 bench/pocketsphinx_build.py [--cache DIR] [--checkout DIR] [--keep]

Exit status: 0 when the build fails as described, 1 when it does not
(the log's findings and the differences are printed), 2 on an error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import realworld

PACKAGE = "pocketsphinx"
COMMANDS = ("dh_modelcheck", "dh_installmodelprovenance", "modelcheck")
FINDING = re.compile(r"^(?P<severity>[EWIPCO]): \S+( source)?: (?P<tag>\S+)(?: (?P<path>\S+))?")
DH_LINE = re.compile(r"^(\tdh \$@)(.*)$", re.MULTILINE)


def add_addon(rules: Path) -> None:
    """`dh $@` becomes `dh $@ --with modelcheck` in the catch-all rule."""
    text = rules.read_text(encoding="utf-8")
    changed, count = DH_LINE.subn(r"\1 --with modelcheck\2", text)
    if count != 1:
        raise realworld.Fail(f"{rules}: expected one '\\tdh $@' line, found {count}")
    rules.write_text(changed, encoding="utf-8")


def checkout_env(bin_dir: Path, checkout: Path) -> dict[str, str]:
    """The checkout's commands first on PATH, its Perl sequence on PERL5LIB."""
    for command in COMMANDS:
        (bin_dir / command).symlink_to(checkout / "dh_modelcheck")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DH_") and k != "DEB_BUILD_PROFILES"}
    env.update(PATH=f"{bin_dir}:{os.environ['PATH']}", PERL5LIB=str(checkout / "lib"), LC_ALL="C.UTF-8",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def expected_errors(models: list[str]) -> set[tuple[str, str]]:
    """(tag, path) of every error finding the build must give.  The path of
    missing-model-provenance is the provenance file it asks for."""
    return {("missing-model-provenance", "debian/model-provenance.yaml")} | {
        ("undeclared-model-file", path) for path in models
    }


def errors_in(log: str) -> set[tuple[str, str]]:
    return {(m["tag"], m["path"] or "") for m in map(FINDING.match, log.splitlines()) if m and m["severity"] == "E"}


def last_dh_command(log: str) -> str:
    """The last command dh announced (dh prints each one indented)."""
    announced = [line.split()[0] for line in log.splitlines() if line.startswith("   dh_")]
    return announced[-1] if announced else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=realworld.DEFAULT_CACHE,
                        help=f"the corpus cache of bench/realworld.py (default {realworld.DEFAULT_CACHE})")
    parser.add_argument("--checkout", type=Path, default=realworld.REPO,
                        help="the dh-modelcheck checkout whose commands build it (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the build directory and print its path")
    args = parser.parse_args(argv)
    checkout = args.checkout.resolve()
    if not (checkout / "dh_modelcheck").is_file():
        parser.error(f"{args.checkout}: not a dh-modelcheck checkout")
    work = Path(tempfile.mkdtemp(prefix="modelcheck-pocketsphinx-"))
    try:
        source = realworld.fetch(args.cache.resolve(), {PACKAGE: realworld.PINS[PACKAGE]})[PACKAGE]
        truth = realworld.read_truth(realworld.TRUTH_DIR / f"{PACKAGE}.truth")
        tree = work / PACKAGE
        shutil.copytree(source, tree, symlinks=True)
        add_addon(tree / "debian" / "rules")
        (work / "bin").mkdir()
        build = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b", "-d"], cwd=tree,
                               env=checkout_env(work / "bin", checkout), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, check=False)
    except (realworld.Fail, OSError) as exc:
        print(f"pocketsphinx_build: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"build directory: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    models = sorted(path for path, label in truth.items() if label.label == "model")
    expected, got = expected_errors(models), errors_in(build.stdout)
    stopped_at = last_dh_command(build.stdout)
    print(f"dpkg-buildpackage exit status {build.returncode}, last dh command {stopped_at or '(none)'}; "
          f"{len(got)} error finding(s), {len(expected)} expected ({len(models)} model files)")
    for tag, path in sorted(expected - got):
        print(f"missing: {tag} {path}")
    for tag, path in sorted(got - expected):
        print(f"unexpected: {tag} {path}")
    if build.returncode != 0 and stopped_at == "dh_modelcheck" and got == expected:
        print("as required: the build fails at dh_modelcheck on the undeclared models")
        return 0
    print("\n" + "\n".join(build.stdout.splitlines()[-40:]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
