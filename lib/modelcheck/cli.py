"""The modelcheck command: lint | explain | scan-archive | census.  Options → run → report → status."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence, TextIO

from . import __version__
from .errors import OutputError, UsageError
from .findings import default_catalog, fails
from .options import (
    DEBUG_VARIABLE, DEFAULT_PROFILE, EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, FAIL_ON_CHOICES, FrontEnd, Parser, error_status,
)
from .report import FORMATS, SCAN_FORMATS, SCAN_WRITERS, Run, explain
from .source import load_tree

PROFILE_HELP = (
    f"judge by this policy profile (default: {DEFAULT_PROFILE}, Debian ML-Policy; osaid, the OSI Open Source AI "
    "Definition; see 'modelcheck profiles'); under another profile than the default, each model-classification "
    "finding also says whether the profile admits the model in its archive area, and why"
)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text",
        help="output format: text (lintian's), json (see OUTPUT in modelcheck(1)) or code-quality "
        "(GitLab's Code Quality report) (default: text)",
    )
    parser.add_argument(
        "--fail-on", choices=FAIL_ON_CHOICES, default="error",
        help="exit 1 when a finding reaches this severity (default: error)",
    )
    parser.add_argument(
        "--show-overrides", action="store_true",
        help="also report overridden findings: with the letter O in text, with \"overridden\": true in JSON",
    )


def build_parser() -> Parser:
    parser = Parser(prog="modelcheck", description="Check Debian source packages that ship machine-learning models.")
    parser.add_argument("--version", action="version", version=f"modelcheck {__version__}")
    parser.add_argument("--debug", action="store_true", help=f"show the traceback of an internal error (as {DEBUG_VARIABLE}=1)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    lint = commands.add_parser("lint", help="run every check of a build on an unpacked source tree")
    add_report_options(lint)
    lint.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME", help=PROFILE_HELP)
    lint.add_argument("directory", nargs="?", default=".", metavar="DIR", help="source tree (default: .)")
    lint.set_defaults(run=cmd_lint)
    add_init_parser(commands)
    explain_cmd = commands.add_parser("explain", help="explain tags")
    explain_cmd.add_argument("tags", nargs="+", metavar="TAG", help="tag names, as findings print them")
    explain_cmd.set_defaults(run=cmd_explain)
    add_scan_parser(commands)
    add_profiles_parser(commands)
    add_export_parser(commands)
    add_census_parser(commands)
    return parser


def add_init_parser(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="write a debian/model-provenance.yaml skeleton")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument(
        "--update", action="store_true",
        help="refresh Path, Sha256, Size and Format in the existing file and add new model files; keep all else",
    )
    init.add_argument(
        "--from-model-card", type=Path, metavar="FILE",
        help="pre-fill the facts a Hugging Face model card (README.md) states",
    )
    init.add_argument("directory", nargs="?", default=".", metavar="DIR", help="source tree (default: .)")
    init.set_defaults(run=cmd_init)


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    if args.update:
        return cmd_init_update(args, out)
    from .authoring import init

    path, count = init(Path(args.directory), args.force, args.from_model_card)
    out.write(f"wrote {path} declaring {count} model file(s); replace every FIXME, then run 'modelcheck lint'\n")
    return EXIT_OK


def cmd_init_update(args: argparse.Namespace, out: TextIO) -> int:
    if args.force or args.from_model_card:
        raise UsageError("--update keeps the file: it cannot be combined with --force or --from-model-card")
    from .authoring import update

    path, changes, written = update(Path(args.directory))
    out.writelines(f"{change}\n" for change in changes)
    out.write(f"updated {path}\n" if written else f"left {path} unchanged\n")
    return EXIT_OK


def add_profiles_parser(commands: argparse._SubParsersAction) -> None:
    profiles_cmd = commands.add_parser("profiles", help="list the policy profiles")
    profiles_cmd.set_defaults(run=cmd_profiles)


def cmd_profiles(args: argparse.Namespace, out: TextIO) -> int:
    from .profiles import profiles

    for name, entry in sorted(profiles().items()):
        default = " (default)" if name == DEFAULT_PROFILE else ""
        out.write(f"{name}{default}: {entry.description}\n")
        for area, qualities in entry.admits.items():
            out.write(f"  {area} admits: {', '.join(sorted(qualities))}\n")
        for (tag, case), severity in sorted(entry.severities.items(), key=str):
            out.write(f"  {tag}{'/' + case if case else ''}: {severity.label}\n")
    return EXIT_OK


EXPORT_FORMATS = ("cyclonedx", "spdx3")  # export.FORMATS, named here so the parser does not import it


def add_export_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write the model provenance as an SPDX 3 or CycloneDX document")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="spdx3 (SPDX 3.0.1) or cyclonedx (1.6)")
    export.add_argument("--output", type=Path, metavar="FILE", help="write FILE, atomically (default: standard output)")
    export.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME", help=PROFILE_HELP)
    export.add_argument("directory", nargs="?", default=".", metavar="DIR", help="source tree (default: .)")
    export.set_defaults(run=cmd_export)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from .export import export
    from .safeio import write_or_refuse

    text = export(load_tree(Path(args.directory), profile=args.profile), args.format)
    if args.output is None:
        out.write(text)
    else:
        write_or_refuse(str(args.output), args.output, text.encode("utf-8"))
    return EXIT_OK


def cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import check_tree  # not for scan-archive, which never runs the checks

    findings = check_tree(load_tree(Path(args.directory), profile=args.profile))
    out.write(FORMATS[args.format](findings, Run("lint", args.profile, args.show_overrides)))
    return EXIT_FINDINGS if fails(findings, args.fail_on) else EXIT_OK


def add_scan_parser(commands: argparse._SubParsersAction) -> None:
    scan = commands.add_parser("scan-archive", help="check the build relations of Debian Sources indices")
    scan.add_argument("--format", choices=sorted(SCAN_FORMATS), default="text", help="output format (default: text)")
    scan.add_argument(
        "--fail-on", choices=FAIL_ON_CHOICES, default="error",
        help="exit 1 when a finding reaches this severity (default: error)",
    )
    scan.add_argument(
        "--packages", nargs="+", action="extend", default=[], metavar="FILE",
        help="Packages indices of the same suite: also report main sources that need a non-main package",
    )
    scan.add_argument(
        "files", nargs="+", metavar="FILE",
        help="Sources indices: plain, gzip, bzip2, xz or zstd (recognised by content); - for standard input",
    )
    scan.set_defaults(run=cmd_scan_archive)


def cmd_scan_archive(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: only this command needs python3-apt.
    from .archive import ArchiveFinding, stream_archive
    from .progress import terminal_progress

    stdin = sys.stdin.buffer if sys.stdin is not None else None  # None: started with it closed
    # Findings are written as they are found (a million of them must not
    # be held at once); only whether one fails the run is kept.
    writer = SCAN_WRITERS[args.format](out)
    failing = False

    def emit(item: "ArchiveFinding") -> None:
        nonlocal failing
        writer.add(item)
        failing = failing or fails([item.finding], args.fail_on)

    errors, _count = stream_archive(args.files, emit, args.packages, stdin, terminal_progress(args.err))
    writer.finish()
    for error in errors:
        error_status("modelcheck", error, args.err)
    if errors:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if failing else EXIT_OK


def add_census_parser(commands: argparse._SubParsersAction) -> None:
    from .census.store import DEFAULT_DB

    census = commands.add_parser("census", help="which source packages of a suite ship model files")
    census.add_argument("--suite", required=True, help="the suite or codename, as the mirror's dists/ names it")
    census.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                        help=f"the SQLite database; a source and version already in it is not fetched again "
                        f"(default: {DEFAULT_DB})")
    census.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    census.add_argument("--only", nargs="+", action="extend", metavar="SRC", help="these source packages only")
    census.add_argument("--areas", type=_census_areas, default=["main", "contrib", "non-free"], metavar="LIST",
                        help="comma-separated archive areas (default: main,contrib,non-free)")
    census.add_argument("--mirror", metavar="URI",
                        help="the Debian mirror (default: the one of this machine's apt sources)")
    census.add_argument("--trusted", action="store_true",
                        help="the mirror's Release file is not signed (a local archive): do not ask for a signature")
    census.add_argument("--cache", type=Path, metavar="DIR",
                        help="apt's private indices and downloads (default: ~/.cache/modelcheck/census)")
    census.add_argument("--jobs", type=int, default=1, metavar="N", help="scan N packages at a time on this machine")
    census.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the per-package tasks on this Dask distributed scheduler (python3-distributed)")
    census.add_argument("--quick", action="store_true",
                        help="list model file candidates by name from the suite's Contents indices only (seconds); "
                        "no source package is fetched")
    census.add_argument("--closure", action="store_true",
                        help="also fetch the Packages indices and add each policy option's impact, with the "
                        "binary packages in main left unsatisfiable, to the JSON summary")
    census.add_argument("--html", type=Path, metavar="FILE",
                        help="also write a static HTML report with charts (implies fetching the Packages indices)")
    census.set_defaults(run=cmd_census)


def _census_areas(value: str) -> list[str]:
    from .census.command import areas

    return areas(value)


def cmd_census(args: argparse.Namespace, out: TextIO) -> int:
    from .census.command import census

    census(args, out)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    catalog = default_catalog()
    unknown = [t for t in args.tags if t not in catalog]
    if unknown:
        raise UsageError(f"unknown tag: {' '.join(unknown)}")
    out.write("N:\n".join(explain(catalog[t]) for t in args.tags))
    return EXIT_OK


def main(
    argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
    env: Optional[Mapping[str, str]] = None,
) -> int:
    front = FrontEnd("modelcheck", err, os.environ if env is None else env, out)

    def command() -> int:
        try:
            args = build_parser().parse_args(argv, argparse.Namespace(err=err))
        except OSError as exc:  # parsing does no I/O but printing --help and --version
            raise OutputError(f"standard output: {exc.strerror or exc}") from None
        front.debug = front.debug or args.debug
        return args.run(args, front.out)

    return front.run(command)
