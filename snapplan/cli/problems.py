"""How the command line reports failures: one line on stderr and an exit status.

Exit statuses (also listed in ``snapplan --help``):

- 0: success;
- 1: an error in the input or the database: a missing or malformed file, an unknown id or
  name, an invalid amount, an unreachable database, a conflict...;
- 2: the command line itself is wrong (argparse's usage error);
- 3: ``snapplan drift --exit-code`` found drift;
- 4: ``snapplan verify`` or ``snapplan check`` found problems (listed on stdout);
- 70: an internal error (a bug in snapplan: please report it, with ``--traceback``);
- 130: interrupted (Ctrl-C).

Nothing the command prints shows a password: :func:`hide_passwords` masks the password of any
URL in a message (``postgresql+psycopg://user:***@host/db``) and every password the command line
was given (:func:`passwords_in` finds them in the arguments and ``SNAPPLAN_DB``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Final
from urllib.parse import unquote, unquote_plus

from snapplan.errors import SnapplanError

EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_DRIFT: Final = 3
EXIT_PROBLEMS: Final = 4
EXIT_INTERNAL: Final = 70
EXIT_INTERRUPTED: Final = 130

#: A message longer than this is cut (a driver error can quote a whole SQL statement).
MAX_MESSAGE: Final = 500


#: What a password is replaced with (SQLAlchemy's own mask).
MASK: Final = "***"

# scheme://user:PASSWORD@host: the password runs to the "@" before the host, so that an
# unencoded "@" in it (a common slip) is hidden too.
_URL_PASSWORD: Final = re.compile(
    r"(?P<head>[\w+.-]+://[^:/@\s]*:)(?P<password>\S*?)@(?=[^@/?#\s]*(?:[/?#\s]|$))"
)
# The same, as SQLAlchemy reads it: the password runs to the first "@".
_FIRST_AT_PASSWORD: Final = re.compile(r"[\w+.-]+://[^:/@\s]*:(?P<password>[^@\s]*)@")
# ?password=... or &password=... in a URL's query (libpq takes a password there too).
_QUERY_PASSWORD: Final = re.compile(r"(?P<head>[?&]password=)(?P<password>[^&\s]*)", re.IGNORECASE)


class CommandError(Exception):
    """A problem the command line found itself: an unknown event name, a missing database..."""


def one_line(text: str) -> str:
    """``text`` on one line: lines joined, SQLAlchemy's "Background on this error" dropped."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not line.startswith("(Background on this error")]
    joined = " ".join(kept) or "(no message)"
    return joined if len(joined) <= MAX_MESSAGE else joined[: MAX_MESSAGE - 3] + "..."


def passwords_in(texts: Iterable[str]) -> frozenset[str]:
    """Every password that the URLs in ``texts`` hold, as written and percent-decoded."""
    found: set[str] = set()
    for text in texts:
        for pattern in (_URL_PASSWORD, _FIRST_AT_PASSWORD, _QUERY_PASSWORD):
            for match in pattern.finditer(text):
                password = match["password"]
                found.update((password, unquote(password), unquote_plus(password)))
    return frozenset(secret for secret in found if secret and secret != MASK)


def hide_passwords(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each of ``secrets`` and the password of any URL in it replaced by ***.

    A secret is replaced where it stands as a whole word (a password "test" hides the word
    "test", not the start of "testing"), longest first.
    """
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret and secret != MASK:
            before = r"(?<![^\W_])" if secret[0].isalnum() else ""
            after = r"(?![^\W_])" if secret[-1].isalnum() else ""
            text = re.sub(before + re.escape(secret) + after, lambda _: MASK, text)
    text = _URL_PASSWORD.sub(lambda match: f"{match['head']}{MASK}@", text)
    return _QUERY_PASSWORD.sub(lambda match: f"{match['head']}{MASK}", text)


def describe(error: BaseException) -> tuple[str, int]:
    """The one-line message and the exit status for ``error``."""
    if isinstance(error, (CommandError, SnapplanError)):
        return one_line(str(error)), EXIT_ERROR
    if _is_toml_error(error):
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


def _is_toml_error(error: BaseException) -> bool:
    # Looked up, not imported, as below: only a command that read a catalog file has loaded
    # tomllib, and `snapplan -V` and `--help` stay quick without it.
    toml = sys.modules.get("tomllib")
    decode_error = getattr(toml, "TOMLDecodeError", None)
    return isinstance(decode_error, type) and isinstance(error, decode_error)


def _is_database_error(error: BaseException) -> bool:
    # Errors the SQL store did not translate (it translates inside units of work only), such as
    # a bad URL or an unreachable server while the command inspects the schema. Looked up, not
    # imported: a usage error is reported without loading SQLAlchemy, and an error can only be
    # SQLAlchemy's once SQLAlchemy is loaded.
    exceptions = sys.modules.get("sqlalchemy.exc")
    base = getattr(exceptions, "SQLAlchemyError", None)
    return isinstance(base, type) and isinstance(error, base)
