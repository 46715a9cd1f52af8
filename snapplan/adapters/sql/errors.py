"""Database errors translated into :mod:`snapplan.errors`, at the unit-of-work boundary.

- A duplicate id (a unique or primary key violation) is a ``ConflictError``.
- Lost races are ``ConflictError`` too: PostgreSQL serialization failures, deadlocks and lock
  timeouts; SQLite's "database is locked" (``SQLITE_BUSY`` once the busy timeout has passed, or
  a stale read snapshot that cannot be upgraded to a write).
- Anything else from SQLAlchemy or the driver is a ``PersistenceError`` chained
  (``raise ... from``) to the original exception.

snapplan's own errors pass through untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import sqlalchemy as sa

from snapplan.adapters.sql.triggers import DUPLICATE_MARK
from snapplan.errors import ConflictError, PersistenceError, SnapplanError

# PostgreSQL SQLSTATEs of a lost race.
_PG_UNIQUE_VIOLATION: Final = "23505"
_PG_CONFLICTS: Final = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
    }
)
# SQLite primary result codes (the low byte of an extended code).
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_CONSTRAINT_PRIMARYKEY: Final = 1555
_SQLITE_CONSTRAINT_UNIQUE: Final = 2067


def translate(error: Exception) -> SnapplanError:
    """The snapplan error for a SQLAlchemy/driver error (to be raised ``from error``)."""
    if isinstance(error, SnapplanError):
        return error
    if isinstance(error, sa.exc.DBAPIError) and not error.connection_invalidated:
        driver_error = error.orig
        if _is_duplicate(driver_error):
            return ConflictError(f"duplicate id: {_first_line(driver_error)}")
        if _is_lost_race(driver_error):
            return ConflictError(f"concurrent write: {_first_line(driver_error)}")
    return PersistenceError(f"the database failed: {type(error).__name__}: {_first_line(error)}")


@contextmanager
def translated_errors() -> Iterator[None]:
    """Raise database errors inside the block as snapplan errors (see :func:`translate`)."""
    try:
        yield
    except SnapplanError:
        raise
    except sa.exc.SQLAlchemyError as error:
        raise translate(error) from error


def _is_duplicate(driver_error: BaseException | None) -> bool:
    if DUPLICATE_MARK in str(driver_error):  # the append-only tables' insert trigger (SQLite)
        return True
    sqlstate = getattr(driver_error, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == _PG_UNIQUE_VIOLATION)
    code = getattr(driver_error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code in (_SQLITE_CONSTRAINT_PRIMARYKEY, _SQLITE_CONSTRAINT_UNIQUE)
    return "UNIQUE constraint failed" in str(driver_error)


def _is_lost_race(driver_error: BaseException | None) -> bool:
    sqlstate = getattr(driver_error, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _PG_CONFLICTS
    code = getattr(driver_error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    message = str(driver_error)
    return "database is locked" in message or "database table is locked" in message


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
