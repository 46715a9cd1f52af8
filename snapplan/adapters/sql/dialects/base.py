"""What one database engine must tell the SQL store: the :class:`Dialect` interface.

Everything the SQL store does differently on one engine is a method here, answered by that
engine's module (``dialects/sqlite.py``, ``dialects/postgresql.py``); nothing else in
:mod:`snapplan.adapters.sql` asks which engine it runs on. What SQLAlchemy already spells per
dialect in the table definitions themselves (``with_variant`` column types, ``<dialect>_where``
index options) stays in :mod:`snapplan.adapters.sql.schema`.

A unit of work that is going to write sets the connection's execution option :data:`WRITING`
before it begins its transaction, so that an engine whose transactions must begin differently
for a writer (SQLite: ``BEGIN IMMEDIATE``) can read it in the ``begin`` hook that
:meth:`Dialect.configure_engine` installed.
"""

from __future__ import annotations

import abc
import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final

import sqlalchemy as sa

#: The connection execution option saying "this transaction will write" (set before ``begin``).
WRITING: Final = "snapplan_writing"


class Dialect(abc.ABC):
    """How snapplan works on one database engine (one instance per engine, registered in
    :data:`snapplan.adapters.sql.dialects.DIALECTS`)."""

    #: SQLAlchemy's names of the engine (``engine.dialect.name``); the first is shown in messages.
    names: ClassVar[tuple[str, ...]]

    @property
    def name(self) -> str:
        """The engine's name, as SQLAlchemy spells it."""
        return self.names[0]

    # -- connections and transactions ----------------------------------------------------------

    def configure_engine(self, engine: sa.Engine) -> None:
        """Install what connections of ``engine`` need on connect and on begin (idempotent).

        Called by ``SqlStore(engine)``; nothing by default.
        """
        return

    # -- reading ----------------------------------------------------------------------------------

    #: Whether a large read (a plan's snapshots) asks SQLAlchemy for ``stream_results``: rows
    #: fetched a bounded buffer at a time from a server-side cursor instead of the whole result
    #: held by the driver at once. PostgreSQL only: SQLite's driver already steps through the
    #: rows, and PyMySQL's unbuffered cursor would block the connection until it is drained.
    streams_large_reads: ClassVar[bool] = False

    @abc.abstractmethod
    def any_of(
        self, column: sa.ColumnElement[Any], ids: Sequence[uuid.UUID]
    ) -> sa.ColumnElement[bool]:
        """``column`` among ``ids``, with all the ids bound as ONE parameter: a read is one
        statement, and one statement text, whatever their number (no chunked ``IN`` lists, no
        statement cache entry per list length)."""

    # -- writing ----------------------------------------------------------------------------------

    def bind_timestamp(self, utc: datetime.datetime) -> datetime.datetime:
        """The value bound for an aware UTC instant (the engine's ``timestamptz`` by default)."""
        return utc

    # -- schema -----------------------------------------------------------------------------------

    def table_options(self) -> Mapping[str, str]:
        """Dialect keyword arguments every snapplan table is created with (``<name>_charset``
        and the like, one key per SQLAlchemy name of the engine); none by default."""
        return {}

    def column_type(self, generic: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any] | None:
        """The type this engine stores a column of snapplan's ``generic`` type as (an id, an
        unbounded text) when SQLAlchemy's own choice would not keep snapplan's values the same
        as on the other engines; None (the default) keeps SQLAlchemy's."""
        return None

    def timestamp_type(self) -> sa.types.TypeEngine[Any]:
        """The column type of an aware UTC instant, kept to the microsecond."""
        return sa.DateTime(timezone=True)

    def bounded_text_type(self, length: int) -> sa.types.TypeEngine[Any]:
        """The column type of indexed text of at most ``length`` characters (an idempotency
        key): unbounded ``TEXT`` by default, where an engine can index that."""
        return sa.Text()

    @abc.abstractmethod
    def immutability_ddl(self, table: sa.Table) -> list[str]:
        """The statements that make ``table`` append-only: ``UPDATE``, ``DELETE``, replacing
        inserts and ``TRUNCATE`` (where the engine has it) refused by the database itself.

        Idempotent (they may be emitted again), and free of ``%`` and ``:name`` so that they
        pass unchanged through DB-API parameter styles and ``sqlalchemy.text`` (Alembic's
        ``op.execute``).
        """

    @abc.abstractmethod
    def immutability_removal_ddl(self, table: sa.Table) -> list[str]:
        """The statements that drop what :meth:`immutability_ddl` installs on ``table`` (for an
        upgrade that rewrites stored rows, in the transaction that installs them again).
        Idempotent."""

    # -- upgrading --------------------------------------------------------------------------------

    #: Whether the engine's DDL is transactional (an upgrade is then one transaction, all or
    #: nothing); engines whose DDL commits at once are never upgraded structurally.
    transactional_ddl: ClassVar[bool] = True

    def lock_for_upgrade(self, connection: sa.Connection) -> None:
        """Make the transaction of ``connection`` wait for any other that creates or upgrades
        snapplan's tables, and hold them off until it ends, before it reads the schema version.
        Nothing by default: a SQLite writer already holds the database's one write lock from its
        ``BEGIN IMMEDIATE``."""
        return

    def reshape_table(
        self, connection: sa.Connection, table: sa.Table, fill: Mapping[str, Any]
    ) -> None:
        """Bring the stored table ``table.name``, made by an earlier schema version, to
        ``table``'s definition, keeping its rows: the columns it lacks are added, with
        ``fill[name]`` in every existing row. Its triggers are dropped (the caller installs them
        again).

        By default, ``ALTER TABLE ... ADD COLUMN`` (nullable), an ``UPDATE`` that fills it, then
        ``NOT NULL`` as the column is declared; an engine that cannot alter what changed in
        place (SQLite's ``CHECK`` constraints) rebuilds the table instead.
        """
        for statement in self.immutability_removal_ddl(table):
            connection.exec_driver_sql(statement)
        stored = {column["name"] for column in sa.inspect(connection).get_columns(table.name)}
        preparer = connection.dialect.identifier_preparer
        for column in table.columns:
            if column.name in stored:
                continue
            name = preparer.quote(column.name)
            kind = column.type.compile(dialect=connection.dialect)
            connection.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}")
            connection.execute(table.update().values({column.name: fill[column.name]}))
            if not column.nullable:
                connection.exec_driver_sql(
                    f"ALTER TABLE {table.name} ALTER COLUMN {name} SET NOT NULL"
                )

    def canonical_id_check(self, column: str, *, nullable: bool) -> str | None:
        """The ``CHECK`` expression that admits only the canonical spelling of an id in
        ``column`` (a quoted name), or None when the engine's uuid type is canonical itself."""
        return None

    # -- errors -----------------------------------------------------------------------------------

    @abc.abstractmethod
    def is_duplicate(self, driver_error: BaseException | None) -> bool:
        """Whether the driver's error is a duplicate key (a primary key or unique violation)."""

    @abc.abstractmethod
    def is_lost_race(self, driver_error: BaseException | None) -> bool:
        """Whether the driver's error means a concurrent transaction got there first, or the
        database was busy: worth retrying with a fresh unit of work."""

    def __repr__(self) -> str:
        return f"<snapplan dialect {self.name}>"


def unique_keys(table: sa.Table) -> list[tuple[str, ...]]:
    """The column groups that identify a row of ``table``: the primary key and every unique
    constraint or unique index."""
    keys = [tuple(column.name for column in table.primary_key.columns)]
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            keys.append(tuple(column.name for column in constraint.columns))
    for index in table.indexes:
        if index.unique:
            keys.append(tuple(column.name for column in index.columns))
    for column in table.columns:
        if column.unique:
            keys.append((column.name,))
    return list(dict.fromkeys(key for key in keys if key))
