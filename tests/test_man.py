"""The man pages, built as debian/rules builds them (docs/build_man.py, then
rst2man), list exactly the options the commands' parsers take."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from modelcheck import cli, dh

DOCS = REPO / "docs"
sys.path.insert(0, str(DOCS))
import build_man  # noqa: E402

# The debhelper options every command takes that the debhelper pages
# document by hand.
DEBHELPER_LONG = {"--remaining-packages", "--verbose", "--no-act", "--tmpdir"}
LONG = re.compile(r"\\-\\-[a-z](?:[a-z]|\\-)*")


def built(page: str, tmp_path: Path) -> str:
    """The roff source of docs/PAGE.rst, as the package build makes it."""
    rst = tmp_path / f"{page}.rst"
    subprocess.run(["/usr/bin/python3", str(DOCS / "build_man.py"), str(DOCS / f"{page}.rst"), str(rst)], check=True)
    roff = tmp_path / page
    subprocess.run(["rst2man", "--halt=warning", str(rst), str(roff)], check=True)
    return roff.read_text(encoding="utf-8")


def sections(roff: str) -> dict[str, str]:
    """Each .SH and .SS section's text by its title."""
    parts = re.split(r"^\.S[HS] (.*)$", roff, flags=re.M)
    return {title.strip('"').replace("\\-", "-"): text for title, text in zip(parts[1::2], parts[2::2])}


def listed(text: str) -> set[str]:
    """The long options of a section's list items (the line after .TP)."""
    terms = re.findall(r"^\.TP\n(.*)$", text, flags=re.M)
    return {option.replace("\\-", "-") for term in terms for option in LONG.findall(term)}


def parser_options(parser) -> set[str]:
    return {o for a in build_man._actions(parser) for o in a.option_strings if o.startswith("--")}


@pytest.fixture(scope="module")
def modelcheck_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return sections(built("modelcheck.1", tmp_path_factory.mktemp("man")))


def test_modelcheck_options_are_the_parsers(modelcheck_page: dict[str, str]) -> None:
    parser = cli.build_parser()
    commands = build_man.commands(parser)
    assert listed(modelcheck_page["Before the command"]) == parser_options(parser)
    for name, command in commands.items():
        assert listed(modelcheck_page[name]) == parser_options(command), name
    assert {name for name in modelcheck_page if name in commands} == set(commands)


def test_modelcheck_synopsis_names_every_command(modelcheck_page: dict[str, str]) -> None:
    synopsis = modelcheck_page["SYNOPSIS"].replace("\\-", "-")
    for name, command in build_man.commands(cli.build_parser()).items():
        assert f"modelcheck {name}" in synopsis
        assert parser_options(command) <= set(re.findall(r"--[a-z][a-z-]*", synopsis)), name


@pytest.mark.parametrize("page, own, debhelper", [
    ("dh_modelcheck.1", dh.OWN_OPTIONS, DEBHELPER_LONG | {"--mainpackage"}),
    ("dh_installmodelprovenance.1", dh.DEBUG_OPTION, DEBHELPER_LONG),
])
def test_debhelper_command_options_are_its_own_and_debhelpers(page: str, own, debhelper, tmp_path: Path) -> None:
    options = {"--" + spec.split("=")[0] for spec in own}
    assert listed(sections(built(page, tmp_path))["OPTIONS"]) == options | debhelper


def test_help_texts_need_no_escaping_to_survive(tmp_path: Path) -> None:
    """What reST would read as markup in a help text is rendered literally."""
    rst = "x\n=\n\n**--x**\n  " + build_man.escape("a *star* and `tick` and a_b_ |c| \\") + "\n"
    (tmp_path / "x.rst").write_text(rst, encoding="utf-8")
    out = subprocess.run(["rst2man", "--halt=warning", str(tmp_path / "x.rst")], check=True,
                         capture_output=True, text=True).stdout
    assert "a *star* and \\(gatick\\(ga and a_b_ |c| \\e" in out
