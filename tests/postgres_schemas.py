"""The one place tests create, empty and drop PostgreSQL schemas.

PostgreSQL stores live in one schema per test session, :class:`SharedSchema`: snapplan's tables
and triggers are created in it once (``SqlStore.create_schema()``), and it is emptied before each
new store by deleting its rows, which costs a fraction of creating and dropping a schema with
its tables and triggers (or of a ``TRUNCATE``). The append-only tables refuse ``DELETE`` (and
``TRUNCATE``) by their triggers, so the emptying transaction first sets
``session_replication_role = replica`` (``SET LOCAL``: for that transaction only), under which
ordinary triggers (and foreign-key checks) do not fire; that takes a superuser, as the test
server's ``postgres`` role is. The stores share one engine (:meth:`SharedSchema.store`), whose
pooled connections live as long as the session. A test that must create
snapplan's tables itself (``create_schema``, ``metadata``, ``immutability_ddl`` on an empty
schema) takes a :func:`fresh_schema` of its own instead.

The server is named by ``SNAPPLAN_TEST_POSTGRES_URL``; without it every PostgreSQL test is
skipped with :data:`NO_POSTGRES` as its reason (``.ci/run`` fails when it sees that reason).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("SNAPPLAN_TEST_POSTGRES_URL")
NO_POSTGRES = "SNAPPLAN_TEST_POSTGRES_URL is not set; PostgreSQL tests need a server URL"

#: How long emptying the shared schema waits for a table lock before it fails, saying why.
LOCK_TIMEOUT: Final = "30s"


def postgres_url() -> str:
    """The test server's URL; skips the calling test when none is configured."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    return POSTGRES_URL


def schema_name(prefix: str) -> str:
    """A new schema name: a random suffix keeps parallel sessions (pytest-xdist) apart."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@contextmanager
def fresh_schema(prefix: str = "snapplan_test") -> Iterator[str]:
    """A new, empty schema on the test server, dropped (with all it holds) on exit."""
    admin = sa.create_engine(postgres_url())
    schema = schema_name(prefix)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield schema
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def search_path(schema: str, options: str = "") -> dict[str, str]:
    """``connect_args`` that make every connection work in ``schema``."""
    return {"options": f"-csearch_path={schema} {options}".strip()}


class SharedSchema:
    """One schema for a whole test session, holding snapplan's tables and triggers.

    Stores on it connect with :meth:`connect_args`, which also name the session
    (``application_name``) so that :meth:`empty` can end whatever connection a failed test left
    open before it truncates, instead of waiting for its locks. Only one store at a time should
    use the schema: the caller disposes the previous stores' engines before calling
    :meth:`empty`.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = schema_name("snapplan_test")
        self._engine: sa.Engine | None = None
        #: Server process ids of the shared engine's connections now in its pool.
        self._idle: set[int] = set()
        # Its own connections: a lock wait fails loudly, and a TRUNCATE need not wait for its
        # commit record to reach the disk (nothing in a test depends on surviving a crash).
        self._admin = sa.create_engine(
            url,
            connect_args={
                **search_path(self.name, f"-clock_timeout={LOCK_TIMEOUT} -csynchronous_commit=off"),
                "application_name": f"{self.name}-admin",
            },
        )

    def connect_args(self, options: str = "") -> dict[str, str]:
        """``connect_args`` for a store working in this schema (``options``: more ``-c``)."""
        return {**search_path(self.name, options), "application_name": self.name}

    def store(self) -> Any:
        """A store on the session's shared engine (its ``dispose()`` leaves the engine to the
        session): a new engine would connect again, run SQLAlchemy's first-connect queries and
        compile every statement again, 30 ms and more a store, as much as a small test."""
        from snapplan.adapters.sql import SqlStore

        if self._engine is None:
            self._engine = sa.create_engine(self.url, connect_args=self.connect_args())
            idle = self._idle

            def checked_in(dbapi_connection: Any, record: Any) -> None:
                if dbapi_connection is not None:
                    idle.add(dbapi_connection.info.backend_pid)

            def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
                idle.discard(dbapi_connection.info.backend_pid)

            sa.event.listen(self._engine, "checkin", checked_in)
            sa.event.listen(self._engine, "checkout", checked_out)
        return SqlStore(self._engine)

    def create(self) -> None:
        """Create the schema, then snapplan's tables and triggers in it."""
        with self._admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        self._create_tables()

    def drop(self) -> None:
        """Drop the schema with everything in it."""
        try:
            if self._engine is not None:
                self._engine.dispose()
            with self._admin.begin() as conn:
                self._end_other_sessions(conn, keep=frozenset())
                conn.execute(sa.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        finally:
            self._admin.dispose()

    def empty(self) -> None:
        """Make the schema hold exactly what a freshly created one holds: no rows, and every
        identity starting again at 1.

        ``DELETE`` from the snapplan tables that need it (with the append-only tables' triggers
        quiet, see the module docstring), and their identity set back to 1: those holding rows,
        and those whose identity was used (even by a rolled-back insert: sequences do not roll
        back). A test's few rows are deleted in a fraction of what a ``TRUNCATE`` costs (it
        gives each table new files and rebuilds its indexes: 35 ms a test). A snapplan table
        that a test dropped (to provoke a database error) is created again first, with its
        triggers.
        """
        from psycopg.errors import UndefinedTable

        try:
            self._delete_rows()
        except sa.exc.ProgrammingError as error:
            if not isinstance(error.orig, UndefinedTable):
                raise
            self._create_tables()
            self._delete_rows()

    def _create_tables(self) -> None:
        from snapplan.adapters.sql import SqlStore

        with SqlStore.from_url(self.url, connect_args=self.connect_args()) as store:
            store.create_schema()

    def _end_other_sessions(self, conn: sa.Connection, keep: frozenset[int] | None = None) -> None:
        """End the schema's connections (a test's forgotten engine, a unit left open) but the
        admin's own and ``keep`` (by default the shared engine's idle ones)."""
        kept = sorted(self._idle if keep is None else keep)
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid() "
                "AND NOT (pid = ANY(:kept))"
            ),
            {"name": self.name, "kept": kept},
        )

    def _delete_rows(self) -> None:
        from snapplan.adapters.sql import metadata

        with self._admin.begin() as conn:
            self._end_other_sessions(conn)
            quote = conn.dialect.identifier_preparer.quote
            probes = []
            for table in metadata.sorted_tables:
                dirty = f"EXISTS (SELECT FROM {quote(table.name)})"
                if table.autoincrement_column is not None:
                    sequence = (
                        f"pg_get_serial_sequence('{quote(table.name)}', "
                        f"'{table.autoincrement_column.name}')"
                    )
                    dirty += f" OR pg_sequence_last_value({sequence}) IS NOT NULL"
                probes.append(f"SELECT '{table.name}' WHERE {dirty}")
            dirty_tables = list(conn.exec_driver_sql(" UNION ALL ".join(probes)).scalars())
            if not dirty_tables:
                return
            # The append-only tables' triggers (and the foreign keys' checks) stay quiet in this
            # transaction only.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            emptying = [f"DELETE FROM {quote(name)}" for name in dirty_tables]
            for name in dirty_tables:
                column = metadata.tables[name].autoincrement_column
                if column is not None:
                    emptying.append(
                        f"SELECT setval(pg_get_serial_sequence('{quote(name)}', "
                        f"'{column.name}'), 1, false)"
                    )
            try:
                conn.exec_driver_sql("; ".join(emptying))
            except sa.exc.OperationalError as error:
                error.add_note(
                    f"emptying the shared test schema {self.name} waited {LOCK_TIMEOUT} for a "
                    "lock: a connection that is not a store's (the test's own engine?) still "
                    "holds one"
                )
                raise
