"""Catalog text never controls the terminal: what the command line prints is escaped.

A name, a unit, a note or a reason is text someone typed into a catalog file or a host's form.
Printed as it is, a control character in it is obeyed by the terminal (``\\x1b]0;...\\x07``
sets the window title, ``\\x1b[2J`` clears the screen) and a bidirectional override (U+202E)
reverses the text after it on the line. :func:`escape` spells each such character as Python
does in ``repr`` (``\\x1b``, ``\\u202e``), and every printer of the command line uses it: the
output of every command goes through :class:`EscapedOutput` (line breaks kept), tables escape
each cell (so that their columns stay aligned), warnings and errors escape each line. JSON
output is ASCII only: ``json.dumps`` writes every control and non-ASCII character as ``\\u``.

Escaped: the C0 and C1 control characters and DEL (Unicode category Cc: tab and line breaks
too, except the line breaks the command itself writes), format characters (Cf: the
bidirectional marks, embeddings, overrides and isolates, zero-width spaces, invisible tag
characters), line and paragraph separators (Zl, Zp) and lone surrogates (Cs). Kept: the
zero-width joiner and non-joiner, which scripts and emoji need, and every printable character.

>>> escape("Sugar\\x1b]0;pwned\\x07\\x1b[2J"), escape("\\u202egnirts")
('Sugar\\\\x1b]0;pwned\\\\x07\\\\x1b[2J', '\\\\u202egnirts')
>>> escape("Crème brûlée 🍮"), escape("two\\nlines"), escape("two\\nlines", lines=True)
('Crème brûlée 🍮', 'two\\\\nlines', 'two\\nlines')
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final, Protocol, TextIO

#: The Unicode categories escaped (see the module docstring).
ESCAPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: Format characters kept: zero-width non-joiner and joiner (Persian, Indic scripts, emoji).
KEPT: Final = frozenset({"\u200c", "\u200d"})


@functools.lru_cache(maxsize=1024)
def _escaped(character: str) -> str:
    if character in KEPT or unicodedata.category(character) not in ESCAPED_CATEGORIES:
        return character
    return repr(character)[1:-1]


def escape(text: str, *, lines: bool = False) -> str:
    """``text`` safe to print: every character that could steer a terminal or reorder the line
    written as its escape (``\\x1b``, ``\\u202e``); with ``lines``, line breaks (``\\n``) kept."""
    if text.isprintable():  # the common case: nothing to escape
        return text
    if lines:
        return "\n".join(escape(line) for line in text.split("\n"))
    return "".join(_escaped(character) for character in text)


class Output(Protocol):
    """Where a command prints: a text stream (``print(..., file=out)``)."""

    def write(self, text: str, /) -> int:
        """Write ``text``; return its length."""
        ...

    def flush(self) -> None:
        """Push out what was written."""
        ...


class EscapedOutput:
    """A text stream that escapes what is written to it (:func:`escape`, line breaks kept)
    before passing it on: the output of every command."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str, /) -> int:
        """Write ``text``, escaped, to the stream; return the length of ``text``."""
        self.stream.write(escape(text, lines=True))
        return len(text)

    def flush(self) -> None:
        """Flush the stream."""
        self.stream.flush()

    def isatty(self) -> bool:
        """Whether the stream is a terminal (what only people read: bars; never in a pipe)."""
        return self.stream.isatty()

    @property
    def encoding(self) -> str | None:
        """The stream's encoding, if it says."""
        return getattr(self.stream, "encoding", None)
