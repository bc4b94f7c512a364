#!/usr/bin/python3
"""Render a man page's reST source with its option lists taken from the
commands' own option parsers, so that the page cannot drift from them:

    docs/build_man.py SOURCE.rst OUTPUT.rst

then rst2man OUTPUT.rst (debian/rules does both).  A comment line of the
source is replaced:

``.. generated: synopsis modelcheck``
    one SYNOPSIS line per modelcheck command;
``.. generated: options modelcheck [COMMAND]``
    the options and arguments of modelcheck (before the command) or of
    one of its commands, from its argparse parser, with their help;
``.. generated: options dh_modelcheck`` (or ``dh_installmodelprovenance``)
    the command's own options, as it hands them to debhelper's parser.

Unprocessed, the markers are reST comments: rst2man ignores them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterator, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))

from modelcheck import cli, dh  # noqa: E402

MARKER = ".. generated: "


def escape(text: str) -> str:
    """Help text as literal reST: inline markup characters lose their meaning."""
    for char in "\\*`|_":
        text = text.replace(char, "\\" + char)
    return text


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    # argparse has no public way to list a parser's arguments.
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in _actions(parser):
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _value(action: argparse.Action) -> str:
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "\\|\\ ".join(f"*{c}*" for c in action.choices)
    metavar = action.metavar or action.dest.upper()
    return f"*{metavar}*" + ("..." if action.nargs in ("+", "*") else "")


def term(action: argparse.Action) -> str:
    """'**--format** *text*\\|\\ *json*', '**--force**' or '*DIR*'."""
    if not action.option_strings:
        return _value(action)
    names = ", ".join(f"**{o}**" for o in action.option_strings)
    return names if action.nargs == 0 else f"{names} {_value(action)}"


def options(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in _actions(parser):
        if isinstance(action, argparse._SubParsersAction):
            continue
        yield term(action)
        yield f"  {escape(action.help or '')}"
        yield ""


def synopsis(prog: str, parser: argparse.ArgumentParser) -> Iterator[str]:
    for name, command in commands(parser).items():
        words = [f"**{prog} {name}**"]
        for action in _actions(command):
            if action.option_strings and action.option_strings[0] == "--version":
                continue
            word = term(action)
            if action.option_strings:
                word = word if action.required else f"[{word}]"
            elif action.nargs == "?":
                word = f"[{word}]"
            words.append(word)
        yield " ".join(words)
        yield ""


def debhelper_options(own: dh.OwnOptions) -> Iterator[str]:
    for spec in own:
        name, _, kind = spec.partition("=")
        metavar, text = dh.OPTION_HELP[name]
        yield f"**--{name}** *{metavar}*" if kind else f"**--{name}**"
        yield f"  {escape(text)}"
        yield ""


DEBHELPER_COMMANDS = {"dh_modelcheck": dh.OWN_OPTIONS, "dh_installmodelprovenance": dh.DEBUG_OPTION}


def render_marker(words: Sequence[str]) -> list[str]:
    parser = cli.build_parser()
    if words[0] == "synopsis" and words[1:] == ["modelcheck"]:
        return list(synopsis("modelcheck", parser))
    if words[0] == "options" and words[1] == "modelcheck":
        return list(options(commands(parser)[words[2]] if len(words) > 2 else parser))
    if words[0] == "options" and words[1] in DEBHELPER_COMMANDS:
        return list(debhelper_options(DEBHELPER_COMMANDS[words[1]]))
    raise SystemExit(f"build_man: unknown marker: {' '.join(words)}")


def render(text: str) -> str:
    lines: list[str] = []
    for line in text.splitlines():
        lines += render_marker(line[len(MARKER):].split()) if line.startswith(MARKER) else [line]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    source, output = argv
    Path(output).write_text(render(Path(source).read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
