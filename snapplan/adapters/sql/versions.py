"""Which version of snapplan's tables a database holds, and the refusal of any other.

The schema version is a whole number that grows by one with every release that changes
snapplan's tables (columns, tables, constraints, triggers, or what the stored documents must
hold):

- **1**: release 0.1.0 (catalog, snapshots, plans and the runs ledger, without the runs'
  digests);
- **2** (:data:`SCHEMA_VERSION`): the pantry and the shopping list: measures on ingredients and
  material units, products, prices and the pantry ledger, the runs' hash chain, ``TRUNCATE``
  refused on PostgreSQL, canonical-id ``CHECK`` constraints on SQLite.

A database records its version in ``snapplan_schema_versions`` (one row per version it was
brought to, with the release and the time). A database that has snapplan's tables but no
recorded version was made before versions were recorded, and its tables say which it is:
release 0.1.0's ingredients have no ``measures`` (version 1); otherwise the tables were made
from this release's :data:`~snapplan.adapters.sql.metadata` by hand or by ``create_all``
(version 2), and :func:`~snapplan.adapters.sql.upgrade` merely records it.

A :class:`~snapplan.adapters.sql.SqlStore` reads the version once, in its first unit of work,
and refuses a database at another version with :class:`~snapplan.errors.SchemaVersionError`
before anything is read or written.
"""

from __future__ import annotations

import datetime
from typing import Final

import sqlalchemy as sa

from snapplan.adapters.sql import schema
from snapplan.errors import SchemaVersionError

#: The version of the tables this snapplan reads and writes.
SCHEMA_VERSION: Final = 2

#: The release that first wrote each schema version (version 2's is not released yet: add it
#: here when it is).
RELEASES: Final = {1: "0.1.0"}

#: The command that upgrades a database, as messages name it.
UPGRADE_COMMAND: Final = "snapplan upgrade --db"


def stored_version(connection: sa.Connection) -> int | None:
    """The schema version of snapplan's tables in the connection's database; None when it has
    none of them. Reads only (the tables' names and, for an unrecorded version, one table's
    columns)."""
    recorded = recorded_version(connection)
    if recorded is not None:
        return recorded
    inspector = sa.inspect(connection)
    names = set(inspector.get_table_names()) & set(schema.metadata.tables)
    names.discard(schema.schema_versions.name)
    if not names:
        return None
    ingredients = schema.ingredients.name
    if ingredients in names:
        columns = {column["name"] for column in inspector.get_columns(ingredients)}
        if "measures" not in columns:
            return 1
    return SCHEMA_VERSION


def recorded_version(connection: sa.Connection) -> int | None:
    """The highest version recorded in ``snapplan_schema_versions``; None if none is."""
    table = schema.schema_versions
    if not sa.inspect(connection).has_table(table.name):
        return None
    recorded = connection.execute(sa.select(sa.func.max(table.c.version))).scalar()
    return None if recorded is None else int(recorded)


def record_current_version(connection: sa.Connection) -> bool:
    """Record that the connection's database holds :data:`SCHEMA_VERSION` (creating
    ``snapplan_schema_versions`` if needed), unless it is recorded already; return whether it
    was recorded now."""
    from snapplan import __version__

    if recorded_version(connection) == SCHEMA_VERSION:
        return False
    schema.schema_versions.create(connection, checkfirst=True)
    connection.execute(
        schema.schema_versions.insert(),
        {
            "version": SCHEMA_VERSION,
            "release": __version__,
            "applied_at": datetime.datetime.now(datetime.UTC),
        },
    )
    return True


def require_current(found: int | None, where: str, *, from_python: bool = True) -> None:
    """:class:`~snapplan.errors.SchemaVersionError` unless ``found`` (the version of the
    database shown as ``where``) is this snapplan's, or None (no snapplan tables yet).
    ``from_python``: the message names the Python function as well as the command."""
    if found is None or found == SCHEMA_VERSION:
        return
    raise SchemaVersionError(found, SCHEMA_VERSION, refusal(found, where, from_python=from_python))


def refusal(found: int, where: str, *, from_python: bool = True) -> str:
    """Why a database at schema version ``found`` is not opened, and what to do (one line).

    >>> print(refusal(1, "bakery.sqlite"))  # doctest: +NORMALIZE_WHITESPACE
    bakery.sqlite was written by snapplan 0.1.0 (schema version 1); this snapplan reads schema
    version 2: upgrade the database with `snapplan upgrade --db bakery.sqlite` (from Python:
    snapplan.adapters.sql.upgrade(store)); nothing was read or written
    """
    if found > SCHEMA_VERSION:
        return (
            f"{where} was written by a newer snapplan (schema version {found}); this snapplan "
            f"reads schema version {SCHEMA_VERSION}: install the newer snapplan to use it "
            "(pip install --upgrade snapplan); nothing was read or written"
        )
    python = " (from Python: snapplan.adapters.sql.upgrade(store))" if from_python else ""
    return (
        f"{where} was written by {written_by(found)} (schema version {found}); this snapplan "
        f"reads schema version {SCHEMA_VERSION}: upgrade the database with "
        f"`{UPGRADE_COMMAND} {where}`{python}; nothing was read or written"
    )


def written_by(version: int) -> str:
    """``snapplan 0.1.0``: the release that first wrote schema ``version``."""
    release = RELEASES.get(version)
    return f"snapplan {release}" if release else f"a snapplan of schema version {version}"
