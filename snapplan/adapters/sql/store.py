"""``SqlStore``: snapplan's storage on SQLAlchemy Core, for SQLite, PostgreSQL, MariaDB and MySQL
(the engines of :mod:`snapplan.adapters.sql.dialects`)."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa

from snapplan.adapters.sql.dialects import WRITING, dialect_named
from snapplan.adapters.sql.errors import translated_errors
from snapplan.adapters.sql.schema import metadata
from snapplan.adapters.sql.unit_of_work import SqlUnitOfWork
from snapplan.adapters.sql.versions import record_current_version, require_current, stored_version
from snapplan.errors import UnitOfWorkError


class SqlStore:
    """A store on a SQLAlchemy engine (SQLite, the embedded default, PostgreSQL, MariaDB or
    MySQL).

    ``SqlStore(engine)`` uses the host's engine; :meth:`from_url` makes one (and
    :meth:`dispose` releases it). Nothing connects until a unit of work is entered. An engine
    of a dialect snapplan does not run on (Oracle, SQL Server, ...) is refused with a
    ``ValidationError`` naming it and the supported ones.

    **On SQLite, the constructor installs on the engine it is given** the transaction handling
    SQLAlchemy documents for the ``sqlite3`` driver (see
    :mod:`snapplan.adapters.sql.dialects.sqlite`): the driver's own transaction control off
    (``isolation_level = None``), an explicit ``BEGIN`` on begin, and pragmas on connect
    (foreign keys on, WAL for files, a busy timeout). Savepoints then really nest. A unit of
    work that only reads begins with a deferred ``BEGIN``: it takes no write lock and never
    blocks writers. A unit of work that will write begins with ``BEGIN IMMEDIATE``: it waits
    (up to the busy timeout, 5 s unless the engine sets one) for the one write lock, then holds
    it until it ends, instead of failing at once when it reads first and another writer holds
    the lock. The writing services tell their unit of work so themselves; a host writing in
    its own ``with uow:`` block asks for it with ``unit_of_work(writing=True)``. Installing is
    idempotent; engines of other dialects are left as they are.

    PostgreSQL runs with the engine's isolation level (READ COMMITTED by default); concurrent
    writers of one row are serialised by row locks and the optimistic version check, so the
    loser gets ``ConflictError``. MariaDB and MySQL (``mariadb+pymysql://`` or
    ``mysql+pymysql://``, the ``mysql`` extra) likewise run at the engine's level (InnoDB's
    REPEATABLE READ by default), where unique keys and row locks, checked against committed
    rows, turn the same races into ``ConflictError`` (see
    :mod:`snapplan.adapters.sql.dialects.mariadb`).

    >>> store = SqlStore.from_url("sqlite://")
    >>> store.create_schema()
    >>> with store.unit_of_work() as uow:
    ...     uow.plans.count()
    0
    >>> store.dispose()
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._dialect = dialect_named(engine.dialect.name)
        self._dialect.configure_engine(engine)
        self._engine = engine
        self._owns_engine = False
        self._disposed = False
        self._schema_checked = False

    @classmethod
    def from_url(cls, url: str | sa.URL, **engine_kwargs: Any) -> Self:
        """A store on a new engine made by ``sqlalchemy.create_engine(url, **engine_kwargs)``.

        No connection is made yet. Call :meth:`dispose` (or use the store as a context manager)
        to release the engine's connections when done.
        """
        engine = sa.create_engine(url, **engine_kwargs)
        try:
            store = cls(engine)
        except BaseException:
            engine.dispose()
            raise
        store._owns_engine = True
        return store

    @property
    def engine(self) -> sa.Engine:
        """The engine this store works on."""
        return self._engine

    def create_schema(self) -> None:
        """Create the tables and the immutability triggers that do not exist yet, and record
        the schema version (:mod:`snapplan.adapters.sql.versions`), in one transaction.

        A database written by an earlier (or a newer) snapplan is refused with
        ``SchemaVersionError`` and left as it was: :meth:`upgrade` it. For schemas managed by
        Alembic, see the how-to "Add snapplan's tables to an Alembic project" instead.
        """
        with translated_errors(self._dialect), self._engine.connect() as connection:
            connection.execution_options(**{WRITING: True})
            with connection.begin():
                self._dialect.lock_for_upgrade(connection)
                require_current(stored_version(connection), self.shown_url)
                metadata.create_all(connection)
                record_current_version(connection)
        self._schema_checked = True

    def upgrade(self) -> SchemaUpgrade:
        """Bring the database to this snapplan's schema version, all or nothing (creating the
        tables if it has none): see :func:`snapplan.adapters.sql.upgrade`."""
        from snapplan.adapters.sql.upgrading import upgrade

        return upgrade(self)

    def schema_version(self) -> int | None:
        """The schema version of the database's snapplan tables (None: it has none); this
        snapplan's is :data:`snapplan.adapters.sql.SCHEMA_VERSION`. Reads only."""
        with translated_errors(self._dialect), self._engine.connect() as connection:
            return stored_version(connection)

    def check_schema(self) -> None:
        """Raise ``SchemaVersionError`` now, at an application's start, if the database's
        tables are of another snapplan's schema version: what the store's first unit of work
        does otherwise, on a connection of its own, before its transaction begins. Once the
        version was found current, the store does not read it again."""
        self._require_current_schema(None)

    def _require_current_schema(self, connection: sa.Connection | None) -> None:
        """``SchemaVersionError`` unless the database's tables are of this snapplan's schema
        version (or not there yet); read once per store, on its first unit of work, on
        ``connection`` (a caller's) or else on a connection of its own."""
        if self._schema_checked:
            return
        with translated_errors(self._dialect):
            if connection is None:
                with self._engine.connect() as own:
                    found = stored_version(own)
            else:
                found = stored_version(connection)
        require_current(found, self.shown_url)
        self._schema_checked = found is not None

    def unit_of_work(
        self, connection: sa.Connection | None = None, *, writing: bool = False
    ) -> SqlUnitOfWork:
        """A new, not yet entered unit of work.

        ``writing=True``: its transactions will write, so they begin as writers (on SQLite,
        ``BEGIN IMMEDIATE``: wait for the write lock up to the busy timeout rather than fail
        when a read comes first; nothing changes on PostgreSQL). The writing services ask for
        this themselves (:meth:`SqlUnitOfWork.will_write`); pass it for your own
        ``with uow:`` blocks that write. A unit that only reads should not: it would wait for,
        and then block, other writers.

        With ``connection`` (a caller-owned connection from this store's engine), the unit works
        in a savepoint of the caller's transaction and never commits or rolls it back: the
        caller's commit or rollback decides, and the caller's transaction began as the caller
        began it (``writing`` changes nothing there). After :meth:`dispose`,
        ``UnitOfWorkError``.
        """
        if self._disposed:
            raise UnitOfWorkError(f"{self!r} was disposed: make a new store")
        return SqlUnitOfWork(self, connection, writing=writing)

    @property
    def disposed(self) -> bool:
        """True once :meth:`dispose` was called: the store makes no more units of work."""
        return self._disposed

    @property
    def shown_url(self) -> str:
        """The engine's URL with the password hidden (for messages and reprs)."""
        return self._engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        """End the store: no unit of work can begin or commit on it afterwards.

        The pooled connections of an engine made by :meth:`from_url` are closed; a host's engine
        passed to the constructor is left alone (the host owns it). Calling it again is harmless.
        """
        self._disposed = True
        if self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.dispose()

    def __repr__(self) -> str:
        state = ", disposed" if self._disposed else ""
        return f"<SqlStore {self.shown_url}{state}>"


if TYPE_CHECKING:
    from snapplan.adapters.sql.upgrading import SchemaUpgrade
    from snapplan.ports.unit_of_work import Store

    def _conforms_to_the_store_port(store: SqlStore) -> Store:
        # mypy checks SqlStore, SqlUnitOfWork and every repository against the ports here.
        return store
