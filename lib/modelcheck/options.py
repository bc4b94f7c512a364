"""What the front ends share that must stay light to import: the argument
parser class, --fail-on choices, exit statuses (decided here only) and the
one-line reporting of whatever stops a command."""

from __future__ import annotations

import argparse
import os
from typing import Callable, Iterable, Mapping, NoReturn, Optional, TextIO

import modelcheck
from .errors import DataError, ModelcheckError, OutputError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

# The policy profile used unless one is asked for; defined at the package
# root, as the checks need it too.
DEFAULT_PROFILE = modelcheck.DEFAULT_PROFILE


# --fail-on thresholds: severity names, and "never".
FAIL_ON_CHOICES = ("error", "warning", "info", "never")

# Set to a non-empty value, it makes an internal error show its traceback.
DEBUG_VARIABLE = "MODELCHECK_DEBUG"


def _say(err: TextIO, line: str) -> None:
    # The message must not become a second failure when stderr is gone.
    try:
        err.write(line + "\n")
        err.flush()
    except (OSError, ValueError):
        pass


def error_status(prog: str, exc: ModelcheckError, err: TextIO) -> int:
    """The one-line message and status for an error that stops a front end.
    Broken own data files are a packaging bug: an internal error."""
    # A message may quote input (a Package value that spans lines, a file
    # name): escaped like every text line, it stays one line.
    from .report import printable

    if isinstance(exc, DataError):
        _say(err, f"{prog}: error: internal error: {printable(str(exc))}")
        return EXIT_INTERNAL
    _say(err, f"{prog}: error: {printable(str(exc))}")
    return EXIT_UNUSABLE


def one_line(exc: BaseException) -> str:
    """The exception's type and message, whatever newlines the message holds."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class Output:
    """Standard output as every command writes it.  Whatever keeps it from
    being written (closed when the command started, a full device, a pipe
    whose reader has gone) becomes one OutputError, which the front end
    reports as one line with status 2, never a traceback."""

    def __init__(self, stream: Optional[TextIO]) -> None:
        self.stream = stream  # None: Python started with descriptor 1 closed

    def _do(self, action: Callable[[TextIO], object]) -> None:
        if self.stream is None:
            raise OutputError("standard output: closed")
        try:
            action(self.stream)
        except (OSError, ValueError) as exc:  # ValueError: a closed file object
            reason = getattr(exc, "strerror", None) or ("closed" if isinstance(exc, ValueError) else str(exc))
            raise OutputError(f"standard output: {reason}") from None

    def write(self, text: str) -> int:
        self._do(lambda stream: stream.write(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._do(lambda stream: stream.flush())

    def silence(self) -> None:
        """After a failure: point the descriptor at /dev/null, so that what
        is still buffered does not fail again when Python exits."""
        try:
            if self.stream is not None:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, self.stream.fileno())
                os.close(null)
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (a test's StringIO): nothing is flushed at exit


class FrontEnd:
    """Runs a command's body and turns what stops it into an exit status:
    ModelcheckError is the user's problem (one line, status 2), anything else
    a bug (one line naming it, status 3; the traceback too when debugging).
    The body writes to self.out, which is flushed before the status is
    returned, so that an output failure is reported here too."""

    def __init__(self, prog: str, err: TextIO, env: Mapping[str, str], out: Optional[TextIO] = None) -> None:
        self.prog = prog
        self.err = err
        self.debug = bool(env.get(DEBUG_VARIABLE))
        self.out = Output(out)
        self._flush = out is not None

    def run(self, body: Callable[[], int]) -> int:
        try:
            status = body()
            if self._flush:
                self.out.flush()
            return status
        except OutputError as exc:
            self.out.silence()
            return error_status(self.prog, exc, self.err)
        except SystemExit:  # argparse's --help and --version: what they wrote must get out too
            if self._flush:
                try:
                    self.out.flush()
                except OutputError as exc:
                    self.out.silence()
                    return error_status(self.prog, exc, self.err)
            raise
        except ModelcheckError as exc:
            if isinstance(exc, DataError):
                self._traceback(exc)
            return error_status(self.prog, exc, self.err)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except Exception as exc:  # the crash contract: anything unexpected
            self._traceback(exc)
            _say(self.err, f"{self.prog}: error: internal error: {one_line(exc)}")
            return EXIT_INTERNAL

    def _traceback(self, exc: BaseException) -> None:
        if self.debug:
            import traceback  # only when asked for: every command imports this module

            try:
                traceback.print_exception(exc, file=self.err)
            except (OSError, ValueError):
                pass


class Parser(argparse.ArgumentParser):
    """argparse without abbreviations that raises instead of exiting."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
