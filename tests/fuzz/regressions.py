"""Regression cases: every input the fuzzer ever broke the promise with.

A case is a directory regressions/KIND/NAME/ with ``input`` (the mutated
file, as the fuzzer wrote it), optionally ``files/`` (more files it needs,
copied over the fixture tree first) and ``case.json``: the fixture tree it was put
in, where, the command, and what the command must now do: its exit status
and a text its output must contain (a finding's tag or the one-line
error)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Optional

import driver

HERE = Path(__file__).resolve().parent / "regressions"


def _template(arg: str, case: driver.Case) -> str:
    return arg.replace(str(case.cwd), "{tree}").replace(str(case.work), "{work}")


def save(case: driver.Case, outcome: driver.Outcome, problems: list[str], name: str) -> Optional[Path]:
    """Keep CASE as a regression case, if it can be (its input is one file)."""
    if case.input is None:
        return None
    target = HERE / case.kind / name
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case.input, target / "input")
    for arg in case.argv:  # other files the command reads (a Packages index)
        other = Path(arg)
        if other.is_absolute() and other != case.input and other.is_file() and other.is_relative_to(case.cwd):
            (target / "files").mkdir(exist_ok=True)
            shutil.copyfile(other, target / "files" / other.relative_to(case.cwd))
    description = {
        "program": case.program,
        "argv": [_template(a, case) for a in case.argv],
        "tree": str(case.base.relative_to(driver.REPO)) if case.base else None,
        "input": _template(str(case.input), case),
        "stdin": case.stdin is not None,
        "writes": _template(str(case.writes), case) if case.writes else None,
        "found": problems,
        # Filled in by hand once fixed: the status and a text of the output.
        "status": None,
        "expect": None,
    }
    (target / "case.json").write_text(json.dumps(description, indent=1) + "\n", encoding="utf-8")
    return target


def load(directory: Path, work: Path) -> driver.Case:
    """The case kept in DIRECTORY, set up afresh under WORK."""
    description = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    tree = work / "src"
    if description["tree"]:
        shutil.copytree(driver.REPO / description["tree"], tree, symlinks=True)
    else:
        tree = work

    def fill(arg: str) -> str:
        return arg.replace("{tree}", str(tree)).replace("{work}", str(work))

    if (directory / "files").is_dir():  # other files the input needs beside it
        shutil.copytree(directory / "files", tree, symlinks=True, dirs_exist_ok=True)
    data = (directory / "input").read_bytes()
    target = Path(fill(description["input"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    writes = Path(fill(description["writes"])) if description["writes"] else None
    return driver.Case(directory.parent.name, work, description["program"], [fill(a) for a in description["argv"]],
                       tree if description["tree"] else work, writes, data if description["stdin"] else None,
                       base=None, input=target)


def all_cases() -> list[Path]:
    return sorted(p for p in HERE.glob("*/*") if (p / "case.json").is_file())
