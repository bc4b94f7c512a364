"""dh_modelcheck: the debhelper front end.

It follows debhelper's conventions: DH_OPTIONS is prepended to the command
line; options dh passes to every command arrive as -O<option> and unknown
ones are ignored, while an unknown plain option is an error; inside an
override target, dh's own options arrive in DH_INTERNAL_OPTIONS.  Package
selection (-p, -N, -a, -i, architectures, build profiles) is delegated to
dh_listpackages, which implements all of it, DH_INTERNAL_OPTIONS included.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Sequence, TextIO

from .errors import ModelcheckError, UnusableInput
from .options import DEFAULT_PROFILE, EXIT_FINDINGS, EXIT_OK, FAIL_ON_CHOICES, Parser, error_status

if TYPE_CHECKING:
    from .findings import Finding

# The checks' modules (python3-debian above all) are imported only once
# dh_listpackages runs, so that the two overlap: see run().

TOOL = "dh_modelcheck"
# Options whose meaning is package selection: handed to dh_listpackages.
SELECTION = ("packages", "no_packages", "arch", "indep", "remaining")


OwnOptions = Callable[[argparse.ArgumentParser], None]


def _own_options(parser: argparse.ArgumentParser) -> None:
    """dh_modelcheck's own options: accepted plainly and through -O.  An
    option not given is absent (SUPPRESS), so that an explicit option can
    win over one dh passed down, and that over the default."""
    parser.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=argparse.SUPPRESS)
    parser.add_argument("--profile", default=argparse.SUPPRESS)


OWN_DEFAULTS = {"fail_on": "error", "profile": DEFAULT_PROFILE}


def build_parser(prog: str = TOOL, own: OwnOptions = _own_options) -> Parser:
    """debhelper's common options, and the command's own."""
    parser = Parser(prog=prog, add_help=True)
    parser.add_argument("-p", "--package", dest="packages", action="append", default=[])
    parser.add_argument("-N", "--no-package", dest="no_packages", action="append", default=[])
    parser.add_argument("-a", "-s", "--arch", "--same-arch", dest="arch", action="store_true")
    parser.add_argument("-i", "--indep", dest="indep", action="store_true")
    parser.add_argument("--remaining-packages", dest="remaining", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--no-act", action="store_true")
    parser.add_argument("-O", dest="dh_options", action="append", default=[])
    # Accepted for debhelper compatibility; they do not affect these commands.
    parser.add_argument("-X", "--exclude", action="append", default=[])
    parser.add_argument("-P", "--tmpdir")
    parser.add_argument("--mainpackage")
    parser.add_argument("--ignore", action="append", default=[])
    parser.add_argument("-q", "--quiet", action="store_true")
    own(parser)
    return parser


def _lenient(values: Sequence[str], prog: str, own: OwnOptions) -> dict[str, object]:
    """Own options found in -O values and dh's internal options; unknown
    ones belong to other commands and are ignored."""
    parser = Parser(prog=prog, add_help=False)
    own(parser)
    parser.add_argument("-O", dest="dh_options", action="append", default=[])
    first, _ = parser.parse_known_args(list(values))
    second, _ = parser.parse_known_args(first.dh_options)
    found = {k: v for k, v in vars(first).items() if k != "dh_options"}
    found.update((k, v) for k, v in vars(second).items() if k != "dh_options")
    return found


def parse_options(
    argv: Sequence[str], env: Mapping[str, str], prog: str = TOOL,
    own: OwnOptions = _own_options, defaults: Mapping[str, object] = OWN_DEFAULTS,
) -> argparse.Namespace:
    args = build_parser(prog, own).parse_args(shlex.split(env.get("DH_OPTIONS", "")) + list(argv))
    internal = [o for o in env.get("DH_INTERNAL_OPTIONS", "").split("\x1e") if o]
    passed_down = _lenient(internal + [f"-O{o}" for o in args.dh_options], prog, own)
    for key, value in {**defaults, **passed_down}.items():
        if not hasattr(args, key):
            setattr(args, key, value)
    args.verbose = args.verbose or bool(env.get("DH_VERBOSE"))
    args.quiet = args.quiet or bool(env.get("DH_QUIET"))
    return args


def selection_argv(args: argparse.Namespace) -> list[str]:
    argv = [f"-p{p}" for p in args.packages] + [f"-N{p}" for p in args.no_packages]
    argv += ["-a"] * args.arch + ["-i"] * args.indep + ["--remaining-packages"] * args.remaining
    return argv


def start_listpackages(args: argparse.Namespace, env: Mapping[str, str]) -> subprocess.Popen:
    """Ask dh_listpackages for the binary packages to act on, as every
    debhelper command sees them; the answer is read by finish_listpackages."""
    child_env = {k: v for k, v in env.items() if k != "DH_OPTIONS"}
    try:
        return subprocess.Popen(
            ["dh_listpackages", *selection_argv(args)],
            env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
    except OSError as exc:
        raise UnusableInput(f"cannot run dh_listpackages: {exc.strerror}") from None


def finish_listpackages(process: subprocess.Popen) -> frozenset[str]:
    out, err = process.communicate()
    if process.returncode != 0:
        lines = err.strip().splitlines()
        raise UnusableInput(lines[-1] if lines else "dh_listpackages failed")
    return frozenset(out.split())


def report(findings: list[Finding], args: argparse.Namespace, err: TextIO, prog: str = TOOL) -> int:
    from .findings import Severity, fails
    from .report import text_line

    threshold = Severity.WARNING if args.quiet else Severity.CLASSIFICATION
    for finding in findings:
        if not finding.overridden and finding.severity >= threshold:
            err.write(text_line(finding) + "\n")
    if not fails(findings, args.fail_on):
        return EXIT_OK
    count = sum(1 for f in findings if not f.overridden and f.severity >= Severity.from_label(args.fail_on))
    err.write(
        f"{prog}: error: {count} finding(s) at or above severity {args.fail_on}; "
        "see 'modelcheck explain TAG', or justify an override in debian/source/modelcheck-overrides\n"
    )
    return EXIT_FINDINGS


def say_what_would_be_checked(packages: frozenset[str], args: argparse.Namespace, err: TextIO) -> frozenset[str]:
    if args.verbose:
        err.write(f"\t{TOOL}: checking the source and {', '.join(sorted(packages)) or 'no binary package'}\n")
    return packages


def run(args: argparse.Namespace, env: Mapping[str, str], err: TextIO) -> int:
    listing = start_listpackages(args, env)
    if args.no_act:
        say_what_would_be_checked(finish_listpackages(listing), args, err)
        return EXIT_OK
    try:
        from .engine import check_tree
        from .source import load_tree

        tree = load_tree(Path("."), profile=args.profile)
    except BaseException:
        listing.kill()
        listing.communicate()
        raise
    packages = say_what_would_be_checked(finish_listpackages(listing), args, err)
    return report(check_tree(tree.with_selection(packages)), args, err)


def main(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None, err: TextIO = sys.stderr) -> int:
    env = os.environ if env is None else env
    try:
        args = parse_options(sys.argv[1:] if argv is None else argv, env)
        return run(args, env, err)
    except ModelcheckError as exc:
        return error_status(TOOL, exc, err)
