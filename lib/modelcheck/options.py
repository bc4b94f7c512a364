"""What the front ends share that must stay light to import: the argument
parser class, --fail-on choices and exit statuses (decided here only)."""

from __future__ import annotations

import argparse
from typing import NoReturn

from typing import TextIO

from .errors import DataError, ModelcheckError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2

# The policy profile used unless one is asked for (data/profiles.desc).
DEFAULT_PROFILE = "ml-policy"

# --fail-on thresholds: severity names, and "never".
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


def error_status(prog: str, exc: ModelcheckError, err: TextIO) -> int:
    """The one-line message for an error that stops a front end."""
    kind = "internal error: " if isinstance(exc, DataError) else ""
    err.write(f"{prog}: error: {kind}{exc}\n")
    return EXIT_UNUSABLE


class Parser(argparse.ArgumentParser):
    """argparse without abbreviations that raises instead of exiting."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
