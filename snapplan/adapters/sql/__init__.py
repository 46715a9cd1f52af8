"""The SQL store: SQLAlchemy 2 Core on SQLite (the embedded default), PostgreSQL, MariaDB and
MySQL.

An engine of another dialect is refused by name (``ValidationError``); each supported engine is
one module of :mod:`snapplan.adapters.sql.dialects`.

>>> from snapplan.adapters.sql import SqlStore
>>> store = SqlStore.from_url("sqlite:///bakery.sqlite")  # doctest: +SKIP
>>> store.create_schema()  # doctest: +SKIP

Hosts that manage their schema with Alembic use :data:`metadata` as (part of) their target
metadata and emit :func:`immutability_ddl` in the migration that creates the tables.
Importing this package imports SQLAlchemy; ``import snapplan`` alone does not.
"""

from snapplan.adapters.sql.dialects.sqlite import configure_sqlite_engine
from snapplan.adapters.sql.schema import IMMUTABLE_TABLES, immutability_ddl, metadata
from snapplan.adapters.sql.store import SqlStore
from snapplan.adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = [
    "IMMUTABLE_TABLES",
    "SqlStore",
    "SqlUnitOfWork",
    "configure_sqlite_engine",
    "immutability_ddl",
    "metadata",
]
