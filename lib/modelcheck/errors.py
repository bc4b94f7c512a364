"""Typed errors.  Library code raises these; only the front ends turn them
into a one-line message and an exit status."""


class ModelcheckError(Exception):
    """Base class of every error the front ends report as one line."""


class UsageError(ModelcheckError):
    """The command line is wrong."""


class UnusableInput(ModelcheckError):
    """The input (a source tree, a control file, an index) cannot be checked."""


class DataError(ModelcheckError):
    """dh-modelcheck's own data files are broken: a packaging bug."""


def unreadable(label: str, exc: OSError) -> UnusableInput:
    """The one-line reason a file cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return UnusableInput(f"{label}: no such file")
    if isinstance(exc, IsADirectoryError):
        return UnusableInput(f"{label}: is a directory")
    return UnusableInput(f"{label}: cannot read: {exc.strerror}")
