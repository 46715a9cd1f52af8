"""SQLite: the embedded default.

**Transactions**, as SQLAlchemy documents them for the ``sqlite3`` driver. Python's ``sqlite3``
in its legacy transaction mode (the default before Python 3.16) emits no ``BEGIN`` before a
``SELECT`` or a ``SAVEPOINT``, so savepoints escape the enclosing transaction and reads are not
isolated. SQLAlchemy's documented remedy for every Python version ("Enabling Non-Legacy SQLite
Transactional Modes") is two event hooks, which :func:`configure_sqlite_engine` installs:

- on ``connect``: ``dbapi_connection.isolation_level = None`` (the driver stops emitting
  ``BEGIN``) and the connection pragmas;
- on ``begin``: emit ``BEGIN`` ourselves.

A unit of work that only reads begins with a *deferred* ``BEGIN``: it takes no write lock and
never blocks writers. A unit of work that will write (the connection's
:data:`~snapplan.adapters.sql.dialects.base.WRITING` option, set by the writing services and by
``store.unit_of_work(writing=True)``) begins with ``BEGIN IMMEDIATE``: it takes the write lock
at once, waiting for it up to the busy timeout. A deferred transaction that reads and then
writes could not wait: SQLite does not run its busy handler when a read transaction upgrades to
a write, so it would fail at once with "database is locked" while another writer holds the lock.

Pragmas, per connection: ``foreign_keys=ON``; ``journal_mode=WAL`` for files (readers and one
writer at a time, without blocking each other); and a busy timeout (5 s unless the engine
already has one, e.g. from ``connect_args={"timeout": ...}``), after which a writer that still
finds the database locked fails with ``ConflictError``.

**Ids** are stored by ``sqlalchemy.Uuid`` as 32 hexadecimal characters; a ``CHECK`` on every
id column admits lower-case hex only, so that one id has one spelling (``ABC…`` or a dashed
form would otherwise be a second row for the same id).

**Append-only tables**: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT,
...)``, and a ``BEFORE INSERT`` trigger that refuses a row whose key is taken (``REPLACE``
would otherwise delete the old row silently). SQLite has no ``TRUNCATE``; its truncate
optimisation of ``DELETE`` without ``WHERE`` is disabled on a table with triggers, so the
``DELETE`` trigger refuses that too.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.pool import ConnectionPoolEntry

from snapplan.adapters.sql.dialects.base import WRITING, Dialect, unique_keys

#: Busy timeout in milliseconds when the connection has none of its own.
DEFAULT_BUSY_TIMEOUT_MS: Final = 5000

#: How the trigger that refuses replacing inserts starts its message (the SQL store recognises
#: it to report a duplicate id as ``ConflictError``).
DUPLICATE_MARK: Final = "snapplan: a row with this key already exists in"

_PREPARED: Final = "snapplan.sqlite_prepared"

# Primary result codes (the low byte of an extended code), and the two extended codes of a
# duplicate key.
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_CONSTRAINT_PRIMARYKEY: Final = 1555
_SQLITE_CONSTRAINT_UNIQUE: Final = 2067


class SqliteDialect(Dialect):
    """SQLite (see the module docstring)."""

    names = ("sqlite",)

    def configure_engine(self, engine: sa.Engine) -> None:
        """The transaction handling and pragmas of the module docstring."""
        configure_sqlite_engine(engine)

    def any_of(
        self, column: sa.ColumnElement[Any], ids: Sequence[uuid.UUID]
    ) -> sa.ColumnElement[bool]:
        """``column IN (SELECT value FROM json_each(:ids))``, the ids a JSON array of their
        stored 32-hex form."""
        hexes = json.dumps([i.hex for i in ids])
        values: sa.Select[Any] = sa.select(sa.literal_column("value")).select_from(
            sa.func.json_each(sa.bindparam("ids", hexes, type_=sa.String()))
        )
        return column.in_(values)

    def bind_timestamp(self, utc: datetime.datetime) -> datetime.datetime:
        """SQLite has no time zones: the UTC instant, naive."""
        return utc.replace(tzinfo=None)

    def immutability_ddl(self, table: sa.Table) -> list[str]:
        """Three triggers: UPDATE, DELETE and replacing inserts refused.

        ``REPLACE`` / ``INSERT OR REPLACE`` delete the conflicting row without firing DELETE
        triggers (unless ``recursive_triggers`` is on), so a ``BEFORE INSERT`` trigger refuses
        any insert whose primary key or unique key is already taken; that is also what a plain
        duplicate insert meets first (translated to ``ConflictError``). An upsert (``ON CONFLICT
        DO UPDATE``) fires the UPDATE trigger.

        >>> t = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
        >>> [s.split()[5] for s in SqliteDialect().immutability_ddl(t)]
        ['t_refuse_update', 't_refuse_delete', 't_refuse_replace']
        """
        name = table.name
        taken = " OR ".join(
            f"EXISTS (SELECT 1 FROM {name} WHERE "
            + " AND ".join(f"{column} = NEW.{column}" for column in key)
            + ")"
            for key in unique_keys(table)
        )
        return [
            *(
                f"CREATE TRIGGER IF NOT EXISTS {name}_refuse_{op.lower()} "
                f"BEFORE {op} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, "
                f"'snapplan refuses {op} on {name} (append-only table)'); END"
                for op in ("UPDATE", "DELETE")
            ),
            f"CREATE TRIGGER IF NOT EXISTS {name}_refuse_replace "
            f"BEFORE INSERT ON {name} WHEN {taken} "
            f"BEGIN SELECT RAISE(ABORT, "
            f"'{DUPLICATE_MARK} {name} (append-only table: no replacing insert)'); END",
        ]

    def immutability_removal_ddl(self, table: sa.Table) -> list[str]:
        """The three triggers dropped."""
        return [
            f"DROP TRIGGER IF EXISTS {table.name}_refuse_{op}"
            for op in ("update", "delete", "replace")
        ]

    def reshape_table(
        self, connection: sa.Connection, table: sa.Table, fill: Mapping[str, Any]
    ) -> None:
        """A rebuild, as SQLite documents for changes ``ALTER TABLE`` cannot make (a ``CHECK``
        on an existing table): the stored table's indexes and triggers dropped, the table
        renamed aside, ``table`` created in its place (its indexes, checks and triggers with
        it), the rows copied across (``fill`` for the columns the old table lacks), the old
        table dropped. In the caller's transaction: SQLite's DDL is transactional."""
        name = table.name
        aside = f"{name}__before_upgrade"
        attached = connection.exec_driver_sql(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = ? "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
            (name,),
        ).all()
        for kind, item in attached:
            connection.exec_driver_sql(f"DROP {kind.upper()} {item}")
        stored = [column["name"] for column in sa.inspect(connection).get_columns(name)]
        connection.exec_driver_sql(f"ALTER TABLE {name} RENAME TO {aside}")
        table.create(connection)
        old = sa.table(aside, *(sa.column(column) for column in stored))
        values = [
            old.c[column.name]
            if column.name in stored
            else sa.literal(fill[column.name], type_=column.type)
            for column in table.columns
        ]
        connection.execute(
            table.insert().from_select(
                [column.name for column in table.columns], sa.select(*values)
            )
        )
        connection.exec_driver_sql(f"DROP TABLE {aside}")

    def canonical_id_check(self, column: str, *, nullable: bool) -> str | None:
        """Text of exactly 32 lower-case hexadecimal characters (what ``uuid.UUID.hex`` gives).

        >>> SqliteDialect().canonical_id_check("id", nullable=False)
        "typeof(id) = 'text' AND length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'"
        """
        # typeof: a BLOB of the same characters would be a second spelling (never equal to text).
        check = (
            f"typeof({column}) = 'text' AND length({column}) = 32 "
            f"AND {column} NOT GLOB '*[^0-9a-f]*'"
        )
        return f"{column} IS NULL OR ({check})" if nullable else check

    def is_duplicate(self, driver_error: BaseException | None) -> bool:
        """A primary key or unique violation, or the replacing-insert trigger's refusal."""
        if DUPLICATE_MARK in str(driver_error):
            return True
        code = getattr(driver_error, "sqlite_errorcode", None)
        if isinstance(code, int):  # Python 3.11+: the extended result code
            return code in (_SQLITE_CONSTRAINT_PRIMARYKEY, _SQLITE_CONSTRAINT_UNIQUE)
        return "UNIQUE constraint failed" in str(driver_error)

    def is_lost_race(self, driver_error: BaseException | None) -> bool:
        """The database is locked: ``SQLITE_BUSY`` once the busy timeout has passed (or a stale
        read snapshot that cannot be upgraded to a write), or ``SQLITE_LOCKED``."""
        code = getattr(driver_error, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
        message = str(driver_error)
        return "database is locked" in message or "database table is locked" in message


def configure_sqlite_engine(engine: sa.Engine) -> None:
    """Install snapplan's SQLite transaction handling on ``engine`` (once; safe to repeat).

    See :mod:`snapplan.adapters.sql.dialects.sqlite`: the driver's own transaction control off,
    an explicit ``BEGIN`` on begin (``BEGIN IMMEDIATE`` for a connection whose execution options
    say it will write: ``connection.execution_options(snapplan_writing=True)`` before
    ``begin()``), pragmas on connect. Also prepares connections that were already in the
    engine's pool when it was called (at their next ``BEGIN``).

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
    writing = connection.get_execution_options().get(WRITING)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


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
