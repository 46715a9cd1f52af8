"""SQLite transaction handling, as SQLAlchemy documents it for the ``sqlite3`` driver.

Python's ``sqlite3`` in its legacy transaction mode (the default before Python 3.16) emits no
``BEGIN`` before a ``SELECT`` or a ``SAVEPOINT``, so savepoints escape the enclosing
transaction and reads are not isolated. SQLAlchemy's documented remedy for every Python version
("Enabling Non-Legacy SQLite Transactional Modes") is two event hooks:

- on ``connect``: ``dbapi_connection.isolation_level = None`` (the driver stops emitting
  ``BEGIN``) and the connection pragmas;
- on ``begin``: emit ``BEGIN`` ourselves.

snapplan uses a *deferred* ``BEGIN``: a unit of work that only reads takes no write lock and
never blocks writers. Pragmas, per connection: ``foreign_keys=ON``; ``journal_mode=WAL`` for
files (readers and one writer at a time, without blocking each other); and a busy timeout
(5 s unless the engine already has one, e.g. from ``connect_args={"timeout": ...}``), after
which a writer that still finds the database locked fails with ``ConflictError``.

:func:`configure_sqlite_engine` is idempotent, and also prepares connections that were already
in the engine's pool when it was called (at their next ``BEGIN``).
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.pool import ConnectionPoolEntry

#: Busy timeout in milliseconds when the connection has none of its own.
DEFAULT_BUSY_TIMEOUT_MS: Final = 5000

_PREPARED: Final = "snapplan.sqlite_prepared"


def configure_sqlite_engine(engine: sa.Engine) -> None:
    """Install snapplan's SQLite transaction handling on ``engine`` (once; safe to repeat).

    Does nothing for engines of other dialects. Not compatible with an engine whose isolation
    level is ``AUTOCOMMIT``.
    """
    if engine.dialect.name != "sqlite":
        return
    if not sa.event.contains(engine, "connect", _on_connect):
        sa.event.listen(engine, "connect", _on_connect)
    if not sa.event.contains(engine, "begin", _on_begin):
        sa.event.listen(engine, "begin", _on_begin)


def is_sqlite_configured(engine: sa.Engine) -> bool:
    """True when :func:`configure_sqlite_engine` was applied to ``engine``."""
    return sa.event.contains(engine, "begin", _on_begin)


def _on_connect(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    _prepare(dbapi_connection)
    connection_record.info[_PREPARED] = True


def _on_begin(connection: sa.Connection) -> None:
    pooled = connection.connection
    if not pooled.info.get(_PREPARED):
        # A connection pooled before configure_sqlite_engine ran: prepare it now.
        _prepare(pooled.dbapi_connection)
        pooled.info[_PREPARED] = True
    connection.exec_driver_sql("BEGIN")


def _prepare(dbapi_connection: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout")
        (busy_timeout,) = cursor.fetchone()
        if not busy_timeout:
            cursor.execute(f"PRAGMA busy_timeout = {DEFAULT_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA database_list")
        files = [row[2] for row in cursor.fetchall() if row[1] == "main"]
        if files and files[0]:  # an empty file name is an in-memory or temporary database
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.fetchall()
    finally:
        cursor.close()
