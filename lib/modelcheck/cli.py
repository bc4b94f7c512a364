"""The modelcheck command: lint | explain.  Options → run → report → status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from . import __version__
from .engine import check_tree
from .errors import ModelcheckError, UsageError
from .findings import default_catalog, fails
from .options import EXIT_FINDINGS, EXIT_OK, FAIL_ON_CHOICES, Parser, error_status
from .report import FORMATS, explain
from .source import load_tree

def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on", choices=FAIL_ON_CHOICES, default="error",
        help="exit 1 when a finding reaches this severity (default: error)",
    )
    parser.add_argument("--show-overrides", action="store_true", help="also report overridden findings")


def build_parser() -> Parser:
    parser = Parser(prog="modelcheck", description="Check Debian source packages that ship machine-learning models.")
    parser.add_argument("--version", action="version", version=f"modelcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    lint = commands.add_parser("lint", help="run every check of a build on an unpacked source tree")
    add_report_options(lint)
    lint.add_argument("directory", nargs="?", default=".", metavar="DIR", help="source tree (default: .)")
    lint.set_defaults(run=cmd_lint)
    add_init_parser(commands)
    explain_cmd = commands.add_parser("explain", help="explain tags")
    explain_cmd.add_argument("tags", nargs="+", metavar="TAG")
    explain_cmd.set_defaults(run=cmd_explain)
    return parser


def add_init_parser(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="write a debian/model-provenance.yaml skeleton")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument("directory", nargs="?", default=".", metavar="DIR", help="source tree (default: .)")
    init.set_defaults(run=cmd_init)


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from .authoring import init

    path, count = init(Path(args.directory), args.force)
    out.write(f"wrote {path} declaring {count} model file(s); replace every FIXME, then run 'modelcheck lint'\n")
    return EXIT_OK


def cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    findings = check_tree(load_tree(Path(args.directory)))
    out.write(FORMATS[args.format](findings, args.show_overrides))
    return EXIT_FINDINGS if fails(findings, args.fail_on) else EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    catalog = default_catalog()
    unknown = [t for t in args.tags if t not in catalog]
    if unknown:
        raise UsageError(f"unknown tag: {' '.join(unknown)}")
    out.write("N:\n".join(explain(catalog[t]) for t in args.tags))
    return EXIT_OK


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args, out)
    except ModelcheckError as exc:
        return error_status("modelcheck", exc, err)
    except KeyboardInterrupt:
        return 130
