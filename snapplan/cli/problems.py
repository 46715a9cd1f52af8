"""How the command line reports failures: one line on stderr and an exit status.

Exit statuses (also listed in ``snapplan --help``):

- 0: success;
- 1: an error in the input or the database: a missing or malformed file, an unknown id or
  name, an invalid amount, an unreachable database, a conflict...;
- 2: the command line itself is wrong (argparse's usage error);
- 3: ``snapplan drift --exit-code`` found drift;
- 70: an internal error (a bug in snapplan: please report it, with ``--traceback``);
- 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import tomllib
from typing import Final

from snapplan.errors import SnapplanError

EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_DRIFT: Final = 3
EXIT_INTERNAL: Final = 70
EXIT_INTERRUPTED: Final = 130

#: A message longer than this is cut (a driver error can quote a whole SQL statement).
MAX_MESSAGE: Final = 500


class CommandError(Exception):
    """A problem the command line found itself: an unknown event name, a missing database..."""


def one_line(text: str) -> str:
    """``text`` on one line: lines joined, SQLAlchemy's "Background on this error" dropped."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not line.startswith("(Background on this error")]
    joined = " ".join(kept) or "(no message)"
    return joined if len(joined) <= MAX_MESSAGE else joined[: MAX_MESSAGE - 3] + "..."


def describe(error: BaseException) -> tuple[str, int]:
    """The one-line message and the exit status for ``error``."""
    if isinstance(error, (CommandError, SnapplanError)):
        return one_line(str(error)), EXIT_ERROR
    if isinstance(error, tomllib.TOMLDecodeError):
        return one_line(f"malformed TOML: {error}"), EXIT_ERROR
    if isinstance(error, OSError):
        return _os_error(error), EXIT_ERROR
    if _is_database_error(error):
        return one_line(f"database error: {error}"), EXIT_ERROR
    return one_line(f"internal error: {type(error).__name__}: {error}"), EXIT_INTERNAL


def _os_error(error: OSError) -> str:
    if error.filename is not None and error.strerror:
        return one_line(f"{error.filename}: {error.strerror}")
    return one_line(str(error) or type(error).__name__)


def _is_database_error(error: BaseException) -> bool:
    # Errors the SQL store did not translate (it translates inside units of work only), such as
    # a bad URL or an unreachable server while the command inspects the schema.
    try:
        import sqlalchemy.exc
    except ImportError:  # pragma: no cover - the command line needs SQLAlchemy anyway
        return False
    return isinstance(error, sqlalchemy.exc.SQLAlchemyError)
