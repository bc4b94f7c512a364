"""Wildcard patterns matched in linear time.

Override contexts ('*') and debian/copyright Files globs ('*', '?' and the
escapes '\\*', '\\?', '\\\\') come from the packages checked.  Translated to
regular expressions ('.*a.*a.*b'), a crafted pattern backtracks for minutes
on a crafted name; matched here, a pattern is cut at its stars into pieces of
fixed length, the first piece must start the text, the last end it, and each
piece between is taken at its leftmost place after the previous one (with
stars alone between pieces, leftmost is never worse), so the time is at most
the text's length times the pattern's.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

ANY_ONE = None  # '?' in a piece


class InvalidPattern(ValueError):
    """A backslash that escapes nothing DEP-5 allows (or ends the pattern)."""


Piece = tuple[Optional[str], ...]  # characters, ANY_ONE for '?'


class Wildcard(NamedTuple):
    pieces: tuple[Piece, ...]  # the parts between stars; one piece: no star

    def matches(self, text: str) -> bool:
        if len(self.pieces) == 1:
            return len(text) == len(self.pieces[0]) and _piece_at(self.pieces[0], text, 0)
        first, *middle, last = self.pieces
        if len(first) + len(last) > len(text):
            return False
        if not _piece_at(first, text, 0) or not _piece_at(last, text, len(text) - len(last)):
            return False
        position, end = len(first), len(text) - len(last)
        for piece in middle:
            found = _find(piece, text, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True


def _piece_at(piece: Piece, text: str, at: int) -> bool:
    return all(c is ANY_ONE or text[at + i] == c for i, c in enumerate(piece))


def _find(piece: Piece, text: str, start: int, end: int) -> int:
    """The leftmost place of PIECE in TEXT[START:END], or -1."""
    if ANY_ONE not in piece:
        return text.find("".join(piece), start, end)  # type: ignore[arg-type]
    for at in range(start, end - len(piece) + 1):
        if _piece_at(piece, text, at):
            return at
    return -1


def compile_wildcard(pattern: str, any_one: bool = False, escapes: bool = False) -> Wildcard:
    """PATTERN's pieces: '*' always a wildcard; '?' one too when ANY_ONE;
    with ESCAPES, '\\' makes the next '*', '?' or '\\' a plain character
    (DEP-5), and escaping anything else is an InvalidPattern."""
    pieces: list[Piece] = []
    current: list[Optional[str]] = []
    characters = iter(pattern)
    for c in characters:
        if c == "*":
            pieces.append(tuple(current))
            current = []
        elif c == "?" and any_one:
            current.append(ANY_ONE)
        elif c == "\\" and escapes:
            escaped = next(characters, None)
            if escaped not in ("*", "?", "\\"):
                raise InvalidPattern("a backslash ends the pattern" if escaped is None
                                     else f"a backslash escapes {escaped!r}")
            current.append(escaped)
        else:
            current.append(c)
    pieces.append(tuple(current))
    return Wildcard(tuple(pieces))
