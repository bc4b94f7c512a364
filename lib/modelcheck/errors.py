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
