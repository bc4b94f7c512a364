"""Typed errors.  Library code raises these; only the front ends turn them
into a one-line message and an exit status."""

from typing import Optional


class ModelcheckError(Exception):
    """Base class of every error the front ends report as one line."""


class UsageError(ModelcheckError):
    """The command line is wrong."""


class UnusableInput(ModelcheckError):
    """The input (a source tree, a control file, an index) cannot be checked."""


class OutputError(ModelcheckError):
    """Standard output cannot be written: closed, full, or a broken pipe."""


class DataError(ModelcheckError):
    """dh-modelcheck's own data files are broken: a packaging bug."""


class CannotRead(UnusableInput):
    """The one error for a file that cannot be opened or read.  ``reason``
    is one line without the file's name; the message names the file when a
    label is given."""

    def __init__(self, reason: str, label: Optional[str] = None) -> None:
        super().__init__(f"{label}: {reason}" if label else reason)
        self.reason = reason

    def named(self, label: str) -> "CannotRead":
        return CannotRead(self.reason, label)


def reason_of(exc: OSError) -> str:
    """Why an OSError kept a file from being read, in words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {exc.strerror or exc}"


def unreadable(label: str, exc: OSError) -> CannotRead:
    return CannotRead(reason_of(exc), label)
