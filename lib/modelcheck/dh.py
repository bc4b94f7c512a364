"""dh_modelcheck: the debhelper front end.

Its command line means what it means to debhelper's own commands because
debhelper itself parses it: dh_getopt.pl hands it to
Debian::Debhelper::Dh_Lib, which reads DH_OPTIONS and DH_INTERNAL_OPTIONS,
applies -O values however deeply dh nests them (dh passes its
``-O--fail-on=warning`` on as ``-O-O--fail-on=warning``) and ignores the
unknown ones, rejects unknown plain options, selects the packages (-p, -N,
-a, -i, --remaining-packages, architectures, build profiles), checks -P and
honours DH_VERBOSE, DH_QUIET and DH_NO_ACT.  This module validates the values
of its own options and does the work.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Sequence, TextIO

from .errors import UnusableInput, UsageError
from .options import DEFAULT_PROFILE, EXIT_FINDINGS, EXIT_OK, FAIL_ON_CHOICES, FrontEnd

if TYPE_CHECKING:
    from .findings import Finding

TOOL = "dh_modelcheck"
PERL = "/usr/bin/perl"
RESOLVER = Path(__file__).with_name("dh_getopt.pl")

# A command's own options: Getopt::Long specification -> default.  Each is
# accepted plainly and through -O, and becomes an attribute of the parsed
# options ("fail-on=s" -> fail_on).
OwnOptions = Mapping[str, object]
DEBUG_OPTION: OwnOptions = {"debug": False}
# What dh_installmodelprovenance, which has no such options, judges by too.
OWN_DEFAULTS = {"fail_on": "error", "profile": DEFAULT_PROFILE}
OWN_OPTIONS: OwnOptions = {
    "fail-on=s": OWN_DEFAULTS["fail_on"], "profile=s": OWN_DEFAULTS["profile"],
    "json-output=s": "", "json-output-format=s": "", **DEBUG_OPTION,
}
# What each own option means, as the usage line and dh_modelcheck(1) say
# (docs/build_man.py renders the man page's list from here): name ->
# (metavar, help).
OPTION_HELP = {
    "fail-on": ("SEVERITY", f"fail when a finding that is not overridden reaches this severity: "
                f"{', '.join(FAIL_ON_CHOICES)} (default: error)"),
    "profile": ("NAME", f"the policy profile that decides which model classes each archive area admits, and "
                f"some severities; see 'modelcheck profiles' (default: {DEFAULT_PROFILE})"),
    "json-output": ("FILE", "also write the findings to FILE, atomically, for CI to keep as an artifact; "
                    "relative to the source tree (default: $MODELCHECK_JSON_OUTPUT, or no file)"),
    "json-output-format": ("FORMAT", "what --json-output writes: json (as modelcheck lint --format json) or "
                           "code-quality (GitLab's Code Quality report) "
                           "(default: $MODELCHECK_JSON_OUTPUT_FORMAT, or json)"),
    "debug": ("", "on an internal error, print the Python traceback before the one-line message"),
}
# Where the findings are also written, for CI to keep, when the option is
# not given (an empty value writes nothing), and in which format.
JSON_OUTPUT_VARIABLE = "MODELCHECK_JSON_OUTPUT"
JSON_OUTPUT_FORMAT_VARIABLE = "MODELCHECK_JSON_OUTPUT_FORMAT"


def start_resolving(tool: str, own: OwnOptions, argv: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen:
    """Ask debhelper what the command line means; the answer is read by
    finish_resolving, so that the caller can import meanwhile."""
    try:
        return subprocess.Popen(
            [PERL, str(RESOLVER), tool, *own, "--", *argv],
            # debhelper quotes debian/control in its warnings, whatever its
            # bytes: undecodable ones are replaced, not a crash.
            # Bytes, decoded in finish_resolving: text mode would turn a
            # carriage return of debian/control into a line break.
            env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise UnusableInput(f"cannot run {PERL}: {exc.strerror}") from None


_MESSAGE_START = re.compile(r"[\w.+-]+: ")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def finish_resolving(process: subprocess.Popen, own: OwnOptions, err: TextIO) -> Optional[argparse.Namespace]:
    """The parsed options, or None when debhelper finds no package to act
    on (it has said why on standard error)."""
    out_bytes, warning_bytes = process.communicate()
    out, warnings = out_bytes.decode("utf-8", "replace"), warning_bytes.decode("utf-8", "replace")
    # debhelper quotes debian/control in its messages: a carriage return or
    # another control character there would break or overwrite the line.
    # A line of debhelper's that does not start with a program's name
    # continues the one before (a quoted line of debian/control that
    # debhelper split): joined, each message stays one line.
    warnings = _CONTROL_CHARACTERS.sub(lambda m: repr(m.group())[1:-1], warnings)
    joined: list[str] = []
    for line in warnings.splitlines():
        if joined and not _MESSAGE_START.match(line):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    err.write("".join(line + "\n" for line in joined))
    records = [record.partition("=") for record in out.split("\0")[:-1]]
    if not records:
        if process.returncode == 0:
            return None
        lines = warnings.strip().splitlines()
        raise UnusableInput(f"debhelper cannot parse the options: {lines[-1] if lines else 'no answer'}")
    answer = {name: value for name, _, value in records}
    if "error" in answer:
        raise UsageError(answer["error"])
    if "help" in answer:
        return argparse.Namespace(help=True, debug=False)
    args = argparse.Namespace(
        packages=tuple(value for name, _, value in records if name == "package"),
        verbose=answer["verbose"] == "1", quiet=answer["quiet"] == "1", no_act=answer["no_act"] == "1",
        write_log=answer["write_log"] == "1", tmpdir=answer.get("tmpdir"), help=False,
    )
    for spec, default in own.items():
        name = spec.split("=")[0]
        given = answer.get(f"own:{name}")
        value = default if given is None else type(default)(given)
        setattr(args, name.replace("-", "_"), value)
    return args


def resolve(
    tool: str, own: OwnOptions, argv: Sequence[str], env: Mapping[str, str], err: TextIO,
    meanwhile: Callable[[], object] = lambda: None,
) -> Optional[argparse.Namespace]:
    """The options as debhelper reads them; meanwhile runs while it does."""
    process = start_resolving(tool, own, argv, env)
    try:
        meanwhile()
    except BaseException:
        process.kill()
        process.communicate()
        raise
    return finish_resolving(process, own, err)


def write_log(tool: str, args: argparse.Namespace) -> None:
    """Record a successful run in debian/PACKAGE.debhelper.log, as Dh_Lib
    does for a command run by hand inside an override target, so that dh
    and --remaining-packages know it has run."""
    if not args.write_log or args.no_act:
        return
    for package in args.packages:
        path = Path("debian") / f"{package}.debhelper.log"
        try:
            with open(path, "a", encoding="utf-8") as log:
                log.write(tool + "\n")
        except OSError as exc:
            raise UnusableInput(f"cannot write {path}: {exc.strerror}") from None


def usage(tool: str, own: OwnOptions, out: TextIO) -> int:
    def word(spec: str) -> str:
        name = spec.split("=")[0]
        return f"[--{name}{' ' + OPTION_HELP[name][0] if '=' in spec else ''}]"

    options = " ".join(word(spec) for spec in own)
    out.write(f"Usage: {tool} [debhelper options] {options}\nSee {tool}(1).\n")
    return EXIT_OK


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


def check_values(args: argparse.Namespace, env: Mapping[str, str]) -> None:
    """debhelper accepts any string for an option with a value; which ones
    mean something is the command's business.  The file output falls back
    on the environment."""
    from .report import FILE_FORMATS

    if args.fail_on not in FAIL_ON_CHOICES:
        raise UsageError(f"--fail-on={args.fail_on}: choose one of {', '.join(FAIL_ON_CHOICES)}")
    args.json_output = args.json_output or env.get(JSON_OUTPUT_VARIABLE, "")
    args.json_output_format = args.json_output_format or env.get(JSON_OUTPUT_FORMAT_VARIABLE) or "json"
    if args.json_output_format not in FILE_FORMATS:
        raise UsageError(
            f"--json-output-format={args.json_output_format}: choose one of {', '.join(FILE_FORMATS)}"
        )


def write_output(findings: list[Finding], args: argparse.Namespace) -> None:
    """The findings as `modelcheck lint --format FORMAT` prints them, in
    the file CI keeps; written whole or not at all."""
    if not args.json_output:
        return
    from .report import FORMATS, Run
    from .safeio import write_or_refuse

    text = FORMATS[args.json_output_format](findings, Run(TOOL, args.profile))
    write_or_refuse(args.json_output, Path(args.json_output), text.encode("utf-8"))


def _import_checks() -> object:
    # The checks' modules (python3-debian above all) load while debhelper
    # parses the options.
    from .engine import check_tree
    from .source import load_tree

    return check_tree, load_tree


def check(args: argparse.Namespace, env: Mapping[str, str], err: TextIO) -> int:
    check_values(args, env)
    if args.verbose:
        err.write(f"\t{TOOL}: checking the source and {', '.join(args.packages) or 'no binary package'}\n")
    if args.no_act:
        return EXIT_OK
    from .engine import check_tree
    from .source import load_tree

    findings = check_tree(load_tree(Path("."), frozenset(args.packages), profile=args.profile))
    write_output(findings, args)
    return report(findings, args, err)


Body = Callable[[argparse.Namespace, Mapping[str, str], TextIO], int]


def debhelper_main(
    tool: str, own: OwnOptions, body: Body, argv: Optional[Sequence[str]], env: Optional[Mapping[str, str]],
    err: TextIO, out: TextIO, meanwhile: Callable[[], object] = lambda: None,
) -> int:
    """A debhelper command: options as debhelper reads them, then the body;
    its log written on success; one line and a status for what stops it."""
    env = os.environ if env is None else env
    front = FrontEnd(tool, err, env, out)

    def command() -> int:
        args = resolve(tool, own, sys.argv[1:] if argv is None else argv, env, err, meanwhile)
        if args is None:
            return EXIT_OK
        front.debug = front.debug or args.debug
        if args.help:
            return usage(tool, own, front.out)
        status = body(args, env, err)
        if status == EXIT_OK:
            write_log(tool, args)
        return status

    return front.run(command)


def main(
    argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None,
    err: TextIO = sys.stderr, out: TextIO = sys.stdout,
) -> int:
    return debhelper_main(TOOL, OWN_OPTIONS, check, argv, env, err, out, meanwhile=_import_checks)
