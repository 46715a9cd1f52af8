"""Upgrading a database made by an earlier snapplan to this snapplan's tables, all or nothing.

Three doors, one procedure (:func:`upgrade_connection`):

- ``snapplan upgrade --db URL`` on the command line;
- :func:`upgrade` (``store.upgrade()``) for a host's Python code;
- the Alembic revisions in ``snapplan.adapters.sql:migrations``, for a host whose Alembic
  environment owns the schema (see the how-to "Add snapplan's tables to an Alembic project").

The upgrade runs the steps from the database's schema version to this one
(:mod:`snapplan.adapters.sql.versions`) in **one transaction**, and records the new version in
it: on PostgreSQL and SQLite, whose DDL is transactional, a failure anywhere leaves the database
exactly as it was. MariaDB and MySQL commit DDL at once; no release before schema version 2 ran
on them, so there the upgrade only ever records the version (a structural upgrade is refused
there rather than risked half done).

A database of the current version is left alone ("nothing to do"; its version is recorded if
it was not yet). A database of a newer snapplan is refused
(:class:`~snapplan.errors.SchemaVersionError`). A database without snapplan's tables gets them
(as :meth:`SqlStore.create_schema <snapplan.adapters.sql.SqlStore.create_schema>` would), so
``store.upgrade()`` at an application's start is enough whatever the database holds.

Stop the applications that use the database while it is upgraded, and keep a backup: an
upgrade holds its locks (on SQLite, the write lock) until it ends, and a snapplan of the earlier
release cannot open the upgraded database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import attrs
import sqlalchemy as sa

from snapplan.adapters.sql import schema
from snapplan.adapters.sql._schema_2 import upgrade_to_2
from snapplan.adapters.sql.dialects import WRITING, Dialect, dialect_named
from snapplan.adapters.sql.errors import translated_errors
from snapplan.adapters.sql.versions import (
    SCHEMA_VERSION,
    record_current_version,
    refusal,
    stored_version,
)
from snapplan.errors import SchemaVersionError

if TYPE_CHECKING:
    from snapplan.adapters.sql.store import SqlStore

#: The step from each schema version to the next: ``step(connection, dialect)`` returns what
#: it did, one line each.
STEPS: Final[dict[int, Callable[[sa.Connection, Dialect], list[str]]]] = {1: upgrade_to_2}


@attrs.frozen
class SchemaUpgrade:
    """What an upgrade did. ``from_version`` is the version the database held (None: it had no
    snapplan tables, and now has them), ``to_version`` the version it holds now; ``done`` what
    was done, one line each (empty: nothing to do)."""

    from_version: int | None
    to_version: int
    done: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the tables changed (False when only the version was recorded, or nothing)."""
        return self.from_version != self.to_version


def upgrade(store: SqlStore) -> SchemaUpgrade:
    """Bring ``store``'s database to this snapplan's schema version, in one transaction of its
    own (see the module docstring); ``SchemaVersionError`` for a database of a newer snapplan.

    >>> from snapplan.adapters.sql import SqlStore
    >>> store = SqlStore.from_url("sqlite://")
    >>> upgrade(store).from_version is None  # an empty database: the tables are created
    True
    >>> upgrade(store).done  # the second time: nothing to do
    ()
    >>> store.dispose()
    """
    dialect = dialect_named(store.engine.dialect.name)
    with translated_errors(dialect), store.engine.connect() as connection:
        connection.execution_options(**{WRITING: True})  # SQLite: hold the write lock throughout
        with connection.begin():
            result = upgrade_connection(connection, where=store.shown_url)
    store._schema_checked = True  # its units of work need not read the version again
    return result


def upgrade_connection(connection: sa.Connection, *, where: str | None = None) -> SchemaUpgrade:
    """Bring the connection's database to this snapplan's schema version, in the connection's
    transaction (begun if none is): the caller commits or rolls back. For hosts that upgrade
    within their own transaction, and for snapplan's Alembic revisions. ``where`` names the
    database in messages (default: the connection's URL, password hidden). Database errors
    are snapplan's (``PersistenceError``), as in a unit of work."""
    dialect = dialect_named(connection.dialect.name)
    shown = where or connection.engine.url.render_as_string(hide_password=True)
    with translated_errors(dialect):
        return _upgraded(connection, dialect, shown)


def _upgraded(connection: sa.Connection, dialect: Dialect, shown: str) -> SchemaUpgrade:
    dialect.lock_for_upgrade(connection)
    found = stored_version(connection)
    if found is None:
        schema.metadata.create_all(connection)
        record_current_version(connection)
        return SchemaUpgrade(None, SCHEMA_VERSION, ("created snapplan's tables",))
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(found, SCHEMA_VERSION, refusal(found, shown))
    done: list[str] = []
    if found < SCHEMA_VERSION and not dialect.transactional_ddl:
        raise SchemaVersionError(
            found,
            SCHEMA_VERSION,
            f"{shown} holds snapplan's tables of schema version {found}, but no snapplan release "
            f"of that version ran on {dialect.name}, whose DDL is not transactional: snapplan "
            "does not upgrade it in place; nothing was changed",
        )
    for version in range(found, SCHEMA_VERSION):
        done += STEPS[version](connection, dialect)
    if record_current_version(connection) and found == SCHEMA_VERSION:
        done.append(f"recorded schema version {SCHEMA_VERSION}")
    return SchemaUpgrade(found, SCHEMA_VERSION, tuple(done))
