"""scan-archive's status line on a terminal, for inputs large enough to
wait for: a front end's concern, which the scan only reports to."""

from __future__ import annotations

from typing import Optional, TextIO

from .archive import ProgressDisplay, ProgressFor
from .indices import Index

LARGE = 4 * 1024 * 1024  # input bytes from which a terminal shows progress


def terminal_progress(err: TextIO) -> ProgressFor:
    def progress_for(index: Index) -> Optional[ProgressDisplay]:
        if not err.isatty() or index.size < LARGE:
            return None

        def update(offset: int, stanzas: int) -> None:
            share = 100 * offset // max(index.size, 1)
            err.write(f"\rmodelcheck: {index.label}: {stanzas} stanzas, {share}%")
            err.flush()

        def done() -> None:
            err.write("\r\033[K")
            err.flush()

        return ProgressDisplay(update, done)

    return progress_for
