"""Database errors translated into :mod:`snapplan.errors`, at the unit-of-work boundary.

- A duplicate id (a unique or primary key violation) is a ``ConflictError``.
- Lost races are ``ConflictError`` too: a concurrent transaction got there first, or the
  database stayed busy (PostgreSQL serialization failures, deadlocks and lock timeouts;
  SQLite's "database is locked" once the busy timeout has passed).
- Anything else from SQLAlchemy or the driver is a ``PersistenceError`` chained
  (``raise ... from``) to the original exception.

Which driver error is which is the engine's to say (its
:class:`~snapplan.adapters.sql.dialects.Dialect`). snapplan's own errors pass through untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from snapplan.adapters.sql.dialects import Dialect
from snapplan.errors import ConflictError, PersistenceError, SnapplanError


def translate(error: Exception, dialect: Dialect) -> SnapplanError:
    """The snapplan error for a SQLAlchemy/driver error of ``dialect``'s engine (to be raised
    ``from error``)."""
    if isinstance(error, SnapplanError):
        return error
    if isinstance(error, sa.exc.DBAPIError) and not error.connection_invalidated:
        driver_error = error.orig
        if dialect.is_duplicate(driver_error):
            return ConflictError(f"duplicate id: {_first_line(driver_error)}")
        if dialect.is_lost_race(driver_error):
            return ConflictError(f"concurrent write: {_first_line(driver_error)}")
    return PersistenceError(f"the database failed: {type(error).__name__}: {_first_line(error)}")


@contextmanager
def translated_errors(dialect: Dialect) -> Iterator[None]:
    """Raise database errors inside the block as snapplan errors (see :func:`translate`)."""
    try:
        yield
    except SnapplanError:
        raise
    except sa.exc.SQLAlchemyError as error:
        raise translate(error, dialect) from error


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
