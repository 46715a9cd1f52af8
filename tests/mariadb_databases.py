"""The one place tests create, empty and drop MariaDB (or MySQL) databases.

MariaDB stores live in one database per test session, :class:`SharedDatabase`: snapplan's tables
and triggers are created in it once (``SqlStore.create_schema()``), and it is emptied before each
new store by one probe (which tables hold rows, or have used their ``AUTO_INCREMENT``) and a
``DELETE`` of those only (a ``TRUNCATE`` for the append-only tables, whose triggers refuse
``DELETE``; ``TRUNCATE`` fires no trigger on MariaDB), which costs about a millisecond a table
where creating the tables and their triggers again costs a quarter of a second (in production,
privileges keep ``TRUNCATE`` from the application: see the how-to "MariaDB or MySQL"). The
stores share one engine (:meth:`SharedDatabase.store`), whose pooled connections live as long
as the session: a new engine would connect again and run SQLAlchemy's first-connect queries, 20
ms a store, more than the rest of a small test. A test that must create snapplan's tables
itself takes a :func:`fresh_database` of its own instead.

The server is named by ``SNAPPLAN_TEST_MARIADB_URL`` (``mariadb+pymysql://root@127.0.0.1:3306/test``
on this project's machines; its database is only where the admin connection starts); without
it every MariaDB test is skipped with :data:`NO_MARIADB` as its reason (``.ci/run`` fails when
it sees that reason).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import pytest
import sqlalchemy as sa

MARIADB_URL = os.environ.get("SNAPPLAN_TEST_MARIADB_URL")
NO_MARIADB = "SNAPPLAN_TEST_MARIADB_URL is not set; MariaDB tests need a server URL"

#: How long emptying the shared database waits for a table's metadata lock (seconds).
LOCK_TIMEOUT: Final = 30

_NO_SUCH_TABLE: Final = 1146


def mariadb_url() -> str:
    """The test server's URL; skips the calling test when none is configured."""
    if not MARIADB_URL:
        pytest.skip(NO_MARIADB)
    return MARIADB_URL


def database_name(prefix: str) -> str:
    """A new database name: a random suffix keeps parallel sessions (pytest-xdist) apart."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def url_of(database: str) -> str:
    """The test server's URL for ``database``."""
    url = sa.make_url(mariadb_url()).set(database=database)
    return url.render_as_string(hide_password=False)


def _admin_engine(database: str | None = None) -> sa.Engine:
    url = sa.make_url(mariadb_url())
    if database is not None:
        url = url.set(database=database)
    # Its own connections: a metadata lock wait fails loudly instead of waiting for a day.
    return sa.create_engine(url, connect_args={"init_command": _LOCK_TIMEOUT_SQL})


_LOCK_TIMEOUT_SQL: Final = f"SET SESSION lock_wait_timeout = {LOCK_TIMEOUT}"


@contextmanager
def fresh_database(prefix: str = "snapplan_test") -> Iterator[str]:
    """A new, empty database on the test server, dropped (with all it holds) on exit."""
    admin = _admin_engine()
    name = database_name(prefix)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE `{name}`")
        try:
            yield name
        finally:
            with admin.begin() as conn:
                _end_sessions_in(conn, name)
                conn.exec_driver_sql(f"DROP DATABASE `{name}`")
    finally:
        admin.dispose()


def _end_sessions_in(
    conn: sa.Connection, database: str, keep: frozenset[int] = frozenset()
) -> None:
    """End the connections (of a test's forgotten engine, or a unit left open) working in
    ``database``, but those of ``keep``."""
    ids = conn.execute(
        sa.text(
            "SELECT ID FROM information_schema.PROCESSLIST "
            "WHERE DB = :name AND ID <> CONNECTION_ID()"
        ),
        {"name": database},
    ).scalars()
    for session in set(ids) - keep:
        with contextlib.suppress(sa.exc.OperationalError):  # it ended by itself in between
            conn.exec_driver_sql(f"KILL CONNECTION {int(session)}")


class SharedDatabase:
    """One database for a whole test session, holding snapplan's tables and triggers.

    Only one store at a time should use it: the caller disposes the previous stores before
    calling :meth:`empty`, which ends whatever connection a failed test left open there (all but
    the shared engine's idle ones).
    """

    def __init__(self) -> None:
        self.name = database_name("snapplan_test")
        self.url = url_of(self.name)
        self._server = _admin_engine()
        self._admin: sa.Engine | None = None
        self._engine: sa.Engine | None = None
        #: Server ids of the shared engine's connections now in its pool.
        self._idle: set[int] = set()
        self._probe: str | None = None

    def store(self) -> Any:
        """A store on the shared engine (its ``dispose()`` leaves the engine to the session)."""
        from snapplan.adapters.sql import SqlStore

        if self._engine is None:
            self._engine = sa.create_engine(self.url)
            idle = self._idle

            def checked_in(dbapi_connection: Any, record: Any) -> None:
                if dbapi_connection is not None:
                    idle.add(dbapi_connection.thread_id())

            def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
                idle.discard(dbapi_connection.thread_id())

            sa.event.listen(self._engine, "checkin", checked_in)
            sa.event.listen(self._engine, "checkout", checked_out)
        return SqlStore(self._engine)

    def create(self) -> None:
        """Create the database, then snapplan's tables and triggers in it."""
        with self._server.begin() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE `{self.name}`")
        self._admin = _admin_engine(self.name)
        self._create_tables()

    def drop(self) -> None:
        """Drop the database with everything in it."""
        try:
            for engine in (self._engine, self._admin):
                if engine is not None:
                    engine.dispose()
            with self._server.begin() as conn:
                _end_sessions_in(conn, self.name)
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{self.name}`")
        finally:
            self._server.dispose()

    def empty(self) -> None:
        """Make the database hold exactly what a freshly created one holds: no rows, and every
        ``AUTO_INCREMENT`` starting again at 1.

        One statement finds the tables that need it (rows, or an ``AUTO_INCREMENT`` that moved,
        even by a rolled-back insert); each is truncated. A snapplan table that a test dropped
        (to provoke a database error) is created again first, with its triggers.
        """
        try:
            self._truncate()
        except sa.exc.ProgrammingError as error:
            if _error_number(error) != _NO_SUCH_TABLE:
                raise
            self._create_tables()
            self._truncate()

    def _create_tables(self) -> None:
        from snapplan.adapters.sql import SqlStore

        with SqlStore.from_url(self.url) as store:
            store.create_schema()

    def _dirty_tables_probe(self) -> str:
        from snapplan.adapters.sql import metadata

        if self._probe is None:
            probes = [
                f"SELECT '{name}' FROM DUAL WHERE EXISTS (SELECT 1 FROM {name})"
                for name in metadata.tables
            ]
            tables = metadata.sorted_tables
            counters = [t.name for t in tables if t.autoincrement_column is not None]
            if counters:
                listed = ", ".join(f"'{name}'" for name in counters)
                probes.append(
                    "SELECT TABLE_NAME FROM information_schema.TABLES "
                    f"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({listed}) "
                    "AND AUTO_INCREMENT > 1"
                )
            self._probe = " UNION ".join(probes)
        return self._probe

    def _truncate(self) -> None:
        from snapplan.adapters.sql import IMMUTABLE_TABLES

        assert self._admin is not None, "create() the shared database first"
        # None has an AUTO_INCREMENT but snapplan_plans, which is append-only: a TRUNCATE
        # starts it again at 1.
        append_only = {table.name for table in IMMUTABLE_TABLES}
        with self._admin.connect() as conn:
            _end_sessions_in(conn, self.name, keep=frozenset(self._idle))
            dirty = list(conn.exec_driver_sql(self._dirty_tables_probe()).scalars())
            for table in dirty:
                # The append-only tables refuse DELETE (a trigger): TRUNCATE fires none. The
                # others lose their few rows faster by a DELETE (a TRUNCATE makes new files).
                emptying = "TRUNCATE TABLE" if table in append_only else "DELETE FROM"
                try:
                    conn.exec_driver_sql(f"{emptying} {table}")
                except sa.exc.OperationalError as error:
                    error.add_note(
                        f"emptying the shared test database {self.name} waited {LOCK_TIMEOUT} s "
                        "for a metadata lock: a connection that is not a store's still holds one"
                    )
                    raise
            conn.commit()


def _error_number(error: sa.exc.DBAPIError) -> int | None:
    args = getattr(error.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None
